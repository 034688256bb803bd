"""Problems placed in their files, as both engines report them: a row number becomes the line
it starts on (a quoted cell may span lines), a field brings its title."""

from __future__ import annotations

from pathlib import Path

from .descriptor import Table
from .files import line_numbers
from .messages import Problem


class Locator:
    def __init__(self, display):
        self.display = display
        self.lines: dict[Path, list[int]] = {}  # each file is read for its lines once, if at all

    def __call__(
        self, table: Table | None, path: Path, row: int | None, field: str | None, *what: str
    ) -> Problem:
        """what: the problem's code, message and fix."""
        code, message, fix = what
        line = None
        if row is not None:
            if path not in self.lines:
                self.lines[path] = line_numbers(path)
            lines = self.lines[path]
            line = lines[row] if row < len(lines) else row
        title = table.field(field).get("title") if table and field else None
        return Problem(self.display(path), message, fix, code, line, field, title)
