"""Once released (a git tag v*), a row's key never disappears: withdrawn rows stay, marked."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ..formatting import read_rows


class StableKeysError(errors.TableError):
    type = "stable-keys"
    title = "Stable Keys"
    description = "A row that was in a released version has disappeared."
    template = "{note}"


def git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def latest_release(folder: Path) -> str | None:
    tags = git(folder, "tag", "--list", "v*", "--sort=-v:refname", "--merged", "HEAD")
    return tags.split()[0] if tags and tags.split() else None


def released_keys(folder: Path, tag: str, path: Path, key: list[str]) -> set[str] | None:
    top = git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    relative = path.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    text = git(folder, "show", f"{tag}:{relative}")
    if text is None:
        return None  # the table did not exist in that release
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    if not rows or not all(k in rows[0] for k in key):
        return None
    positions = [rows[0].index(k) for k in key]
    return {"/".join(r[i] for i in positions) for r in rows[1:] if len(r) == len(rows[0])}


@attrs.define(kw_only=True, repr=False)
class stable_keys(Check):
    """Compare each table's keys with the latest release tag reachable from HEAD."""

    type = "stable-keys"
    Errors = [StableKeysError]  # noqa: RUF012 (frictionless's interface)

    package: DataPackage
    withdrawals_resource_name: str

    def validate_start(self):
        folder = self.package.base.resolve()
        tag = latest_release(folder)
        try:
            table = self.package.table(self.resource.name)
            header, rows = read_rows(table)
        except Exception:
            return
        if tag is None:
            return
        before = released_keys(folder, tag, table.path, table.primary_key)
        if not before or not all(k in header for k in table.primary_key):
            return
        positions = [header.index(k) for k in table.primary_key]
        now = {"/".join(r[i] for i in positions if i < len(r)) for r in rows}
        for key in sorted(before - now):
            note = (
                f"row “{key}” of {table.name} was released in {tag} and is gone"
                " — put the row back; to retire it, list it in"
                f" data/{self.withdrawals_resource_name}.csv with the date and reason"
                " (researchers who cite a version must find its rows)"
            )
            yield StableKeysError(note=note)
