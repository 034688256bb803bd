"""Validate the data package: frictionless-py's own checks plus ours, reported per line."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from frictionless import Checklist, FrictionlessException, Package

from . import checks
from .descriptor import DataPackage, PackageError, display, load
from .i18n import _
from .messages import Problem, explain


def line_numbers(path: Path) -> list[int]:
    """Line on which each row starts (index = frictionless row number); cells may span lines."""
    starts = [0, 1]
    try:
        reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        for _row in reader:
            starts.append(reader.line_num + 1)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return starts


MAX_CELL = 1_000_000  # bytes; the longest real cell is under a thousand
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
            message = f"a line is {found.longest / 1e6:.1f} MB long; cells are limited to 1 MB"
            fix = "shorten the text, or check that the file was not damaged"
            yield Problem(where, message, fix, "cell-too-large", found.long_line)


def validate(descriptor_path: Path, engine: str = "auto", progress=None) -> Iterator[Problem]:
    """Every problem in the package, in file order.

    engine: `fast` (DuckDB, column-wise), `reference` (frictionless row by row, with our checks
    as frictionless checks) or `auto`: reference for a small package, else fast, falling back
    to reference where only it is exact.
    """
    try:
        package: DataPackage = load(descriptor_path)
    except PackageError as exc:
        yield Problem(display(exc.path), exc.message, exc.fix, "package-error", exc.line)
        return
    fall_back = engine == "auto"
    if engine == "auto":
        # Small packages: frictionless row by row is quick, and it is the reference itself.
        size = sum(t.path.stat().st_size if t.path.exists() else 0 for t in package.tables)
        engine = "fast" if size > FAST_FROM_BYTES else "reference"
    facts: dict[str, FileFacts] = {}
    blocking = list(preflight(package, facts, decode=engine != "fast"))
    if blocking:
        yield from blocking  # fix these first: with them, frictionless's messages would mislead
        return
    if engine == "fast":
        from .fast import Fallback, validate_fast

        try:
            yield from validate_fast(package, display, progress, facts)
            return
        except Fallback as exc:
            if progress:
                progress(f"checking with the reference path ({exc})")
            blocking = list(preflight(package, facts, decode=True))
            if blocking:
                yield from blocking
                return
            if not fall_back:
                raise
    yield from reference(descriptor_path, package)


def reference(descriptor_path: Path, package: DataPackage) -> Iterator[Problem]:
    """frictionless-py row by row, with our checks run as frictionless checks."""
    try:
        report = Package(str(descriptor_path)).validate(
            checklist=Checklist(checks=checks.checks(package))
        )
    except FrictionlessException as exc:
        error = exc.error
        yield Problem(display(descriptor_path), error.message, "fix the descriptor", error.type)
        return
    for error in report.errors:
        yield Problem(display(descriptor_path), error.message, "fix the descriptor", error.type)
    tables = {t.name: t for t in package.tables}
    for task in report.tasks:
        table = tables.get(task.name)
        path = table.path if table else Path(task.place)
        lines = None
        for error in task.errors:
            row = getattr(error, "row_number", None)
            line = None
            if row is not None:
                lines = lines if lines is not None else line_numbers(path)
                line = lines[row] if row < len(lines) else row
            elif error.type.endswith("label"):
                line = 1
            message, fix = explain(error, table)
            field = getattr(error, "field_name", None) or getattr(error, "label", None)
            if error.type == "foreign-key":
                field = ",".join(error.field_names)
            title = table.field(field).get("title") if table and field else None
            yield Problem(display(path), message, fix, error.type, line, field, title)


def summary(problems: list[Problem], package_path: Path) -> str:
    if not problems:
        return _("{package}: valid").format(package=display(package_path))
    files = len({p.path for p in problems})
    if len(problems) == 1:
        return _("1 error in 1 file")
    return _("{errors} errors in {files} file(s)").format(errors=len(problems), files=files)
