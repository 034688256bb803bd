"""Prose does not restate a figure that lives in the metrics table: when the metric changes,
a number copied into a description would not, and a page would show both."""

from __future__ import annotations

import re

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ..i18n import _
from ..lexical import FORMS
from ..sql import lit, q
from ._shared import raw_cells, rows_by_key

INTEGER = FORMS["integer"]  # figures are read in their canonical form, as validation reads them

# A number as prose writes it: 3281, 3,281 or 3 281 (thousands grouped by a comma or space).
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[, \u00a0]\d{3})+(?![\d])|(?<![\d.,])\d+(?![\d])")


class RestatedFigureError(errors.CellError):
    type = "restated-figure"
    title = "Restated Figure"
    description = "Prose that repeats a number the metrics table holds for the same row."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(text: str, figures: dict[int, str], metrics: str) -> str | None:
    """Why the text restates one of `figures` (value -> metric id), or None."""
    for found in NUMBER.findall(text):
        metric = figures.get(int(re.sub(r"\D", "", found)))
        if metric:
            return _(
                "restates {number}, the value of {table}/{metric}"
                " — drop the number from the text, or refer to the metric instead"
            ).format(number=found, table=metrics, metric=metric)
    return None


@attrs.define(kw_only=True, repr=False)
class restated_figure(Check):
    """The prose fields of `resource_name` hold no number that a metric of the same row has
    (metrics point at the row through `key_field_name`, a field of both tables)."""

    Errors = [RestatedFigureError]  # noqa: RUF012 (frictionless's interface)
    type = RestatedFigureError.type

    package: DataPackage
    resource_name: str
    key_field_name: str
    field_names: list[str]
    metrics_resource_name: str
    metrics_field_name: str
    _figures: dict = attrs.field(factory=dict, init=False)  # row key -> {value: metric id}

    def figures(self) -> dict[str, dict[int, str]]:
        """{row key: {value: metric id}}; an unreadable metrics table gives none (it is
        reported on that table itself)."""
        found: dict[str, dict[int, str]] = {}
        for metric, row in rows_by_key(self.package, self.metrics_resource_name).items():
            key, value = row.get(self.key_field_name), row.get(self.metrics_field_name, "")
            number = INTEGER.parse(value)
            if key and number is not None and number >= 0:
                found.setdefault(key, {})[number] = metric
        return found

    def validate_start(self):
        if self.resource.name == self.resource_name:
            self._figures = self.figures()
        yield from []

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        cells = raw_cells(row)
        figures = self._figures.get(cells.get(self.key_field_name, ""), {})
        for name in self.field_names if figures else []:
            note = note_for(cells.get(name, ""), figures, self.metrics_resource_name)
            if note:
                yield RestatedFigureError.from_row(row, note=note, field_name=name)

    def fast(self, db) -> None:
        figures = self.figures()
        key = q(self.key_field_name)
        keys = ", ".join(map(lit, figures)) or "NULL"
        cols = ", ".join(q(n) for n in self.field_names)
        sql = f"SELECT __row, {key}, {cols} FROM {q(self.resource_name)} WHERE {key} IN ({keys})"
        for row, value, *texts in db.rows(sql):
            for name, text in zip(self.field_names, texts, strict=True):
                note = note_for(text or "", figures[value], self.metrics_resource_name)
                if note:
                    db.note(self.resource_name, row, name, self.type, note)
