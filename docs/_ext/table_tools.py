"""The page scripts of tables and charts (docs/_static/tables.js, charts.js), and the words
tables.js shows, from our catalogue in the edition's language."""

from __future__ import annotations

import json

from civic_space.i18n import _


def words() -> dict[str, str]:
    return {
        "filter": _("Filter rows"),
        "sort": _("Sort rows by"),
        "unsorted": _("the file's order"),
        "ascending": _("{column}, ascending"),
        "descending": _("{column}, descending"),
        "sortBy": _("Sort by {column}"),
        "shown": _("{shown} of {total} rows shown"),
    }


def add_words(app) -> None:
    """After the edition's language is set (edition.use_language runs at priority 100)."""
    text = json.dumps(words(), ensure_ascii=False).replace("<", "\\u003c")
    app.add_js_file(None, body=f"window.civicTableWords = {text};")


def setup(app):
    app.connect("builder-inited", add_words, priority=200)
    app.add_js_file("tables.js", defer="defer")
    app.add_js_file("charts.js", defer="defer")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
