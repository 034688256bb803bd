"""The fast engine's standard checks, as frictionless states them: constraints, primary keys,
duplicate rows (foreign keys are our foreign_keys check's own fast form)."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import TYPE_CHECKING

from .sql import lit, q

if TYPE_CHECKING:
    from .fast import FastValidator


def constraints(db: FastValidator) -> None:
    """One query per table for every constraint of every field (a query costs milliseconds,
    and a small package has a hundred and fifty constraints)."""
    for table in db.package.tables:
        t, parts = q(table.name), []
        misses = pattern_misses(db, table)
        for i, field in enumerate(table.fields):
            name, cons = field["name"], field.get("constraints", {})
            col, typed = q(name), db.typed(name)
            for constraint, test in tests(cons, col, typed, misses.get(name)):
                guard = "" if constraint == "required" else f"{typed} IS NOT NULL AND "
                parts.append(
                    f"SELECT __row, {i} AS f, {lit(constraint)} AS c, {col} AS cell, NULL AS prev"
                    f" FROM {t} WHERE {guard}{test}"
                )
            if cons.get("unique"):
                parts.append(
                    f"SELECT __row, {i}, 'unique', {col}, lag(__row) OVER (PARTITION BY {typed}"
                    f" ORDER BY __row) AS prev FROM {t} WHERE {typed} IS NOT NULL"
                    " QUALIFY prev IS NOT NULL"
                )
        if not parts:
            continue
        sql = " UNION ALL ".join(f"({part})" for part in parts) + " ORDER BY __row, f"
        for row, i, constraint, cell, prev in db.stream(sql):
            field = table.fields[i]
            if constraint == "unique":
                kind, note = "unique-error", f"the same as in the row at position {prev}"
            else:
                kind = "constraint-error"
                note = f'constraint "{constraint}" is "{field["constraints"][constraint]}"'
            err = SimpleNamespace(type=kind, note=note, cell=cell, field_name=field["name"])
            db.add_error(table.name, row, err)


def tests(cons: dict, col: str, typed: str, misses: list[str] | None) -> list[tuple[str, str]]:
    """(constraint, SQL condition that a cell breaks it) for one field's constraints."""
    found = []
    if cons.get("required"):
        found.append(("required", f"{col} IS NULL"))
    if "enum" in cons:
        found.append(("enum", f"{typed} NOT IN ({', '.join(map(lit, cons['enum']))})"))
    if "minimum" in cons:
        found.append(("minimum", f"{typed} < {lit(cons['minimum'])}"))
    if "maximum" in cons:
        found.append(("maximum", f"{typed} > {lit(cons['maximum'])}"))
    if misses:
        found.append(("pattern", f"{col} IN ({', '.join(map(lit, misses))})"))
    return found


def pattern_misses(db: FastValidator, table) -> dict[str, list[str]]:
    """The distinct values of each patterned field that its pattern does not match. Python's
    re decides, as in frictionless (RE2 reads some classes, such as \\D with Arabic-Indic
    digits, otherwise), once per distinct value."""
    patterned = [f for f in table.fields if "pattern" in f.get("constraints", {})]
    if not patterned:
        return {}
    sql = " UNION ALL ".join(
        f"(SELECT DISTINCT {i}, {q(f['name'])} FROM {q(table.name)}"
        f" WHERE {q(f['name'])} IS NOT NULL)"
        for i, f in enumerate(patterned)
    )
    compiled = [re.compile(f"^{f['constraints']['pattern']}$") for f in patterned]
    misses: dict[str, list[str]] = {}
    for i, value in db.rows(sql):
        if not compiled[i].match(value):
            misses.setdefault(patterned[i]["name"], []).append(value)
    return misses


def keys(db: FastValidator) -> None:
    for table in db.package.tables:
        t = q(table.name)
        pk = [db.typed(k) for k in table.primary_key]
        if pk:
            all_null = " AND ".join(f"{k} IS NULL" for k in pk)
            sql = (
                f"SELECT __row, ({all_null}) AS empty, lag(__row) OVER"
                f" (PARTITION BY {', '.join(pk)} ORDER BY __row) AS prev"
                f" FROM {t} QUALIFY empty OR prev IS NOT NULL"
            )
            clashes = db.rows(sql)
            for row, empty, prev in clashes:
                note = (
                    'cells composing the primary keys are all "None"'
                    if empty
                    else f"the same as in the row at position {prev}"
                )
                db.add_error(table.name, row, SimpleNamespace(type="primary-key", note=note))
        # Duplicate rows. With a primary key, an identical row repeats its key too, so only
        # rows whose key repeats (or is empty) are candidates; without one, equal hashes are.
        if pk and not clashes:
            continue
        raw = ", ".join(q(n) for n in table.field_names)
        same = " AND ".join(f"a.{q(n)} IS NOT DISTINCT FROM b.{q(n)}" for n in table.field_names)
        if pk:
            keyed = " AND ".join(
                f"a.{q(k)} IS NOT DISTINCT FROM b.{q(k)}" for k in table.primary_key
            )
            all_null = " AND ".join(f"{k} IS NULL" for k in pk)
            sql = (
                f"WITH d AS (SELECT __row FROM {t} QUALIFY ({all_null}) OR"
                f" lag(__row) OVER (PARTITION BY {', '.join(pk)} ORDER BY __row) IS NOT NULL)"
                f" SELECT a.__row, max(b.__row) FROM d JOIN {t} a ON a.__row = d.__row"
                f" JOIN {t} b ON {keyed} AND b.__row < a.__row WHERE {same} GROUP BY a.__row"
            )
        else:
            sql = (
                f"WITH h AS (SELECT __row,"
                f" lag(__row) OVER (PARTITION BY hash({raw}) ORDER BY __row) AS prev"
                f" FROM {t} QUALIFY prev IS NOT NULL)"
                f" SELECT h.__row, h.prev FROM h JOIN {t} a ON a.__row = h.__row"
                f" JOIN {t} b ON b.__row = h.prev WHERE {same}"
            )
        for row, prev in db.stream(sql):
            note = f'the same as row at position "{prev}"'
            db.add_error(table.name, row, SimpleNamespace(type="duplicate-row", note=note))
