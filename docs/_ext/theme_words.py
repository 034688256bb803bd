"""The words Furo writes in English without gettext (its controls' names, its icons' titles, the
navigation's expanders), and the footer's copyright, in the edition's language.

Furo hard-codes these in page.html, partials/icons.html and navigation.py, so no catalogue
reaches them. They are listed here once: theme_catalogue puts them in sphinx.po beside the
theme's other words, and in another edition each is replaced on the rendered page by its
translation there (an attribute's value or an icon's <title>, matched whole). Names that stay
in Latin script (the tools credited in the footer, the package's name) are marked lang="en"."""

from __future__ import annotations

import html
import re

from civic_space.i18n import _

# Furo 2025.12: page.html's aria-labels, then icons.html's <title>s.
HARD_CODED = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Contents",
    "Menu",
    "Expand",
    "Light mode",
    "Dark mode",
    "Auto light/dark, in light mode",
    "Auto light/dark, in dark mode",
)
# navigation.py names each expander after its page's title.
NAVIGATION = "Toggle navigation of %(title)s"
_NAVIGATION = re.compile('aria-label="Toggle navigation of ([^"]*)"')
# page.html's credit: a name and an English possessive outside any translatable block.
CREDIT = """<a class="muted-link" href="https://pradyunsg.me">@pradyunsg</a>'s"""


def theme_messages() -> list[str]:
    return [*HARD_CODED, NAVIGATION, "%(name)s's"]


def translate_page(text: str, translate, replaced: dict[str, str]) -> str:
    """A rendered page with the hard-coded words replaced by `translate(word)`, and each
    key of `replaced` by its value."""
    for word in HARD_CODED:
        done = html.escape(translate(word))
        text = text.replace(f'aria-label="{word}"', f'aria-label="{done}"')
        text = text.replace(f"<title>{word}</title>", f"<title>{done}</title>")
    text = _NAVIGATION.sub(
        lambda m: 'aria-label="{}"'.format(
            html.escape(translate(NAVIGATION) % {"title": html.unescape(m.group(1))})
        ),
        text,
    )
    name = '<a class="muted-link" href="https://pradyunsg.me" lang="en">@pradyunsg</a>'
    text = text.replace(CREDIT, html.escape(translate("%(name)s's")) % {"name": name})
    for old, new in replaced.items():
        text = text.replace(old, new)
    return text


def copyright_line(meta: dict) -> str:
    """The footer's copyright in the edition's language, names in Latin script marked."""
    author = next(c["title"] for c in meta["contributors"] if c["role"] == "author")
    name = f'<span lang="en" translate="no">{html.escape(meta["name"])}</span>'
    if author == f"{meta['name']} maintainers":  # as conf.py's authors: a phrase to translate
        author = _("{name} maintainers").format(name=name)
    else:
        author = f'<span lang="en">{html.escape(author)}</span>'
    licence = html.escape(meta["licenses"][0]["name"])
    return _("{year}, {author}; data under {licence}").format(
        year=meta["created"][:4],
        author=author,
        licence=f'<span lang="en" translate="no">{licence}</span>',
    )


def install(app) -> None:
    """At builder-inited, for HTML in an edition other than English: every page the builder
    renders passes through translate_page."""
    if app.builder.format != "html" or (app.config.language or "en") == "en":
        return
    import json
    from pathlib import Path

    from sphinx.locale import get_translation

    from civic_space import edge

    translate = get_translation("sphinx")
    path = Path(app.config.datapackage_path)
    meta = json.loads(edge.read_text(path.parent, path))
    brand = app.config.html_title  # conf.py's, escaped: the package's name and version
    replaced = {
        html.escape(app.config.copyright): copyright_line(meta),
        f">{brand}<": f'><span lang="en" translate="no">{brand}</span><',
    }
    templates = app.builder.templates
    render = templates.render

    def rendered(template, context):
        return translate_page(render(template, context), translate, replaced)

    templates.render = rendered


def setup(app):
    app.connect("builder-inited", install, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
