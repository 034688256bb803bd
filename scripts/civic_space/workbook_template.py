"""The template: a workbook built from the schemas for people who edit in Excel or LibreOffice,
with one sheet per table (pre-filled with the current rows), a sheet that explains each field,
drop-downs for enums and foreign keys, and checks on typed columns.

It is written with openpyxl, the one well-kept library that writes .xlsx with data validation
and cell comments.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import value_view, workbook_view
from .descriptor import DataPackage, PackageError, Table
from .files import MAX_CELL_CHARS
from .formatting import read_rows
from .workbook_cells import column, written

ABOUT = "About the fields"
LISTS = "lists"  # a hidden sheet holding the values of the drop-down lists
RESERVED_SHEETS = (ABOUT, LISTS)  # the workbook's sheets that are no table: no table is named so
SHEET_NAME_LIMIT = 31  # the longest sheet name Excel opens (a table's name names its sheet)
MAX_ROWS = 5000  # rows below the data that drop-downs and checks cover in the template
SHEET_ROWS = 1_048_576  # the most rows an Excel or LibreOffice sheet has, header included
# What an .xlsx cannot hold as it is: control characters, and CR (XML reads it back as LF).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]")
# Text that looks like an .xlsx escape (_x000D_) is itself escaped, or readers would decode it.
ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
HEADER_FILL = "DDEBF7"
REQUIRED_FILL = "FCE4D6"


def template(
    package: DataPackage, out: Path, prefill: bool = True, view: value_view.View | None = None
) -> Path:
    """Write the workbook: one sheet per table (pre-filled with the current rows), a sheet that
    explains each field, drop-downs for enums and foreign keys, checks on typed columns; when
    pre-filled, the per-value view of those rows as a read-only sheet (workbook_view.py)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    about = book.active
    about.title = ABOUT
    about.append(["Sheet", "Column", "Field", "Title", "Type", "Required", "Allowed", "Meaning"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    lists = Lists(book.create_sheet(LISTS))
    for table in package.tables:
        sheet = book.create_sheet(table.name)
        write_table(package, table, sheet, table_rows(table, prefill), lists, about)
    if prefill:  # the view of the rows written: an empty template has none
        workbook_view.write(package, book, view)
    for row in about.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["H"].width = 90
    book.save(out)
    return out


class Lists:
    """The hidden sheet holding the values of the drop-down lists, one column per field."""

    def __init__(self, sheet) -> None:
        self.sheet, self.used = sheet, 0
        sheet.sheet_state = "hidden"

    def add(self, title: str, values: list[str]) -> str:
        """Write the values into the next column; the range a drop-down takes them from."""
        self.sheet.cell(1, self.used + 1, title)
        for n, value in enumerate(values, start=2):
            self.sheet.cell(n, self.used + 1, value).data_type = "s"
        target = column(self.used)
        self.used += 1
        return f"{LISTS}!${target}$2:${target}${max(len(values), 1) + 1}"


def table_rows(table: Table, prefill: bool) -> list[list[str]]:
    """The rows a table's sheet is pre-filled with (none unless `prefill`)."""
    _header, rows = read_rows(table) if prefill else (table.field_names, [])
    if len(rows) >= SHEET_ROWS:
        raise PackageError(
            table.path,
            f"has {len(rows):,} rows, more than a spreadsheet sheet holds ({SHEET_ROWS - 1:,})",
            "edit this table as CSV, or write the template with --empty to add rows",
        )
    return rows


def write_table(package: DataPackage, table: Table, sheet, rows, lists: Lists, about) -> None:
    """A table's sheet: a header cell, a drop-down or check, and a line of the sheet that
    explains the fields for each field; then the rows."""
    last = len(rows) + MAX_ROWS + 1
    for index, fdef in enumerate(table.fields):
        letter = column(index)
        write_header(sheet, index, fdef)
        values = choices(package, table, fdef)
        rules = validation(table, fdef, values, lists)
        if rules is not None:
            rules.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(rules)
        about.append(about_row(table, letter, fdef, values))
    write_rows(sheet, table, rows)
    sheet.freeze_panes = "A2"


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


def write_header(sheet, index: int, fdef: dict) -> None:
    """A field's header cell, with its title and description as a comment; its column's width."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    name = fdef["name"]
    required = fdef.get("constraints", {}).get("required", False)
    cell = sheet.cell(1, index + 1, name)
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if required else HEADER_FILL)
    note = f"{fdef.get('title', name)}{' (required)' if required else ''}\n\n"
    cell.comment = Comment(note + fdef.get("description", ""), "civic-space-mongolia")
    cell.comment.width, cell.comment.height = 320, 200
    sheet.column_dimensions[column(index)].width = 14 if fdef.get("type") == "date" else 22


def validation(table: Table, fdef: dict, values: list[str] | None, lists: Lists):
    """The drop-down (its values written to the lists sheet) or the check of a typed column
    that a field's cells get; None for a field with neither."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if values is not None:
        source = lists.add(f"{table.name}.{fdef['name']}", values)
        rules = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
        rules.error = f"Choose a value from the list (see the sheet {ABOUT!r})."
    elif fdef.get("type") == "date":
        rules = DataValidation(type="date", operator="greaterThan", formula1="DATE(1900,1,1)")
        rules.error = "Enter a date (it is stored as YYYY-MM-DD)."
    elif fdef.get("type") in ("integer", "year"):
        rules = DataValidation(type="whole", operator="between")
        rules.formula1, rules.formula2 = "-1000000000", "1000000000"
        rules.error = "Enter a whole number."
    elif fdef.get("type") == "number":
        rules = DataValidation(type="decimal", operator="between")
        rules.formula1, rules.formula2 = "-1000000000", "1000000000"
        rules.error = "Enter a number."
    else:
        return None
    rules.showErrorMessage = True
    rules.errorTitle = fdef.get("title", fdef["name"])
    return rules


def about_row(table: Table, letter: str, fdef: dict, values: list[str] | None) -> list[str]:
    """A field's line in the sheet that explains the fields."""
    required = fdef.get("constraints", {}).get("required", False)
    allowed = ", ".join(values) if values and len(values) <= 20 else ""
    return [
        table.name,
        letter,
        fdef["name"],
        fdef.get("title", ""),
        fdef.get("type", "string"),
        "yes" if required else "no",
        allowed or ("keys of the referenced table" if values else ""),
        fdef.get("description", ""),
    ]


def write_rows(sheet, table: Table, rows: list[list[str]]) -> None:
    """The rows, from row 2, each value as the cell that reads back as the same text."""
    for r, row in enumerate(rows, start=2):
        for index, (value, fdef) in enumerate(zip(row, table.fields, strict=False)):
            if ILLEGAL.search(value):
                raise PackageError(
                    table.path,
                    f"{fdef['name']}: holds a control character that spreadsheets cannot store",
                    "run nox -s validate, mend what it reports, and write the template again",
                    line=r,
                )
            if len(value) > MAX_CELL_CHARS:  # openpyxl would cut it, and say nothing
                raise PackageError(
                    table.path,
                    f"{fdef['name']}: holds {len(value):,} characters, more than a spreadsheet"
                    f" cell holds ({MAX_CELL_CHARS:,})",
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
