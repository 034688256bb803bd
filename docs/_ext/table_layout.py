"""How a data table is laid out for a phone: the key columns first, each column classed by what
it holds (tables.css gives text columns a readable width and keeps the key column in view
while the rest scrolls sideways), each row's anchor, and the table inside a scroll region that
the keyboard can reach and a screen reader names."""

from __future__ import annotations

from docutils import nodes
from table_nodes import scroll_region

from civic_space.meanings import ANNOTATIONS, ERRATA

SHORT = 24  # a column whose values are at most this long does not wrap
LONG = 48  # a column with a value longer than this is text: it wraps at a reading width
PROSE = 160  # and one with a value longer than this is prose: it is given more width


def key_first(header: list[str], key_fields: list[str], table: str = "") -> list[int]:
    """The column order: the primary key's fields (in the key's order); in a pointer table
    (annotations, errata) its reason next, so the why is in view beside the key (it is the
    last of many columns in the file); then the others, in the file's order."""
    first = [*key_fields, *(p.reason for p in (ANNOTATIONS, ERRATA) if p.table == table)]
    keys = [header.index(k) for k in first if k in header]
    return keys + [i for i in range(len(header)) if i not in keys]


def reordered(order: list[int], *tables: list[list]) -> list[list[list]]:
    return [[[row[i] for i in order] for row in table] for table in tables]


def column_classes(header: list[str], rows: list[list[str]], key_fields: list[str], uris=()):
    """A class for each column, from the values shown: col-key (the first key field), col-url,
    col-text (long values; col-text col-prose for paragraphs), col-short (values that should
    not break) or col-value."""
    out = []
    for at, name in enumerate(header):
        longest = max((len(r[at]) for r in rows), default=0)
        if key_fields and name == key_fields[0]:
            out.append("col-key")
        elif name in uris:
            out.append("col-url")
        elif longest > PROSE:
            out.append("col-text col-prose")
        elif longest > LONG:
            out.append("col-text")
        elif longest <= SHORT:
            out.append("col-short")
        else:
            out.append("col-value")
    return out


def classify(table: nodes.table, classes: list[str]) -> None:
    """Put each column's class on its cells (header and body)."""
    for row in table.findall(nodes.row):
        for entry, name in zip(row.children, classes, strict=False):
            entry["classes"] += name.split()


def anchor_rows(table: nodes.table, ids: list[str]) -> None:
    """Give the body's rows their ids, in order."""
    body = next(table.findall(nodes.tbody))
    for row, row_id in zip(body.children, ids, strict=True):
        row["ids"].append(row_id)


def region(table: nodes.Node, label: str, *classes: str) -> scroll_region:
    """The table in a region that scrolls sideways, focusable and named `label`."""
    return scroll_region("", table, label=label, classes=list(classes))


def label_cells(table: nodes.table) -> None:
    """Each body cell labelled with its column's header (data-label): on a phone tables.css
    sets each row as a card, each value under its column's name. The header's first part is
    its name (what follows it are marks such as notes)."""
    head = next(table.findall(nodes.thead), None)
    if head is None:
        return
    names = [name_of(entry) for entry in next(head.findall(nodes.row)).children]
    for row in next(table.findall(nodes.tbody)).children:
        for entry, name in zip(row.children, names, strict=False):
            entry.setdefault("data", {})["label"] = name


def name_of(entry: nodes.Element) -> str:
    first = entry.next_node(nodes.paragraph)
    return first[0].astext() if first is not None and len(first) else entry.astext()
