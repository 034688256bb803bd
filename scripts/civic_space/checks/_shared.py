"""Helpers shared by our checks: which fields hold text, other tables' rows by key, and the
base of the rules that judge one cell at a time."""

from __future__ import annotations

from typing import ClassVar

from frictionless import Check

from ..descriptor import DataPackage, PackageError
from ..formatting import read_rows
from ..gitdata import keyed


def is_free_text(kind: str) -> bool:
    """Text that the text rules (spaces, scripts, personal data) apply to: every string.

    A format or a pattern does not exempt a field: identifiers and URLs pass these rules
    anyway, and a schema edit must not switch them off (a pattern of [\\s\\S]* once did)."""
    return kind == "string"


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


# Where a cell starts and ends in the fast engine's scan, which joins a row's cells with NUL
# (no cell holds NUL: the preflight refuses it).
CELL_START, CELL_END = r"(?:^|\x{00})", r"(?:$|\x{00})"


class CellRule(Check):
    """A rule on one cell's text, judged alike by both engines.

    A subclass gives `applies` (which fields), `judge` (the rule: why a cell breaks it, or
    None) and `candidates`: an RE2 pattern that matches, within a row's NUL-joined cells, every
    cell `judge` flags. The fast engine judges only the rows it matches; a property test proves
    that it never misses one (tests/test_rules.py)."""

    candidates: ClassVar[str]
    _names: ClassVar[list[str]] = []  # the fields of the table in hand that the rule applies to

    def applies(self, table: str, field: str, kind: str, format_: str) -> bool:
        return is_free_text(kind)

    def judge(self, text: str) -> str | None:
        raise NotImplementedError

    def validate_start(self):
        name = self.resource.name
        fields = self.resource.schema.fields
        self._names = [f.name for f in fields if self.applies(name, f.name, f.type, f.format)]
        yield from []

    def validate_row(self, row):
        cells = raw_cells(row)
        for name in self._names:
            text = cells.get(name, "")
            note = self.judge(text) if text else None
            if note:
                yield self.Errors[0].from_row(row, note=note, field_name=name)
