"""Rows of a table's page that can be linked to, and values that link: a foreign key to the row
it refers to, a pointer (annotations, errata: table, row key, field) to the value it is about,
and an https address to itself.

Anchors. Every data row of a table's page has the id `row-<key>`, and every row of its fields
table the id `field-<name>`. <key> is the row's primary key values joined by "/" (the way the
pointer tables write a row key), spelled so the id is valid in HTML and in a URL fragment:
ASCII letters, digits, "-" and "_" stay as they are, "/" becomes ".", and every other
character becomes "~" + its code point in hex + "~" (a space is "~20~", "é" is "~e9~"). The
spelling is one-to-one, so two keys never share an id, and it depends on the key alone, so an
anchor stays the same from one version of the data to the next as long as the key does.
A link points at an anchor only when the row is among those its page shows (the first
PREVIEW_ROWS); otherwise it leads to the page, where the download has every row."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from docnodes import coded_value, data_text, text_node
from docutils import nodes
from package_summary import summary
from table_nodes import identifier, outside_link, row_ref

from civic_space import i18n
from civic_space.meanings import ANNOTATIONS, ERRATA

_KEPT = re.compile(r"[A-Za-z0-9_-]")


def slug(text: str) -> str:
    """The one-to-one spelling of a key for an id (see the module's docstring)."""
    out = []
    for char in text:
        if _KEPT.fullmatch(char):
            out.append(char)
        elif char == "/":
            out.append(".")
        else:
            out.append(f"~{ord(char):x}~")
    return "".join(out)


def row_id(key: str) -> str:
    """The id of the row whose primary key values, joined by "/", are `key`."""
    return "row-" + slug(key)


def field_id(name: str) -> str:
    """The id of a field's row in its table's fields table."""
    return "field-" + slug(name)


def row_key(header: list[str], row: list[str], key_fields: list[str]) -> str:
    return "/".join(row[header.index(k)] for k in key_fields)


class Links:
    """What the values of one table link to: built once per table page."""

    def __init__(self, package, env, name: str):
        self.package, self.env, self.name = package, env, name
        self.names = {t.name for t in package.tables}
        tab = package.table(name)
        self.uris = {f["name"] for f in tab.fields if f.get("format") == "uri"}
        self.key = set(tab.primary_key)
        self.english = {english for english, _twin in tab.twins(i18n.language())}
        self.targets: dict[str, tuple[str, str]] = {}  # field → (table, field referred to)
        for fk in tab.schema.get("foreignKeys", []):
            if len(fk["fields"]) == 1:
                ref = fk["reference"]
                self.targets[fk["fields"][0]] = (ref["resource"] or name, ref["fields"][0])
        self._shown: dict[str, set[str]] = {}

    def shown(self, table: str) -> set[str]:
        """The keys of the rows that `table`'s page shows (and so has anchors for)."""
        if table not in self._shown:
            tab = self.package.table(table)
            self.env.note_dependency(str(tab.path.resolve()))
            info = summary(tab)
            self._shown[table] = {row_key(info.header, r, tab.primary_key) for r in info.head}
        return self._shown[table]

    def to_row(self, table: str, key: str, label: str) -> nodes.Node:
        """A link to a row of `table`'s page (to the page, if it does not show that row)."""
        if table not in self.names:  # the package's own metadata: a path, not a page
            return identifier(label, label)
        anchor = row_id(key) if key and key in self.shown(table) else ""
        return row_ref("", "", identifier(label, label), reftarget=f"tables/{table}", anchor=anchor)

    def to_field(self, table: str, field: str) -> nodes.Node:
        if table not in self.names or field not in self.package.table(table).field_names:
            return identifier(field, field)
        return row_ref(
            "", "", identifier(field, field), reftarget=f"tables/{table}", anchor=field_id(field)
        )

    def cell(self, header: list[str], row: list[str], field: str, value: str) -> nodes.Node | str:
        """A value as the page shows it: a link where it refers to something, else the text."""
        if not value:
            return value
        if field in self.uris:
            return outside(value)
        if field in self.targets:
            table, referred = self.targets[field]
            if [referred] == self.package.table(table).primary_key:
                return self.to_row(table, value, value)
            return self.to_row(table, "", value)
        if field in self.key:
            return identifier(value, value)
        found = self.pointer(header, row, field, value)
        if found is not value:
            return found
        found = coded_value(self.package.table(self.name).field(field), value)
        if found is not value:  # a coded value, by its label
            return found
        if field in self.english:  # its translation is the next column: just say its language
            return nodes.inline(value, value, lang="en") if data_text(value) is not value else value
        return text_node(data_text(value))

    def pointer(self, header: list[str], row: list[str], field: str, value: str):
        """In the annotations and errata: the table, row key and field they point at, linked."""
        for kind in (ANNOTATIONS, ERRATA):
            if kind.table != self.name or kind.resource not in header:
                continue
            table = row[header.index(kind.resource)]
            if field == kind.resource:
                return self.to_row(table, "", value)
            if field == kind.row_key:
                return self.to_row(table, value, value)
            if field == kind.field:
                return self.to_field(table, value)
        return value


def outside(value: str) -> nodes.Node | str:
    """An https address as a link (rel="noopener"); anything else as plain text."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return value
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
        return value
    return outside_link("", "", nodes.Text(value), refuri=value)


def linked(links: Links, header: list[str], rows: list[list[str]], body: list[list[list]]):
    """The marked cells of `body` (value first, then its marks) with each value linked."""
    return [
        [
            [links.cell(header, values, field, cell[0]), *cell[1:]]
            for field, cell in zip(header, cells, strict=True)
        ]
        for values, cells in zip(rows, body, strict=True)
    ]
