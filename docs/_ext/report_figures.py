"""The report-figure directive: an SVG chart (bars, timeline or map) with its alt text, a
caption translated with the page, and the figure's data as a table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import charts
from docnodes import table
from docutils import nodes
from docutils.parsers.rst import directives
from report_data import Data, ReportError
from report_directives import REPORT_ROWS, ReportDirective, beyond
from report_format import day, when
from sphinx.locale import init as init_locale
from sphinx.util.i18n import docname_to_domain
from table_layout import region

from civic_space import edge, lexical
from civic_space.i18n import _
from civic_space.meanings import EVENT_DATES, EVENT_PLACE, PLACES

OUTLINE = Path(__file__).resolve().parent.parent / "_data" / "mongolia-outline.geojson"


class FigureDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0
    option_spec: ClassVar[dict] = {
        **ReportDirective.option_spec,
        "table": directives.unchanged,
        "group": directives.unchanged,
        "stack": directives.unchanged,
        "value": directives.unchanged,
        "label": directives.unchanged,
        "caption": directives.unchanged,
        "kind": directives.unchanged,
    }

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
        heading = _("The data of the figure: {caption}").format(caption=said.rstrip("."))
        details += nodes.rubric("", heading)
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
        # Each series by its name in the edition's language, as the tables name it.
        series = {
            data.display(name, stack, s) if stack else s: [v[i] for i in order]
            for s, v in series.items()
        }
        stacks = list(series)
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
                day(r[d.start]),
                day(r[d.end]),
                r[d.precision] == "day",
            )
            for r in dated
        ]
        alt = caption + " " + "; ".join(f"{when(r)}: {data.value(name, r, label)}" for r in dated)
        svg = charts.timeline(spans, caption, alt)
        headers = [_("When"), _("Event"), _("Precision")]
        body = [
            [when(r), data.value(name, r, label), data.value(name, r, d.precision)] for r in dated
        ]
        undated = data.select(name, ";".join([where, f"{d.start}="]), limit=REPORT_ROWS)
        body += [
            [_("date not given"), data.value(name, r, label), data.value(name, r, d.precision)]
            for r in undated
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
                float(lexical.parse("number", p[pl.longitude])),
                float(lexical.parse("number", p[pl.latitude])),
                _(" and ").join(sorted(kinds[pid])),
            )
            for pid, p in places.items()
        }
        outline = json.loads(edge.read_text(OUTLINE.parents[1], OUTLINE))
        outline = outline["geometry"]["coordinates"][0]
        self.env.note_dependency(str(OUTLINE))
        alt = caption + " " + "; ".join(f"{p.label} ({p.kind})" for p in points.values())
        svg = charts.map_svg(
            list(points.values()), outline, (87.5, 41.4, 120.2, 52.3), caption, alt
        )
        headers = [_("Place"), _("Event"), _("When"), _("Latitude"), _("Longitude")]
        return svg, headers, body, data.count(name, where, nonempty=located)
