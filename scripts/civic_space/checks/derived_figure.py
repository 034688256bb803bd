"""Derived figures equal their formula over the figures they are computed from."""

from __future__ import annotations

import re

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ._shared import raw_cells, rows_by_key


class DerivedFigureError(errors.CellError):
    type = "derived-figure"
    title = "Derived Figure"
    description = "A derived figure disagrees with its formula, or a formula is missing or stray."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


@attrs.define(kw_only=True, repr=False)
class derived_figure(Check):
    """Recompute each derived figure from its formula and compare."""

    type = "derived-figure"
    Errors = [DerivedFigureError]  # noqa: RUF012 (frictionless's interface)

    package: DataPackage
    resource_name: str
    value_field_name: str
    method_field_name: str
    formula_field_name: str
    derived_value: str = "derived"
    _figures: dict = attrs.field(factory=dict, init=False)

    def validate_start(self):
        if self.resource.name == self.resource_name:
            self._figures = rows_by_key(self.package, self.resource_name)
        yield from []

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        cells = raw_cells(row)
        formula, derived = (
            cells[self.formula_field_name],
            cells[self.method_field_name] == self.derived_value,
        )
        if derived != bool(formula):
            note = (
                f"a {self.derived_value} figure needs a formula,"
                f" and only a {self.derived_value} one"
                f" — set {self.method_field_name} and {self.formula_field_name} together"
            )
            yield DerivedFigureError.from_row(row, note=note, field_name=self.formula_field_name)
            return
        if not derived:
            return
        terms = re.split(r" ([+-]) ", formula)
        total = 0
        for sign, ref in zip(["+", *terms[1::2]], terms[0::2], strict=True):
            figure = self._figures.get(ref, {}).get(self.value_field_name, "")
            if not figure.lstrip("-").isdigit():
                note = (
                    f"the formula names “{ref}”, which is not a figure of this table — fix the name"
                )
                yield DerivedFigureError.from_row(
                    row, note=note, field_name=self.formula_field_name
                )
                return
            total += int(figure) if sign == "+" else -int(figure)
        if cells[self.value_field_name] != str(total):
            note = f"{formula} gives {total} — write {total}, or correct the figures it uses"
            yield DerivedFigureError.from_row(row, note=note, field_name=self.value_field_name)
