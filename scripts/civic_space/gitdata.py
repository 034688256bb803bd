"""The package's tables as they were at a git revision."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path


def git(folder: Path, *args: str) -> str | None:
    """git's output, or None if git is missing or the command fails."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


# The changelog's section for the next release, whose notes a release takes over.
UNRELEASED = re.compile(r"^## .*\(unreleased\)\n(?P<body>.*?)(?=^## |\Z)", re.M | re.S)


def latest_release(folder: Path) -> str | None:
    """The newest tag v* reachable from HEAD."""
    tags = (
        git(folder, "tag", "--list", "v*", "--sort=-v:refname", "--merged", "HEAD") or ""
    ).split()
    return tags[0] if tags else None


def rows_at(folder: Path, revision: str, path: Path) -> tuple[list[str], list[list[str]]] | None:
    """Header and rows of a CSV at a revision, or None if it did not exist there."""
    top = git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    relative = path.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    return parse_rows(git(folder, "show", f"{revision}:{relative}"))


def show(folder: Path, revision: str, relative: str) -> str | None:
    """A file's text at a revision, by its path relative to `folder`; None if it was not there."""
    return git(folder, "show", f"{revision}:./{relative}")


def parse_rows(text: str | None) -> tuple[list[str], list[list[str]]] | None:
    """Header and rows of a CSV's text (None for no text)."""
    if text is None:
        return None
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error:
        return None
    return (rows[0], rows[1:]) if rows else None


def keyed(header: list[str], rows: list[list[str]], key: list[str]) -> dict[str, dict[str, str]]:
    """Rows as {primary key joined by '/': {field: value}}; rows of the wrong length are skipped."""
    if not all(k in header for k in key):
        return {}
    positions = [header.index(k) for k in key]
    return {
        "/".join(r[i] for i in positions): dict(zip(header, r, strict=True))
        for r in rows
        if len(r) == len(header)
    }
