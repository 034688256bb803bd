"""Charts as SVG, drawn with ElementTree so that every label is escaped: a bar chart, a timeline
with spans for imprecise dates, and a map of points on a graticule with a country outline.
No network, no plotting library, the same bytes for the same data.

Each chart is drawn twice, for a wide column and for a phone's (see charts_svg); the charts
live in charts_bars, charts_timeline and charts_map. svg_root() and text() remain for figures
drawn once (the diagram of the tables)."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

from charts_bars import bar_chart
from charts_map import Point, map_svg
from charts_timeline import Span, timeline

__all__ = ["Point", "Span", "bar_chart", "ident", "map_svg", "svg_root", "text", "timeline"]

FONT = {"font-family": "sans-serif", "font-size": "12"}


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
