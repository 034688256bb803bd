"""The cell-size limit is one number (files.MAX_CELL): what validation accepts, every reader of
the tables reads (format, from-issue, the exports, the site), whatever the process imported
first; and what is over it is refused alike by both engines and every reader, with the right
reason."""

from __future__ import annotations

import csv
import subprocess
import sys

import duckdb
import pytest

from civic_space import exports, files
from civic_space.descriptor import PackageError, load
from civic_space.formatting import iter_rows, read_rows
from conftest import set_cell
from test_canonical import run, verdicts


@pytest.fixture
def small_field_limit():
    """Python's csv limit as a fresh process has it (131,072), frictionless not yet imported."""
    limit = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(limit)


def test_a_long_cell_that_validates_is_read_by_every_reader(package_copy, small_field_limit):
    text = "Долоо хоног үргэлжилсэн. " * 8_000  # 200,000 characters, 2 bytes each mostly
    set_cell(package_copy, "events", "plenary-forum", "description_mn", text.strip())
    package = load(package_copy)
    table = package.table("events")
    assert len(text) > 131_072 * 1.5
    csv.field_size_limit(131_072)
    header, rows = read_rows(table)  # format, from-issue, the site's pages
    assert any(len(r[header.index("description_mn")]) > 190_000 for r in rows)
    csv.field_size_limit(131_072)
    assert len(list(iter_rows(table))) == len(rows)  # the exports
    csv.field_size_limit(131_072)
    done = run(package_copy, "format", "--check")
    assert done.returncode == 0, done.stderr
    out = package_copy.parent / "out.sqlite"
    exports.sqlite(package, out)
    assert out.stat().st_size > 200_000
    # The gate refuses a cell over a spreadsheet cell's limit: from-issue needs a valid package.
    set_cell(package_copy, "events", "plenary-forum", "description_mn", "ө" * files.MAX_CELL_CHARS)
    from test_from_issue import VALID, body  # a fresh process, as the workflow runs it

    issue = package_copy.parent / "issue.md"
    issue.write_text(body(VALID), encoding="utf-8")
    options = ["--table", "events", "--descriptor", str(package_copy)]
    done = subprocess.run(
        [sys.executable, "-m", "civic_space", "from-issue", str(issue), *options],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=package_copy.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize(
    ("cells", "words"),
    [
        ({"description": 1_000}, "longer than 20,000 characters"),  # one cell over the limit
        ({"description": 600, "note": 600}, "may take at most 0.02 MB"),  # a row over it
    ],
)
def test_text_over_the_limit_across_lines_is_refused_alike(
    package_copy, monkeypatch, small_field_limit, engine, cells, words
):
    """Cells whose lines are each short but whose whole is over the limit: validation refuses
    them at their line with the right reason, and so does every reader (not "check its
    quotes"). The limit is made small; the real one is the same code."""
    monkeypatch.setattr(files, "MAX_CELL", 20_000)
    for field, lines in cells.items():
        text = "\n".join(["A line of a long description."] * lines)
        line = set_cell(package_copy, "events", "plenary-forum", field, text)
    problems, _handed = verdicts(package_copy, engine)
    [problem] = problems
    assert (problem.line, problem.code) == (line, "cell-too-large")
    assert words in problem.message and "quote" not in problem.fix
    if len(cells) == 1:
        with pytest.raises(PackageError) as refused:
            read_rows(load(package_copy).table("events"))
        assert words in refused.value.message and "quote" not in refused.value.fix


def test_duckdb_reads_any_row_within_the_limit(tmp_path):
    """The worst row validation accepts: MAX_CELL bytes of text, every character a quote."""
    path = tmp_path / "t.csv"
    cell = '"' * (files.MAX_CELL - 1)
    path.write_text('a,b\n"' + cell.replace('"', '""') + '",1\n', encoding="utf-8")
    from civic_space.sql import read_csv

    found = (
        duckdb.connect().execute(f"SELECT length(a) FROM {read_csv(path, ['a', 'b'])}").fetchone()
    )
    assert found == (len(cell),)
