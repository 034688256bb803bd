"""Quotes as RFC 4180 places them, checked on a CSV file's bytes as they stream past.

A quote may open a cell (at its start), stand doubled inside a quoted cell, or close one (just
before a comma or the line's end). Python's reader forgives the rest (a"b, "a"b, "a" ,) and
reads it one way; DuckDB's reader, or a spreadsheet, reads it another ("a" , loses its space), so
the two engines would judge different text. The preflight refuses such a file, on the line of
the first misplaced quote, before either engine reads it. Only quote runs are looked at: a
file's state is whether a quoted cell is open, which the parity of each run settles.
"""

from __future__ import annotations

import re

from .i18n import _

RUN = re.compile(rb'""*')  # not '"+', which sre scans byte by byte (20 times slower)
# What a cell's opening quote may follow (or the file's start), and a closing quote precede
# (or the file's end): a comma or a line's end.
SEPARATORS = (b",", b"\n", b"\r")


def fix() -> str:
    return _(
        "put the whole cell in double quotes and double each quote inside it"
        ' (a"b is written "a""b"); nothing but a comma or the line\'s end may follow the closing'
        " quote"
    )


class QuoteCheck:
    """Feed a file's chunks in order, each with the line it starts on, the last one `final`:
    `problem` is then (line, message) or None, and `quotes` the number of quote characters."""

    def __init__(self) -> None:
        self.started = False
        self.inside = False  # a quoted cell is open
        self.before = b"\n"  # the byte before the next chunk (the start counts as a line's)
        self.carry = b""  # a quote run at a chunk's end, which may go on in the next
        self.line = 1  # the line on which the chunk in hand starts (a carry holds no line end)
        self.quotes = 0
        self.opened = 1  # the line of the quote that opened the cell still open
        self.problem: tuple[int, str] | None = None

    def feed(self, chunk: bytes, line: int, final: bool = False) -> None:
        self.line = line
        if self.problem:
            return
        if not self.started and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]  # a BOM is the canonical-form check's to report
        self.started = True
        data, self.carry = self.carry + chunk if self.carry else chunk, b""
        opening = None  # where in `data` the cell still open was opened
        for run in RUN.finditer(data):
            start, end = run.span()
            if end == len(data) and not final:  # the run, or what follows it, is not all here
                self.carry = data[start:]
                break
            before = data[start - 1 : start] if start else self.before
            if not self.inside and before not in SEPARATORS:
                message = _("a quote inside a cell that does not start with one")
                return self.found(data, start, message)
            was_inside, odd = self.inside, (end - start) % 2
            self.quotes += end - start
            closes = odd if was_inside else not odd
            self.inside = not closes
            if closes and data[end : end + 1] not in (b"", *SEPARATORS):
                return self.found(data, end, _("text after the closing quote of a cell"))
            if self.inside and not was_inside:
                opening = start
        if opening is not None:
            self.opened = self.line + data.count(b"\n", 0, opening)
        kept = len(data) - len(self.carry)
        self.before = data[kept - 1 : kept] or self.before
        if final and self.inside:
            message = _("a quoted cell is never closed (its opening quote is on this line)")
            self.problem = (self.opened, message)

    def found(self, data: bytes, at: int, message: str) -> None:
        """The first misplaced quote: its line, and the text around it, as a person reads it."""
        line_start = data.rfind(b"\n", 0, at) + 1
        near = data[max(line_start, at - 20) : at + 20].split(b"\n")[0]
        shown = near.decode("utf-8", "replace")
        self.problem = (self.line + data.count(b"\n", 0, at), f"{message}: …{shown}…")
