"""Spreadsheet round-trip: a workbook built from the schemas for people who edit in Excel or
LibreOffice, and the import of a filled workbook (.xlsx, .ods) or of per-table CSVs back into
the canonical CSVs, through the same validation as `nox -s validate`.

The template is written with openpyxl (the one well-kept library that writes .xlsx with data
validation and cell comments); workbooks are read with python-calamine, which reads .xlsx and
.ods alike and gives dates as dates. Import never guesses: a cell it cannot read exactly is an
error located by sheet, row and column, and nothing is written unless the result is valid (or a
draft is asked for). A file is checked before it is read (workbook_guard.py): what the reader
cannot take safely, such as a cell at XFD1048576, a DTD or a CSV not in UTF-8, is refused as a
problem of that file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .descriptor import DataPackage, PackageError, Table
from .formatting import read_rows
from .i18n import _

ABOUT = "About the fields"
LISTS = "lists"  # a hidden sheet holding the values of the drop-down lists
MAX_ROWS = 5000  # rows below the data that drop-downs and checks cover in the template
SHEET_ROWS = 1_048_576  # the most rows an Excel or LibreOffice sheet has, header included
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What an .xlsx cannot hold as it is: control characters, and CR (XML reads it back as LF).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]")
# Text that looks like an .xlsx escape (_x000D_) is itself escaped, or readers would decode it.
ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
HEADER_FILL = "DDEBF7"
REQUIRED_FILL = "FCE4D6"


# ---- the template --------------------------------------------------------------------------


def column(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def choices(package: DataPackage, table: Table, fdef: dict) -> list[str] | None:
    """The values a drop-down offers: an enum, true/false, or the keys of a referenced table."""
    reference = table.reference(fdef["name"])
    if reference:
        header, rows = read_rows(package.table(reference[0]))
        at = header.index(reference[1])
        return sorted({r[at] for r in rows if len(r) > at}, key=str)
    if "enum" in fdef.get("constraints", {}):
        return [str(v) for v in fdef["constraints"]["enum"]]
    if fdef.get("type") == "boolean":
        return ["true", "false"]
    return None


def written(value: str, fdef: dict):
    """A CSV value as the spreadsheet cell that reads back as exactly the same text."""
    kind = fdef.get("type", "string")
    if value and kind == "date" and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if value and kind in ("integer", "year") and re.fullmatch(r"-?(0|[1-9]\d{0,14})", value):
        return int(value)
    if value and kind == "number":
        try:
            number = float(value)
        except ValueError:
            return value
        if number_text(number) == value:
            return number
    return value


def template(package: DataPackage, out: Path, prefill: bool = True) -> Path:
    """Write the workbook: one sheet per table (pre-filled with the current rows), a sheet that
    explains each field, drop-downs for enums and foreign keys, checks on typed columns."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    about = book.active
    about.title = ABOUT
    about.append(["Sheet", "Column", "Field", "Title", "Type", "Required", "Allowed", "Meaning"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_column = 0
    for table in package.tables:
        sheet = book.create_sheet(table.name)
        _header, rows = read_rows(table) if prefill else (table.field_names, [])
        if len(rows) >= SHEET_ROWS:
            raise PackageError(
                table.path,
                f"has {len(rows):,} rows, more than a spreadsheet sheet holds ({SHEET_ROWS - 1:,})",
                "edit this table as CSV, or write the template with --empty to add rows",
            )
        last = len(rows) + MAX_ROWS + 1
        for index, fdef in enumerate(table.fields):
            letter, name = column(index), fdef["name"]
            required = fdef.get("constraints", {}).get("required", False)
            cell = sheet.cell(1, index + 1, name)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if required else HEADER_FILL)
            note = f"{fdef.get('title', name)}{' (required)' if required else ''}\n\n"
            cell.comment = Comment(note + fdef.get("description", ""), "civic-space-mongolia")
            cell.comment.width, cell.comment.height = 320, 200
            sheet.column_dimensions[letter].width = 14 if fdef.get("type") == "date" else 22
            values = choices(package, table, fdef)
            rules = None
            if values is not None:
                lists.cell(1, list_column + 1, f"{table.name}.{name}")
                for n, value in enumerate(values, start=2):
                    lists.cell(n, list_column + 1, value).data_type = "s"
                target = column(list_column)
                source = f"{LISTS}!${target}$2:${target}${max(len(values), 1) + 1}"
                rules = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
                rules.error = f"Choose a value from the list (see the sheet {ABOUT!r})."
                list_column += 1
            elif fdef.get("type") == "date":
                rules = DataValidation(
                    type="date", operator="greaterThan", formula1="DATE(1900,1,1)"
                )
                rules.error = "Enter a date (it is stored as YYYY-MM-DD)."
            elif fdef.get("type") in ("integer", "year"):
                rules = DataValidation(type="whole", operator="between")
                rules.formula1, rules.formula2 = "-1000000000", "1000000000"
                rules.error = "Enter a whole number."
            elif fdef.get("type") == "number":
                rules = DataValidation(type="decimal", operator="between")
                rules.formula1, rules.formula2 = "-1000000000", "1000000000"
                rules.error = "Enter a number."
            if rules is not None:
                rules.showErrorMessage = True
                rules.errorTitle = fdef.get("title", name)
                rules.add(f"{letter}2:{letter}{last}")
                sheet.add_data_validation(rules)
            allowed = ", ".join(values) if values and len(values) <= 20 else ""
            about.append(
                [
                    table.name,
                    letter,
                    name,
                    fdef.get("title", ""),
                    fdef.get("type", "string"),
                    "yes" if required else "no",
                    allowed or ("keys of the referenced table" if values else ""),
                    fdef.get("description", ""),
                ]
            )
        for r, row in enumerate(rows, start=2):
            for index, (value, fdef) in enumerate(zip(row, table.fields, strict=False)):
                if ILLEGAL.search(value):
                    raise PackageError(
                        table.path,
                        f"{fdef['name']}: holds a control character that spreadsheets cannot store",
                        "run nox -s validate, mend what it reports, and write the template again",
                        line=r,
                    )
                value = written(value, fdef)
                if isinstance(value, str):
                    value = ESCAPE_LIKE.sub(r"_x005F_\1", value)
                cell = sheet.cell(r, index + 1, value)
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: "=1+1" is never a formula
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    for row in about.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["H"].width = 90
    book.save(out)
    return out


# ---- reading a filled workbook -------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a value came from: a file, a sheet, a row and a column as the spreadsheet shows."""

    source: str
    sheet: str | None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.sheet is not None:
            where += _(": sheet {sheet}").format(sheet=repr(self.sheet))
        if self.row is not None:
            where += _(", row {row}").format(row=self.row)
        if self.column is not None:
            where += _(", column {column}").format(column=self.column)
        return where


@dataclass(frozen=True)
class ImportProblem:
    place: Place
    message: str
    fix: str
    code: str
    field: str | None = None

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.place}:{field} {self.message} — {self.fix} [{self.code}]"


@dataclass
class Sheet:
    """One table as read from a spreadsheet: its rows as CSV text, and where each came from."""

    table: Table
    source: str
    name: str | None
    rows: list[list[str]] = field(default_factory=list)
    places: list[int] = field(default_factory=list)  # the spreadsheet row of each row
    letters: dict[str, str] = field(default_factory=dict)  # field name → column letter
    trimmed: int = 0


def number_text(value: float) -> str:
    """A number as the shortest text that reads back as the same number (5.0 → "5")."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def cell_text(value, fdef: dict) -> tuple[str, str | None]:
    """A spreadsheet value as CSV text, and None, or the raw text and a code saying why it
    cannot be read (see `unreadable`)."""
    kind = fdef.get("type", "string")
    if value is None or value == "":
        return "", None
    if isinstance(value, bool):
        if kind != "boolean":
            return str(value), "boolean"
        return ("true" if value else "false"), None
    if isinstance(value, dt.datetime):
        if kind == "date" and value.time() == dt.time(0):
            return value.date().isoformat(), None
        return value.isoformat(), "datetime"
    if isinstance(value, dt.date):
        if kind == "date":
            return value.isoformat(), None
        return value.isoformat(), "date"
    if isinstance(value, dt.time | dt.timedelta):
        return str(value), "time"
    if isinstance(value, int | float):
        if kind in ("integer", "year"):
            if float(value).is_integer():
                return str(int(value)), None
            return number_text(float(value)), "not-whole"
        if kind == "number":
            return number_text(float(value)), None
        if kind == "string":
            return number_text(float(value)), None  # a code typed as a number: its digits
        return number_text(float(value)), "number"
    text = str(value)
    if kind == "date" and text.strip() and not ISO_DATE.fullmatch(text.strip()):
        return text, "not-a-date"
    return text, None


def unreadable(code: str, value: str, kind: str) -> tuple[str, str]:
    """What is wrong with a cell `cell_text` could not read, and how to fix it."""
    retype = _("format the column as Text, retype the value, and import again")
    if code == "not-a-date":
        return (
            _("“{value}” is not a date").format(value=value),
            _("type the date as a spreadsheet date, or as text YYYY-MM-DD"),
        )
    if code == "not-whole":
        return _("“{value}” is not a whole number").format(value=value), _("type a whole number")
    if code == "number":
        message = _("“{value}” is a number where a {type} is expected")
        return message.format(value=value, type=kind), retype
    if code == "boolean":
        return _("“{value}” is a true/false value where text is expected").format(
            value=value
        ), retype
    if code == "datetime":
        message = _("“{value}” is a date and time; the spreadsheet turned the text into one")
        return message.format(value=value), retype
    if code == "time":
        message = _("“{value}” is a time; the spreadsheet turned the text into one")
        return message.format(value=value), retype
    message = _("“{value}” is a date; the spreadsheet turned the text into one")
    return message.format(value=value), retype


CELL_LEVEL = {"import-cell", "import-extra-cell"}  # problems that leave the rest readable
EMPTY = (None, "")  # what an empty cell reads as


def filled(values) -> bool:
    return any(v not in EMPTY for v in values)


def header_row(grid: list[list]) -> int | None:
    """The index of a sheet's first row with anything in it: its header (None: it is empty)."""
    return next((i for i, row in enumerate(grid) if filled(row)), None)


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
    header = [("" if v is None else str(v)).strip() for v in grid[first]]
    while header and header[-1] == "":
        header.pop()
    known = set(table.field_names)
    for index, label in enumerate(header):
        if label and label not in known:
            problems.append(
                ImportProblem(
                    Place(source, name, first + 1, column(index)),
                    _("“{label}” is not a field of the {table} table").format(
                        label=label, table=table.name
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
                    Place(source, name, first + 1, column(index)),
                    _("the column {label} appears twice").format(label=label),
                    _("delete one of the two columns"),
                    "import-header",
                )
            )
    missing = [n for n in table.field_names if n not in header]
    if missing:
        problems.append(
            ImportProblem(
                Place(source, name, first + 1),
                _("the header lacks {names}").format(names=", ".join(missing)),
                _("add those columns (empty if need be) or start again from the template"),
                "import-header",
            )
        )
    if problems:
        return sheet, problems
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
            if wrong:
                message, fix = unreadable(wrong, text, fdef.get("type", "string"))
                place = Place(source, name, r, sheet.letters[label])
                problems.append(ImportProblem(place, message, fix, "import-cell", label))
            if text != text.strip():  # spaces a spreadsheet keeps unseen
                text = text.strip()
                sheet.trimmed += 1
            row.append(text)
        sheet.rows.append(row)
        sheet.places.append(r)
    return sheet, problems


def match_table(package: DataPackage, name: str, grid: list[list]) -> Table | None:
    """The table a sheet holds: by its name, or else (a renamed sheet) by its header."""
    by_name = {t.name: t for t in package.tables}
    if name in by_name:
        return by_name[name]
    first = header_row(grid)
    labels = {str(v).strip() for v in grid[first] if v not in EMPTY} if first is not None else set()
    found = [t for t in package.tables if labels == set(t.field_names)]
    return found[0] if len(found) == 1 else None


def read_sources(package: DataPackage, paths: list[Path]):
    """Every table found in the files: {table name: Sheet}, and the problems."""
    sheets: dict[str, Sheet] = {}
    problems: list[ImportProblem] = []

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

    for path in paths:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            read_csv_file(package, path, add, problems)
        elif suffix in (".xlsx", ".xlsm", ".ods"):
            read_workbook(package, path, add, problems)
        else:
            problems.append(
                ImportProblem(
                    Place(path.name, None),
                    _("is not a workbook or CSV file"),
                    _("give an .xlsx, .ods or .csv file"),
                    "import-file",
                )
            )
    return sheets, problems


def unknown_table(source: str, sheet: str | None) -> ImportProblem:
    """A CSV file (sheet None) or a sheet that holds none of the tables."""
    if sheet is None:
        message = _("is not one of the tables")
        fix = _("name the file after its table (events.csv, …)")
    else:
        message = _("is not one of the tables, and its header matches none")
        fix = _("name the sheet after its table, or delete the sheet")
    return ImportProblem(Place(source, sheet), message, fix, "import-unknown-table")


def read_csv_file(package: DataPackage, path: Path, add, problems: list) -> None:
    """One table from a CSV file, read by `read_csv` (refused if it is not UTF-8 text, …)."""
    from .workbook_guard import Refused, read_csv

    try:
        grid = read_csv(path)
    except Refused as refusal:
        place = Place(path.name, None)
        problems.append(ImportProblem(place, refusal.message, refusal.fix, "import-file"))
        return
    table = match_table(package, path.stem, grid)
    if table is None:
        problems.append(unknown_table(path.name, None))
        return
    add(*read_table(table, path.name, None, grid))


def read_workbook(package: DataPackage, path: Path, add, problems: list) -> None:
    """The tables of a workbook: first checked by `inspect_workbook` (what python-calamine
    must not open is refused), then read sheet by sheet."""
    from python_calamine import CalamineWorkbook

    from .workbook_guard import Refused, inspect_workbook, reason

    try:
        unsaved = inspect_workbook(path)
    except Refused as refusal:
        place = Place(path.name, refusal.sheet)
        problems.append(ImportProblem(place, refusal.message, refusal.fix, "import-file"))
        return
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
    except Exception as exc:  # the reader's errors name no common class
        problems.append(unreadable_file(path.name, None, reason(exc)))
        return
    for name in names:
        if name in (ABOUT, LISTS):
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except Exception as exc:  # whatever the reader meets in a sheet is the file's problem
            problems.append(unreadable_file(path.name, name, reason(exc)))
            continue
        table = match_table(package, name, grid)
        if table is None:
            if header_row(grid) is None:
                continue  # an empty sheet someone added: nothing to lose
            problems.append(unknown_table(path.name, name))
            continue
        read, found = read_table(table, path.name, name, grid, merged)
        add(read, found + unsaved_formulas(read, unsaved.get(name, [])))


def unreadable_file(source: str, sheet: str | None, why: str) -> ImportProblem:
    return ImportProblem(
        Place(source, sheet),
        _("cannot be read ({reason})").format(reason=why),
        _("save it again as .xlsx or .ods"),
        "import-file",
    )


def unsaved_formulas(sheet: Sheet, cells: list[tuple[int, int]]) -> list[ImportProblem]:
    """The cells holding a formula whose value the workbook never stored: the reader would
    take them for empty cells. Each stops the import, like any cell that cannot be read."""
    labels = {letter: label for label, letter in sheet.letters.items()}
    return [
        ImportProblem(
            Place(sheet.source, sheet.name, row, column(index)),
            _("the cell holds a formula with no saved value"),
            _(
                "type the value itself, or open and save the workbook in Excel or LibreOffice "
                "so that the value is stored"
            ),
            "import-cell",
            labels.get(column(index)),
        )
        for row, index in sorted(cells)
    ]
