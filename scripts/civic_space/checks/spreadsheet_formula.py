"""No text cell starts like a spreadsheet formula (=, +, -, @, tab or CR): CSV injection."""

from __future__ import annotations

import attrs
from frictionless import errors

from ..i18n import _
from ._shared import CELL_START, CellRule

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetFormulaError(errors.CellError):
    type = "spreadsheet-formula"
    title = "Spreadsheet Formula"
    description = "A cell that a spreadsheet would run as a formula when the CSV is opened."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(text: str) -> str | None:
    if text.startswith(FORMULA_STARTS):
        return _(
            "starts with {char}, so a spreadsheet would run it as a formula"
            " — reword it so that it starts with a letter or digit"
        ).format(char=repr(text[:1]))
    return None


@attrs.define(kw_only=True, repr=False)
class spreadsheet_formula(CellRule):
    """Refuse string cells that Excel or LibreOffice would execute."""

    Errors = [SpreadsheetFormulaError]  # noqa: RUF012 (frictionless's interface)
    type = SpreadsheetFormulaError.type
    candidates = rf"{CELL_START}[=+\-@\t\r]"

    def applies(self, table: str, field: str, kind: str, format_: str) -> bool:
        return kind == "string"  # a number may start with - or +

    def judge(self, text: str) -> str | None:
        return note_for(text)
