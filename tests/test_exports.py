"""Every download holds every row and value of the package."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile

import pytest

from civic_space.descriptor import load
from civic_space.exports import build, typed
from civic_space.formatting import read_rows
from conftest import DESCRIPTOR, set_cell

PACKAGE = load(DESCRIPTOR)
NAME = f"{PACKAGE.descriptor['name']}-{PACKAGE.descriptor['version']}"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("downloads")
    build(PACKAGE, folder)
    return folder


def expected(table):
    _, rows = read_rows(table)
    return [tuple(typed(v, f) for v, f in zip(r, table.fields, strict=True)) for r in rows]


def test_zip_holds_the_whole_package(out):
    with zipfile.ZipFile(out / f"{NAME}.zip") as zf:
        names = set(zf.namelist())
        assert f"{NAME}/datapackage.json" in names
        for table in PACKAGE.tables:
            csv_name = f"{NAME}/data/{table.name}.csv"
            assert zf.read(csv_name) == table.path.read_bytes()
            assert f"{NAME}/schemas/{table.name}.json" in names
        assert {f"{NAME}/LICENSE-DATA", f"{NAME}/CITATION.cff"} <= names


def test_csv_downloads_are_the_tables(out):
    for table in PACKAGE.tables:
        assert (out / f"{table.name}.csv").read_bytes() == table.path.read_bytes()


def test_sqlite_holds_every_row_and_value_with_keys(out):
    db = sqlite3.connect(out / f"{NAME}.sqlite")
    for table in PACKAGE.tables:
        columns = ", ".join(f'"{n}"' for n in table.field_names)
        got = db.execute(f'SELECT {columns} FROM "{table.name}"').fetchall()
        want = [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in expected(table)]
        assert sorted(got, key=repr) == sorted(want, key=repr), table.name
        info = db.execute(f'PRAGMA table_info("{table.name}")').fetchall()
        assert [c[1] for c in info if c[5]] == table.primary_key
        fks = db.execute(f'PRAGMA foreign_key_list("{table.name}")').fetchall()
        assert len({f[0] for f in fks}) == len(table.schema.get("foreignKeys", []))
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_json_holds_every_row_and_value(out):
    data = json.loads((out / f"{NAME}.json").read_text(encoding="utf-8"))
    assert data["version"] == PACKAGE.descriptor["version"]
    for table in PACKAGE.tables:
        got = [tuple(r[n] for n in table.field_names) for r in data["tables"][table.name]]
        assert got == expected(table), table.name


def test_checksums_match(out):
    lines = (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    # The zip, the SQLite, the JSON, the workbook, croissant.json; a CSV and a Parquet a table,
    # and a CSV and a Parquet of the per-value view.
    assert len(lines) == 2 * len(PACKAGE.tables) + 5 + 2
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_float_values_survive(out):
    # Coordinates go through REAL and JSON numbers: their text must come back the same.
    places = PACKAGE.table("places")
    header, rows = read_rows(places)
    i = header.index("latitude")
    for row in rows:
        if row[i]:
            assert repr(float(row[i])) == row[i] or str(float(row[i])) == row[i].rstrip("0")


def test_downloads_are_rebuilt_only_when_an_input_changes(tmp_path, package_copy):
    out = tmp_path / "downloads"
    build(load(package_copy), out)
    made = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    build(load(package_copy), out)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == made
    set_cell(package_copy, "metrics", "online-reach", "value", "999")
    build(load(package_copy), out)
    assert (out / f"{NAME}.sqlite").stat().st_mtime_ns != made[f"{NAME}.sqlite"]
    with sqlite3.connect(out / f"{NAME}.sqlite") as db:
        sql = "SELECT value FROM metrics WHERE metric_id = 'online-reach'"
        assert db.execute(sql).fetchone() == (999,)


def test_every_place_has_its_province_code_in_the_downloads(out):
    """A soum's province and its ISO 3166-2 code, found by walking the parent chain at export."""
    from civic_space.meanings import PLACES, PROVINCE

    table = PACKAGE.table(PLACES.table)
    header, rows = read_rows(table)
    places = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    db = sqlite3.connect(out / f"{NAME}.sqlite")
    found = dict(db.execute("SELECT place_id, province_iso_code FROM place_provinces").fetchall())
    data = json.loads((out / f"{NAME}.json").read_text(encoding="utf-8"))
    listed = {r["place_id"]: r["province_iso_code"] for r in data["derived"]["place_provinces"]}
    assert found == listed and set(found) == set(places)
    for place_id, place in places.items():
        here = place
        while here and here[PLACES.level] != PROVINCE:
            here = places.get(here[PLACES.parent])
        assert found[place_id] == (here[PLACES.iso_code] if here else None), place_id
    assert any(code for code in found.values()), "no place lies in a province"
    soums = [p for p in places.values() if p[PLACES.level] == "soum"]
    assert soums and all(found[p[header[0]]] for p in soums)


def test_parquet_holds_every_row_and_value_typed_with_its_schema(out):
    import duckdb

    con = duckdb.connect()
    for table in PACKAGE.tables:
        path = str(out / f"{table.name}.parquet")
        columns = ", ".join(f'"{n}"' for n in table.field_names)
        got = con.execute(f"SELECT {columns} FROM read_parquet(?)", [path]).fetchall()
        want = expected(table)
        dates = [i for i, f in enumerate(table.fields) if f.get("type") == "date"]
        got = [
            tuple(v.isoformat() if i in dates and v else v for i, v in enumerate(r)) for r in got
        ]
        assert got == want, table.name
        meta = con.execute(
            "SELECT value FROM parquet_kv_metadata(?) WHERE key = 'table_schema'", [path]
        ).fetchone()
        assert json.loads(meta[0]) == table.schema


def test_workbook_holds_every_value_as_text_and_is_reproducible(out, tmp_path):
    """Read back with a spreadsheet reader: every value, Cyrillic included, as the CSV has it
    (numbers as numbers, all else as text);
    a second build of the same data gives the same bytes."""
    from python_calamine import CalamineWorkbook

    path = out / f"{NAME}.xlsx"
    book = CalamineWorkbook.from_path(str(path))
    for table in PACKAGE.tables:
        header, rows = read_rows(table)
        sheet = book.get_sheet_by_name(table.name).to_python(skip_empty_area=False)
        assert [str(c) for c in sheet[0][: len(header)]] == header
        numeric = [f.get("type") in ("integer", "number", "year") for f in table.fields]
        for got, want in zip(sheet[1 : len(rows) + 1], rows, strict=True):
            for cell, value, number in zip(got, want, numeric, strict=False):
                # Text is text; a number is a number, equal to the CSV's.
                assert (float(cell) == float(value)) if number and value else str(cell) == value
    assert any("Монгол" in c for r in read_rows(PACKAGE.table("places"))[1] for c in r)
    again = tmp_path / "again"
    again.mkdir()
    from civic_space.exports_formats import workbook

    assert workbook(PACKAGE, again).read_bytes() == path.read_bytes()
