"""Validate the data package: frictionless-py's own checks plus ours, reported per line."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

from frictionless import Checklist, FrictionlessException, Package

from . import checks
from .descriptor import DataPackage, PackageError, load
from .messages import Problem, explain


def display(path: Path | str) -> str:
    """A path as a contributor sees it: relative to where they are, when it can be."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return os.path.normpath(str(path))


def line_numbers(path: Path) -> list[int]:
    """Line on which each row starts (index = frictionless row number); cells may span lines."""
    starts = [0, 1]
    try:
        reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        for _ in reader:
            starts.append(reader.line_num + 1)
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    return starts


MAX_CELL = 1_000_000  # bytes; the longest real cell is under a thousand
LONG_LINE = re.compile(rb"[^\n]{%d}" % (MAX_CELL + 1))


def preflight(package: DataPackage) -> Iterator[Problem]:
    """File problems that would make every later message misleading: checked first, alone."""
    for table in package.tables:
        where = display(table.path)
        try:
            raw = table.path.read_bytes()
        except FileNotFoundError:
            yield Problem(
                where, "file not found", "restore the file or fix its path", "file-missing"
            )
            continue
        if not raw.strip():
            fix = f"the first line must be the header: {','.join(table.field_names)}"
            yield Problem(where, "the file is empty", fix, "file-empty", 1)
            continue
        if b"\x00" in raw:
            line = raw[: raw.index(b"\x00")].count(b"\n") + 1
            fix = "this is not a text file; export the table as CSV UTF-8"
            yield Problem(where, "the file holds binary data (NUL bytes)", fix, "file-binary", line)
            continue
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            byte = raw[exc.start : exc.start + 1]
            fix = "save the file as UTF-8 (in Excel: CSV UTF-8)"
            message = f"byte {byte!r} is not UTF-8 (likely Latin-1 or Windows-1252)"
            yield Problem(where, message, fix, "encoding-error", line)
            continue
        too_long = LONG_LINE.search(raw)  # a regex scan: no per-line Python loop on big files
        if too_long:
            line = raw[: too_long.start()].count(b"\n") + 1
            end = raw.find(b"\n", too_long.start())
            longest = (len(raw) if end < 0 else end) - too_long.start()
            message = f"a line is {longest / 1e6:.1f} MB long; cells are limited to 1 MB"
            fix = "shorten the text, or check that the file was not damaged"
            yield Problem(where, message, fix, "cell-too-large", line)


def validate(descriptor_path: Path, engine: str = "auto", progress=None) -> Iterator[Problem]:
    """Every problem in the package, in file order.

    engine: `fast` (DuckDB, column-wise), `reference` (frictionless row by row, with our checks
    as frictionless checks) or `auto` (fast, falling back to reference where it must).
    """
    try:
        package: DataPackage = load(descriptor_path)
    except PackageError as exc:
        yield Problem(display(exc.path), exc.message, exc.fix, "package-error", exc.line)
        return
    blocking = list(preflight(package))
    if blocking:
        yield from blocking  # fix these first: with them, frictionless's messages would mislead
        return
    if engine in ("auto", "fast"):
        from .fast import Fallback, validate_fast

        try:
            yield from validate_fast(package, display, progress)
            return
        except Fallback as exc:
            if engine == "fast":
                raise
            if progress:
                progress(f"checking with the reference path ({exc})")
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
            yield Problem(display(path), message, fix, error.type, line, field)


def summary(problems: list[Problem], package_path: Path) -> str:
    if not problems:
        return f"{display(package_path)}: valid"
    files = len({p.path for p in problems})
    errors = "error" if len(problems) == 1 else "errors"
    return f"{len(problems)} {errors} in {files} file{'s' if files != 1 else ''}"
