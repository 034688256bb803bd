"""One sheet (or CSV) of a filled workbook, read as a table: which table it holds, its header
checked against the table's fields, and its rows as CSV text, each cell read exactly or
reported where it stands."""

from __future__ import annotations

from . import workbook_guard as guard
from .descriptor import DataPackage, Table
from .i18n import _
from .messages import visible
from .workbook_cells import cell_text, column, unreadable
from .workbook_model import ImportProblem, Place, Sheet

EMPTY = (None, "")  # what an empty cell reads as


def filled(values) -> bool:
    return any(v not in EMPTY for v in values)


def header_row(grid: list[list]) -> int | None:
    """The index of a sheet's first row with anything in it: its header (None: it is empty)."""
    return next((i for i, row in enumerate(grid) if filled(row)), None)


def match_table(package: DataPackage, name: str, grid: list[list]) -> Table | None:
    """The table a sheet holds: by its name, or else (a renamed sheet) by its header."""
    by_name = {t.name: t for t in package.tables}
    if name in by_name:
        return by_name[name]
    first = header_row(grid)
    labels = {str(v).strip() for v in grid[first] if v not in EMPTY} if first is not None else set()
    found = [t for t in package.tables if labels == set(t.field_names)]
    return found[0] if len(found) == 1 else None


def read_table(table: Table, source: str, name: str | None, grid: list[list], merged=()):
    """One sheet (rows of values) as a Sheet, with the problems found reading it."""
    sheet, problems = Sheet(table, source, name), []
    first = header_row(grid)
    if first is None:
        problems.append(
            ImportProblem(
                Place(source, name),
                _("the sheet is empty"),
                _("give it the header row"),
                "import-empty",
            )
        )
        return sheet, problems
    problems.extend(merged_header(source, name, first, merged))
    header = [("" if v is None else str(v)).strip() for v in grid[first]]
    while header and header[-1] == "":
        header.pop()
    problems.extend(header_problems(table, Place(source, name, first + 1), header))
    if problems:  # without a sound header, no cell can be placed in its field
        return sheet, problems
    # A merge below the header spoils its own cells only: the other rows are read, so that
    # the tables that refer to this one are not judged against an empty table.
    problems.extend(merged_body(sheet, first, merged))
    return sheet, problems + read_body(sheet, grid, first, header)


def merged_header(source: str, name: str | None, first: int, merged) -> list[ImportProblem]:
    """The merged cells that span the header row (row index `first`)."""
    problems = []
    for (r0, c0), (r1, c1) in merged:
        if r0 <= first <= r1 and c1 > c0:
            span = f"{column(c0)}{first + 1}:{column(c1)}{first + 1}"
            problems.append(
                ImportProblem(
                    Place(source, name, first + 1),
                    _("header cells {cells} are merged").format(cells=span),
                    _("unmerge them, so that each column has its field name"),
                    "import-merged-header",
                )
            )
    return problems


def merged_body(sheet: Sheet, first: int, merged) -> list[ImportProblem]:
    """The merged cells below the header (row index `first`): the reader sees the value in the
    first cell only, and the others as empty. Each range is one problem, at its first cell; the
    other cells are noted as covered, not to be reported as empty too."""
    problems = []
    for (r0, c0), (r1, c1) in merged:
        if r1 <= first:
            continue
        r0 = max(r0, first + 1)
        span = f"{column(c0)}{r0 + 1}:{column(c1)}{r1 + 1}"
        sheet.covered.update(
            (r + 1, column(c)) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
        )
        problems.append(
            ImportProblem(
                Place(sheet.source, sheet.name, r0 + 1, column(c0)),
                _("cells {cells} are merged").format(cells=span),
                _("unmerge them and fill each cell"),
                "import-merged",
            )
        )
    return problems


def header_problems(table: Table, at: Place, header: list[str]) -> list[ImportProblem]:
    """What is wrong with a header (at the place of its row): a label that is no field of the
    table, a column twice, fields it lacks."""
    separated = wrong_separator(table, at, header)
    if separated:
        return [separated]  # every label would be "not a field": the separator says why
    problems = []
    known = set(table.field_names)
    for index, label in enumerate(header):
        if label and label not in known:
            problems.append(
                ImportProblem(
                    Place(at.source, at.sheet, at.row, column(index)),
                    _("“{label}” is not a field of the {table} table").format(
                        label=visible(label), table=table.name
                    ),
                    _("use the field names of the template: {names}").format(
                        names=", ".join(table.field_names)
                    ),
                    "import-header",
                )
            )
        elif label and header.index(label) != index:
            problems.append(
                ImportProblem(
                    Place(at.source, at.sheet, at.row, column(index)),
                    _("the column {label} appears twice").format(label=visible(label)),
                    _("delete one of the two columns"),
                    "import-header",
                )
            )
    missing = [n for n in table.field_names if n not in header]
    if missing:
        problems.append(
            ImportProblem(
                at,
                _("the header lacks {names}").format(names=", ".join(missing)),
                _("add those columns (empty if need be) or start again from the template"),
                "import-header",
            )
        )
    return problems


SEPARATORS = ";\t|"  # what a spreadsheet program may write between fields instead of a comma


def wrong_separator(table: Table, at: Place, header: list[str]) -> ImportProblem | None:
    """A header whose field names are joined by another separator than a comma (a CSV saved
    with semicolons, as Excel does where a comma is the decimal mark): one problem saying so."""
    known = set(table.field_names)
    for separator in SEPARATORS:
        # Field names found inside the labels that hold the separator: a tab typed into one
        # label (an invisible character, said by name elsewhere) joins no two names.
        split = [
            p.strip() for label in header if separator in label for p in label.split(separator)
        ]
        if len(known.intersection(split)) > 1:
            shown = _("tabs") if separator == "\t" else f"“{separator}”"
            if at.sheet is None:
                fix = _(
                    "save the file again as CSV with commas (in Excel: CSV UTF-8 (Comma "
                    "delimited); in LibreOffice: Field delimiter “,”)"
                )
            else:
                fix = _(
                    "split the column into one column per field (Data ▸ Text to Columns, "
                    "separated by {separator}), or start again from the template"
                ).format(separator=shown)
            message = _("the fields are separated by {separator}, not by commas")
            return ImportProblem(at, message.format(separator=shown), fix, "import-header")
    return None


def read_body(sheet: Sheet, grid: list[list], first: int, header: list[str]):
    """The rows below a sound header (row index `first`) into `sheet`; the problems found (the
    first guard.SHOWN, and how many more: a sheet may be wrong in every cell)."""
    problems = Capped()
    table, source, name = sheet.table, sheet.source, sheet.name
    at = {label: header.index(label) for label in table.field_names}
    sheet.letters = {label: column(i) for label, i in at.items()}
    for r, values in enumerate(grid[first + 1 :], start=first + 2):
        extra = [i for i, v in enumerate(values) if i >= len(header) and v not in EMPTY]
        cells = [values[at[n]] if at[n] < len(values) else None for n in table.field_names]
        if not filled(cells) and not extra:
            continue  # an empty row (spreadsheets keep trailing ones): nothing to keep
        for i in extra:
            problems.append(
                ImportProblem(
                    Place(source, name, r, column(i)),
                    _("holds a value in a column without a field name"),
                    _("move it into the right column or delete it"),
                    "import-extra-cell",
                )
            )
        row = []
        for label, value, fdef in zip(table.field_names, cells, table.fields, strict=True):
            text, wrong = cell_text(value, fdef)
            place = Place(source, name, r, sheet.letters[label])
            if wrong:
                message, fix = unreadable(wrong, text, fdef.get("type", "string"))
                problems.append(ImportProblem(place, message, fix, "import-cell", label))
            elif "\r" in text:
                problems.append(carriage_return(place, label))
                text = text.replace("\r\n", "\n").replace("\r", "\n")  # reported once
            if text != text.strip():  # spaces a spreadsheet keeps unseen
                text = text.strip()
                sheet.trimmed += 1
            row.append(text)
        sheet.rows.append(row)
        sheet.places.append(r)
    if problems.more:
        message = _("and {count:,} more problems in this sheet").format(count=problems.more)
        fix = _("fix those above first, then import again")
        problems.kept.append(ImportProblem(Place(source, name), message, fix, "import-cell"))
    return problems.kept


class Capped:
    """A list of problems that keeps the first guard.SHOWN and counts the rest."""

    def __init__(self) -> None:
        self.kept: list[ImportProblem] = []
        self.more = 0

    def append(self, problem: ImportProblem) -> None:
        if len(self.kept) < guard.SHOWN:
            self.kept.append(problem)
        else:
            self.more += 1


def carriage_return(place: Place, label: str) -> ImportProblem:
    """A line break inside a cell written as CR LF (or CR): the data keep line breaks inside a
    cell as LF only, and `format` never changes a value, so the cell itself must change."""
    return ImportProblem(
        place,
        _(
            "the cell holds a Windows line break (CR LF, often pasted from another program); "
            "a line break inside a cell must be a plain one"
        ),
        _(
            "in the cell, delete each line break and press Alt+Enter (Option+Enter on a Mac) "
            "where the line should break, or write the text on one line"
        ),
        "import-cell",
        label,
    )
