"""The site's address: one setting, SITE_URL (the address this build is published at, as the
Pages workflow passes it), from which each page gets its canonical link (Sphinx's
html_baseurl), absolute Open Graph and JSON-LD URLs, `hreflang` alternates for the other
edition, and the English build a sitemap.xml of both editions. English is at the address's
root and Mongolian under mn/ (see the noxfile's docs session).

Without SITE_URL the site still builds, with relative links only, and says at the start of
the build which of these it leaves out.

The sitemap is written here rather than by sphinx-sitemap: that extension puts every
edition under a language folder (en/…), while ours keeps English at the root; a sitemap
of a few dozen pages is a few lines."""

from __future__ import annotations

import html
import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

from sphinx.util import logging

from civic_space import edge

LANGUAGES = ("en", "mn")  # the editions; the first is at the root
LEFT_OUT = (
    "canonical links, hreflang alternates, sitemap.xml and absolute URLs in JSON-LD and in the"
    " 404 page"
)
logger = logging.getLogger(__name__)


def site_url(config) -> str:
    """The address of the English edition's root, ending in "/"; "" when not set."""
    url = (config.site_url or os.environ.get("SITE_URL", "")).strip()
    return url.rstrip("/") + "/" if url else ""


def edition_url(config, language: str) -> str:
    base = site_url(config)
    return base + ("" if language == LANGUAGES[0] else f"{language}/") if base else ""


def page_url(config, language: str, pagename: str) -> str:
    base = edition_url(config, language)
    return f"{base}{pagename}.html" if base else ""


def configure(app, config) -> None:
    """At config-inited: the edition's own address as html_baseurl (so Sphinx writes the
    canonical link), or a note of what is left out."""
    language = config.language or LANGUAGES[0]
    if site_url(config):
        config.html_baseurl = edition_url(config, language)
    else:
        logger.info(f"SITE_URL is not set: the site is built without {LEFT_OUT}.")


def head_links(app, pagename, templatename, context, doctree) -> None:
    """Each page: its alternates in every edition (x-default: English) and og:url."""
    if not site_url(app.config):
        return
    links = [(lang, page_url(app.config, lang, pagename)) for lang in LANGUAGES]
    links.append(("x-default", links[0][1]))
    tags = "".join(
        f'\n<link rel="alternate" hreflang="{lang}" href="{html.escape(url, quote=True)}" />'
        for lang, url in links
    )
    own = page_url(app.config, app.config.language or LANGUAGES[0], pagename)
    tags += f'\n<meta property="og:url" content="{html.escape(own, quote=True)}" />'
    context["metatags"] = context.get("metatags", "") + tags


def sitemap(app, exception) -> None:
    """At build-finished, English build only: sitemap.xml with every page of both editions,
    each with its alternates (the editions have the same pages)."""
    if exception or app.builder.format != "html" or not site_url(app.config):
        return
    if (app.config.language or LANGUAGES[0]) != LANGUAGES[0]:
        return
    names = sorted(n for n in app.env.found_docs if n not in ("genindex", "search", "404"))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for name in names:
        urls = [(lang, page_url(app.config, lang, name)) for lang in LANGUAGES]
        for _lang, url in urls:
            lines.append(f"  <url><loc>{html.escape(url)}</loc>")
            lines += [
                f'    <xhtml:link rel="alternate" hreflang="{alt}" href={quoteattr(link)}/>'
                for alt, link in urls
            ]
            lines.append("  </url>")
    lines.append("</urlset>")
    edge.write_text(app.outdir, Path(app.outdir, "sitemap.xml"), "\n".join(lines) + "\n")


def setup(app):
    app.add_config_value("site_url", "", "env")  # default: the SITE_URL environment variable
    app.connect("config-inited", configure)
    app.connect("html-page-context", head_links)
    app.connect("build-finished", sitemap)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
