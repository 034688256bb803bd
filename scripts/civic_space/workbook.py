"""Spreadsheet round-trip: a workbook built from the schemas for people who edit in Excel or
LibreOffice, and the import of a filled workbook (.xlsx, .ods) or of per-table CSVs back into
the canonical CSVs, through the same validation as `nox -s validate`.

This module reads the files to import, each into the tables it holds; the template is written
by workbook_template.py, a sheet is read by workbook_sheet.py and its cells by workbook_cells.py.
Workbooks are read with python-calamine, which reads .xlsx and .ods alike and gives dates as
dates. Import never guesses: a cell it cannot read exactly is an error located by sheet, row and
column, and nothing is written unless the result is valid (or a draft is asked for). A file is
checked before it is read (workbook_guard.py): what the reader cannot take safely, such as a
cell at XFD1048576, a DTD or a CSV not in UTF-8, is refused as a problem of that file. The
per-value view the downloads hold (its sheet, or its CSV) is derived, never data: it is checked
against the tables (workbook_view.py) and left aside, or refused where someone edited it.
"""

from __future__ import annotations

import functools
from pathlib import Path

from . import workbook_view
from .descriptor import DataPackage
from .guard_archive import inspect_workbook
from .guard_csv import read_csv
from .guard_xml import Marks, Text
from .i18n import _
from .messages import visible
from .workbook_cells import cell_text, column
from .workbook_guard import Refused, reason, regular
from .workbook_model import CELL_LEVEL, ImportProblem, Place, Sheet
from .workbook_sheet import header_row, match_table, read_table
from .workbook_template import ABOUT, LISTS, template

__all__ = [
    "ABOUT",
    "CELL_LEVEL",
    "ImportProblem",
    "Place",
    "Sheet",
    "cell_text",
    "column",
    "read_sources",
    "template",
]


def read_sources(package: DataPackage, paths: list[Path]):
    """Every table found in the files: {table name: Sheet}, and the problems."""
    sheets: dict[str, Sheet] = {}
    problems: list[ImportProblem] = []
    text = Text()  # the characters all the files may expand to, together

    def add(sheet: Sheet, found: list[ImportProblem]) -> None:
        problems.extend(found)
        if sheet.table.name in sheets:
            first = sheets[sheet.table.name]
            problems.append(
                ImportProblem(
                    Place(sheet.source, sheet.name),
                    _("holds the {table} table, as does {other}").format(
                        table=sheet.table.name, other=Place(first.source, first.name)
                    ),
                    _("keep one of the two"),
                    "import-duplicate-table",
                )
            )
        sheets[sheet.table.name] = sheet

    names = labels(paths)
    view = functools.cache(lambda: workbook_view.expected(package))  # made once, if needed
    for path in paths:
        suffix = path.suffix.lower()
        try:
            regular(path)  # a FIFO, a device or a folder is never opened: reading one can hang
        except Refused as refusal:
            place = Place(names[path], None)
            problems.append(ImportProblem(place, refusal.message, refusal.fix, "import-file"))
            continue
        if suffix == ".csv":
            read_csv_file(package, path, names[path], add, problems, text, view)
        elif suffix in (".xlsx", ".xlsm", ".ods"):
            read_workbook(package, path, names[path], add, problems, text, view)
        else:
            problems.append(
                ImportProblem(
                    Place(names[path], None),
                    _("is not a workbook or CSV file"),
                    _("give an .xlsx, .ods or .csv file"),
                    "import-file",
                )
            )
    return sheets, problems


def labels(paths: list[Path]) -> dict[Path, str]:
    """How each file is named in the problems: its name, or, where two files share a name, as
    much of its path as tells them apart (a/themes.csv, b/themes.csv)."""
    names: dict[Path, str] = {}
    for path in paths:
        twins = [p for p in paths if p.name == path.name and p != path]
        parts, depth = path.parts, 1
        while twins and depth < len(parts):
            depth += 1
            if all(p.parts[-depth:] != parts[-depth:] for p in twins):
                break
        names[path] = str(Path(*parts[-depth:]))
    return names


def unknown_table(source: str, sheet: str | None) -> ImportProblem:
    """A CSV file (sheet None) or a sheet that holds none of the tables."""
    if sheet is None:
        message = _("is not one of the tables")
        fix = _("name the file after its table (events.csv, …)")
    else:
        message = _("is not one of the tables, and its header matches none")
        fix = _("name the sheet after its table, or delete the sheet")
    return ImportProblem(Place(source, sheet), message, fix, "import-unknown-table")


def derived(package: DataPackage, name: str, grid: list[list]) -> bool:
    """Whether a sheet (or CSV) holds the per-value view rather than a table."""
    return name not in {t.name for t in package.tables} and workbook_view.holds_view(name, grid)


def read_csv_file(
    package: DataPackage, path: Path, name: str, add, problems: list, text: Text, view
) -> None:
    """One table from a CSV file, read by `read_csv` (refused if it is not UTF-8 text, …); or
    the per-value view's CSV, checked against the tables (`view()`: its rows)."""
    try:
        grid = read_csv(path, text)
    except Refused as refusal:
        place = Place(name, None)
        problems.append(ImportProblem(place, refusal.message, refusal.fix, "import-file"))
        return
    if derived(package, path.stem, grid):
        problems.extend(workbook_view.edits(view(), name, None, grid))
        return
    table = match_table(package, path.stem, grid)
    if table is None:
        problems.append(unknown_table(name, None))
        return
    add(*read_table(table, name, None, grid))


def read_workbook(
    package: DataPackage, path: Path, source: str, add, problems: list, text: Text, view
) -> None:
    """The tables of a workbook: first checked by `inspect_workbook` (what python-calamine
    must not open is refused), then read sheet by sheet; the per-value view's sheet is checked
    against the tables (`view()`: its rows) and never read as data."""
    from python_calamine import CalamineWorkbook

    try:
        marks = inspect_workbook(path, text)
    except Refused as refusal:
        place = Place(source, refusal.sheet)
        problems.append(ImportProblem(place, refusal.message, refusal.fix, "import-file"))
        return
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
    except Exception as exc:  # the reader's errors name no common class
        problems.append(unreadable_file(source, None, reason(exc)))
        return
    for name in names:
        if name in (ABOUT, LISTS):
            continue
        noted = marks.get(name, Marks())
        try:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # whatever the reader meets in a sheet is the file's problem
            # python-calamine refuses a whole sheet for an error code it does not know
            # (#SPILL!, …): those cells are the problem, where the guard found them.
            found = marked(Sheet(None, source, name), noted, "errors")
            problems.extend(found or [unreadable_file(source, name, reason(exc))])
            continue
        if derived(package, name, grid):
            problems.extend(workbook_view.edits(view(), source, name, grid))
            continue
        table = match_table(package, name, grid)
        if table is None:
            if header_row(grid) is None:
                continue  # an empty sheet someone added: nothing to lose
            problems.append(unknown_table(source, name))
            continue
        read, found = read_table(table, source, name, grid, noted.merged)
        add(read, found + marked(read, noted, "unsaved") + marked(read, noted, "errors"))


def unreadable_file(source: str, sheet: str | None, why: str) -> ImportProblem:
    return ImportProblem(
        Place(source, sheet),
        _("cannot be read ({reason})").format(reason=why),
        _("save it again as .xlsx or .ods"),
        "import-file",
    )


def marked(sheet: Sheet, noted: Marks, kind: str) -> list[ImportProblem]:
    """The cells the guard noted (`kind`: "unsaved" formulas, or "errors"), each a problem that
    stops the import, at its cell: the reader would take them for empty cells. Past
    guard.SHOWN of one kind, the rest are counted in one more problem."""
    labels = {letter: label for label, letter in sheet.letters.items()}
    problems = []
    for row, index, *code in sorted(getattr(noted, kind)):
        if kind == "errors":
            message = _("the cell shows the error {code}, not a value").format(
                code=visible(code[0]) or "#?"
            )
            fix = _("correct the formula, or type the value itself (as text, if it starts with #)")
        else:
            message = _("the cell holds a formula with no saved value")
            fix = _(
                "type the value itself, or open and save the workbook in Excel or LibreOffice "
                "so that the value is stored"
            )
        place = Place(sheet.source, sheet.name, row, column(index))
        problems.append(
            ImportProblem(place, message, fix, "import-cell", labels.get(column(index)))
        )
    more = noted.counts.get(kind, 0) - len(problems)
    if more > 0:
        message = _("and {count:,} more cells like these").format(count=more)
        problems.append(ImportProblem(Place(sheet.source, sheet.name), message, fix, "import-cell"))
    return problems
