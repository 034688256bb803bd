"""What `import` meets at its edges: special files given as input, error cells, merged cells,
invisible characters in a header, line breaks inside a cell; each refused at its place with a
fix a person can act on, and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_space.descriptor import load
from civic_space.importer import import_files
from civic_space.workbook import template
from civic_space.workbook_model import Place
from civic_space.workbook_sheet import header_problems
from conftest import DESCRIPTOR
from test_import_damage import events_ods, files, refused, rewrite

# Every error a cell can show in Excel (and LibreOffice's own form of one); python-calamine
# reads the first seven as an empty cell, and refuses a whole sheet for the others.
EXCEL_ERRORS = ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]
NEWER_ERRORS = ["#SPILL!", "#CALC!", "#GETTING_DATA", "#BLOCKED!", "#FIELD!", "#CONNECT!"]


def run_import(descriptor: Path, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "civic_space", "import", str(path), "--descriptor", descriptor],
        cwd=descriptor.parent,
        env={**os.environ, "LANGUAGE": "en"},
        capture_output=True,
        text=True,
        timeout=60,  # a FIFO opened for reading would wait here for ever
    )


# ---- special files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["themes.csv", "book.xlsx"])
def test_a_named_pipe_is_refused_without_waiting(package_copy, tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    before = files(package_copy)
    run = run_import(package_copy, fifo)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "is not a file but a named pipe (FIFO)" in run.stdout
    assert "give the workbook or CSV file itself" in run.stdout
    assert "Traceback" not in run.stderr
    assert files(package_copy) == before


def test_a_folder_or_a_device_is_refused(package_copy, tmp_path):
    (tmp_path / "themes.csv").mkdir()
    refused(package_copy, tmp_path / "themes.csv", "import-file", "not a file but a folder")
    refused(package_copy, Path("/dev/null"), "import-file", "not a file but a device")


# ---- error cells -------------------------------------------------------------------------


def with_errors(descriptor: Path, path: Path, codes: list[str]) -> Path:
    """The template with each code as an error cell in the definition column (D), row 2 on."""
    book = openpyxl.load_workbook(template(load(descriptor), path))
    for row, code in enumerate(codes, start=2):
        book["themes"].cell(row, 4).value = code
        book["themes"].cell(row, 4).data_type = "e"
    book.save(path)
    return path


@pytest.mark.parametrize("codes", [EXCEL_ERRORS, NEWER_ERRORS], ids=["read-as-empty", "refused"])
def test_every_error_cell_is_refused_at_its_cell(package_copy, tmp_path, codes):
    book = with_errors(package_copy, tmp_path / "book.xlsx", codes)
    found = refused(package_copy, book, "import-cell", "shows the error")
    shown = {(p.place.sheet, p.place.row, p.place.column): p.message for p in found}
    assert shown == {
        ("themes", row, "D"): f"the cell shows the error {code}, not a value"
        for row, code in enumerate(codes, start=2)
    }
    assert all("correct the formula, or type the value itself" in p.fix for p in found)


def test_an_ods_error_cell_is_refused_at_its_cell(package_copy, tmp_path):
    plain = events_ods(package_copy, tmp_path / "plain.ods", {"note": "ERR"})
    error = (
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
        "</table:table-cell>"
    )

    def broken(xml: str) -> str:
        cell = '<table:table-cell office:value-type="string"><text:p>ERR</text:p>'
        cell += "</table:table-cell>"
        return xml.replace(cell, error).replace(
            "xmlns:text=",
            'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
            " xmlns:text=",
        )

    bad = rewrite(plain, tmp_path / "events.ods", "content.xml", broken)
    [problem] = refused(package_copy, bad, "import-cell", "shows the error #DIV/0!")
    assert (problem.place.sheet, problem.place.row, problem.field) == ("events", 2, "note")


# ---- merged cells ------------------------------------------------------------------------


def test_merged_cells_are_named_as_merged_not_as_empty(package_copy, tmp_path):
    book = openpyxl.load_workbook(template(load(package_copy), tmp_path / "book.xlsx"))
    book["themes"].merge_cells("F3:F5")  # mn_status, required: the two below read as empty
    book.save(tmp_path / "merged.xlsx")
    [problem] = refused(package_copy, tmp_path / "merged.xlsx", "import-merged", "F3:F5")
    assert (problem.place.row, problem.place.column) == (3, "F")
    assert str(problem).count("cells F3:F5 are merged — unmerge them and fill each cell") == 1
    done = import_files(load(package_copy), [tmp_path / "merged.xlsx"])
    assert not [p for p in done.problems if "empty" in p.message], [str(p) for p in done.problems]


def test_merged_ods_cells_are_named_as_merged(package_copy, tmp_path):
    plain = events_ods(package_copy, tmp_path / "plain.ods", {"note": "MERGED"})
    cell = '<table:table-cell office:value-type="string"><text:p>MERGED</text:p>'
    spanned = cell.replace("<table:table-cell ", '<table:table-cell table:number-rows-spanned="2" ')
    bad = rewrite(plain, tmp_path / "events.ods", "content.xml", lambda x: x.replace(cell, spanned))
    [problem] = refused(package_copy, bad, "import-merged", "are merged")
    assert (problem.place.sheet, problem.place.row) == ("events", 2)


# ---- invisible characters, line breaks ----------------------------------------------------


def test_a_csv_starting_with_two_boms_names_the_invisible_one(package_copy, tmp_path):
    text = load(package_copy).table("themes").path.read_bytes()
    (tmp_path / "themes.csv").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + text)
    [problem] = refused(package_copy, tmp_path / "themes.csv", "import-header", "is not a field")
    assert "“[U+FEFF ZERO WIDTH NO-BREAK SPACE]theme_id” is not a field" in str(problem)
    assert "\ufeff" not in str(problem)


def test_a_cr_lf_inside_a_cell_gets_a_fix_that_works(package_copy, tmp_path):
    table = load(package_copy).table("themes")
    lines = table.path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[-1] = '"one\r\ntwo"'  # note
    lines[1] = ",".join(cells)
    (tmp_path / "themes.csv").write_text("\n".join(lines), encoding="utf-8", newline="")
    done = import_files(load(package_copy), [tmp_path / "themes.csv"])
    assert done.written == []
    [problem] = [str(p) for p in done.problems]
    assert "row 2, column H: note: the cell holds a Windows line break (CR LF" in problem
    assert "Alt+Enter" in problem and "nox -s format" not in problem


HIDDEN = st.characters(categories=["Cf", "Zs", "Cc"], exclude_characters=" ")


@settings(max_examples=200, deadline=None)
@given(hidden=st.lists(HIDDEN, min_size=1, max_size=3), at=st.integers(1, 7))
def test_every_invisible_character_in_a_header_is_shown_by_name(hidden, at):
    """Whatever invisible characters a label holds (format, space and control characters),
    the message names each one, and holds none of them as such."""
    table = load(DESCRIPTOR).table("themes")
    label = "theme_id"[:at] + "".join(hidden) + "theme_id"[at:]
    header = [label, *table.field_names[1:]]
    problems = [str(p) for p in header_problems(table, Place("themes.csv", None, 1), header)]
    message = next(p for p in problems if "is not a field" in p)
    for c in hidden:
        assert f"U+{ord(c):04X}" in message
        assert unicodedata.name(c, "") in message
        assert c not in message
