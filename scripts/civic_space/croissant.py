"""Croissant metadata (MLCommons Croissant 1.1, JSON-LD) for the downloads folder, derived from
datapackage.json and the Table Schemas: the dataset's description, one FileObject per table CSV
and one RecordSet per table (and one for the per-value view, from its Parquet file), with a Field
per schema field. Nothing here lists fields by hand."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import edge, value_view
from .citation import authors, bibtex, link, released
from .descriptor import DataPackage, Table

FILE = "croissant.json"
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
# https, as mlcroissant and every published example use: the 1.1 spec's appendix says
# http://schema.org/, which mlcroissant rejects ("doesn't extend https://schema.org/Dataset",
# mlcommons/croissant#1018).
SCHEMA_ORG = "https://schema.org/"
CR_TERMS = [
    "annotation", "arrayShape", "citeAs", "column", "containedIn", "equivalentProperty",
    "excludes", "extract", "field", "fileObject", "fileProperty", "fileSet", "format",
    "includes", "isArray", "isLiveDataset", "jsonPath", "key", "md5", "parentField", "path",
    "readLines", "recordSet", "references", "regex", "repeated", "replace", "samplingRate",
    "sdVersion", "separator", "source", "subField", "transform", "unArchive", "value",
]  # fmt: skip
# The spec's recommended context (Appendix 1) joined with the one mlcroissant checks against:
# a key missing from it makes mlcroissant warn that the context "is not standard".
CONTEXT = {
    "@language": "en",
    "@vocab": SCHEMA_ORG,
    "sc": SCHEMA_ORG,
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
    # Croissant 1.1 lets name and description be language maps; a plain string stays valid.
    "name": {"@container": "@language"},
    "description": {"@container": "@language"},
    **{term: f"cr:{term}" for term in CR_TERMS},
}
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
    "year": "sc:Integer",
}


def data_type(field: dict) -> str:
    if field.get("format") == "uri":
        return "sc:URL"
    return DATA_TYPES[field.get("type", "string")]


def ref(*parts: str) -> dict:
    return {"@id": "/".join(parts)}


def one_or_many(items: list):
    """A single value bare, several as a list: how the Croissant examples write MANY."""
    return items[0] if len(items) == 1 else items


def agent(contributor: dict) -> dict:
    """A contributor as schema.org sees it: a Person when Frictionless gives a given or family
    name, else an Organization (a bare title is how Frictionless names an organisation)."""
    person = "givenName" in contributor or "familyName" in contributor
    found = {"@type": "sc:Person" if person else "sc:Organization", "name": contributor["title"]}
    if contributor.get("path"):
        found["url"] = contributor["path"]
    return found


def creators(meta: dict) -> list[dict]:
    """The authors citation.py cites, in its order, each described once."""
    contributors = meta.get("contributors", [])
    by_title = {c["title"]: c for c in reversed(contributors) if c.get("role") == "author"}
    return [agent(by_title[name]) for name in dict.fromkeys(authors(meta))]


def file_object(table: Table, out: Path) -> dict:
    """A table's Parquet download: typed as the schema says, so a reader keeps text as text
    (read from the CSV by type inference, mlcroissant turns the SDG target "16.10" into 16.1)."""
    name = f"{table.name}.parquet"
    data = edge.read_bytes(out, out / name)
    return {
        "@type": "cr:FileObject",
        "@id": name,
        "name": name,
        # Relative to croissant.json, which sits beside the downloads.
        "contentUrl": name,
        "contentSize": f"{len(data)} B",
        "encodingFormat": "application/x-parquet",
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def field(table: Table, spec: dict) -> dict:
    name = spec["name"]
    found = {
        "@type": "cr:Field",
        "@id": f"{table.name}/{name}",
        "name": name,
        "description": spec.get("description", spec.get("title", name)),
        "dataType": data_type(spec),
        "source": {"fileObject": ref(f"{table.name}.parquet"), "extract": {"column": name}},
    }
    target = table.reference(name)
    # The spec's references point into *another* RecordSet, and mlcroissant reads one as a
    # join: a table joined to itself (a place's parent place) would make its plan cyclic.
    if target and target[0] != table.name:
        found["references"] = {"field": ref(*target)}
    return found


def record_set(table: Table, resource: dict) -> dict:
    found = {
        "@type": "cr:RecordSet",
        "@id": table.name,
        "name": table.name,
        "description": resource.get("description", resource.get("title", table.name)),
        "field": [field(table, spec) for spec in table.fields],
    }
    if table.primary_key:
        found["key"] = one_or_many([ref(table.name, k) for k in table.primary_key])
    return found


def croissant(package: DataPackage, out: Path, base_url: str | None = None) -> dict:
    """The Croissant JSON-LD document for the downloads folder `out` (its Parquet files)."""
    meta = package.descriptor
    # The dataset's page: where it is published, else its homepage, else its DOI.
    url = base_url or meta.get("homepage") or link(meta)
    resources = {r["name"]: r for r in meta["resources"]}
    view = value_view.table(package, out)  # the per-value view, a record set of its own
    publishers = [agent(c) for c in meta.get("contributors", []) if c.get("role") == "publisher"]
    found = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": meta["name"],
        "alternateName": meta["title"],
        "description": meta["description"],
        "license": one_or_many([lic.get("path") or lic["name"] for lic in meta["licenses"]]),
        "version": meta["version"],
        "datePublished": released(meta).isoformat(),
        "creator": one_or_many(creators(meta)),
        "keywords": meta.get("keywords", []),
        "citeAs": bibtex(meta, url),
        "inLanguage": package.languages,
        "distribution": [file_object(t, out) for t in [*package.tables, view]],
        "recordSet": [
            *(record_set(t, resources[t.name]) for t in package.tables),
            record_set(view, value_view.declared()),
        ],
    }
    if url:
        found["url"] = url
    if publishers:
        found["publisher"] = one_or_many(publishers)
    return found


def write(package: DataPackage, out: Path, base_url: str | None = None) -> Path:
    """Write `out/croissant.json`, beside the Parquet files written there first (keys sorted,
    so the same package gives the same bytes)."""
    path = out / FILE
    found = croissant(package, out, base_url)
    text = json.dumps(found, ensure_ascii=False, indent=2, sort_keys=True)
    edge.write_text(out, path, text + "\n")
    return path
