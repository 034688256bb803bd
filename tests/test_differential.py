"""The fast path (DuckDB) gives the same verdicts as the reference path (frictionless with our
checks): same file, line, field and kind of error, on every damaged copy of the corpus."""

from __future__ import annotations

import pytest

from civic_space.fast import Fallback
from civic_space.validate import validate
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
}


def verdicts(problems) -> set[tuple]:
    return {(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code) for p in problems}


@pytest.mark.parametrize("name", MUTATIONS)
def test_fast_path_agrees_with_frictionless(package_copy, name):
    MUTATIONS[name][0](package_copy)
    reference = verdicts(validate(package_copy, engine="reference"))
    try:
        fast = verdicts(validate(package_copy, engine="fast"))
    except Fallback as exc:
        # Handed over: only structural damage may be, and `auto` must then give the reference's
        # verdicts.
        assert name in STRUCTURAL, f"{name} fell back: {exc}"
        fast = verdicts(validate(package_copy, engine="auto"))
    assert fast == reference


def test_real_package_agrees(package_copy):
    assert verdicts(validate(package_copy, engine="fast")) == set()
    assert verdicts(validate(package_copy, engine="reference")) == set()


def test_the_fast_path_judges_most_of_the_corpus():
    assert len(set(MUTATIONS) - STRUCTURAL) >= 30
