"""Shared fixtures: a scratch copy of the package to damage, and helpers to edit it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civic_space.descriptor import load
from civic_space.formatting import read_rows, render

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTOR = ROOT / "datapackage.json"
REPORT = ROOT.parent / "shared" / "sources" / "final-report.md"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the real package in a temporary folder; returns its datapackage.json."""
    shutil.copy(DESCRIPTOR, tmp_path / "datapackage.json")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    return tmp_path / "datapackage.json"


@pytest.fixture(scope="session")
def report_text() -> str:
    if not REPORT.exists():
        pytest.skip(f"the source report is not beside this checkout ({REPORT})")
    return REPORT.read_text(encoding="utf-8")


def set_cell(descriptor: Path, table: str, key: str, field: str, value: str) -> int:
    """Set one cell of the row whose primary key (joined by '/') is `key`; return its line."""
    tab = load(descriptor).table(table)
    header, rows = read_rows(tab)
    pk = [header.index(name) for name in tab.primary_key]
    for number, row in enumerate(rows, start=2):
        if "/".join(row[i] for i in pk) == key:
            row[header.index(field)] = value
            tab.path.write_text(render(header, rows), encoding="utf-8")
            return number
    raise KeyError(f"{table}: no row {key}")
