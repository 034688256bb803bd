"""Random damage: whatever bytes a table holds, validation finishes, says valid or lists located
problems with a fix, and never fails inside; its peak memory stays small on the worst cases."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_space.validate import validate
from test_mutations import MUTATIONS

ONCE = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Characters that damage CSVs: separators, quotes, line ends, NUL, a BOM, invisible ones.
NASTY = st.sampled_from([",", '"', "\n", "\r", "\x00", "\ufeff", "\u200b", "\u202e", "=", "ё"])
PIECES = st.lists(st.one_of(NASTY, st.text(max_size=5)), max_size=20).map("".join)


def judged(descriptor, engine: str = "reference") -> list:
    problems = list(validate(descriptor, engine=engine))  # an exception here fails the test
    for problem in problems:
        assert " — " in str(problem) and problem.code, str(problem)
    return problems


@ONCE
@given(data=st.binary(max_size=2_000))
def test_random_bytes_in_a_table(package_copy, data):
    path = package_copy.parent / "data" / "themes.csv"
    original = path.read_bytes()
    try:
        path.write_bytes(data)
        assert judged(package_copy), "random bytes passed as a valid table"
    finally:
        path.write_bytes(original)


@ONCE
@given(
    at=st.floats(min_value=0, max_value=1),
    cut=st.integers(min_value=0, max_value=40),
    text=PIECES,
    engine=st.sampled_from(["reference", "fast"]),
)
def test_a_valid_csv_with_random_damage(package_copy, at, cut, text, engine):
    path = package_copy.parent / "data" / "events.csv"
    original = path.read_text(encoding="utf-8")
    where = int(at * len(original))
    try:
        path.write_text(original[:where] + text + original[where + cut :], encoding="utf-8")
        judged(package_copy, engine)
    finally:
        path.write_text(original, encoding="utf-8")


WORST = ["twenty-thousand-commas", "header-twenty-thousand-commas", "huge-cell"]
MEASURE = (
    "import resource, subprocess, sys;"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


@pytest.mark.parametrize("name", WORST)
def test_peak_memory_stays_under_500_mb(package_copy, name):
    MUTATIONS[name][0](package_copy)
    for engine in ("reference", "fast"):
        command = [sys.executable, "-m", "civic_space", "validate", "--engine", engine]
        peak_kb = subprocess.run(
            [sys.executable, "-c", MEASURE, *command, str(package_copy)],
            capture_output=True,
            text=True,
            env={},  # the tool is installed in the environment; no locale: English
            check=True,
        ).stdout
        assert int(peak_kb) < 500 * 1024, f"{name}, {engine}: {int(peak_kb) // 1024} MB"
