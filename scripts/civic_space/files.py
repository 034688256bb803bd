"""The files under the tables, read once each before any engine: what would make every later
message misleading (binary data, bad bytes, a giant line, rows that do not line up) is found
here, located, and reported alone. (Files are written through edge.py, the repository's edge.)"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from . import edge
from .csv_quotes import QuoteCheck
from .csv_quotes import fix as quote_fix
from .descriptor import DataPackage, Table, display
from .i18n import _
from .messages import Problem, explain
from .policy import MAX_FIELDS
from .problem_cap import Collector

# The most text a row of a table may hold, in bytes of UTF-8: so also the most one cell may
# hold, in characters. The one limit: validation refuses a row over it (a line, in `scan`; a
# row whose cells span lines, in `structure` and in the fast engine's load), and every reader
# of the tables reads any row under it (Python's csv module through `csv_reader`, DuckDB's
# reader with `max_row_bytes`).
MAX_CELL = 1_000_000  # the longest real cell is under a thousand characters
# The most characters one cell may hold: the most a spreadsheet cell holds (Excel's limit, which
# openpyxl enforces by cutting the text). Validation refuses a cell over it (checks/cell_length.py,
# both engines), so that the .xlsx download, the import template and the import hold every cell
# whole; under it, the byte limit of a row above is what bounds the readers.
MAX_CELL_CHARS = 32_767


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
            _("a cell is longer than {limit:,} characters, the most a cell may hold").format(
                limit=MAX_CELL
            ),
            _("shorten the text, or check that the file was not damaged"),
            "cell-too-large",
        )
    fix = _(
        "a cell holding a comma, a quote or a line break is written in double quotes,"
        " with each quote inside it doubled"
    )
    return _("the CSV cannot be read here ({reason})").format(reason=exc), fix, "source-error"


def line_numbers(path: Path) -> list[int]:
    """Line on which each row starts (index = frictionless row number); cells may span lines."""
    starts = [0, 1]
    try:
        text = edge.read_text(path.parent, path)
        reader = csv_reader(io.StringIO(text, newline=""))
        for _row in reader:
            starts.append(reader.line_num + 1)
    except (OSError, UnicodeDecodeError, csv.Error, edge.EdgeError):
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
    quote_problem: tuple[int, str] | None = None  # a quote where RFC 4180 has none: line, what
    quotes: int = 0  # quote characters in the file
    last_byte: bytes = b""


def scan(path: Path, decode: bool = True) -> FileFacts:
    facts = FileFacts()
    decoder = codecs.getincrementaldecoder("utf-8")()
    quotes = QuoteCheck()
    line, run, previous = 1, 0, b"\n"
    with edge.open_read(path.parent, path) as file:  # never a link, never waiting on a FIFO
        while chunk := file.read(CHUNK):
            quotes.feed(chunk, line)
            facts.last_byte = chunk[-1:]
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
    quotes.feed(b"", line, final=True)
    facts.quote_problem, facts.quotes = quotes.problem, quotes.quotes
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
        except edge.EdgeError as exc:  # a link or a FIFO put there since the package was read
            yield Problem(where, exc.message, exc.fix, "file-error")
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
        elif found.quote_problem:
            line, message = found.quote_problem
            yield Problem(where, message, quote_fix(), "source-error", line)
        elif decode:
            yield from structure(table)


def too_long(size: int, what: str) -> str:
    limit = f"a row of a table may take at most {MAX_CELL / 1e6:g} MB"
    return f"{what} takes {size / 1e6:.2f} MB; {limit}"


def structure(table: Table) -> Iterator[Problem]:
    """Rows whose cells do not line up with the header, one problem per row, capped as every
    engine caps its problems (problem_cap.py).

    Found here because frictionless reports every extra cell of a row on its own (memory grows
    with the square of the row's length) and our checks expect whole rows."""
    where = display(table.path)
    found = Collector()
    for line, *what in misfits(table):
        found.add(table.name, line, *what)

    def place(_table: str, line: int | None, field: str | None, code: str, *text: str):
        return Problem(where, *text, code, line, field)

    yield from found.problems([table.name], place)


def misfits(table: Table) -> Iterator[tuple]:
    """(line, field, code, message, fix) of each row that does not line up, or of the first
    row too large or not well-formed CSV (where reading stops)."""
    line = 1
    with io.TextIOWrapper(
        edge.open_read(table.path.parent, table.path), encoding="utf-8-sig", newline=""
    ) as file:
        reader = csv_reader(file)
        try:
            for number, row in enumerate(reader):
                problem = misfit(row, table.field_names, number == 0)
                if problem:
                    message, fix = explain(problem, table)
                    label = getattr(problem, "label", None)
                    yield line, label, problem.type, message, fix
                    if number == 0:
                        return  # with a wrong header, every row would be reported too
                if reader.line_num > line and sum(map(len, row)) > MAX_CELL // 4:
                    size = sum(len(c.encode()) for c in row)  # a row over lines: its size
                    if size > MAX_CELL:
                        fix = "shorten the text, or check that the file was not damaged"
                        yield line, None, "cell-too-large", too_long(size, "a row"), fix
                        return
                line = reader.line_num + 1
        except csv.Error as exc:
            message, fix, code = csv_problem(exc)
            yield line, None, code, message, fix


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
    """Kept for callers that name a file outside any package: edge.write, with the file's own
    folder as its root (no link at the file, atomic). Inside the package, use edge.write with
    the package's folder, which also refuses a link on the way to it."""
    edge.write(Path(path).parent, path, data, mode)
