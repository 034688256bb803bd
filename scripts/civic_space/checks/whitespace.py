"""Text has no leading, trailing or doubled spaces."""

from __future__ import annotations

import attrs
from frictionless import errors

from ..i18n import _
from ._shared import CELL_END, CELL_START, CellRule

SPACE = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"  # what Python's str.strip() removes


class WhitespaceError(errors.CellError):
    type = "whitespace"
    title = "Whitespace"
    description = "Text must not start or end with spaces, nor hold two spaces in a row."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(text: str) -> str | None:
    if text != text.strip():
        return _("starts or ends with a space or line break — delete it")
    if "  " in text:
        return _("has two spaces in a row — make them one")
    return None


@attrs.define(kw_only=True, repr=False)
class whitespace(CellRule):
    """Check text cells for stray spaces, which make equal values look different."""

    Errors = [WhitespaceError]  # noqa: RUF012 (frictionless's interface)
    type = WhitespaceError.type
    candidates = f"{CELL_START}{SPACE}|{SPACE}{CELL_END}|  "

    def judge(self, text: str) -> str | None:
        return note_for(text)
