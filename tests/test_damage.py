"""Each kind of constraint: a broken copy of the real package is refused, at the right place."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from civic_space.validate import validate
from conftest import ROOT, set_cell

# (table, row key, field, bad value, expected error code, words the message must contain)
DAMAGE = [
    ("events", "workshop-bayandun", "start_date", "2022-13-02", "type-error", "YYYY-MM-DD"),
    ("metrics", "online-reach", "value", "3,281", "type-error", "whole number"),
    ("places", "bayandun", "level", "district", "constraint-error", "use one of: country"),
    ("issues", "dariganga-03", "text", "", "constraint-error", "must be filled in"),
    (
        "channels",
        "chrd-website",
        "url",
        "https://www.facebook.com/chrdmongolia",
        "unique-error",
        "own value",
    ),
    ("channels", "chrd-website", "url", "javascript:alert(1)", "constraint-error", "pattern"),
    ("places", "dariganga", "latitude", "95.1", "constraint-error", "maximum"),
    ("issues", "choibalsan-04", "theme_id", "healthcare", "foreign-key", "themes table"),
    ("events", "plenary-forum", "part_of", "annual-forum", "foreign-key", "events table"),
    ("places", "dornod", "iso_code", "MN-099", "iso-code", "ISO 3166"),
    ("places", "ulaanbaatar", "iso_code", "MN-061", "iso-code", "province"),
]


@pytest.mark.parametrize(
    ("table", "key", "field", "value", "code", "words"),
    DAMAGE,
    ids=[d[4] + ":" + d[2] for d in DAMAGE],
)
def test_damage_is_refused_at_its_line(package_copy, table, key, field, value, code, words):
    line = set_cell(package_copy, table, key, field, value)
    problems = list(validate(package_copy))
    hits = [p for p in problems if p.code == code and p.field == field]
    assert hits, [str(p) for p in problems]
    hit = hits[0]
    assert hit.path.endswith(f"data/{table}.csv")
    assert hit.line == line
    assert words in str(hit)


def test_duplicate_primary_key_is_refused(package_copy):
    path = package_copy.parent / "data" / "event_roles.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    problems = list(validate(package_copy))
    assert ("primary-key", len(lines) + 1) in [(p.code, p.line) for p in problems]


def test_descriptor_that_is_not_json(package_copy):
    package_copy.write_text('{"resources": [', encoding="utf-8")
    (problem,) = validate(package_copy)
    assert (problem.code, problem.line) == ("package-error", 1)
    assert "not valid JSON" in problem.message


def test_missing_csv(package_copy):
    (package_copy.parent / "data" / "themes.csv").unlink()
    problems = list(validate(package_copy))
    assert problems and all("themes.csv" in str(p) or "themes" in str(p) for p in problems[:1])


def test_cli_exit_code_and_no_traceback(package_copy):
    set_cell(package_copy, "events", "workshop-dariganga", "end_date", "18 October 2022")
    shutil.rmtree(package_copy.parent / "schemas" / "__pycache__", ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "civic_space", "validate", str(package_copy)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "scripts")},  # this checkout's code; no locale: English
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "end_date: “18 October 2022” is not a date" in result.stdout
    assert "1 error in 1 file" in result.stdout


def run_cli(descriptor, *args):
    return subprocess.run(
        [sys.executable, "-m", "civic_space", "validate", *args, str(descriptor)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "scripts")},  # this checkout's code; no locale: English
    )


def test_cell_text_cannot_drive_the_terminal(package_copy):
    set_cell(package_copy, "events", "workshop-dariganga", "end_date", "x\n\x1b[31mred\u202e")
    result = run_cli(package_copy)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "end_date: “x\\n\\x1b[31mred\\u202e” is not a date" in result.stdout


def test_output_is_capped_per_file(package_copy):
    path = package_copy.parent / "data" / "issues.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, *[lines[1]] * 120]), encoding="utf-8")
    result = run_cli(package_copy)
    lines = result.stdout.splitlines()
    shown = [ln for ln in lines if ln.split(":")[0].endswith("issues.csv") and ln.endswith("]")]
    more = [ln for ln in shown if " more problems of this kind" in ln]
    assert result.returncode == 1 and len(shown) - len(more) == 100 and more
    assert "--format json" not in result.stdout  # JSON holds the same capped report


def test_misaligned_rows_are_counted_past_the_first_hundred(package_copy):
    path = package_copy.parent / "data" / "themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, *["a,b\n"] * 150]), encoding="utf-8")
    problems = list(validate(package_copy))
    assert [p.code for p in problems].count("missing-cell") == 101  # 100, then 1 for the rest
    assert problems[-1].code == "missing-cell" and problems[-1].more == 50
    assert problems[-1].line == problems[-2].line + 1  # the first line not shown


@pytest.mark.parametrize("at", [0, 1, 4095, 4096, 4097, 10_000])
def test_a_long_line_is_found_wherever_chunks_split_it(tmp_path, monkeypatch, at):
    """The streaming scan, with chunks and the cell limit made small: a line one byte over the
    limit is found, at its line, wherever it starts relative to a chunk's edge."""
    from civic_space import files

    monkeypatch.setattr(files, "CHUNK", 4096)
    monkeypatch.setattr(files, "MAX_CELL", 3000)
    path = tmp_path / "t.csv"
    short = b"a,b\n" * (at // 4) + b"x" * (at % 4)
    path.write_bytes(short + b"\n" + b"y" * 3001 + b"\nend\n")
    found = files.scan(path)
    assert found.longest == 3001 and found.long_line == short.count(b"\n") + 2
    path.write_bytes(short + b"\n" + b"y" * 3000 + b"\nend\n")
    assert files.scan(path).longest <= 3000
