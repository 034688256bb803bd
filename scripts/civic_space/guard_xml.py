"""The XML parts of a workbook to import, streamed through expat (see workbook_guard.py): each
part must be well-formed and hold no DTD; the small parts are read for what the archive checks
need (relationships, the list of sheets) or for what python-calamine would trust (a shared-string
count, an .ods encryption)."""

from __future__ import annotations

import zipfile
from array import array
from dataclasses import dataclass, field
from xml.parsers import expat

from . import workbook_guard as guard
from .i18n import _
from .workbook_guard import Refused, damaged, locked, too_many, too_much_text


def number(text: str | None, default: int = 1) -> int:
    """A count or row number as written in the XML; absurd lengths read as absurdly large."""
    if text is None or not (text.isascii() and text.isdigit()):
        return default
    return int(text) if len(text) <= 12 else 10**12


def local(name: str) -> str:
    return name.rpartition(":")[2]


def parse(archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget, choose) -> Part:
    """Stream one XML part through expat into the handler `choose` picks by its root element's
    name. A DTD is refused as soon as it starts; so is XML that is not well-formed. The part is
    unpacked by `budget` (a guard_archive.Budget)."""
    parser = expat.ParserCreate()
    chosen: list[Part] = []

    def first(name: str, attrs: dict) -> None:
        found = choose(local(name))
        chosen.append(found)
        parser.StartElementHandler = found.start
        parser.EndElementHandler = found.end
        found.parser = parser
        found.start(name, attrs)

    def dtd(*_args) -> None:
        raise Refused(
            _("holds a DTD ({part}), which spreadsheet programs never write").format(
                part=part.filename
            ),
            _("save the workbook again from Excel or LibreOffice"),
        )

    parser.StartElementHandler = first
    parser.StartDoctypeDeclHandler = dtd
    parser.EntityDeclHandler = dtd
    try:
        fed = False
        for chunk in budget.chunks(archive, part):
            parser.Parse(chunk, False)
            fed = True
        if fed:  # an empty part is no XML, but harms nothing either
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise damaged(
            f"{part.filename}: {expat.ErrorString(exc.code)}, line {exc.lineno}"
        ) from None
    return chosen[0] if chosen else Part()


@dataclass
class Marks:
    """What the guard notes in a sheet, to be reported at its cells: formulas without a saved
    value (row, column), error cells such as #REF! (row, column, code), both with the 1-based
    row and 0-based column, and merged ranges ((row, column), (row, column)), 0-based as
    python-calamine gives them. At most guard.SHOWN of each are kept; `counts` counts all."""

    unsaved: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    merged: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def note(self, kind: str, item) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if self.counts[kind] <= guard.SHOWN:
            getattr(self, kind).append(item)


# What one shared string costs the reader besides its characters, counted as characters: without
# it, a part of many empty strings would be cheap to send and dear to hold.
STRING_COST = 16


class Text:
    """The characters the reader will expand the cells into, over the whole workbook, refused
    past MAX_TEXT; and the length of each shared string, which a cell may use many times."""

    def __init__(self) -> None:
        self.left = guard.MAX_TEXT
        self.strings = array("Q")

    def spend(self, count: int, sheet: str | None = None) -> None:
        self.left -= count
        if self.left < 0:
            raise too_much_text(sheet=sheet)


class Part:
    """An XML part read for its soundness alone: well-formed, and no DTD."""

    def __init__(self) -> None:
        self.marks: dict[str, Marks] = {}  # by sheet name
        self.parser = None  # the expat parser reading it, set by `parse`

    def start(self, name: str, attrs: dict) -> None:
        pass

    def end(self, name: str) -> None:
        pass


class Relations(Part):
    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, tuple[str, str]] = {}  # id → (type, target)

    def start(self, name: str, attrs: dict) -> None:
        if local(name) == "Relationship" and "Id" in attrs:
            if len(self.links) >= guard.MAX_PARTS:
                raise too_many()
            self.links[attrs["Id"]] = (attrs.get("Type", ""), attrs.get("Target", ""))


class Sheets(Part):
    def __init__(self) -> None:
        super().__init__()
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)

    def start(self, name: str, attrs: dict) -> None:
        if local(name) == "sheet":
            if len(self.sheets) >= guard.MAX_PARTS:
                raise too_many()
            link = next((v for k, v in attrs.items() if local(k) == "id"), "")
            self.sheets.append((attrs.get("name", ""), link))


class SharedStrings(Part):
    """The strings python-calamine reserves room for, up front, as many as the part says; and
    the length of each, noted in `text` (a Text) for the cells that use it."""

    def __init__(self, label: str, text: Text) -> None:
        super().__init__()
        self.label, self.said, self.held, self.text = label, 0, 0, text

    def start(self, name: str, attrs: dict) -> None:
        name = local(name)
        if name == "sst":
            self.said = number(attrs.get("uniqueCount"), 0)
        elif name == "si":
            self.held += 1
            self.text.strings.append(0)
            self.text.spend(STRING_COST)
            self.parser.CharacterDataHandler = self.count

    def count(self, data: str) -> None:
        self.text.strings[-1] += len(data)
        self.text.spend(len(data))  # the reader holds each shared string once

    def end(self, name: str) -> None:
        name = local(name)
        if name == "si":
            self.parser.CharacterDataHandler = None
        if name == "sst" and self.said > 2 * self.held + 1000:
            message = _("{part} announces {said:,} strings but holds {held:,}")
            raise damaged(message.format(part=self.label, said=self.said, held=self.held))


class Manifest(Part):
    def __init__(self, _label: str, _text: Text) -> None:
        super().__init__()

    def start(self, name: str, attrs: dict) -> None:
        if local(name) == "encryption-data":
            raise locked()
