"""The per-value view in the .xlsx download (workbook_view): a read-only sheet named and laid out
from value_view.json that holds the view's rows; the import leaves it aside as written (or only
reordered, or renamed) and refuses, at the row, any edit made to it, writing nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from civic_space import i18n, value_view, workbook_view
from civic_space import workbook_guard as guard
from civic_space.descriptor import load
from civic_space.importer import import_files
from civic_space.workbook import ABOUT, template
from conftest import copy_package

SHEET = workbook_view.sheet_name()


def in_mongolian(text: str) -> str:
    return i18n.messages("mn").get((None, text), text)


def files(descriptor: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((descriptor.parent / "data").glob("*.csv"))}


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return copy_package(tmp_path_factory.mktemp("package"))


@pytest.fixture(scope="module")
def book(package, tmp_path_factory) -> Path:
    return template(load(package), tmp_path_factory.mktemp("book") / "book.xlsx")


@pytest.fixture(scope="module")
def want(package) -> list[tuple]:
    """The view computed from the tables: header, then its rows as text ("" for none)."""
    with value_view.computed(load(package)) as view:
        rows = [tuple(v or "" for v in r) for batch in view.batches() for r in batch]
    return [tuple(value_view.names().values()), *rows]


def grid(path: Path, sheet: str = SHEET) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def imported(package: Path, path: Path):
    """Import `path`; whatever it says, the package's files are as they were."""
    before = files(package)
    done = import_files(load(package), [path])
    assert files(package) == before and done.written == []
    return done


def test_the_sheet_is_the_view_read_only_and_said_so_in_both_languages(book, want):
    assert SHEET.startswith(value_view.name()) and len(SHEET) <= 31
    assert [tuple(v for v in row) for row in grid(book)] == [
        tuple(v for v in row) + ("",) * (len(want[0]) - len(row)) for row in want
    ]
    workbook = load_workbook(book)
    sheet = workbook[SHEET]
    assert workbook.sheetnames[-1] == SHEET and sheet.protection.sheet
    english, mongolian = workbook_view.note(), workbook_view.note(in_mongolian)
    assert mongolian != english  # translated in the catalogue
    for cell in sheet[1]:
        assert english in cell.comment.text and mongolian in cell.comment.text
    about = [row for row in workbook[ABOUT].iter_rows(values_only=True) if row[0] == SHEET]
    assert [row[2] for row in about] == list(want[0])


def test_an_unchanged_workbook_imports_as_no_change(package, book):
    done = imported(package, book)
    assert [str(p) for p in done.problems] == [] and not any(done.diffs)


def test_sorted_or_renamed_the_sheet_is_still_left_aside(package, book, tmp_path):
    workbook = load_workbook(book)
    sheet = workbook[SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    random.Random(7).shuffle(rows)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c).value = value
    sheet.title = "my copy of the values"
    workbook.save(tmp_path / "sorted.xlsx")
    done = imported(package, tmp_path / "sorted.xlsx")
    assert [str(p) for p in done.problems] == []


def test_an_edited_sheet_is_refused_at_the_row_and_nothing_is_written(package, book, tmp_path):
    workbook = load_workbook(book)
    sheet = workbook[SHEET]
    sheet.cell(7, 4).value = "a value typed into the view"
    sheet.delete_rows(20)  # a deleted row beside a changed one: the changed one is located
    workbook.save(tmp_path / "edited.xlsx")
    done = imported(package, tmp_path / "edited.xlsx")
    found = [str(p) for p in done.problems if p.code == "import-derived"]
    assert found == [
        f"edited.xlsx: sheet {SHEET!r}, row 7: this row ({' / '.join(grid(book)[6][:3])} / a value"
        " typed into the view) was changed or added: the sheet shows the values the tables hold,"
        " and an edit here changes none of them — make the change in the table's own sheet (a"
        " value) or in the annotations sheet (its basis); then undo the edits in this sheet, or"
        " delete the sheet, which the downloads make again [import-derived]"
    ]
    assert not done.diffs or not any(done.diffs)


def test_the_views_csv_given_to_import_is_checked_as_the_sheet_is(package, want, tmp_path):
    from civic_space.formatting import render

    path = tmp_path / f"{value_view.name()}.csv"
    path.write_bytes(render(list(want[0]), [list(r) for r in want[1:]]).encode("utf-8"))
    assert imported(package, path).problems == []
    rows = [list(r) for r in want[1:]]
    rows[3][3] += " (edited)"
    path.write_bytes(render(list(want[0]), rows).encode("utf-8"))
    [problem] = imported(package, path).problems
    assert problem.code == "import-derived" and problem.place.row == 5  # header, then row 4


@st.composite
def edited(draw, want: list[tuple]):
    """The view's grid with one edit, and the spreadsheet row an added or changed row is at
    (None where the edit only deletes, or only reorders)."""
    rows = [list(r) for r in want]
    kind = draw(st.sampled_from(["cell", "add", "delete", "header", "swap", "clear"]))
    at = draw(st.integers(1, len(rows) - 1))
    text = draw(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8))
    if kind == "cell":
        column = draw(st.integers(0, len(rows[0]) - 1))
        if rows[at][column] == text:
            text += "x"
        rows[at][column] = text
        return rows, at + 1, kind
    if kind == "add":
        rows.insert(at, [*rows[at][:3], text + "!"])
        return rows, at + 1, kind
    if kind == "delete":
        del rows[at]
        return rows, None, kind
    if kind == "header":
        rows[0][at % len(rows[0])] = text + "?"
        return rows, 1, kind
    if kind == "clear":
        return [], None, kind
    other = draw(st.integers(1, len(rows) - 1))
    rows[at], rows[other] = rows[other], rows[at]
    return rows, None, kind


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_edit_is_found_and_no_reordering_is_one(want, data):
    """Any one change to the sheet, of any cell, is refused at its row; deleting rows is
    refused at the sheet; swapping rows is no edit."""
    rows, row, kind = data.draw(edited(want))
    problems = workbook_view.edits(want, "book.xlsx", SHEET, rows)
    if kind == "swap":
        assert problems == []
        return
    assert problems and {p.code for p in problems} == {"import-derived"}
    assert [p.place.row for p in problems] == [row]


def test_a_view_too_large_for_the_workbook_is_one_row_that_says_where_it_is(
    package, want, monkeypatch
):
    monkeypatch.setattr(guard, "MAX_ROWS", 100)
    header, *rest = workbook_view.expected(load(package))
    assert header == tuple(value_view.names().values())
    [(said,)] = rest
    count = len(want) - 1
    english, mongolian = (
        workbook_view.too_large(count),
        workbook_view.too_large(count, in_mongolian),
    )
    assert str(count) in english and mongolian != english
    assert said == f"{english}\n\n{mongolian}"
    assert workbook_view.edits([header, *rest], "b.xlsx", SHEET, [list(header), [said]]) == []


def test_a_view_past_its_share_of_the_text_imports_back_as_no_change(
    package, tmp_path, monkeypatch
):
    monkeypatch.setattr(workbook_view, "TEXT_SHARE", guard.MAX_TEXT)  # a character's worth
    small = template(load(package), tmp_path / "small.xlsx")
    assert len(grid(small)) == 2
    assert [str(p) for p in imported(package, small).problems] == []
