"""Checks on a file to import, made before it is read. python-calamine trusts what a workbook
says: one cell at XFD1048576 makes it allocate the whole sheet (512 GiB, and the process
aborts), a shared-string count makes it reserve that many strings, and a formula whose value
was never saved reads as an empty cell. So a workbook is first read here as a stream, in bounded
memory: its archive, the true size of its parts, every XML part (no DTD, well-formed), and the
reach of every sheet. A CSV is decoded here, with the line of a wrong byte. Whatever cannot be
read safely raises `Refused`, which the import reports as a problem of the file.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from .i18n import _
from .workbook import column

MAX_BYTES = 100_000_000  # a workbook unpacked, or a CSV (the whole package is ~0.1 MB today)
MAX_PARTS = 10_000  # files inside a workbook (the template has ~70)
MAX_ROWS = 50_000  # rows of a sheet or CSV, header included (the largest table has ~40)
MAX_COLUMNS = 200  # the tables have < 30 columns; the template's hidden lists sheet ~60
CHUNK = 1 << 16
# What a damaged archive or part raises while it is read (RuntimeError: an encrypted part).
DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
)
CELL = re.compile(r"([A-Za-z]+)([0-9]+)")
FILLED = {"value-type", "value", "date-value", "time-value", "boolean-value", "string-value"}


class Refused(Exception):
    """A file that is not read, and why: a message, a fix, and the sheet to blame, if any."""

    def __init__(self, message: str, fix: str, sheet: str | None = None):
        super().__init__(message)
        self.message, self.fix, self.sheet = message, fix, sheet


def reason(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


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


def number(text: str | None, default: int = 1) -> int:
    """A count or row number as written in the XML; absurd lengths read as absurdly large."""
    if text is None or not (text.isascii() and text.isdigit()):
        return default
    return int(text) if len(text) <= 12 else 10**12


def local(name: str) -> str:
    return name.rpartition(":")[2]


def normal(name: str) -> str:
    """A part name as python-calamine looks it up: / for \\, and any case."""
    return name.replace("\\", "/").lower()


# ---- the archive ---------------------------------------------------------------------------


def inspect_workbook(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Raise Refused for a workbook python-calamine must not open; otherwise return its formulas
    without a saved value, by sheet: (spreadsheet row, 0-based column)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise too_big(unpacked=False)
        check_directory(path)
        with zipfile.ZipFile(path) as archive:
            return inspect_archive(archive)
    except OSError as exc:
        raise Refused(
            _("cannot be read ({reason})").format(reason=reason(exc)),
            _("check the file's name, and that it can be opened"),
        ) from None
    except DAMAGE as exc:
        raise damaged(reason(exc)) from None


def check_directory(path: Path) -> None:
    """Refuse what is no zip archive, or one that lists more parts than a workbook has, before
    zipfile reads the whole list into memory (its counts are where zipfile looks for them)."""
    with path.open("rb") as file:
        end = file.seek(0, 2)
        file.seek(max(0, end - 22 - 65_535 - 20))
        tail = file.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            raise Refused(
                _(
                    "is not a zip archive, as every .xlsx and .ods file is (a password-protected "
                    "workbook, or an old .xls renamed, is not one)"
                ),
                _("remove any password and save it as .xlsx or .ods"),
            )
        entries = int.from_bytes(tail[at + 10 : at + 12], "little")
        size = int.from_bytes(tail[at + 12 : at + 16], "little")
        if at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":  # zip64: counts elsewhere
            file.seek(int.from_bytes(tail[at - 12 : at - 4], "little"))
            record = file.read(56)
            if record[:4] == b"PK\x06\x06":
                entries = int.from_bytes(record[32:40], "little")
                size = int.from_bytes(record[40:48], "little")
    if entries > MAX_PARTS or size > MAX_PARTS * 1024:
        raise too_many()


def inspect_archive(archive: zipfile.ZipFile) -> dict[str, list[tuple[int, int]]]:
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise too_many()
    if sum(p.file_size for p in parts) > MAX_BYTES:
        raise too_big()
    if any(p.flag_bits & 1 for p in parts):
        raise locked()
    budget = Budget()
    by_name = {normal(p.filename): p for p in parts}
    sheets, done = sheet_parts(archive, by_name, budget)
    formulas: dict[str, list[tuple[int, int]]] = {}
    # An encrypted .ods says so in its manifest: read that first, not the parts it garbles.
    for part in sorted(parts, key=lambda p: normal(p.filename) != "meta-inf/manifest.xml"):
        key = normal(part.filename)
        if key in done or not (key in sheets or key.endswith((".xml", ".rels"))):
            continue
        label = sheets.get(key, part.filename)
        found = parse(archive, part, budget, lambda root, label=label: handler(root, label))
        for sheet, cells in found.formulas.items():
            formulas.setdefault(sheet, []).extend(cells)
    return formulas


class Budget:
    """The bytes unpacked so far, refused past MAX_BYTES. Counted as the parts truly inflate,
    for a declared size may lie (zipfile would stop there, python-calamine reads on). zipfile
    reads a part up to the size it is given, and checks its CRC there: it is given more than
    the budget, so that it reads to the part's true end, or until the budget is spent."""

    def __init__(self) -> None:
        self.left = MAX_BYTES

    def chunks(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo):
        probe = copy.copy(part)
        probe.file_size = self.left + 2 * CHUNK
        with archive.open(probe) as stream:
            while chunk := stream.read(CHUNK):
                self.left -= len(chunk)
                if self.left < 0:
                    raise too_big()
                yield chunk


def parse(archive: zipfile.ZipFile, part: zipfile.ZipInfo, budget: Budget, choose) -> Part:
    """Stream one XML part through expat into the handler `choose` picks by its root element's
    name. A DTD is refused as soon as it starts; so is XML that is not well-formed."""
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


def sheet_parts(archive, by_name, budget) -> tuple[dict[str, str], set[str]]:
    """{part: sheet name} for the worksheets an .xlsx lists, found as python-calamine finds
    them (from _rels/.rels to workbook.xml and its relationships); and the parts read so."""
    done: set[str] = set()

    def read(key: str, make) -> Part:
        if key not in by_name:
            return make()
        done.add(key)
        return parse(archive, by_name[key], budget, lambda _root: make())

    package = read("_rels/.rels", Relations).links.values()
    office = next((t for kind, t in package if kind.endswith("/officeDocument")), None)
    if office is None:
        return {}, done  # not an .xlsx (an .ods has no _rels)
    base = office[: office.rfind("/") + 1].lstrip("/")
    links = read(normal(f"{base}_rels/workbook.xml.rels"), Relations).links
    names = {}
    for name, link in read(normal(f"{base}workbook.xml"), Sheets).sheets:
        target = links.get(link, ("", ""))[1]
        if target:
            names[normal(target[1:] if target.startswith("/") else base + target)] = name
    return names, done


# ---- the parts -----------------------------------------------------------------------------


class Part:
    """An XML part read for its soundness alone: well-formed, and no DTD."""

    def __init__(self) -> None:
        self.formulas: dict[str, list[tuple[int, int]]] = {}
        self.parser = None  # the expat parser reading it, set by `parse`

    def start(self, name: str, attrs: dict) -> None:
        pass

    def end(self, name: str) -> None:
        pass


def handler(root: str, label: str) -> Part:
    kinds = {
        "worksheet": XlsxSheet,
        "sst": SharedStrings,
        "document-content": OdsContent,
        "manifest": Manifest,
    }
    return kinds[root](label) if root in kinds else Part()


class Relations(Part):
    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, tuple[str, str]] = {}  # id → (type, target)

    def start(self, name: str, attrs: dict) -> None:
        if local(name) == "Relationship" and "Id" in attrs:
            if len(self.links) >= MAX_PARTS:
                raise too_many()
            self.links[attrs["Id"]] = (attrs.get("Type", ""), attrs.get("Target", ""))


class Sheets(Part):
    def __init__(self) -> None:
        super().__init__()
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)

    def start(self, name: str, attrs: dict) -> None:
        if local(name) == "sheet":
            if len(self.sheets) >= MAX_PARTS:
                raise too_many()
            link = next((v for k, v in attrs.items() if local(k) == "id"), "")
            self.sheets.append((attrs.get("name", ""), link))


class SharedStrings(Part):
    """The strings python-calamine reserves room for, up front, as many as the part says."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label, self.said, self.held = label, 0, 0

    def start(self, name: str, attrs: dict) -> None:
        name = local(name)
        if name == "sst":
            self.said = number(attrs.get("uniqueCount"), 0)
        elif name == "si":
            self.held += 1

    def end(self, name: str) -> None:
        if local(name) == "sst" and self.said > 2 * self.held + 1000:
            message = _("{part} announces {said:,} strings but holds {held:,}")
            raise damaged(message.format(part=self.label, said=self.said, held=self.held))


class Manifest(Part):
    def __init__(self, _label: str) -> None:
        super().__init__()

    def start(self, name: str, attrs: dict) -> None:
        if local(name) == "encryption-data":
            raise locked()


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
        if row >= MAX_ROWS or col >= MAX_COLUMNS:
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
                if self.reached > MAX_COLUMNS:
                    raise too_far(cell_name(self.row, self.reached - 1), self.sheet)
            if cell["unsaved"]:
                self.formulas[self.sheet].append((self.row + 1, self.col))
            self.col += cell["repeat"]
            return
        name = local(name)
        if self.sheet is not None and name == "table-row":
            if self.reached and self.row + self.rows > MAX_ROWS:
                raise too_far(cell_name(self.row + self.rows - 1, self.reached - 1), self.sheet)
            self.row += self.rows
        elif name == "table":
            self.sheet = None


# ---- CSV -----------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV file to import; Refused if it is too big, not UTF-8, holds a NUL
    byte, cannot be parsed, or goes beyond the rows and columns a table may have."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Refused(
            _("cannot be read ({reason})").format(reason=reason(exc)),
            _("check the file's name, and that it can be opened"),
        ) from None
    if len(raw) > MAX_BYTES:
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
            if len(rows) >= MAX_ROWS or len(row) > MAX_COLUMNS:
                message = _(
                    "line {line} goes beyond the {rows:,} rows and {columns} columns a table "
                    "may have"
                )
                raise Refused(
                    message.format(line=reader.line_num, rows=MAX_ROWS, columns=MAX_COLUMNS),
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
