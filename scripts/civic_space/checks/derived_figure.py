"""Derived figures equal their formula over the figures they are computed from."""

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


class DerivedFigureError(errors.CellError):
    type = "derived-figure"
    title = "Derived Figure"
    description = "A derived figure disagrees with its formula, or a formula is missing or stray."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def notes_for(
    formula: str, derived: bool, value: str, figure, derived_word: str, names: tuple[str, str, str]
) -> list[tuple[str, str]]:
    """(field, note) for each problem of one figure; `figure(id)` gives another figure's value."""
    value_field, method_field, formula_field = names
    if derived != bool(formula):
        return [
            (
                formula_field,
                _(
                    "a {derived} figure needs a formula, and only a {derived} one"
                    " — set {method} and {formula} together"
                ).format(derived=derived_word, method=method_field, formula=formula_field),
            )
        ]
    if not derived:
        return []
    terms = re.split(r" ([+-]) ", formula)
    total = 0
    for sign, ref in zip(["+", *terms[1::2]], terms[0::2], strict=True):
        other = figure(ref)
        if other is None:
            note = _(
                "the formula names “{ref}”, which is not a figure of this table — fix the name"
            ).format(ref=ref)
            return [(formula_field, note)]
        number = INTEGER.parse(other)
        if number is None:
            return []  # an empty figure, or one not a whole number: reported on its own row
        total += number if sign == "+" else -number
    if value != str(total):
        note = _("{formula} gives {total} — write {total}, or correct the figures it uses").format(
            formula=formula, total=total
        )
        return [(value_field, note)]
    return []


@attrs.define(kw_only=True, repr=False)
class derived_figure(Check):
    """Recompute each derived figure from its formula and compare."""

    Errors = [DerivedFigureError]  # noqa: RUF012 (frictionless's interface)
    type = DerivedFigureError.type

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
        names = (self.value_field_name, self.method_field_name, self.formula_field_name)
        for field, note in notes_for(
            cells[self.formula_field_name],
            cells[self.method_field_name] == self.derived_value,
            cells[self.value_field_name],
            lambda ref: self._figures.get(ref, {}).get(self.value_field_name),
            self.derived_value,
            names,
        ):
            yield DerivedFigureError.from_row(row, note=note, field_name=field)

    def fast(self, db) -> None:
        t = q(self.resource_name)
        key = q(db.package.table(self.resource_name).primary_key[0])
        names = (self.value_field_name, self.method_field_name, self.formula_field_name)
        value, method, formula = map(q, names)
        sql = (
            f"SELECT __row, coalesce({formula}, ''), coalesce({method}, ''), coalesce({value}, '')"
            f" FROM {t} WHERE {method} = {lit(self.derived_value)} OR {formula} IS NOT NULL"
        )

        def figure(ref: str):
            found = db.rows(f"SELECT coalesce({value}, '') FROM {t} WHERE {key} = {lit(ref)}")
            return found[0][0] if found else None

        for row, form, meth, val in db.rows(sql):
            derived = meth == self.derived_value
            for field, note in notes_for(form, derived, val, figure, self.derived_value, names):
                db.note(self.resource_name, row, field, self.type, note)
