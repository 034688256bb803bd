"""Sphinx configuration. Project facts come from datapackage.json, the one metadata source."""

import html
import json
import sys
from pathlib import Path

from civic_space import edge  # installed (see noxfile.py): never a linked descriptor

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE / "_ext")]

META = json.loads(edge.read_text(HERE.parent, HERE.parent / "datapackage.json"))

project = META["title"]
author = ", ".join(c["title"] for c in META["contributors"] if c["role"] == "author")
copyright = f"{META['created'][:4]}, {author}; data under {META['licenses'][0]['name']}"
version = release = META["version"]
language = "en"  # the Mongolian edition is built with -D language=mn (see noxfile.py)
# Page text is translated through gettext catalogues in locales/<lang>/LC_MESSAGES/*.po
# (`nox -s translations` updates them); what has no translation yet stays in English, and
# is marked so on the page (class "untranslated", lang="en").
# The theme's words are in sphinx.po (and the search script's in sphinx.js) beside the pages'.
# Absolute: Sphinx looks for sphinx.js from the working directory, not from this folder.
locale_dirs = [str(HERE / "locales")]
gettext_compact = False
gettext_uuid = False
gettext_location = False
translation_progress_classes = "untranslated"

extensions = ["myst_parser", "datapackage_docs", "report_docs", "search_mn"]
datapackage_path = str(HERE.parent / "datapackage.json")
myst_enable_extensions = ["substitution", "colon_fence"]
# Descriptor text goes into markup escaped (validation also holds the version to SemVer): a
# substitution is read as Markdown, and the theme prints html_title as it is.
myst_substitutions = {"version": html.escape(version)}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "locales"]

html_theme = "furo"
html_title = html.escape(f"{META['name']} {version}")
# The site's address: SITE_URL, read by site_address (canonical links, sitemap, hreflang).
html_static_path = ["_static"]
templates_path = ["_templates"]
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/language-switch.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
html_css_files = ["site.css", "charts.css", "tables.css"]
html_show_sourcelink = False
html_last_updated_fmt = None
html_favicon = "_static/favicon.svg"
# Quoted data must show exactly as recorded: no curly-quote substitution.
smartquotes = False
