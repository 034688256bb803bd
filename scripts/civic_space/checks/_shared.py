"""Helpers shared by our checks: which fields hold text, and other tables' rows by key."""

from __future__ import annotations

from ..descriptor import DataPackage, PackageError
from ..formatting import read_rows
from ..gitdata import keyed


def is_free_text(kind: str) -> bool:
    """Text that the text rules (spaces, scripts, personal data) apply to: every string.

    A format or a pattern does not exempt a field: identifiers and URLs pass these rules
    anyway, and a schema edit must not switch them off (a pattern of [\\s\\S]* once did)."""
    return kind == "string"


def text_fields(resource) -> list[str]:
    """Names of the fields whose cells are free text."""
    return [f.name for f in resource.schema.fields if is_free_text(f.type)]


def raw_cells(row) -> dict[str, str]:
    """The row's cells as the text in the file, before any type conversion."""
    return {
        n: "" if c is None else str(c) for n, c in zip(row.field_names, row.cells, strict=False)
    }


def rows_by_key(package: DataPackage, table_name: str) -> dict[str, dict[str, str]]:
    """Another table's rows, as raw text, by primary key (values joined by '/').

    A table that cannot be read gives no rows: frictionless reports why on that table itself.
    """
    try:
        table = package.table(table_name)
        header, rows = read_rows(table)
    except (PackageError, StopIteration):
        return {}
    return keyed(header, rows, table.primary_key)


def unparsed(row, *field_names: str) -> bool:
    """True if any of the cells holds text that could not be read as its field's type."""
    cells = raw_cells(row)
    return any(cells.get(n) and row[n] is None for n in field_names)
