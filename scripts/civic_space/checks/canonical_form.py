"""The file is in canonical form: UTF-8 without BOM, LF line endings (the last line's too),
rows sorted by key."""

from __future__ import annotations

from itertools import pairwise

import attrs
from frictionless import Check, errors

from .. import edge, lexical
from ..descriptor import DataPackage, PackageError
from ..formatting import NUMERIC_TYPES, read_rows, sort_key
from ..i18n import _
from ..sql import q


def fix() -> str:
    return _("run `nox -s format`, which rewrites the file without changing any value")


class CanonicalFormError(errors.RowError):
    type = "canonical-form"
    title = "Canonical Form"
    description = "The CSV is not in the canonical form that keeps git diffs clean."
    template = "Row {rowNumber}: {note}"


def unsorted_note(primary_key: list[str]) -> str:
    return _("rows are not in order of {key} — {fix}").format(key=", ".join(primary_key), fix=fix())


def no_line_break() -> str:  # `format` ends every line with one, the last one too
    return _("the last line does not end with a line break — {fix}").format(fix=fix())


def row_error(row_number: int, note: str) -> CanonicalFormError:
    return CanonicalFormError(note=note, cells=[], row_number=row_number)


@attrs.define(kw_only=True, repr=False)
class canonical_form(Check):
    """Check encoding, BOM, line endings and sort order of each table's file."""

    Errors = [CanonicalFormError]  # noqa: RUF012 (frictionless's interface)
    type = CanonicalFormError.type

    package: DataPackage

    def validate_start(self):
        try:
            table = self.package.table(self.resource.name)
            raw = edge.read_bytes(table.path.parent, table.path)
        except (StopIteration, OSError, edge.EdgeError):
            return  # frictionless reports a missing resource or file itself
        if raw.startswith(b"\xef\xbb\xbf"):
            yield row_error(
                1, _("the file starts with a byte-order mark (BOM) — {fix}").format(fix=fix())
            )
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            bad = raw[exc.start : exc.start + 4]
            hint = _(" (it looks like Latin-1 or Windows-1252)") if bad[:1] >= b"\x80" else ""
            note = _("byte {byte} is not UTF-8{hint} — save the file as UTF-8 (CSV UTF-8)").format(
                byte=repr(bad[:1]), hint=hint
            )
            yield row_error(line, note)
            return
        try:
            header, rows = read_rows(table)
        except PackageError:
            header, rows = None, []
        # A CR inside a quoted cell is part of its value, which `format` keeps: unicode_form
        # reports that cell, with a fix that works. Here, only the CRs that end lines.
        if raw.count(b"\r") > sum(c.count("\r") for r in [header or [], *rows] for c in r):
            line = raw[: raw.index(b"\r")].count(b"\n") + 1
            note = _("lines end with CR (Windows or old Mac line endings) — {fix}").format(
                fix=fix()
            )
            yield row_error(line, note)
        if header is None:
            return
        if not raw.endswith(b"\n"):
            yield row_error(len(rows) + 1, no_line_break())
        if header != table.field_names or any(len(r) != len(header) for r in rows):
            return  # frictionless reports header and ragged rows; order is moot until then
        key = sort_key(table)
        for number, (row, following) in enumerate(pairwise(rows), start=3):
            if key(following) < key(row):
                yield row_error(number, unsorted_note(table.primary_key))
                return

    def fast(self, db) -> None:
        """The first row out of key order, per table, in the order of `sql_key`; a last line
        with no line break (the file's last byte, from the preflight's scan)."""
        for table in db.package.tables:
            facts = db.facts.get(table.name)
            if facts is not None and facts.last_byte != b"\n":
                row = db.sizes[table.name] + 1
                db.note(table.name, row, None, self.type, no_line_break())
            key = sql_key(table)
            sql = (
                f"SELECT __row FROM (SELECT __row, {key} AS k, lag({key}) OVER (ORDER BY __row)"
                f" AS p FROM {q(table.name)}) WHERE k < p ORDER BY __row LIMIT 1"
            )
            for (row,) in db.rows(sql):
                db.note(table.name, row, None, self.type, unsorted_note(table.primary_key))


def sql_key(table) -> str:
    """SQL of formatting.sort_key: each number read by the SQL form of its type's canonical form
    (lexical.py) and any other text after the numbers, by text. A struct, not a list: each part
    keeps its own type (a list would make every number a DOUBLE, which rounds a 64-bit one)."""
    parts = []
    for k in table.primary_key:
        col, kind = f"coalesce({q(k)}, '')", table.field(k).get("type", "string")
        if kind in NUMERIC_TYPES:
            num = lexical.FORMS[kind].sql_value(col)
            odd = f"CASE WHEN {num} IS NULL THEN 1 ELSE 0 END"
            parts.append(f"{{'n': {odd}, 'v': coalesce({num}, 0), 's': {col}}}")
        else:
            parts.append(f"{{'n': 0, 'v': 0, 's': {col}}}")
    return "{" + ", ".join(f"'k{i}': {p}" for i, p in enumerate(parts)) + "}"
