"""No cell holds more characters than a spreadsheet cell can (files.MAX_CELL_CHARS): what the
gate accepts, the .xlsx download and the import template hold whole, with no silent cut."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from .. import files
from ..i18n import _
from ..sql import q
from ._shared import raw_cells


class CellLengthError(errors.CellError):
    type = "cell-too-long"
    title = "Cell Too Long"
    description = "A cell holds more characters than a spreadsheet cell can."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(length: int) -> str | None:
    """Why a cell of `length` characters breaks the rule, or None."""
    if length <= files.MAX_CELL_CHARS:
        return None
    return _(
        "holds {count:,} characters; a cell may hold at most {limit:,}, the most a spreadsheet"
        " cell holds (the .xlsx download would cut it) — shorten the text, and put the full"
        " text in a source the row cites"
    ).format(count=length, limit=files.MAX_CELL_CHARS)


@attrs.define(kw_only=True, repr=False)
class cell_length(Check):
    """Every cell, whatever its type, within the spreadsheet's cell limit."""

    Errors = [CellLengthError]  # noqa: RUF012 (frictionless's interface)
    type = CellLengthError.type

    def validate_row(self, row):
        for name, text in raw_cells(row).items():
            note = note_for(len(text))
            if note:
                yield self.Errors[0].from_row(row, note=note, field_name=name)

    def fast(self, db) -> None:
        """The same rule in SQL: DuckDB's length() counts code points, as Python's len()."""
        for table in db.package.tables:
            names = table.field_names
            lengths = ", ".join(f"coalesce(length({q(n)}), 0)" for n in names)
            over = " OR ".join(f"length({q(n)}) > {files.MAX_CELL_CHARS}" for n in names)
            sql = f"SELECT __row, {lengths} FROM {q(table.name)} WHERE {over} ORDER BY __row"
            for row, *counted in db.rows(sql):
                for name, length in zip(names, counted, strict=True):
                    note = note_for(length)
                    if note:
                        db.note(table.name, row, name, self.type, note)
