"""A CSV file to import, decoded before it is read (see workbook_guard.py): UTF-8 text, no NUL
byte, parseable, and within the rows and columns a table may have; the line of what is wrong."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from . import workbook_guard as guard
from .i18n import _
from .workbook_guard import Refused, reason, too_big, unopened


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV file to import; Refused if it is too big, not UTF-8, holds a NUL
    byte, cannot be parsed, or goes beyond the rows and columns a table may have."""
    try:
        with path.open("rb") as file:
            raw = file.read(guard.MAX_BYTES + 1)
    except OSError as exc:
        raise unopened(exc) from None
    if len(raw) > guard.MAX_BYTES:
        raise too_big(unpacked=False)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1]
        hint = _(" (it looks like Latin-1 or Windows-1252)") if bad >= b"\x80" else ""
        message = _("byte {byte} on line {line} is not UTF-8{hint}")
        raise Refused(
            message.format(byte=repr(bad), line=line, hint=hint),
            _("save the file as UTF-8 (CSV UTF-8 in Excel)"),
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise Refused(
            _("line {line} holds a NUL byte, which text never does").format(line=line),
            _("save the table again as CSV UTF-8 from the spreadsheet program"),
        )
    return csv_rows(text)


def csv_rows(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(rows) >= guard.MAX_ROWS or len(row) > guard.MAX_COLUMNS:
                message = _(
                    "line {line} goes beyond the {rows:,} rows and {columns} columns a table "
                    "may have"
                )
                raise Refused(
                    message.format(
                        line=reader.line_num, rows=guard.MAX_ROWS, columns=guard.MAX_COLUMNS
                    ),
                    _("check that this is the right file, and that commas separate its fields"),
                )
            rows.append(row)
    except csv.Error as exc:
        raise Refused(
            _("cannot be read as CSV on line {line} ({reason})").format(
                line=reader.line_num, reason=reason(exc)
            ),
            _("check the quotes on that line"),
        ) from None
    return rows
