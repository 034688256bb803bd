"""No word mixes Latin and Cyrillic letters (an easy slip on a Mongolian keyboard: CHRД)."""

from __future__ import annotations

import re
import unicodedata

import attrs
from frictionless import Check, errors

from ..i18n import _
from ._shared import raw_cells, text_fields

WORD = re.compile(r"\w+")


class MixedScriptError(errors.CellError):
    type = "mixed-script"
    title = "Mixed Script"
    description = "A word mixes Latin and Cyrillic letters that look alike."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def scripts_of(word: str) -> set[str]:
    names = (unicodedata.name(c, "") for c in word if c.isalpha())
    return {n.split()[0] for n in names if n.startswith(("LATIN", "CYRILLIC"))}


def note_for(text: str) -> str | None:
    for word in WORD.findall(text):
        if len(scripts_of(word)) > 1:
            return _(
                "the word “{word}” mixes Latin and Cyrillic letters"
                " — retype it with one keyboard layout"
            ).format(word=word)
    return None


@attrs.define(kw_only=True, repr=False)
class mixed_script(Check):
    """Check text cells for words written partly in Latin, partly in Cyrillic."""

    type = "mixed-script"
    Errors = [MixedScriptError]  # noqa: RUF012 (frictionless's interface)

    # Fields that quote the source's own slips on purpose, as "resource.field".
    exempt: list[str] = attrs.field(factory=list)

    def validate_row(self, row):
        cells = raw_cells(row)
        for name in text_fields(self.resource):
            if f"{self.resource.name}.{name}" in self.exempt:
                continue
            note = note_for(cells.get(name, ""))
            if note:
                yield MixedScriptError.from_row(row, note=note, field_name=name)
