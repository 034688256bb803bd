"""The report's directives for rows: report-table and report-list, and the base
they share (its options, the error on a wrong name, the cells and headers of a table)."""

from __future__ import annotations

from typing import ClassVar

from docnodes import datum, field_title, generated, localized, para, table
from docutils import nodes
from docutils.parsers.rst import directives
from report_data import Data, ReportError, data_of, note
from report_format import formatted, when
from sphinx.util.docutils import SphinxDirective
from table_layout import region
from tabledb import LoadError

from civic_space import i18n
from civic_space.i18n import _

REPORT_ROWS = 500  # a report page lists at most this many rows; the downloads hold them all


def beyond(count: int, name: str) -> list[nodes.Node]:
    """A note under a list cut at REPORT_ROWS, pointing to the full table. It gives no number:
    how many rows a selection has is a count nobody declared."""
    if count <= REPORT_ROWS:
        return []
    return [
        para(_("… and more: the {name} table and the downloads have them all.").format(name=name))
    ]


def split(option: str | None) -> list[str]:
    return [p.strip() for p in (option or "").split(",") if p.strip()]


def only_when(column: str) -> None:
    """`@when` is the one column that is not a path; any other is refused."""
    if column != "@when":
        raise ReportError(f"no column {column!r}: columns are paths of the data, or @when")


class ReportDirective(SphinxDirective):
    has_content = False
    optional_arguments = 1
    # Each directive lists its own options; a name not listed is an error that names the option.
    option_spec: ClassVar[dict] = {"where": directives.unchanged}

    @generated
    def run(self):
        data = data_of(self.env)
        try:
            out = self.build(data)
        except (ReportError, LoadError, ValueError, KeyError) as exc:
            raise self.error(f"{self.name}: {exc}") from None
        note(self.env, data)
        for top in out:  # rows of the data: each value in them marked with what it is (datum)
            top["classes"].append("report-data")
        return out

    def cell(self, data: Data, name: str, row: dict, column: str) -> nodes.inline:
        """A stored value, or a date: a column computes nothing (a number it made would be a
        figure nobody declared), so `@when`, the event's dates as a phrase, is the one column
        that is not a path."""
        if column.startswith("@"):
            only_when(column)
            return datum(when(row), "date")
        field = data.field(name, column)[1]
        kind = "date" if field.get("type") == "date" else "value"
        return datum(formatted(data.value(name, row, column), field), kind)

    def scrolling(self, data: Data, name: str, tbl: nodes.table) -> nodes.Element:
        """The table in a keyboard-focusable scroll region, named by its table's title."""
        res = next((r for r in data.package.descriptor["resources"] if r["name"] == name), {})
        title = res.get("title", "")
        return region(tbl, localized(title, i18n.table_title(title)) or name, "report-rows")

    def header(self, data: Data, name: str, column: str) -> str:
        if column.startswith("@"):
            only_when(column)
            return _("When")
        # A path through a key is headed by the key's title ("Theme" for theme_id.label).
        first = column.split(".")[0]
        return field_title(data.field(name, first)[1].get("title", first))


class TableDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0
    option_spec: ClassVar[dict] = {
        **ReportDirective.option_spec,
        "columns": directives.unchanged,
        "headers": directives.unchanged,
        "sort": directives.unchanged,
    }

    def build(self, data: Data):
        name = self.arguments[0]
        where = self.options.get("where", "")
        order = [self.options["sort"]] if "sort" in self.options else []
        rows = data.select(name, where, order=order, limit=REPORT_ROWS)
        columns = split(self.options.get("columns")) or data.table(name).field_names
        headers = split(self.options.get("headers")) or [
            self.header(data, name, c) for c in columns
        ]
        if len(headers) != len(columns):
            raise ReportError("give as many headers as columns")
        body = [[self.cell(data, name, r, c) for c in columns] for r in rows]
        shown = table(headers, body)
        if "headers" in self.options:
            self.translatable(shown)
        scrolling = self.scrolling(data, name, shown)
        return [scrolling, *beyond(data.count(name, where), name)]

    def translatable(self, shown: nodes.Element) -> None:
        """Headers written in the page are the page's words: placed at the directive's line,
        Sphinx's gettext extracts them into the page's catalogue and translates them, as it
        does the page's paragraphs (data cells, which have no place, are left as they are)."""
        source, line = self.get_source_info()
        for head in shown.findall(nodes.thead):
            for paragraph in head.findall(nodes.paragraph):
                paragraph.source, paragraph.line = source, line
                paragraph.rawsource = paragraph.astext()  # the message gettext takes
                paragraph["translatable"] = True  # unlike the rest (see docnodes.generated)


class ListDirective(ReportDirective):
    required_arguments = 1
    optional_arguments = 0
    option_spec: ClassVar[dict] = {**ReportDirective.option_spec, "text": directives.unchanged}

    def build(self, data: Data):
        name = self.arguments[0]
        listing = nodes.enumerated_list(enumtype="arabic")
        where = self.options.get("where", "")
        for row in data.select(name, where, limit=REPORT_ROWS):
            text = data.value(name, row, self.options["text"])
            listing += nodes.list_item("", para(datum(text, "value")))
        return [listing, *beyond(data.count(name, where), name)]
