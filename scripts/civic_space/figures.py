"""Declared figures: the numbers the site prints that are counted from the data, each with its
formula. One parser and one evaluation serve both validation engines and the site; each reads
rows its own way (a `Source`), the counting is done here.

A formula is one or more terms joined by ` + ` or ` - `:

- `count(events: part_of=in-person-workshops)`: how many rows match every condition;
- `distinct(events.place_id: part_of=in-person-workshops)`: how many different non-empty
  values a path takes over the matching rows;
- `fewest(issues.place_id: kind=suggested-solution)` and `most(…)`: the fewest and the most
  matching rows that share one non-empty value of the path (0 if no row matches).

Conditions are `path=value` (`|` between values that are each accepted, an empty value for an
empty cell) joined by `; `. A path names a field, and follows single-field foreign keys with
dots (`event_id.policy_process`), as the report's pages do.

A formula may end in ` by path, path`: then it is a count per group (the charts' counts), one
value for each combination of the paths' values that matching rows take (a row with an empty
value of one is in no group), every term counted within the group.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from . import edge
from .descriptor import DataPackage
from .i18n import _
from .sql import q

FUNCTIONS = ("count", "distinct", "fewest", "most")
NAME = r"[a-z][a-z0-9_]*"
TERM = re.compile(
    rf"^(?P<func>{'|'.join(FUNCTIONS)})\((?P<table>{NAME})(?:\.(?P<path>{NAME}(?:\.{NAME})*))?"
    r"(?:: (?P<where>[^()]+))?\)$"
)
PATH = rf"{NAME}(?:\.{NAME})*"
GROUPED = re.compile(r"(?P<terms>.*\)) by (?P<by>[^()]*)")
CONDITION = re.compile(rf"^(?P<path>{NAME}(?:\.{NAME})*)=(?P<values>[^;=]*)$")

# A source gives, for a table and some paths, each row's values of the paths as text ('' where
# empty) with how many rows have them: 1 for a row read alone, or the size of a group.
Source = Callable[[str, Sequence[str]], Iterable[tuple[Sequence[str], int]]]


class FormulaError(ValueError):
    """A formula that cannot be read, or that names what the package does not have."""


@dataclass(frozen=True)
class Term:
    func: str
    table: str
    path: str  # '' for count
    conditions: tuple[tuple[str, frozenset[str]], ...]
    by: tuple[str, ...] = ()  # the paths a grouped formula counts by: one value per group


Value = int | dict[tuple[str, ...], int]  # a figure's value: one number, or one per group


def parse(formula: str) -> list[tuple[int, Term]]:
    """(sign, term) for each term of a formula; FormulaError says what is wrong."""
    grouped = GROUPED.fullmatch(formula.strip())  # " by " after the last term, not in a value
    formula, by = (grouped["terms"], tuple(grouped["by"].split(", "))) if grouped else (formula, ())
    if not all(re.fullmatch(PATH, p) for p in by):
        raise FormulaError(
            _("“by {paths}”: write by field, field (a field may follow foreign keys)").format(
                paths=grouped["by"]
            )
        )
    parts = re.split(r" ([+-]) ", formula.strip())
    if not formula.strip():
        raise FormulaError(_("the formula is empty"))
    found = []
    for sign, text in zip(["+", *parts[1::2]], parts[0::2], strict=True):
        match = TERM.match(text)
        if not match:
            raise FormulaError(
                _(
                    "“{term}” is not a term of a formula: write count(table: field=value),"
                    " distinct(table.field), fewest(table.field) or most(table.field)"
                ).format(term=text)
            )
        if (match["func"] == "count") == bool(match["path"]):
            raise FormulaError(
                _("“{term}”: count takes a table, the others a table and a path").format(term=text)
            )
        conditions = []
        for clause in (match["where"] or "").split("; ") if match["where"] else []:
            cond = CONDITION.match(clause)
            if not cond:
                raise FormulaError(
                    _("“{clause}” is not a condition: write field=value or field=a|b").format(
                        clause=clause
                    )
                )
            conditions.append((cond["path"], frozenset(cond["values"].split("|"))))
        term = Term(match["func"], match["table"], match["path"] or "", tuple(conditions), by)
        found.append((1 if sign == "+" else -1, term))
    return found


def hops(package: DataPackage, table: str, path: str) -> list[tuple[str, str]]:
    """(table, field) for each step of a path from `table`; FormulaError if one is missing."""
    names = {t.name for t in package.tables}
    if table not in names:
        raise FormulaError(_("there is no table “{name}”").format(name=table))
    steps = []
    for position, field in enumerate(path.split(".")):
        if field not in package.table(table).field_names:
            raise FormulaError(
                _("the {table} table has no field “{field}”").format(table=table, field=field)
            )
        steps.append((table, field))
        if position < path.count("."):
            reference = package.table(table).reference(field)
            if reference is None:
                raise FormulaError(
                    _("{table}.{field} is not a foreign key, so no path can follow it").format(
                        table=table, field=field
                    )
                )
            table = reference[0]
    return steps


def check(package: DataPackage, formula: str) -> list[tuple[int, Term]]:
    """The parsed formula, every table, field and path in it checked against the package."""
    terms = parse(formula)
    tables = {t.name for t in package.tables}
    for _sign, term in terms:
        if term.table not in tables:
            raise FormulaError(_("there is no table “{name}”").format(name=term.table))
        for path in _paths(term):
            hops(package, term.table, path)
    return terms


def _paths(term: Term) -> list[str]:
    """Every path a term reads: what it counts, its conditions' and its groups'."""
    return [term.path] * bool(term.path) + [p for p, _v in term.conditions] + list(term.by)


def evaluate(package: DataPackage, formulas: dict[str, str], source: Source) -> dict[str, Value]:
    """The value of each readable formula, by figure id: a number, or for a grouped formula
    {group's values: number}. Each table is read once for all the terms over it, as the source
    gives it: rows, or rows grouped by their values with how many share them (DuckDB groups
    before Python sees them). A formula that cannot be read is left out (`check` says why)."""
    parsed: dict[str, list[tuple[int, Term]]] = {}
    for figure, formula in formulas.items():
        try:
            parsed[figure] = check(package, formula)
        except FormulaError:
            continue
    terms = {term for found in parsed.values() for _s, term in found}
    results = {}
    for table in sorted({t.table for t in terms}):
        results.update(_scan(table, [t for t in terms if t.table == table], source))
    values: dict[str, Value] = {}
    for figure, found in parsed.items():
        groups = {g: 0 for _s, term in found for g in results[term]}
        for sign, term in found:
            for group, n in results[term].items():
                groups[group] += sign * n
        values[figure] = groups if found[0][1].by else groups.get((), 0)
    return values


def _scan(table: str, terms: list[Term], source: Source) -> dict[Term, dict[tuple, int]]:
    """One pass over `table` for all of its terms: each term's value by group (the group ()
    alone for a term that is not grouped)."""
    paths = sorted({p for t in terms for p in _paths(t)})
    at = {path: i for i, path in enumerate(paths)}
    counters: dict[Term, dict[tuple, Counter]] = {t: {} for t in terms}
    for values, rows in source(table, paths):
        for term in terms:
            if all(values[at[p]] in wanted for p, wanted in term.conditions):
                group = tuple(values[at[p]] for p in term.by)
                if "" in group:
                    continue  # a row with no value of a group's path is in no group
                counter = counters[term].setdefault(group, Counter())
                counter[values[at[term.path]] if term.path else ""] += rows
    found: dict[Term, dict[tuple, int]] = {}
    for term, groups in counters.items():
        found[term] = {g: _measure(term, c) for g, c in groups.items()}
    return found


def _measure(term: Term, counter: Counter) -> int:
    if term.path:
        counter.pop("", None)  # a row with no value of the path is in no group
    sizes = counter.values()
    return {
        "count": sum(sizes),
        "distinct": len(counter),
        "fewest": min(sizes, default=0),
        "most": max(sizes, default=0),
    }[term.func]


def file_source(package: DataPackage) -> Source:
    """Rows as the CSV files hold them, read one by one (the reference engine's reading); a
    path through foreign keys is followed in one dict per step, holding only the key and the
    next field of the table it passes."""
    maps: dict[tuple[str, str, str], dict[str, str]] = {}

    def cells(name: str, fields: Sequence[str]) -> Iterable[list[str]]:
        table = package.table(name)
        raw = edge.open_read(table.path.parent, table.path)
        with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as file:
            reader = csv.reader(file)
            header = next(reader, [])
            at = [header.index(f) if f in header else None for f in fields]
            for row in reader:
                yield [row[i] if i is not None and i < len(row) else "" for i in at]

    def follow(name: str, path: str) -> Callable[[str], str]:
        steps = []
        for (here, field), (there, next_field) in pairwise(hops(package, name, path)):
            key = package.table(here).reference(field)[1]
            if (there, key, next_field) not in maps:
                found: dict[str, str] = {}
                for k, v in cells(there, [key, next_field]):
                    found[k] = min(found.get(k, v), v)  # a repeated key: as sql_source reads it
                maps[there, key, next_field] = found
            steps.append(maps[there, key, next_field])

        def value(first: str) -> str:
            for step in steps:
                first = step.get(first, "") if first else ""
            return first

        return value

    def rows(name: str, paths: Sequence[str]) -> Iterable[tuple[list[str], int]]:
        firsts = [p.split(".")[0] for p in paths]
        followed = [follow(name, p) if "." in p else None for p in paths]
        for row in cells(name, firsts):
            yield [f(v) if f else v for f, v in zip(followed, row, strict=True)], 1

    return rows


def sql_source(package: DataPackage, con, sql_table: Callable[[str], str]) -> Source:
    """Tables held in DuckDB (the fast engine's and the site's): a path through foreign keys is
    a LEFT JOIN per step, and rows come grouped by their values, with how many share them."""

    def rows(name: str, paths: Sequence[str]) -> Iterable[tuple[list[str], int]]:
        joins: dict[str, str] = {}  # path so far -> alias of the step that reads its value
        tables, columns = [f"{sql_table(name)} AS t0"], []
        for path in paths:
            value, prefix = f"t0.{q(path.split('.')[0])}", path.split(".")[0]
            for (here, field), (there, next_field) in pairwise(hops(package, name, path)):
                prefix += "." + next_field
                if prefix not in joins:
                    joins[prefix] = alias = f"t{len(joins) + 1}"
                    key = q(package.table(here).reference(field)[1])
                    # One value per key, the least if a key repeats (as file_source reads it).
                    step = (
                        f"SELECT {key} AS k, min(coalesce({q(next_field)}, '')) AS v"
                        f" FROM {sql_table(there)} GROUP BY {key}"
                    )
                    tables.append(f"LEFT JOIN ({step}) AS {alias} ON {alias}.k = {value}")
                value = f"{joins[prefix]}.v"
            columns.append(f"coalesce({value}, '')")
        group = f"{', '.join(columns)}, count(*)" if columns else "count(*)"
        sql = f"SELECT {group} FROM {' '.join(tables)}" + (" GROUP BY ALL" if columns else "")
        for *values, count in con.execute(sql).fetchall():
            yield values, count

    return rows
