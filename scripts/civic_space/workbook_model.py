"""What an import reads and reports: each table as a Sheet of CSV text, and each problem
(ImportProblem) at its Place, named as the spreadsheet shows it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .descriptor import Table
from .i18n import _

# Problems that leave the rest readable (validation still runs, to report all at once).
CELL_LEVEL = {"import-cell", "import-extra-cell", "import-merged", "import-derived"}


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
        from .messages import printable  # one line, safe for a terminal, whatever a cell holds

        field = f" {self.field}:" if self.field else ""
        return printable(f"{self.place}:{field} {self.message} — {self.fix} [{self.code}]")


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
    covered: set[tuple[int, str]] = field(default_factory=set)  # cells of merged ranges
