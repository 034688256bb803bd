"""Rows that point at a value of the package (annotations, errata) name a table, row and field that
exist, or a property of the package's own metadata that exists (table `datapackage`)."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ..descriptor_pointer import notes as descriptor_notes
from ..descriptor_pointer import points_at_descriptor
from ..i18n import _
from ..sql import lit, q, row_key
from ._shared import raw_cells, rows_by_key


class RowReferenceError(errors.CellError):
    type = "row-reference"
    title = "Row Reference"
    description = "A reference to a table, row or field of the package that does not exist."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def notes_for(
    name: str, key: str, field: str, tables: dict, has_row, package: DataPackage | None = None
) -> list[tuple[str, str]]:
    """(`table`, `field` or `key`, note) for each problem of one (table, row key, field)
    reference; `has_row(table, key)` says whether the row exists. Given the package, a pointer
    may name the descriptor instead of a table."""
    if points_at_descriptor(name, package):
        return descriptor_notes(package, key, field)
    if name not in tables:
        note = _("there is no table “{name}” — use one of: {tables}")
        return [("table", note.format(name=name, tables=", ".join(tables)))]
    found = []
    if field and field not in tables[name].field_names:
        names = ", ".join(tables[name].field_names)
        note = _("the {name} table has no field “{field}” — use one of: {names}")
        found.append(("field", note.format(name=name, field=field, names=names)))
    if key and not has_row(name, key):
        note = _("the {name} table has no row “{key}” — give its key (several joined by /)")
        found.append(("key", note.format(name=name, key=key)))
    return found


@attrs.define(kw_only=True, repr=False)
class row_reference(Check):
    """Check (resource, row key, field) triples against the package itself."""

    Errors = [RowReferenceError]  # noqa: RUF012 (frictionless's interface)
    type = RowReferenceError.type

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

        def has_row(table: str, key: str) -> bool:
            if table not in self._keys:
                self._keys[table] = rows_by_key(self.package, table)
            return key in self._keys[table]

        fields = {
            "table": self.table_field_name,
            "field": self.field_field_name,
            "key": self.key_field_name,
        }
        package = self.package if self.field_field_name else None
        for which, note in notes_for(name, key, field, tables, has_row, package):
            yield RowReferenceError.from_row(row, note=note, field_name=fields[which])

    def fast(self, db) -> None:
        tables = {t.name: t for t in db.package.tables}
        fields = [self.table_field_name, self.key_field_name, self.field_field_name]
        cols = ", ".join(f"coalesce({q(f)}, '')" if f else "''" for f in fields)
        which = dict(zip(("table", "key", "field"), fields, strict=True))

        missing: dict[str, set[str]] = {}
        table_col, key_col = q(self.table_field_name), q(self.key_field_name)

        def has_row(name: str, key: str) -> bool:
            if name not in missing:  # one anti-join per table pointed at, in DuckDB
                keys = row_key(tables[name].primary_key)
                sql = (
                    f"SELECT DISTINCT {key_col} FROM {q(self.resource_name)}"
                    f" WHERE {table_col} = {lit(name)} AND {key_col} IS NOT NULL"
                    f" AND {key_col} NOT IN (SELECT {keys} FROM {q(name)})"
                )
                missing[name] = {k for (k,) in db.rows(sql)}
            return key not in missing[name]

        package = db.package if self.field_field_name else None
        every_row = f"SELECT __row, {cols} FROM {q(self.resource_name)}"
        for row, name, key, field in db.stream(every_row):
            for part, note in notes_for(name, key, field, tables, has_row, package):
                db.note(self.resource_name, row, which[part], self.type, note)
