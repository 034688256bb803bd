"""No row repeats another under a new key: a row pasted twice and given a fresh identifier
would be counted twice in every figure of the report, and duplicate-row cannot see it."""

from __future__ import annotations

import hashlib

import attrs
from frictionless import Check, errors

from ..i18n import _
from ..sql import q
from ._shared import raw_cells


class RepeatedRowError(errors.CellError):
    type = "repeated-row"
    title = "Repeated Row"
    description = "A row that equals an earlier one in every field but its key."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(key_field: str, first: str) -> str:
    return _(
        "this row equals the row with {field} “{first}” in every other field"
        " — delete it if it is a copy, or correct what differs"
    ).format(field=key_field, first=first)


def key_field(schema) -> str | None:
    """The key this rule applies to: a table keyed by one field (an identifier). In a table
    keyed by several fields, rows that differ only in their key are the point (links)."""
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    return key[0] if len(key) == 1 else None


@attrs.define(kw_only=True, repr=False)
class repeated_row(Check):
    """Check tables with a one-field key for rows that repeat an earlier row's other fields."""

    Errors = [RepeatedRowError]  # noqa: RUF012 (frictionless's interface)
    type = RepeatedRowError.type

    _key: str | None = attrs.field(default=None, init=False)
    _first: dict = attrs.field(factory=dict, init=False)  # digest of other cells -> first key

    def validate_start(self):
        self._key = key_field({"primaryKey": self.resource.schema.primary_key})
        if len(self.resource.schema.fields) < 2:
            self._key = None  # nothing but the key: rows differ by it alone
        self._first = {}
        yield from []

    def validate_row(self, row):
        if self._key is None:
            return
        cells = raw_cells(row)
        # A digest, not the cells: a million rows stay small. Cells hold no NUL (preflight).
        rest = "\x00".join(v for n, v in cells.items() if n != self._key)
        digest = hashlib.blake2b(rest.encode(), digest_size=16).digest()
        first = self._first.setdefault(digest, cells[self._key])
        if first != cells[self._key]:  # the same key twice is a primary-key error already
            note = note_for(self._key, first)
            yield RepeatedRowError.from_row(row, note=note, field_name=self._key)

    def fast(self, db) -> None:
        for table in db.package.tables:
            key = key_field(table.schema)
            if key is None or len(table.field_names) < 2:
                continue
            k, t = q(key), q(table.name)
            rest = ", ".join(q(n) for n in table.field_names if n != key)
            # Rows whose other fields hash alike are the candidates; the window compares them.
            sql = (
                f"SELECT __row, first FROM (SELECT __row, {k}, first_value({k}) OVER"
                f" (PARTITION BY {rest} ORDER BY __row) AS first FROM {t}"
                f" WHERE hash({rest}) IN (SELECT hash({rest}) FROM {t} GROUP BY 1"
                f" HAVING count(*) > 1)) WHERE {k} IS DISTINCT FROM first"
            )
            for row, first in db.rows(sql):
                db.note(table.name, row, key, self.type, note_for(key, first or ""))
