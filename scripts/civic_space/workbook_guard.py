"""Checks on a file to import, made before it is read. python-calamine trusts what a workbook
says: one cell at XFD1048576 makes it allocate the whole sheet (512 GiB, and the process
aborts), a shared-string count makes it reserve that many strings, and a formula whose value
was never saved reads as an empty cell. So a workbook is first read here as a stream, in bounded
memory: its archive, the true size of its parts, every XML part (no DTD, well-formed), and the
reach of every sheet. A CSV is decoded here, with the line of a wrong byte. Whatever cannot be
read safely raises `Refused`, which the import reports as a problem of the file.

This module holds the limits and the refusals; the checks themselves are in guard_archive.py
(the archive, and `inspect_workbook`), guard_xml.py (XML parts), guard_sheets.py (the reach of
.xlsx and .ods sheets) and guard_csv.py (`read_csv`). They read the limits from this module
each time (`guard.MAX_BYTES`), so that lowering one here lowers it everywhere.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .i18n import _

MAX_BYTES = 100_000_000  # a workbook unpacked (the whole package is ~0.2 MB today)
MAX_PARTS = 10_000  # files inside a workbook (the template has ~70)
MAX_ROWS = 10_000  # rows of a sheet or CSV, header included (the largest table has ~240)
MAX_COLUMNS = 200  # the tables have < 30 columns; the template's hidden lists sheet ~60
# What the import holds in memory, whatever the file packs: the characters of all its cells as
# the reader expands them (a shared string used a million times counts a million times, a CSV
# counts its bytes), and the cells of a sheet from A1 to its farthest cell. With these, an
# import peaks well under 500 MB (tests/test_import_memory.py measures it).
MAX_TEXT = 10_000_000
MAX_CELLS = 1_000_000
SHOWN = 100  # problems of one kind shown per sheet; the rest are counted


class Refused(Exception):
    """A file that is not read, and why: a message, a fix, and the sheet to blame, if any."""

    def __init__(self, message: str, fix: str, sheet: str | None = None):
        super().__init__(message)
        self.message, self.fix, self.sheet = message, fix, sheet


def reason(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


def unopened(exc: OSError) -> Refused:
    """A file the system would not let us read."""
    return Refused(
        _("cannot be read ({reason})").format(reason=reason(exc)),
        _("check the file's name, and that it can be opened"),
    )


def too_big(unpacked: bool = True, limit: int | None = None) -> Refused:
    message = (
        _("is larger than {size} MB unpacked, far more than the tables need")
        if unpacked
        else _("is larger than {size} MB, far more than the tables need")
    )
    return Refused(
        message.format(size=(limit or MAX_BYTES) // 1_000_000),
        _(
            "check that this is the right file; delete what is not a table, or copy the tables "
            "into a new file"
        ),
    )


def special(kind: str) -> Refused:
    """What is not a regular file: reading a FIFO or a device could wait, or read, forever."""
    return Refused(
        _("is not a file but {kind}").format(kind=kind),
        _("give the workbook or CSV file itself"),
    )


def kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("a special file")


def regular(path: Path | int) -> os.stat_result:
    """The file's status, if it is a regular file (a path, or an open descriptor); else Refused,
    before anything reads from it."""
    try:
        status = os.fstat(path) if isinstance(path, int) else os.stat(path)
    except OSError as exc:
        raise unopened(exc) from None
    if not stat.S_ISREG(status.st_mode):
        raise special(kind(status.st_mode))
    return status


def too_much_text(cells: bool = False, sheet: str | None = None) -> Refused:
    message = (
        _("a sheet spans more than {count:,} cells (from A1 to its farthest cell)")
        if cells
        else _("its cells hold more than {count:,} characters, far more than the tables need")
    )
    return Refused(
        message.format(count=MAX_CELLS if cells else MAX_TEXT),
        _(
            "check that this is the right file; delete what is not a table, or copy the tables "
            "into a new file"
        ),
        sheet,
    )


def too_far(cell: str, sheet: str | None) -> Refused:
    message = _(
        "the sheet reaches cell {cell}; a table sheet may have at most {rows:,} rows and "
        "{columns} columns"
    )
    return Refused(
        message.format(cell=cell, rows=MAX_ROWS, columns=MAX_COLUMNS),
        _("delete the far-away cells, or copy the table into a new workbook"),
        sheet,
    )


def damaged(why: str) -> Refused:
    return Refused(
        _("is damaged ({reason})").format(reason=why),
        _("save it again as .xlsx or .ods"),
    )


def too_many() -> Refused:
    return damaged(_("it lists more than {count:,} parts").format(count=MAX_PARTS))


def locked() -> Refused:
    return Refused(
        _("is password-protected or encrypted"),
        _("remove any password and save it as .xlsx or .ods"),
    )
