"""The frame every chart is drawn in: one accessible SVG (role, title, description) holding two
layouts of the same figure, a wide one for a desktop column and a narrow, taller one for a
phone, of which charts.css shows one. Text is set with ElementTree, so every label is escaped;
colours come from classes (charts.css), never from the markup."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

from docnodes import English

WIDE = 720  # user units: about the width of the page's column (46em), so text keeps its size
# A phone's column is 288 px at a 320 px screen (WCAG's reflow width), 358 px at 390 px: drawn
# 300 units wide, 12-unit text is at least 11.5 px there.
NARROW = 300
SIZE = 12  # font size of every label, in user units
LINE = 15  # distance between lines of a wrapped label
EM = 0.6  # a generous average advance of a letter, in ems (Latin or Cyrillic, sans-serif)


def text_width(label: str, size: float = SIZE) -> float:
    """An estimate (on the wide side) of the width of `label` set in `size`."""
    return len(label) * size * EM


def wrap(label: str, width: float, size: float = SIZE) -> list[str]:
    """`label` broken between words into lines of at most `width`; a word longer than that
    stays whole on a line of its own."""
    lines: list[str] = []
    for word in label.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def text(parent, x, y, label, anchor="start", cls="", lines=None) -> ET.Element:
    """A label at (x, y), the baseline of its first line; `lines` sets it on several lines."""
    attrs = {"x": f"{x:.1f}", "y": f"{y:.1f}", "text-anchor": anchor, "font-size": str(SIZE)}
    node = ET.SubElement(parent, "text", attrs)
    if cls:
        node.set("class", cls)
    if isinstance(label, English):
        node.set("lang", "en")  # shown in English for want of a translation
    if lines is None or len(lines) == 1:
        node.text = label if lines is None else lines[0]
        return node
    for n, line in enumerate(lines):
        tspan = ET.SubElement(node, "tspan", x=f"{x:.1f}", dy="0" if n == 0 else str(LINE))
        tspan.text = line
    return node


def tip(node: ET.Element, words: str) -> None:
    """A mark's value, on hover (its <title>) and on keyboard focus: the mark takes focus
    (the hidden layout's marks do not: display="none") and is announced by its name."""
    ET.SubElement(node, "title").text = words
    node.attrib.update({"tabindex": "0", "role": "img", "aria-label": words})
    node.set("class", f"{node.get('class', '')} chart-mark".strip())


def layout(width: float, height: float, variant: str) -> ET.Element:
    """One layout of a figure, in its own coordinates."""
    return ET.Element(
        "svg",
        {
            "class": f"chart-{variant}",
            "viewBox": f"0 0 {width:.0f} {height:.0f}",
            "width": f"{width:.0f}",
            "height": f"{height:.0f}",
        },
    )


def size(svg: ET.Element) -> tuple[float, float]:
    return tuple(float(v) for v in svg.get("viewBox").split()[2:])


def ident(figure_id: str, name: str) -> str:
    return f"{figure_id}-{name}"


def figure_id(title: str, description: str) -> str:
    """An id unique to the figure, so that several figures can share a page."""
    return "fig-" + hashlib.sha1((title + description).encode()).hexdigest()[:10]


def figure(
    title: str, description: str, wide: ET.Element, narrow: ET.Element, defs=None, fid=""
) -> str:
    """The figure's SVG: the wide layout, and the narrow one hidden (display="none") until
    charts.css shows it instead in a narrow column. The root's viewBox is the wide layout's;
    set in its top-left corner (xMidYMin), the narrow one fills the width and, with the root's
    aspect ratio switched by CSS (--chart-narrow-ratio), the whole height."""
    w, h = size(wide)
    nw, nh = size(narrow)
    fid = fid or figure_id(title, description)
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "role": "group",  # not "img": an image's marks could not take focus
            "class": "chart",
            "viewBox": f"0 0 {w:.0f} {h:.0f}",
            "preserveAspectRatio": "xMidYMin meet",
            "id": fid,
            "aria-labelledby": f"{ident(fid, 't')} {ident(fid, 'd')}",
            "style": f"--chart-narrow-ratio: {nw:.0f} / {nh:.0f}",
        },
    )
    ET.SubElement(root, "title", id=ident(fid, "t")).text = title
    ET.SubElement(root, "desc", id=ident(fid, "d")).text = description
    if defs is not None:
        root.append(defs)
    wide.attrib.update(x="0", y="0", width=f"{w:.0f}", height=f"{h:.0f}")
    narrow.attrib.update(x="0", y="0", width=f"{w:.0f}", height=f"{w * nh / nw:.1f}")
    narrow.set("display", "none")
    root.extend([wide, narrow])
    return ET.tostring(root, encoding="unicode")


def legend(parent, items, x: float, y: float, width: float) -> float:
    """Legend entries (swatch class, shape, label), flowing in rows within `width` from
    (x, y), each label wrapped if it alone is too long; returns the height used."""
    left, top, row_h = x, y, LINE
    for cls, shape, label in items:
        lines = wrap(label, width - 20)
        item_w = 20 + max(text_width(line) for line in lines)
        if left > x and left + item_w > x + width:
            left, top, row_h = x, top + row_h + 4, LINE
        swatch(parent, cls, shape, left, top)
        text(parent, left + 20, top + 11, label, lines=lines)
        left += item_w + 16
        row_h = max(row_h, LINE * len(lines))
    return top + row_h - y


def swatch(parent, cls: str, shape: str, x: float, y: float) -> None:
    if shape == "circle":
        ET.SubElement(
            parent, "circle", {"class": cls, "cx": f"{x + 7}", "cy": f"{y + 7}", "r": "5"}
        )
    else:
        attrs = {"x": f"{x + 1}", "y": f"{y + 1}", "width": "13", "height": "12"}
        ET.SubElement(parent, "rect", {"class": cls, **attrs})
