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


def build(docs: Path, language: str = "en") -> SphinxTestApp:
    app = SphinxTestApp(
        "html",
        srcdir=docs,
        builddir=docs / "_build" / language,
        confoverrides={
            "datapackage_path": str(docs.parent / "datapackage.json"),
            "language": language,
        },
        warningiserror=False,
    )
    app.build()
    return app
