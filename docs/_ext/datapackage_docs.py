"""Sphinx extension: the data package documented from its own descriptor, schemas and data.

Directives (used from MyST pages):
  datapackage-resource NAME   a table's page body: description, keys, fields, preview, citation
  datapackage-overview        every table with its size, and a diagram of how they link
  dataset-citation            the dataset's citation in APA, BibTeX, RIS and CSL-JSON
  dataset-downloads           the downloads with their sizes and SHA-256 checksums

Everything from the data becomes docutils text nodes, never markup, so a cell holding HTML,
MyST or reST shows as the text it is. Pages for each table are generated at build start into
`tables/` (not kept in git), so adding a table to the package adds its page.
"""

from __future__ import annotations

import functools
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import charts
import tabledb
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from civic_space import citation, exports, i18n
from civic_space.descriptor import DataPackage, load
from civic_space.i18n import _

PREVIEW_ROWS = 100  # a page never renders more rows than this; the CSV has them all
DOWNLOADS = "downloads"


def package_of(config) -> DataPackage:
    return load(Path(config.datapackage_path))


@dataclass
class Summary:
    """What the pages need from a table, from one streaming pass: never every row in memory."""

    header: list[str]
    count: int
    head: list[list[str]]
    examples: dict[str, str]
    dates: tuple[str, str] | None


_SUMMARIES: dict[tuple, Summary] = {}


def summary(tab) -> Summary:
    """A table's summary, computed in DuckDB once per file version (path, size, mtime)."""
    stat = tab.path.stat()
    key = (str(tab.path), stat.st_size, stat.st_mtime_ns)
    if key not in _SUMMARIES:
        con, name, header = tabledb.connection(), tabledb.sql_table(tab), tab.field_names
        columns = [f"coalesce({tabledb.q(n)}, '')" for n in header]
        count = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        head = con.execute(
            f"SELECT {', '.join(columns)} FROM {name} ORDER BY rowid LIMIT {PREVIEW_ROWS}"
        ).fetchall()
        examples = dict.fromkeys(header, "")
        for row in head:
            for column, value in zip(header, row, strict=True):
                examples[column] = examples[column] or value
        dated = [tabledb.q(f["name"]) for f in tab.fields if f.get("type") == "date"]
        low = high = None
        if dated:
            values = f"unnest([{', '.join(dated)}])"
            low, high = con.execute(
                f"SELECT min(v), max(v) FROM (SELECT {values} AS v FROM {name})"
            ).fetchone()
        _SUMMARIES[key] = Summary(
            header, count, [list(r) for r in head], examples, (low, high) if low else None
        )
    return _SUMMARIES[key]


# ---- small node builders -------------------------------------------------------------------


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


def text_node(text: str) -> nodes.Node:
    if isinstance(text, English):
        return nodes.inline(text, text, classes=["untranslated"])
    return nodes.Text(text)


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


def constraints_text(field: dict) -> str:
    cons = dict(field.get("constraints", {}))
    cons.pop("required", None)
    parts = []
    if "enum" in cons:
        parts.append("one of: " + ", ".join(map(str, cons.pop("enum"))))
    parts += [k if v is True else f"{k}: {v}" for k, v in cons.items()]
    if field.get("format") not in (None, "default"):
        parts.append(f"format: {field['format']}")
    return "; ".join(parts)


# ---- directives ----------------------------------------------------------------------------


class PackageDirective(SphinxDirective):
    def package(self) -> DataPackage:
        package = package_of(self.config)
        # Rebuild this page when the descriptor, a schema or a CSV changes.
        self.env.note_dependency(str(package.descriptor_path.resolve()))
        return package

    def depth(self) -> int:
        return self.env.docname.count("/")


class ResourceDirective(PackageDirective):
    required_arguments = 1
    option_spec = {"preview": directives.nonnegative_int}  # noqa: RUF012 (docutils interface)

    @generated
    def run(self) -> list[nodes.Node]:
        package = self.package()
        tab = package.table(self.arguments[0])
        self.env.note_dependency(str(tab.path.resolve()))
        self.env.note_dependency(str(tab.schema_path.resolve()))
        res = next(r for r in package.descriptor["resources"] if r["name"] == tab.name)
        info = summary(tab)
        header = info.header
        out: list[nodes.Node] = [para(*text_with_code(res.get("description", "")))]

        facts = nodes.bullet_list()
        facts += nodes.list_item("", para(_("Rows: {count}").format(count=f"{info.count:,}")))
        facts += nodes.list_item(
            "", para(_("Primary key: "), *[nodes.literal(k, k) for k in tab.primary_key])
        )
        for fk in tab.schema.get("foreignKeys", []):
            ref = fk["reference"]["resource"] or tab.name
            item = para(
                _("Foreign key: "),
                nodes.literal("", ", ".join(fk["fields"])),
                " → ",
                doc_link(f"/tables/{ref}", ref),
                nodes.Text("."),
                nodes.literal("", ", ".join(fk["reference"]["fields"])),
            )
            facts += nodes.list_item("", item)
        facts += nodes.list_item(
            "",
            para(
                _("Download: "),
                download_link(self.depth(), f"{tab.name}.csv", f"{tab.name}.csv"),
                _(" (schema: schemas/{name}.json)").format(name=tab.name),
            ),
        )
        out.append(facts)

        out.append(nodes.rubric("", _("Fields")))
        examples = info.examples
        field_rows = []
        for field in tab.fields:
            required = field.get("constraints", {}).get("required", False)
            example = examples.get(field["name"], "")
            field_rows.append(
                [
                    [nodes.literal("", field["name"])],
                    field_title(field.get("title", "")),
                    field.get("type", "string"),
                    _("yes") if required else _("no"),
                    constraints_text(field),
                    para(*text_with_code(field.get("description", ""))),
                    example if len(example) <= 80 else example[:79] + "…",
                ]
            )
        out.append(
            table(
                [
                    _("Field"),
                    _("Title"),
                    _("Type"),
                    _("Required"),
                    _("Constraints"),
                    _("Description"),
                    _("Example"),
                ],
                field_rows,
                [12, 12, 6, 6, 16, 36, 14],
            )
        )

        limit = min(self.options.get("preview", PREVIEW_ROWS), PREVIEW_ROWS)
        out.append(nodes.rubric("", _("Data")))
        shown = info.head[:limit]
        note = (
            _("All {count} rows.").format(count=f"{info.count:,}")
            if len(shown) == info.count
            else _("The first {shown} of {count} rows; download the CSV for all of them.").format(
                shown=len(shown), count=f"{info.count:,}"
            )
        )
        out.append(para(note))
        if shown:
            out.append(table(header, shown))

        out.append(nodes.rubric("", _("Cite this table")))
        out.append(nodes.literal_block("", citation.apa(package.descriptor, tab.name)))
        return out


class OverviewDirective(PackageDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        package = self.package()
        rows = []
        for res, tab in zip(package.descriptor["resources"], package.tables, strict=True):
            self.env.note_dependency(str(tab.path.resolve()))
            rows.append(
                [
                    [doc_link(f"/tables/{tab.name}", tab.name)],
                    localized(res.get("title", ""), i18n.table_title(res.get("title", ""))),
                    f"{summary(tab).count:,}",
                    para(*text_with_code(res.get("description", ""))),
                ]
            )
        svg = er_diagram(package)
        figure = nodes.figure(classes=["er-diagram"])
        figure += nodes.raw("", svg, format="html")
        also = "".join(
            _(" Every table also links to {table}; those arrows are left out.").format(table=h)
            for h in hubs(package)
        )
        figure += nodes.caption(
            "",
            _(
                "How the tables link: each arrow is a foreign key, from the table that holds it"
                " to the table it refers to."
            )
            + also,
        )
        headers = [_("Table"), _("Title"), _("Rows"), _("Description")]
        return [table(headers, rows, [12, 18, 6, 64]), figure]


class CitationDirective(PackageDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        meta = self.package().descriptor
        out: list[nodes.Node] = []
        if meta.get("title_mn"):
            title = nodes.inline("", meta["title_mn"], classes=["title-mn"])
            title["lang"] = "mn"
            out.append(para(_("Title in Mongolian: "), title))
        if citation.doi(meta):
            out.append(
                para(
                    "DOI: ",
                    nodes.reference(
                        "", citation.doi(meta), refuri=f"https://doi.org/{citation.doi(meta)}"
                    ),
                )
            )
        for title, text, language in (
            ("APA", citation.apa(meta), "text"),
            ("BibTeX", citation.bibtex(meta), "bibtex"),
            ("RIS", citation.ris(meta), "text"),
            ("CSL-JSON", citation.csl_json(meta), "json"),
        ):
            out.append(nodes.rubric("", title))
            block = nodes.literal_block(text, text)
            block["language"] = language
            out.append(block)
        return out


class DownloadsDirective(PackageDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        for tab in self.package().tables:
            self.env.note_dependency(str(tab.path.resolve()))
        folder = Path(self.config.datapackage_downloads)
        sums = (
            dict(
                reversed(line.split("  ", 1))
                for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
            )
            if (folder / "SHA256SUMS").exists()
            else {}
        )
        rows = []
        for name, digest in sums.items():
            size = (folder / name).stat().st_size
            rows.append(
                [
                    [download_link(self.depth(), name, name)],
                    f"{size / 1024:.1f} KiB",
                    [nodes.literal("", digest)],
                ]
            )
        rows.append([[download_link(self.depth(), "SHA256SUMS", "SHA256SUMS")], "", ""])
        return [table([_("File"), _("Size"), "SHA-256"], rows, [30, 10, 60])]


# ---- the entity-relationship diagram --------------------------------------------------------


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


def er_diagram(package: DataPackage) -> str:
    """An SVG of the tables (boxes) and foreign keys (arrows), laid out by dependency depth."""
    skip = set(hubs(package))
    links = {n: [r for r in refs if r not in skip] for n, refs in foreign_links(package).items()}
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
    box_w, box_h, gap_x, gap_y = 150, 28, 70, 16
    pos = {
        name: (20 + col * (box_w + gap_x), 20 + i * (box_h + gap_y))
        for col, names in columns.items()
        for i, name in enumerate(names)
    }
    width = 40 + len(columns) * (box_w + gap_x) - gap_x
    height = 40 + max(len(n) for n in columns.values()) * (box_h + gap_y) - gap_y
    svg = charts.svg_root(
        width,
        height,
        "Diagram of the tables of the data package",
        "Boxes are tables; an arrow runs from a table holding a foreign key to the table it"
        " refers to: " + "; ".join(f"{n} to {', '.join(r)}" for n, r in links.items() if r),
    )
    defs = ET.SubElement(svg, "defs")
    marker = ET.SubElement(
        defs,
        "marker",
        id=charts.ident(svg, "arrow"),
        viewBox="0 0 10 10",
        refX="10",
        refY="5",
        markerWidth="7",
        markerHeight="7",
        orient="auto",
    )
    ET.SubElement(marker, "path", d="M0,0 L10,5 L0,10 z", fill="#666")
    for source, targets in links.items():
        x1, y1 = pos[source]
        for target in targets:
            x2, y2 = pos[target]
            ET.SubElement(
                svg,
                "path",
                d=f"M{x1},{y1 + box_h / 2} C{x1 - gap_x / 2},{y1 + box_h / 2}"
                f" {x2 + box_w + gap_x / 2},{y2 + box_h / 2} {x2 + box_w},{y2 + box_h / 2}",
                fill="none",
                stroke="#999",
                **{"marker-end": f"url(#{charts.ident(svg, 'arrow')})"},
            )
    for name, (x, y) in pos.items():
        group = ET.SubElement(svg, "g")
        ET.SubElement(
            group,
            "rect",
            x=str(x),
            y=str(y),
            width=str(box_w),
            height=str(box_h),
            rx="4",
            fill="#f4f6f8",
            stroke="#445",
        )
        label = ET.SubElement(
            group,
            "text",
            x=str(x + box_w / 2),
            y=str(y + box_h / 2 + 5),
            **{"text-anchor": "middle", "font-family": "sans-serif", "font-size": "13"},
        )
        label.text = name
    return ET.tostring(svg, encoding="unicode")


# ---- build hooks ---------------------------------------------------------------------------

PAGE = """# Table `{name}`

```{{datapackage-resource}} {name}
```
"""


def generate_pages(app) -> None:
    """Write one page per table into tables/, and the downloads into the output folder."""
    package = package_of(app.config)
    folder = Path(app.srcdir) / "tables"
    folder.mkdir(exist_ok=True)
    wanted = {f"{t.name}.md": PAGE.format(name=t.name) for t in package.tables}
    for stale in set(p.name for p in folder.glob("*.md")) - set(wanted):
        (folder / stale).unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")  # unchanged pages keep their mtime
    if app.builder.format == "html":
        app.config.datapackage_downloads = str(Path(app.outdir) / DOWNLOADS)
        exports.build(package, Path(app.config.datapackage_downloads))


def temporal_coverage(package: DataPackage) -> str:
    """The span of every date in the data, as an ISO 8601 interval."""
    spans = [s.dates for s in map(summary, package.tables) if s.dates]
    return f"{min(s[0] for s in spans)}/{max(s[1] for s in spans)}" if spans else ""


def json_ld(app, pagename: str) -> dict:
    meta = package_of(app.config).descriptor
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""
    name = f"{meta['name']}-{meta['version']}"
    files = [
        (f"{name}.zip", "application/zip"),
        (f"{name}.sqlite", "application/vnd.sqlite3"),
        (f"{name}.json", "application/json"),
    ]
    files += [(f"{r['name']}.csv", "text/csv") for r in meta["resources"]]
    prefix = base or "../" * pagename.count("/")
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": meta["title"],
        "alternateName": [{"@language": "mn", "@value": meta.get("title_mn", "")}],
        "description": meta["description"],
        "version": meta["version"],
        "license": meta["licenses"][0].get("path", meta["licenses"][0]["name"]),
        "creator": [{"@type": "Organization", "name": a} for a in citation.authors(meta)],
        "keywords": meta["keywords"],
        "datePublished": meta["created"][:10],
        "temporalCoverage": temporal_coverage(package_of(app.config)),
        "spatialCoverage": {"@type": "Place", "name": "Mongolia"},
        "url": base or meta["homepage"],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": kind,
                "contentUrl": f"{prefix}{DOWNLOADS}/{f}",
            }
            for f, kind in files
        ],
    }


def page_metadata(app, pagename, templatename, context, doctree) -> None:
    """schema.org Dataset JSON-LD and Open Graph tags on every page, escaped for HTML."""
    meta = package_of(app.config).descriptor
    data = json.dumps(json_ld(app, pagename), ensure_ascii=False).replace("<", "\\u003c")
    title = context.get("title") or meta["title"]
    tags = [
        ("og:title", html.unescape(title)),
        ("og:description", meta["description"]),
        ("og:type", "website"),
        ("og:site_name", meta["title"]),
    ]
    context["metatags"] = (
        context.get("metatags", "")
        + "".join(
            f'\n<meta property="{p}" content="{html.escape(v, quote=True)}" />' for p, v in tags
        )
        + f'\n<script type="application/ld+json">{data}</script>'
    )


class Translator(HTML5Translator):
    """Sets `lang` on elements: from a node's own `lang`, and "en" on text that another
    edition shows untranslated (Sphinx's translation_progress_classes, and our data)."""

    def starttag(self, node, tagname, suffix="\n", empty=False, **attributes):
        if isinstance(node, nodes.Element):
            if node.get("lang"):
                attributes.setdefault("lang", node["lang"])
            elif "untranslated" in node.get("classes", []) and i18n.language() != "en":
                attributes.setdefault("lang", "en")
        return super().starttag(node, tagname, suffix, empty, **attributes)


def use_language(app) -> None:
    """Messages from our catalogue in the edition's language (English if it has none)."""
    language = app.config.language or "en"
    i18n.use(language if language in i18n.available() else "en")


def setup(app):
    app.connect("builder-inited", use_language, priority=100)
    app.set_translator("html", Translator, override=True)
    app.add_config_value("datapackage_path", "../datapackage.json", "env")
    app.add_config_value("datapackage_downloads", "", "")  # set at build start
    app.add_directive("datapackage-resource", ResourceDirective)
    app.add_directive("datapackage-overview", OverviewDirective)
    app.add_directive("dataset-citation", CitationDirective)
    app.add_directive("dataset-downloads", DownloadsDirective)
    app.connect("builder-inited", generate_pages)
    app.connect("html-page-context", page_metadata)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
