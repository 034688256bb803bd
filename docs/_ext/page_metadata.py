"""Metadata in the pages' head: Open Graph tags on every page, and schema.org JSON-LD (Google's
Dataset guidance) on the pages about the dataset (home, citation, downloads, dictionary) and
on each table's page, where it describes that table as a part of the dataset. Every property
comes from datapackage.json, the schemas and the downloads as built; all escaped for HTML."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docnodes import DOWNLOADS
from package_summary import package_of, summary
from site_address import edition_url, page_url, site_url

from civic_space import citation, edge
from civic_space.descriptor import DataPackage

DATASET_PAGES = ("index", "cite", "downloads", "dictionary")
FORMATS = {  # a download's encodingFormat, by its suffix
    ".zip": "application/zip",
    ".sqlite": "application/vnd.sqlite3",
    ".json": "application/json",
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def temporal_coverage(package: DataPackage) -> str:
    """The span of every date in the data, as an ISO 8601 interval."""
    spans = [s.dates for s in map(summary, package.tables) if s.dates]
    return f"{min(s[0] for s in spans)}/{max(s[1] for s in spans)}" if spans else ""


def in_language(meta: dict, key: str, language: str) -> str:
    """A descriptor text in the edition's language: its twin (title_mn) where there is one."""
    return meta.get(f"{key}_{language}") or meta[key]


def organisations(meta: dict, role: str) -> list[dict]:
    return [
        {"@type": "Organization", "name": c["title"], **({"url": c["path"]} if "path" in c else {})}
        for c in meta.get("contributors", [])
        if c.get("role") == role
    ]


def downloads(app, prefix: str, table: str | None) -> list[dict]:
    """The downloads as built (those SHA256SUMS lists), with their sizes; for a table page,
    that table's own files."""
    folder = Path(app.config.datapackage_downloads or "")
    text = edge.current(folder, folder / "SHA256SUMS") or ""  # never through a link
    names = [line.split("  ", 1)[1] for line in text.splitlines()]
    if table:
        names = [n for n in names if Path(n).stem == table]
    return [
        {
            "@type": "DataDownload",
            "name": name,
            "encodingFormat": FORMATS.get(Path(name).suffix, "application/octet-stream"),
            "contentUrl": f"{prefix}{DOWNLOADS}/{name}",
            "contentSize": f"{(folder / name).stat().st_size} B",
        }
        for name in names
        if Path(name).suffix in FORMATS or name == "croissant.json"
    ]


def variables(package: DataPackage, table: str | None) -> list[dict]:
    """variableMeasured: every field (of one table, on its page), from the schemas."""
    return [
        {
            "@type": "PropertyValue",
            "name": f"{tab.name}.{field['name']}",
            "description": " ".join(p for p in (field.get("title"), field.get("description")) if p),
        }
        for tab in package.tables
        if table in (None, tab.name)
        for field in tab.fields
    ]


def dataset(app, pagename: str, package: DataPackage) -> dict:
    meta, language = package.descriptor, app.config.language or "en"
    base = site_url(app.config)
    prefix = edition_url(app.config, language) or "../" * pagename.count("/")
    url = edition_url(app.config, language)
    doi = citation.doi(meta)
    found = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": in_language(meta, "title", language),
        "alternateName": meta["title"] if language != "en" else meta.get("title_mn", ""),
        "description": in_language(meta, "description", language),
        "inLanguage": meta.get("languages", ["en"]),
        "version": meta["version"],
        "license": meta["licenses"][0].get("path", meta["licenses"][0]["name"]),
        "isAccessibleForFree": True,
        "creator": organisations(meta, "author"),
        "publisher": organisations(meta, "publisher"),
        "citation": [s["title"] for s in meta.get("sources", [])],
        "keywords": meta["keywords"],
        "datePublished": meta["created"][:10],
        "temporalCoverage": temporal_coverage(package),
        "spatialCoverage": {"@type": "Place", "name": "Mongolia"},
        "variableMeasured": variables(package, None),
        "distribution": downloads(app, prefix, None),
    }
    if url:  # without SITE_URL, no address rather than a relative one
        found |= {"url": url, "@id": base, "identifier": base}
    if doi:  # minted by Zenodo at a release (see .zenodo.json): the DOI identifies it, there
        found["identifier"] = f"https://doi.org/{doi}"
        found["includedInDataCatalog"] = {"@type": "DataCatalog", "name": "Zenodo"}
    return found


def json_ld(app, pagename: str) -> dict | None:
    """The page's JSON-LD: the dataset, a table of it, or none (a report chapter is about the
    project, not the data)."""
    package = package_of(app.config)
    whole = dataset(app, pagename, package)
    if pagename in DATASET_PAGES:
        return whole
    name = pagename.removeprefix("tables/")
    if name == pagename or name not in {t.name for t in package.tables}:
        return None
    res = next(r for r in package.descriptor["resources"] if r["name"] == name)
    language = app.config.language or "en"
    part = {k: whole[k] for k in ("@context", "license", "isAccessibleForFree", "creator")}
    part |= {
        "@type": "Dataset",
        "name": f"{whole['name']}: {name}",
        "description": res.get("description", res.get("title", name)),
        "isPartOf": {k: whole[k] for k in ("@type", "name") if k in whole}
        | ({"url": whole["url"]} if "url" in whole else {}),
        "variableMeasured": variables(package, name),
        "distribution": downloads(app, edition_url(app.config, language) or "../", name),
    }
    if page_url(app.config, language, pagename):
        part["url"] = page_url(app.config, language, pagename)
    return part


def plain_title(app, pagename: str, context: dict) -> str:
    """The page's title as plain text: from the document's title node where there is one (the
    template's `title` is HTML, e.g. a title with code in it), else the template's title with
    its tags taken out."""
    node = app.env.titles.get(pagename)
    if node is not None and node.astext().strip():
        return " ".join(node.astext().split())
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", context.get("title") or "")).split())


def page_metadata(app, pagename, templatename, context, doctree) -> None:
    """Open Graph tags and a meta description on every page; JSON-LD where it belongs."""
    meta = package_of(app.config).descriptor
    language = app.config.language or "en"
    description = in_language(meta, "description", language)
    tags = [
        ("og:title", plain_title(app, pagename, context) or meta["title"]),
        ("og:description", description),
        ("og:type", "website"),
        ("og:site_name", in_language(meta, "title", language)),
    ]
    head = f'\n<meta name="description" content="{html.escape(description, quote=True)}" />'
    head += "".join(
        f'\n<meta property="{p}" content="{html.escape(v, quote=True)}" />' for p, v in tags
    )
    found = json_ld(app, pagename)
    if found is not None:
        data = json.dumps(found, ensure_ascii=False).replace("<", "\\u003c")
        head += f'\n<script type="application/ld+json">{data}</script>'
    context["metatags"] = context.get("metatags", "") + head
