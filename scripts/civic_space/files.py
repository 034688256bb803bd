"""The files under the tables, read once each before any engine: what would make every later
message misleading (binary data, bad bytes, a giant line, rows that do not line up) is found
here, located, and reported alone. And the one way our tools write a file: atomically."""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from .descriptor import DataPackage, Table, display
from .messages import Problem, explain
from .policy import MAX_FIELDS

# The most text a row of a table may hold, in bytes of UTF-8: so also the most one cell may
# hold, in characters. The one limit: validation refuses a row over it (a line, in `scan`; a
# row whose cells span lines, in `structure` and in the fast engine's load), and every reader
# of the tables reads any row under it (Python's csv module through `csv_reader`, DuckDB's
# reader with `max_row_bytes`).
MAX_CELL = 1_000_000  # the longest real cell is under a thousand characters


def max_row_bytes() -> int:
    """The most bytes a row that validation accepts takes in its file: its text with every
    quote doubled, and a cell's two quotes and comma for each of the most fields a table has."""
    return 2 * MAX_CELL + 3 * MAX_FIELDS


def csv_reader(lines):
    """Python's csv reader of a table's text, with the cell limit that validation enforces.

    The limit is a process-wide setting that others change (frictionless raises it when it is
    imported, to 2 GB), so it is set for every reader: without it, what validation accepts
    would be refused by `format`, `from-issue` or the site, depending on what was imported."""
    csv.field_size_limit(MAX_CELL)
    return csv.reader(lines)


def csv_problem(exc: csv.Error) -> tuple[str, str, str]:
    """What a csv.Error means for a table's text, how to fix it, and its code."""
    if "field larger than field limit" in str(exc):
        return (
            f"a cell is longer than {MAX_CELL:,} characters, the most a cell may hold",
            "shorten the text, or check that the file was not damaged",
            "cell-too-large",
        )
    fix = (
        "a cell holding a comma, a quote or a line break is written in double quotes,"
        " with each quote inside it doubled"
    )
    return f"the CSV cannot be read here ({exc})", fix, "source-error"


def line_numbers(path: Path) -> list[int]:
    """Line on which each row starts (index = frictionless row number); cells may span lines."""
    starts = [0, 1]
    try:
        reader = csv_reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        for _row in reader:
            starts.append(reader.line_num + 1)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return starts


CHUNK = 1 << 24
FAST_FROM_BYTES = 2_000_000  # above this much data, the DuckDB path is the quicker one


@dataclass
class FileFacts:
    """What one streaming pass over a CSV file learns (memory stays flat, whatever its size)."""

    size: int = 0
    nul_line: int | None = None
    bad_byte: bytes | None = None
    bad_line: int | None = None
    long_line: int | None = None
    longest: int = 0
    bom: bool = False
    carriage_return: bool = False
    blank_line: bool = False


def scan(path: Path, decode: bool = True) -> FileFacts:
    facts = FileFacts()
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, run, previous = 1, 0, b"\n"
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            if facts.size == 0:
                facts.bom = chunk.startswith(b"\xef\xbb\xbf")
            facts.size += len(chunk)
            if facts.nul_line is None and b"\x00" in chunk:
                facts.nul_line = line + chunk[: chunk.index(b"\x00")].count(b"\n")
            if decode and facts.bad_line is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    at = max(exc.start, 0)
                    facts.bad_line = line + chunk[:at].count(b"\n")
                    facts.bad_byte = chunk[at : at + 1]
            facts.carriage_return = facts.carriage_return or b"\r" in chunk
            facts.blank_line = facts.blank_line or b"\n\n" in previous[-1:] + chunk
            newlines = chunk.count(b"\n")
            if newlines == 0:
                run += len(chunk)
            else:
                first, last = chunk.index(b"\n"), chunk.rindex(b"\n")
                # A line over MAX_CELL fills some aligned half-window with no newline; only then
                # is it worth measuring every line of the chunk.
                half = MAX_CELL // 2
                suspect = run + first > MAX_CELL or any(
                    chunk.find(b"\n", at, at + half) < 0 for at in range(first, last, half)
                )
                if suspect:
                    lengths = list(map(len, chunk.split(b"\n")))
                    lengths[0] += run
                    closed = lengths[:-1]
                    if max(closed) > facts.longest:
                        facts.longest = max(closed)
                        facts.long_line = line + closed.index(facts.longest)
                elif facts.longest == 0:
                    facts.longest = max(run + first, 1)  # not empty; exact only when too long
                run = len(chunk) - last - 1
                line += newlines
            previous = chunk
    if decode and facts.bad_line is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            facts.bad_line, facts.bad_byte = line, b"?"
    if run > facts.longest:
        facts.longest, facts.long_line = run, line
    return facts


def preflight(package: DataPackage, facts: dict, decode: bool = True) -> Iterator[Problem]:
    """File problems that would make every later message misleading: checked first, alone.

    Without `decode`, UTF-8 is left for DuckDB to check (the fast path refuses bad bytes)."""
    for table in package.tables:
        where = display(table.path)
        try:
            found = facts[table.name] = scan(table.path, decode)
        except FileNotFoundError:
            yield Problem(
                where, "file not found", "restore the file or fix its path", "file-missing"
            )
            continue
        except OSError as exc:
            yield Problem(where, f"cannot be read ({exc.strerror})", "check the file", "file-error")
            continue
        if found.size == 0 or found.longest == 0:
            fix = f"the first line must be the header: {','.join(table.field_names)}"
            yield Problem(where, "the file is empty", fix, "file-empty", 1)
        elif found.nul_line is not None:
            fix = "this is not a text file; export the table as CSV UTF-8"
            message = "the file holds binary data (NUL bytes)"
            yield Problem(where, message, fix, "file-binary", found.nul_line)
        elif found.bad_line is not None:
            fix = "save the file as UTF-8 (in Excel: CSV UTF-8)"
            message = f"byte {found.bad_byte!r} is not UTF-8 (likely Latin-1 or Windows-1252)"
            yield Problem(where, message, fix, "encoding-error", found.bad_line)
        elif found.longest > MAX_CELL:
            message = too_long(found.longest, "a line")
            fix = "shorten the text, or check that the file was not damaged"
            yield Problem(where, message, fix, "cell-too-large", found.long_line)
        elif decode:
            yield from structure(table)


MAX_LOCATED = 100  # rows located per file; the rest are counted


def too_long(size: int, what: str) -> str:
    limit = f"a row of a table may take at most {MAX_CELL / 1e6:g} MB"
    return f"{what} takes {size / 1e6:.2f} MB; {limit}"


def structure(table: Table) -> Iterator[Problem]:
    """Rows whose cells do not line up with the header, one problem per row.

    Found here because frictionless reports every extra cell of a row on its own (memory grows
    with the square of the row's length) and our checks expect whole rows."""
    where = display(table.path)
    found, line = 0, 1
    with table.path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv_reader(file)
        try:
            for number, row in enumerate(reader):
                problem = misfit(row, table.field_names, number == 0)
                if problem:
                    found += 1
                    if found <= MAX_LOCATED:
                        message, fix = explain(problem, table)
                        label = getattr(problem, "label", None)
                        yield Problem(where, message, fix, problem.type, line, label)
                    if number == 0:
                        return  # with a wrong header, every row would be reported too
                if reader.line_num > line and sum(map(len, row)) > MAX_CELL // 4:
                    size = sum(len(c.encode()) for c in row)  # a row over lines: its size
                    if size > MAX_CELL:
                        fix = "shorten the text, or check that the file was not damaged"
                        yield Problem(where, too_long(size, "a row"), fix, "cell-too-large", line)
                        return
                line = reader.line_num + 1
        except csv.Error as exc:
            message, fix, code = csv_problem(exc)
            yield Problem(where, message, fix, code, line)
    if found > MAX_LOCATED:
        message = f"{found - MAX_LOCATED} more rows whose cells do not line up with the header"
        yield Problem(where, message, "fix the rows above first", "rows-misaligned")


def misfit(row: list[str], names: list[str], header: bool) -> SimpleNamespace | None:
    """The structural error of one row, worded as frictionless words its own. A header must be
    the schema's names exactly: frictionless forgives a space around a name, but then a check
    that looks a column up by name finds nothing, and says nothing."""
    width = len(names)
    if not row:
        return SimpleNamespace(type="blank-row")
    if header and len(row) == width and row != names:
        wrong = next(i for i, (a, b) in enumerate(zip(row, names, strict=True)) if a != b)
        note = f"“{row[wrong]}” where the schema has “{names[wrong]}”"
        return SimpleNamespace(type="incorrect-label", note=note, label=row[wrong])
    if len(row) == width:
        return None
    kind = "extra" if len(row) > width else "missing"
    kind += "-label" if header else "-cell"
    return SimpleNamespace(type=kind, counted=(len(row), width))


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write through a temporary file in the same folder, so the file is never half written."""
    os.replace(stage(path, data, mode), path)


def stage(path: Path, data: bytes, mode: int | None = None) -> str:
    """`data` in a hidden temporary file beside `path`, ready to be renamed over it. `mode`
    defaults to the file's own, or the usual one for a new file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        if mode is None:
            mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~umask()
        os.chmod(temporary, mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
