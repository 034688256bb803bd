"""Validate the data package: frictionless-py's own checks plus ours, reported per line."""

from __future__ import annotations

import csv
import io
import os
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


def validate(descriptor_path: Path) -> Iterator[Problem]:
    """Every problem in the package, in file order."""
    try:
        package: DataPackage = load(descriptor_path)
    except PackageError as exc:
        yield Problem(display(exc.path), exc.message, exc.fix, "package-error", exc.line)
        return
    try:
        report = Package(str(descriptor_path)).validate(checklist=Checklist(checks=checks.checks()))
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
