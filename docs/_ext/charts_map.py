"""A map: points on an equirectangular graticule (cosine-corrected) with an optional outline,
each point named beside it wherever its name does not cover another's, and a legend of the
points' groups. The same map is drawn at the column's width and at a phone's."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from charts_svg import NARROW, WIDE, figure, layout, legend, text, text_width, tip

from civic_space.i18n import _

SERIES = 6  # classes chart-s0 … chart-s5 in charts.css
PAD = 20


@dataclass
class Point:
    label: str
    lon: float
    lat: float
    kind: str  # legend group
    said: tuple[str, str]  # latitude and longitude as the data holds them, for the tip


class Projection:
    def __init__(self, bounds: tuple, width: float):
        self.west, self.south, self.east, self.north = bounds
        self.stretch = math.cos(math.radians((self.south + self.north) / 2))
        self.scale = (width - 2 * PAD) / ((self.east - self.west) * self.stretch)
        self.height = (self.north - self.south) * self.scale + 2 * PAD

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            PAD + (lon - self.west) * self.scale * self.stretch,
            PAD + (self.north - lat) * self.scale,
        )


def map_svg(
    points: list[Point],
    outline: list[list[float]] | None,
    bounds: tuple,
    title: str,
    description: str,
) -> str:
    kinds = list(dict.fromkeys(p.kind for p in points))
    entries = [(f"chart-s{n % SERIES}", "circle", kind) for n, kind in enumerate(kinds)]
    wide = map_layout(points, outline, bounds, entries, WIDE, "wide")
    narrow = map_layout(points, outline, bounds, entries, NARROW, "narrow")
    return figure(title, description, wide, narrow)


def map_layout(points, outline, bounds, entries, width: float, variant: str) -> ET.Element:
    xy = Projection(bounds, width)
    svg = ET.Element("g")
    graticule(svg, xy)
    if outline:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{xy(lon, lat)[0]:.1f},{xy(lon, lat)[1]:.1f}"
            for i, (lon, lat) in enumerate(outline)
        )
        ET.SubElement(svg, "path", {"class": "chart-land", "d": path + " Z"})
    kinds = [kind for _c, _s, kind in entries]
    places = [xy(p.lon, p.lat) for p in points]
    for point, (px, py) in zip(points, places, strict=True):
        cls = f"chart-s{kinds.index(point.kind) % SERIES} chart-dot"
        dot = ET.SubElement(svg, "circle", {"class": cls, "cx": f"{px:.1f}", "cy": f"{py:.1f}"})
        dot.set("r", "5")
        where = _("{lat}°N, {lon}°E").format(lat=point.said[0], lon=point.said[1])
        tip(dot, f"{point.label} ({where})")
    name_points(svg, points, places, width, xy.height)
    height = xy.height + 10 + legend(svg, entries, PAD, xy.height + 10, width - 2 * PAD)
    out = layout(width, height + 8, variant)
    out.extend(list(svg))
    return out


def graticule(svg, xy: Projection) -> None:
    """A line every 5 degrees, its degree at the map's edge (an axis: "chart-axis" tells the
    numeral test it is no figure)."""
    w, s, e, n = xy.west, xy.south, xy.east, xy.north
    axis = "chart-muted chart-axis"
    for lon in range(int(w // 5 * 5 + 5), int(e) + 1, 5):
        (gx, top), (_x, bottom) = xy(lon, n), xy(lon, s)
        line(svg, gx, top, gx, bottom)
        text(svg, gx, bottom + 14, _("{lon}°E").format(lon=lon), anchor="middle", cls=axis)
    for lat in range(int(s // 5 * 5 + 5), int(n) + 1, 5):
        (left, gy), (right, _y) = xy(w, lat), xy(e, lat)
        line(svg, left, gy, right, gy)
        text(svg, left + 2, gy - 3, _("{lat}°N").format(lat=lat), cls=axis)


def line(svg, x1, y1, x2, y2) -> None:
    attrs = {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}"}
    ET.SubElement(svg, "line", {"class": "chart-grid", **attrs})


def name_points(svg, points, places, width: float, height: float) -> None:
    """Each point's name right of it, else left, above or below: the first place where it
    stays inside the map and covers no other name or point."""
    taken = [(x - 6, y - 6, x + 6, y + 6) for x, y in places]
    for point, (px, py) in zip(points, places, strict=True):
        w = text_width(point.label)
        options = [
            (px + 8, py + 4, "start", (px + 7, py - 8, px + 9 + w, py + 5)),
            (px - 8, py + 4, "end", (px - 9 - w, py - 8, px - 7, py + 5)),
            (px, py - 9, "middle", (px - w / 2, py - 21, px + w / 2, py - 7)),
            (px, py + 18, "middle", (px - w / 2, py + 6, px + w / 2, py + 20)),
        ]
        free = [
            o
            for o in options
            if o[3][0] >= 2
            and o[3][2] <= width - 2
            and o[3][1] >= 2
            and o[3][3] <= height
            and not any(overlap(o[3], t) for t in taken if t != (px - 6, py - 6, px + 6, py + 6))
        ]
        x, y, anchor, box = (free or options)[0]
        text(svg, x, y, point.label, anchor=anchor, cls="chart-halo")
        taken.append(box)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
