"""Sphinx configuration. Project facts come from datapackage.json, the one metadata source."""

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE / "_ext"), str(HERE.parent / "scripts")]

META = json.loads((HERE.parent / "datapackage.json").read_text(encoding="utf-8"))

project = META["title"]
author = ", ".join(c["title"] for c in META["contributors"] if c["role"] == "author")
copyright = f"{META['created'][:4]}, {author}; data under {META['licenses'][0]['name']}"
version = release = META["version"]
language = "en"

extensions = ["myst_parser", "datapackage_docs", "report_docs"]
datapackage_path = str(HERE.parent / "datapackage.json")
myst_enable_extensions = ["substitution", "colon_fence"]
myst_substitutions = {"version": version}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

html_theme = "furo"
html_title = f"civic-space-mongolia {version}"
html_baseurl = os.environ.get("SITE_URL", "")
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_show_sourcelink = False
html_last_updated_fmt = None
html_favicon = "_static/favicon.svg"
# Quoted data must show exactly as recorded: no curly-quote substitution.
smartquotes = False
