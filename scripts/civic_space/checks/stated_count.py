"""Declared counts (the counts table) have formulas that read, over tables and fields that
exist; and where the report states the same figure, the data's count agrees with it."""

from __future__ import annotations

import csv

import attrs
from frictionless import Check, errors

from .. import figures
from ..descriptor import DataPackage, PackageError
from ..i18n import _
from ..sql import lit, q
from ._shared import raw_cells, rows_by_key


class StatedCountError(errors.CellError):
    type = "stated-count"
    title = "Stated Count"
    description = (
        "A count whose formula cannot be read, or that disagrees with the figure the report states."
    )
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


# How a count agrees with the figure it is checked against, by the figure's qualifier.
AGREES = {
    "exact": lambda counted, stated: counted == stated,
    "at-least": lambda counted, stated: counted >= stated,
    "at-most": lambda counted, stated: counted <= stated,
}


@attrs.define(kw_only=True)
class Names:
    """The fields the check reads (declared in checks/__init__.py, the one place)."""

    counts: str  # the table of declared counts
    key: str
    formula: str
    metric: str  # the stated figure it is checked against
    metrics: str  # the table of figures, its value and qualifier
    value: str
    qualifier: str
    errata: str  # the errata table: table, row key, field and kind of each erratum
    errata_table: str
    errata_key: str
    errata_field: str
    errata_kind: str
    contradiction: str


def notes(package: DataPackage, n: Names, source: figures.Source) -> dict[str, list]:
    """{count id: [(field, note), …]} for every declared count with a problem."""
    counts = rows_by_key(package, n.counts)
    metrics = rows_by_key(package, n.metrics)
    recorded = {
        r.get(n.errata_key, "")
        for r in rows_by_key(package, n.errata).values()
        if (r.get(n.errata_table), r.get(n.errata_field), r.get(n.errata_kind))
        == (n.metrics, n.value, n.contradiction)
    }
    found: dict[str, list] = {}
    for key, row in counts.items():
        if key in metrics:
            note = _("{key} is also a figure of the {metrics} table — give the count another name")
            found.setdefault(key, []).append((n.key, note.format(key=key, metrics=n.metrics)))
        try:
            figures.check(package, row.get(n.formula, ""))
        except figures.FormulaError as exc:
            fix = _("write it as the field's description says")
            found.setdefault(key, []).append((n.formula, f"{exc} — {fix}"))
    try:
        values = figures.evaluate(
            package, {k: r.get(n.formula, "") for k, r in counts.items()}, source
        )
    except (PackageError, OSError, UnicodeDecodeError, csv.Error):
        return found  # a table that cannot be read is reported on that table itself
    for key, counted in values.items():
        metric = counts[key].get(n.metric, "")
        stated = metrics.get(metric, {})
        if metric and isinstance(counted, dict):
            note = _(
                "a count by groups has one value per group, so it checks no one figure — leave"
                " {field} empty"
            ).format(field=n.metric)
            found.setdefault(key, []).append((n.metric, note))
            continue
        if not metric or not stated.get(n.value, "").isdigit() or metric in recorded:
            continue
        qualifier = stated.get(n.qualifier, "")
        if qualifier not in AGREES:
            note = _(
                "{metric} is {qualifier}, so no count can check it — leave {field} empty"
            ).format(metric=metric, qualifier=qualifier, field=n.metric)
        elif AGREES[qualifier](counted, int(stated[n.value])):
            continue
        else:
            note = _(
                "the data counts {counted} ({formula}), but the report states {stated}"
                " ({qualifier}, {metrics}/{metric}) — update the figure or record an erratum"
                " (of kind {kind}, on {metrics}/{metric}/{value})"
            ).format(
                counted=counted,
                formula=counts[key].get(n.formula, ""),
                stated=stated[n.value],
                qualifier=qualifier,
                metrics=n.metrics,
                metric=metric,
                kind=n.contradiction,
                value=n.value,
            )
        found.setdefault(key, []).append((n.metric, note))
    return found


@attrs.define(kw_only=True, repr=False)
class stated_count(Check):
    """Read each declared count's formula and compare it with the figure the report states."""

    Errors = [StatedCountError]  # noqa: RUF012 (frictionless's interface)
    type = StatedCountError.type

    package: DataPackage
    names: Names
    _found: dict = attrs.field(factory=dict, init=False)

    def validate_start(self):
        if self.resource.name == self.names.counts:
            self._found = notes(self.package, self.names, figures.file_source(self.package))
        yield from []

    def validate_row(self, row):
        if self.resource.name != self.names.counts:
            return
        for field, note in self._found.get(raw_cells(row).get(self.names.key, ""), []):
            yield StatedCountError.from_row(row, note=note, field_name=field)

    def fast(self, db) -> None:
        found = notes(db.package, self.names, figures.sql_source(db.package, db.con, q))
        key, keys = q(self.names.key), ", ".join(map(lit, found)) or "NULL"
        sql = f"SELECT __row, {key} FROM {q(self.names.counts)} WHERE {key} IN ({keys})"
        for row, key in db.rows(sql):
            for field, note in found.get(key, []):
                db.note(self.names.counts, row, field, self.type, note)
