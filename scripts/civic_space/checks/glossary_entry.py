"""A glossary row does not avoid its own term: a variant that is the term itself, or a stem of
which the term is a form (`цахи` for `цахим`), would make the term the word to avoid."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from .. import glossary
from ..sql import q
from ._shared import raw_cells


class GlossaryEntryError(errors.CellError):
    type = "glossary-entry"
    title = "Glossary Entry"
    description = "A glossary row lists its own term among the variants to avoid."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


@attrs.define(kw_only=True, repr=False)
class glossary_entry(Check):
    """Each glossary row's avoided variants against its own Mongolian term."""

    Errors = [GlossaryEntryError]  # noqa: RUF012 (frictionless's interface)
    type = GlossaryEntryError.type

    resource_name: str
    mongolian_field_name: str
    avoid_field_name: str

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        cells = raw_cells(row)
        note = glossary.contradiction(
            cells[self.mongolian_field_name], cells[self.avoid_field_name]
        )
        if note:
            yield GlossaryEntryError.from_row(row, note=note, field_name=self.avoid_field_name)

    def fast(self, db) -> None:
        term, avoid = q(self.mongolian_field_name), q(self.avoid_field_name)
        sql = (
            f"SELECT __row, coalesce({term}, ''), {avoid} FROM {q(self.resource_name)}"
            f" WHERE {avoid} IS NOT NULL"
        )
        for row, own, variants in db.rows(sql):
            note = glossary.contradiction(own, variants)
            if note:
                db.note(self.resource_name, row, self.avoid_field_name, self.type, note)
