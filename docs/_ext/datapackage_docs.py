"""Sphinx extension: the data package documented from its own descriptor, schemas and data.

Directives (used from MyST pages):
  datapackage-resource NAME   a table's page body: description, keys, fields, preview, citation
  datapackage-overview        every table with its size, and a diagram of how they link
  dataset-citation            the dataset's citation in APA, BibTeX, RIS and CSL-JSON
  dataset-downloads           the downloads with their sizes and SHA-256 checksums
  dataset-versions            every released version (git tag) with its notes and checksums
  datapackage-view            the downloads' per-value view: its fields and the stated-only query

Everything from the data becomes docutils text nodes, never markup, so a cell holding HTML,
MyST or reST shows as the text it is. Pages for each table are generated at build start into
`tables/` (not kept in git), so adding a table to the package adds its page.

This module only registers the parts, each in a module of its own: resource_directive,
view_directive and package_directives (the directives), er_diagram, docnodes (node builders),
package_summary (the tables in DuckDB), table_pages, page_metadata (JSON-LD, Open Graph),
site_address (canonical links, hreflang, sitemap), site_controls (keyboard, print),
not_found (the 404 page) and edition (language).
"""

from __future__ import annotations

from edition import Translator, use_language
from package_directives import CitationDirective, DownloadsDirective, OverviewDirective
from page_metadata import page_metadata
from resource_directive import ResourceDirective
from table_pages import TableTitle, generate_pages
from view_directive import ViewDirective


def setup(app):
    app.setup_extension("table_nodes")  # the data tables' scroll regions and links
    app.setup_extension("table_tools")  # sorting and filtering tables, charts' values
    app.setup_extension("versions")  # the versions page, from git's tags
    app.setup_extension("site_address")  # canonical links, hreflang, sitemap from SITE_URL
    app.setup_extension("site_controls")  # the drawers for the keyboard, the print style
    app.setup_extension("not_found")  # the 404 page, its links absolute
    app.setup_extension("theme_words")  # what Furo writes in English, in the edition's language
    app.connect("builder-inited", use_language, priority=100)
    app.set_translator("html", Translator, override=True)
    app.add_config_value("datapackage_path", "../datapackage.json", "env")
    app.add_config_value("datapackage_downloads", "", "")  # set at build start
    app.add_directive("datapackage-resource", ResourceDirective)
    app.add_directive("datapackage-overview", OverviewDirective)
    app.add_directive("dataset-citation", CitationDirective)
    app.add_directive("dataset-downloads", DownloadsDirective)
    app.add_directive("datapackage-view", ViewDirective)
    app.connect("builder-inited", generate_pages)
    app.add_transform(TableTitle)
    app.connect("html-page-context", page_metadata)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
