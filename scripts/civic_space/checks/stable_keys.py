"""Once released (a git tag v*), a row's key never disappears: withdrawn rows stay, marked."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage
from ..formatting import read_rows
from ..gitdata import keyed, latest_release, rows_at
from ..i18n import _


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
        released = rows_at(folder, tag, table.path)
        if released is None:
            return  # the table did not exist in that release
        before = set(keyed(*released, table.primary_key))
        now = set(keyed(header, rows, table.primary_key))
        if not now and rows:
            return  # a broken header: frictionless reports it
        for key in sorted(before - now):
            yield StableKeysError(
                note=note_for(key, table.name, tag, self.withdrawals_resource_name)
            )
