"""The fast engine runs our checks: cell rules in one scan per table, every other check by
its own `fast` form (in its module). A check with neither hands over to the reference engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import checks as our
from .checks._shared import CellRule
from .fast_load import Fallback
from .sql import lit, q

if TYPE_CHECKING:
    from .fast import FastValidator

# frictionless's built-in checks that the standard step (fast_standard.py) already runs.
STANDARD = frozenset({"duplicate-row"})


def unmodelled(registered: list) -> list[str]:
    """The checks the fast engine cannot run: none is ever skipped silently."""
    return [
        c.type
        for c in registered
        if not (isinstance(c, CellRule) or hasattr(c, "fast") or c.type in STANDARD)
    ]


def run_checks(db: FastValidator) -> None:
    registered = our.checks(db.package)
    for name in unmodelled(registered):
        raise Fallback(f"the check {name} has no fast form")
    cell_rules(db, [c for c in registered if isinstance(c, CellRule)])
    for check in registered:
        if not isinstance(check, CellRule) and hasattr(check, "fast"):
            check.fast(db)


def cell_rules(db: FastValidator, rules: list[CellRule]) -> None:
    """One scan per table: the rules' candidate patterns find the rows, the rules judge.

    A row's cells are joined by NUL, and one RE2 alternation of the candidate patterns of the
    rules that apply to the table finds every candidate row. One pattern per table, not per
    column: RE2 takes milliseconds to compile the Unicode classes."""
    for table in db.package.tables:
        columns = []  # (field, the rules that apply to it)
        for field in table.fields:
            kind, format_ = field.get("type", "string"), field.get("format", "default")
            found = [r for r in rules if r.applies(table.name, field["name"], kind, format_)]
            columns.append((field["name"], found))
        used = list({id(r): r for _, found in columns for r in found}.values())
        if not used:
            continue
        regex = "|".join(f"(?:{r.candidates})" for r in used)
        cells = ", ".join(q(n) for n in table.field_names)
        sql = (
            f"SELECT __row, {cells} FROM {q(table.name)}"
            f" WHERE regexp_matches(concat_ws(chr(0), {cells}), {lit(regex)})"
        )
        for row, *values in db.stream(sql):
            for (name, found), value in zip(columns, values, strict=True):
                for rule in found if value is not None else []:
                    note = rule.judge(value)
                    if note:
                        db.note(table.name, row, name, rule.type, note)
