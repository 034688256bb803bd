"""The data package as the pages see it: loaded from the configured descriptor, and each table
summarised (row count, first rows, examples, date span) in DuckDB once per file version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import tabledb

from civic_space.descriptor import DataPackage, load
from civic_space.sql import q

# A table page shows every row of a table this size or smaller (each with its anchor, so links
# reach it); a bigger table shows this many and points to the CSV, so a page stays light.
PREVIEW_ROWS = 1000


def package_of(config) -> DataPackage:
    return load(Path(config.datapackage_path))


@dataclass
class Summary:
    """What the pages need from a table, from one streaming pass: never every row in memory."""

    header: list[str]
    count: int
    head: list[list[str]]
    examples: dict[str, str]
    dates: tuple[str, str] | None


_SUMMARIES: dict[tuple, Summary] = {}


def summary(tab) -> Summary:
    """A table's summary, computed in DuckDB once per file version (path, size, mtime)."""
    stat = tab.path.stat()
    key = (str(tab.path), stat.st_size, stat.st_mtime_ns)
    if key not in _SUMMARIES:
        con, name, header = tabledb.connection(), tabledb.sql_table(tab), tab.field_names
        columns = [f"coalesce({q(n)}, '')" for n in header]
        count = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        head = con.execute(
            f"SELECT {', '.join(columns)} FROM {name} ORDER BY rowid LIMIT {PREVIEW_ROWS}"
        ).fetchall()
        examples = dict.fromkeys(header, "")
        for row in head:
            for column, value in zip(header, row, strict=True):
                examples[column] = examples[column] or value
        dated = [q(f["name"]) for f in tab.fields if f.get("type") == "date"]
        low = high = None
        if dated:
            values = f"unnest([{', '.join(dated)}])"
            low, high = con.execute(
                f"SELECT min(v), max(v) FROM (SELECT {values} AS v FROM {name})"
            ).fetchone()
        _SUMMARIES[key] = Summary(
            header, count, [list(r) for r in head], examples, (low, high) if low else None
        )
    return _SUMMARIES[key]
