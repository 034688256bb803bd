"""The per-value view of the downloads (value_view): every non-empty cell of every table, with
the annotation that applies to it (its own before its field's) or `stated` with its row's
source; the same rows in every format; the stated-only query the site shows runs on the SQLite
download; and the view follows an annotation planted anywhere."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from civic_space import exports, policy, value_view, workbook_view
from civic_space.descriptor import PackageError, load
from civic_space.formatting import read_rows, render
from civic_space.gitdata import keyed
from civic_space.meanings import ANNOTATIONS
from conftest import DESCRIPTOR, copy_package
from test_explore import explore  # noqa: F401 (the fixture: Datasette on a copy of the package)

PACKAGE = load(DESCRIPTOR)
NAME = f"{PACKAGE.descriptor['name']}-{PACKAGE.descriptor['version']}"
COLS = value_view.names()  # each column's part → its name in the view's schema


def expected(package) -> list[tuple]:
    """The view worked out in plain Python, apart from the SQL that makes it: each table's rows
    keyed as the annotations write keys, each non-empty cell with every annotation on it (in
    the file's order), else every one on its whole field, else `stated` with the row's source."""
    header, rows = read_rows(package.table(ANNOTATIONS.table))
    notes = [dict(zip(header, r, strict=True)) for r in rows]
    ident = package.table(ANNOTATIONS.table).primary_key[0]
    found = []
    for table in package.tables:
        names, rows = read_rows(table)
        for key, row in keyed(names, rows, table.primary_key).items():
            for field in table.field_names:
                if row[field] == "":
                    continue
                mine = [
                    n
                    for n in notes
                    if n[ANNOTATIONS.resource] == table.name and n[ANNOTATIONS.field] == field
                ]
                own = [n for n in mine if n[ANNOTATIONS.row_key] == key]
                whole = [n for n in mine if n[ANNOTATIONS.row_key] == ""]
                cell = (table.name, key, field, row[field])
                found += [
                    (*cell, n[ANNOTATIONS.basis], n[ident], n[COLS["source"]]) for n in own or whole
                ] or [(*cell, value_view.stated(), None, row.get(COLS["source"]))]
    return found


def on_tables() -> tuple[list[str], list[dict]]:
    """The annotations table's header, and its rows that point at a table (not at the package's
    own metadata, which the view leaves out: it holds the tables' values)."""
    header, rows = read_rows(PACKAGE.table(ANNOTATIONS.table))
    tables = {t.name for t in PACKAGE.tables}
    notes = [dict(zip(header, r, strict=True)) for r in rows]
    return header, [n for n in notes if n[ANNOTATIONS.resource] in tables]


def computed(package) -> list[tuple]:
    with value_view.computed(package) as view:
        return [row for batch in view.batches() for row in batch]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("downloads")
    exports.build(PACKAGE, folder)
    return folder


@pytest.fixture(scope="module")
def view(out) -> list[tuple]:
    """The view as the SQLite download holds it, in its order."""
    db = sqlite3.connect(out / f"{NAME}.sqlite")
    return db.execute(f'SELECT * FROM "{value_view.name()}" ORDER BY rowid').fetchall()


def test_every_format_holds_the_same_rows(out, view):
    import duckdb

    name = value_view.name()
    parquet = duckdb.connect().execute(
        "SELECT * FROM read_parquet(?)", [str(out / f"{name}.parquet")]
    )
    document = json.loads((out / f"{NAME}.json").read_text(encoding="utf-8"))
    with (out / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == list(COLS.values())
    assert view == expected(PACKAGE)
    assert parquet.fetchall() == view
    assert [tuple(r.values()) for r in document["derived"][name]] == view
    assert [tuple(v or None for v in r) for r in rows] == view  # CSV: no annotation is ""
    book = CalamineWorkbook.from_path(str(out / f"{NAME}.xlsx"))  # a read-only sheet
    sheet = book.get_sheet_by_name(workbook_view.sheet_name()).to_python()
    assert sheet[0] == header and [tuple(v or None for v in r) for r in sheet[1:]] == view
    # The CSV is in the package's own form, so it reads back byte for byte.
    assert (out / f"{name}.csv").read_text(encoding="utf-8") == render(header, rows)


def test_the_view_follows_its_declared_schema(out, view):
    """The schema in every download is the declared one, obeys the package's own schema rules,
    and its rows are unique by value and annotation, every foreign key found."""
    import duckdb

    schema = value_view.schema(PACKAGE)
    policy.check_schema(schema)  # raises if it says what a package schema may not
    assert [f["name"] for f in schema["fields"]] == list(COLS.values())
    basis = schema["fields"][list(COLS).index("basis")]["constraints"]["enum"]
    annotated = PACKAGE.table(ANNOTATIONS.table).field(ANNOTATIONS.basis)["constraints"]["enum"]
    assert basis == [value_view.stated(), *annotated]
    assert {r[4] for r in view} <= set(basis)
    meta = duckdb.connect().execute(
        "SELECT value FROM parquet_kv_metadata(?) WHERE key = 'table_schema'",
        [str(out / f"{value_view.name()}.parquet")],
    )
    assert json.loads(meta.fetchone()[0]) == schema
    db = sqlite3.connect(out / f"{NAME}.sqlite")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert len({(*r[:3], r[5]) for r in view}) == len(view)


def test_every_non_empty_cell_and_no_other(view):
    """Decided: the non-empty cells (an empty cell holds no value to rest on anything), each in
    as many rows as annotations apply to it, one if none does (a value with two: below)."""
    cells = sum(1 for t in PACKAGE.tables for r in read_rows(t)[1] for v in r if v != "")
    values = Counter(r[:3] for r in view)
    assert len(values) == cells
    assert all(r[3] not in ("", None) for r in view)
    twice = [v for v, n in values.items() if n > 1]
    assert all(value_view.stated() not in {r[4] for r in view if r[:3] == v} for v in twice)


def test_a_value_with_two_annotations_has_a_row_for_each(scratch):
    """Two annotations on one value: two rows of the view, neither of them `stated`."""
    package = load(scratch)
    notes = package.table(ANNOTATIONS.table)
    original = DESCRIPTOR.parent / "data" / notes.path.name
    header, rows = read_rows(notes)
    table, key, field = CELLS[0]
    planted = []
    for n, basis in enumerate(BASES[:2]):
        row = dict.fromkeys(header, "")
        row.update(
            {
                header[0]: f"planted-{n}",
                ANNOTATIONS.resource: table,
                ANNOTATIONS.row_key: key,
                ANNOTATIONS.field: field,
                ANNOTATIONS.basis: basis,
                COLS["source"]: SOURCES[0],
                ANNOTATIONS.reason: "planted by a test",
            }
        )
        planted.append([row[h] for h in header])
    notes.path.write_text(render(header, [*rows, *planted]), encoding="utf-8")
    try:
        got = [r for r in computed(package) if r[:3] == CELLS[0]]
        assert {r[5] for r in got} >= {"planted-0", "planted-1"}
        assert value_view.stated() not in {r[4] for r in got}
    finally:
        shutil.copyfile(original, notes.path)


def test_a_value_with_its_own_annotation_gets_its_basis(view):
    """Every annotation on one value is in the view on that value, with its basis and source,
    however many the value has."""
    header, notes = on_tables()
    rows = {(*r[:3], r[5]): r for r in view}
    own = [n for n in notes if n[ANNOTATIONS.row_key]]
    assert own
    for note in own:
        at = (note[ANNOTATIONS.resource], note[ANNOTATIONS.row_key], note[ANNOTATIONS.field])
        row = rows[(*at, note[header[0]])]
        assert row[4:] == (note[ANNOTATIONS.basis], note[header[0]], note[COLS["source"]]), note


def test_an_annotation_on_a_whole_field_is_expanded_to_every_row(view):
    """An annotation with no row key applies to each non-empty value of its field, except
    where the value has an annotation of its own (an official name, not our translation)."""
    header, notes = on_tables()
    whole = [n for n in notes if not n[ANNOTATIONS.row_key]]
    assert len(whole) >= 30
    own = {
        (n[ANNOTATIONS.resource], n[ANNOTATIONS.row_key], n[ANNOTATIONS.field])
        for n in notes
        if n[ANNOTATIONS.row_key]
    }
    overridden = 0
    for note in whole:
        table = PACKAGE.table(note[ANNOTATIONS.resource])
        names, rows = read_rows(table)
        values = keyed(names, rows, table.primary_key)
        filled = [k for k, r in values.items() if r[note[ANNOTATIONS.field]] != ""]
        assert filled, note[header[0]]
        for key in filled:
            at = (table.name, key, note[ANNOTATIONS.field])
            found = [r[4:] for r in view if r[:3] == at]
            given = (note[ANNOTATIONS.basis], note[header[0]], note[COLS["source"]])
            if at in own:
                overridden += 1
                assert given not in found
            else:
                assert given in found
    assert overridden, "no value overrides its field's annotation: the precedence is untested"


def test_a_value_with_no_annotation_is_stated_with_its_rows_source(view):
    stated = [r for r in view if r[5] is None]
    assert stated and all(r[4] == value_view.stated() for r in stated)
    for table in PACKAGE.tables:
        names, rows = read_rows(table)
        sources = {k: r[COLS["source"]] for k, r in keyed(names, rows, table.primary_key).items()}
        mine = [r for r in stated if r[0] == table.name]
        assert all(r[6] == sources[r[1]] for r in mine), table.name


def test_the_stated_only_query_runs_on_the_sqlite_download(out, view):
    """The query the site shows, run as it is printed: it keeps exactly the stated values."""
    query = value_view.stated_query()
    assert query == """SELECT * FROM "values" WHERE "basis" = 'stated'"""
    db = sqlite3.connect(out / f"{NAME}.sqlite")
    got = db.execute(query).fetchall()
    assert sorted(got) == sorted(r for r in view if r[4] == "stated")
    assert 0 < len(got) < len(view)


def test_the_view_is_in_the_dictionary():
    """The dictionary page documents the view with the directive that reads its schema; the
    directive's fields table and query come from value_view (the built page: test_docs)."""
    page = (DESCRIPTOR.parent / "docs" / "dictionary.md").read_text(encoding="utf-8")
    assert "```{datapackage-view}\n```" in page
    assert "{ref}`values-view`" in (DESCRIPTOR.parent / "docs" / "downloads.md").read_text()


def test_the_built_dictionary_shows_the_view_and_its_query(built_site):
    """The dictionary page of the built site: a row for each of the view's fields, the query
    as the SQLite test runs it, the workbook's sheet, and the view's files among the downloads."""
    page = (Path(built_site.en.outdir) / "dictionary.html").read_text(encoding="utf-8")
    for field in value_view.schema(PACKAGE)["fields"]:
        assert f'id="field-{field["name"]}"' in page, field["name"]
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the query's code is highlighted
    assert value_view.stated_query() in text
    assert f"“{workbook_view.sheet_name()}”" in text  # the workbook's read-only sheet, named
    listed = (Path(built_site.en.outdir) / "downloads" / "SHA256SUMS").read_text()
    for ext in ("csv", "parquet"):
        assert f"  {value_view.name()}.{ext}\n" in listed


def test_a_table_named_as_the_view_is_refused(package_copy):
    meta = json.loads(package_copy.read_text(encoding="utf-8"))
    meta["resources"][0]["name"] = value_view.name()
    package_copy.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(PackageError, match="taken by a relation the downloads derive"):
        load(package_copy)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return copy_package(tmp_path_factory.mktemp("package"))


def cells(package) -> list[tuple[str, str, str]]:
    """(table, row key, field) of every non-empty cell."""
    return [
        (t.name, k, f)
        for t in package.tables
        for k, r in keyed(*read_rows(t), t.primary_key).items()
        for f, v in r.items()
        if v
    ]


CELLS = cells(PACKAGE)
BASES = PACKAGE.table(ANNOTATIONS.table).field(ANNOTATIONS.basis)["constraints"]["enum"]
CITED = next(
    fk["reference"]
    for fk in value_view.schema(PACKAGE)["foreignKeys"]
    if fk["fields"] == [COLS["source"]]
)
SOURCES = sorted(keyed(*read_rows(PACKAGE.table(CITED["resource"])), CITED["fields"]))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cell=st.sampled_from(CELLS),
    whole=st.booleans(),
    basis=st.sampled_from(BASES),
    source=st.sampled_from(SOURCES),
)
def test_a_planted_annotation_is_followed(scratch, cell, whole, basis, source):
    """Plant an annotation on any value (or on its whole field): the view is what the plain
    Python reading says; the value is no longer stated, and rests on the planted annotation
    unless that is on its field and the value has annotations of its own."""
    package = load(scratch)
    notes = package.table(ANNOTATIONS.table)
    original = DESCRIPTOR.parent / "data" / notes.path.name
    header, rows = read_rows(notes)
    planted = dict.fromkeys(header, "")
    table, key, field = cell
    planted.update(
        {
            header[0]: "planted-note",
            ANNOTATIONS.resource: table,
            ANNOTATIONS.row_key: "" if whole else key,
            ANNOTATIONS.field: field,
            ANNOTATIONS.basis: basis,
            COLS["source"]: source,
            ANNOTATIONS.reason: "planted by a test",
        }
    )
    notes.path.write_text(render(header, [*rows, [planted[h] for h in header]]), encoding="utf-8")
    try:
        got = computed(package)
        assert got == expected(package)
        found = [r[4:] for r in got if r[:3] == cell]
        assert value_view.stated() not in {basis for basis, *_ in found}
        own = any(
            r[header.index(ANNOTATIONS.resource)] == table
            and r[header.index(ANNOTATIONS.field)] == field
            and r[header.index(ANNOTATIONS.row_key)] == key
            for r in rows
        )
        assert ((basis, "planted-note", source) in found) == (not whole or not own)
    finally:
        shutil.copyfile(original, notes.path)


def test_without_annotations_every_value_is_stated(package_copy, view):
    package = load(package_copy)
    notes = package.table(ANNOTATIONS.table)
    notes.path.write_text(render(read_rows(notes)[0], []), encoding="utf-8")
    got = computed(package)
    assert got == expected(package)
    assert {r[4] for r in got} == {value_view.stated()}
    assert len(got) == len({r[:3] for r in view if r[0] != ANNOTATIONS.table})


def test_croissant_reads_the_view_from_its_parquet_file(out, view):
    """mlcroissant (the reference reader) loads the view's record set as the view's rows."""
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=out / "croissant.json")
    name = value_view.name()
    got = [
        tuple(
            v.decode("utf-8") if isinstance(v, bytes) else v
            for v in (record[f"{name}/{c}"] for c in COLS.values())
        )
        for record in dataset.records(record_set=name)
    ]
    assert got == view


def test_datasette_serves_the_view_and_the_stated_query(explore, view):  # noqa: F811
    """`nox -s explore`: the view described from its schema, faceted by basis, and the site's
    query as a canned query that returns stated values only."""
    from test_explore import get

    address, _server, package = explore
    db = f"{address}{package.descriptor['name']}"
    name, basis = value_view.name(), COLS["basis"]
    meta = get(f"{address}-/metadata.json")["databases"][package.descriptor["name"]]
    described = meta["tables"][name]
    assert described["title"] == value_view.declared()["title"]
    assert set(described["columns"]) == set(COLS.values())
    facet = get(f"{db}/{name}.json?_facet={basis}&_size=0")["facet_results"][basis]["results"]
    assert {r["value"]: r["count"] for r in facet} == dict(Counter(r[4] for r in view))
    canned = next(iter(meta["queries"]))
    assert meta["queries"][canned]["sql"] == value_view.stated_query()
    rows = get(f"{db}/{canned}.json?_shape=array")
    assert rows and {r[basis] for r in rows} == {value_view.stated()}
