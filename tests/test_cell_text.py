"""A cell's text as every publisher holds it: no cell longer than a spreadsheet cell passes the
gate (files.MAX_CELL_CHARS, one number for both engines, the .xlsx download and the template),
and a Windows line break inside a cell is refused at that cell with a fix that works."""

from __future__ import annotations

from importlib import import_module

import duckdb
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_space import exports_formats, files
from civic_space.descriptor import PackageError, load
from conftest import set_cell
from test_canonical import verdicts

KEY = ("events", "chrd-website-rebuilt")
cell_length = import_module("civic_space.checks.cell_length")  # the module, not its check


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize("extra", [0, 1])
def test_the_spreadsheet_cell_limit_is_the_gate_s(package_copy, engine, extra):
    """At the limit, a cell passes; one character over (a 4-byte one: characters are counted,
    not bytes), both engines refuse it at its line and field, and say how long it is."""
    text = "Ab\U0001d538 " * (files.MAX_CELL_CHARS // 4) + "x" * (files.MAX_CELL_CHARS % 4 + extra)
    assert len(text) == files.MAX_CELL_CHARS + extra
    line = set_cell(package_copy, *KEY, "note", text)
    problems, handed = verdicts(package_copy, engine)
    long = [p for p in problems if p.code == "cell-too-long"]
    if not extra:
        assert not long and not handed, [str(p) for p in problems]
        return
    [problem] = long
    assert (problem.line, problem.field) == (line, "note")
    assert f"{len(text):,} characters" in problem.message and "32,767" in problem.message


def test_what_the_gate_accepts_the_xlsx_download_holds_whole(package_copy, tmp_path):
    text = ("Lorem ipsum dolor sit amet. " * 1500)[: files.MAX_CELL_CHARS]
    set_cell(package_copy, *KEY, "note", text)
    assert not [p for p in verdicts(package_copy, "reference")[0] if p.code == "cell-too-long"]
    path = exports_formats.workbook(load(package_copy), tmp_path)
    sheet = openpyxl.load_workbook(path, read_only=True)["events"]
    held = [c for r in sheet.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert text in held


def test_the_xlsx_writer_refuses_what_it_would_cut(package_copy, tmp_path):
    """Should the gate be bypassed, the writer says so rather than cut the text (openpyxl cuts
    it at 32,767 characters without a word)."""
    set_cell(package_copy, *KEY, "note", "x" * (files.MAX_CELL_CHARS + 1))
    with pytest.raises(PackageError, match="32,767"):
        exports_formats.workbook(load(package_copy), tmp_path)


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=40))
def test_duckdb_counts_characters_as_python_does(text):
    """The fast form of the rule (SQL length()) counts what the reference's len() counts."""
    assert duckdb.connect().execute("SELECT length(?)", [text]).fetchall() == [(len(text),)]
    assert cell_length.note_for(len(text)) is None
    assert cell_length.note_for(files.MAX_CELL_CHARS + len(text)) is not None


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize("value", ["Line one.\r\nLine two.", "Line one.\rLine two."])
def test_a_windows_line_break_in_a_cell_is_refused_there_with_a_fix_that_works(
    package_copy, engine, value
):
    line = set_cell(package_copy, *KEY, "note", value)
    problems, _handed = verdicts(package_copy, engine)
    [problem] = problems
    assert (problem.line, problem.field, problem.code) == (line, "note", "unicode-form")
    assert "LF" in problem.fix and "format" not in problem.fix
    path = load(package_copy).table("events").path
    # The fix: an editor set to LF line endings writes each CR LF (or lone CR) as LF.
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    assert verdicts(package_copy, engine)[0] == []


def test_lines_ending_in_cr_still_say_format(package_copy):
    path = load(package_copy).table("themes").path
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    problems, _handed = verdicts(package_copy, "reference")
    assert [(p.code, "format" in p.fix) for p in problems] == [("canonical-form", True)]
