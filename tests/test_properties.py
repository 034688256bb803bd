"""Random valid rows, built from the schemas, pass validation; random damage to them does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from civic_space.descriptor import load
from civic_space.formatting import format_package, read_rows, render
from civic_space.validate import validate
from conftest import ROOT, copy_package
from strategies import new_row

# Tables whose rows stand alone (no cross-table rule ties a new row to others). Not demands: the
# report states how many there are, and a count of them must agree (the counts table).
STANDALONE = ["organisations", "channels", "sdg_targets", "event_roles", "sources"]
DAMAGE = {
    "type": "not a value",
    "formula": "=1+1",
    "spaces": " x",
    "control": "a\x0bb",
    "mixed": "CHRД",
}
SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return copy_package(tmp_path_factory.mktemp("package"))


def restore(descriptor: Path) -> None:
    shutil.rmtree(descriptor.parent / "data")
    shutil.copytree(ROOT / "data", descriptor.parent / "data")


def append(descriptor: Path, table_name: str, row: list[str]) -> int:
    """Add a row, put the file in canonical order, return the row's line."""
    package = load(descriptor)
    table = package.table(table_name)
    header, rows = read_rows(table)
    table.path.write_text(render(header, [*rows, row]), encoding="utf-8")
    format_package(package)
    return read_rows(table)[1].index(row) + 2


@SETTINGS
@given(data=st.data(), table_name=st.sampled_from(STANDALONE))
def test_random_valid_rows_pass(scratch, data, table_name):
    package = load(scratch)
    row = data.draw(new_row(package, package.table(table_name)))
    try:
        append(scratch, table_name, row)
        assert [str(p) for p in validate(scratch)] == []
    finally:
        restore(scratch)


@SETTINGS
@given(data=st.data(), table_name=st.sampled_from(STANDALONE), damage=st.sampled_from(list(DAMAGE)))
def test_random_damage_to_a_valid_row_is_caught(scratch, data, table_name, damage):
    package = load(scratch)
    table = package.table(table_name)
    row = data.draw(new_row(package, table))
    candidates = [
        i
        for i, f in enumerate(table.fields)
        if f["name"] not in table.primary_key
        and (damage != "type" or f.get("type", "string") not in ("string",))
        and (damage == "type" or f.get("type", "string") == "string")
    ]
    assume(candidates)  # a table with no field of the damage's kind says nothing
    index = data.draw(st.sampled_from(candidates))
    row[index] = DAMAGE[damage]
    try:
        line = append(scratch, table_name, row)
        problems = [p for p in validate(scratch) if p.path.endswith(f"{table_name}.csv")]
        field = table.fields[index]["name"]
        assert any(p.line == line and p.field == field for p in problems), [
            str(p) for p in problems
        ]
    finally:
        restore(scratch)
