"""The entity-relationship diagram of the package: its tables as boxes and its foreign keys as
arrows, laid out by dependency depth, as an SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import charts_svg

from civic_space import i18n
from civic_space.descriptor import DataPackage
from civic_space.i18n import _

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
    """An SVG of the tables (boxes) and foreign keys (arrows), laid out by dependency depth:
    in columns, left to right, for a wide column; in rows of two, top to bottom, for a phone
    (charts_svg shows one or the other), so the names keep their size."""
    skip = set(hubs(package))
    links = {n: [r for r in refs if r not in skip] for n, refs in foreign_links(package).items()}
    columns = columns_by_depth(links)
    wide = {
        name: (20 + col * (BOX_W + GAP_X), 20 + i * (BOX_H + GAP_Y))
        for col, names in columns.items()
        for i, name in enumerate(names)
    }
    narrow, top = {}, 20
    for names in columns.values():
        for i, name in enumerate(names):
            narrow[name] = (20 + (i % 2) * (BOX_W + GAP_Y), top + (i // 2) * (BOX_H + GAP_Y))
        top += ((len(names) + 1) // 2) * (BOX_H + GAP_Y) + GAP_X - GAP_Y
    title = _("Diagram of the tables of the data package")
    name = titles(package)  # the description is read aloud: tables by their titles
    arrows = [
        _("{table} to {targets}").format(table=name[n], targets=", ".join(name[t] for t in r))
        for n, r in links.items()
        if r
    ]
    description = _(
        "Boxes are tables; an arrow runs from a table holding a foreign key to the table it"
        " refers to: {arrows}"
    ).format(arrows="; ".join(arrows))
    fid = charts_svg.figure_id(title, description)
    drawings = [
        drawing(wide, links, fid, "wide", arrow),
        drawing(narrow, links, fid, "narrow", down),
    ]
    return charts_svg.figure(title, description, *drawings, defs=arrow_marker(fid), fid=fid)


def titles(package: DataPackage) -> dict[str, str]:
    """Each table's title in the edition's language (its name where it has none)."""
    found = {}
    for res in package.descriptor["resources"]:
        title = res.get("title") or res["name"]
        found[res["name"]] = i18n.table_title(title) or title
    return found


def drawing(pos: dict, links: dict, fid: str, variant: str, connect) -> ET.Element:
    """One layout: the boxes at `pos`, joined by `connect` (an arrow's shape for the layout)."""
    width = max(x for x, _ in pos.values()) + BOX_W + 20
    height = max(y for _, y in pos.values()) + BOX_H + 20
    svg = charts_svg.layout(width, height, variant)
    for source, targets in links.items():
        for target in targets:
            connect(svg, pos[source], pos[target], fid)
    for name, (x, y) in pos.items():
        box(svg, name, x, y)
    return svg


def arrow_marker(fid: str) -> ET.Element:
    """The arrowhead that every arrow of the figure ends in (in the figure's defs)."""
    defs = ET.Element("defs")
    marker = ET.SubElement(
        defs,
        "marker",
        id=charts_svg.ident(fid, "arrow"),
        viewBox="0 0 10 10",
        refX="10",
        refY="5",
        markerWidth="7",
        markerHeight="7",
        orient="auto",
    )
    ET.SubElement(marker, "path", d="M0,0 L10,5 L0,10 z", **{"class": "er-arrowhead"})
    return defs


def arrow(svg: ET.Element, source: tuple, target: tuple, fid: str) -> None:
    """A curve from the left side of the box at `source` to the right side of the one at
    `target`."""
    (x1, y1), (x2, y2) = source, target
    y1, y2 = y1 + BOX_H / 2, y2 + BOX_H / 2
    bend = f"C{x1 - GAP_X / 2},{y1} {x2 + BOX_W + GAP_X / 2},{y2}"
    curve(svg, f"M{x1},{y1} {bend} {x2 + BOX_W},{y2}", fid)


def down(svg: ET.Element, source: tuple, target: tuple, fid: str) -> None:
    """A curve from the top of the box at `source` to the bottom of the one at `target`
    (which lies higher up: the rows go down by dependency depth)."""
    (x1, y1), (x2, y2) = (source[0] + BOX_W / 2, source[1]), (target[0] + BOX_W / 2, target[1])
    bend = f"C{x1},{y1 - GAP_X / 2} {x2},{y2 + BOX_H + GAP_X / 2}"
    curve(svg, f"M{x1},{y1} {bend} {x2},{y2 + BOX_H}", fid)


def curve(svg: ET.Element, path: str, fid: str) -> None:
    marker = f"url(#{charts_svg.ident(fid, 'arrow')})"
    ET.SubElement(svg, "path", d=path, **{"class": "er-link", "marker-end": marker})


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
        **{"class": "er-box"},
    )
    label = ET.SubElement(
        group,
        "text",
        x=str(x + BOX_W / 2),
        y=str(y + BOX_H / 2 + 5),
        # A table's name is an identifier, the same in every edition: not for translation.
        **{"class": "er-name", "text-anchor": "middle", "font-size": "13", "translate": "no"},
    )
    label.text = name
