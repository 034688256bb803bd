"""The "page not found" page of each edition (docs/404.md, translated as any page): a heading,
why, and links to the edition's home page and search, and to the other edition's, in its
language.

A server shows this page at the address that was not found, at any depth (GitHub Pages serves
the site root's 404.html for every missing address under it), so its relative links would
point nowhere. Once built, every relative address in it (stylesheets, scripts, menu, links) is
made absolute from the edition's address (SITE_URL, see site_address); without SITE_URL they
stay relative, right only at the edition's root."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

from docnodes import doc_link
from docutils import nodes
from site_address import LANGUAGES, edition_url
from sphinx.util.docutils import SphinxDirective

from civic_space import edge, i18n

PAGE = "404"
# An address in an attribute that is relative: not a fragment, not from the root, no scheme.
RELATIVE = re.compile(r'\b(href|src|action|data-content_root)="(?![#/]|[a-zA-Z][\w+.-]*:)([^"]*)"')


def words(_) -> dict[str, str]:
    """The links' words, through `_` (one edition's messages, or the other's)."""
    return {"home": _("Home page"), "search": _("Search"), "lost": _("Page not found.")}


def in_language(lang: str):
    """A `_` for `lang`: our catalogue's translation, or the message as written (English)."""
    table = i18n.messages(lang)
    return lambda message: table.get((None, message), message)


class NotFoundLinks(SphinxDirective):
    """The edition's home page and search; the other edition's, marked with its language."""

    def run(self) -> list[nodes.Node]:
        own = self.env.config.language or LANGUAGES[0]
        other = next(lang for lang in LANGUAGES if lang != own)
        here, there = words(i18n._), words(in_language(other))
        prefix = "../" if own != LANGUAGES[0] else f"{other}/"  # the other edition's root
        # Made in the edition's words: never a message for the page's own catalogue.
        items = nodes.bullet_list(classes=["not-found-links"])
        home = doc_link("index", here["home"])
        search = nodes.reference("", here["search"], refuri="search.html", internal=True)
        for link in (home, search):
            items += nodes.list_item("", nodes.paragraph("", "", link, translatable=False))
        elsewhere = nodes.paragraph(lang=other, classes=["not-found-other"], translatable=False)
        elsewhere += nodes.Text(f"{there['lost']} ")
        for target, label in (("index.html", there["home"]), ("search.html", there["search"])):
            elsewhere += nodes.reference("", label, refuri=prefix + target)
            elsewhere += nodes.Text(" · ")
        elsewhere.pop()
        return [items, elsewhere]


def no_index(app, pagename, templatename, context, doctree) -> None:
    if pagename == PAGE:
        robots = '\n<meta name="robots" content="noindex">'
        context["metatags"] = context.get("metatags", "") + robots


def absolute(app, exception) -> None:
    """At build-finished: the built 404 page's relative addresses made absolute."""
    base = edition_url(app.config, app.config.language or LANGUAGES[0])
    path = Path(app.outdir, f"{PAGE}.html")
    if exception or app.builder.format != "html" or not base or not path.exists():
        return
    text = edge.read_text(app.outdir, path)
    text = RELATIVE.sub(lambda m: f'{m[1]}="{urljoin(base, m[2])}"', text)
    edge.write_text(app.outdir, path, text)


def setup(app):
    app.add_directive("not-found-links", NotFoundLinks)
    app.connect("html-page-context", no_index)
    app.connect("build-finished", absolute)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
