"""A workbook to import, checked as an archive before python-calamine opens it (see
workbook_guard.py): a zip directory of sane length, parts neither encrypted nor larger unpacked
than the limit (counted as they truly inflate), and every XML part read by guard_xml.py and
guard_sheets.py, the worksheets found as python-calamine finds them."""

from __future__ import annotations

import copy
import struct
import zipfile
import zlib
from pathlib import Path

from . import workbook_guard as guard
from .guard_sheets import OdsContent, XlsxSheet
from .guard_xml import Manifest, Marks, Part, Relations, SharedStrings, Sheets, Text, parse
from .i18n import _
from .workbook_guard import Refused, damaged, locked, reason, too_big, too_many, unopened

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


def normal(name: str) -> str:
    """A part name as python-calamine looks it up: / for \\, and any case."""
    return name.replace("\\", "/").lower()


def inspect_workbook(path: Path, text: Text | None = None) -> dict[str, Marks]:
    """Raise Refused for a workbook python-calamine must not open; otherwise return what it
    noted in each sheet (formulas without a saved value, error cells, merged cells). The text
    its cells expand to is spent from `text`, what all the files of one import may hold."""
    try:
        if guard.regular(path).st_size > guard.MAX_BYTES:
            raise too_big(unpacked=False)
        check_directory(path)
        with zipfile.ZipFile(path) as archive:
            return inspect_archive(archive, text or Text())
    except OSError as exc:
        raise unopened(exc) from None
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
    if entries > guard.MAX_PARTS or size > guard.MAX_PARTS * 1024:
        raise too_many()


def first(key: str, strings: str) -> int:
    """The order parts are read in: an .ods's manifest first, which says if the parts it lists
    are encrypted (not to read them garbled), then the shared strings the sheets use."""
    return 0 if key == "meta-inf/manifest.xml" else 1 if key == strings else 2


def inspect_archive(archive: zipfile.ZipFile, text: Text) -> dict[str, Marks]:
    parts = archive.infolist()
    if len(parts) > guard.MAX_PARTS:
        raise too_many()
    if sum(p.file_size for p in parts) > guard.MAX_BYTES:
        raise too_big()
    if any(p.flag_bits & 1 for p in parts):
        raise locked()
    budget = Budget()
    by_name = {normal(p.filename): p for p in parts}
    sheets, done, strings = sheet_parts(archive, by_name, budget)
    marks: dict[str, Marks] = {}
    for part in sorted(parts, key=lambda p: first(normal(p.filename), strings)):
        key = normal(part.filename)
        if key in done or not (key in sheets or key.endswith((".xml", ".rels"))):
            continue
        label = sheets.get(key, part.filename)
        choose = handler(label, text, key == strings)
        marks.update(parse(archive, part, budget, choose).marks)
    return marks


class Budget:
    """The bytes unpacked so far, refused past MAX_BYTES. Counted as the parts truly inflate,
    for a declared size may lie (zipfile would stop there, python-calamine reads on). zipfile
    reads a part up to the size it is given, and checks its CRC there: it is given more than
    the budget, so that it reads to the part's true end, or until the budget is spent."""

    def __init__(self) -> None:
        self.left = guard.MAX_BYTES

    def chunks(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo):
        probe = copy.copy(part)
        probe.file_size = self.left + 2 * CHUNK
        with archive.open(probe) as stream:
            while chunk := stream.read(CHUNK):
                self.left -= len(chunk)
                if self.left < 0:
                    raise too_big()
                yield chunk


def sheet_parts(archive, by_name, budget) -> tuple[dict[str, str], set[str], str]:
    """{part: sheet name} for the worksheets an .xlsx lists, found as python-calamine finds
    them (from _rels/.rels to workbook.xml and its relationships); the parts read so; and the
    shared strings part the sheets use."""
    done: set[str] = set()

    def read(key: str, make) -> Part:
        if key not in by_name:
            return make()
        done.add(key)
        return parse(archive, by_name[key], budget, lambda _root: make())

    package = read("_rels/.rels", Relations).links.values()
    office = next((t for kind, t in package if kind.endswith("/officeDocument")), None)
    if office is None:
        return {}, done, ""  # not an .xlsx (an .ods has no _rels)
    base = office[: office.rfind("/") + 1].lstrip("/")
    links = read(normal(f"{base}_rels/workbook.xml.rels"), Relations).links

    def part(target: str) -> str:
        return normal(target[1:] if target.startswith("/") else base + target)

    names = {}
    for name, link in read(normal(f"{base}workbook.xml"), Sheets).sheets:
        target = links.get(link, ("", ""))[1]
        if target:
            names[part(target)] = name
    found = [t for kind, t in links.values() if kind.endswith("/sharedStrings") and t]
    return names, done, part(found[0]) if found else "xl/sharedstrings.xml"


def handler(label: str, text: Text, strings: bool):
    """The chooser of a part's reader, by its root element; a sheet's `label` is its name. Only
    the shared strings python-calamine reads (`strings`) are the ones cells are counted by."""
    kinds = {
        "worksheet": XlsxSheet,
        "sst": SharedStrings,
        "document-content": OdsContent,
        "manifest": Manifest,
    }

    def choose(root: str) -> Part:
        if root == "sst" and not strings:
            return SharedStrings(label, Text())  # checked, but not the strings cells use
        return kinds[root](label, text) if root in kinds else Part()

    return choose
