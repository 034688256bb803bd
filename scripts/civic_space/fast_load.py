"""The fast engine's first steps: each CSV read once into DuckDB, and every value typed as
frictionless would type it (odd values are read by frictionless's own field reader)."""

from __future__ import annotations

import csv
from dataclasses import replace
from types import SimpleNamespace
from typing import TYPE_CHECKING

from . import edge, files, lexical
from .sql import lit, q, read_csv

if TYPE_CHECKING:
    from .fast import FastValidator

SUPPORTED_TYPES = {"string", "integer", "number", "boolean", "date", "year"}
SUPPORTED_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
ODD_VALUES_LIMIT = 10_000
TYPED_COPY_ROWS = 50_000
# A row's number as frictionless counts it (the header is row 1): DuckDB keeps the file's order
# (preserve_insertion_order), so rowid is the row's place in the file. Numbering the rows with a
# window function instead costs as much as reading the file.
ROW_NUMBER = "rowid + 2"


class Fallback(Exception):
    """The fast engine cannot model this package exactly: the reference engine judges it."""


def load(db: FastValidator) -> None:
    for table in db.package.tables:
        facts = db.facts.get(table.name)
        if facts is None or facts.bom or facts.carriage_return or facts.blank_line:
            raise Fallback(f"{table.name}: BOM, CR line endings or a blank line")
        with edge.open_read(table.path.parent, table.path) as file:  # bad bytes: DuckDB's
            first = file.readline()
        header = next(csv.reader([first.decode("utf-8", "replace")]), [])
        if header != table.field_names:
            raise Fallback(f"{table.name}: header differs from the schema")
        for field in table.fields:
            cons = set(field.get("constraints", {}))
            if (
                field.get("type", "string") not in SUPPORTED_TYPES
                or field.get("format", "default") not in ("default", "uri")
                or cons - SUPPORTED_CONSTRAINTS
                or set(field) - {"name", "title", "type", "format", "description", "constraints"}
            ):
                raise Fallback(f"{table.name}.{field.get('name')}: not modelled")
        if set(table.schema) - {"fields", "primaryKey", "foreignKeys"}:
            raise Fallback(f"{table.name}: schema option not modelled")
        # One column more than the schema, padded: a row with a cell too many fills it, a row
        # with one too few leaves the last field NULL. Empty cells read as '' (NUL, the
        # null string, cannot occur: the preflight refuses it), then become NULL.
        last = q(table.field_names[-1])
        cells = ", ".join(f"nullif({q(n)}, '') AS {q(n)}" for n in table.field_names)
        reader = read_csv(
            table.path,
            [*table.field_names, "__extra"],
            strict_mode="true",
            null_padding="true",
            nullstr="chr(0)",
        )
        try:
            db.con.execute(
                f"CREATE TABLE {q(table.name)} AS SELECT {cells},"
                f" (__extra IS NOT NULL OR {last} IS NULL) AS __misfit FROM {reader}"
            )
        except Exception as exc:
            raise Fallback(f"{table.name}: {str(exc).splitlines()[0]}") from None
        blank = " AND ".join(f"{q(n)} IS NULL" for n in table.field_names)
        text = " + ".join(f"coalesce({unquoted(q(n))}, 0)" for n in table.field_names)
        size = " + ".join(f"coalesce(strlen({q(n)}), 0)" for n in table.field_names)
        misfits, blanks, large, db.sizes[table.name], read = db.rows(
            f"SELECT count(*) FILTER (WHERE __misfit), count(*) FILTER (WHERE {blank}),"
            f" count(*) FILTER (WHERE {size} > {files.MAX_CELL}), count(*),"
            f" coalesce(sum({text}), 0) FROM {q(table.name)}"
        )[0]
        if misfits:
            raise Fallback(f"{table.name}: a row whose cells do not line up with the header")
        if blanks:
            raise Fallback(f"{table.name}: blank row")
        if large:  # a row over lines, each short: the preflight's `structure` locates it
            raise Fallback(f"{table.name}: a row over the size limit")
        if read != unquoted_text(facts, first, db.sizes[table.name], len(table.field_names)):
            raise Fallback(f"{table.name}: DuckDB read other text than Python's reader would")
        db.progress(f"read {table.name}")


def unquoted_text(facts, header: bytes, rows: int, width: int) -> int:
    """The bytes of the cells' values, quotes left out, that a reader of the file as RFC 4180
    has it must find (quotes that enclose a cell, and those doubled inside it, are all the file
    holds besides values, commas and line ends; the preflight refused any other). A reader that
    trims a space or drops a byte, as DuckDB's does around quotes, finds fewer."""
    separators = rows * (width - 1) + rows - (facts.last_byte != b"\n" and rows > 0)
    return facts.size - facts.quotes - (len(header) - header.count(b'"')) - separators


def unquoted(col: str) -> str:
    """SQL: the bytes of a cell's text less its quotes (replace() only where there is one: it
    costs as much as reading the file)."""
    quote = "'\"'"
    return (
        f"strlen({col}) - CASE WHEN contains({col}, {quote})"
        f" THEN strlen({col}) - strlen(replace({col}, {quote}, '')) ELSE 0 END"
    )


def typed_expr(field: dict) -> tuple[str, str]:
    """(SQL of a field's typed value, SQL that a value is in a form DuckDB reads exactly as
    frictionless does): the type's canonical form (lexical.py), or for numbers the part of it
    that a DOUBLE holds exactly. Any other value is odd, and frictionless's reader judges it."""
    col, kind = q(field["name"]), field.get("type", "string")
    form = lexical.form(kind)
    if form is None:
        return col, "true" if field.get("format", "default") == "default" else "false"
    exact = replace(form, pattern=lexical.exact_pattern(kind))
    return exact.sql_value(col), exact.sql_test(col)


def odd_values(db: FastValidator, table, safe: dict[int, str]) -> dict[int, list[str]]:
    """The distinct values of each field (by index) not in a safe form: one query a table."""
    if not safe:
        return {}
    cols = {i: q(table.fields[i]["name"]) for i in safe}
    sql = " UNION ALL ".join(
        f"(SELECT DISTINCT {i}, {cols[i]} FROM {q(table.name)}"
        f" WHERE {cols[i]} IS NOT NULL AND NOT ({test}) LIMIT {ODD_VALUES_LIMIT + 1})"
        for i, test in safe.items()
    )
    found: dict[int, list[str]] = {}
    for i, value in db.rows(sql):
        found.setdefault(i, []).append(value)
        if len(found[i]) > ODD_VALUES_LIMIT:
            raise Fallback(f"{table.name}.{table.fields[i]['name']}: too many odd values")
    return found


def typed(db: FastValidator) -> None:
    """Add a typed column `name:t` per field; odd values go through frictionless itself."""
    for table in db.package.tables:
        exprs, safe = [], {}
        for i, field in enumerate(table.fields):
            expr, test = typed_expr(field)
            exprs.append(f"{expr} AS {db.typed(field['name'])}")
            if test != "true":  # else plain text: every value is what it says
                safe[i] = test
        for i, values in odd_values(db, table, safe).items():
            name, kind = table.fields[i]["name"], table.fields[i].get("type", "string")
            reader = db.reader(table.name, name)
            for value in values:
                _, notes = reader.read_cell(value)
                if not notes or "type" not in notes:
                    if kind != "string":
                        raise Fallback(f"{table.name}.{name}: a value DuckDB does not type exactly")
                    continue  # a valid uri: nothing to report
                rows = db.rows(
                    f"SELECT {ROW_NUMBER} FROM {q(table.name)} WHERE {q(name)} = {lit(value)}"
                )
                for (row,) in rows:
                    err = SimpleNamespace(
                        type="type-error", note=notes["type"], cell=value, field_name=name
                    )
                    db.add_error(table.name, row, err)
        # A big table gets a view, not a copy: its typed values are computed where they are
        # used. A small one is typed once: a query on a view plans every expression again.
        raw = q(table.name + ":raw")
        kind = "VIEW" if db.sizes[table.name] > TYPED_COPY_ROWS else "TABLE"
        db.con.execute(
            f"ALTER TABLE {q(table.name)} RENAME TO {raw};"
            f" CREATE {kind} {q(table.name)} AS SELECT {ROW_NUMBER} AS __row, *, {', '.join(exprs)}"
            f" FROM {raw}"
        )
