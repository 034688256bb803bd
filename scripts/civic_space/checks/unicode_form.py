"""Text is in Unicode NFC and holds no control or invisible characters (line breaks aside)."""

from __future__ import annotations

import re
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


# Characters that are NFC-stable whatever surrounds them, none a control or invisible: a cell
# made only of these is fine. Both engines' quick pass reads this one list (the fast engine's
# RE2 candidates are every other character).
PLAIN = [(0x0A, 0x0A), (0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0xFF), (0x400, 0x482), (0x48A, 0x4FF)]
PLAIN += [(0x2010, 0x2027)]
ALL_PLAIN = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in PLAIN) + "]*")


def names(chars: set[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in sorted(chars))


def note_for(text: str) -> str | None:
    """Why the text breaks the rule, or None."""
    if ALL_PLAIN.fullmatch(text):
        return None
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
    if controls == {"\r"}:  # a Windows line break kept inside a quoted cell
        return _(
            "holds a Windows line break (CR LF, or a lone CR) inside the cell; a line break"
            " inside a cell is a plain one (LF), and `format` never changes a value"
            " — in a text editor, set the file's line endings to LF (Unix) and save it,"
            " or retype the line break in the cell"
        )
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
    # Any character outside PLAIN (NUL: the fast engine's separator between cells).
    candidates = "[^\\x{00}" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in PLAIN) + "]"

    def applies(self, table: str, field: str, kind: str, format_: str) -> bool:
        return True  # every cell, whatever its type

    def judge(self, text: str) -> str | None:
        return note_for(text)
