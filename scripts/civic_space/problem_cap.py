"""The most problems reported per file: one number, read by both engines and every output.

A damaged table can have a problem on every row. Each engine hands every problem it finds to a
Collector, which keeps the first PER_FILE of each file in one order (row, then kind, field and
message) and only counts the rest, by kind: memory stays bounded however many rows are bad, and
both engines report the same lines, then for each kind cut short one located line "and N more
problems of this kind", with the exact count."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .i18n import _
from .messages import Problem

PER_FILE = 100  # a damaged file can have a problem on every line: the first ones lead

# (row, code, field, message, fix); a problem of no row sorts first (row -1)
Entry = tuple[int, str, str, str, str]


class Collector:
    def __init__(self) -> None:
        self.kept: dict[str, list[Entry]] = {}  # per table, at most twice PER_FILE at a time
        self.more: dict[str, dict[str, list[int]]] = {}  # table → code → [count, first row]

    def add(self, table: str, row: int | None, field: str | None, *what: str) -> None:
        """what: the problem's code, message and fix."""
        code, message, fix = what
        kept = self.kept.setdefault(table, [])
        kept.append((-1 if row is None else row, code, field or "", message, fix))
        if len(kept) >= 2 * PER_FILE:  # sorted now and then, not at every problem
            self.trim(table)

    def trim(self, table: str) -> None:
        kept = sorted(self.kept[table])
        self.kept[table] = kept[:PER_FILE]
        counts = self.more.setdefault(table, {})
        for row, code, *_rest in kept[PER_FILE:]:  # never kept again: the first ones only shrink
            count = counts.setdefault(code, [0, row])
            count[0] += 1
            count[1] = min(count[1], row)

    def problems(self, tables: list[str], place: Callable[..., Problem]) -> Iterator[Problem]:
        """Each table's problems in order, then its "and N more" lines, tables in `tables`
        order (then any other). place(table, row, field, code, message, fix) → Problem."""
        for table in [*tables, *(t for t in self.kept if t not in tables)]:
            if table not in self.kept:
                continue
            self.trim(table)
            for row, code, field, message, fix in self.kept[table]:
                yield place(table, None if row < 0 else row, field or None, code, message, fix)
            for code, (count, row) in sorted(self.more.get(table, {}).items(), key=first_line):
                message = _("and {count:,} more problems of this kind, from this line on")
                fix = _("fix those above first, then validate again")
                first = place(table, None if row < 0 else row, None, code, "", "")
                yield Problem(
                    first.path, message.format(count=count), fix, code, first.line, more=count
                )


def first_line(item: tuple[str, list[int]]) -> tuple[int, str]:
    code, (_count, row) = item
    return row, code


def counted(problems: list[Problem]) -> int:
    """How many problems these lines stand for (a "more" line stands for its count)."""
    return sum(p.more or 1 for p in problems)
