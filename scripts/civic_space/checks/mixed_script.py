"""No word mixes letters of two scripts: CHRД, typed half on a Mongolian keyboard, or a Latin
word with a Cyrillic or Greek look-alike in it (Cyrillic a, e, o, p, c; Greek omicron).

A letter's script is its Unicode Script property. Letters of no one script (Common, such as µ)
fit with any, and the scripts that one writing system mixes by design count as that system
(UTS #39's augmented sets: Han with Hiragana and Katakana, with Hangul, with Bopomofo).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import attrs
import unicodedataplus
from frictionless import errors

from ..i18n import _
from ._shared import CellRule, is_free_text

WORD = re.compile(r"\w+")
ANY = {"Common", "Inherited", "Unknown"}  # letters that fit with any script
# The writing systems each of these scripts is part of.
AUGMENTED = {
    "Han": {"Han", "Japanese", "Korean", "Han with Bopomofo"},
    "Hiragana": {"Hiragana", "Japanese"},
    "Katakana": {"Katakana", "Japanese"},
    "Hangul": {"Hangul", "Korean"},
    "Bopomofo": {"Bopomofo", "Han with Bopomofo"},
}


class MixedScriptError(errors.CellError):
    type = "mixed-script"
    title = "Mixed Script"
    description = "A word mixes letters of two scripts, such as Latin and Cyrillic look-alikes."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


@lru_cache(maxsize=8192)
def script(letter: str) -> str:
    """A letter's Unicode script: "Latin", "Cyrillic", "Common", …"""
    return unicodedataplus.script(letter)


def scripts_of(word: str) -> list[str]:
    """The scripts of a word's letters, in order, less those that fit with any."""
    return [s for s in map(script, filter(str.isalpha, word)) if s not in ANY]


def mixes(word: str) -> bool:
    """Whether no one writing system has every letter of the word."""
    common: set[str] | None = None
    for name in set(scripts_of(word)):
        systems = AUGMENTED.get(name, {name})
        common = systems if common is None else common & systems
        if not common:
            return True
    return False


def note_for(text: str) -> str | None:
    if text.isascii():  # every ASCII letter is Latin
        return None
    for word in WORD.findall(text):
        if not word.isascii() and mixes(word):
            main = Counter(scripts_of(word)).most_common(1)[0][0]
            odd = dict.fromkeys(c for c in word if c.isalpha() and script(c) not in ANY | {main})
            return _(
                "the word “{word}” mixes scripts: {letters} ({scripts}) among {main} letters"
                " — retype it with one keyboard layout"
            ).format(
                word=word,
                letters=" ".join(odd),
                scripts=", ".join(dict.fromkeys(map(script, odd))),
                main=main,
            )
    return None


@attrs.define(kw_only=True, repr=False)
class mixed_script(CellRule):
    """Check text cells for words written partly in one script, partly in another."""

    Errors = [MixedScriptError]  # noqa: RUF012 (frictionless's interface)
    type = MixedScriptError.type

    # Fields that quote the source's own slips on purpose, as "resource.field".
    exempt: list[str] = attrs.field(factory=list)

    # A word that mixes scripts has a Latin and a Cyrillic letter, or a letter of a third script
    # (rare here: any cell with one is judged). Between two letters of one Python word there are
    # only word characters, none of them ASCII space or punctuation (nor the NUL between cells).
    candidates = (
        r"\p{Latin}[^\s,.;:!?()/\x{00}-]*\p{Cyrillic}|\p{Cyrillic}[^\s,.;:!?()/\x{00}-]*\p{Latin}"
        r"|[^\p{Latin}\p{Cyrillic}\p{Common}\p{Inherited}]"
    )

    def applies(self, table: str, field: str, kind: str, format_: str) -> bool:
        return is_free_text(kind) and f"{table}.{field}" not in self.exempt

    def judge(self, text: str) -> str | None:
        return note_for(text)
