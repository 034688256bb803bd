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


# ---- what a cell that could not be read spoils --------------------------------------------

MERGES = [("events", "B3:B5"), ("events", "A3:A5"), ("sdg_targets", "A4:B6"), ("themes", "A2:A3")]


@pytest.mark.parametrize(("sheet", "cells"), MERGES)
def test_a_merge_is_reported_once_and_its_consequences_not_at_all(
    package_copy, tmp_path, sheet, cells
):
    """The merge spoils its own cells, their rows and what refers to its table (every foreign
    key into it): the report is the merge alone, and the other rows are still read."""
    book = openpyxl.load_workbook(template(load(package_copy), tmp_path / "book.xlsx"))
    book[sheet].merge_cells(cells)
    book.save(tmp_path / "merged.xlsx")
    before = files(package_copy)
    done = import_files(load(package_copy), [tmp_path / "merged.xlsx"])
    assert [p.code for p in done.problems] == ["import-merged"], [str(p) for p in done.problems]
    assert done.written == [] and files(package_copy) == before
    assert not [d.name for d in done.diffs if d and d.name != sheet]  # the others as they were
    [diff] = [d for d in done.diffs if d.name == sheet]
    assert len(diff.removed) <= 2  # the sheet was read: at most the rows whose key was merged


@pytest.mark.parametrize("typed", [16.1, 17.1, 0.5, 1e20])
def test_a_number_typed_for_text_is_refused_at_its_cell(package_copy, tmp_path, typed):
    """16.10 typed in an id column is stored as 16.1: refused there, never written, and the
    rows that refer to 16.10 are not reported as its consequence."""
    book = openpyxl.load_workbook(template(load(package_copy), tmp_path / "book.xlsx"))
    sheet = book["sdg_targets"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "16.10")
    row[0].value = typed
    book.save(tmp_path / "typed.xlsx")
    [problem] = refused(package_copy, tmp_path / "typed.xlsx", "import-cell", "apostrophe")
    assert (problem.place.sheet, problem.place.row, problem.place.column) == (
        "sdg_targets",
        row[0].row,
        "A",
    )
    assert "trailing zero" in problem.message
    done = import_files(load(package_copy), [tmp_path / "typed.xlsx"])
    assert [str(p) for p in done.problems] == [str(problem)]


@settings(max_examples=200, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_no_number_that_may_have_lost_its_text_is_read_as_text(value):
    """Any number in a text column reads as its digits only when it is a whole number a
    spreadsheet holds exactly; any other is refused, never imported silently."""
    from civic_space.workbook_cells import cell_text

    text, wrong = cell_text(value, {"type": "string"})
    if wrong is None:
        assert value.is_integer() and abs(value) < 1e15 and float(text) == value
    else:
        assert wrong == "text-number"


# ---- separators and names -------------------------------------------------------------------


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_a_csv_with_another_separator_says_so(package_copy, tmp_path, separator):
    text = load(package_copy).table("themes").path.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[0] = lines[0].replace(",", separator)  # the data may hold commas: the header cannot
    (tmp_path / "themes.csv").write_text("\n".join(lines), encoding="utf-8")
    [problem] = refused(package_copy, tmp_path / "themes.csv", "import-header", "separated by")
    assert "not by commas" in problem.message and "CSV" in problem.fix


def test_a_sheet_holding_a_csv_in_one_column_says_so(package_copy, tmp_path):
    book = openpyxl.load_workbook(template(load(package_copy), tmp_path / "book.xlsx"))
    sheet = book["themes"]
    header = [c.value for c in sheet[1]]
    for c in sheet[1]:
        c.value = None
    sheet["A1"] = ";".join(header)
    book.save(tmp_path / "one-column.xlsx")
    [problem] = refused(package_copy, tmp_path / "one-column.xlsx", "import-header", "“;”")
    assert "Text to Columns" in problem.fix


def test_two_files_of_one_name_are_named_by_their_folders(package_copy, tmp_path):
    text = load(package_copy).table("themes").path.read_bytes()
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "themes.csv").write_bytes(text)
    paths = [tmp_path / "a" / "themes.csv", tmp_path / "b" / "themes.csv"]
    [problem] = import_files(load(package_copy), paths).problems
    assert str(problem).startswith("b/themes.csv: ") and "as does a/themes.csv" in str(problem)


@given(
    names=st.lists(
        st.lists(st.sampled_from(["a", "b", "data", "themes.csv"]), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
        unique_by=tuple,
    )
)
def test_every_file_is_named_apart_from_the_others(names):
    from civic_space.workbook import labels

    paths = [Path(*parts) for parts in names]
    shown = labels(paths)
    assert len(set(shown.values())) == len(paths)
    assert all(str(p).endswith(shown[p]) for p in paths)
