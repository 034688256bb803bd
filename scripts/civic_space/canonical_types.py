"""frictionless's field types, reading a cell's text only in its type's one written form.

The reference engine is frictionless with our checks; its field types read more than the forms
of lexical.py (`" 8"`, a full-width digit, `"+8"`, `"1_0"` as integers, `"2022-9-1"` as a date,
`"sNaN"` as a number, which then breaks its own minimum check with decimal.InvalidOperation).
So within our validation a text not in its type's form is a type error, as `2022-13-02` is, and
a value that reaches a constraint, a key or a check is always one the exports can write. Values
that are not text (the schemas' own bounds, read from JSON) are read by frictionless as before.

Both engines read through these: the reference row by row, and the fast engine for every value
not in the form it types itself (fast_load.odd_values).
"""

from __future__ import annotations

import attrs
from frictionless import Plugin, fields, system

from .lexical import FORMS

PLUGIN = "civic-space-canonical-types"


def canonical(base: type) -> type:
    form = FORMS[base.type]

    @attrs.define(kw_only=True, repr=False)
    class Canonical(base):
        def create_value_reader(self):
            lenient = super().create_value_reader()

            def value_reader(cell):
                return form.parse(cell) if isinstance(cell, str) else lenient(cell)

            return value_reader

    Canonical.__name__ = Canonical.__qualname__ = f"Canonical{base.__name__}"
    return Canonical


CLASSES = {
    c.type: canonical(c)
    for c in (
        fields.IntegerField,
        fields.NumberField,
        fields.DateField,
        fields.YearField,
        fields.BooleanField,
    )
}
assert set(CLASSES) == set(FORMS), "every declared form is read by a field type"


class CanonicalTypes(Plugin):
    def select_field_class(self, type=None):
        return CLASSES.get(type)


def install() -> None:
    """Make frictionless read typed cells in their canonical form only (idempotent)."""
    if PLUGIN not in system.methods["select_field_class"]:
        system.register(PLUGIN, CanonicalTypes())  # which makes frictionless look again
