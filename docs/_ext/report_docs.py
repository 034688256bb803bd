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
from datapackage_docs import para, table
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective, SphinxRole

from civic_space.descriptor import DataPackage, load
from civic_space.formatting import read_rows

OUTLINE = Path(__file__).resolve().parent.parent / "_data" / "mongolia-outline.geojson"


class ReportError(Exception):
    pass


class Data:
    """The package's rows as dicts of text, with foreign keys to follow."""

    def __init__(self, package: DataPackage):
        self.package = package
        self._rows: dict[str, list[dict]] = {}

    def table(self, name: str):
        try:
            return self.package.table(name)
        except StopIteration:
            raise ReportError(f"no table {name!r}") from None

    def rows(self, name: str) -> list[dict]:
        if name not in self._rows:
            self._rows[name] = cached(self.table(name))[0]
        return self._rows[name]

    def key(self, name: str, row: dict) -> str:
        return "/".join(row[k] for k in self.table(name).primary_key)

    def get(self, name: str, key: str) -> dict:
        self.rows(name)
        found = cached(self.table(name))[1].get(key)
        if found is None:
            raise ReportError(f"{name} has no row {key!r}")
        return found

    def field(self, name: str, path: str) -> tuple[str, dict]:
        """The table and field a path (`place_id.parent_id.name_en`) ends in."""
        tab = self.table(name)
        first, _, rest = path.partition(".")
        if first not in tab.field_names:
            raise ReportError(f"{name} has no field {first!r}")
        if not rest:
            return name, tab.field(first)
        for fk in tab.schema.get("foreignKeys", []):
            if fk["fields"] == [first]:
                return self.field(fk["reference"]["resource"] or name, rest)
        raise ReportError(f"{name}.{first} is not a foreign key, so {rest!r} cannot follow it")

    def value(self, name: str, row: dict, path: str) -> str:
        first, _, rest = path.partition(".")
        self.field(name, path)  # checks the path
        if not rest or not row[first]:
            return row[first]
        target = self.field(name, first + "." + rest.partition(".")[0])[0]
        return self.value(target, self.get(target, row[first]), rest)

    def select(self, name: str, where: str = "") -> list[dict]:
        rows = self.rows(name)
        for clause in filter(None, (c.strip() for c in where.split(";"))):
            path, _, wanted = clause.partition("=")
            options = set(wanted.split("|"))
            rows = [r for r in rows if self.value(name, r, path.strip()) in options]
        return rows

    def dependencies(self) -> list[str]:
        return [str(self.package.descriptor_path.resolve())] + [
            str(self.table(n).path.resolve()) for n in self._rows
        ]


_CACHE: dict[tuple, tuple[list[dict], dict[str, dict]]] = {}


def cached(tab) -> tuple[list[dict], dict[str, dict]]:
    """A table's rows and its rows by key, read once per file version for the whole build."""
    stat = tab.path.stat()
    version = (str(tab.path), stat.st_size, stat.st_mtime_ns)
    if version not in _CACHE:
        header, rows = read_rows(tab)
        records = [dict(zip(header, r, strict=True)) for r in rows]
        by_key = {"/".join(r[k] for k in tab.primary_key): r for r in records}
        _CACHE[version] = (records, by_key)
    return _CACHE[version]


def formatted(value: str, field: dict) -> str:
    if value == "":
        return "—"
    if field.get("type") == "integer":
        return f"{int(value):,}"
    if field.get("type") == "date":
        return human_date(date.fromisoformat(value))
    return value


def human_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def when(row: dict) -> str:
    """An event's dates as a phrase that claims no more precision than the data has."""
    precision, start, end = row["date_precision"], row["start_date"], row["end_date"]
    if precision == "unknown" or not start:
        return "date not given"
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    if precision == "year":
        return str(a.year)
    if precision == "month":
        return f"{a:%B %Y}"
    if precision == "season":
        return f"{a:%B}–{b:%B %Y} (given as “{row['date_as_given']}”)"
    if a == b:
        return human_date(a)
    if (a.year, a.month) == (b.year, b.month):
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
        except (ReportError, ValueError, KeyError) as exc:
            msg = self.inliner.reporter.error(f"{self.name}`{self.text}`: {exc}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        note(self.env, data)
        return [nodes.inline(text, text, classes=["datum"])], []


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
        name, _, where = self.text.partition("?")
        return f"{len(data.select(name, where.replace('&', ';'))):,}"


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
            f"… and {count - REPORT_ROWS:,} more of {count:,}; the {name} table and the"
            " downloads have them all."
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

    def run(self):
        data = data_of(self.env)
        try:
            out = self.build(data)
        except (ReportError, ValueError, KeyError) as exc:
            raise self.error(f"{self.name}: {exc}") from None
        note(self.env, data)
        return out

    def cell(self, data: Data, name: str, row: dict, column: str) -> str:
        if column == "@when":
            return when(row)
        if column == "@days":
            if not row.get("start_date"):
                return "—"
            span = date.fromisoformat(row["end_date"]) - date.fromisoformat(row["start_date"])
            return str(span.days + 1)
        return formatted(data.value(name, row, column), data.field(name, column)[1])

    def header(self, data: Data, name: str, column: str) -> str:
        if column.startswith("@"):
            return {"@when": "When", "@days": "Days"}[column]
        return data.field(name, column)[1].get("title", column)


class TableDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        name = self.arguments[0]
        rows = data.select(name, self.options.get("where", ""))
        if "sort" in self.options:
            rows = sorted(rows, key=lambda r: data.value(name, r, self.options["sort"]))
        columns = split(self.options.get("columns")) or data.table(name).field_names
        headers = split(self.options.get("headers")) or [
            self.header(data, name, c) for c in columns
        ]
        if len(headers) != len(columns):
            raise ReportError("give as many headers as columns")
        body = [[self.cell(data, name, r, c) for c in columns] for r in rows[:REPORT_ROWS]]
        return [table(headers, body), *beyond(len(rows), name)]


class MatrixDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        name = self.arguments[0]
        rows = data.select(name, self.options.get("where", ""))
        down, across = self.options["rows"], self.options["columns"]
        keys_down = sorted({data.value(name, r, down) for r in rows})
        keys_across = sorted({data.value(name, r, across) for r in rows})
        counts = {(d, a): 0 for d in keys_down for a in keys_across}
        for r in rows:
            counts[data.value(name, r, down), data.value(name, r, across)] += 1
        body = [
            [
                d,
                *[str(counts[d, a] or "") for a in keys_across],
                str(sum(counts[d, a] for a in keys_across)),
            ]
            for d in keys_down
        ]
        body.append(
            [
                "Total",
                *[str(sum(counts[d, a] for d in keys_down)) for a in keys_across],
                str(len(rows)),
            ]
        )
        first = self.header(data, name, down)
        return [table([first, *keys_across, "Total"], body)]


class ListDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        name = self.arguments[0]
        listing = nodes.enumerated_list(enumtype="arabic")
        rows = data.select(name, self.options.get("where", ""))
        for row in rows[:REPORT_ROWS]:
            listing += nodes.list_item("", para(data.value(name, row, self.options["text"])))
        return [listing, *beyond(len(rows), name)]


class FigureDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0

    def build(self, data: Data):
        kind = self.arguments[0]
        name = self.options.get("table", "events")
        rows = data.select(name, self.options.get("where", ""))
        caption = self.options.get("caption", "")
        if kind == "bars":
            svg, headers, body = self.bars(data, name, rows, caption)
        elif kind == "timeline":
            svg, headers, body = self.timeline(data, name, rows, caption)
        elif kind == "map":
            svg, headers, body = self.map(data, name, rows, caption)
        else:
            raise ReportError(f"unknown figure kind {kind!r} (bars, timeline, map)")
        figure = nodes.figure(classes=["report-figure"])
        figure += nodes.raw("", svg, format="html")
        figure += nodes.caption("", caption)
        details = nodes.container(classes=["figure-data"])
        details += nodes.rubric("", f"The data of the figure: {caption.rstrip('.')}")
        details += table(headers, body)
        return [figure, details]

    def bars(self, data, name, rows, caption):
        group, stack = self.options["group"], self.options.get("stack")
        value = self.options.get("value")
        groups = list(dict.fromkeys(data.value(name, r, group) for r in rows))
        stacks = list(dict.fromkeys(data.value(name, r, stack) for r in rows)) if stack else ["n"]
        series = {s: [0.0] * len(groups) for s in stacks}
        for r in rows:
            amount = float(data.value(name, r, value)) if value else 1.0
            series[data.value(name, r, stack) if stack else "n"][
                groups.index(data.value(name, r, group))
            ] += amount
        order = sorted(range(len(groups)), key=lambda i: -sum(v[i] for v in series.values()))
        groups = [groups[i] for i in order]
        series = {s: [v[i] for i in order] for s, v in series.items()}
        totals = [sum(v[i] for v in series.values()) for i in range(len(groups))]
        alt = caption + " " + "; ".join(f"{g}: {t:,g}" for g, t in zip(groups, totals, strict=True))
        svg = charts.bar_chart(groups, series, caption, alt)
        headers = [self.header(data, name, group), *(stacks if stack else []), "Total"]
        body = [
            [g, *([f"{series[s][i]:,g}" for s in stacks] if stack else []), f"{totals[i]:,g}"]
            for i, g in enumerate(groups)
        ]
        return svg, headers, body

    def timeline(self, data, name, rows, caption):
        label = self.options.get("label", "title")
        dated = sorted(
            (r for r in rows if r["start_date"]), key=lambda r: (r["start_date"], r["end_date"])
        )
        spans = [
            charts.Span(
                data.value(name, r, label),
                date.fromisoformat(r["start_date"]),
                date.fromisoformat(r["end_date"]),
                r["date_precision"] == "day",
            )
            for r in dated
        ]
        alt = caption + " " + "; ".join(f"{when(r)}: {data.value(name, r, label)}" for r in dated)
        svg = charts.timeline(spans, caption, alt)
        headers = ["When", "Event", "Precision"]
        body = [[when(r), data.value(name, r, label), r["date_precision"]] for r in dated]
        undated = [r for r in rows if not r["start_date"]]
        body += [["date not given", data.value(name, r, label), "unknown"] for r in undated]
        return svg, headers, body

    def map(self, data, name, rows, caption):
        label = self.options.get("label", "title")
        kind = self.options.get("kind", "kind")
        kinds: dict[str, set] = {}
        places, body = {}, []
        for r in rows:
            place = data.get("places", r["place_id"]) if r.get("place_id") else None
            if not place or not place["latitude"]:
                continue
            places[place["place_id"]] = place
            kinds.setdefault(place["place_id"], set()).add(r[kind].replace("-", " "))
            body.append(
                [
                    place["name_en"],
                    data.value(name, r, label),
                    when(r),
                    place["latitude"],
                    place["longitude"],
                ]
            )
        # One point per place; a place with events of several kinds gets a group of its own.
        points = {
            pid: charts.Point(
                p["name_en"],
                float(p["longitude"]),
                float(p["latitude"]),
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
        return svg, ["Place", "Event", "When", "Latitude", "Longitude"], body


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
