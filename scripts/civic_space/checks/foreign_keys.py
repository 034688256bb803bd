"""Foreign keys, judged as frictionless judges them, with each lookup built once per run.

frictionless builds the lookup of every foreign key of every table anew, copying and re-reading
the referenced table each time; as most tables refer to sources, that was two thirds of a
validation. This check gives frictionless's own ForeignKeyError from lookups built once, and the
reference engine hands frictionless the schemas without their foreign keys (validate.py).
"""

from __future__ import annotations

from types import SimpleNamespace

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ..formatting import read_rows
from ..policy import as_list
from ..sql import q


@attrs.define(kw_only=True, repr=False)
class foreign_keys(Check):
    """The foreign keys of each table's schema, with typed values, as frictionless has them."""

    type = "foreign-keys"
    Errors = [errors.ForeignKeyError]  # noqa: RUF012 (frictionless's interface)

    package: DataPackage
    _lookups: dict = attrs.field(factory=dict, init=False)  # (table, fields) -> typed tuples
    _keys: list = attrs.field(factory=list, init=False)  # this table's keys and their lookups

    def validate_start(self):
        self._keys = []
        for fk in self.package.table(self.resource.name).schema.get("foreignKeys", []):
            mine, theirs = as_list(fk["fields"]), as_list(fk["reference"]["fields"])
            target = fk["reference"]["resource"] or self.resource.name
            self._keys.append(
                (mine, fk["reference"]["resource"], theirs, self.lookup(target, theirs))
            )
        return []

    def lookup(self, name: str, fields: list[str]) -> set[tuple]:
        key = (name, tuple(fields))
        if key not in self._lookups:
            schema = self.resource.package.get_resource(name).schema
            readers = [schema.get_field(f) for f in fields]
            try:
                header, rows = read_rows(self.package.table(name))
            except Exception:
                header, rows = [], []  # an unreadable table: reported on the table itself
            at = [header.index(f) if f in header else None for f in fields]
            values = set()
            for row in rows:
                cells = tuple(
                    r.read_cell(row[i] if i is not None and i < len(row) else "")[0]
                    for r, i in zip(readers, at, strict=True)
                )
                if set(cells) != {None}:
                    values.add(cells)
            self._lookups[key] = values
        return self._lookups[key]

    def validate_row(self, row):
        for mine, reference, theirs, values in self._keys:
            cells = tuple(row[name] for name in mine)
            if set(cells) == {None} or cells in values:
                continue
            note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
                ", ".join(mine), ", ".join(str(c) for c in cells), reference, ", ".join(theirs)
            )
            yield errors.ForeignKeyError.from_row(
                row,
                note=note,
                field_names=list(mine),
                field_values=list(cells),
                reference_name=reference,
                reference_field_names=list(theirs),
            )

    def fast(self, db) -> None:
        """Rows whose typed key values have no match in the referenced table: one query per
        table for all its foreign keys."""
        for table in db.package.tables:
            keys = table.schema.get("foreignKeys", [])
            parts = []
            for i, fk in enumerate(keys):
                mine, theirs = as_list(fk["fields"]), as_list(fk["reference"]["fields"])
                target = fk["reference"]["resource"] or table.name
                match = " AND ".join(
                    f"s.{db.typed(a)} IS NOT DISTINCT FROM r.{db.typed(b)}"
                    for a, b in zip(mine, theirs, strict=True)
                )
                not_all_null = " OR ".join(f"s.{db.typed(a)} IS NOT NULL" for a in mine)
                parts.append(
                    f"(SELECT s.__row, {i} AS k, [{', '.join(f's.{q(f)}' for f in mine)}]"
                    f" FROM {q(table.name)} s WHERE ({not_all_null}) AND NOT EXISTS"
                    f" (SELECT 1 FROM {q(target)} r WHERE {match}))"
                )
            sql = " UNION ALL ".join(parts) + " ORDER BY __row, k"
            for row, i, values in db.stream(sql) if parts else []:
                fk = keys[i]
                error = SimpleNamespace(
                    type="foreign-key",
                    note="",
                    field_names=as_list(fk["fields"]),
                    field_cells=["" if v is None else v for v in values],
                    reference_name=fk["reference"]["resource"],
                    reference_field_names=as_list(fk["reference"]["fields"]),
                )
                db.add_error(table.name, row, error)
