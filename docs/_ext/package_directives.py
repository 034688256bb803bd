"""The directives about the package as a whole: the overview of its tables (with the diagram of
how they link), the dataset's citation, and the downloads with their checksums."""

from __future__ import annotations

from pathlib import Path

from babel.numbers import format_decimal
from docnodes import doc_link, download_link, generated, localized, para, table, text_with_code
from docutils import nodes
from er_diagram import er_diagram, hubs
from package_summary import package_of, summary
from report_format import number
from site_address import edition_url
from sphinx.util.docutils import SphinxDirective
from table_nodes import identifier
from value_notes import metadata_notes
from versions import reads_tags

from civic_space import citation, edge, i18n
from civic_space.descriptor import DataPackage
from civic_space.gitdata import is_released
from civic_space.i18n import _


class PackageDirective(SphinxDirective):
    def package(self) -> DataPackage:
        package = package_of(self.config)
        # Rebuild this page when the descriptor, a schema or a CSV changes.
        self.env.note_dependency(str(package.descriptor_path.resolve()))
        return package

    def depth(self) -> int:
        return self.env.docname.count("/")


class OverviewDirective(PackageDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        package = self.package()
        rows = []
        for res, tab in zip(package.descriptor["resources"], package.tables, strict=True):
            self.env.note_dependency(str(tab.path.resolve()))
            rows.append(
                [
                    [identifier("", "", doc_link(f"/tables/{tab.name}", tab.name))],
                    localized(res.get("title", ""), i18n.table_title(res.get("title", ""))),
                    number(summary(tab).count),
                    para(*text_with_code(res.get("description", ""))),
                ]
            )
        headers = [_("Table"), _("Title"), _("Rows"), _("Description")]
        notes = metadata_notes(package, self.env)
        return [table(headers, rows, [12, 18, 6, 64]), *notes, diagram_figure(package)]


def diagram_figure(package: DataPackage) -> nodes.figure:
    """The diagram of the tables, with a caption saying how to read it."""
    svg = er_diagram(package)
    figure = nodes.figure(classes=["er-diagram", "report-figure"])  # sized as the charts are
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
    return figure


class CitationDirective(PackageDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        meta = self.package().descriptor
        out: list[nodes.Node] = []
        if meta.get("title_mn"):
            title = nodes.inline("", meta["title_mn"], classes=["title-mn"])
            title["lang"] = "mn"
            out.append(para(_("Title in Mongolian: "), title))
        url = edition_url(self.config, "en")  # this version's address (SITE_URL), if set
        reads_tags(self.env, self.package().base)  # a new tag makes a release
        if not is_released(self.package().base, meta["version"]):
            text = _("Version {version} is not released yet: until it is, its data may change.")
            out.append(para(text.format(version=meta["version"])))
        out.append(doi_status(meta, url))
        for title, text, language in (
            ("APA", citation.apa(meta, url=url), "text"),
            ("BibTeX", citation.bibtex(meta, url), "bibtex"),
            ("RIS", citation.ris(meta, url), "text"),
            ("CSL-JSON", citation.csl_json(meta, url), "json"),
        ):
            out.append(nodes.rubric("", title, lang="en"))  # a format's name
            # Wrapped as text (site.css), not cut off in a box that scrolls: a citation is read.
            block = nodes.literal_block(text, text, classes=["citation-text"])
            block["language"] = language
            out.append(block)
        return out


def doi_status(meta: dict, url: str) -> nodes.paragraph:
    """The DOI, or plainly that there is none yet, and what the citations point to instead."""
    if citation.doi(meta):
        uri = citation.link(meta)
        return para("DOI: ", nodes.reference("", citation.doi(meta), refuri=uri))
    if url:
        text = _("No DOI yet: one is minted when a version is released on Zenodo. Until then ")
        text += _("the citations point to this version's address, which stays reachable: ")
        return para(text, nodes.reference("", url, refuri=url))
    return para(_("No DOI yet, and this build of the site has no address (SITE_URL)."))


class DownloadsDirective(PackageDirective):
    @generated
    def run(self) -> list[nodes.Node]:
        for tab in self.package().tables:
            self.env.note_dependency(str(tab.path.resolve()))
        folder = Path(self.config.datapackage_downloads)
        rows = []
        for name, digest in checksums(folder).items():
            size = (folder / name).stat().st_size
            rows.append(
                [
                    [identifier("", "", download_link(self.depth(), name, name))],
                    kibibytes(size),
                    [nodes.literal("", digest)],
                ]
            )
        sums = identifier("", "", download_link(self.depth(), "SHA256SUMS", "SHA256SUMS"))
        rows.append([[sums], "", ""])
        return [table([_("File"), _("Size"), _("SHA-256")], rows, [30, 10, 60])]


def kibibytes(size: int) -> str:
    """A file's size in KiB, one decimal, as the edition writes numbers and the unit."""
    amount = format_decimal(round(size / 1024, 1), "#,##0.0", locale=i18n.language())
    return _("{size} KiB").format(size=amount)


def checksums(folder: Path) -> dict[str, str]:
    """File name → SHA-256, from the downloads' SHA256SUMS (none if it is not there)."""
    sums = folder / "SHA256SUMS"
    text = edge.current(folder, sums) or ""  # through the edge: never a link (see edge.py)
    return dict(reversed(line.split("  ", 1)) for line in text.splitlines())
