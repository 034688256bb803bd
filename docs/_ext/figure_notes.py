"""What a report figure says under itself, as Our World in Data's figures do: its sources (the
sources rows that the rows it shows cite), its unit, a link to its data as CSV (written into the
build's output at build time, from the rows of its data table), and its data table folded in a
<details> that opens on request. Every text is a docutils text node, so data is escaped."""

from __future__ import annotations

import html
from pathlib import Path

from docnodes import datum, para
from docutils import nodes
from report_data import Data

from civic_space import edge
from civic_space.checks.spreadsheet_formula import FORMULA_STARTS
from civic_space.formatting import quote_cell
from civic_space.i18n import _
from civic_space.meanings import SOURCES

FOLDER = "figures"  # in the build's output: one CSV per figure


class disclosure(nodes.General, nodes.Element):
    """A block shown on request: <details><summary>summary</summary>…</details>."""


def visit_disclosure(self, node: disclosure) -> None:
    classes = html.escape(" ".join(node.get("classes", [])), quote=True)
    summary = html.escape(node["summary"])
    self.body.append(f'<details class="{classes}">\n<summary>{summary}</summary>\n')


def depart_disclosure(self, node: disclosure) -> None:
    self.body.append("</details>\n")


def plain(app, doctree: nodes.document, docname: str) -> None:
    """For builders other than HTML: a disclosure is its heading (a rubric) and its content."""
    if app.builder.format == "html":
        return
    for node in list(doctree.findall(disclosure)):
        heading = nodes.rubric("", node["summary"])
        node.replace_self(nodes.container("", heading, *node.children, classes=node["classes"]))


def source_paths(data: Data, table: str) -> list[str]:
    """The fields of `table` that cite a source (foreign keys into the sources table)."""
    tab = data.table(table)
    return [f for f in tab.field_names if (tab.reference(f) or ("",))[0] == SOURCES.table]


def source_keys(data: Data, table: str, where: str = "", paths=None) -> list[str]:
    """The sources that the rows of `table` matching `where` cite, in order of first use."""
    found: dict[str, None] = {}
    for path in source_paths(data, table) if paths is None else paths:
        for key, _n in data.group(table, [path], where):
            if key:
                found[key] = None
    return list(found)


def source_line(data: Data, keys: list[str]) -> nodes.paragraph:
    """“Sources: author (year), title: “section”, “section”; …”, grouped by work; each value
    as the data holds it (marked where it is English in another edition)."""
    works: dict[tuple, list[str]] = {}
    for key in keys:
        row = data.get(SOURCES.table, key)
        work = tuple(
            data.value(SOURCES.table, row, f) for f in (SOURCES.author, SOURCES.year, SOURCES.title)
        )
        section = data.value(SOURCES.table, row, SOURCES.section)
        works.setdefault(work, []).extend([section] if section else [])
    out = para(_("Sources: ") if len(works) > 1 else _("Source: "))
    for n, ((author, year, title), sections) in enumerate(works.items()):
        out += nodes.Text("; " if n else "")
        out += datum(author, "value")
        if year:
            out += [nodes.Text(" ("), datum(year, "value"), nodes.Text(")")]
        out += [nodes.Text(", "), datum(title, "value")]
        for m, section in enumerate(sections):
            out += [nodes.Text(": " if m == 0 else ", "), nodes.Text("“")]
            out += [datum(section, "value"), nodes.Text("”")]
    out += nodes.Text(".")
    out["classes"].append("figure-source")
    return out


def unit_line(*parts) -> nodes.paragraph:
    """The figure's unit, of words and the data's names (marked where they are English)."""
    out = para(*parts)
    out["classes"].append("figure-unit")
    return out


def cell_text(value: str) -> str:
    """A cell as the CSV holds it: text a spreadsheet would run as a formula (=, +, -, @, tab,
    CR at its start; the gate refuses these in the data, but a figure's cells are made from it)
    is kept as text by a leading apostrophe, as spreadsheets read it. A number stays a number."""
    if value.startswith(FORMULA_STARTS) and not is_number(value):
        return "'" + value
    return value


def is_number(value: str) -> bool:
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return True


def csv_text(headers: list, body: list[list]) -> str:
    """The figure's data table as CSV: its headers and cells as the page prints them."""
    rows = [[text_of(c) for c in headers], *([text_of(c) for c in row] for row in body)]
    return "".join(",".join(quote_cell(cell_text(c)) for c in row) + "\n" for row in rows)


def text_of(cell) -> str:
    return cell.astext() if isinstance(cell, nodes.Node) else str(cell)


def download(env, docname: str, text: str) -> nodes.paragraph:
    """The figure's CSV, written into the HTML output (figures/<page>-<n>.csv), and a link to
    it; other builders write nothing and get no link."""
    folder = env.config.figure_data_folder
    if not folder:
        return nodes.paragraph()
    name = f"{docname.replace('/', '-')}-{env.new_serialno('report-figure-csv') + 1}.csv"
    out = Path(folder).parent
    edge.make_folder(out, Path(folder))
    if edge.current(out, Path(folder, name)) != text:
        edge.write_text(out, Path(folder, name), text)
    uri = "../" * docname.count("/") + f"{FOLDER}/{name}"
    label = _("Download the data of this figure (CSV)")
    link = nodes.reference(label, label, refuri=uri, classes=["figure-csv"])
    out_para = para(link)
    out_para["classes"].append("figure-download")
    return out_para


def data_folder(app) -> None:
    """At build start: where the figures' CSV files go, for HTML (none for other builders)."""
    html = app.builder.format == "html"
    app.config.figure_data_folder = str(Path(app.outdir) / FOLDER) if html else ""


def setup(app):
    app.add_node(disclosure, html=(visit_disclosure, depart_disclosure))
    app.connect("doctree-resolved", plain)
    app.add_config_value("figure_data_folder", "", "")  # set at build start
    app.connect("builder-inited", data_folder)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
