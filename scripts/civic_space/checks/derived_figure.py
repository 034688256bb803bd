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


def terms_of(formula: str) -> list[str]:
    return re.split(r" ([+-]) ", formula)[0::2]


def circle(key: str, formula: str, figure, derived_word: str) -> list[str] | None:
    """The figures through which `formula` comes back to its own figure `key` (following the
    formulas of the derived figures it names), or None: a derived figure rests on reported ones."""
    stack, seen = [(ref, [ref]) for ref in terms_of(formula)], set()
    while stack:
        ref, chain = stack.pop()
        if ref == key:
            return chain
        found = None if ref in seen else figure(ref)
        seen.add(ref)
        if found is not None and found[1] == derived_word:
            stack.extend((r, [*chain, r]) for r in terms_of(found[2]))
    return None


def notes_for(
    key: str,
    cells: tuple[str, str, str],
    figure,
    derived_word: str,
    names: tuple[str, str, str],
) -> list[tuple[str, str]]:
    """(field, note) for each problem of one figure, `cells` its (value, method, formula);
    `figure(id)` gives another figure's (value, method, formula), or None."""
    value, method, formula = cells
    derived = method == derived_word
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
    chain = circle(key, formula, figure, derived_word)
    if chain is not None:
        note = _(
            "the formula comes back to this figure itself ({chain}) — compute a derived figure"
            " from reported figures, or from derived ones that rest on reported figures"
        ).format(chain=" → ".join([key, *chain]))
        return [(formula_field, note)]
    terms = re.split(r" ([+-]) ", formula)
    total = 0
    for sign, ref in zip(["+", *terms[1::2]], terms[0::2], strict=True):
        other = figure(ref)
        if other is None:
            note = _(
                "the formula names “{ref}”, which is not a figure of this table — fix the name"
            ).format(ref=ref)
            return [(formula_field, note)]
        number = INTEGER.parse(other[0])
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

        def figure(ref: str):
            found = self._figures.get(ref)
            return None if found is None else tuple(found.get(n) or "" for n in names)

        key = "/".join(cells[k] or "" for k in self.package.table(self.resource_name).primary_key)
        mine = tuple(cells[n] or "" for n in names)
        for field, note in notes_for(key, mine, figure, self.derived_value, names):
            yield DerivedFigureError.from_row(row, note=note, field_name=field)

    def fast(self, db) -> None:
        t = q(self.resource_name)
        key = q(db.package.table(self.resource_name).primary_key[0])
        names = (self.value_field_name, self.method_field_name, self.formula_field_name)
        value, method, formula = map(q, names)
        cells = f"coalesce({value}, ''), coalesce({method}, ''), coalesce({formula}, '')"
        sql = (
            f"SELECT __row, {key}, {cells}"
            f" FROM {t} WHERE {method} = {lit(self.derived_value)} OR {formula} IS NOT NULL"
        )

        def figure(ref: str):
            found = db.rows(f"SELECT {cells} FROM {t} WHERE {key} = {lit(ref)}")
            return found[0] if found else None

        for row, own, *mine in db.rows(sql):
            for field, note in notes_for(own, tuple(mine), figure, self.derived_value, names):
                db.note(self.resource_name, row, field, self.type, note)
