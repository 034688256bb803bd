"""An import is all or nothing: stopped at any stage, even by SIGKILL, it leaves every file of
the package byte for byte as it was, and leaves nothing behind; run to the end, it writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from civic_space import importer
from civic_space.descriptor import load
from civic_space.workbook import template


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def edited(package_copy, tmp_path) -> Path:
    """A valid workbook that changes one cell of the themes table."""
    book = template(load(package_copy), tmp_path / "book.xlsx")
    workbook = load_workbook(book)
    sheet = workbook["themes"]
    column = [c.value for c in sheet[1]].index("definition") + 1
    sheet.cell(2, column).value = "A definition written in the workbook."
    workbook.save(book)
    return book


def start(package_copy, book) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "civic_space", "import", str(book)],
        cwd=package_copy.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={"LANG": "C"},
    )


@pytest.mark.parametrize("stage", ["reading", "validating"])
def test_killed_at_a_stage_nothing_changes(package_copy, edited, stage):
    before = snapshot(package_copy.parent)
    process = start(package_copy, edited)
    said = []
    for line in process.stderr:
        said.append(line)
        if line.startswith(stage):
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, said  # killed in that stage, not finished
    assert snapshot(package_copy.parent) == before


def test_run_to_the_end_it_writes(package_copy, edited):
    before = snapshot(package_copy.parent)
    process = start(package_copy, edited)
    said = process.stderr.read()
    assert process.wait(timeout=120) == 0, said
    after = snapshot(package_copy.parent)
    assert {k for k in after if after[k] != before.get(k)} == {"data/themes.csv"}


def test_stopped_while_swapping_in_nothing_changes(package_copy, edited, monkeypatch):
    before = snapshot(package_copy.parent)

    def interrupted(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(importer.edge.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        importer.import_files(load(package_copy), [edited])
    assert snapshot(package_copy.parent) == before  # no temporary file left either


def test_import_never_writes_through_a_symlink(package_copy, edited, tmp_path):
    outside = tmp_path / "outside.csv"
    table = package_copy.parent / "data" / "themes.csv"
    outside.write_bytes(table.read_bytes())
    table.unlink()
    table.symlink_to(outside)
    before = outside.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "civic_space", "import", str(edited)],
        cwd=package_copy.parent,
        capture_output=True,
        text=True,
        env={"LANG": "C"},
    )
    assert result.returncode == 1 and "symbolic link" in result.stderr, result.stderr
    assert outside.read_bytes() == before and table.is_symlink()
