"""Two more downloads, for readers with other tools: Parquet (one file a table, typed as the
schema says, its Table Schema in the file's metadata) and an .xlsx workbook of the data (the
editing template, pre-filled: one sheet a table, text as text, and the per-value view read-only),
written so that two builds of the same data give the same bytes."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from . import edge, lexical, value_view
from .descriptor import DataPackage
from .sql import lit, q, read_csv

# The fixed time written into the workbook (its properties and its zip entries): the earliest
# a zip can hold, so that only the data decides the bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def typed_column(field: dict, where: str = "") -> str:
    """SQL for one column of a Parquet file: the CSV's text as the field's type, read in the
    type's canonical form (lexical.py), '' as null; text not in the form stops the export."""
    col, kind = q(field["name"]), field.get("type", "string")
    form = lexical.form(kind)
    if form is None:
        return f"nullif({col}, '') AS {col}"
    return f"{form.sql_checked(col, where or field['name'])} AS {col}"


def parquet(package: DataPackage, out: Path, view: value_view.View | None = None) -> list[Path]:
    """One Parquet file a table; empty cells are nulls, and the file's key-value metadata holds
    the table's schema (fields, primary and foreign keys) as JSON under `table_schema`."""
    import duckdb

    written = []
    con = duckdb.connect()
    try:
        for table in package.tables:
            reader = read_csv(table.path, table.field_names)
            cells = ", ".join(typed_column(f, f"{table.name}.{f['name']}") for f in table.fields)
            target = out / f"{table.name}.parquet"
            schema = json.dumps(table.schema, ensure_ascii=False, sort_keys=True)
            with edge.replacing(out, target) as new:
                con.execute(
                    f"COPY (SELECT {cells} FROM {reader}) TO {lit(str(new))}"
                    f" (FORMAT parquet, KV_METADATA {{table_schema: {lit(schema)}}})"
                )
            written.append(target)
    finally:
        con.close()
    return [*written, value_parquet(package, out, view)]


def value_parquet(package: DataPackage, out: Path, view: value_view.View | None = None) -> Path:
    """The per-value view (value_view) as a Parquet file, its schema in the metadata as the
    tables' are."""
    target = out / f"{value_view.name()}.parquet"
    schema = json.dumps(value_view.schema(package), ensure_ascii=False, sort_keys=True)
    with value_view.given(package, view) as view, edge.replacing(out, target) as new:
        view.copy_to(new, f"FORMAT parquet, KV_METADATA {{table_schema: {lit(schema)}}}")
    return target


def workbook(package: DataPackage, out: Path, view: value_view.View | None = None) -> Path:
    """The data as an .xlsx workbook, the same bytes for the same data: the pre-filled editing
    template (with the per-value view as a read-only sheet), with its stored times fixed."""
    from .workbook_template import template

    path = out / f"{package.descriptor['name']}-{package.descriptor['version']}.xlsx"
    with edge.replacing(out, path) as new:
        template(package, new, prefill=True, view=view)
        fixed(new)
    return path


def fixed(path: Path) -> None:
    """Rewrite an .xlsx with every stored time fixed (entry times and the document's created
    and modified properties), keeping its entries, their order and their contents."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = CORE_TIMES.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            stamped = zipfile.ZipInfo(info.filename, ZIP_EPOCH)
            stamped.compress_type, stamped.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(stamped, data)
