"""No word mixes Latin and Cyrillic letters (an easy slip on a Mongolian keyboard: CHRД)."""

from __future__ import annotations

import re
import unicodedata

import attrs
from frictionless import errors

from ..i18n import _
from ._shared import CellRule, is_free_text

WORD = re.compile(r"\w+")
# Every letter Unicode names CYRILLIC lies in these blocks; a text without one of them, or
# without any other letter, cannot mix the two scripts (a quick exit, before naming letters).
CYRILLIC_BLOCKS = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f\U0001e030-\U0001e08f"
CYRILLIC = re.compile(f"[{CYRILLIC_BLOCKS}]")
OTHER_LETTER = re.compile(f"[^\\W\\d_{CYRILLIC_BLOCKS}]")


class MixedScriptError(errors.CellError):
    type = "mixed-script"
    title = "Mixed Script"
    description = "A word mixes Latin and Cyrillic letters that look alike."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def scripts_of(word: str) -> set[str]:
    names = (unicodedata.name(c, "") for c in word if c.isalpha())
    return {n.split()[0] for n in names if n.startswith(("LATIN", "CYRILLIC"))}


def note_for(text: str) -> str | None:
    if not CYRILLIC.search(text) or not OTHER_LETTER.search(text):
        return None
    for word in WORD.findall(text):
        if len(scripts_of(word)) > 1:
            return _(
                "the word “{word}” mixes Latin and Cyrillic letters"
                " — retype it with one keyboard layout"
            ).format(word=word)
    return None


@attrs.define(kw_only=True, repr=False)
class mixed_script(CellRule):
    """Check text cells for words written partly in Latin, partly in Cyrillic."""

    Errors = [MixedScriptError]  # noqa: RUF012 (frictionless's interface)
    type = MixedScriptError.type

    # Fields that quote the source's own slips on purpose, as "resource.field".
    exempt: list[str] = attrs.field(factory=list)

    # Between two letters of one Python word there are only word characters, none of them ASCII
    # space or punctuation (nor the NUL between cells): a small superset of the words judged.
    candidates = (
        r"\p{Latin}[^\s,.;:!?()/\x{00}-]*\p{Cyrillic}|\p{Cyrillic}[^\s,.;:!?()/\x{00}-]*\p{Latin}"
    )

    def applies(self, table: str, field: str, kind: str, format_: str) -> bool:
        return is_free_text(kind) and f"{table}.{field}" not in self.exempt

    def judge(self, text: str) -> str | None:
        return note_for(text)
