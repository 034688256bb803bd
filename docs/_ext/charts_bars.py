"""A bar chart: one row per category, the series stacked in order, the total at the bar's end.
Wide, the category's name stands left of its bar; narrow, above it, over the full width.

Bars that measure different quantities never share a scale: each quantity is a panel of its
own (small multiples), headed by what it measures, its bars scaled to its own largest."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from charts_svg import LINE, NARROW, WIDE, figure, layout, legend, text, text_width, tip, wrap

BAR = 14  # a bar's thickness
SERIES = 6  # classes chart-s0 … chart-s5 in charts.css


def bar_chart(
    categories: list[str],
    series: dict[str, list[float]],
    title: str,
    description: str,
    shown: list[str],
    panels: list[tuple[str, list[int]]] | None = None,
) -> str:
    """`shown` is what each bar's end prints: its declared total or its stored value, in the
    edition's writing (the chart adds nothing up that it prints). `panels`: (heading, the
    categories' indexes) for each quantity; by default one panel, unheaded."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    keys = list(series) if len(series) > 1 else []
    entries = [(f"chart-s{n % SERIES}", "rect", name) for n, name in enumerate(keys)]
    rows = list(zip(categories, totals, shown, strict=True))
    panels = panels or [("", list(range(len(categories))))]
    wide = bars_layout(rows, series, entries, panels, WIDE, beside=True)
    narrow = bars_layout(rows, series, entries, panels, NARROW, beside=False)
    return figure(title, description, wide, narrow)


def bars_layout(rows, series, entries, panels, width: float, beside: bool) -> ET.Element:
    """The chart in `width`: names beside the bars (wide) or above them (narrow)."""
    total_w = max((text_width(s) for _c, _t, s in rows), default=0) + 8
    label_w = min(max((text_width(c) for c, _t, _s in rows), default=0), width * 0.36)
    bar_x = label_w + 10 if beside else 0
    svg = ET.Element("g")
    y = legend(svg, entries, bar_x, 4, width - bar_x) + 12 if entries else 4
    for heading, members in panels:
        if heading:  # the quantity the panel's bars measure, over them
            lines = wrap(heading, width)
            text(svg, 0, y + 11, heading, cls="chart-panel", lines=lines)
            y += LINE * len(lines) + 6
        top = max((rows[i][1] for i in members), default=0) or 1
        for n in members:
            y = bar_row(
                svg,
                rows[n],
                [v[n] for v in series.values()],
                list(series),
                entries,
                (
                    label_w,
                    bar_x,
                    width - bar_x - total_w,
                    top,
                    heading if len(members) == 1 else None,
                ),
                y,
                beside,
            )
        y += 8 if heading else 0
    out = layout(width, y + 4, "wide" if beside else "narrow")
    out.extend(list(svg))
    return out


def bar_row(svg, row, values, names, entries, frame, y: float, beside: bool) -> float:
    """One category's bar at `y` (its name, its stacked series, what its end prints);
    returns where the next row starts."""
    category, _total, shown = row
    label_w, bar_x, bar_w, top, heading = frame
    # A panel's one bar that its heading already names is not named again above it.
    lines = [] if category == heading else wrap(category, label_w if beside else bar_x + bar_w)
    if not lines:
        bar_y = y
    elif beside:
        text(svg, label_w, y + 11, category, anchor="end", lines=lines)
        bar_y = y + (LINE * len(lines) - BAR) / 2 if len(lines) > 1 else y
    else:
        text(svg, 0, y + 11, category, lines=lines)
        bar_y = y + LINE * len(lines) + 2
    x = bar_x
    for s, (name, value) in enumerate(zip(names, values, strict=True)):
        w = bar_w * value / top
        if w > 0:
            rect = ET.SubElement(
                svg,
                "rect",
                {"class": f"chart-s{s % SERIES} chart-bar", "x": f"{x:.1f}", "y": f"{bar_y:.1f}"},
                width=f"{w:.1f}",
                height=str(BAR),
            )
            tip(rect, f"{category}, {name}: {value:g}" if entries else f"{category}: {shown}")
        x += w
    text(svg, x + 6, bar_y + 11, shown)
    return y + (
        max(LINE * len(lines), BAR) + 10 if beside or not lines else LINE * len(lines) + BAR + 14
    )
