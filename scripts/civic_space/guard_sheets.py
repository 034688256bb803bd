"""The reach of a sheet in a workbook to import (see workbook_guard.py): every cell of an .xlsx
worksheet and every row and cell of an .ods, placed as python-calamine places them and checked
against the limits as they stream past, their text counted as the reader will expand it; the
formulas whose value was never saved, the error cells (#REF!, …) and the merged cells noted."""

from __future__ import annotations

import functools
import re

from . import workbook_guard as guard
from .guard_xml import Marks, Part, Text, local, number
from .workbook_cells import column
from .workbook_guard import too_far, too_much_text

KEPT = 64  # characters of a cell's value kept: enough for an index or an error code

CELL = re.compile(r"([A-Za-z]+)([0-9]+)")
FILLED = {"value-type", "value", "date-value", "time-value", "boolean-value", "string-value"}


def cell_name(row: int, col: int) -> str:
    return f"{column(min(col, 10**6))}{row + 1}"


@functools.lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """The 0-based index of a column's letters (A → 0, XFD → 16383); absurd ones, absurdly far."""
    index = 0
    for letter in letters[:5].upper():
        index = index * 26 + ord(letter) - 64
    return (index if len(letters) <= 5 else 26**5) - 1


def position(ref: str) -> tuple[int, int] | None:
    """The 0-based (row, column) of a cell reference such as XFD1048576 (None: not one)."""
    match = CELL.fullmatch(ref)
    return (number(match[2]) - 1, column_index(match[1])) if match else None


class Area:
    """The cells a sheet spans from A1, which the reader allocates: refused past MAX_CELLS."""

    def __init__(self, sheet: str) -> None:
        self.sheet, self.rows, self.columns = sheet, 0, 0

    def reach(self, row: int, col: int) -> None:
        """Cells up to (row, col), 0-based, are held."""
        if row >= guard.MAX_ROWS or col >= guard.MAX_COLUMNS:
            raise too_far(cell_name(row, col), self.sheet)
        self.rows, self.columns = max(self.rows, row + 1), max(self.columns, col + 1)
        if self.rows * self.columns > guard.MAX_CELLS:
            raise too_much_text(cells=True, sheet=self.sheet)


class XlsxSheet(Part):
    """An .xlsx worksheet: its declared size and the place of every cell, checked against the
    limits as they stream past (placed as python-calamine places them: a cell without r="…"
    follows the one before), and its text counted (a shared string as often as it is used);
    the formulas without a saved value, the error cells and the merged ranges noted."""

    def __init__(self, sheet: str, text: Text) -> None:
        super().__init__()
        self.sheet, self.text, self.area = sheet, text, Area(sheet)
        self.noted = self.marks[sheet] = Marks()
        self.row = self.col = 0  # 0-based, where the next cell without r="…" is
        self.data = False  # inside <sheetData>
        self.cell: dict | None = None  # the open cell: its row, type, and f, v, is as met
        self.depth = 0  # elements open inside it (text is listened to in <v> and <is> only)

    def start(self, name: str, attrs: dict) -> None:
        tag = name.rpartition(":")[2]
        if self.cell is not None:
            self.depth += 1
            if self.depth == 1 and tag in ("f", "v", "is"):
                self.cell.setdefault(tag, "")
                if tag in ("v", "is"):
                    self.parser.CharacterDataHandler = self.value if tag == "v" else self.inline
        elif tag == "c" and self.data:
            found = position(attrs.get("r", ""))
            row, self.col = found or (self.row, self.col)
            self.area.reach(row, self.col)
            self.cell = {"row": row, "type": attrs.get("t"), "length": 0}
        elif tag == "row" and self.data:
            self.row = number(attrs.get("r"), self.row + 1) - 1
        elif tag == "dimension":
            for ref in attrs.get("ref", "").split(":"):
                self.area.reach(*(position(ref) or (0, 0)))
        elif tag == "sheetData":
            self.data = True
        elif tag == "mergeCell":
            self.merge(attrs.get("ref", ""))

    def value(self, data: str) -> None:
        self.cell["v"] += data[: KEPT - len(self.cell["v"])]
        self.cell["length"] += len(data)

    def inline(self, data: str) -> None:
        self.text.spend(len(data), self.sheet)

    def merge(self, ref: str) -> None:
        corners = [position(r) for r in ref.split(":")]
        if len(corners) == 2 and None not in corners and corners[0] != corners[1]:
            self.noted.note("merged", tuple(corners))

    def end(self, name: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.depth == 0:
                self.parser.CharacterDataHandler = None
        elif self.cell is not None:  # </c>
            cell, self.cell = self.cell, None
            self.closed(cell)
            self.col += 1
        elif self.data and name.rpartition(":")[2] == "row":
            self.row, self.col = self.row + 1, 0
        elif name.rpartition(":")[2] == "sheetData":
            self.data = False

    def closed(self, cell: dict) -> None:
        """A cell read to its end: its text counted as the reader expands it, and noted if it
        holds an error or a formula without a saved value."""
        kind, value = cell["type"], cell.get("v")
        if kind == "s" and value is not None:
            index = number(value.strip(), -1)
            strings = self.text.strings
            self.text.spend(strings[index] if 0 <= index < len(strings) else 0, self.sheet)
        else:
            self.text.spend(cell["length"], self.sheet)
        if kind == "e":
            self.noted.note("errors", (cell["row"] + 1, self.col, value or ""))
        saved = value or "is" in cell or (value is not None and kind == "str")
        if "f" in cell and not saved:
            self.noted.note("unsaved", (cell["row"] + 1, self.col))


class OdsContent(Part):
    """The sheets of an .ods (content.xml), with their repeats counted as python-calamine
    expands them: a repeated cell or row with something in it is stored that many times, and
    so are empty ones before it; the empty repeat LibreOffice writes at the end is not. Text
    is counted as often as it is repeated; errors, merged cells and unsaved formulas noted."""

    def __init__(self, _label: str, text: Text) -> None:
        super().__init__()
        self.text = text
        self.sheet: str | None = None
        self.area = Area("")
        self.row = self.col = 0  # 0-based, where the current row and cell start
        self.rows = 1  # the current row's repeat
        self.reached = 0  # the columns the current row fills, repeats included
        self.cell: dict | None = None
        self.depth = 0

    def start(self, name: str, attrs: dict) -> None:
        if self.cell is not None:
            self.depth += 1
            self.cell["filled"] = True  # text, or anything else, inside the cell
            return
        name = local(name)
        if name == "table" and self.sheet is None:
            self.sheet, self.row = attrs.get("table:name", ""), 0
            self.area = Area(self.sheet)
            self.marks.setdefault(self.sheet, Marks())
        elif self.sheet is not None and name == "table-row":
            self.rows = number(attrs.get("table:number-rows-repeated"))
            self.col = self.reached = 0
        elif self.sheet is not None and name in ("table-cell", "covered-table-cell"):
            self.open_cell(attrs)

    def open_cell(self, attrs: dict) -> None:
        names = {local(k): v for k, v in attrs.items()}
        self.cell = {
            "repeat": number(names.get("number-columns-repeated")),
            "filled": bool(names.keys() & FILLED) or "formula" in names,
            "unsaved": "formula" in names and "value-type" not in names,
            "error": any(local(k) == "value-type" and v == "error" for k, v in attrs.items()),
            "code": "",
        }
        spans = (
            number(names.get("number-rows-spanned")),
            number(names.get("number-columns-spanned")),
        )
        if spans != (1, 1):
            corner = (self.row, self.col)
            self.marks[self.sheet].note(
                "merged", (corner, (self.row + spans[0] - 1, self.col + spans[1] - 1))
            )
        copies = self.cell["repeat"] * self.rows
        values = sum(len(v) for k, v in names.items() if k in FILLED)  # the cell's value
        self.text.spend(values * copies, self.sheet)
        self.parser.CharacterDataHandler = self.content

    def content(self, data: str) -> None:
        cell = self.cell
        if cell is not None:
            cell["code"] += data[: KEPT - len(cell["code"])]
            self.text.spend(len(data) * cell["repeat"] * self.rows, self.sheet)

    def end(self, name: str) -> None:
        if self.cell is not None:
            if self.depth:
                self.depth -= 1
                return
            self.parser.CharacterDataHandler = None
            self.close_cell(self.cell)
            return
        name = local(name)
        if self.sheet is not None and name == "table-row":
            if self.reached:
                self.area.reach(self.row + self.rows - 1, self.reached - 1)
            self.row += self.rows
        elif name == "table":
            self.sheet = None

    def close_cell(self, cell: dict) -> None:
        self.cell = None
        noted = self.marks[self.sheet]
        if cell["filled"]:
            self.reached = self.col + cell["repeat"]
            self.area.reach(self.row, self.reached - 1)
        if cell["unsaved"]:
            noted.note("unsaved", (self.row + 1, self.col))
        if cell["error"]:
            noted.note("errors", (self.row + 1, self.col, cell["code"]))
        self.col += cell["repeat"]
