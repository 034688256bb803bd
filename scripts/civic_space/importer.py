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
from .workbook import CELL_LEVEL, ImportProblem, Place, Sheet, labels, read_sources


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
    say(_("reading {files}").format(files=", ".join(labels(paths).values())))
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
    placed = [place(p, package, origin) for p in found]
    placed = problems + unspoilt(package, placed, problems, sheets)
    if problems or (placed and not draft):  # never a draft from cells that could not be read
        return Imported(placed, [], diffs, trimmed)
    if texts:
        say(_("writing {count} file(s)").format(count=len(texts)))
        swap_in(package.base, texts)
    return Imported(placed, list(texts), diffs, trimmed)


def unspoilt(package: DataPackage, found: list, problems: list, sheets: dict) -> list:
    """The validation problems that are not consequences of a cell that could not be read (a
    merged cell, a number typed for text, …), which is reported once, as read. Its consequences
    are what validation says of that cell, of the whole row holding it (a key left empty is
    used twice, …; the row's other cells are still judged), and of the rows checked against its
    table (a foreign key into it, …): once the cells are mended, validation judges them again."""
    spoilt = {(p.place.source, p.place.sheet, p.place.row, p.place.column) for p in problems}
    spoilt |= {(s.source, s.name, row, c) for s in sheets.values() for row, c in s.covered}
    rows = {where[:3] for where in spoilt}
    held = {(s.source, s.name): s.table for s in sheets.values()}
    tables = {held[w[:2]].name for w in spoilt if w[:2] in held}
    across = across_tables(package) if tables else set()

    def spoilt_by(p: ImportProblem) -> bool:
        at = (p.place.source, p.place.sheet, p.place.row)
        if (*at, p.place.column) in spoilt or (at in rows and p.place.column is None):
            return True  # the cell, or its row as a whole (its key, left empty, used twice)
        if p.code == "foreign-key":  # spoilt only if it points into a spoilt table
            table = held.get(at[:2])
            keys = table.schema.get("foreignKeys", []) if table else []
            fields = (p.field or "").split(",")
            return any(
                (k["reference"].get("resource") or table.name) in tables
                and fields == ([k["fields"]] if isinstance(k["fields"], str) else k["fields"])
                for k in keys
            )
        return p.code in across

    return [p for p in found if not spoilt_by(p)]


def across_tables(package: DataPackage) -> set[str]:
    """The codes of the checks that judge a row against other tables (they are given the
    package); foreign keys are placed by their schema, in `unspoilt`."""
    from .checks import checks

    return {c.type for c in checks(package) if hasattr(c, "package")} - {"foreign-key"}


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
