"""Mongolian twins are written in Mongolian Cyrillic: the Russian alphabet plus the letters
barred O and straight U, and no letters of other Cyrillic alphabets that look like them (Kazakh
straight U with stroke, the old fita for barred O)."""

from __future__ import annotations

import re

import attrs
from frictionless import Check, errors

from ..i18n import _
from ..sql import lit, q
from ._shared import raw_cells

MONGOLIAN = set("АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ" + "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя")
CYRILLIC = re.compile(r"[\u0400-\u052f]")


class MongolianScriptError(errors.CellError):
    type = "mongolian-script"
    title = "Mongolian Script"
    description = (
        "A Mongolian text has no Cyrillic, or letters that are not in the Mongolian alphabet."
    )
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(text: str) -> str | None:
    if not text:
        return None
    if not CYRILLIC.search(text):
        return _("has no Cyrillic letters — write the Mongolian text in Cyrillic")
    foreign = sorted({c for c in CYRILLIC.findall(text) if c not in MONGOLIAN})
    if foreign:
        letters = ", ".join(f"{c} (U+{ord(c):04X})" for c in foreign)
        return _(
            "has letters that are not in the Mongolian alphabet: {letters}"
            " — type them with a Mongolian keyboard layout ({mongolian})"
        ).format(letters=letters, mongolian="\u04e8 \u04e9 \u04ae \u04af")
    return None


@attrs.define(kw_only=True, repr=False)
class mongolian_script(Check):
    """Check the Mongolian twin fields (`*_mn`) for Mongolian Cyrillic."""

    Errors = [MongolianScriptError]  # noqa: RUF012 (frictionless's interface)
    type = MongolianScriptError.type

    # {resource name: [twin field names]}, from the schemas' naming convention
    fields: dict[str, list[str]]

    def validate_row(self, row):
        cells = raw_cells(row)
        for name in self.fields.get(self.resource.name, []):
            note = note_for(cells.get(name, ""))
            if note:
                yield MongolianScriptError.from_row(row, note=note, field_name=name)

    def fast(self, db) -> None:
        # Candidates: no Cyrillic at all, or a Cyrillic letter outside the Mongolian alphabet.
        other = r"[\x{400}\x{402}-\x{40f}\x{450}\x{452}-\x{4ad}\x{4b0}-\x{4e7}\x{4ea}-\x{52f}]"
        candidate = lit(rf"^[^\x{{400}}-\x{{52f}}]*$|{other}")
        for table, names in self.fields.items():
            for name in names:
                sql = (
                    f"SELECT __row, {q(name)} FROM {q(table)}"
                    f" WHERE regexp_matches({q(name)}, {candidate})"
                )
                for row, value in db.rows(sql):
                    note = note_for(value)
                    if note:
                        db.note(table, row, name, self.type, note)
