"""Sphinx extension: the report's numbers, tables and charts, computed from the data at build time.

Roles (inline, in MyST prose):
  {datum}`metrics/online-reach/value`     one value; `a.b` follows foreign keys (place_id.name_en)
  {figure}`online-reach`                  a declared figure: a metric with its qualifier, or a
                                          declared count (the counts table), from its formula
  {when}`workshop-arvaikheer`             an event's dates, as precisely as they are known

Directives:
  report-table TABLE    rows as a table (:where:, :columns:, :headers:, :sort:); a column is a
                        path of the data, or @when (an event's dates)
  report-list TABLE     a numbered list of one column (:text:, :where:)
  report-figure KIND    an SVG chart (map, bars, timeline) with alt text, caption and its data
                        table; bars show a declared count by groups (:figure:, and :total: for
                        stacks) or stored values, one bar per row (:value:, :group:)

Pages count nothing themselves: {count}, a computed column and bars that count rows are errors
that say so. Every value a table or chart prints is marked with what it is (`datum-value`,
`datum-date`, `datum-figure`), as the roles' are, so a test traces every number on a page.
Filters are `field=value` joined by `;`, with `|` between alternatives. Every name is checked
against the schemas: a wrong one fails the build. Values become text nodes, never markup.

This module only registers the parts, each in a module of its own: report_roles,
report_directives and report_figures, over report_data (the queries) and report_format (values
as text).
"""

from __future__ import annotations

from report_directives import ListDirective, TableDirective
from report_figures import FigureDirective
from report_roles import CountRole, DatumRole, FigureRole, WhenRole


def setup(app):
    app.setup_extension("datapackage_docs")
    app.setup_extension("figure_notes")  # under each figure: sources, unit, CSV, data table
    app.add_role("datum", DatumRole())
    app.add_role("figure", FigureRole())
    app.add_role("count", CountRole())
    app.add_role("when", WhenRole())
    app.add_directive("report-table", TableDirective)
    app.add_directive("report-list", ListDirective)
    app.add_directive("report-figure", FigureDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
