"""The report's access to the data: the package's tables in DuckDB, queried by paths that
follow foreign keys (`place_id.parent_id.name_en`), every name checked against the schemas."""

from __future__ import annotations

from pathlib import Path

import tabledb
from docnodes import data_text, localized, value_label

from civic_space import figures, i18n, lexical
from civic_space.descriptor import NO_TRANSLATION, DataPackage, load, status_field
from civic_space.meanings import COUNTS
from civic_space.sql import q


class ReportError(Exception):
    pass


class Data:
    """The package's tables in DuckDB. Selections, counts and groupings run in SQL, so a report
    over a million rows holds none of them in Python; rows come back as dicts of text."""

    def __init__(self, package: DataPackage):
        self.package = package
        self.con = tabledb.connection()
        self.used: set[str] = set()

    def table(self, name: str):
        try:
            return self.package.table(name)
        except StopIteration:
            raise ReportError(f"no table {name!r}") from None

    def sql_table(self, name: str) -> str:
        """The DuckDB table holding `name`."""
        self.used.add(name)
        return tabledb.sql_table(self.table(name))

    def field(self, name: str, path: str) -> tuple[str, dict]:
        """The table and field a path (`place_id.parent_id.name_en`) ends in."""
        tab = self.table(name)
        first, _sep, rest = path.partition(".")
        if first not in tab.field_names:
            raise ReportError(f"{name} has no field {first!r}")
        if not rest:
            return name, tab.field(first)
        return self.field(self.target(name, first), rest)

    def target(self, name: str, column: str) -> str:
        reference = self.table(name).reference(column)
        if reference is None:
            raise ReportError(f"{name}.{column} is not a foreign key, so no path can follow it")
        return reference[0]

    def key_sql(self, name: str, alias: str) -> str:
        keys = [f"coalesce({alias}.{q(k)}, '')" for k in self.table(name).primary_key]
        return keys[0] if len(keys) == 1 else f"concat_ws('/', {', '.join(keys)})"

    def query(self, name: str, where: str = "", nonempty=()) -> Query:
        query = Query(self, name)
        for clause in filter(None, (c.strip() for c in where.split(";"))):
            path, _sep, wanted = clause.partition("=")
            options = wanted.split("|")
            query.conditions.append(
                f"{query.expr(path.strip())} IN ({', '.join('?' * len(options))})"
            )
            query.params += options
        for path in nonempty:
            query.conditions.append(f"{query.expr(path)} <> ''")
        return query

    def count(self, name: str, where: str = "", nonempty=()) -> int:
        query = self.query(name, where, nonempty)
        return self.con.execute(f"SELECT count(*) {query.sql()}", query.params).fetchone()[0]

    def select(self, name: str, where="", order=(), limit=None, nonempty=()) -> list[dict]:
        """Rows of `name` that match, in file order or by the `order` paths; at most `limit`."""
        query = self.query(name, where, nonempty)
        return self.rows(query, [*map(query.expr, order)], limit)

    def rows(self, query: Query, order=(), limit: int | None = None) -> list[dict]:
        """The rows a query finds, as dicts of text ('' where empty)."""
        header = self.table(query.name).field_names
        columns = ", ".join(f"coalesce(t0.{q(n)}, '')" for n in header)
        sql = f"SELECT {columns} {query.sql()} ORDER BY {', '.join([*order, 't0.rowid'])}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        found = self.con.execute(sql, query.params).fetchall()
        return [dict(zip(header, r, strict=True)) for r in found]

    def group(self, name: str, paths: list[str], where="", total: str = "") -> list[tuple]:
        """(value of each path…, count or sum of `total`) per group, in order of first row."""
        query = self.query(name, where)
        keys = [query.expr(p) for p in paths]
        amount = "count(*)"
        if total:  # the column read in its type's canonical form, as every exporter reads it
            kind = self.field(name, total)[1].get("type", "string")
            form = lexical.form(kind) or lexical.FORMS["number"]
            value = form.sql_checked(query.expr(total), f"{name}.{total}")
            amount = f"sum(CAST({value} AS DOUBLE))"
        sql = (
            f"SELECT {', '.join(keys)}, {amount} {query.sql()} GROUP BY ALL ORDER BY min(t0.rowid)"
        )
        return self.con.execute(sql, query.params).fetchall()

    def get(self, name: str, key: str) -> dict:
        """One row by its key (parts joined by '/'); rows once read are kept for the build."""
        memo = (self.sql_table(name), key)
        if memo not in _ROWS:
            _ROWS[memo] = self.lookup(name, key)
        return _ROWS[memo]

    def has(self, name: str, key: str) -> bool:
        """Whether the package has the table and the table a row by this key."""
        if name not in {t.name for t in self.package.tables}:
            return False
        try:
            self.get(name, key)
        except ReportError:
            return False
        return True

    def counted(self, key: str) -> figures.Value:
        """A declared count, from its formula, by the evaluation validation runs (figures.py):
        a number, or one per group for a count by groups. The counts of one version of the data
        are computed together, each table read once."""
        formulas = {r[COUNTS.key]: r[COUNTS.formula] for r in self.select(COUNTS.table)}
        tables = {self.sql_table(COUNTS.table)}
        for name, formula in formulas.items():
            try:
                tables |= {
                    self.sql_table(t.table) for _s, t in figures.check(self.package, formula)
                }
            except figures.FormulaError as exc:
                if name == key:
                    raise ReportError(f"{COUNTS.table}/{key}: {exc}") from None
        memo = tuple(sorted(tables))
        if memo not in _COUNTED:
            source = figures.sql_source(self.package, self.con, self.sql_table)
            _COUNTED[memo] = figures.evaluate(self.package, formulas, source)
        return _COUNTED[memo][key]

    def grouped(self, key: str) -> tuple[str, tuple[str, ...], dict[tuple[str, ...], int]]:
        """A declared count by groups (a chart's): the table it counts, the paths it groups by
        and its value per group."""
        if not self.has(COUNTS.table, key):
            raise ReportError(f"no count {key!r} in the {COUNTS.table} table: declare it there")
        value = self.counted(key)
        if not isinstance(value, dict):
            raise ReportError(
                f"{COUNTS.table}/{key} is one number: end its formula with `by` and the paths"
                " the chart shows"
            )
        term = figures.check(self.package, self.get(COUNTS.table, key)[COUNTS.formula])[0][1]
        return term.table, term.by, value

    def lookup(self, name: str, key: str) -> dict:
        query = Query(self, name)
        query.conditions.append(f"{self.key_sql(name, 't0')} = ?")
        query.params.append(key)
        found = self.rows(query, limit=1)
        if not found:
            raise ReportError(f"{name} has no row {key!r}")
        return found[0]

    def value(self, name: str, row: dict, path: str) -> str:
        """A path's value for one row already read, following foreign keys row by row."""
        first, _sep, rest = path.partition(".")
        self.field(name, path)  # checks the path
        if not rest:
            return self.localized(name, row, first)
        if not row[first]:
            return ""  # no row referred to: nothing to follow
        target = self.target(name, first)
        return self.value(target, self.get(target, row[first]), rest)

    def localized(self, name: str, row: dict, field: str) -> str:
        """A field's value in the edition's language: its twin where the row has one,
        else the English, marked as such."""
        lang = i18n.language()
        twin = dict(self.table(name).twins(lang)).get(field) if lang != "en" else None
        if not twin:
            label = value_label(self.table(name).field(field), row[field])
            return label if label is not row[field] else data_text(label)
        usable = row.get(status_field(lang)) != NO_TRANSLATION and row.get(twin)
        return localized(row[field], row[twin] if usable else None)

    def display(self, name: str, path: str, value: str) -> str:
        """A value found by SQL (a group's label) in the edition's language."""
        table, field = self.field(name, path)
        if i18n.language() == "en" or not value:
            return value_label(field, value)  # English: a coded value's label
        query = Query(self, table)
        query.conditions.append(f"{query.expr(field['name'])} = ?")
        query.params.append(value)
        found = self.rows(query, limit=1)
        return self.localized(table, found[0], field["name"]) if found else value

    def dependencies(self) -> list[str]:
        return [str(self.package.descriptor_path.resolve())] + [
            str(self.table(n).path.resolve()) for n in sorted(self.used)
        ]


class Query:
    """The FROM clause of one query: the table as t0, and a LEFT JOIN per foreign key followed."""

    def __init__(self, data: Data, name: str):
        self.data, self.name = data, name
        self.joins: dict[str, tuple[str, str]] = {"": ("t0", name)}
        self.tables = [f"{data.sql_table(name)} AS t0"]
        self.conditions: list[str] = []
        self.params: list[str] = []

    def expr(self, path: str) -> str:
        """The SQL text of a path's value, '' where it is empty."""
        self.data.field(self.name, path)  # checks the whole path, naming what is wrong
        *hops, last = path.split(".")
        alias, table, prefix = "t0", self.name, ""
        for hop in hops:
            prefix += hop + "."
            if prefix not in self.joins:
                target, new = self.data.target(table, hop), f"t{len(self.joins)}"
                self.tables.append(
                    f"LEFT JOIN {self.data.sql_table(target)} AS {new}"
                    f" ON {self.data.key_sql(target, new)} = {alias}.{q(hop)}"
                )
                self.joins[prefix] = (new, target)
            alias, table = self.joins[prefix]
        return f"coalesce({alias}.{q(last)}, '')"

    def sql(self) -> str:
        return f"FROM {' '.join(self.tables)} WHERE {' AND '.join(self.conditions) or 'true'}"


_ROWS: dict[tuple[str, str], dict] = {}  # (DuckDB table of a file version, key) → row
_COUNTED: dict[tuple, dict[str, figures.Value]] = {}  # DuckDB tables of file versions → counts


def data_of(env) -> Data:
    return Data(load(Path(env.config.datapackage_path)))


def note(env, data: Data) -> None:
    for path in data.dependencies():
        env.note_dependency(path)
