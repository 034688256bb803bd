"""Validate the data package: frictionless-py's own checks plus ours, reported per line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from frictionless import Checklist, FrictionlessException, Package

from . import checks, edge
from .canonical_types import install
from .checks.stable_keys import released, stable_keys, table_notes
from .descriptor import DataPackage, PackageError, display, load
from .descriptor_text import LICENCE_FILE, licence_text_problem
from .files import FAST_FROM_BYTES, FileFacts, preflight
from .gitdata import history_gap
from .i18n import _
from .locate import Locator
from .messages import Problem, explain
from .problem_cap import Collector, counted


def validate(
    descriptor_path: Path, engine: str = "auto", progress=None, origin: Path | None = None
) -> Iterator[Problem]:
    """Every problem in the package, in file order.

    engine: `fast` (DuckDB, column-wise), `reference` (frictionless row by row, with our checks
    as frictionless checks) or `auto`: reference for a small package, else fast. The fast
    engine hands over to the reference wherever only the reference is exact. `origin`: the
    package's folder in git, when `descriptor_path` is a scratch copy of it (see `import`).
    """
    try:
        package: DataPackage = load(descriptor_path, origin)
    except PackageError as exc:
        yield Problem(display(exc.path), exc.message, exc.fix, "package-error", exc.line)
        return
    if in_ci():
        yield from history(package)
    yield from published_files(package)
    yield from released_tables(package)
    try:  # the descriptor and schemas as frictionless's profiles have them, for either engine
        standard_package = standard(package)
    except FrictionlessException as exc:
        yield refusal(exc, package)
        return
    if engine == "auto":
        # Small packages: frictionless row by row is quick, and it is the reference itself.
        size = sum(t.path.stat().st_size if t.path.is_file() else 0 for t in package.tables)
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
        except Fallback as exc:  # handed over: the reference path gives the exact verdict
            if progress:
                progress(f"checking with the reference path ({exc})")
            blocking = list(preflight(package, facts, decode=True))
            if blocking:
                yield from blocking
                return
    yield from reference(descriptor_path, package, standard_package)


def published_files(package: DataPackage) -> Iterator[Problem]:
    """The files the publishers read besides the tables (README, licence, changelog, citation
    file), checked here as the repository's edge will check them: a link or a FIFO among them
    is the gate's to refuse, not the site build's to stumble on."""
    from .exports import inputs
    from .release import CHANGELOG

    extras = [package.base / CHANGELOG] if os.path.lexists(package.base / CHANGELOG) else []
    for path in [*inputs(package), *extras]:
        try:
            edge.inside(package.base, path)
        except edge.EdgeError as exc:
            yield Problem(display(exc.path), exc.message, exc.fix, "repository-edge")
    yield from licence_text(package)


def licence_text(package: DataPackage) -> Iterator[Problem]:
    """The licence text the downloads carry names the descriptor's licence."""
    path = package.base / LICENCE_FILE
    try:
        text = edge.read_text(package.base, path)
    except (OSError, UnicodeDecodeError, edge.EdgeError):
        return  # none here (a package copy), or refused above as the edge would refuse it
    found = licence_text_problem(package.descriptor, text)
    if found:
        yield Problem(display(path), *found, "licence-text", 1)


def in_ci() -> bool:
    """Whether this runs in continuous integration (every CI service sets CI=true)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def history(package: DataPackage) -> Iterator[Problem]:
    """The history or tags stable keys need, where they are missing: an error in CI (a
    workflow must fetch them), a warning elsewhere (see warnings)."""
    gap = history_gap(package.home)
    if gap:
        yield Problem(display(package.descriptor_path), *gap, "history-missing")


def warnings(descriptor_path: Path) -> list[Problem]:
    """What validation could not check, outside CI (where it is an error instead)."""
    if in_ci():
        return []
    try:
        return list(history(load(descriptor_path)))
    except PackageError:
        return []  # the descriptor's own problem is reported by validate


def released_tables(package: DataPackage) -> Iterator[Problem]:
    """Tables that vanished, changed key or moved since the last release (both engines)."""
    release = released(package)
    for note in table_notes(package, release) if release else []:
        message, fix = note.split(" — ", 1)
        yield Problem(display(package.descriptor_path), message, fix, stable_keys.type)


def reference(descriptor_path: Path, package: DataPackage, standard: Package) -> Iterator[Problem]:
    """frictionless-py row by row, with our checks run as frictionless checks. Every problem
    goes to a Collector as it is found (problem_cap.py): frictionless keeps none, reads every
    row and runs every check to the end, and memory stays bounded."""
    tables = {t.name: t for t in package.tables}
    found = Collector()
    checklist = Diverted(checks=checks.checks(package))
    checklist.sink = lambda task, error: found.add(task, *located(error, tables.get(task)))
    try:
        report = standard.validate(checklist=checklist)
    except FrictionlessException as exc:
        yield refusal(exc, package)
        return
    for error in report.errors:
        yield Problem(display(descriptor_path), error.message, "fix the descriptor", error.type)
    places = {t.name: Path(t.place) for t in report.tasks}
    for task in report.tasks:  # what frictionless kept: errors raised while reading a row
        for error in task.errors:
            checklist.sink(task.name, error)
    locate = Locator(display)

    def place(name: str, row, field, code, *what) -> Problem:
        table = tables.get(name)
        problem = locate(table, table.path if table else places[name], row, field, code, *what)
        if row is None and code.endswith("label"):
            problem = replace(problem, line=1)  # a header problem
        return problem

    yield from found.problems(list(tables), place)


def located(error, table) -> tuple:
    """(row, field, code, message, fix) of a frictionless error."""
    message, fix = explain(error, table)
    field = getattr(error, "field_name", None) or getattr(error, "label", None)
    if error.type == "foreign-key":
        field = ",".join(error.field_names)
    return getattr(error, "row_number", None), field, error.type, message, fix


class Diverted(Checklist):
    """frictionless's checklist, but every error it would keep goes to `sink(table, error)`
    instead: frictionless's own list stays empty, so it never stops at its limit of 1,000
    errors (leaving later rows and end-of-table checks unread) nor holds them all."""

    sink = None
    table = ""

    def connect(self, resource):
        self.table = resource.name  # resources are validated one after another
        return super().connect(resource)

    def match(self, error) -> bool:
        if super().match(error):
            self.sink(self.table, error)
        return False


# The one CSV dialect, Python's own (csv.excel), given to frictionless: left to itself it
# guesses one from the first lines, and a cell such as x;'y';z makes it read ";" as the delimiter.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "skipInitialSpace": False}


def standard(package: DataPackage) -> Package:
    """The package for frictionless, its schemas as loaded and checked by us, raising
    FrictionlessException where its profiles refuse the descriptor or a schema. Their foreign
    keys are left to our foreign_keys check, which builds each lookup once (see its module).
    Typed cells are read in their canonical form only (canonical_types.py)."""
    install()
    descriptor = dict(package.descriptor)
    descriptor["resources"] = [
        {
            **res,
            "schema": {k: v for k, v in table.schema.items() if k != "foreignKeys"},
            "dialect": dict(DIALECT),
        }
        for res, table in zip(package.descriptor["resources"], package.tables, strict=True)
    ]
    return Package(descriptor, basepath=str(package.base))


def refusal(exc: FrictionlessException, package: DataPackage) -> Problem:
    """frictionless's refusal of a descriptor or schema, with its reasons, in the file at fault."""
    from frictionless import Schema

    where = package.descriptor_path
    for table in package.tables:
        try:
            Schema.from_descriptor(table.schema)
        except FrictionlessException:
            where = table.schema_path
            break
    reasons = [r.note or r.message for r in exc.reasons[:3]] or [exc.error.note or ""]
    message = f"{exc.error.message.split(':')[0]}: {'; '.join(reasons)}"
    fix = "fix what it names (the Data Package standard says what each property may hold)"
    return Problem(display(where), message, fix, exc.error.type)


def summary(problems: list[Problem], package_path: Path) -> str:
    if not problems:
        return _("{package}: valid").format(package=display(package_path))
    files = len({p.path for p in problems})
    errors = counted(problems)
    if errors == 1:
        return _("1 error in 1 file")
    return _("{errors} errors in {files} file(s)").format(errors=errors, files=files)
