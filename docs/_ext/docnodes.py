"""Small docutils node builders shared by the extensions: paragraphs, tables and links made of
text nodes (never markup), and text in the edition's language, marked where it is English."""

from __future__ import annotations

import functools
import re

from docutils import nodes
from sphinx import addnodes
from table_nodes import coded

from civic_space import i18n

DOWNLOADS = "downloads"


def generated(run):
    """For a directive's `run`: its text comes from the data and from our own catalogue, so
    Sphinx's page translation leaves it alone (and does not mark it untranslated)."""

    @functools.wraps(run)
    def wrapper(self, *args, **kwargs):
        out = run(self, *args, **kwargs)
        for top in out:
            for node in top.findall(nodes.TextElement):
                # Not on inlines: Sphinx unwraps inlines that carry "translatable".
                if not isinstance(node, nodes.inline):
                    node.setdefault("translatable", False)
        return out

    return wrapper


class English(str):
    """Text that another edition shows in English for want of a translation: it is marked on
    the page (class `untranslated`) and tagged lang="en"."""


def localized(text: str, translated: str | None) -> str:
    """The translation where there is one; in another edition, else the English, marked."""
    if i18n.language() == "en" or not text:
        return text
    return translated or English(text)


def field_title(title: str) -> str:
    """A schema field title in the edition's language, from our catalogue."""
    return localized(title, i18n.field_title(title))


def data_text(value: str) -> str:
    """A free-text value of the data as another edition shows it: English is marked as such,
    anything else is as it is."""
    if i18n.language() == "en" or not i18n.is_english(value):
        return value
    return English(value)


def value_label(field: dict, value: str) -> str:
    """A value as the edition words it: a coded value (enum, true/false) by its label (in
    English too: i18n.LABELS), marked where another edition has none; any other value as
    it is."""
    if value not in i18n.coded_values(field):
        return value
    label = i18n.value_label(field["name"], value)
    if i18n.language() == "en":
        return label or value
    return localized(value, label)


def coded_value(field: dict, value: str) -> nodes.Node | str:
    """A value in a data table: a coded value by its label. The code, which the CSV holds,
    is kept in the element's data-code (a tooltip would put the code, in English, on a
    Mongolian page); the fields table pairs every code with its label."""
    label = value_label(field, value)
    if label == value or isinstance(label, English):
        return label
    return coded(label, label, code=value)


def text_node(text: str) -> nodes.Node:
    if isinstance(text, English):
        return nodes.inline(text, text, classes=["untranslated"])
    return nodes.Text(text)


def datum(text: str, kind: str, *classes: str) -> nodes.inline:
    """Text the data prints, with classes that say what it is (`datum-value` a stored value,
    `datum-date` a date, `datum-figure` a declared figure): a test traces each numeral by them."""
    node = text_node(text)
    if not isinstance(node, nodes.inline):
        node = nodes.inline(text, text)
    node["classes"] += ["datum", f"datum-{kind}", *classes]
    return node


def text_with_code(text: str) -> list[nodes.Node]:
    """Schema prose: `backticked` words become literals; everything else stays plain text.
    Schema prose has no translation: another edition shows it in English, marked."""
    parts = re.split(r"`([^`]+)`", text)
    found = [nodes.literal(p, p) if i % 2 else nodes.Text(p) for i, p in enumerate(parts) if p]
    if i18n.language() == "en" or not found:
        return found
    return [nodes.inline("", "", *found, classes=["untranslated"])]


def para(*children: nodes.Node | str) -> nodes.paragraph:
    node = nodes.paragraph()
    node += [text_node(c) if isinstance(c, str) else c for c in children]
    return node


def doc_link(target: str, label: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=target, refexplicit=True
    )
    ref += nodes.inline(label, label)
    return ref


def download_link(docname_depth: int, filename: str, label: str) -> nodes.reference:
    uri = "../" * docname_depth + f"{DOWNLOADS}/{filename}"
    return nodes.reference(label, label, refuri=uri)


def table(headers: list[str], rows: list[list], widths: list[int] | None = None) -> nodes.table:
    """A docutils table; cells may be strings or lists of nodes."""
    tbl = nodes.table(classes=["datapackage-table"])
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for width in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for row in rows:
        body += _row(row)
    return tbl


def _row(cells: list) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, nodes.Node):
            entry += cell if isinstance(cell, nodes.paragraph) else para(cell)
        elif isinstance(cell, list):
            entry += para(*cell)
        else:
            entry += para(str(cell))
        row += entry
    return row
