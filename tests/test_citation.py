"""CITATION.cff and .zenodo.json are derived from datapackage.json and agree with it."""

from __future__ import annotations

import json
import subprocess
import sys

from civic_space import citation
from civic_space.descriptor import load
from conftest import DESCRIPTOR, ROOT

PACKAGE = load(DESCRIPTOR)
META = PACKAGE.descriptor


def read_cff() -> dict:
    """CITATION.cff as any YAML reader reads it."""
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_derived_files_are_up_to_date():
    result = subprocess.run(
        [sys.executable, "-m", "civic_space", "metadata", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={},  # the tool is installed in the environment; no locale: English
    )
    assert result.returncode == 0, f"{result.stdout} (run `nox -s metadata` to regenerate them)"


def test_cff_agrees_with_the_descriptor():
    cff = read_cff()
    assert cff["title"] == META["title"]
    assert cff["version"] == META["version"]
    published = citation.is_published(PACKAGE)
    assert cff.get("date-released") == (META["created"][:10] if published else None)
    assert [a["name"] for a in cff["authors"]] == citation.authors(META)
    assert cff["license"] == META["licenses"][0]["name"]


def test_cff_passes_its_schema():
    """The Citation File Format's own schema, as check-jsonschema ships it."""
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema",
         "vendor.citation-file-format", str(ROOT / "CITATION.cff")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_zenodo_agrees_with_the_descriptor():
    zen = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert (zen["title"], zen["version"]) == (META["title"], META["version"])
    published = citation.is_published(PACKAGE)
    assert zen.get("publication_date") == (META["created"][:10] if published else None)
    assert [c["name"] for c in zen["creators"]] == citation.authors(META)
    assert zen["license"] == META["licenses"][0]["name"].lower()
    assert zen["upload_type"] == "dataset"


def test_a_release_date_only_once_the_changelog_dates_the_version(tmp_path):
    """An unreleased version claims no release date; the changelog heading `release` writes
    ("## X.Y.Z (date)") is what makes one."""
    import dataclasses

    package = dataclasses.replace(PACKAGE, descriptor_path=tmp_path / "datapackage.json")
    version = META["version"]
    (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n## {version} (unreleased)\n")
    assert "date-released" not in citation.cff(package)
    assert "publication_date" not in citation.zenodo(package)
    (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n## {version} (2026-12-01)\n")
    assert f"date-released: '{META['created'][:10]}'" in citation.cff(package)
    assert json.loads(citation.zenodo(package))["publication_date"] == META["created"][:10]


def test_citation_formats_carry_the_version():
    version = META["version"]
    assert f"(Version {version})" in citation.apa(META)
    assert f"version = {{{version}}}" in citation.bibtex(META)
    assert f"ET  - {version}" in citation.ris(META)
    assert json.loads(citation.csl_json(META))[0]["version"] == version


def test_a_doi_appears_when_the_metadata_has_one():
    meta = {**META, "id": "https://doi.org/10.5281/zenodo.123"}
    assert "https://doi.org/10.5281/zenodo.123" in citation.apa(meta)
    assert "doi = {10.5281/zenodo.123}" in citation.bibtex(meta)
    assert "DO  - 10.5281/zenodo.123" in citation.ris(meta)
    assert "doi" not in citation.bibtex(META).split("url")[0]
