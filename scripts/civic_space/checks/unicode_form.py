"""Text is in Unicode NFC and holds no control or invisible characters (line breaks aside)."""

from __future__ import annotations

import unicodedata

import attrs
from frictionless import errors

from ..i18n import _
from ._shared import CellRule


class UnicodeFormError(errors.CellError):
    type = "unicode-form"
    title = "Unicode Form"
    description = "Text must be NFC-normalised and free of control and invisible characters."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


# Invisible format characters (zero-width space and joiners, soft hyphen, word joiner, a BOM
# inside a cell, bidirectional overrides and isolates: the "Trojan Source" class) and the line
# and paragraph separators. None is needed in Mongolian Cyrillic or English text.
INVISIBLE = {"Cf", "Zl", "Zp"}
# Characters no text needs: private-use and unassigned code points, lone surrogates, and U+FFFD,
# which marks bytes that a program could not read (a damaged file).
UNUSABLE = {"Co", "Cn", "Cs"}


def names(chars: set[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in sorted(chars))


def note_for(text: str) -> str | None:
    """Why the text breaks the rule, or None."""
    hidden = {c for c in text if unicodedata.category(c) in INVISIBLE}
    if hidden:
        return _(
            "holds invisible characters ({codes}) — delete them, or retype the text"
            " (neither Mongolian nor English text needs them)"
        ).format(codes=names(hidden))
    unusable = {c for c in text if unicodedata.category(c) in UNUSABLE or c == "\ufffd"}
    if unusable:
        return _(
            "holds characters no text needs ({codes}), often the trace of a damaged file"
            " — retype the text from its source"
        ).format(codes=names(unusable))
    controls = {c for c in text if unicodedata.category(c) == "Cc" and c != "\n"}
    if controls:
        codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(controls))
        return _("holds invisible control characters ({codes}) — retype the text").format(
            codes=codes
        )
    if not unicodedata.is_normalized("NFC", text):
        return _(
            "has letters built from a base letter and a separate accent (not Unicode NFC)"
            " — retype the accented letters, or paste the text through a plain-text editor"
        )
    return None


@attrs.define(kw_only=True, repr=False)
class unicode_form(CellRule):
    """Check every cell for NFC form and control characters."""

    Errors = [UnicodeFormError]  # noqa: RUF012 (frictionless's interface)
    type = UnicodeFormError.type
    # A cell made only of these characters (NFC-stable, none a control) is fine.
    candidates = (
        r"[^\x{00}\x{0a}\x{20}-\x{7e}\x{a0}-\x{ac}\x{ae}-\x{ff}\x{400}-\x{482}\x{48a}-\x{4ff}"
        r"\x{2010}-\x{2027}]"
    )

    def applies(self, table: str, field: str, kind: str, format_: str) -> bool:
        return True  # every cell, whatever its type

    def judge(self, text: str) -> str | None:
        return note_for(text)
