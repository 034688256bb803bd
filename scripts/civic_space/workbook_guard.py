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

from .i18n import _

MAX_BYTES = 100_000_000  # a workbook unpacked, or a CSV (the whole package is ~0.1 MB today)
MAX_PARTS = 10_000  # files inside a workbook (the template has ~70)
MAX_ROWS = 50_000  # rows of a sheet or CSV, header included (the largest table has ~40)
MAX_COLUMNS = 200  # the tables have < 30 columns; the template's hidden lists sheet ~60


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


def too_big(unpacked: bool = True) -> Refused:
    message = (
        _("is larger than {size} MB unpacked, far more than the tables need")
        if unpacked
        else _("is larger than {size} MB, far more than the tables need")
    )
    return Refused(
        message.format(size=MAX_BYTES // 1_000_000),
        _(
            "check that this is the right file; delete what is not a table, or copy the tables "
            "into a new file"
        ),
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
