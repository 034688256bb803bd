"""A bar chart: one row per category, the series stacked in order, the total at the bar's end.
Wide, the category's name stands left of its bar; narrow, above it, over the full width."""

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
) -> str:
    """`shown` is what each bar's end prints: its declared total or its stored value, in the
    edition's writing (the chart adds nothing up that it prints)."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    keys = list(series) if len(series) > 1 else []
    entries = [(f"chart-s{n % SERIES}", "rect", name) for n, name in enumerate(keys)]
    rows = list(zip(categories, totals, shown, strict=True))
    wide = bars_layout(rows, series, entries, WIDE, beside=True)
    narrow = bars_layout(rows, series, entries, NARROW, beside=False)
    return figure(title, description, wide, narrow)


def bars_layout(rows, series, entries, width: float, beside: bool) -> ET.Element:
    """The chart in `width`: names beside the bars (wide) or above them (narrow)."""
    total_w = max((text_width(s) for _c, _t, s in rows), default=0) + 8
    label_w = min(max((text_width(c) for c, _t, _s in rows), default=0), width * 0.36)
    names = [wrap(c, label_w if beside else width) for c, _t, _s in rows]
    bar_x = label_w + 10 if beside else 0
    bar_w = width - bar_x - total_w
    top = max((t for _c, t, _s in rows), default=0) or 1
    heights = [max(LINE * len(n), BAR) + 10 if beside else LINE * len(n) + BAR + 14 for n in names]
    svg = ET.Element("g")
    y = legend(svg, entries, bar_x, 4, width - bar_x) + 12 if entries else 4
    for n, (category, _total, shown) in enumerate(rows):
        lines = names[n]
        if beside:
            text(svg, label_w, y + 11, category, anchor="end", lines=lines)
            bar_y = y + (LINE * len(lines) - BAR) / 2 if len(lines) > 1 else y
        else:
            text(svg, 0, y + 11, category, lines=lines)
            bar_y = y + LINE * len(lines) + 2
        x = bar_x
        for s, (name, values) in enumerate(series.items()):
            w = bar_w * values[n] / top
            if w > 0:
                rect = ET.SubElement(
                    svg,
                    "rect",
                    {
                        "class": f"chart-s{s % SERIES} chart-bar",
                        "x": f"{x:.1f}",
                        "y": f"{bar_y:.1f}",
                    },
                    width=f"{w:.1f}",
                    height=str(BAR),
                )
                tip(rect, f"{category}, {name}: {values[n]:g}" if entries else category)
            x += w
        text(svg, x + 6, bar_y + 11, shown)
        y += heights[n]
    out = layout(width, y + 4, "wide" if beside else "narrow")
    out.extend(list(svg))
    return out
