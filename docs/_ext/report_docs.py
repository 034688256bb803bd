"""Sphinx extension: the report's numbers, tables and charts, computed from the data at build time.

Roles (inline, in MyST prose):
  {datum}`metrics/online-reach/value`     one value; `a.b` follows foreign keys (place_id.name_en)
  {count}`issues?kind=concern`            how many rows match
  {when}`workshop-arvaikheer`             an event's dates, as precisely as they are known

Directives:
  report-table TABLE    rows as a table (:where:, :columns:, :headers:, :sort:)
  report-matrix TABLE   counts of rows by two columns (:rows:, :columns:, :where:)
  report-list TABLE     a numbered list of one column (:text:, :where:)
  report-figure KIND    an SVG chart (map, bars, timeline) with alt text, caption and its data table

Filters are `field=value` joined by `;`, with `|` between alternatives. Every name is checked
against the schemas: a wrong one fails the build. Values become text nodes, never markup.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import charts
import tabledb
from babel.dates import format_date, format_skeleton
from datapackage_docs import field_title, generated, localized, para, table, text_node
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import init as init_locale
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.i18n import docname_to_domain
from tabledb import LoadError

from civic_space import i18n
from civic_space.descriptor import NO_TRANSLATION, DataPackage, load, status_field
from civic_space.i18n import _
from civic_space.meanings import EVENT_DATES, EVENT_PLACE, PLACES
from civic_space.sql import q

OUTLINE = Path(__file__).resolve().parent.parent / "_data" / "mongolia-outline.geojson"


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
        amount = f"sum(CAST(nullif({query.expr(total)}, '') AS DOUBLE))" if total else "count(*)"
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
            return row[field]
        usable = row.get(status_field(lang)) != NO_TRANSLATION and row.get(twin)
        return localized(row[field], row[twin] if usable else None)

    def display(self, name: str, path: str, value: str) -> str:
        """A value found by SQL (a group's label) in the edition's language."""
        table, field = self.field(name, path)
        if i18n.language() == "en" or not value:
            return value
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


def formatted(value: str, field: dict) -> str:
    if value == "":
        return "—"
    if field.get("type") == "integer":
        return f"{int(value):,}"
    if field.get("type") == "date":
        return human_date(date.fromisoformat(value))
    return value


def human_date(d: date) -> str:
    if i18n.language() == "en":
        return f"{d.day} {d:%B %Y}"
    return format_date(d, "long", locale=i18n.language())


def month(d: date) -> str:
    if i18n.language() == "en":
        return f"{d:%B %Y}"
    return format_skeleton("yMMMM", d, locale=i18n.language())


def when(row: dict) -> str:
    """An event's dates as a phrase that claims no more precision than the data has."""
    d = EVENT_DATES
    precision, start, end = row[d.precision], row[d.start], row[d.end]
    if precision == "unknown" or not start:
        return _("date not given")
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    if precision == "year":
        return str(a.year)
    if precision == "month":
        return month(a)
    if precision == "season":
        return _("{start}–{end} (given as “{as_given}”)").format(
            start=month(a), end=month(b), as_given=row["date_as_given"]
        )
    if a == b:
        return human_date(a)
    if (a.year, a.month) == (b.year, b.month) and i18n.language() == "en":
        return f"{a.day}–{b.day} {b:%B %Y}"
    return f"{human_date(a)} – {human_date(b)}"


def data_of(env) -> Data:
    return Data(load(Path(env.config.datapackage_path)))


def note(env, data: Data) -> None:
    for path in data.dependencies():
        env.note_dependency(path)


# ---- roles ---------------------------------------------------------------------------------


class ReportRole(SphinxRole):
    def run(self):
        data = data_of(self.env)
        try:
            text = self.compute(data)
        except (ReportError, LoadError, ValueError, KeyError) as exc:
            msg = self.inliner.reporter.error(f"{self.name}`{self.text}`: {exc}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        note(self.env, data)
        node = text_node(text)
        if not isinstance(node, nodes.inline):
            node = nodes.inline(text, text)
        node["classes"].append("datum")
        return [node], []


class DatumRole(ReportRole):
    def compute(self, data: Data) -> str:
        if self.text.count("/") < 2:
            raise ReportError("write table/key/field")
        name, rest = self.text.split("/", 1)
        key, path = rest.rsplit("/", 1)  # a composite key holds "/" itself
        row = data.get(name, key)
        return formatted(data.value(name, row, path), data.field(name, path)[1])


class CountRole(ReportRole):
    def compute(self, data: Data) -> str:
        name, _sep, where = self.text.partition("?")
        return f"{data.count(name, where.replace('&', ';')):,}"


class WhenRole(ReportRole):
    def compute(self, data: Data) -> str:
        return when(data.get("events", self.text))


# ---- directives ----------------------------------------------------------------------------


REPORT_ROWS = 500  # a report page lists at most this many rows; the downloads hold them all


def beyond(count: int, name: str) -> list[nodes.Node]:
    """A note under a list cut at REPORT_ROWS, pointing to the full table."""
    if count <= REPORT_ROWS:
        return []
    return [
        para(
            _(
                "… and {more} more of {count}; the {name} table and the downloads have them all."
            ).format(more=f"{count - REPORT_ROWS:,}", count=f"{count:,}", name=name)
        )
    ]


def split(option: str | None) -> list[str]:
    return [p.strip() for p in (option or "").split(",") if p.strip()]


class ReportDirective(SphinxDirective):
    has_content = False
    optional_arguments = 1
    option_spec = {  # noqa: RUF012 (docutils interface)
        "where": directives.unchanged,
        "columns": directives.unchanged,
        "headers": directives.unchanged,
        "sort": directives.unchanged,
        "rows": directives.unchanged,
        "text": directives.unchanged,
        "table": directives.unchanged,
        "group": directives.unchanged,
        "stack": directives.unchanged,
        "value": directives.unchanged,
        "label": directives.unchanged,
        "caption": directives.unchanged,
        "kind": directives.unchanged,
    }

    @generated
    def run(self):
        data = data_of(self.env)
        try:
            out = self.build(data)
        except (ReportError, LoadError, ValueError, KeyError) as exc:
            raise self.error(f"{self.name}: {exc}") from None
        note(self.env, data)
        return out

    def cell(self, data: Data, name: str, row: dict, column: str) -> str:
        if column == "@when":
            return when(row)
        if column == "@days":
            start, end = row.get(EVENT_DATES.start), row.get(EVENT_DATES.end)
            if not start:
                return "—"
            span = date.fromisoformat(end) - date.fromisoformat(start)
            return str(span.days + 1)
        return formatted(data.value(name, row, column), data.field(name, column)[1])

    def header(self, data: Data, name: str, column: str) -> str:
        if column.startswith("@"):
            return {"@when": _("When"), "@days": _("Days")}[column]
        return field_title(data.field(name, column)[1].get("title", column))


class TableDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        name = self.arguments[0]
        where = self.options.get("where", "")
        order = [self.options["sort"]] if "sort" in self.options else []
        rows = data.select(name, where, order=order, limit=REPORT_ROWS)
        columns = split(self.options.get("columns")) or data.table(name).field_names
        headers = split(self.options.get("headers")) or [
            self.header(data, name, c) for c in columns
        ]
        if len(headers) != len(columns):
            raise ReportError("give as many headers as columns")
        body = [[self.cell(data, name, r, c) for c in columns] for r in rows]
        return [table(headers, body), *beyond(data.count(name, where), name)]


class MatrixDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        name = self.arguments[0]
        down, across = self.options["rows"], self.options["columns"]
        groups = data.group(name, [down, across], self.options.get("where", ""))
        keys_down = sorted({g[0] for g in groups})
        keys_across = sorted({g[1] for g in groups})
        counts = {(d, a): 0 for d in keys_down for a in keys_across}
        counts.update({(d, a): n for d, a, n in groups})
        body = [
            [
                data.display(name, down, d),
                *[str(counts[d, a] or "") for a in keys_across],
                str(sum(counts[d, a] for a in keys_across)),
            ]
            for d in keys_down
        ]
        body.append(
            [
                _("Total"),
                *[str(sum(counts[d, a] for d in keys_down)) for a in keys_across],
                str(sum(g[2] for g in groups)),
            ]
        )
        first = self.header(data, name, down)
        across_labels = [data.display(name, across, a) for a in keys_across]
        return [table([first, *across_labels, _("Total")], body)]


class ListDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        name = self.arguments[0]
        listing = nodes.enumerated_list(enumtype="arabic")
        where = self.options.get("where", "")
        for row in data.select(name, where, limit=REPORT_ROWS):
            listing += nodes.list_item("", para(data.value(name, row, self.options["text"])))
        return [listing, *beyond(data.count(name, where), name)]


class FigureDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        kind = self.arguments[0]
        name = self.options.get("table", "events")
        where = self.options.get("where", "")
        caption = self.options.get("caption", "")
        said = self.translated(caption)  # the chart's title and alt text, in the page's language
        if kind == "bars":
            svg, headers, body, shown = self.bars(data, name, where, said)
        elif kind == "timeline":
            svg, headers, body, shown = self.timeline(data, name, where, said)
        elif kind == "map":
            svg, headers, body, shown = self.map(data, name, where, said)
        else:
            raise ReportError(f"unknown figure kind {kind!r} (bars, timeline, map)")
        figure = nodes.figure(classes=["report-figure"])
        figure += nodes.raw("", svg, format="html")
        caption_node = nodes.caption(caption, caption)
        # With its place in the page, Sphinx's gettext extracts the caption and translates it.
        caption_node.source, caption_node.line = self.get_source_info()
        caption_node["translatable"] = True
        figure += caption_node
        details = nodes.container(classes=["figure-data"])
        details += nodes.rubric(
            "", _("The data of the figure: {caption}").format(caption=said.rstrip("."))
        )
        details += table(headers, body)
        details += beyond(shown, name)
        return [figure, details]

    def translated(self, text: str) -> str:
        """`text` from this page's own catalogue, as Sphinx translates the page's captions (the
        SVG is made here, before that translation runs)."""
        if not text or (self.config.language or "en") == "en":
            return text
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        folders = [Path(self.env.srcdir) / d for d in self.config.locale_dirs]
        catalog, found = init_locale(folders, self.config.language, domain)
        return catalog.gettext(text) if found else text

    def bars(self, data, name, where, caption):
        group, stack = self.options["group"], self.options.get("stack")
        value = self.options.get("value", "")
        found = data.group(name, [group, stack] if stack else [group], where, total=value)
        groups = list(dict.fromkeys(g[0] for g in found))
        stacks = list(dict.fromkeys(g[1] for g in found)) if stack else ["n"]
        series = {s: [0.0] * len(groups) for s in stacks}
        where_is = {g: i for i, g in enumerate(groups)}
        for *keys, amount in found:
            series[keys[1] if stack else "n"][where_is[keys[0]]] += amount or 0.0
        order = sorted(range(len(groups)), key=lambda i: -sum(v[i] for v in series.values()))
        order = order[:REPORT_ROWS]  # the largest groups; the note under the table says so
        groups = [data.display(name, group, groups[i]) for i in order]
        series = {s: [v[i] for i in order] for s, v in series.items()}
        totals = [sum(v[i] for v in series.values()) for i in range(len(groups))]
        alt = caption + " " + "; ".join(f"{g}: {t:,g}" for g, t in zip(groups, totals, strict=True))
        svg = charts.bar_chart(groups, series, caption, alt)
        headers = [self.header(data, name, group), *(stacks if stack else []), _("Total")]
        body = [
            [g, *([f"{series[s][i]:,g}" for s in stacks] if stack else []), f"{totals[i]:,g}"]
            for i, g in enumerate(groups)
        ]
        return svg, headers, body, len(where_is)

    def timeline(self, data, name, where, caption):
        label = self.options.get("label", "title")
        d = EVENT_DATES
        dated = data.select(name, where, [d.start, d.end], REPORT_ROWS, nonempty=[d.start])
        spans = [
            charts.Span(
                data.value(name, r, label),
                date.fromisoformat(r[d.start]),
                date.fromisoformat(r[d.end]),
                r[d.precision] == "day",
            )
            for r in dated
        ]
        alt = caption + " " + "; ".join(f"{when(r)}: {data.value(name, r, label)}" for r in dated)
        svg = charts.timeline(spans, caption, alt)
        headers = [_("When"), _("Event"), _("Precision")]
        body = [[when(r), data.value(name, r, label), r[d.precision]] for r in dated]
        undated = data.select(name, ";".join([where, f"{d.start}="]), limit=REPORT_ROWS)
        body += [[_("date not given"), data.value(name, r, label), "unknown"] for r in undated]
        return svg, headers, body[:REPORT_ROWS], data.count(name, where)

    def map(self, data, name, where, caption):
        label = self.options.get("label", "title")
        kind = self.options.get("kind", "kind")
        at, pl = EVENT_PLACE.place, PLACES
        located = [f"{at}.{pl.latitude}"]
        kinds: dict[str, set] = {}
        for place_id, kind_value, _count in data.group(name, [at, kind], where):
            if data.get(pl.table, place_id)[pl.latitude] if place_id else "":
                kinds.setdefault(place_id, set()).add(kind_value.replace("-", " "))
        places = {pid: data.get(pl.table, pid) for pid in kinds}
        body = [
            [
                data.value(pl.table, places[r[at]], "name_en"),
                data.value(name, r, label),
                when(r),
                places[r[at]][pl.latitude],
                places[r[at]][pl.longitude],
            ]
            for r in data.select(name, where, limit=REPORT_ROWS, nonempty=located)
        ]
        # One point per place; a place with events of several kinds gets a group of its own.
        points = {
            pid: charts.Point(
                data.value(pl.table, p, "name_en"),
                float(p[pl.longitude]),
                float(p[pl.latitude]),
                " and ".join(sorted(kinds[pid])),
            )
            for pid, p in places.items()
        }
        outline = json.loads(OUTLINE.read_text(encoding="utf-8"))["geometry"]["coordinates"][0]
        self.env.note_dependency(str(OUTLINE))
        alt = caption + " " + "; ".join(f"{p.label} ({p.kind})" for p in points.values())
        svg = charts.map_svg(
            list(points.values()), outline, (87.5, 41.4, 120.2, 52.3), caption, alt
        )
        headers = [_("Place"), _("Event"), _("When"), _("Latitude"), _("Longitude")]
        return svg, headers, body, data.count(name, where, nonempty=located)


def setup(app):
    app.setup_extension("datapackage_docs")
    app.add_role("datum", DatumRole())
    app.add_role("count", CountRole())
    app.add_role("when", WhenRole())
    app.add_directive("report-table", TableDirective)
    app.add_directive("report-matrix", MatrixDirective)
    app.add_directive("report-list", ListDirective)
    app.add_directive("report-figure", FigureDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
