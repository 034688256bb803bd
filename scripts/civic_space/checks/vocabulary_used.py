"""Every term of a vocabulary table is used: a term nobody uses is a typo or a leftover."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ..i18n import _
from ..sql import q
from ._shared import raw_cells, rows_by_key


class VocabularyUsedError(errors.CellError):
    type = "vocabulary-used"
    title = "Vocabulary Used"
    description = "A term of a controlled vocabulary that no row uses."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(term: str, user_resource: str, user_field: str) -> str:
    return _(
        "no row of {table} uses “{term}” — use it in {table}.{field}, or remove the term"
    ).format(table=user_resource, term=term, field=user_field)


@attrs.define(kw_only=True, repr=False)
class vocabulary_used(Check):
    """Each key of `resource_name` appears in `user_resource_name`.`user_field_name`."""

    Errors = [VocabularyUsedError]  # noqa: RUF012 (frictionless's interface)
    type = VocabularyUsedError.type

    package: DataPackage
    resource_name: str
    field_name: str
    user_resource_name: str
    user_field_name: str
    _used: set = attrs.field(factory=set, init=False)

    def validate_start(self):
        if self.resource.name == self.resource_name:
            users = rows_by_key(self.package, self.user_resource_name).values()
            self._used = {r.get(self.user_field_name) for r in users}
        yield from []

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        term = raw_cells(row)[self.field_name]
        if term not in self._used:
            note = note_for(term, self.user_resource_name, self.user_field_name)
            yield VocabularyUsedError.from_row(row, note=note, field_name=self.field_name)

    def fast(self, db) -> None:
        term, used = q(self.field_name), q(self.user_field_name)
        sql = (
            f"SELECT __row, {term} FROM {q(self.resource_name)} v WHERE NOT EXISTS"
            f" (SELECT 1 FROM {q(self.user_resource_name)} u WHERE u.{used} = v.{term})"
        )
        for row, value in db.rows(sql):
            note = note_for(value, self.user_resource_name, self.user_field_name)
            db.note(self.resource_name, row, self.field_name, self.type, note)
