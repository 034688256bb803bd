"""Citation metadata derived from datapackage.json, the one source: CITATION.cff, .zenodo.json,
and the dataset's citation in APA, BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

import json
from datetime import date

from . import edge
from .descriptor import DataPackage
from .gitdata import RELEASED
from .yaml_text import dump

CFF_FILE = "CITATION.cff"
ZENODO_FILE = ".zenodo.json"
CHANGELOG_FILE = "CHANGELOG.md"


def authors(meta: dict) -> list[str]:
    return [c["title"] for c in meta.get("contributors", []) if c.get("role") == "author"]


def released(meta: dict) -> date:
    return date.fromisoformat(meta["created"][:10])


def is_published(package: DataPackage) -> bool:
    """Whether the changelog dates this version ("## 0.2.0 (2026-03-01)"): `release` writes that
    heading; until then it reads "(unreleased)" and no citation file claims a release date. The
    changelog, not git, decides, so a package downloaded without its history says the same."""
    try:
        log = edge.read_text(package.base, package.base / CHANGELOG_FILE)
    except (OSError, UnicodeDecodeError, edge.EdgeError):
        return False
    version = str(package.descriptor.get("version", ""))
    return any(m["version"] == version for m in RELEASED.finditer(log))


def licence(meta: dict) -> str:
    return meta["licenses"][0]["name"]


def doi(meta: dict) -> str | None:
    return (
        meta.get("id", "").removeprefix("https://doi.org/")
        if "doi.org/" in meta.get("id", "")
        else None
    )


def link(meta: dict, url: str = "") -> str:
    """What a citation points to: the DOI once Zenodo has minted it (datapackage.json's `id`),
    until then the cited version's own address (the site's SITE_URL), else nothing."""
    return f"https://doi.org/{doi(meta)}" if doi(meta) else url


def cff(package: DataPackage, published: bool | None = None) -> str:
    """CITATION.cff text (CFF 1.2.0), written by ruamel.yaml: stable and diffable."""
    meta = package.descriptor
    published = is_published(package) if published is None else published
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": meta["title"],
        "version": meta["version"],
        **({"date-released": released(meta).isoformat()} if published else {}),
        "license": licence(meta),
        "authors": [{"name": name} for name in authors(meta)],
        "abstract": meta["description"],
        "keywords": meta["keywords"],
    }
    if doi(meta):
        data["doi"] = doi(meta)
    header = "# Generated from datapackage.json by `nox -s metadata`; do not edit by hand.\n"
    return dump(data, header)


def zenodo(package: DataPackage, published: bool | None = None) -> str:
    meta = package.descriptor
    published = is_published(package) if published is None else published
    data = {
        "title": meta["title"],
        "upload_type": "dataset",
        "description": meta["description"],
        "version": meta["version"],
        **({"publication_date": released(meta).isoformat()} if published else {}),
        "license": licence(meta).lower(),
        "creators": [{"name": name} for name in authors(meta)],
        "keywords": meta["keywords"],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def apa(meta: dict, table: str | None = None, url: str = "") -> str:
    who = ", ".join(authors(meta))
    part = f" [{table} table]" if table else ""
    ref = f" {link(meta, url)}" if link(meta, url) else ""
    return (
        f"{who} ({released(meta).year}). {meta['title']}{part} (Version {meta['version']})"
        f" [Data set].{ref}"
    )


def bibtex(meta: dict, url: str = "") -> str:
    key = f"{meta['name'].replace('-', '_')}_{meta['version'].replace('.', '_')}"
    fields = {
        "author": " and ".join("{" + a + "}" for a in authors(meta)),
        "title": "{" + meta["title"] + "}",
        "year": str(released(meta).year),
        "version": meta["version"],
        "publisher": authors(meta)[0],
        "url": link(meta, url),
        "note": "Data set, " + licence(meta),
    }
    fields = {k: v for k, v in fields.items() if v}
    if doi(meta):
        fields["doi"] = doi(meta)
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def ris(meta: dict, url: str = "") -> str:
    lines = ["TY  - DATA", *[f"AU  - {a}" for a in authors(meta)]]
    lines += [
        f"TI  - {meta['title']}",
        f"PY  - {released(meta).year}",
        f"DA  - {released(meta):%Y/%m/%d}",
        f"ET  - {meta['version']}",
        *([f"UR  - {link(meta, url)}"] if link(meta, url) else []),
    ]
    if doi(meta):
        lines.append(f"DO  - {doi(meta)}")
    return "\n".join([*lines, "ER  - "])


def csl_json(meta: dict, url: str = "") -> str:
    item = {
        "id": f"{meta['name']}-{meta['version']}",
        "type": "dataset",
        "title": meta["title"],
        "author": [{"literal": a} for a in authors(meta)],
        "issued": {"date-parts": [[released(meta).year, released(meta).month, released(meta).day]]},
        "version": meta["version"],
        **({"URL": link(meta, url)} if link(meta, url) else {}),
    }
    if doi(meta):
        item["DOI"] = doi(meta)
    return json.dumps([item], ensure_ascii=False, indent=2)


def write(package: DataPackage) -> list[str]:
    """Regenerate the derived citation files; return those that changed."""
    changed = []
    for name, text in ((CFF_FILE, cff(package)), (ZENODO_FILE, zenodo(package))):
        path = package.base / name
        if edge.current(package.base, path) != text:
            edge.write_text(package.base, path, text)
            changed.append(name)
    return changed
