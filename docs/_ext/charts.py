"""Charts as SVG, drawn with ElementTree so that every label is escaped: a bar chart, a timeline
with spans for imprecise dates, and a map of points on a graticule with a country outline.
No network, no plotting library, the same bytes for the same data."""

from __future__ import annotations

import hashlib
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

FONT = {"font-family": "sans-serif", "font-size": "12"}
PALETTE = ["#1d4e89", "#e07a1f", "#2a9d8f", "#b5384b", "#7b5ea7", "#8a9a2b"]


def svg_root(width: float, height: float, title: str, description: str) -> ET.Element:
    root = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        role="img",
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        width=f"{width:.0f}",
        height=f"{height:.0f}",
    )
    # Ids unique to this figure, so that several figures can share a page.
    root.set("id", "fig-" + hashlib.sha1((title + description).encode()).hexdigest()[:10])
    root.set("aria-labelledby", f"{ident(root, 't')} {ident(root, 'd')}")
    ET.SubElement(root, "title", id=ident(root, "t")).text = title
    ET.SubElement(root, "desc", id=ident(root, "d")).text = description
    return root


def ident(root: ET.Element, name: str) -> str:
    """An id for an element inside the figure `root`."""
    return f"{root.get('id')}-{name}"


def text(parent, x, y, label, anchor="start", **extra) -> ET.Element:
    node = ET.SubElement(
        parent, "text", x=f"{x:.1f}", y=f"{y:.1f}", **{"text-anchor": anchor, **FONT, **extra}
    )
    node.text = label
    return node


def to_string(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode")


def bar_chart(
    categories: list[str], series: dict[str, list[float]], title: str, description: str
) -> str:
    """Horizontal bars, one row per category, series stacked in order."""
    label_w, bar_w, row_h = 230, 420, 24
    totals = [sum(values[i] for values in series.values()) for i in range(len(categories))]
    top = max(totals, default=0) or 1
    legend_h = 24 if len(series) > 1 else 0
    height = legend_h + row_h * len(categories) + 30
    root = svg_root(label_w + bar_w + 70, height, title, description)
    for n, name in enumerate(series if len(series) > 1 else []):
        x = label_w + n * 120
        ET.SubElement(
            root, "rect", x=str(x), y="6", width="12", height="12", fill=PALETTE[n % len(PALETTE)]
        )
        text(root, x + 16, 16, name)
    for i, category in enumerate(categories):
        y = legend_h + i * row_h + 6
        text(root, label_w - 8, y + 14, category, anchor="end")
        x = label_w
        for n, values in enumerate(series.values()):
            w = bar_w * values[i] / top
            if w > 0:
                rect = ET.SubElement(
                    root,
                    "rect",
                    x=f"{x:.1f}",
                    y=str(y),
                    width=f"{w:.1f}",
                    height=str(row_h - 8),
                    fill=PALETTE[n % len(PALETTE)],
                )
                ET.SubElement(rect, "title").text = f"{category}: {values[i]:g}"
            x += w
        text(root, x + 6, y + 14, f"{totals[i]:,g}")
    return to_string(root)


@dataclass
class Span:
    label: str
    start: date
    end: date
    precise: bool  # False: the dates bound a period within which the event happened


def shorten(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def timeline(spans: list[Span], title: str, description: str) -> str:
    """One row per item on a time axis; imprecise dates are drawn as hatched spans.

    Years in which nothing happened are drawn narrow, so that a long gap does not squeeze the
    busy years; the axis labels every year that is drawn wide.
    """
    label_w, axis_w, row_h = 330, 470, 22
    axis = YearAxis(spans, label_w, axis_w)
    root = svg_root(
        label_w + axis_w + 20,
        row_h * len(spans) + 62,
        title,
        description + " Years with no event are drawn narrower.",
    )
    hatch(root)
    axis_y = row_h * len(spans) + 8
    year_lines(root, axis, axis_y)
    for i, span in enumerate(spans):
        span_row(root, axis, span, i * row_h + 4, label_w, row_h)
    timeline_legend(root, label_w, axis_y + 30)
    return to_string(root)


class YearAxis:
    """The time axis: each year gets a share of `axis_w`, wide if an item falls in it, narrow
    if none does; x() places a date on it."""

    def __init__(self, spans: list[Span], label_w: float, axis_w: float):
        first = min(s.start for s in spans)
        last = max(s.end for s in spans)
        self.years = list(range(first.year, last.year + 1))
        self.busy = {y for s in spans for y in range(s.start.year, s.end.year + 1)}
        self.weight = {y: 4.0 if y in self.busy else 0.4 for y in self.years}
        self.unit = axis_w / sum(self.weight.values())
        self.left = {}
        x0 = label_w
        for y in self.years:
            self.left[y] = x0
            x0 += self.weight[y] * self.unit

    def x(self, d: date) -> float:
        year_days = (date(d.year + 1, 1, 1) - date(d.year, 1, 1)).days
        return (
            self.left[d.year]
            + self.weight[d.year] * self.unit * (d - date(d.year, 1, 1)).days / year_days
        )

    def day(self, year: int) -> float:
        """The width of one day in `year`."""
        return self.weight[year] * self.unit / 365

    def middle(self, year: int) -> float:
        return self.left[year] + self.weight[year] * self.unit / 2


def hatch(root: ET.Element) -> None:
    """The hatched fill of imprecise spans, defined once in the figure."""
    defs = ET.SubElement(root, "defs")
    pattern = ET.SubElement(
        defs,
        "pattern",
        id=ident(root, "hatch"),
        width="6",
        height="6",
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    ET.SubElement(pattern, "rect", width="6", height="6", fill="#f3d9bf")
    ET.SubElement(
        pattern, "line", x1="0", y1="0", x2="0", y2="6", stroke=PALETTE[1], **{"stroke-width": "2"}
    )


def year_lines(root: ET.Element, axis: YearAxis, axis_y: float) -> None:
    """A line where each year starts, and the year under the ones drawn wide."""
    for y in axis.years:
        ET.SubElement(
            root,
            "line",
            x1=f"{axis.left[y]:.1f}",
            y1="0",
            x2=f"{axis.left[y]:.1f}",
            y2=f"{axis_y:.0f}",
            stroke="#ddd",
        )
        if y in axis.busy:
            text(root, axis.middle(y), axis_y + 14, str(y), anchor="middle")


def span_row(
    root: ET.Element, axis: YearAxis, span: Span, y: float, label_w: float, row_h: float
) -> None:
    """One item: its label (shortened, whole in a tooltip) and its span on the axis."""
    label = text(root, label_w - 8, y + 13, shorten(span.label), anchor="end")
    ET.SubElement(label, "title").text = span.label
    x1 = axis.x(span.start)
    x2 = axis.x(span.end) + axis.day(span.end.year)
    fill = PALETTE[0] if span.precise else f"url(#{ident(root, 'hatch')})"
    mark = ET.SubElement(
        root,
        "rect",
        x=f"{x1:.1f}",
        y=str(y + 2),
        width=f"{max(x2 - x1, 4):.1f}",
        height=str(row_h - 8),
        fill=fill,
        stroke=PALETTE[0 if span.precise else 1],
    )
    ET.SubElement(mark, "title").text = f"{span.label}: {span.start} to {span.end}"


def timeline_legend(root: ET.Element, label_w: float, legend_y: float) -> None:
    """What a solid and a hatched span mean."""
    for n, (fill, stroke, name) in enumerate(
        (
            (PALETTE[0], PALETTE[0], "exact day(s)"),
            (
                f"url(#{ident(root, 'hatch')})",
                PALETTE[1],
                "known only to the month, season or year: the whole period",
            ),
        )
    ):
        lx = label_w + n * 110
        ET.SubElement(
            root,
            "rect",
            x=f"{lx}",
            y=f"{legend_y - 10}",
            width="14",
            height="12",
            fill=fill,
            stroke=stroke,
        )
        text(root, lx + 18, legend_y, name)


@dataclass
class Point:
    label: str
    lon: float
    lat: float
    kind: str  # legend group


def map_svg(
    points: list[Point],
    outline: list[list[float]] | None,
    bounds: tuple,
    title: str,
    description: str,
) -> str:
    """Points on an equirectangular graticule (cosine-corrected), with an optional outline."""
    west, south, east, north = bounds
    scale = 22.0
    stretch = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * scale * stretch + 40, (north - south) * scale + 60

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return 20 + (lon - west) * scale * stretch, 20 + (north - lat) * scale

    root = svg_root(width, height, title, description)
    for lon in range(int(west // 5 * 5 + 5), int(east) + 1, 5):
        (gx, _), (_, gy) = xy(lon, north), xy(lon, south)
        ET.SubElement(
            root, "line", x1=f"{gx:.1f}", y1="20", x2=f"{gx:.1f}", y2=f"{gy:.1f}", stroke="#e2e2e2"
        )
        text(root, gx, gy + 14, f"{lon}°E", anchor="middle", fill="#888")
    for lat in range(int(south // 5 * 5 + 5), int(north) + 1, 5):
        (_, gy), (gx, _) = xy(west, lat), xy(east, lat)
        ET.SubElement(
            root, "line", x1="20", y1=f"{gy:.1f}", x2=f"{gx:.1f}", y2=f"{gy:.1f}", stroke="#e2e2e2"
        )
        text(root, 22, gy - 3, f"{lat}°N", fill="#888")
    if outline:
        path = (
            " ".join(
                f"{'M' if i == 0 else 'L'}{xy(lon, lat)[0]:.1f},{xy(lon, lat)[1]:.1f}"
                for i, (lon, lat) in enumerate(outline)
            )
            + " Z"
        )
        ET.SubElement(root, "path", d=path, fill="#f4f6f8", stroke="#667")
    kinds = list(dict.fromkeys(p.kind for p in points))
    for point in points:
        px, py = xy(point.lon, point.lat)
        color = PALETTE[kinds.index(point.kind) % len(PALETTE)]
        dot = ET.SubElement(root, "circle", cx=f"{px:.1f}", cy=f"{py:.1f}", r="5", fill=color)
        ET.SubElement(dot, "title").text = f"{point.label} ({point.lat:.2f}°N, {point.lon:.2f}°E)"
        text(root, px + 8, py + 4, point.label)
    for n, kind in enumerate(kinds):
        x = 30 + n * 170
        ET.SubElement(
            root,
            "circle",
            cx=str(x),
            cy=f"{height - 12:.0f}",
            r="5",
            fill=PALETTE[n % len(PALETTE)],
        )
        text(root, x + 9, height - 8, kind)
    return to_string(root)
