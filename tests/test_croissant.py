"""croissant.json is Croissant as mlcroissant (the reference reader, which the NeurIPS checker
runs) understands it, and every record it loads from the downloads is the CSV's row."""

from __future__ import annotations

import datetime
import json
import logging
import math
import socket
import subprocess
import sys
from pathlib import Path

import mlcroissant as mlc
import numpy as np
import pytest

from civic_space import croissant, exports_formats, value_view
from civic_space.descriptor import load
from civic_space.exports import typed
from civic_space.formatting import read_rows
from conftest import DESCRIPTOR, ROOT, copy_package

PACKAGE = load(DESCRIPTOR)


@pytest.fixture(scope="module")
def croissant_json(tmp_path_factory) -> Path:
    """The Parquet files as the downloads folder holds them, with croissant.json beside them."""
    folder = tmp_path_factory.mktemp("downloads")
    exports_formats.parquet(PACKAGE, folder)
    return croissant.write(PACKAGE, folder)


@pytest.fixture
def offline(monkeypatch):
    """Everything croissant.json names sits beside it: mlcroissant must not go online."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"mlcroissant went online: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_mlcroissant_finds_no_errors_or_warnings(croissant_json, offline, caplog):
    with caplog.at_level(logging.WARNING):
        dataset = mlc.Dataset(jsonld=croissant_json)  # raises ValidationError on any error
    issues = dataset.metadata.ctx.issues
    assert not issues.warnings, issues.report()
    # Some warnings (a non-standard @context) are only logged, never recorded as issues.
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not logged, logged


def test_the_validate_command_accepts_it(croissant_json):
    command = Path(sys.executable).with_name("mlcroissant")
    done = subprocess.run(
        [command, "validate", "--jsonld", croissant_json],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # absl prefixes each line with its level: W(arning), E(rror), F(atal).
    complaints = [line for line in done.stderr.splitlines() if line[:1] in ("W", "E", "F")]
    assert not complaints, done.stderr


def plain(value):
    """A value as mlcroissant yields it, as exports.typed gives the CSV cell: text as str,
    numpy scalars as Python ones, dates as ISO text, missing as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return value


@pytest.mark.parametrize("table", PACKAGE.tables, ids=lambda t: t.name)
def test_records_are_the_csv_rows(croissant_json, offline, table):
    # A Dataset per record set: mlcroissant keeps each step's output, and a record set read
    # through a join would be handed another's output already consumed.
    dataset = mlc.Dataset(jsonld=croissant_json)
    got = [
        [plain(record[f"{table.name}/{name}"]) for name in table.field_names]
        for record in dataset.records(record_set=table.name)
    ]
    _, rows = read_rows(table)
    assert len(got) == len(rows), f"{table.name}: {len(got)} records for {len(rows)} rows"
    differs = [
        f"{table.name}.csv:{line}: {field['name']}: {text!r} read as {value!r}"
        for line, (values, row) in enumerate(zip(got, rows, strict=True), start=2)
        for field, value, text in zip(table.fields, values, row, strict=True)
        if value != typed(text, field)
    ]
    assert not differs, "\n".join(differs)


def test_record_sets_follow_the_schemas(croissant_json):
    doc = json.loads(croissant_json.read_text(encoding="utf-8"))
    sets = {rs["@id"]: rs for rs in doc["recordSet"]}
    tables = [*PACKAGE.tables, value_view.table(PACKAGE)]  # the per-value view is one too
    assert list(sets) == [t.name for t in tables]
    for table in tables:
        fields = {f["name"]: f for f in sets[table.name]["field"]}
        assert list(fields) == table.field_names
        key = sets[table.name].get("key", [])  # the per-value view has none
        key = [k["@id"] for k in (key if isinstance(key, list) else [key])]
        assert key == [f"{table.name}/{k}" for k in table.primary_key]
        for name, field in fields.items():
            target = table.reference(name)
            if target and target[0] != table.name:  # a reference to its own table is left out
                assert field["references"] == {"field": {"@id": "/".join(target)}}
            else:
                assert "references" not in field, name


def test_the_same_package_gives_the_same_bytes(croissant_json):
    again = croissant.write(PACKAGE, croissant_json.parent).read_bytes()
    assert again == croissant_json.read_bytes()


def test_a_field_added_to_a_schema_appears(tmp_path):
    descriptor = copy_package(tmp_path)
    table = PACKAGE.tables[-1]
    schema_path = tmp_path / table.schema_path.relative_to(ROOT)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"].append(
        {"name": "web_page", "type": "string", "format": "uri", "description": "A new field."}
    )
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    package = load(descriptor)
    exports_formats.parquet(package, tmp_path)  # the Parquet files croissant.json describes
    doc = croissant.croissant(package, tmp_path)
    fields = next(rs for rs in doc["recordSet"] if rs["@id"] == table.name)["field"]
    added = next(f for f in fields if f["name"] == "web_page")
    assert added["@id"] == f"{table.name}/web_page"
    assert added["description"] == "A new field."
    assert added["dataType"] == "sc:URL"
    assert added["source"]["extract"] == {"column": "web_page"}
