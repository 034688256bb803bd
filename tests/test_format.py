"""`format` puts CSVs in canonical form, is idempotent, and never changes a value."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_space.descriptor import PackageError, Table, load
from civic_space.formatting import canonical_text, format_package
from conftest import DESCRIPTOR


def test_real_data_is_in_canonical_form():
    assert format_package(load(DESCRIPTOR), check=True) == []


def test_format_restores_a_shuffled_crlf_bom_copy(package_copy):
    package = load(package_copy)
    originals = {t.path: t.path.read_bytes() for t in package.tables}
    rng = random.Random(7)
    for table in package.tables:
        lines = table.path.read_text(encoding="utf-8").splitlines()
        body = lines[1:]
        rng.shuffle(body)
        table.path.write_bytes(("\ufeff" + "\r\n".join([lines[0], *body]) + "\r\n").encode())
    changed = format_package(package)
    assert len(changed) == len(package.tables)
    assert {t.path: t.path.read_bytes() for t in package.tables} == originals
    assert format_package(package) == []  # idempotent


def test_format_refuses_a_ragged_row_and_writes_nothing(package_copy):
    package = load(package_copy)
    table = package.table("themes")
    table.path.write_text(table.path.read_text(encoding="utf-8") + "extra,row\n", encoding="utf-8")
    before = {t.path: t.path.read_bytes() for t in package.tables}
    with pytest.raises(PackageError, match="cells"):
        format_package(package)
    assert {t.path: t.path.read_bytes() for t in package.tables} == before


# Any text a contributor might type, commas, quotes, line breaks and Cyrillic included.
cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))


@st.composite
def tables(draw):
    keys = draw(st.lists(st.integers(-(10**6), 10**6), unique=True, max_size=30))
    rows = [[str(k), *draw(st.lists(cell, min_size=2, max_size=2))] for k in keys]
    return rows


@settings(max_examples=200, deadline=None)
@given(rows=tables())
def test_property_format_is_lossless_and_idempotent(tmp_path_factory, rows):
    path = Path(tmp_path_factory.mktemp("t")) / "t.csv"
    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "a"}, {"name": "b"}],
        "primaryKey": ["id"],
    }
    table = Table("t", path, path, schema)
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
        [["id", "a", "b"], *rows]
    )
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    text = canonical_text(table)
    reread = list(csv.reader(io.StringIO(text, newline="")))
    assert Counter(map(tuple, reread[1:])) == Counter(map(tuple, rows))
    assert [int(r[0]) for r in reread[1:]] == sorted(int(r[0]) for r in rows)
    path.write_text(text, encoding="utf-8", newline="")
    assert canonical_text(table) == text
