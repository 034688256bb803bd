"""The report's inline roles: {datum} (one value), {figure} (a declared figure: a metric with
its qualifier, or a declared count) and {when} (an event's dates). A wrong name is reported as
an error at its place in the page. Pages count nothing of their own: {count} only says so.

Each role's output carries the classes `datum` and what it prints (`datum-value`,
`datum-figure` with `figure-<id>`, `datum-date`), so a test can trace every number on a page."""

from __future__ import annotations

from docnodes import datum
from report_data import Data, ReportError, data_of, note
from report_format import formatted, number, qualified, when
from sphinx.util.docutils import SphinxRole
from tabledb import LoadError

from civic_space.meanings import COUNTS, FIGURES


class ReportRole(SphinxRole):
    kind = "value"  # what the role prints, for its classes

    def classes(self) -> list[str]:
        return ["datum", f"datum-{self.kind}"]

    def run(self):
        data = data_of(self.env)
        try:
            text = self.compute(data)
        except (ReportError, LoadError, ValueError, KeyError) as exc:
            msg = self.inliner.reporter.error(f"{self.name}`{self.text}`: {exc}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        note(self.env, data)
        return [datum(text, self.kind, *self.classes()[2:])], []


class DatumRole(ReportRole):
    def compute(self, data: Data) -> str:
        if self.text.count("/") < 2:
            raise ReportError("write table/key/field")
        name, rest = self.text.split("/", 1)
        key, path = rest.rsplit("/", 1)  # a composite key holds "/" itself
        row = data.get(name, key)
        return formatted(data.value(name, row, path), data.field(name, path)[1])


class FigureRole(ReportRole):
    """{figure}`online-reach`: a figure of the metrics table as its qualifier means it ("at
    least 104"), for prose that states one figure alone ({datum} gives the bare value, as a
    range's ends need); or {figure}`working-group-assignees`: a declared count, computed from
    its formula by the same function validation uses."""

    kind = "figure"

    def classes(self) -> list[str]:
        return [*super().classes(), f"figure-{self.text}"]

    def compute(self, data: Data) -> str:
        if data.has(FIGURES.table, self.text):
            row = data.get(FIGURES.table, self.text)
            value = data.value(FIGURES.table, row, FIGURES.value)
            text = formatted(value, data.field(FIGURES.table, FIGURES.value)[1])
            # The code, not its label: qualified() words it ("at least …") in each edition.
            return qualified(text, row[FIGURES.qualifier])
        if data.has(COUNTS.table, self.text):
            value = data.counted(self.text)
            if isinstance(value, dict):
                raise ReportError(
                    f"{self.text} is a count by groups: a chart shows it"
                    " (report-figure bars, :figure:)"
                )
            return number(value)
        raise ReportError(
            f"no figure {self.text!r}: neither {FIGURES.table} nor {COUNTS.table} has it"
        )


class CountRole(ReportRole):
    """Gone: a page that counts rows itself prints a number nobody declared (it once counted
    the Prime Minister among the office-holders he assigned)."""

    def compute(self, data: Data) -> str:
        raise ReportError(
            f"pages count nothing themselves: declare the count in the {COUNTS.table} table"
            " (its formula) and print it with {figure}"
        )


class WhenRole(ReportRole):
    kind = "date"

    def compute(self, data: Data) -> str:
        """{when}`event-id`, or {when}`event-id from` with a case (mn_dates.CASES) that the
        Mongolian sentence puts on the date ("from", "in", "of")."""
        key, _sep, case = self.text.partition(" ")
        return when(data.get("events", key), case.strip())
