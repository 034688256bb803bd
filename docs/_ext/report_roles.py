"""The report's inline roles: {datum} (one value), {figure} (a figure with its qualifier),
{count} (how many rows match) and {when} (an event's dates). A wrong name is reported as an
error at its place in the page."""

from __future__ import annotations

from docnodes import text_node
from docutils import nodes
from report_data import Data, ReportError, data_of, note
from report_format import formatted, number, qualified, when
from sphinx.util.docutils import SphinxRole
from tabledb import LoadError

from civic_space.meanings import FIGURES


class ReportRole(SphinxRole):
    def run(self):
        data = data_of(self.env)
        try:
            text = self.compute(data)
        except (ReportError, LoadError, ValueError, KeyError) as exc:
            msg = self.inliner.reporter.error(f"{self.name}`{self.text}`: {exc}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        note(self.env, data)
        node = text_node(text)
        if not isinstance(node, nodes.inline):
            node = nodes.inline(text, text)
        node["classes"].append("datum")
        return [node], []


class DatumRole(ReportRole):
    def compute(self, data: Data) -> str:
        if self.text.count("/") < 2:
            raise ReportError("write table/key/field")
        name, rest = self.text.split("/", 1)
        key, path = rest.rsplit("/", 1)  # a composite key holds "/" itself
        row = data.get(name, key)
        return formatted(data.value(name, row, path), data.field(name, path)[1])


class FigureRole(ReportRole):
    """{figure}`online-reach`: a figure as its qualifier means it ("at least 104"), for prose
    that states one figure alone ({datum} gives the bare value, as a range's ends need)."""

    def compute(self, data: Data) -> str:
        row = data.get(FIGURES.table, self.text)
        value = data.value(FIGURES.table, row, FIGURES.value)
        text = formatted(value, data.field(FIGURES.table, FIGURES.value)[1])
        return qualified(text, data.value(FIGURES.table, row, FIGURES.qualifier))


class CountRole(ReportRole):
    def compute(self, data: Data) -> str:
        name, _sep, where = self.text.partition("?")
        return number(data.count(name, where.replace("&", ";")))


class WhenRole(ReportRole):
    def compute(self, data: Data) -> str:
        return when(data.get("events", self.text))
