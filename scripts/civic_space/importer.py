"""`import`: a filled workbook (or per-table CSVs) back into data/, all or nothing.

The package as it would be is built and validated in a scratch folder outside the repository;
only when it is valid (or a draft is asked for) are the new CSVs swapped in, each with one atomic
rename. An import stopped at any point before that, even by SIGKILL, leaves data/ as it was.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import edge
from .descriptor import DataPackage, display
from .formatting import read_rows, render, sort_key
from .i18n import _
from .messages import Problem
from .workbook import CELL_LEVEL, ImportProblem, Place, Sheet, read_sources


@dataclass
class Imported:
    problems: list  # ImportProblem or validation Problems, placed in the spreadsheet
    written: list[Path]
    diffs: list
    trimmed: int


SHOWN = 1_000  # validation problems kept: a table wrong in every row could have millions


def import_files(
    package: DataPackage, paths: list[Path], draft: bool = False, progress=None
) -> Imported:
    """Read the files, validate the package with their tables in place (the same checks as
    `nox -s validate`), and write the new CSVs only if it is valid, or a draft is asked for."""
    from .datadiff import compare
    from .gitdata import keyed

    say = progress or (lambda message: None)
    say(_("reading {files}").format(files=", ".join(p.name for p in paths)))
    sheets, problems = read_sources(package, paths)
    trimmed = sum(s.trimmed for s in sheets.values())
    if any(p.code not in CELL_LEVEL for p in problems):
        return Imported(problems, [], [], trimmed)  # a sheet that cannot be read as a table
    origin: dict[tuple[str, int], tuple[Sheet, int]] = {}
    diffs, texts = [], {}
    for table in [t for t in package.tables if t.name in sheets]:  # in the package's order
        sheet = sheets[table.name]
        key = sort_key(table)
        order = sorted(range(len(sheet.rows)), key=lambda i: key(sheet.rows[i]))
        rows = [sheet.rows[i] for i in order]
        for line, i in enumerate(order, start=2):
            origin[table.name, line] = (sheet, sheet.places[i])
        before = edge.read_bytes(package.base, table.path) if table.path.is_file() else None
        old = keyed(*read_rows(table), table.primary_key) if before else {}
        diffs.append(compare(table.name, old, keyed(table.field_names, rows, table.primary_key)))
        text = render(table.field_names, rows).encode("utf-8")
        if text != before:
            texts[table.path] = text
    say(_("validating the package with the imported tables"))
    found = validated(package, texts)
    # A cell that could not be read is reported once, as read: not again by validation.
    unread = {(p.place.sheet, p.place.row, p.place.column) for p in problems}
    unread |= {(s.name, row, letter) for s in sheets.values() for row, letter in s.covered}
    placed = [place(p, package, origin) for p in found]
    placed = problems + [
        p for p in placed if (p.place.sheet, p.place.row, p.place.column) not in unread
    ]
    if problems or (placed and not draft):  # never a draft from cells that could not be read
        return Imported(placed, [], diffs, trimmed)
    if texts:
        say(_("writing {count} file(s)").format(count=len(texts)))
        swap_in(package.base, texts)
    return Imported(placed, list(texts), diffs, trimmed)


def validated(package: DataPackage, texts: dict[Path, bytes]) -> list:
    """Validation problems of the package with `texts` in place of its tables, found in a scratch
    copy; their paths are given as the package's own."""
    from .validate import validate

    with tempfile.TemporaryDirectory(prefix="civic-space-import-") as folder:
        scratch = Path(folder).resolve()
        files = [package.descriptor_path, *(t.schema_path for t in package.tables)]
        for path in [*files, *(t.path for t in package.tables)]:
            target = scratch / path.relative_to(package.base)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path in texts:
                target.write_bytes(texts[path])
            elif path.is_file():
                shutil.copyfile(edge.inside(package.base, path), target)
        descriptor = scratch / package.descriptor_path.name
        found, more = [], 0
        for problem in validate(descriptor, origin=package.base):
            if len(found) < SHOWN:  # a table wrong in every row: the first ones lead
                found.append(
                    dataclasses.replace(problem, path=own_path(problem.path, scratch, package))
                )
            else:
                more += 1
        if more:
            message = _("and {count:,} more problems").format(count=more)
            fix = _("fix those above first, then import again")
            found.append(Problem(display(package.descriptor_path), message, fix, "import-more"))
        return found


def own_path(shown: str, scratch: Path, package: DataPackage) -> str:
    try:
        return display(package.base / Path(shown).resolve().relative_to(scratch))
    except ValueError:
        return shown


def swap_in(root: Path, texts: dict[Path, bytes]) -> None:
    """Every new file written beside its table first, then each renamed over it: a stop while
    writing leaves only a hidden temporary file (git-ignored), never a half-written table."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in texts.items():
            staged.append((edge.stage(root, path, text), path))
        for temporary, path in staged:
            edge.commit(root, temporary, path)
    finally:
        for temporary, _path in staged:
            Path(temporary).unlink(missing_ok=True)  # still there only if not renamed


def place(problem, package: DataPackage, origin) -> ImportProblem:
    """A validation problem, placed in the spreadsheet cell it came from where it has one."""
    table = next((t for t in package.tables if problem.path.endswith(t.path.name)), None)
    if table is None or (table.name, problem.line) not in origin:
        source = Place(problem.path, None, problem.line)
        return ImportProblem(source, problem.message, problem.fix, problem.code, problem.field)
    sheet, row = origin[table.name, problem.line]
    letter = sheet.letters.get((problem.field or "").split(",")[0])
    return ImportProblem(
        Place(sheet.source, sheet.name, row, letter),
        problem.message,
        problem.fix,
        problem.code,
        problem.field,
    )
