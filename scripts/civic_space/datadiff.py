"""What changed in the data since a git revision, table by table, keyed by primary key.

Rows that cannot be compared (the wrong number of cells, a key on more than one row) are not
dropped in silence: each table's diff carries notes that say which rows, on which lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .descriptor import DataPackage, PackageError
from .formatting import read_rows
from .gitdata import git, rows_at


@dataclass
class TableDiff:
    name: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    fields_added: list[str] = field(default_factory=list)  # said once, not on every row
    fields_removed: list[str] = field(default_factory=list)
    # Rows left out of the comparison, and why: the diff above them is incomplete.
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        """Whether the data changed (notes are not a change: see `notes`)."""
        return bool(
            self.added or self.removed or self.changed or self.fields_added or self.fields_removed
        )


def diff(package: DataPackage, revision: str) -> list[TableDiff]:
    """Per table: keys added and removed, and for changed rows each (field, old, new)."""
    folder = package.base.resolve()
    if git(folder, "rev-parse", "--verify", f"{revision}^{{commit}}") is None:
        raise PackageError(revision, "is not a git revision here", "give a commit, branch or tag")
    result = []
    for table in package.tables:
        try:
            name = table.path.relative_to(package.base).as_posix()
        except ValueError:  # a path outside the package folder
            name = table.path.as_posix()
        old = rows_at(folder, revision, table.path)
        before, notes = (
            keyed_with_notes(*old, table.primary_key, f"{name} at {revision}") if old else ({}, [])
        )
        after, more = keyed_with_notes(
            *read_rows(table), table.primary_key, f"{name} in the working tree"
        )
        changes = compare(table.name, before, after)
        changes.notes = notes + more
        result.append(changes)
    return result


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lines_text(numbers: list[int], limit: int = 10) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return shown + (f", … {len(numbers) - limit} more" if len(numbers) > limit else "")


def keyed_with_notes(
    header: list[str], rows: list[list[str]], key: list[str], where: str
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The rows by key, as gitdata.keyed gives them, and notes on the rows it leaves out:
    those of the wrong length, and all but the last of the rows that share a key. `where`
    names the file for the notes, which give each row's line in it. Blank lines hold no row."""
    if not key or not all(k in header for k in key):
        missing = ", ".join(k for k in key if k not in header) or "(the schema names none)"
        count = sum(1 for r in rows if r)
        return {}, [f"{where}: no primary key column {missing}, so its {count} rows were left out"]
    positions = [header.index(k) for k in key]
    result: dict[str, dict[str, str]] = {}
    wrong: list[int] = []
    lines_of: dict[str, list[int]] = {}
    # A row's line: the lines before it, counting those inside quoted cells (as csv does).
    line = 1 + sum(len(LINE_BREAK.findall(cell)) for cell in header)
    for row in rows:
        line += 1
        start = line
        line += sum(len(LINE_BREAK.findall(cell)) for cell in row)
        if not row:
            continue
        if len(row) != len(header):
            wrong.append(start)
            continue
        k = "/".join(row[i] for i in positions)
        lines_of.setdefault(k, []).append(start)
        result[k] = dict(zip(header, row, strict=True))
    notes = []
    if wrong:
        rows_have = "1 row has" if len(wrong) == 1 else f"{len(wrong)} rows have"
        notes.append(
            f"{where}: {rows_have} the wrong number of cells (the header has {len(header)};"
            f" line{'s' if len(wrong) > 1 else ''} {lines_text(wrong)})"
            f" and {'was' if len(wrong) == 1 else 'were'} left out"
        )
    twice = {k: lines for k, lines in lines_of.items() if len(lines) > 1}
    shown = [f"“{k}” (lines {lines_text(lines)})" for k, lines in list(twice.items())[:5]]
    if len(twice) > 5:
        shown.append(f"… {len(twice) - 5} more")
    if len(twice) == 1:
        notes.append(f"{where}: duplicate key {shown[0]}: only the last row is compared")
    elif twice:
        notes.append(
            f"{where}: {len(twice)} duplicate keys, {', '.join(shown)}:"
            " only the last row of each is compared"
        )
    return result, notes


def compare(name: str, before: dict[str, dict], after: dict[str, dict]) -> TableDiff:
    """Rows keyed by primary key, before and after: what was added, removed and changed."""
    changes = TableDiff(name)
    changes.added = [k for k in after if k not in before]
    changes.removed = [k for k in before if k not in after]
    old_fields = list(dict.fromkeys(f for row in before.values() for f in row))
    new_fields = list(dict.fromkeys(f for row in after.values() for f in row))
    if before and after:  # a new or emptied table's fields are no news
        changes.fields_added = [f for f in new_fields if f not in old_fields]
        changes.fields_removed = [f for f in old_fields if f not in new_fields]
    for key in after.keys() & before.keys():
        common = [f for f in new_fields if f in old_fields]
        edits = [
            (f, before[key][f], after[key][f]) for f in common if before[key][f] != after[key][f]
        ]
        if edits:
            changes.changed[key] = edits
    changes.changed = dict(sorted(changes.changed.items()))
    return changes


def shorten(text: str, start: int = 0, limit: int = 80) -> str:
    """The text from `start` (a few characters before the first change), at most `limit`
    characters shown, with … where some is left out."""
    text = text.replace("\n", "⏎")
    head = "…" if start else ""
    tail = "…" if len(text) - start > limit else ""
    return f"“{head}{text[start : start + limit]}{tail}”"


def excerpts(old: str, new: str, limit: int = 80) -> str:
    """Both values, cut alike around where they first differ, so a long cell whose change
    lies past the cut does not show as two identical excerpts."""
    pairs = enumerate(zip(old, new, strict=False))  # unequal lengths: the shorter one ends it
    same = next((i for i, (a, b) in pairs if a != b), min(len(old), len(new)))
    start = 0 if max(len(old), len(new)) <= limit or same < limit - 20 else same - 20
    return f"{shorten(old, start, limit)} → {shorten(new, start, limit)}"


def render(diffs: list[TableDiff], revision: str, heading: str | None = None) -> str:
    lines = []
    for d in diffs:
        if not d and not d.notes:
            continue
        counts = f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
        lines.append(f"{d.name}: {counts}")
        lines += [f"  ! {note}" for note in d.notes]
        lines += [f"  field added: {f}" for f in d.fields_added]
        lines += [f"  field removed: {f}" for f in d.fields_removed]
        lines += [f"  + {k}" for k in d.added]
        lines += [f"  - {k}" for k in d.removed]
        for key, edits in d.changed.items():
            lines.append(f"  ~ {key}")
            lines += [f"      {f}: {excerpts(old, new)}" for f, old, new in edits]
    if not lines:
        return f"no change in the data since {revision}"
    return "\n".join([heading or f"Changes in the data since {revision}:", *lines])
