"""The canonical CSV form: UTF-8 without BOM, LF line endings, the schema's column order,
rows sorted by primary key, and the csv module's minimal quoting.

Only row order and quoting may change; a value never does. Each rewrite is checked to hold
exactly the same rows as the file it replaces before anything is written.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from . import edge, lexical
from .descriptor import DataPackage, PackageError, Table
from .files import csv_problem, csv_reader, line_numbers

NUMERIC_TYPES = {"integer", "number", "year"}


def read_rows(table: Table) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a table's CSV, every cell as the exact text it holds."""
    try:
        raw = edge.read_bytes(table.path.parent, table.path)
    except FileNotFoundError:
        raise PackageError(table.path, "file not found", "restore it or fix its path") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PackageError(
            table.path, "is not UTF-8 text", "save the file as UTF-8 (CSV UTF-8 in Excel)", line
        ) from None
    reader = csv_reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        message, fix, _code = csv_problem(exc)
        raise PackageError(table.path, message, fix, reader.line_num) from None
    if not rows:
        raise PackageError(table.path, "is empty", "the first line must be the header")
    return rows[0], rows[1:]


def iter_rows(table: Table):
    """The rows of a table's CSV one by one (after the header), for files too big to hold."""
    with io.TextIOWrapper(
        edge.open_read(table.path.parent, table.path), encoding="utf-8-sig", newline=""
    ) as file:
        reader = csv_reader(file)
        next(reader, None)
        yield from reader


def sort_key(table: Table):
    """A key that orders rows by primary key, numbers numerically, and never fails.

    A number is read in its canonical form (lexical.py), as the fast engine's SQL form of this
    key reads it (checks/canonical_form.py); any other text sorts after the numbers, by text."""
    positions = [table.field_names.index(name) for name in table.primary_key]
    forms = [
        lexical.form(kind) if (kind := table.field(name).get("type")) in NUMERIC_TYPES else None
        for name in table.primary_key
    ]

    def key(row: list[str]):
        parts = []
        for pos, form in zip(positions, forms, strict=True):
            value = row[pos] if pos < len(row) else ""
            number = form.sort_value(value) if form else 0
            parts.append((0, number, value) if number is not None else (1, 0, value))
        return parts

    return key


def quote_cell(value: str) -> str:
    # csv.writer with an LF terminator leaves a lone CR unquoted, which a reader then drops;
    # so quote by hand: a cell is quoted when it holds a comma, a quote, CR or LF.
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def render(header: list[str], rows: list[list[str]]) -> str:
    """CSV text with minimal quoting and LF line endings."""
    lines = []
    for row in [header, *rows]:
        line = ",".join(map(quote_cell, row))
        lines.append(
            line if line or len(row) != 1 else '""'
        )  # a lone empty cell is not a blank line
    return "".join(line + "\n" for line in lines)


def canonical_text(table: Table) -> str:
    """The table's CSV in canonical form, refusing anything it cannot rewrite losslessly."""
    header, rows = read_rows(table)
    if header != table.field_names:
        raise PackageError(
            table.path,
            f"header {header} differs from the schema's fields",
            f"make the first line exactly: {','.join(table.field_names)}",
            line=1,
        )
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise PackageError(
                table.path,
                f"row has {len(row)} cells but the header has {len(header)}",
                "add or remove cells (a stray comma is the usual cause)",
                line=number,
            )
    ordered = sorted(rows, key=sort_key(table))
    text = render(header, ordered)
    # The guarantee this module exists for: same rows, same values, only order and quoting change.
    reread = list(csv_reader(io.StringIO(text, newline="")))
    if reread[0] != header or Counter(map(tuple, reread[1:])) != Counter(map(tuple, rows)):
        raise PackageError(table.path, "would change when rewritten", "report this as a bug")
    return text


def mistyped(table: Table) -> None:
    """Refuse the first typed cell not in its type's canonical form (lexical.py): a value is
    part of the canonical form too, but only a person may change one."""
    _header, rows = read_rows(table)
    kinds = [(i, f["name"], f.get("type", "string")) for i, f in enumerate(table.fields)]
    forms = [(i, name, lexical.form(kind)) for i, name, kind in kinds]
    forms = [(i, name, form) for i, name, form in forms if form]
    for number, row in enumerate(rows):
        for i, name, form in forms:
            if row[i] and form.parse(row[i]) is None:
                message, fix = lexical.refusal(form.kind, row[i])
                lines = line_numbers(table.path)  # where the row starts: cells may span lines
                line = lines[number + 2] if number + 2 < len(lines) else None
                raise PackageError(table.path, f"{name}: {message}", fix, line)


def format_package(package: DataPackage, check: bool = False) -> list[Path]:
    """Rewrite every table in canonical form (or only list those that differ, with check).
    Every table is rendered before any is written: a table that cannot be rewritten losslessly
    stops the run with nothing changed. With check, a value not in its type's canonical form
    is refused too (without it, the order is put right and validation reports the value)."""
    texts = {t.path: canonical_text(t).encode("utf-8") for t in package.tables}
    for table in package.tables if check else []:
        mistyped(table)
    changed = [p for p, text in texts.items() if edge.read_bytes(package.base, p) != text]
    for path in [] if check else changed:
        edge.write(package.base, path, texts[path])
    return changed
