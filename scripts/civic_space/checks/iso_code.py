"""ISO codes of places must exist, and be of the place's level, in ISO 3166 (via pycountry)."""

from __future__ import annotations

import attrs
import pycountry
from frictionless import Check, errors

from ..i18n import _
from ..sql import q
from ._shared import raw_cells


# Which kind of ISO entry each level of place must have; levels not listed have no ISO code.
def how() -> str:
    return _("look the code up in ISO 3166-2:MN (MN-1 is Ulaanbaatar, provinces are MN-0NN)")


ISO_TYPE_BY_LEVEL = {"country": "country", "province": "Province", "capital": "Capital city"}


class IsoCodeError(errors.CellError):
    type = "iso-code"
    title = "ISO Code"
    description = "The ISO 3166 code does not exist or does not fit the place's level."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def iso_type(code: str) -> str | None:
    """The kind of ISO 3166 entry a code names ("country", "Province", …), or None."""
    if "-" not in code:
        return "country" if pycountry.countries.get(alpha_2=code) else None
    subdivision = pycountry.subdivisions.get(code=code)
    return subdivision.type if subdivision else None


def note_for(code: str, level: str) -> str | None:
    expected = ISO_TYPE_BY_LEVEL.get(level)
    if not code:
        if not expected:
            return None
        return _("a place of level {level} needs its ISO 3166 code — {how}").format(
            level=level, how=how()
        )
    found = iso_type(code)
    if found is None:
        return _("“{code}” is not an ISO 3166 code — {how}").format(code=code, how=how())
    if expected is None:
        return _(
            "a place of level {level} has no ISO code, but “{code}” is given — empty the cell"
        ).format(level=level, code=code)
    if found != expected:
        return _("“{code}” is the code of a {found}, not of a {level} — {how}").format(
            code=code, found=found.lower(), level=level, how=how()
        )
    return None


@attrs.define(kw_only=True, repr=False)
class iso_code(Check):
    """Check a place's ISO code against pycountry and the place's level."""

    Errors = [IsoCodeError]  # noqa: RUF012 (frictionless's interface)
    type = IsoCodeError.type

    resource_name: str
    field_name: str
    level_field_name: str

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        cells = raw_cells(row)
        note = note_for(cells[self.field_name], cells[self.level_field_name])
        if note:
            yield IsoCodeError.from_row(row, note=note, field_name=self.field_name)

    def fast(self, db) -> None:
        t, code, level = q(self.resource_name), q(self.field_name), q(self.level_field_name)
        sql = f"SELECT __row, coalesce({code}, ''), coalesce({level}, '') FROM {t}"
        for row, value, lvl in db.rows(sql):
            note = note_for(value, lvl)
            if note:
                db.note(self.resource_name, row, self.field_name, self.type, note)
