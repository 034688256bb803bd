"""Fields that only make sense together are filled together (latitude, longitude, their source)."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..i18n import _
from ..sql import q
from ._shared import raw_cells


class FilledTogetherError(errors.CellError):
    type = "filled-together"
    title = "Filled Together"
    description = "Of fields that go together, some are filled and some are empty."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(field_names: list[str], empty: list[str]) -> str:
    together, missing = ", ".join(field_names), ", ".join(empty)
    return _("{together} go together — fill in {missing} or empty them all").format(
        together=together, missing=missing
    )


@attrs.define(kw_only=True, repr=False)
class filled_together(Check):
    """All of `field_names` are filled, or none."""

    Errors = [FilledTogetherError]  # noqa: RUF012 (frictionless's interface)
    type = FilledTogetherError.type

    resource_name: str
    field_names: list[str]

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        cells = raw_cells(row)
        empty = [n for n in self.field_names if not cells.get(n)]
        if empty and len(empty) < len(self.field_names):
            note = note_for(self.field_names, empty)
            yield FilledTogetherError.from_row(row, note=note, field_name=empty[0])

    def fast(self, db) -> None:
        names = self.field_names
        filled = " + ".join(f"({q(n)} IS NOT NULL)::INT" for n in names)
        sql = (
            f"SELECT __row, {', '.join(map(q, names))} FROM {q(self.resource_name)}"
            f" WHERE ({filled}) BETWEEN 1 AND {len(names) - 1}"
        )
        for row, *values in db.rows(sql):
            empty = [n for n, v in zip(names, values, strict=True) if v is None]
            db.note(self.resource_name, row, empty[0], self.type, note_for(names, empty))
