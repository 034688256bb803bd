"""The real package: valid for frictionless alone and for our validation, and well described."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import attrs

from civic_space import checks
from civic_space.descriptor import load
from civic_space.validate import validate
from conftest import DESCRIPTOR, ROOT

PACKAGE = load(DESCRIPTOR)


def test_our_validation_finds_no_problem():
    assert [str(p) for p in validate(DESCRIPTOR)] == []


def test_plain_frictionless_cli_passes():
    """Any Frictionless tool must read the package as it is: the plain CLI, no plugins."""
    cli = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(cli), "validate", "datapackage.json"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout


def test_cli_exits_zero_and_says_valid():
    result = subprocess.run(
        [sys.executable, "-m", "civic_space", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "scripts")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_metadata():
    meta = PACKAGE.descriptor
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"
    assert any(c["role"] == "author" and "CHRD" in c["title"] for c in meta["contributors"])
    assert "Final report" in meta["sources"][0]["title"]
    for key in ("name", "title", "description", "created", "keywords", "homepage"):
        assert meta[key], key


def test_every_resource_and_field_is_described():
    for res, table in zip(PACKAGE.descriptor["resources"], PACKAGE.tables, strict=True):
        assert res["title"] and res["description"], res["name"]
        assert res["path"] == f"data/{res['name']}.csv"
        assert res["schema"] == f"schemas/{res['name']}.json"
        assert table.primary_key, f"{table.name} has no primary key"
        for field in table.fields:
            assert field.get("description"), f"{table.name}.{field['name']} has no description"
            assert field.get("title"), f"{table.name}.{field['name']} has no title"


def test_no_file_is_left_out_of_the_descriptor():
    listed = {t.path.resolve() for t in PACKAGE.tables} | {
        t.schema_path.resolve() for t in PACKAGE.tables
    }
    on_disk = {p.resolve() for p in [*ROOT.glob("data/*"), *ROOT.glob("schemas/*")]}
    assert on_disk == listed


def test_every_row_has_provenance():
    """Every table points each row to a source, through a checked foreign key."""
    for table in PACKAGE.tables:
        if table.name == "sources":
            continue
        refs = {
            (tuple(fk["fields"]), fk["reference"]["resource"])
            for fk in table.schema.get("foreignKeys", [])
        }
        assert (("source_id",), "sources") in refs, table.name
        assert table.field("source_id")["constraints"]["required"] is True


def test_checks_name_fields_that_exist():
    """A renamed field must not silently switch one of our checks off."""
    for check in checks.checks():
        table = PACKAGE.table(check.resource_name)
        named = [a.name for a in attrs.fields(type(check)) if a.name.endswith("field_name")]
        assert named, check.type
        for name in named:
            assert getattr(check, name) in table.field_names, (check.type, name)


def test_descriptor_is_plain_json_with_standard_profile():
    meta = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    assert meta["profile"] == "tabular-data-package"
    assert all(r["profile"] == "tabular-data-resource" for r in meta["resources"])


def test_readme_lists_every_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `(\w+)`:", readme, flags=re.M)
    assert listed == [t.name for t in PACKAGE.tables]
