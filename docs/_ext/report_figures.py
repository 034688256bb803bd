"""The report-figure directive: an SVG chart (bars, timeline or map) with its alt text, a
caption translated with the page, and the figure's data as a table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import charts
from docnodes import datum, table
from docutils import nodes
from docutils.parsers.rst import directives
from figure_notes import (
    csv_text,
    disclosure,
    download,
    source_keys,
    source_line,
    source_paths,
    unit_line,
)
from report_data import Data, ReportError
from report_directives import REPORT_ROWS, ReportDirective, beyond
from report_format import day, formatted, in_svg, number, when
from sphinx.locale import init as init_locale
from sphinx.util.i18n import docname_to_domain
from table_layout import region

from civic_space import edge, figures, i18n, lexical
from civic_space.i18n import _
from civic_space.meanings import COUNTS, EVENT_DATES, EVENT_PLACE, PLACES

OUTLINE = Path(__file__).resolve().parent.parent / "_data" / "mongolia-outline.geojson"


def alt(caption: str, labels: list[str], shown: list[str]) -> str:
    return caption + " " + "; ".join(f"{g}: {t}" for g, t in zip(labels, shown, strict=True))


def counted(figure: str, n: int):
    """A chart's number: its declared count, marked with its name for the numeral test."""
    return datum(number(n), "figure", f"figure-{figure}")


class FigureDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0
    option_spec: ClassVar[dict] = {
        **ReportDirective.option_spec,
        "table": directives.unchanged,
        "group": directives.unchanged,
        "value": directives.unchanged,
        "figure": directives.unchanged,
        "total": directives.unchanged,
        "label": directives.unchanged,
        "caption": directives.unchanged,
        "kind": directives.unchanged,
        "unit": directives.unchanged,
    }
    sources: list[str]  # what the figure shows rests on these (keys of the sources table)
    unit: str  # what its values measure, in the edition's language

    def build(self, data: Data):
        kind = self.arguments[0]
        name = self.options.get("table", "events")
        where = self.options.get("where", "")
        caption = self.options.get("caption", "")
        said = self.translated(caption)  # the chart's title and alt text, in the page's language
        if kind not in ("bars", "timeline", "map"):
            raise ReportError(f"unknown figure kind {kind!r} (bars, timeline, map)")
        svg, headers, body, shown = getattr(self, kind)(data, name, where, said)
        figure = nodes.figure(classes=["report-figure"])
        figure += nodes.raw("", svg, format="html")
        caption_node = nodes.caption(caption, caption)
        # With its place in the page, Sphinx's gettext extracts the caption and translates it.
        caption_node.source, caption_node.line = self.get_source_info()
        caption_node["translatable"] = True
        figure += caption_node
        figure += nodes.legend(
            "",
            source_line(data, self.sources),
            unit_line(*self.unit),
            download(self.env, self.env.docname, csv_text(headers, body)),
            classes=["figure-notes"],
        )
        heading = _("The data of the figure: {caption}").format(caption=said.rstrip("."))
        details = disclosure("", summary=heading, classes=["figure-data"])
        details += region(table(headers, body), heading)  # focusable: it may scroll sideways
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
        """Bars of a declared count by groups (`:figure:`; by two paths, the second stacks, and
        `:total:` names the count by the first alone), or of stored values, one bar per row
        (`:value:` a field, `:group:` the path that names the bar). A chart counts nothing."""
        if "figure" in self.options:
            return self.counted_bars(data, caption)
        if "value" not in self.options:
            raise ReportError(
                "charts count nothing themselves: declare the count in the counts table, its"
                " formula ending in `by` and the paths the bars show, and name it with :figure:"
            )
        value, group = self.options["value"], self.options["group"]
        field = data.field(name, value)[1]
        rows = data.select(name, where, limit=REPORT_ROWS, nonempty=[value])
        labels = [data.value(name, r, group) for r in rows]
        amounts = [float(lexical.parse(field.get("type", "number"), r[value])) for r in rows]
        shown = [formatted(r[value], field) for r in rows]
        self.sources = source_keys(data, name, where)
        panels = self.panels(data, name, rows) if "unit" in self.options else None
        if panels is None:
            self.unit = [_("Unit: {field}, as the data gives it.").format(field=field["title"])]
        svg = charts.bar_chart(
            labels, {"n": amounts}, caption, alt(caption, labels, shown), shown, panels
        )
        headers = [self.header(data, name, group), self.header(data, name, value)]
        body = [[datum(g, "value"), datum(s, "value")] for g, s in zip(labels, shown, strict=True)]
        return svg, headers, body, data.count(name, where, nonempty=[value])

    def panels(self, data, name, rows) -> list[tuple[str, list[int]]]:
        """Bars of different quantities (`:unit:` the path that names each row's quantity,
        such as a metric's measure): a panel each, on a scale of its own. The unit line says
        no more than the data does: it names each quantity, and no unit beyond it."""
        path = self.options["unit"]
        quantities = [data.value(name, r, path) for r in rows]
        kinds = list(dict.fromkeys(quantities))
        self.unit = [_("Units, each panel on a scale of its own: ")]
        for n, kind in enumerate(kinds):
            self.unit += [", "] * bool(n) + [kind]
        self.unit.append(
            _(" (as the column “{field}” names them; the data gives no other unit).").format(
                field=self.header(data, name, path)
            )
        )
        return [(k, [i for i, q in enumerate(quantities) if q == k]) for k in kinds]

    def counted_bars(self, data, caption):
        figure = self.options["figure"]
        table, by, counts = data.grouped(figure)
        declared = data.get(COUNTS.table, figure)
        term = figures.check(data.package, declared[COUNTS.formula])[0][1]
        where = ";".join(f"{p}={'|'.join(sorted(v))}" for p, v in term.conditions)
        self.sources = source_keys(data, table, where) + [
            declared[f] for f in source_paths(data, COUNTS.table) if declared[f]
        ]
        title = next(r for r in data.package.descriptor["resources"] if r["name"] == table)
        self.unit = [
            _("Unit: rows of the table “{table}”, as the count “{count}” counts them.").format(
                table=i18n.table_title(title.get("title", table)) or title.get("title", table),
                count=figure,
            )
        ]
        if len(by) not in (1, 2):
            raise ReportError(f"{figure} is counted by {len(by)} paths: bars show one, or two")
        totals = counts if len(by) == 1 else self.totals(data, figure, by, counts)
        order = sorted(totals, key=lambda g: (-totals[g], g))[:REPORT_ROWS]  # the largest
        stacks = sorted({g[1] for g in counts}) if len(by) == 2 else []
        series = {  # each series by its name in the edition's language, as the tables name it
            data.display(table, by[1], s): [counts.get((*g, s), 0) for g in order] for s in stacks
        } or {"n": [totals[g] for g in order]}
        groups = [data.display(table, by[0], g[0]) for g in order]
        shown = [number(totals[g]) for g in order]
        svg = charts.bar_chart(groups, series, caption, alt(caption, groups, shown), shown)
        headers = [self.header(data, table, by[0]), *(series if stacks else []), _("Total")]
        total = self.options.get("total", figure)
        body = [
            [
                datum(g, "value"),
                *(counted(figure, n[i]) for n in series.values() if stacks),
                counted(total, totals[order[i]]),
            ]
            for i, g in enumerate(groups)
        ]
        return svg, headers, body, len(totals)

    def totals(self, data, figure, by, counts) -> dict:
        """The stacked bars' totals: the declared count named by :total:, by the bars' path
        alone, which must add up the stacks."""
        if "total" not in self.options:
            raise ReportError(f"{figure} stacks: name the count of its bars with :total:")
        _table, total_by, totals = data.grouped(self.options["total"])
        summed: dict[tuple, int] = {}
        for (group, _stack), n in counts.items():
            summed[(group,)] = summed.get((group,), 0) + n
        if total_by != by[:1] or summed != {g: n for g, n in totals.items() if n}:
            raise ReportError(f"{self.options['total']} does not add up the stacks of {figure}")
        return totals

    def timeline(self, data, name, where, caption):
        label = self.options.get("label", "title")
        d = EVENT_DATES
        dated = data.select(name, where, [d.start, d.end], REPORT_ROWS, nonempty=[d.start])
        spans = [
            charts.Span(
                data.value(name, r, label),
                day(r[d.start]),
                day(r[d.end]),
                r[d.precision] == "day",
                in_svg(r),
            )
            for r in dated
        ]
        alt = caption + " " + "; ".join(f"{in_svg(r)}: {data.value(name, r, label)}" for r in dated)
        self.sources = source_keys(data, name, where)
        self.unit = [
            _(
                "Unit: dates. Each row is an event, drawn over its days, or over the"
                " whole period within which its date is known."
            )
        ]
        svg = charts.timeline(spans, caption, alt)
        headers = [_("When"), _("Event"), _("Precision")]
        undated = data.select(name, ";".join([where, f"{d.start}="]), limit=REPORT_ROWS)
        said = [when(r) for r in dated] + [_("date not given")] * len(undated)
        body = [
            [
                datum(w, "date"),
                datum(data.value(name, r, label), "value"),
                datum(data.value(name, r, d.precision), "value"),
            ]
            for w, r in zip(said, [*dated, *undated], strict=True)
        ]
        return svg, headers, body[:REPORT_ROWS], data.count(name, where)

    def map(self, data, name, where, caption):
        label = self.options.get("label", "title")
        kind = self.options.get("kind", "kind")
        at, pl = EVENT_PLACE.place, PLACES
        located = [f"{at}.{pl.latitude}"]
        kinds: dict[str, set] = {}
        for place_id, kind_value, _count in data.group(name, [at, kind], where):
            if data.get(pl.table, place_id)[pl.latitude] if place_id else "":
                said = data.display(name, kind, kind_value).replace("-", " ")
                kinds.setdefault(place_id, set()).add(said)
        places = {pid: data.get(pl.table, pid) for pid in kinds}
        body = [
            [
                datum(data.value(pl.table, places[r[at]], "name_en"), "value"),
                datum(data.value(name, r, label), "value"),
                datum(when(r), "date"),
                datum(places[r[at]][pl.latitude], "value"),
                datum(places[r[at]][pl.longitude], "value"),
            ]
            for r in data.select(name, where, limit=REPORT_ROWS, nonempty=located)
        ]
        # One point per place; a place with events of several kinds gets a group of its own.
        points = {
            pid: charts.Point(
                data.value(pl.table, p, "name_en"),
                float(lexical.parse("number", p[pl.longitude])),
                float(lexical.parse("number", p[pl.latitude])),
                _(" and ").join(sorted(kinds[pid])),
                (p[pl.latitude], p[pl.longitude]),
            )
            for pid, p in places.items()
        }
        outline = json.loads(edge.read_text(OUTLINE.parents[1], OUTLINE))
        outline = outline["geometry"]["coordinates"][0]
        self.env.note_dependency(str(OUTLINE))
        alt = caption + " " + "; ".join(f"{p.label} ({p.kind})" for p in points.values())
        self.sources = source_keys(data, name, where) + source_keys(
            data, name, where, [f"{at}.{pl.source}"]
        )
        self.unit = [_("Unit: places, by their latitude and longitude in degrees.")]
        svg = charts.map_svg(
            list(points.values()), outline, (87.5, 41.4, 120.2, 52.3), caption, alt
        )
        headers = [_("Place"), _("Event"), _("When"), _("Latitude"), _("Longitude")]
        return svg, headers, body, data.count(name, where, nonempty=located)
