"""No e-mail address or phone number in free text: participants' personal data stays out."""

from __future__ import annotations

import re

import attrs
from frictionless import errors

from ..i18n import _
from ._shared import CellRule

# A match may start only where a run of address characters starts: searching a long word then
# costs one pass, not one pass per letter (200,000 letters took minutes).
# At signs and dots include their full-width and small look-alikes, which read the same.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+[@\uff20\ufe6b][\w-]+([.\uff0e][\w-]+)+")
# International numbers, and Mongolian 8-digit numbers; long digit runs (IDs) do not match.
PHONE = re.compile(r"(?<![\w/])(\+\d{1,3}[ -]?)?(\(\d{2,4}\)[ -]?)?\d{4}[ -]?\d{4}(?![\w/])")


class PersonalDataError(errors.CellError):
    type = "personal-data"
    title = "Personal Data"
    description = "Free text that looks like an e-mail address or a phone number."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(text: str) -> str | None:
    found = (EMAIL.search(text) and _("an e-mail address")) or (
        PHONE.search(text) and _("a phone number")
    )
    if found:
        return _(
            "looks like it holds {found} — this dataset holds no personal data of"
            " participants; remove it (an organisation's website can go in a url field)"
        ).format(found=found)
    return None


@attrs.define(kw_only=True, repr=False)
class personal_data(CellRule):
    """Refuse text that holds contact details of a person."""

    Errors = [PersonalDataError]  # noqa: RUF012 (frictionless's interface)
    type = PersonalDataError.type
    # An at sign (or a look-alike), or eight digits with at most one space or dash among them.
    candidates = r"[@\x{ff20}\x{fe6b}]|\p{Nd}{4}[ -]?\p{Nd}{4}"

    def judge(self, text: str) -> str | None:
        return note_for(text)
