"""The real package: valid for frictionless alone and for our validation, and well described."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import attrs

from civic_space import checks, meanings
from civic_space.descriptor import load
from civic_space.formatting import read_rows
from civic_space.validate import validate
from conftest import DESCRIPTOR, ROOT, set_cell

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
        env={},  # the tool is installed in the environment; no locale: English
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_metadata():
    meta = PACKAGE.descriptor
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"
    # the dataset's authors are those who made it: the maintainers, as the sources table says;
    # CHRD wrote the source report (meta["sources"]), not the dataset
    header, rows = read_rows(PACKAGE.table("sources"))
    made_by = {r[header.index("author")] for r in rows if r[header.index("kind")] == "maintainers"}
    assert {c["title"] for c in meta["contributors"] if c["role"] == "author"} == made_by
    assert "Final report" in meta["sources"][0]["title"]
    for key in (
        "name",
        "title",
        "title_mn",
        "description",
        "description_mn",
        "created",
        "keywords",
    ):
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
    """A renamed table or field must not silently switch one of our checks off.

    A check's `X_field_name` belongs to its `X_resource_name` if it has one, else to its
    `resource_name`; `X_field_names` likewise holds a list.
    """
    named = 0
    for check in checks.checks(PACKAGE):
        values = {a.name: getattr(check, a.name) for a in attrs.fields(type(check))}
        for attr, value in values.items():
            if not attr.endswith(("field_name", "field_names")) or not value:
                continue
            prefix = attr.rsplit("field_name", 1)[0]
            table = PACKAGE.table(values.get(f"{prefix}resource_name") or values["resource_name"])
            for name in [value] if isinstance(value, str) else value:
                assert name in table.field_names, (check.type, attr, name)
                named += 1
    assert named >= 20


def test_meanings_name_fields_that_exist():
    """The field meanings that the checks, the report and the generator share."""
    declared = meanings.fields()
    for table, name in declared:
        assert name in PACKAGE.table(table).field_names, (table, name)
    assert declared  # not vacuous


def test_descriptor_is_plain_json_with_standard_profile():
    meta = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    assert meta["profile"] == "tabular-data-package"
    assert all(r["profile"] == "tabular-data-resource" for r in meta["resources"])


def test_readme_lists_every_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `(\w+)`:", readme, flags=re.M)
    assert listed == [t.name for t in PACKAGE.tables]


def test_messages_in_mongolian_name_the_field_in_mongolian(package_copy):
    from civic_space import i18n

    set_cell(package_copy, "events", "workshop-bayandun", "start_date", "2022-13-02")
    try:
        i18n.use("mn")
        lines = [str(p) for p in validate(package_copy)]
    finally:
        i18n.use("en")
    assert len(lines) == 1
    assert "start_date (Эхэлсэн огноо):" in lines[0]  # the field's Mongolian title
    assert "огноо" in lines[0].split("):", 1)[1]  # and the message itself
    assert next(str(p) for p in validate(package_copy)).endswith(
        "write dates as YYYY-MM-DD [type-error]"
    )


def test_message_language_follows_the_environment(monkeypatch):
    from civic_space import i18n

    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LANG", "mn_MN.UTF-8")
    assert i18n.from_environment() == "mn"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.from_environment() == "en"  # no German catalogue: English


def test_message_catalogues_are_up_to_date():
    from civic_space.catalogues import update

    stale, _untranslated = update(load(DESCRIPTOR), check=True)
    assert not stale, "the message catalogues are out of date — run: nox -s translations"


def test_what_stays_english_is_counted(package_copy):
    """`nox -s translations` counts what the Mongolian edition shows in English: a row whose
    translation is missing, and a note in English, each count once more."""
    from civic_space.catalogues import still_english

    before = still_english(load(package_copy), "mn")
    for field, value in [("mn_status", "missing"), ("label_mn", ""), ("definition_mn", "")]:
        set_cell(package_copy, "themes", "alcohol-harm", field, value)
    set_cell(package_copy, "themes", "alcohol-harm", "note", "Added in English")
    set_cell(package_copy, "themes", "environment-and-waste", "note", "Монгол тэмдэглэл")
    after = still_english(load(package_copy), "mn")
    assert after["rows without a translation"] == before["rows without a translation"] + 1
    assert after["values in English"] == before["values in English"] + 1  # not the Mongolian
    assert after["field descriptions"] == before["field descriptions"]


def test_the_search_script_gets_only_translated_words(tmp_path):
    """sphinx.js holds the search script's translated words, never an empty one (which would
    blank the English on the page)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from civic_space.theme_catalogue import script_catalogue

    catalog = Catalog(locale="mn")
    catalog.add("Searching", "Хайж байна")
    catalog.add("Search Results", "")
    catalog.add("Go", "Хайх")  # a template's word, not the script's
    with (tmp_path / "sphinx.po").open("wb") as file:
        write_po(file, catalog)
    script = script_catalogue(tmp_path / "sphinx.po", "mn", {"Searching", "Search Results"})
    assert '"Searching": "Хайж байна"' in script
    assert "Search Results" not in script and "Go" not in script


def test_our_templates_words_are_the_theme_catalogues(tmp_path):
    """A word in one of the site's own templates (docs/_templates) is asked of the theme's
    catalogue, sphinx.po; the page catalogues leave that file to it (the gettext builder's
    sphinx.pot of our templates alone would empty it)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from civic_space.catalogues import update_pages
    from civic_space.theme_catalogue import update_theme

    (tmp_path / "_templates").mkdir()
    (tmp_path / "_templates" / "page.html").write_text('{{ _("A word of ours") }}')
    _stale, untranslated = update_theme(tmp_path / "locales")
    assert "A word of ours" in untranslated["mn"]
    (tmp_path / "pot").mkdir()
    with (tmp_path / "pot" / "sphinx.pot").open("wb") as file:
        write_po(file, Catalog(domain="sphinx"))
    stale, _untranslated = update_pages(tmp_path / "pot", tmp_path / "locales", check=True)
    assert not stale
