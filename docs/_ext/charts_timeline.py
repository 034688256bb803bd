"""A timeline: one row per item on a time axis, imprecise dates drawn as hatched spans over the
whole period they stand for. Only years with an item get a share of the axis; each run of years
without one becomes a labelled break ("2013–2018, no events"), so a long gap neither squeezes
the busy years nor hides. Wide, labels stand left of their bars; narrow, above them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

from charts_svg import (
    LINE,
    NARROW,
    SIZE,
    WIDE,
    figure,
    figure_id,
    ident,
    layout,
    legend,
    text,
    text_width,
    tip,
    wrap,
)

from civic_space import i18n
from civic_space.i18n import _

BAR = 12


@dataclass
class Span:
    label: str
    start: date
    end: date
    precise: bool  # False: the dates bound a period within which the event happened
    said: str  # the dates as the page words them (no more precise than the data), for the tip


class YearAxis:
    """The axis from `left` over `width`: every year with an item gets an equal share, every
    run of years without one a break of at most `gap_w`; x() places a date on it."""

    def __init__(self, spans: list[Span], left: float, width: float, gap_w: float):
        years = range(min(s.start.year for s in spans), max(s.end.year for s in spans) + 1)
        busy = {y for s in spans for y in range(s.start.year, s.end.year + 1)}
        self.runs: list[tuple[int, int, bool]] = []  # (first, last, busy)
        for y in years:
            if y not in busy and self.runs and not self.runs[-1][2]:
                self.runs[-1] = (self.runs[-1][0], y, False)
            else:
                self.runs.append((y, y, y in busy))
        gaps = sum(not b for _f, _l, b in self.runs)
        self.gap = min(gap_w, 0.45 * width / gaps) if gaps else 0
        self.unit = (width - self.gap * gaps) / (len(self.runs) - gaps)
        self.left: dict[int, float] = {}  # where each run starts, by its first year
        x = left
        for first, _last, is_busy in self.runs:
            self.left[first] = x
            x += self.unit if is_busy else self.gap
        self.right = x

    def x(self, d: date) -> float:
        year_days = (date(d.year + 1, 1, 1) - date(d.year, 1, 1)).days
        return self.left[d.year] + self.unit * (d - date(d.year, 1, 1)).days / year_days

    def day(self) -> float:
        return self.unit / 365


def timeline(spans: list[Span], title: str, description: str) -> str:
    fid = figure_id(title, description)
    description += " " + _("Years with no event are left out of the axis and marked as breaks.")
    entries = [
        ("chart-precise", "rect", _("exact day(s)")),
        ("chart-imprecise", "rect", _("known only to the month, season or year: the whole period")),
    ]
    wide = timeline_layout(spans, fid, entries, WIDE, beside=True)
    narrow = timeline_layout(spans, fid, entries, NARROW, beside=False)
    return figure(title, description, wide, narrow, defs=hatch(fid), fid=fid)


def timeline_layout(spans, fid: str, entries, width: float, beside: bool) -> ET.Element:
    """The timeline in `width`: labels beside the bars (wide) or above them (narrow)."""
    label_w = width * 0.36 if beside else width - 8
    # An exact day's row says its date under its name: the mark alone is too thin to read.
    names = [wrap(s.label, label_w) + ([s.said] if s.precise else []) for s in spans]
    axis = YearAxis(
        spans, label_w + 12 if beside else 4, width - (label_w + 20 if beside else 8), 84
    )
    svg = ET.Element("g")
    back = ET.SubElement(svg, "g")  # the grid, behind the marks
    y = 4.0
    if not beside:  # the years above the rows too: the narrow layout is tall
        y += year_labels(svg, axis, y) + 6
    rows_top = y
    for span, lines in zip(spans, names, strict=True):
        if beside:
            dated(text(svg, label_w, y + 11, span.label, anchor="end", lines=lines), span)
            bar_y = y + (LINE * len(lines) - BAR) / 2
            y += max(LINE * len(lines), BAR) + 8
        else:  # the grid only beside the bar, never across a label
            dated(text(svg, 4, y + 11, span.label, lines=lines), span)
            bar_y = y + LINE * len(lines) + 2
            grid(back, axis, bar_y - 3, bar_y + BAR + 3)
            y = bar_y + BAR + 10
        span_mark(svg, axis, span, bar_y)
    if beside:
        grid(back, axis, rows_top - 2, y)
    y += 4 + year_labels(svg, axis, y + 4)
    left = label_w + 12 if beside else 4
    y += 10 + legend(svg, entries, left, y + 10, width - left - 4)
    for rect in svg.iter("rect"):
        if "chart-imprecise" in rect.get("class", "").split():
            rect.set("fill", f"url(#{ident(fid, 'hatch')})")  # a pattern, not a colour
    out = layout(width, y + 6, "wide" if beside else "narrow")
    out.extend(list(svg))
    return out


def dated(label: ET.Element, span: Span) -> None:
    """The date line of an exact day's label, muted and a date (not a figure: "chart-date")."""
    if span.precise:
        last = list(label)[-1] if len(label) else label
        last.set("class", "chart-muted chart-date")
        if label.get("lang"):  # the name is English for want of a translation, not its date
            last.set("lang", i18n.language())


def span_mark(svg, axis: YearAxis, span: Span, y: float) -> None:
    x1 = axis.x(span.start)
    x2 = axis.x(span.end) + axis.day()
    cls = "chart-precise" if span.precise else "chart-imprecise"
    attrs = {"class": cls, "x": f"{x1:.1f}", "y": f"{y:.1f}", "height": str(BAR)}
    mark = ET.SubElement(svg, "rect", attrs, width=f"{max(x2 - x1, 4):.1f}")
    tip(mark, f"{span.label}: {span.said}")


def grid(svg, axis: YearAxis, top: float, bottom: float) -> None:
    """A line where each run of years starts and at the axis's end; a break's band shaded."""
    for first, _last, busy in axis.runs:
        x = axis.left[first]
        if not busy:  # a band over the break
            attrs = {"class": "chart-break", "x": f"{x:.1f}", "y": f"{top:.1f}"}
            ET.SubElement(svg, "rect", attrs, width=f"{axis.gap:.1f}", height=f"{bottom - top:.1f}")
    for x in [*axis.left.values(), axis.right]:
        ET.SubElement(
            svg,
            "line",
            {"class": "chart-grid", "x1": f"{x:.1f}", "x2": f"{x:.1f}"},
            y1=f"{top:.1f}",
            y2=f"{bottom:.1f}",
        )


def year_labels(svg, axis: YearAxis, y: float) -> float:
    """Each year under its share of the axis, and under each break its years and "no events"
    (where there is room); returns the height used."""
    used, last_right = LINE, -1e9
    for first, last, busy in axis.runs:
        room = axis.unit if busy else axis.gap
        middle = axis.left[first] + room / 2
        years = str(first) if first == last else f"{first}–{last}"
        note = [] if busy else wrap(_("no events"), room - 4)
        lines = [years, *note]
        width = max(text_width(line) for line in lines)
        if middle - width / 2 < last_right + 4 or (not busy and width > room + 8):
            continue  # no room: the line at the run's start still marks it
        # An axis's years: dates, not figures (the numeral test knows them by "chart-axis").
        text(svg, middle, y + SIZE, years, anchor="middle", cls="chart-axis", lines=lines)
        if note:
            svg[-1].set("class", "chart-axis chart-muted")
        last_right = middle + width / 2
        used = max(used, LINE * len(lines))
    return used


def hatch(fid: str) -> ET.Element:
    """The hatched fill of imprecise spans, defined once for both layouts."""
    defs = ET.Element("defs")
    pattern = ET.SubElement(
        defs,
        "pattern",
        id=ident(fid, "hatch"),
        width="6",
        height="6",
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    ET.SubElement(pattern, "rect", {"class": "chart-hatch-ground"}, width="6", height="6")
    ET.SubElement(pattern, "line", {"class": "chart-hatch-line"}, x1="0", y1="0", x2="0", y2="6")
    return defs
