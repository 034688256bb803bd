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
    for table in db.package.tables:
        t = q(table.name)
        for field in table.fields:
            name, cons = field["name"], field.get("constraints", {})
            col, typed = q(name), db.typed(name)
            tests = []
            if cons.get("required"):
                tests.append(("required", f"{col} IS NULL"))
            if "enum" in cons:
                tests.append(("enum", f"{typed} NOT IN ({', '.join(map(lit, cons['enum']))})"))
            if "minimum" in cons:
                tests.append(("minimum", f"{typed} < {lit(cons['minimum'])}"))
            if "maximum" in cons:
                tests.append(("maximum", f"{typed} > {lit(cons['maximum'])}"))
            if "pattern" in cons:
                # Python's re decides, as in frictionless (RE2 reads some classes, such as
                # \D with Arabic-Indic digits, otherwise), once per distinct value.
                pattern = re.compile(f"^{cons['pattern']}$")
                sql = f"SELECT DISTINCT {col} FROM {t} WHERE {col} IS NOT NULL"
                bad = [v for (v,) in db.rows(sql) if not pattern.match(v)]
                if bad:
                    tests.append(("pattern", f"{col} IN ({', '.join(map(lit, bad))})"))
            for constraint, test in tests:
                guard = "" if constraint == "required" else f"{typed} IS NOT NULL AND "
                for row, cell in db.rows(f"SELECT __row, {col} FROM {t} WHERE {guard}{test}"):
                    note = f'constraint "{constraint}" is "{cons[constraint]}"'
                    err = SimpleNamespace(
                        type="constraint-error", note=note, cell=cell, field_name=name
                    )
                    db.add_error(table.name, row, err)
            if cons.get("unique"):
                sql = (
                    f"SELECT __row, {col}, lag(__row) OVER (PARTITION BY {typed} ORDER BY __row)"
                    f" AS prev FROM {t} WHERE {typed} IS NOT NULL QUALIFY prev IS NOT NULL"
                )
                for row, cell, prev in db.rows(sql):
                    note = f"the same as in the row at position {prev}"
                    err = SimpleNamespace(
                        type="unique-error", note=note, cell=cell, field_name=name
                    )
                    db.add_error(table.name, row, err)


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
            for row, empty, prev in db.rows(sql):
                note = (
                    'cells composing the primary keys are all "None"'
                    if empty
                    else f"the same as in the row at position {prev}"
                )
                db.add_error(table.name, row, SimpleNamespace(type="primary-key", note=note))
        # Duplicate rows. With a primary key, an identical row repeats its key too, so only
        # rows whose key repeats (or is empty) are candidates; without one, equal hashes are.
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
        for row, prev in db.rows(sql):
            note = f'the same as row at position "{prev}"'
            db.add_error(table.name, row, SimpleNamespace(type="duplicate-row", note=note))
