"""The entity-relationship diagram of the package: its tables as boxes and its foreign keys as
arrows, laid out by dependency depth, as an SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import charts

from civic_space.descriptor import DataPackage

BOX_W, BOX_H, GAP_X, GAP_Y = 150, 28, 70, 16


def foreign_links(package: DataPackage) -> dict[str, list[str]]:
    """For each table, the other tables its foreign keys point to."""
    return {
        t.name: sorted(
            {
                fk["reference"]["resource"]
                for fk in t.schema.get("foreignKeys", [])
                if fk["reference"]["resource"] not in ("", t.name)
            }
        )
        for t in package.tables
    }


def hubs(package: DataPackage) -> list[str]:
    """Tables that every other table points to (the sources): drawn without their arrows."""
    links = foreign_links(package)
    return [n for n in links if all(n in refs for m, refs in links.items() if m != n)]


def columns_by_depth(links: dict[str, list[str]]) -> dict[int, list[str]]:
    """The tables by column: a table that points to none is in column 0, any other one column
    right of the deepest table it points to."""
    depth: dict[str, int] = {}

    def level(name: str, seen: tuple = ()) -> int:
        if name not in depth:
            refs = [r for r in links.get(name, []) if r not in seen]
            depth[name] = 1 + max((level(r, (*seen, name)) for r in refs), default=-1)
        return depth[name]

    for name in links:
        level(name)
    columns: dict[int, list[str]] = {}
    for name in links:
        columns.setdefault(depth[name], []).append(name)
    return columns


def er_diagram(package: DataPackage) -> str:
    """An SVG of the tables (boxes) and foreign keys (arrows), laid out by dependency depth."""
    skip = set(hubs(package))
    links = {n: [r for r in refs if r not in skip] for n, refs in foreign_links(package).items()}
    columns = columns_by_depth(links)
    pos = {
        name: (20 + col * (BOX_W + GAP_X), 20 + i * (BOX_H + GAP_Y))
        for col, names in columns.items()
        for i, name in enumerate(names)
    }
    width = 40 + len(columns) * (BOX_W + GAP_X) - GAP_X
    height = 40 + max(len(n) for n in columns.values()) * (BOX_H + GAP_Y) - GAP_Y
    svg = charts.svg_root(
        width,
        height,
        "Diagram of the tables of the data package",
        "Boxes are tables; an arrow runs from a table holding a foreign key to the table it"
        " refers to: " + "; ".join(f"{n} to {', '.join(r)}" for n, r in links.items() if r),
    )
    arrow_marker(svg)
    for source, targets in links.items():
        for target in targets:
            arrow(svg, pos[source], pos[target])
    for name, (x, y) in pos.items():
        box(svg, name, x, y)
    return ET.tostring(svg, encoding="unicode")


def arrow_marker(svg: ET.Element) -> None:
    """The arrowhead that every arrow of the figure ends in."""
    defs = ET.SubElement(svg, "defs")
    marker = ET.SubElement(
        defs,
        "marker",
        id=charts.ident(svg, "arrow"),
        viewBox="0 0 10 10",
        refX="10",
        refY="5",
        markerWidth="7",
        markerHeight="7",
        orient="auto",
    )
    ET.SubElement(marker, "path", d="M0,0 L10,5 L0,10 z", fill="#666")


def arrow(svg: ET.Element, source: tuple[int, int], target: tuple[int, int]) -> None:
    """A curve from the left side of the box at `source` to the right side of the one at
    `target`."""
    (x1, y1), (x2, y2) = source, target
    ET.SubElement(
        svg,
        "path",
        d=f"M{x1},{y1 + BOX_H / 2} C{x1 - GAP_X / 2},{y1 + BOX_H / 2}"
        f" {x2 + BOX_W + GAP_X / 2},{y2 + BOX_H / 2} {x2 + BOX_W},{y2 + BOX_H / 2}",
        fill="none",
        stroke="#999",
        **{"marker-end": f"url(#{charts.ident(svg, 'arrow')})"},
    )


def box(svg: ET.Element, name: str, x: int, y: int) -> None:
    """A table's box, its name centred in it."""
    group = ET.SubElement(svg, "g")
    ET.SubElement(
        group,
        "rect",
        x=str(x),
        y=str(y),
        width=str(BOX_W),
        height=str(BOX_H),
        rx="4",
        fill="#f4f6f8",
        stroke="#445",
    )
    label = ET.SubElement(
        group,
        "text",
        x=str(x + BOX_W / 2),
        y=str(y + BOX_H / 2 + 5),
        **{"text-anchor": "middle", "font-family": "sans-serif", "font-size": "13"},
    )
    label.text = name
