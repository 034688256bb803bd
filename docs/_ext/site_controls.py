"""The page's controls for the keyboard, and its print style: the theme's drawer toggles become
named buttons and a drawer out of view takes no focus (`_static/controls.js`, given the names
in the edition's language from our catalogue), and `_static/print.css` prints a page as a
document (no navigation, nothing fixed over the text, tables whole)."""

from __future__ import annotations

from civic_space.i18n import _


def words() -> dict[str, str]:
    """What the script names, as data-* attributes of its tag (read as its dataset)."""
    return {
        "data-menu": _("Site menu"),
        "data-contents": _("Contents of this page"),
        "data-close": _("Close"),
    }


def add_controls(app) -> None:
    """At builder-inited, after edition.use_language has chosen the messages' language."""
    app.add_js_file("controls.js", defer="defer", **words())


def setup(app):
    app.connect("builder-inited", add_controls)
    app.add_css_file("print.css", media="print")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
