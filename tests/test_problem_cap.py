"""One cap on reported problems, for both engines (issue 23, 4 and 6; hostile pass 2.18,
4.10-4.12): past problem_cap.PER_FILE problems in a file, both engines print the same lines,
then one located "and N more problems of this kind" line per kind with the exact count, and the
fast engine's memory stays bounded however many rows are bad."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from civic_space import problem_cap
from civic_space.__main__ import main
from civic_space.messages import Problem
from conftest import ROOT, copy_package, run_measured

LIMIT_MB = 500


def bad_rows(descriptor: Path, count: int) -> None:
    """`count` withdrawals rows, each with two problems (a date before the minimum and a
    row_key no events row has)."""
    with (descriptor.parent / "data" / "withdrawals.csv").open("a", encoding="utf-8") as f:
        for i in range(count):
            f.write(f"events,ev-{i:07d},2024-01-01,reason {i},,maintainers\n")


def cli(capsys, *args: str) -> str:
    assert main(["validate", *args]) == 1
    return capsys.readouterr().out


def test_both_engines_print_the_same_capped_report(tmp_path, capsys):
    """1,500 bad rows: 3,000 problems, more than frictionless's own limit of 1,000 (where the
    reference used to stop) and than the cap (where it used to advise `--format json`)."""
    descriptor = copy_package(tmp_path)
    bad_rows(descriptor, 1500)
    for form in ("text", "json", "github"):
        said = {
            engine: cli(capsys, "--engine", engine, "--format", form, str(descriptor))
            for engine in ("reference", "fast")
        }
        assert said["reference"] == said["fast"], form
    report = json.loads(said_json := cli(capsys, "--format", "json", str(descriptor)))
    assert report["summary"] == "3000 errors in 1 file(s)", said_json
    more = [e for e in report["errors"] if e["more"]]
    assert len(report["errors"]) == problem_cap.PER_FILE + len(more)
    assert sorted((e["code"], e["more"]) for e in more) == [
        ("constraint-error", 1450),
        ("row-reference", 1450),
    ]
    assert {e["line"] for e in more} == {52}  # the first line whose problems are not shown
    text = cli(capsys, str(descriptor))
    assert "--format json" not in text
    assert "data/withdrawals.csv:52: and 1,450 more problems of this kind" in text


def test_memory_is_bounded_however_many_rows_are_bad(tmp_path):
    """200,000 bad rows (11 MB, 400,000 problems) with JSON output, the costliest: the fast
    engine (which `auto` picks for a package this size) took 1.1 GB before the cap."""
    descriptor = copy_package(tmp_path)
    bad_rows(descriptor, 200_000)
    code, peak, out = run_measured(
        ["civic_space", "validate", "--format", "json", str(descriptor)],
        tmp_path / "peak",
        stderr=subprocess.DEVNULL,
        env={"PYTHONPATH": str(ROOT / "scripts")},  # this checkout's code, no locale
    )
    report = json.loads(out)
    assert code == 1
    assert report["summary"] == "400000 errors in 1 file(s)"
    assert peak < LIMIT_MB, f"{peak:.0f} MB"


entries = st.tuples(
    st.sampled_from(["a", "b"]),  # table
    st.one_of(st.none(), st.integers(1, 30)),  # row
    st.sampled_from([None, "x", "y"]),  # field
    st.sampled_from(["type-error", "foreign-key", "unique-error"]),  # code
    st.sampled_from(["m1", "m2"]),  # message
)


@settings(max_examples=200, deadline=None)
@given(st.lists(entries, max_size=60), st.integers(1, 8))
def test_the_collector_keeps_the_first_and_counts_the_rest(found, cap):
    """Whatever the order problems arrive in (each engine finds them in its own), the report
    is the first `cap` of each table in one order, then per kind the exact count of the rest,
    at the first line not shown: memory holds at most twice the cap per table."""
    saved, problem_cap.PER_FILE = problem_cap.PER_FILE, cap
    try:
        collector = problem_cap.Collector()
        for table, row, field, code, message in found:
            collector.add(table, row, field, code, message, "fix")
            assert all(len(kept) < 2 * cap for kept in collector.kept.values())

        def place(table, row, field, code, message, fix):
            return Problem(table, message, fix, code, row, field)

        got = list(collector.problems(["b", "a"], place))
    finally:
        problem_cap.PER_FILE = saved
    expected = []
    for table in ("b", "a"):
        mine = sorted(
            (-1 if row is None else row, code, field or "", message)
            for t, row, field, code, message in found
            if t == table
        )
        expected += [
            (table, r if r >= 0 else None, c, f or None, m, 0) for r, c, f, m in mine[:cap]
        ]
        rest: dict[str, list[int]] = {}
        for row, code, *_ in mine[cap:]:
            rest.setdefault(code, []).append(row)
        for code, rows in sorted(rest.items(), key=lambda kv: (min(kv[1]), kv[0])):
            expected.append(
                (table, min(rows) if min(rows) >= 0 else None, code, None, "", len(rows))
            )
    shown = [(p.path, p.line, p.code, p.field, "" if p.more else p.message, p.more) for p in got]
    assert shown == expected
    assert problem_cap.counted(got) == len(found)
