"""The package's tables as they were at a git revision, and its releases (tags v*)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import edge
from .files import csv_reader


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


# A released version's heading in the changelog: "## 1.2.0 (2025-03-01)", not "(unreleased)".
RELEASED = re.compile(r"^## (?P<version>\d+\.\d+\.\d+\S*) \((?!unreleased\))", re.M)


def history_gap(folder: Path, changelog: str = "CHANGELOG.md") -> tuple[str, str] | None:
    """Why the history that stable keys and the versions page read is not all here, as (what is
    wrong, how to fix it); None if it is, or if `folder` is not in a git checkout at all (a
    package downloaded without its history: nothing is missing that it ever had)."""
    from .i18n import _

    if (git(folder, "rev-parse", "--is-inside-work-tree") or "").strip() != "true":
        return None
    workflow = _("in a workflow, actions/checkout with fetch-depth: 0 fetches both")
    if (git(folder, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return _(
            "the git history here is cut short (a shallow clone): rows of a release cannot be"
            " checked and the versions page would list none"
        ), _(
            "fetch the whole history and the tags: git fetch --unshallow --tags ({workflow})"
        ).format(workflow=workflow)
    try:  # through the edge: a FIFO put there would block a plain read for ever
        text = edge.read_text(folder, folder / changelog)
    except (OSError, UnicodeDecodeError, edge.EdgeError):
        return None  # validation's published_files says what is wrong with it
    tags = set((git(folder, "tag", "--list", "v*") or "").split())
    missing = [v for v in RELEASED.findall(text) if f"v{v}" not in tags]
    if not missing:
        return None
    message = _(
        "{changelog} lists release {version}, but the tag v{version} is not here: rows of a"
        " release cannot be checked and the versions page would not list it"
    )
    return message.format(changelog=changelog, version=missing[0]), _(
        "fetch the tags: git fetch --tags ({workflow})"
    ).format(workflow=workflow)


def tags_state(folder: Path) -> str:
    """Every release tag and the commit it names, as one text: it changes when a tag is made,
    moved or removed (outside a git checkout it is empty)."""
    return git(folder, "tag", "--list", "v*", "--format=%(refname:short) %(objectname)") or ""


def is_released(folder: Path, version: str) -> bool:
    """Whether the tag of `version` exists (False outside a git checkout, too)."""
    return bool((git(folder, "tag", "--list", f"v{version}") or "").strip())


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
        rows = list(csv_reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
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


@dataclass
class Release:
    """A released version, as git has it: its tag, its day, its changelog section and the
    SHA-256 of each table's CSV at the tag (the CSV downloads are those files, byte for byte)."""

    tag: str
    day: str
    notes: str
    checksums: dict[str, str]


def releases(folder: Path, changelog: str = "CHANGELOG.md") -> list[Release]:
    """Every tag v*, newest first; none outside a git checkout."""
    listed = git(folder, "tag", "--list", "v*", "--sort=-v:refname", "--format=%(refname:short)")
    found = []
    for tag in (listed or "").split():
        day = (git(folder, "log", "-1", "--format=%cs", tag) or "").strip()
        text = show(folder, tag, changelog) or ""
        version = re.escape(tag.removeprefix("v"))
        section = re.search(rf"^## {version}\b.*?\n(?P<body>.*?)(?=^## |\Z)", text, re.M | re.S)
        files = (git(folder, "ls-tree", "-r", "--name-only", tag, "data/") or "").split()
        checksums = {
            Path(f).name: hashlib.sha256(blob(folder, tag, f)).hexdigest()
            for f in files
            if f.endswith(".csv")
        }
        notes = section.group("body").strip() if section else ""
        found.append(Release(tag, day, notes, checksums))
    return found


def blob(folder: Path, revision: str, relative: str) -> bytes:
    """A file's bytes at a revision (b"" if it cannot be read)."""
    try:
        done = subprocess.run(
            ["git", "show", f"{revision}:./{relative}"], cwd=folder, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return b""
    return done.stdout if done.returncode == 0 else b""
