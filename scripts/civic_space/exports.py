"""Downloads built from the package: the whole package as a zip, each table as CSV and as
Parquet, an SQLite database with keys, JSON, an .xlsx workbook and Croissant metadata; with
SHA-256 checksums. Every value is carried over. Besides the tables, every format but the zip
(the package itself) holds the per-value view (value_view), derived at export: in the workbook,
the editing template, as a read-only sheet that the import never takes as data."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
import zipfile
from pathlib import Path

from . import croissant, edge, exports_formats, lexical, value_view
from .citation import CFF_FILE
from .descriptor import DataPackage
from .descriptor_text import LICENCE_FILE
from .formatting import iter_rows, quote_cell
from .meanings import PLACES, PROVINCE
from .sql import q

SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
ZIP_EXTRAS = [LICENCE_FILE, CFF_FILE, "README.md"]
PLACE_PROVINCES = "place_provinces"  # the name of place_provinces' relation in the downloads


def typed(value: str, field: dict):
    """A CSV cell as the value its field's type says (empty cells become null), read in the
    type's canonical form (lexical.py): text not in it raises ValueError, never a guess."""
    kind = field.get("type", "string")
    found = lexical.parse(kind, value)
    if kind == "number" and found is not None:
        return float(found)  # SQLite's REAL, JSON's number
    if kind == "date":
        return found and value  # as written: YYYY-MM-DD
    return found


def records(package: DataPackage):
    """(table, rows as lists of typed values) for each table, streamed: big tables never sit
    in memory whole."""
    for table in package.tables:
        yield (
            table,
            (
                [typed(v, f) for v, f in zip(row, table.fields, strict=True)]
                for row in iter_rows(table)
            ),
        )


def place_provinces(package: DataPackage) -> list[dict]:
    """For every place, the province it lies in (itself, for a province) and that province's
    ISO 3166-2 code: derived from the places' parent chain at export, so researchers need not
    walk it, and stored only in the downloads. Places above or outside a province get nulls."""
    table = package.table(PLACES.table)
    key = table.primary_key[0]
    places = {
        r[key]: r
        for r in (dict(zip(table.field_names, row, strict=True)) for row in iter_rows(table))
    }
    found = []
    for place_id, place in places.items():
        seen, here = set(), place
        while here and here[PLACES.level] != PROVINCE and here[key] not in seen:
            seen.add(here[key])
            here = places.get(here[PLACES.parent])
        province = here if here and here[PLACES.level] == PROVINCE else None
        found.append(
            {
                key: place_id,
                "province_id": province[key] if province else None,
                "province_iso_code": (province[PLACES.iso_code] or None) if province else None,
            }
        )
    return found


def create_table(db: sqlite3.Connection, name: str, schema: dict) -> None:
    """An SQLite table as a Table Schema declares it: typed columns, primary and foreign keys."""
    fields = schema["fields"]
    columns = [
        f"{q(f['name'])} {SQL_TYPES.get(f.get('type'), 'TEXT')}"
        + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
        for f in fields
    ]
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    if key:  # every table has one; the per-value view has none (a value has a row a note)
        columns.append(f"PRIMARY KEY ({', '.join(map(q, key))})")
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]["resource"] or name
        columns.append(
            f"FOREIGN KEY ({', '.join(map(q, fk['fields']))}) REFERENCES"
            f" {q(ref)} ({', '.join(map(q, fk['reference']['fields']))})"
        )
    db.execute(f"CREATE TABLE {q(name)} ({', '.join(columns)})")


def sqlite(package: DataPackage, path: Path, view: value_view.View | None = None) -> None:
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    with db:
        for table, rows in records(package):
            create_table(db, table.name, table.schema)
            marks = ", ".join("?" for _ in table.fields)
            db.executemany(f"INSERT INTO {q(table.name)} VALUES ({marks})", rows)
        derived = place_provinces(package)
        columns = list(derived[0]) if derived else []
        if columns:
            db.execute(f"CREATE TABLE {q(PLACE_PROVINCES)} ({', '.join(map(q, columns))})")
            marks = ", ".join("?" for _ in columns)
            db.executemany(
                f"INSERT INTO {q(PLACE_PROVINCES)} VALUES ({marks})",
                [list(r.values()) for r in derived],
            )
        create_table(db, value_view.name(), value_view.schema(package))
        marks = ", ".join("?" for _ in value_view.ROLES)
        with value_view.given(package, view) as view:
            for batch in view.batches():
                db.executemany(f"INSERT INTO {q(value_view.name())} VALUES ({marks})", batch)
    db.close()


def json_export(package: DataPackage, path: Path, view: value_view.View | None = None) -> None:
    """One JSON document: {name, version, licenses, tables: {table: [row objects]}, derived:
    {place_provinces: [...], values: [...]}}, written row by row (the values by DuckDB)."""
    meta = package.descriptor
    head = {k: meta[k] for k in ("name", "version", "licenses")}
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "tables": {')
        for n, (table, rows) in enumerate(records(package)):
            out.write(("," if n else "") + f"\n{json.dumps(table.name)}: [")
            for i, row in enumerate(rows):
                item = dict(zip(table.field_names, row, strict=True))
                out.write(("," if i else "") + "\n " + json.dumps(item, ensure_ascii=False))
            out.write("]")
        # Derived at export, not part of the package: see place_provinces and value_view.
        derived = json.dumps({PLACE_PROVINCES: place_provinces(package)}, ensure_ascii=False)
        out.write('}, "derived": ' + derived[:-1] + f", {json.dumps(value_view.name())}: ")
        with value_view.given(package, view) as view:
            view.json_array(out)
        out.write("}}\n")


def value_csv(package: DataPackage, path: Path, view: value_view.View | None = None) -> None:
    """The per-value view as CSV, in the form the package writes its tables (formatting.render:
    UTF-8, LF line endings, minimal quoting; DuckDB's own CSV quotes more); a missing annotation
    is an empty cell."""
    with (
        path.open("w", encoding="utf-8", newline="") as out,
        value_view.given(package, view) as view,
    ):
        out.write(",".join(map(quote_cell, view.columns)) + "\n")
        for batch in view.batches():
            out.writelines(",".join(quote_cell(v or "") for v in row) + "\n" for row in batch)


def sha256(root: Path, path: Path) -> str:
    digest = hashlib.sha256()
    with edge.open_read(root, path) as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def inputs(package: DataPackage) -> list[Path]:
    """Every file the downloads are made from."""
    extras = [package.base / e for e in ZIP_EXTRAS if os.path.lexists(package.base / e)]
    tables = [p for t in package.tables for p in (t.path, t.schema_path)]
    return [package.descriptor_path, *tables, *extras]


def fingerprint(package: DataPackage, base_url: str = "") -> str:
    """Names, sizes and modification times of the inputs, and the address: any edit changes
    it."""
    stats = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in inputs(package)]
    return hashlib.sha256(json.dumps([base_url, stats]).encode()).hexdigest()


def build(package: DataPackage, out: Path, base_url: str = "") -> list[Path]:
    """Write every download into `out`, unless they are there already from the same inputs
    (a million-row package takes minutes); return them, SHA256SUMS last. `base_url`: the
    site's address, which croissant.json names as the dataset's. Every input is read, and
    every download written, through the repository's edge (edge.py): a link or a FIFO among
    them is refused, never published."""
    name = f"{package.descriptor['name']}-{package.descriptor['version']}"
    for path in inputs(package):
        edge.inside(package.base, path)
    stamp, sums = out / ".built-from", out / "SHA256SUMS"
    fresh = stamp.is_file() and sums.is_file()
    if fresh and edge.read_text(out, stamp) == fingerprint(package, base_url):
        listed = [out / line.split("  ", 1)[1] for line in edge.read_text(out, sums).splitlines()]
        if all(p.exists() for p in listed):
            return [*listed, sums]
    out.parent.mkdir(parents=True, exist_ok=True)
    edge.make_folder(out.parent, out)
    edge.remove(out, stamp)
    files = [archive(package, out, name)]
    for table in package.tables:
        target = out / f"{table.name}.csv"
        with (
            edge.open_read(package.base, table.path) as source,
            edge.replacing(out, target) as new,
            new.open("wb") as copy,
        ):
            shutil.copyfileobj(source, copy)
        files.append(target)
    with value_view.computed(package) as view:  # once, for every format that holds it
        for target, write in (
            (f"{value_view.name()}.csv", value_csv),
            (f"{name}.sqlite", sqlite),
            (f"{name}.json", json_export),
        ):
            with edge.replacing(out, out / target) as new:
                write(package, new, view)
            files.append(out / target)
        files += exports_formats.parquet(package, out, view)
        files.append(exports_formats.workbook(package, out, view))
    files.append(croissant.write(package, out, base_url))
    listing = "".join(f"{sha256(out, p)}  {p.name}\n" for p in files)
    edge.write_text(out, sums, listing)
    edge.write_text(out, stamp, fingerprint(package, base_url))
    return [*files, sums]


def archive(package: DataPackage, out: Path, name: str) -> Path:
    """The whole package as one zip, each file read through the edge and streamed in."""
    path = out / f"{name}.zip"
    files = [(package.descriptor_path, "datapackage.json")]
    for table in package.tables:
        for part in (table.path, table.schema_path):
            files.append((part, part.relative_to(package.base).as_posix()))
    files += [(package.base / e, e) for e in ZIP_EXTRAS if os.path.lexists(package.base / e)]
    with edge.replacing(out, path) as new, zipfile.ZipFile(new, "w", zipfile.ZIP_DEFLATED) as zf:
        for source, inner in files:
            with edge.open_read(package.base, source) as file:
                info = os.fstat(file.fileno())
                when = time.localtime(info.st_mtime)[:6]
                entry = zipfile.ZipInfo(f"{name}/{inner}", max(when, (1980, 1, 1, 0, 0, 0)))
                entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
                with zf.open(entry, "w") as target:
                    shutil.copyfileobj(file, target)
    return path
