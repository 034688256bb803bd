"""The site built from a copy of the package: shared by the docs and browser tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from conftest import ROOT

COPIED = ["datapackage.json", "CHANGELOG.md", "LICENSE-DATA", "CITATION.cff", "README.md"]


def generated(folder: str, names: list[str]) -> list[str]:
    """For copytree: what a build writes into docs/ (its output, the table pages), not the
    catalogues' own tables/ folder, which translates those pages."""
    top = Path(folder) == ROOT / "docs"
    return [n for n in names if n == "_build" or (top and n == "tables")]


def site_copy(folder: Path) -> Path:
    """The package and docs/ copied into `folder`; returns the copied docs/ folder."""
    for name in COPIED:
        shutil.copy(ROOT / name, folder / name)
    for sub in ("data", "schemas"):
        shutil.copytree(ROOT / sub, folder / sub)
    shutil.copytree(ROOT / "docs", folder / "docs", ignore=generated)
    return folder / "docs"


# The address the shared test site is built for, as the Pages workflow passes SITE_URL.
SITE_URL = "https://example.org/civic-space-mongolia/v0.1.0/"


def build(docs: Path, language: str = "en", site_url: str = "") -> SphinxTestApp:
    app = SphinxTestApp(
        "html",
        srcdir=docs,
        builddir=docs / "_build" / language,
        confoverrides={
            "datapackage_path": str(docs.parent / "datapackage.json"),
            "language": language,
            "site_url": site_url,
        },
        warningiserror=False,
    )
    app.build()
    return app
