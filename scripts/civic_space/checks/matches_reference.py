"""A field repeats what the row it references says: an issue's site is its workshop's place."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ..i18n import _
from ..sql import q
from ._shared import raw_cells, rows_by_key


class MatchesReferenceError(errors.CellError):
    type = "matches-reference"
    title = "Matches Reference"
    description = "A value disagrees with the same value in the row it references."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(
    value: str, target: str, via: str, via_field: str, target_field: str, expected: str
) -> str:
    return _(
        "is “{value}”, but {target} row “{via}” ({via_field}) has {target_field} “{expected}”"
        " — make them agree (one of the two is wrong)"
    ).format(
        value=value,
        target=target,
        via=via,
        via_field=via_field,
        target_field=target_field,
        expected=expected,
    )


@attrs.define(kw_only=True, repr=False)
class matches_reference(Check):
    """row[field_name] must equal target[target_field_name] of the row that row[via] names."""

    Errors = [MatchesReferenceError]  # noqa: RUF012 (frictionless's interface)
    type = MatchesReferenceError.type

    package: DataPackage
    resource_name: str
    field_name: str
    via_field_name: str
    target_resource_name: str
    target_field_name: str
    _targets: dict = attrs.field(factory=dict, init=False)

    def validate_start(self):
        if self.resource.name == self.resource_name:
            self._targets = rows_by_key(self.package, self.target_resource_name)
        yield from []

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        cells = raw_cells(row)
        target = self._targets.get(cells[self.via_field_name])
        if target is None:
            return  # a broken reference is the foreign-key check's to report
        expected, value = target.get(self.target_field_name, ""), cells[self.field_name]
        if value != expected:
            note = note_for(
                value,
                self.target_resource_name,
                cells[self.via_field_name],
                self.via_field_name,
                self.target_field_name,
                expected,
            )
            yield MatchesReferenceError.from_row(row, note=note, field_name=self.field_name)

    def fast(self, db) -> None:
        t, r = q(self.resource_name), q(self.target_resource_name)
        target_key = q(db.package.table(self.target_resource_name).primary_key[0])
        mine, theirs, via = q(self.field_name), q(self.target_field_name), q(self.via_field_name)
        sql = (
            f"SELECT s.__row, coalesce(s.{mine}, ''), s.{via}, coalesce(r.{theirs}, '')"
            f" FROM {t} s JOIN {r} r ON s.{via} = r.{target_key}"
            f" WHERE coalesce(s.{mine}, '') <> coalesce(r.{theirs}, '')"
        )
        for row, value, key, expected in db.rows(sql):
            note = note_for(
                value,
                self.target_resource_name,
                key,
                self.via_field_name,
                self.target_field_name,
                expected,
            )
            db.note(self.resource_name, row, self.field_name, self.type, note)
