"""Text has no leading, trailing or doubled spaces."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..i18n import _
from ._shared import raw_cells, text_fields


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
class whitespace(Check):
    """Check text cells for stray spaces, which make equal values look different."""

    type = "whitespace"
    Errors = [WhitespaceError]  # noqa: RUF012 (frictionless's interface)

    def validate_row(self, row):
        cells = raw_cells(row)
        for name in text_fields(self.resource):
            note = note_for(cells.get(name, ""))
            if note:
                yield WhitespaceError.from_row(row, note=note, field_name=name)
