"""Metadata in every page's head: the dataset described as schema.org JSON-LD (for search
engines and data catalogues) and Open Graph tags, all escaped for HTML."""

from __future__ import annotations

import html
import json
import re

from docnodes import DOWNLOADS
from package_summary import package_of, summary

from civic_space import citation
from civic_space.descriptor import DataPackage


def temporal_coverage(package: DataPackage) -> str:
    """The span of every date in the data, as an ISO 8601 interval."""
    spans = [s.dates for s in map(summary, package.tables) if s.dates]
    return f"{min(s[0] for s in spans)}/{max(s[1] for s in spans)}" if spans else ""


def json_ld(app, pagename: str) -> dict:
    meta = package_of(app.config).descriptor
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""
    name = f"{meta['name']}-{meta['version']}"
    files = [
        (f"{name}.zip", "application/zip"),
        (f"{name}.sqlite", "application/vnd.sqlite3"),
        (f"{name}.json", "application/json"),
    ]
    files += [(f"{r['name']}.csv", "text/csv") for r in meta["resources"]]
    prefix = base or "../" * pagename.count("/")
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": meta["title"],
        "alternateName": [{"@language": "mn", "@value": meta.get("title_mn", "")}],
        "description": meta["description"],
        "version": meta["version"],
        "license": meta["licenses"][0].get("path", meta["licenses"][0]["name"]),
        "creator": [{"@type": "Organization", "name": a} for a in citation.authors(meta)],
        "keywords": meta["keywords"],
        "datePublished": meta["created"][:10],
        "temporalCoverage": temporal_coverage(package_of(app.config)),
        "spatialCoverage": {"@type": "Place", "name": "Mongolia"},
        "url": base or meta["homepage"],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": kind,
                "contentUrl": f"{prefix}{DOWNLOADS}/{f}",
            }
            for f, kind in files
        ],
    }


def plain_title(app, pagename: str, context: dict) -> str:
    """The page's title as plain text: from the document's title node where there is one (the
    template's `title` is HTML, e.g. a title with code in it), else the template's title with
    its tags taken out."""
    node = app.env.titles.get(pagename)
    if node is not None and node.astext().strip():
        return " ".join(node.astext().split())
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", context.get("title") or "")).split())


def page_metadata(app, pagename, templatename, context, doctree) -> None:
    """schema.org Dataset JSON-LD and Open Graph tags on every page, escaped for HTML."""
    meta = package_of(app.config).descriptor
    data = json.dumps(json_ld(app, pagename), ensure_ascii=False).replace("<", "\\u003c")
    tags = [
        ("og:title", plain_title(app, pagename, context) or meta["title"]),
        ("og:description", meta["description"]),
        ("og:type", "website"),
        ("og:site_name", meta["title"]),
    ]
    context["metatags"] = (
        context.get("metatags", "")
        + "".join(
            f'\n<meta property="{p}" content="{html.escape(v, quote=True)}" />' for p, v in tags
        )
        + f'\n<script type="application/ld+json">{data}</script>'
    )
