"""What changed in the data since a git revision, table by table, keyed by primary key."""

from __future__ import annotations

from dataclasses import dataclass, field

from .descriptor import DataPackage, PackageError
from .formatting import read_rows
from .gitdata import git, keyed, rows_at


@dataclass
class TableDiff:
    name: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def diff(package: DataPackage, revision: str) -> list[TableDiff]:
    """Per table: keys added and removed, and for changed rows each (field, old, new)."""
    folder = package.base.resolve()
    if git(folder, "rev-parse", "--verify", f"{revision}^{{commit}}") is None:
        raise PackageError(revision, "is not a git revision here", "give a commit, branch or tag")
    result = []
    for table in package.tables:
        old = rows_at(folder, revision, table.path)
        before = keyed(*old, table.primary_key) if old else {}
        result.append(compare(table.name, before, keyed(*read_rows(table), table.primary_key)))
    return result


def compare(name: str, before: dict[str, dict], after: dict[str, dict]) -> TableDiff:
    """Rows keyed by primary key, before and after: what was added, removed and changed."""
    changes = TableDiff(name)
    changes.added = [k for k in after if k not in before]
    changes.removed = [k for k in before if k not in after]
    for key in after.keys() & before.keys():
        fields = list(dict.fromkeys([*before[key], *after[key]]))
        edits = [
            (f, before[key].get(f, ""), after[key].get(f, ""))
            for f in fields
            if before[key].get(f) != after[key].get(f)
        ]
        if edits:
            changes.changed[key] = edits
    changes.changed = dict(sorted(changes.changed.items()))
    return changes


def shorten(text: str, limit: int = 80) -> str:
    text = text.replace("\n", "⏎")
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def render(diffs: list[TableDiff], revision: str, heading: str | None = None) -> str:
    lines = []
    for d in diffs:
        if not d:
            continue
        counts = f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
        lines.append(f"{d.name}: {counts}")
        lines += [f"  + {k}" for k in d.added]
        lines += [f"  - {k}" for k in d.removed]
        for key, edits in d.changed.items():
            lines.append(f"  ~ {key}")
            lines += [f"      {f}: {shorten(old)} → {shorten(new)}" for f, old, new in edits]
    if not lines:
        return f"no change in the data since {revision}"
    return "\n".join([heading or f"Changes in the data since {revision}:", *lines])
