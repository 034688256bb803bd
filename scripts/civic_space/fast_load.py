"""The fast engine's first steps: each CSV read once into DuckDB, and every value typed as
frictionless would type it (odd values are read by frictionless's own field reader)."""

from __future__ import annotations

import csv
from types import SimpleNamespace
from typing import TYPE_CHECKING

from .sql import lit, q, read_csv

if TYPE_CHECKING:
    from .fast import FastValidator

SUPPORTED_TYPES = {"string", "integer", "number", "boolean", "date", "year"}
SUPPORTED_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
# Forms that frictionless and DuckDB read alike; anything else is judged by frictionless itself.
SAFE = {
    "integer": (r"-?(0|[1-9][0-9]{0,14})", "BIGINT"),
    # At most 15 significant digits, which a DOUBLE holds exactly; longer ones go to frictionless.
    "number": (r"-?(0|[1-9][0-9]{0,6})(\.[0-9]{1,8})?", "DOUBLE"),
    "date": (r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}", "DATE"),
    "year": (r"[1-9][0-9]{3}", "INTEGER"),
}
TRUE, FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")
ODD_VALUES_LIMIT = 10_000
TYPED_COPY_ROWS = 50_000


class Fallback(Exception):
    """The fast engine cannot model this package exactly: the reference engine judges it."""


def load(db: FastValidator) -> None:
    for table in db.package.tables:
        facts = db.facts.get(table.name)
        if facts is None or facts.bom or facts.carriage_return or facts.blank_line:
            raise Fallback(f"{table.name}: BOM, CR line endings or a blank line")
        with table.path.open("rb") as file:  # bad bytes further down are DuckDB's to refuse
            header = next(csv.reader([file.readline().decode("utf-8", "replace")]), [])
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
                f"CREATE TABLE {q(table.name)} AS SELECT row_number() OVER () + 1 AS __row,"
                f" {cells}, (__extra IS NOT NULL OR {last} IS NULL) AS __misfit FROM {reader}"
            )
        except Exception as exc:
            raise Fallback(f"{table.name}: {str(exc).splitlines()[0]}") from None
        if db.rows(f"SELECT count(*) FROM {q(table.name)} WHERE __misfit")[0][0]:
            raise Fallback(f"{table.name}: a row whose cells do not line up with the header")
        blank = " AND ".join(f"{q(n)} IS NULL" for n in table.field_names)
        if db.rows(f"SELECT count(*) FROM {q(table.name)} WHERE {blank}")[0][0]:
            raise Fallback(f"{table.name}: blank row")
        db.progress(f"read {table.name}")


def typed(db: FastValidator) -> None:
    """Add a typed column `name:t` per field; odd values go through frictionless itself."""
    for table in db.package.tables:
        exprs = []
        for field in table.fields:
            name, kind = field["name"], field.get("type", "string")
            col = q(name)
            if kind == "boolean":
                expr = (
                    f"CASE WHEN {col} IN {tuple(TRUE)} THEN true"
                    f" WHEN {col} IN {tuple(FALSE)} THEN false END"
                )
                safe = f"{col} IN {tuple(TRUE + FALSE)}"
            elif kind in SAFE:
                pattern, sql_type = SAFE[kind]
                safe = f"regexp_full_match({col}, {lit(pattern)})"
                expr = f"CASE WHEN {safe} THEN TRY_CAST({col} AS {sql_type}) END"
                if kind == "date":  # a well-formed but impossible date (2022-13-02) is odd too
                    safe = f"({safe} AND {expr} IS NOT NULL)"
            else:
                expr = col
                safe = "true" if field.get("format", "default") == "default" else "false"
            exprs.append(f"{expr} AS {db.typed(name)}")
            if safe == "true":
                continue  # plain text: every value is what it says
            odd = db.rows(
                f"SELECT DISTINCT {col} FROM {q(table.name)}"
                f" WHERE {col} IS NOT NULL AND NOT ({safe}) LIMIT {ODD_VALUES_LIMIT + 1}"
            )
            if len(odd) > ODD_VALUES_LIMIT:
                raise Fallback(f"{table.name}.{name}: too many non-canonical values")
            reader = db.reader(table.name, name)
            for (value,) in odd:
                _, notes = reader.read_cell(value)
                if not notes or "type" not in notes:
                    if kind != "string":
                        raise Fallback(f"{table.name}.{name}: valid non-canonical value")
                    continue  # a valid uri: nothing to report
                rows = db.rows(f"SELECT __row FROM {q(table.name)} WHERE {col} = {lit(value)}")
                for (row,) in rows:
                    err = SimpleNamespace(
                        type="type-error", note=notes["type"], cell=value, field_name=name
                    )
                    db.add_error(table.name, row, err)
        # A big table gets a view, not a copy: its typed values are computed where they are
        # used. A small one is typed once: a query on a view plans every expression again.
        raw = q(table.name + ":raw")
        size = db.rows(f"SELECT count(*) FROM {q(table.name)}")[0][0]
        kind = "VIEW" if size > TYPED_COPY_ROWS else "TABLE"
        db.con.execute(
            f"ALTER TABLE {q(table.name)} RENAME TO {raw};"
            f" CREATE {kind} {q(table.name)} AS SELECT *, {', '.join(exprs)} FROM {raw}"
        )
