"""A CSV file to import, decoded before it is read (see workbook_guard.py): a regular file,
UTF-8 text, no NUL byte, parseable, and within the size, rows, columns and cells a table may
have; the line of what is wrong. It is read as a stream: no copy of the whole file is made."""

from __future__ import annotations

import codecs
import csv
import io
import os
from pathlib import Path

from . import files
from . import workbook_guard as guard
from .guard_xml import Text
from .i18n import _
from .workbook_guard import Refused, regular, too_big, too_much_text, unopened


def read_csv(path: Path, text: Text | None = None) -> list[list[str]]:
    """The rows of a CSV file to import; Refused if it is no regular file, too big, not UTF-8,
    holds a NUL byte, cannot be parsed, or goes beyond the rows and columns a table may have.
    Its bytes are spent from `text`, the characters all the files of one import may hold."""
    regular(path)  # a FIFO or a device is refused before it is opened: opening one can wait
    try:
        # Not blocking: should a FIFO take the file's place since, opening it does not wait.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise unopened(exc) from None
    with open(descriptor, "rb") as raw:
        size = regular(descriptor).st_size
        if size > min(guard.MAX_BYTES, guard.MAX_TEXT):
            raise too_big(unpacked=False, limit=min(guard.MAX_BYTES, guard.MAX_TEXT))
        (text or Text()).spend(size)
        decoded = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            return csv_rows(lines(decoded))
        except UnicodeDecodeError:
            pass
    raise not_utf8(path)


def lines(text: io.TextIOWrapper):
    """The lines of the file, NUL bytes refused with their line."""
    number = 1
    for line in text:
        if "\x00" in line:
            raise Refused(
                _("line {line} holds a NUL byte, which text never does").format(line=number),
                _("save the table again as CSV UTF-8 from the spreadsheet program"),
            )
        number += line.endswith("\n")
        yield line


def not_utf8(path: Path) -> Refused:
    """Where the file stops being UTF-8: found by a second pass, in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, bad = 1, b""
    with path.open("rb") as file:
        while True:
            chunk = file.read(1 << 16)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # exc.object is what the decoder held back from the chunk before, then this one
                held = exc.object[: len(exc.object) - len(chunk)]
                line -= held.count(b"\n")
                line += exc.object[: exc.start].count(b"\n")
                bad = exc.object[exc.start : exc.start + 1]
                break
            if not chunk:
                break
            line += chunk.count(b"\n")
    hint = _(" (it looks like Latin-1 or Windows-1252)") if bad >= b"\x80" else ""
    message = _("byte {byte} on line {line} is not UTF-8{hint}")
    return Refused(
        message.format(byte=repr(bad), line=line, hint=hint),
        _("save the file as UTF-8 (CSV UTF-8 in Excel)"),
    )


def csv_rows(source) -> list[list[str]]:
    reader = files.csv_reader(source)  # the cell limit validation enforces, not the process's
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in reader:
            cells += len(row)
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
            if cells > guard.MAX_CELLS:
                raise too_much_text(cells=True)
            rows.append(row)
    except csv.Error as exc:
        message, fix, _code = files.csv_problem(exc)
        raise Refused(
            _("cannot be read as CSV on line {line} ({reason})").format(
                line=reader.line_num, reason=message
            ),
            fix,
        ) from None
    return rows
