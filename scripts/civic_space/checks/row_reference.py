"""Rows that point at a row of any table (errata) name a table, row and field that exist."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ._shared import raw_cells, rows_by_key


class RowReferenceError(errors.CellError):
    type = "row-reference"
    title = "Row Reference"
    description = "A reference to a table, row or field of the package that does not exist."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


@attrs.define(kw_only=True, repr=False)
class row_reference(Check):
    """Check (resource, row key, field) triples against the package itself."""

    type = "row-reference"
    Errors = [RowReferenceError]  # noqa: RUF012 (frictionless's interface)

    package: DataPackage
    resource_name: str
    table_field_name: str
    key_field_name: str
    field_field_name: str
    _keys: dict = attrs.field(factory=dict, init=False)

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        cells = raw_cells(row)
        name, key, field = (
            cells.get(f, "")
            for f in (self.table_field_name, self.key_field_name, self.field_field_name)
        )
        tables = {t.name: t for t in self.package.tables}
        if name not in tables:
            note = f"there is no table “{name}” — use one of: {', '.join(tables)}"
            yield RowReferenceError.from_row(row, note=note, field_name=self.table_field_name)
            return
        if field and field not in tables[name].field_names:
            names = ", ".join(tables[name].field_names)
            note = f"the {name} table has no field “{field}” — use one of: {names}"
            yield RowReferenceError.from_row(row, note=note, field_name=self.field_field_name)
        if key:
            if name not in self._keys:
                self._keys[name] = rows_by_key(self.package, name)
            if key not in self._keys[name]:
                note = f"the {name} table has no row “{key}” — give its key (several joined by /)"
                yield RowReferenceError.from_row(row, note=note, field_name=self.key_field_name)
