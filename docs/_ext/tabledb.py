"""The package's CSVs in an in-memory DuckDB, loaded once per file version for the whole build,
so pages can count, group and preview a million-row table without holding it in Python."""

from __future__ import annotations

import hashlib
import os

import duckdb

from civic_space.sql import read_csv

_LOADED: set[str] = set()
_CONNECTION: dict[int, duckdb.DuckDBPyConnection] = {}


class LoadError(Exception):
    pass


def connection() -> duckdb.DuckDBPyConnection:
    """One database per process (Sphinx's parallel readers are forked processes)."""
    pid = os.getpid()
    if pid not in _CONNECTION:
        _CONNECTION.clear()
        _LOADED.clear()
        _CONNECTION[pid] = duckdb.connect()
        # Rows stay in file order (the default, stated): pages list them as the file has them.
        _CONNECTION[pid].execute("SET preserve_insertion_order = true")
    return _CONNECTION[pid]


def sql_table(tab) -> str:
    """The name of the DuckDB table holding `tab`'s rows as text. Rows keep the file's order
    (DuckDB preserves insertion order), so `rowid` is the row's place in the file."""
    stat = tab.path.stat()
    version = f"{tab.path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    name = "t_" + hashlib.sha1(version.encode()).hexdigest()[:16]
    if name not in _LOADED:
        try:
            connection().execute(
                f"CREATE TABLE {name} AS SELECT * FROM {read_csv(tab.path, tab.field_names)}"
            )
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise LoadError(
                f"{tab.path.name} cannot be read ({first}); run nox -s validate"
            ) from None
        _LOADED.add(name)
    return name
