"""Once released (a git tag v*), a row's key never disappears: withdrawn rows stay, marked.

Tables are known by name. Their released rows are read at the path the released descriptor gave,
so moving a CSV, dropping a resource or renaming its key column cannot hide a deleted row: a
released table may not vanish, lose or change its key, or move without a changelog line.
"""

from __future__ import annotations

from dataclasses import dataclass

import attrs
from frictionless import Check, errors

from .. import edge, jsontext
from ..descriptor import DataPackage, Table
from ..formatting import read_rows
from ..gitdata import UNRELEASED, keyed, latest_release, parse_rows, show
from ..i18n import _
from ..sql import q, row_key


class StableKeysError(errors.TableError):
    type = "stable-keys"
    title = "Stable Keys"
    description = "A row that was in a released version has disappeared."
    template = "{note}"


def note_for(key: str, table: str, tag: str, withdrawals: str) -> str:
    return _(
        "row “{key}” of {table} was released in {tag} and is gone"
        " — put the row back; to retire it, list it in"
        " data/{withdrawals}.csv with the date and reason"
        " (researchers who cite a version must find its rows)"
    ).format(key=key, table=table, tag=tag, withdrawals=withdrawals)


@dataclass(frozen=True)
class Released:
    """The latest release: its tag, and each table's path and primary key then."""

    tag: str
    tables: dict[str, tuple[str, list[str]]]


_seen: dict[int, tuple[DataPackage, Released | None]] = {}  # per loaded package: one git read


def released(package: DataPackage) -> Released | None:
    """The latest release reachable from HEAD, as its own descriptor described it."""
    hit = _seen.get(id(package))
    if hit is None or hit[0] is not package:
        if len(_seen) > 8:
            _seen.clear()
        hit = _seen[id(package)] = (package, read_release(package))
    return hit[1]


def read_release(package: DataPackage) -> Released | None:
    home = package.home
    tag = latest_release(home)
    text = show(home, tag, package.descriptor_path.name) if tag else None
    try:
        descriptor = jsontext.loads(text) if text else None
        tables = {}
        for res in descriptor["resources"]:
            schema = jsontext.loads(show(home, tag, res["schema"]) or "{}")
            key = schema.get("primaryKey", [])
            tables[res["name"]] = (res["path"], [key] if isinstance(key, str) else list(key))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None  # no readable descriptor in that release: nothing to hold the tables to
    return Released(tag, tables)


def table_notes(package: DataPackage, release: Released) -> list[str]:
    """How the tables themselves broke with the release: vanished, re-keyed, moved unannounced."""
    now = {t.name: t for t in package.tables}
    notes = []
    for name, (path, key) in release.tables.items():
        table, tag = now.get(name), release.tag
        if table is None:
            notes.append(
                _(
                    "the table {table} was released in {tag} and is gone from the descriptor"
                    " — put its resource back (retire rows through withdrawals, not by"
                    " dropping the table)"
                ).format(table=name, tag=tag)
            )
        elif table.primary_key != key:
            notes.append(
                _(
                    "the key of {table} was {old} in {tag} and is now {new}"
                    " — restore the key: researchers find released rows by it"
                ).format(table=name, tag=tag, old="/".join(key), new="/".join(table.primary_key))
            )
        elif relative(package, table) != path and not announced(package, path):
            notes.append(
                _(
                    "{table} was at {old} in {tag} and is now at {new}"
                    " — keep it at {old}, or say under “(unreleased)” in CHANGELOG.md"
                    " that {old} moved (scripts that read it will break)"
                ).format(table=name, tag=tag, old=path, new=relative(package, table))
            )
    return notes


def relative(package: DataPackage, table: Table) -> str:
    return table.path.relative_to(package.base).as_posix()


def announced(package: DataPackage, old_path: str) -> bool:
    """Whether the changelog's unreleased section names the old path."""
    try:
        text = edge.read_text(package.home, package.home / "CHANGELOG.md")
    except (OSError, UnicodeDecodeError, edge.EdgeError):
        return False
    found = UNRELEASED.search(text)
    return bool(found) and old_path in found.group("body")


def gone_keys(package: DataPackage, release: Released, table: Table, now: set[str]) -> list[str]:
    """Keys of `table` in the release that are not in `now` (the keys of today's rows)."""
    if table.name not in release.tables:
        return []  # a table new since the release
    path, key = release.tables[table.name]
    before = parse_rows(show(package.home, release.tag, path))
    if before is None or key != table.primary_key:
        return []  # re-keyed: reported once, on the descriptor
    return sorted(set(keyed(*before, key)) - now)


@attrs.define(kw_only=True, repr=False)
class stable_keys(Check):
    """Compare each table's keys with the latest release tag reachable from HEAD."""

    Errors = [StableKeysError]  # noqa: RUF012 (frictionless's interface)
    type = StableKeysError.type

    package: DataPackage
    withdrawals_resource_name: str

    def validate_start(self):
        release = released(self.package)
        try:
            table = self.package.table(self.resource.name)
            header, rows = read_rows(table)
        except Exception:
            return
        if release is None:
            return
        now = set(keyed(header, rows, table.primary_key))
        if not now and rows:
            return  # a broken header: frictionless reports it
        for key in gone_keys(self.package, release, table, now):
            yield StableKeysError(
                note=note_for(key, table.name, release.tag, self.withdrawals_resource_name)
            )

    def fast(self, db) -> None:
        release = released(db.package)
        for table in db.package.tables if release else []:
            keys = row_key(table.primary_key)
            now = {k for (k,) in db.rows(f"SELECT {keys} FROM {q(table.name)}")}
            for key in gone_keys(db.package, release, table, now):
                note = note_for(key, table.name, release.tag, self.withdrawals_resource_name)
                db.note(table.name, None, None, self.type, note)
