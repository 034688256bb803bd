"""SQL text for DuckDB and SQLite: quoting, and reading one of our CSVs as text columns."""

from __future__ import annotations

from pathlib import Path


def q(name: str) -> str:
    """An identifier (a table or column name), quoted."""
    return '"' + name.replace('"', '""') + '"'


def lit(value) -> str:
    """A literal value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def row_key(fields: list[str]) -> str:
    """A row's key as the package writes it: its key fields' values joined by "/"."""
    return " || '/' || ".join(f"coalesce({q(k)}, '')" for k in fields)


def read_csv(path: Path, names: list[str], **options: str) -> str:
    """DuckDB's reader for one of our CSVs (RFC 4180, a header row), every column as text and
    named by the schema, never guessed; any row that validation accepts fits its line limit."""
    from .files import max_row_bytes

    options = {"max_line_size": str(max_row_bytes()), **options}
    columns = ", ".join(f"{lit(n)}: 'VARCHAR'" for n in names)
    extra = "".join(f", {k} = {v}" for k, v in options.items())
    return (
        f"read_csv({lit(str(path))}, header = true, auto_detect = false, columns = {{{columns}}},"
        f" delim = ',', quote = '\"', escape = '\"'{extra})"
    )
