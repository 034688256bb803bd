"""An output the person running a tool names (from-issue's `--comment`, template's `--out`,
bench's `--out`, the page catalogues' `--locales`) is never one of the package's own files.

Such a path is written over, or a folder emptied: named as `datapackage.json`, a table, a schema
or the issue forms, it would replace the data with a comment or a workbook and the tool would
still say it succeeded. What is protected: every file the package consists of (the descriptor,
its tables and schemas), every file another of our tools writes (CITATION.cff, .zenodo.json, the
changelog, the issue forms, the message catalogues), and every file git tracks in the package's
folder. Paths are compared as the file system resolves them (through links, `..` and, for an
existing file, by identity), so another spelling of the same file is caught too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from . import i18n
from .descriptor import DataPackage
from .edge import EdgeError, named
from .i18n import _


def resolved(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


def tracked(folder: Path) -> list[Path]:
    """The files git tracks in `folder` and below (none where git or a repository is missing)."""
    from .gitdata import git

    found = git(folder, "ls-files", "-z", "--", ".")
    return [folder / name for name in (found or "").split("\0") if name]


def protected(package: DataPackage) -> dict[Path, str]:
    """Each file no named output may replace (resolved) → what it is, for the message."""
    from .citation import CFF_FILE, ZENODO_FILE
    from .forms import FOLDER
    from .release import CHANGELOG

    base = package.base
    found = {resolved(package.descriptor_path): _("the package's descriptor")}
    for table in package.tables:
        found.setdefault(resolved(table.path), _("table {name}").format(name=table.name))
        what = _("the schema of table {name}").format(name=table.name)
        found.setdefault(resolved(table.schema_path), what)
    generated = [base / CFF_FILE, base / ZENODO_FILE, base / CHANGELOG]
    generated += sorted((base / FOLDER).glob("*.yml"))
    generated += [i18n.catalogue_path(lang) for lang in i18n.available()[1:]]
    generated.append(i18n.LABELS)
    for path in generated:
        found.setdefault(resolved(path), _("written by our tools"))
    for path in tracked(base):
        found.setdefault(resolved(path), _("tracked by git"))
    return found


def identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def refuse_package_file(package: DataPackage, path: Path | str) -> None:
    """EdgeError if writing `path` would replace a file of the package (see `protected`)."""
    files = protected(package)
    target = resolved(path)
    what = files.get(target)
    if what is None and (own := identity(target)) is not None:  # another name for one of them
        what = next((w for p, w in files.items() if identity(p) == own), None)
    if what is not None:
        raise EdgeError(
            named(path),
            _("is a file of the data package ({what}): the output would replace it").format(
                what=what
            ),
            _("name a new file for the output, outside the package's files"),
        )


def refuse_package_folder(
    package: DataPackage, folder: Path | str, own: Iterable[Path] = ()
) -> None:
    """EdgeError if `folder` holds, at any depth, a file of the package other than `own`
    (the tool's own outputs there): a tool that fills or empties it would replace them."""
    top, mine = resolved(folder), {resolved(path) for path in own}
    for path, what in protected(package).items():
        if path not in mine and path.is_relative_to(top):
            raise EdgeError(
                named(folder),
                _("holds a file of the data package ({what}: {path})").format(
                    what=what, path=named(path)
                ),
                _("name a new folder for the output, outside the package's files"),
            )


def page_catalogues(locales: Path) -> list[Path]:
    """The files the site's catalogues consist of in `locales` (<lang>/LC_MESSAGES/*.po and the
    theme's .js): their own outputs there, but never the code's message catalogues."""
    code = {resolved(i18n.catalogue_path(lang)) for lang in i18n.available()[1:]}
    found = [
        path
        for lang in i18n.available()[1:]
        for path in (locales / lang / "LC_MESSAGES").rglob("*")
        if path.suffix in (".po", ".js")
    ]
    return [path for path in found if resolved(path) not in code]
