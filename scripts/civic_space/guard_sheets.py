"""The reach of a sheet in a workbook to import (see workbook_guard.py): every cell of an .xlsx
worksheet and every row and cell of an .ods, placed as python-calamine places them and checked
against the limits as they stream past; the formulas whose value was never saved noted."""

from __future__ import annotations

import functools
import re

from . import workbook_guard as guard
from .guard_xml import Part, local, number
from .workbook_cells import column
from .workbook_guard import too_far

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


class XlsxSheet(Part):
    """An .xlsx worksheet: its declared size and the place of every cell, checked against the
    limits as they stream past (placed as python-calamine places them: a cell without r="…"
    follows the one before); the formulas without a saved value noted."""

    def __init__(self, sheet: str) -> None:
        super().__init__()
        self.sheet, self.cells = sheet, []
        self.formulas[sheet] = self.cells
        self.row = self.col = 0  # 0-based, where the next cell without r="…" is
        self.data = False  # inside <sheetData>
        self.cell: dict | None = None  # the open cell: its row, type, and f, v, is as met
        self.depth = 0  # elements open inside it (text is listened to in <v> only)

    def reach(self, row: int, col: int) -> None:
        if row >= guard.MAX_ROWS or col >= guard.MAX_COLUMNS:
            raise too_far(cell_name(row, col), self.sheet)

    def start(self, name: str, attrs: dict) -> None:
        tag = name.rpartition(":")[2]
        if self.cell is not None:
            self.depth += 1
            if self.depth == 1 and tag in ("f", "v", "is"):
                self.cell.setdefault(tag, "")
                if tag == "v":
                    self.parser.CharacterDataHandler = self.value
        elif tag == "c" and self.data:
            found = position(attrs.get("r", ""))
            row, self.col = found or (self.row, self.col)
            self.reach(row, self.col)
            self.cell = {"row": row, "type": attrs.get("t")}
        elif tag == "row" and self.data:
            self.row = number(attrs.get("r"), self.row + 1) - 1
        elif tag == "dimension":
            for ref in attrs.get("ref", "").split(":"):
                self.reach(*(position(ref) or (0, 0)))
        elif tag == "sheetData":
            self.data = True

    def value(self, data: str) -> None:
        self.cell["v"] = "saved"

    def end(self, name: str) -> None:
        if self.depth:
            self.depth -= 1
            self.parser.CharacterDataHandler = None
        elif self.cell is not None:  # </c>
            cell, self.cell = self.cell, None
            saved = cell.get("v") or "is" in cell or ("v" in cell and cell["type"] == "str")
            if "f" in cell and not saved:
                self.cells.append((cell["row"] + 1, self.col))
            self.col += 1
        elif self.data and name.rpartition(":")[2] == "row":
            self.row, self.col = self.row + 1, 0
        elif name.rpartition(":")[2] == "sheetData":
            self.data = False


class OdsContent(Part):
    """The sheets of an .ods (content.xml), with their repeats counted as python-calamine
    expands them: a repeated cell or row with something in it is stored that many times, and
    so are empty ones before it; the empty repeat LibreOffice writes at the end is not."""

    def __init__(self, _label: str) -> None:
        super().__init__()
        self.sheet: str | None = None
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
            self.formulas.setdefault(self.sheet, [])
        elif self.sheet is not None and name == "table-row":
            self.rows = number(attrs.get("table:number-rows-repeated"))
            self.col = self.reached = 0
        elif self.sheet is not None and name in ("table-cell", "covered-table-cell"):
            names = {local(k) for k in attrs}
            self.cell = {
                "repeat": number(attrs.get("table:number-columns-repeated")),
                "filled": bool(names & FILLED) or "formula" in names,
                "unsaved": "formula" in names and "value-type" not in names,
            }

    def end(self, name: str) -> None:
        if self.cell is not None:
            if self.depth:
                self.depth -= 1
                return
            cell, self.cell = self.cell, None
            if cell["filled"]:
                self.reached = self.col + cell["repeat"]
                if self.reached > guard.MAX_COLUMNS:
                    raise too_far(cell_name(self.row, self.reached - 1), self.sheet)
            if cell["unsaved"]:
                self.formulas[self.sheet].append((self.row + 1, self.col))
            self.col += cell["repeat"]
            return
        name = local(name)
        if self.sheet is not None and name == "table-row":
            if self.reached and self.row + self.rows > guard.MAX_ROWS:
                raise too_far(cell_name(self.row + self.rows - 1, self.reached - 1), self.sheet)
            self.row += self.rows
        elif name == "table":
            self.sheet = None
