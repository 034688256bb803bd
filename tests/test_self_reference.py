"""A row may not refer to itself or close a cycle through a key into its own table: found from
the schemas (every such key), refused by both engines at the rows of the cycle."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic_space.checks.self_reference import judged, self_keys
from civic_space.descriptor import load
from civic_space.formatting import read_rows
from civic_space.validate import validate
from conftest import DESCRIPTOR, set_cell

PACKAGE = load(DESCRIPTOR)
# Every key of a table into itself, as the schemas declare them (none named here).
SELF_KEYS = [(t.name, mine[0], theirs[0]) for t in PACKAGE.tables for mine, theirs in self_keys(t)]


def test_the_schemas_have_keys_into_their_own_tables():
    assert len(SELF_KEYS) >= 3, SELF_KEYS  # events, organisations and places have one each


def keys_of(table: str, count: int) -> list[str]:
    tab = PACKAGE.table(table)
    header, rows = read_rows(tab)
    (key,) = tab.primary_key
    return [row[header.index(key)] for row in rows[:count]]


def verdicts(descriptor, engine: str) -> dict[int, str]:
    said: list[str] = []
    found = {
        p.line: p.message
        for p in validate(descriptor, engine=engine, progress=said.append)
        if p.code == "self-reference"
    }
    assert not [s for s in said if "reference path" in s], said  # judged by that engine itself
    return found


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize(("table", "mine", "theirs"), SELF_KEYS)
@pytest.mark.parametrize("length", [1, 2, 3])
def test_a_cycle_is_refused_at_each_of_its_rows(package_copy, engine, table, mine, theirs, length):
    keys = keys_of(table, length + 1)
    cycle, outside = keys[:length], keys[length]
    lines = [
        set_cell(package_copy, table, key, mine, cycle[(i + 1) % length])
        for i, key in enumerate(cycle)
    ]
    into = set_cell(package_copy, table, outside, mine, cycle[0])  # leads in, is not on it
    found = verdicts(package_copy, engine)
    assert sorted(found) == sorted(lines), found
    assert into not in found
    if length == 1:
        assert "refers to itself through" in found[lines[0]]
    else:
        chain = " → ".join([*cycle, cycle[0]])
        assert f"makes a cycle of rows: {chain}" in found[lines[0]], found


def test_the_real_package_has_no_cycle():
    assert [p for p in validate(DESCRIPTOR) if p.code == "self-reference"] == []


def on_a_cycle(graph: dict[int, int], start: int) -> bool:
    """Plainly: following the references from `start` comes back to it."""
    node, seen = graph.get(start), set()
    while node is not None and node not in seen:
        if node == start:
            return True
        seen.add(node)
        node = graph.get(node)
    return False


@given(st.dictionaries(st.integers(0, 12), st.integers(0, 14), max_size=13))
def test_exactly_the_rows_on_a_cycle_are_named(graph):
    """Any shape of references (chains, trees, cycles with tails, rows pointing nowhere): the
    rows flagged are exactly those whose references lead back to themselves."""
    edges = [((str(a),), (str(b),)) for a, b in graph.items()]
    notes = judged(["parent"], edges)
    assert {int(a[0]) for a, _ in notes} == {a for a in graph if on_a_cycle(graph, a)}
    for (node, target), note in notes.items():
        assert (node[0] in note or (node == target and "itself" in note)) and " — " in note


def test_a_long_cycle_needs_no_recursion_and_names_a_few_rows():
    """100,000 rows in one cycle (far past Python's recursion limit): each is named, and its
    message shows a few rows of the cycle, not all of them. Time grows linearly with rows."""
    n = 100_000
    edges = [((str(i),), (str((i + 1) % n),)) for i in range(n)]
    notes = judged(["parent"], edges)
    assert len(notes) == n
    assert notes[edges[0]].count("→") == 5 and "…" in notes[edges[0]]
