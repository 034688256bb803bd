"""Hostile or damaged files given to `import`: each is a problem placed at the file (or sheet, or
cell), never a crash, an abort or a huge allocation, and nothing under data/ is touched."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from civic_space import files as tables_files
from civic_space import workbook_guard
from civic_space.descriptor import load
from civic_space.formatting import read_rows
from civic_space.importer import import_files
from civic_space.workbook import column, read_sources, template

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FAR_ROW = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def files(descriptor: Path) -> dict[str, bytes]:
    data = descriptor.parent / "data"
    return {
        str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()
    }


@pytest.fixture
def book(package_copy, tmp_path) -> Path:
    return template(load(package_copy), tmp_path / "book.xlsx")


@pytest.fixture
def small(package_copy, tmp_path) -> Path:
    """The empty template (no rows, no per-value view sheet): unpacked well under 1 MB, so that
    a hostile part, not the data, is what makes a file too large."""
    return template(load(package_copy), tmp_path / "small.xlsx", prefill=False)


def sheet_part(book: Path, name: str) -> str:
    """The archive path of a sheet of the template (xl/worksheets/sheetN.xml)."""
    with zipfile.ZipFile(book) as archive:
        sheets = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    link = next(s.get(f"{REL}id") for s in sheets.iter(f"{MAIN}sheet") if s.get("name") == name)
    target = next(r.get("Target") for r in links if r.get("Id") == link)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def rewrite(source: Path, out: Path, part: str, change) -> Path:
    """A copy of a workbook with one part's text passed through `change` (a new part if absent)."""
    with zipfile.ZipFile(source) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    names = [info.filename for info, _data in parts]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            archive.writestr(info, data)
        if part not in names:
            archive.writestr(part, change("").encode("utf-8"))
    return out


def refused(descriptor: Path, path: Path, code: str, *words: str):
    """Import the file; it must give a problem with the code and words, and write nothing."""
    before = files(descriptor)
    done = import_files(load(descriptor), [path])
    assert done.written == []
    assert files(descriptor) == before
    found = [p for p in done.problems if p.code == code and all(w in str(p) for w in words)]
    assert found, [str(p) for p in done.problems]
    return found


# ---- .xlsx: sizes and reach ----------------------------------------------------------------


def far_cell(xml: str) -> str:
    return xml.replace("</sheetData>", FAR_ROW + "</sheetData>")


def forged_dimension(xml: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)


def far_row_without_references(xml: str) -> str:
    """No dimension, and a cell placed only by its row (cells may omit r="…")."""
    xml = re.sub(r"<dimension [^>]*/>", "", xml)
    cell = '<row r="900000"><c t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace("</sheetData>", cell + "</sheetData>")


def far_column(xml: str) -> str:
    cell = '<row r="40"><c r="HA40" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace("</sheetData>", cell + "</sheetData>")


@pytest.mark.parametrize(
    ("change", "cell"),
    [
        (far_cell, "XFD1048576"),
        (forged_dimension, "XFD1048576"),
        (far_row_without_references, "A900000"),
        (far_column, "HA40"),
    ],
)
def test_a_far_away_cell_is_refused_before_the_reader_allocates(
    package_copy, small, tmp_path, change, cell
):
    bad = rewrite(small, tmp_path / "far.xlsx", sheet_part(small, "themes"), change)
    assert bad.stat().st_size < 200_000
    [problem] = refused(package_copy, bad, "import-file", f"reaches cell {cell}", "10,000 rows")
    assert problem.place.sheet == "themes"
    assert "200 columns" in problem.message and "new workbook" in problem.fix


def test_the_command_reports_the_far_away_cell_and_exits_1(package_copy, book, tmp_path):
    bad = rewrite(book, tmp_path / "far.xlsx", sheet_part(book, "themes"), far_cell)
    before = files(package_copy)
    run = subprocess.run(
        [sys.executable, "-m", "civic_space", "import", str(bad), "--descriptor", package_copy],
        cwd=package_copy.parent,
        env={**os.environ, "LANGUAGE": "en"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "internal error" not in output and "Traceback" not in output
    assert "XFD1048576" in run.stdout and "nothing written" in run.stdout
    assert files(package_copy) == before


def test_a_shared_string_count_beyond_the_strings_held_is_refused(package_copy, book, tmp_path):
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="4000000000000"><si><t>x</t></si></sst>'
    )
    bad = rewrite(book, tmp_path / "sst.xlsx", "xl/sharedStrings.xml", lambda _xml: strings)
    refused(package_copy, bad, "import-file", "announces 1,000,000,000,000 strings")


def test_what_is_not_a_zip_archive_is_refused(package_copy, tmp_path):
    bad = tmp_path / "book.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 an old .xls, or an encrypted workbook")
    refused(package_copy, bad, "import-file", "not a zip archive")


def test_an_archive_that_unpacks_past_the_limit_is_refused(
    package_copy, small, tmp_path, monkeypatch
):
    monkeypatch.setattr(workbook_guard, "MAX_BYTES", 1_000_000)
    bomb = rewrite(small, tmp_path / "bomb.xlsx", "xl/media/image1.png", lambda _: "\0" * 2_000_000)
    assert bomb.stat().st_size < 200_000  # it packs small
    refused(package_copy, bomb, "import-file", "larger than 1 MB unpacked")


def test_a_part_that_unpacks_past_its_declared_size_is_refused(
    package_copy, small, tmp_path, monkeypatch
):
    """The sizes an archive declares may lie: the guard counts what the parts truly unpack to."""
    monkeypatch.setattr(workbook_guard, "MAX_BYTES", 1_000_000)
    big = "<a>" + " " * 2_000_000 + "</a>"
    liar = rewrite(small, tmp_path / "liar.xlsx", "customXml/item1.xml", lambda _: big)
    raw = bytearray(liar.read_bytes())
    with zipfile.ZipFile(liar) as archive:
        local = archive.getinfo("customXml/item1.xml").header_offset
    central = raw.rindex(b"customXml/item1.xml") - 46  # the name's last mention: the directory
    assert raw[local : local + 4] == b"PK\x03\x04" and raw[central : central + 4] == b"PK\x01\x02"
    raw[local + 22 : local + 26] = raw[central + 24 : central + 28] = (100).to_bytes(4, "little")
    liar.write_bytes(bytes(raw))
    with zipfile.ZipFile(liar) as archive:
        assert sum(i.file_size for i in archive.infolist()) < 1_000_000  # as declared
    refused(package_copy, liar, "import-file", "larger than 1 MB unpacked")


def test_an_archive_of_too_many_parts_is_refused(package_copy, book, monkeypatch):
    monkeypatch.setattr(workbook_guard, "MAX_PARTS", 10)
    refused(package_copy, book, "import-file", "lists more than 10 parts")


# ---- .xlsx: DTDs, formulas, what the reader raises -----------------------------------------


def with_dtd(xml: str) -> str:
    dtd = '<!DOCTYPE root [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    if xml.startswith("<?xml"):
        end = xml.index("?>") + 2
        return xml[:end] + dtd + xml[end:]
    return dtd + xml


@pytest.mark.parametrize("part", ["xl/workbook.xml", "sheet:themes", "[Content_Types].xml"])
def test_a_workbook_holding_a_dtd_is_refused_before_reading(package_copy, book, tmp_path, part):
    if part.startswith("sheet:"):
        part = sheet_part(book, part.removeprefix("sheet:"))
    bad = rewrite(book, tmp_path / "dtd.xlsx", part, with_dtd)
    [problem] = refused(package_copy, bad, "import-file", "holds a DTD", part)
    assert "spreadsheet programs never write" in problem.message
    assert "save the workbook again" in problem.fix


def replace_cell(xml: str, ref: str, cell: str) -> str:
    xml, count = re.subn(rf'<c r="{ref}"[^>]*>.*?</c>', cell, xml, count=1)
    assert count == 1
    return xml


def test_a_formula_without_a_saved_value_stops_the_import_at_its_cell(package_copy, book, tmp_path):
    def formulas(xml: str) -> str:
        xml = replace_cell(xml, "D2", '<c r="D2"><f>B2&amp;"!"</f></c>')
        return replace_cell(xml, "D3", '<c r="D3"><f t="shared" si="0"/><v/></c>')

    bad = rewrite(book, tmp_path / "f.xlsx", sheet_part(book, "themes"), formulas)
    found = refused(package_copy, bad, "import-cell", "formula with no saved value")
    places = {(p.place.sheet, p.place.row, p.place.column, p.field) for p in found}
    assert places == {("themes", 2, "D", "definition"), ("themes", 3, "D", "definition")}
    assert all("open and save the workbook" in p.fix for p in found)
    before = files(package_copy)
    assert import_files(load(package_copy), [bad], draft=True).written == []  # not even a draft
    assert files(package_copy) == before


def test_a_formula_with_its_saved_value_reads_as_that_value(package_copy, book, tmp_path):
    def cached(xml: str) -> str:
        text = re.search(r'<c r="D2"[^>]*><is><t[^>]*>(.*?)</t></is></c>', xml, re.S)[1]
        xml = replace_cell(xml, "D2", f'<c r="D2" t="str"><f>"…"</f><v>{text}</v></c>')
        # a formula that gave the empty text: Excel saves it as an empty <v> of type str
        return replace_cell(xml, "D3", '<c r="D3" t="str"><f>""</f><v></v></c>')

    good = rewrite(book, tmp_path / "f.xlsx", sheet_part(book, "themes"), cached)
    sheets, problems = read_sources(load(package_copy), [good])
    assert [str(p) for p in problems] == []
    header, rows = read_rows(load(package_copy).table("themes"))
    at = header.index("definition")
    assert sheets["themes"].rows[0] == rows[0]
    assert sheets["themes"].rows[1][at] == "" and rows[1][at] != ""  # the empty text it gave


def test_what_the_reader_raises_in_a_sheet_is_a_problem_of_the_file(package_copy, book, tmp_path):
    def broken(xml: str) -> str:  # a shared string that is not there
        return replace_cell(xml, "D2", '<c r="D2" t="s"><v>99999</v></c>')

    bad = rewrite(book, tmp_path / "s.xlsx", sheet_part(book, "themes"), broken)
    [problem] = refused(package_copy, bad, "import-file", "cannot be read")
    assert problem.place.sheet == "themes"


# ---- .ods ----------------------------------------------------------------------------------


def events_ods(descriptor: Path, path: Path, sentinel: dict[str, str] | None = None) -> Path:
    """The events table as an .ods, by the writer of test_workbook (as LibreOffice writes)."""
    from test_workbook import ods

    table = load(descriptor).table("events")
    header, rows = read_rows(table)
    rows = [list(r) for r in rows]
    for name, value in (sentinel or {}).items():
        rows[0][header.index(name)] = value
    return ods(path, {"events": [header, *rows]})


def libreoffice_padding(xml: str) -> str:
    """What LibreOffice writes after the data: each row padded with an empty repeated cell to
    the sheet's width, then the rest of the sheet as one empty row repeated."""
    xml = xml.replace(
        "</table:table-row>",
        '<table:table-cell table:number-columns-repeated="1000"/></table:table-row>',
    )
    rest = (
        '<table:table-row table:number-rows-repeated="1048540">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    return xml.replace("</table:table>", rest + "</table:table>")


def test_the_empty_repeats_libreoffice_writes_are_read_as_nothing(package_copy, tmp_path):
    plain = events_ods(package_copy, tmp_path / "plain.ods")
    padded = rewrite(plain, tmp_path / "events.ods", "content.xml", libreoffice_padding)
    before = files(package_copy)
    done = import_files(load(package_copy), [padded])
    assert [str(p) for p in done.problems] == [] and done.written == []
    assert files(package_copy) == before


FILLED = '<table:table-cell office:value-type="string"><text:p>far</text:p></table:table-cell>'
EMPTY_ROWS = (
    '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
)
WIDE = (
    '<table:table-cell office:value-type="string" table:number-columns-repeated="16000">'
    "<text:p>x</text:p></table:table-cell>"
)


@pytest.mark.parametrize(
    ("tail", "last_row", "last_column"),
    [
        # a value after a long empty stretch: the stretch is expanded
        (f"{EMPTY_ROWS}<table:table-row>{FILLED}</table:table-row>", 1_000_001, 0),
        # a row with a value, repeated
        (
            f'<table:table-row table:number-rows-repeated="1000000">{FILLED}</table:table-row>',
            1_000_000,
            0,
        ),
        # a cell with a value, repeated across
        (f"<table:table-row>{WIDE}</table:table-row>", 1, 15_999),
    ],
)
def test_ods_repeats_that_expand_past_the_limits_are_refused(
    package_copy, tmp_path, tail, last_row, last_column
):
    plain = events_ods(package_copy, tmp_path / "plain.ods")
    rows = len(read_rows(load(package_copy).table("events"))[1]) + 1  # the header, too

    def hostile(xml: str) -> str:
        return xml.replace("</table:table>", tail + "</table:table>")

    bad = rewrite(plain, tmp_path / "events.ods", "content.xml", hostile)
    cell = f"{column(last_column)}{rows + last_row}"
    [problem] = refused(package_copy, bad, "import-file", f"reaches cell {cell};")
    assert problem.place.sheet == "events"


def test_an_ods_formula_without_a_saved_value_stops_the_import(package_copy, tmp_path):
    plain = events_ods(package_copy, tmp_path / "plain.ods", {"note": "FORMULA"})
    cell = (
        '<table:table-cell office:value-type="string"><text:p>FORMULA</text:p></table:table-cell>'
    )
    bad = rewrite(
        plain,
        tmp_path / "events.ods",
        "content.xml",
        lambda x: x.replace(cell, '<table:table-cell table:formula="of:=1+1"/>'),
    )
    [problem] = refused(package_copy, bad, "import-cell", "formula with no saved value")
    assert (problem.place.sheet, problem.place.row, problem.field) == ("events", 2, "note")


def test_an_ods_holding_a_dtd_is_refused(package_copy, tmp_path):
    plain = events_ods(package_copy, tmp_path / "plain.ods")
    bad = rewrite(plain, tmp_path / "events.ods", "content.xml", with_dtd)
    refused(package_copy, bad, "import-file", "holds a DTD (content.xml)")


# ---- CSV -----------------------------------------------------------------------------------


def themes_csv(descriptor: Path, path: Path, third_line: bytes) -> Path:
    table = load(descriptor).table("themes")
    lines = table.path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([*lines[:2], third_line, *lines[3:]]))
    return path


def test_a_windows_1252_csv_is_refused_with_its_line_and_byte(package_copy, tmp_path):
    line = "health,Health \u201cquoted\u201d,,Care.,,pending,maintainers,".encode("cp1252")
    bad = themes_csv(package_copy, tmp_path / "themes.csv", line)
    [problem] = refused(package_copy, bad, "import-file", "byte b'\\x93' on line 3 is not UTF-8")
    assert "Windows-1252" in problem.message and "UTF-8" in problem.fix


def test_a_csv_with_a_nul_byte_is_refused(package_copy, tmp_path):
    bad = themes_csv(package_copy, tmp_path / "themes.csv", b"health,He\0alth,,Care.,,,,")
    refused(package_copy, bad, "import-file", "line 3 holds a NUL byte")


def test_what_the_csv_reader_raises_is_a_problem(package_copy, tmp_path, monkeypatch):
    long = b'health,"' + b"x" * 2_000 + b'",,Care.,,,,'
    bad = themes_csv(package_copy, tmp_path / "themes.csv", long)
    monkeypatch.setattr(
        tables_files, "MAX_CELL", 1_000
    )  # the one cell limit, which every reader sets
    refused(package_copy, bad, "import-file", "cannot be read as CSV on line 3", "longer than")


def test_a_csv_past_the_limits_is_refused(package_copy, tmp_path, monkeypatch):
    bad = themes_csv(package_copy, tmp_path / "themes.csv", b"health" + b",x" * 300)
    refused(package_copy, bad, "import-file", "line 3 goes beyond", "200 columns")
    monkeypatch.setattr(workbook_guard, "MAX_ROWS", 5)
    bad.write_bytes(load(package_copy).table("themes").path.read_bytes())
    refused(package_copy, bad, "import-file", "line 6 goes beyond the 5 rows")
    monkeypatch.setattr(workbook_guard, "MAX_BYTES", 1_000)
    assert bad.stat().st_size > 1_000
    refused(package_copy, bad, "import-file", "larger than")
