"""The fast path (DuckDB) gives the same verdicts as the reference path (frictionless with our
checks): same file, line, field and kind of error, on every damaged copy of the corpus."""

from __future__ import annotations

import pytest
from frictionless import Check

from civic_space.validate import validate
from conftest import ROOT
from test_mutations import MUTATIONS

# Damage that the fast path does not model and hands to the reference path.
STRUCTURAL = {
    "bom",
    "crlf",
    "missing-column",
    "extra-column",
    "renamed-column",
    "ragged-row",
    "truncated",
    "latin-1",
    "empty-file",
    "binary",
    "huge-cell",
    "missing-file",
    "descriptor-not-json",
    "schema-not-json",
    "blank-line-at-end",
    "blank-line-inside",
    "blank-line-after-header",
    "trailing-comma",
    "twenty-thousand-commas",
    "header-twenty-thousand-commas",
    "package-name-not-a-name",
    "constraint-of-the-wrong-type",
    "header-name-with-a-space",
    "trailing-newline-in-an-id",  # DuckDB refuses a quoted line break at a cell's end
    "number-beyond-double-precision",  # judged by frictionless's own reader
    "number-longer-than-a-spreadsheet-cell",  # the same
    "cr-lf-inside-a-quoted-cell",  # any CR in a file is handed over (fast_load.load)
}


def verdicts(problems) -> set[tuple]:
    return {(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code) for p in problems}


@pytest.mark.parametrize("name", MUTATIONS)
def test_fast_path_agrees_with_frictionless(corpus, name):
    reference = verdicts(corpus(name, "reference").problems)
    fast = corpus(name, "fast")
    handed_over = [m for m in fast.progress if m.startswith("checking with the reference path")]
    # Only damage that the fast path does not model may be handed over to the reference.
    assert name in STRUCTURAL or not handed_over, f"{name} was handed over: {handed_over}"
    assert verdicts(fast.problems) == reference


def test_real_package_agrees(package_copy):
    assert verdicts(validate(package_copy, engine="fast")) == set()
    assert verdicts(validate(package_copy, engine="reference")) == set()


def test_the_fast_path_judges_most_of_the_corpus():
    assert len(set(MUTATIONS) - STRUCTURAL) >= 30


def test_every_registered_check_runs_on_the_fast_path():
    """A check added to the registry without a fast form would hand every package over to the
    reference engine: this names it instead."""
    from civic_space import checks
    from civic_space.descriptor import load
    from civic_space.fast_checks import unmodelled

    registered = checks.checks(load(ROOT / "datapackage.json"))
    assert unmodelled(registered) == []
    bare = type("bare", (Check,), {"type": "bare"})()  # a check with no fast form
    assert unmodelled([*registered, bare]) == ["bare"]
