"""The per-value view (value_view) as a sheet of the workbook: derived from the tables, marked
read-only (in its name, its protection and a note in English and Mongolian on every column), and
never imported. Its name and columns are the view's own (value_view.json).

The import compares the sheet (or the view's CSV, given to it) with the view of the package it
imports into, as the template would write it now: a sheet as it was written is left aside; a
sheet someone edited (a row changed, added or deleted) is refused at the row, so that an edit
made there, which would change nothing, is never lost unnoticed. Rows in another order are the
same rows (a sort changes no value). The sheet holds the whole view only while the import can
take it back (guard.MAX_ROWS, a share of guard.MAX_TEXT); a larger view is in the other
downloads, and the sheet says so in its one row."""

from __future__ import annotations

from collections import Counter
from itertools import islice

from . import i18n, value_view
from . import workbook_guard as guard
from .descriptor import DataPackage
from .i18n import _
from .meanings import ANNOTATIONS
from .messages import visible
from .workbook_model import ImportProblem, Place

MARK = "read-only"  # in the sheet's name, in English as the workbook's other sheet names are
VIEW_FILL = "D9D9D9"  # grey, apart from the tables' sheets
# The sheet's text may take at most 1/TEXT_SHARE of what an import reads (guard.MAX_TEXT): the
# tables' sheets, whose values it repeats, and the lists need the rest.
TEXT_SHARE = 4


def sheet_name() -> str:
    return f"{value_view.name()} ({MARK})"


def note(_=str) -> str:
    """What the sheet is, in English (`_` as given: the same text in every edition), or through
    the `_` given. The text is written as `_(…)` so that the catalogue holds it."""
    return _(
        "Made from the tables when the workbook is written: read-only. Edits here are never"
        " imported: change a value in its table's sheet, and its basis in the {annotations}"
        " sheet."
    ).format(annotations=ANNOTATIONS.table)


def bilingual() -> str:
    """The note in English and in Mongolian, whatever the language of the build."""
    mn = i18n.messages("mn")
    return f"{note()}\n\n{note(lambda text: mn.get((None, text), text))}"


def expected(package: DataPackage, view: value_view.View | None = None) -> list[tuple]:
    """The sheet's rows as written for `package`: the header, then the view's rows (text, an
    empty cell as ""), or one row saying where a view too large for the workbook is."""
    header = tuple(value_view.names().values())
    with value_view.given(package, view) as view:
        count = view.count()
        rows = (tuple(v or "" for v in row) for batch in view.batches() for row in batch)
        # Read no further than the import's limits: a larger view is never held here.
        body = list(islice(rows, guard.MAX_ROWS))
    text = sum(len(v) for row in body for v in row)
    if count + 1 <= guard.MAX_ROWS and text <= guard.MAX_TEXT // TEXT_SHARE:
        return [header, *body]
    mn = i18n.messages("mn")
    said = (too_large(count), too_large(count, lambda text: mn.get((None, text), text)))
    return [header, ("\n\n".join(said),)]


def too_large(count: int, _=str) -> str:
    """What the sheet says of a view too large for it (in English, or through the `_` given)."""
    return _(
        "The view has {count} rows, more than this workbook can hold; it is in the other"
        " downloads: its CSV and Parquet files, the SQLite database and the JSON file."
    ).format(count=count)


def write(package: DataPackage, book, view: value_view.View | None = None) -> None:
    """The sheet, after the tables' sheets, and its columns in the sheet that explains fields."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    from .workbook_cells import column
    from .workbook_template import ESCAPE_LIKE, about_row

    sheet = book.create_sheet(sheet_name())
    header, *rows = expected(package, view)
    described = value_view.table(package)
    about, said = book.worksheets[0], bilingual()
    for index, fdef in enumerate(described.fields):
        cell = sheet.cell(1, index + 1, header[index])
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=VIEW_FILL)
        text = f"{fdef.get('title', fdef['name'])}\n\n{fdef.get('description', '')}\n\n{said}"
        cell.comment = Comment(text, "civic-space-mongolia")
        cell.comment.width, cell.comment.height = 320, 260
        sheet.column_dimensions[column(index)].width = 22
        about.append([sheet_name(), *about_row(described, column(index), fdef, None)[1:]])
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value:
                sheet.cell(r, c, ESCAPE_LIKE.sub(r"_x005F_\1", value)).data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.sheet_properties.tabColor = VIEW_FILL
    sheet.protection.sheet = True  # Excel and LibreOffice refuse an edit until unprotected


def holds_view(name: str, grid: list[list]) -> bool:
    """Whether a sheet is the view's: by its name, or (renamed) by its header."""
    header = next((row for row in grid if any(v not in (None, "") for v in row)), None)
    labels = {str(v).strip() for v in header or [] if v not in (None, "")}
    return name == sheet_name() or labels == set(value_view.names().values())


def rows_of(grid: list[list]) -> list[tuple[int, tuple]]:
    """(spreadsheet row, its cells as text without the empty ones at its end) of every row
    that holds something."""
    found = []
    for r, values in enumerate(grid, start=1):
        cells = ["" if v is None else v if isinstance(v, str) else str(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            found.append((r, tuple(cells)))
    return found


def edits(want: list[tuple], source: str, name: str, grid: list[list]) -> list[ImportProblem]:
    """What was changed in the view's sheet (`grid`) from the rows the package gives (`want`,
    header first): each row that is not one of them (the first guard.SHOWN), and the rows that
    are missing; none for a sheet as written, whatever the order of its rows."""
    found = rows_of(grid) or [(1, want[0])]  # an emptied sheet: its rows were deleted
    header, body = found[0], found[1:]
    if header[1] != want[0]:
        return [changed(source, name, header[0], header[1], header=True)]
    left = Counter(want[1:])
    added = []
    for r, row in body:
        if left[row] > 0:
            left[row] -= 1
        else:
            added.append((r, row))
    problems = [changed(source, name, r, row) for r, row in added[: guard.SHOWN]]
    if len(added) > guard.SHOWN:
        message = _("and {count:,} more rows like these").format(count=len(added) - guard.SHOWN)
        problems.append(ImportProblem(Place(source, name), message, fix(), "import-derived"))
    missing = sum(left.values())
    if missing and not added:  # rows deleted (a changed row is one missing and one added)
        message = _(
            "{count:,} rows of the view were deleted from the sheet; deleting them here deletes"
            " no value"
        ).format(count=missing)
        problems.append(ImportProblem(Place(source, name), message, fix(), "import-derived"))
    return problems


def changed(source: str, name: str, r: int, row: tuple, header: bool = False) -> ImportProblem:
    """A row of the sheet that is not the view's (the header, or a row of values)."""
    if header:
        message = _("the header was changed: it is {names}, not {want}").format(
            names=", ".join(visible(v) for v in row), want=", ".join(value_view.names().values())
        )
    else:
        shown = " / ".join(visible(v) for v in row[:4])
        message = _(
            "this row ({row}) was changed or added: the sheet shows the values the tables hold,"
            " and an edit here changes none of them"
        ).format(row=shown)
    return ImportProblem(Place(source, name, r), message, fix(), "import-derived")


def fix() -> str:
    return _(
        "make the change in the table's own sheet (a value) or in the {annotations} sheet (its"
        " basis); then undo the edits in this sheet, or delete the sheet, which the downloads"
        " make again"
    ).format(annotations=ANNOTATIONS.table)
