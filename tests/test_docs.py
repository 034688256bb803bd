"""The site: one page per table, JSON-LD and citation from the metadata, escaped data, and pages
that rebuild when their data changes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from civic_space import citation
from civic_space.descriptor import load
from conftest import ROOT, set_cell

COPIED = ["datapackage.json", "CHANGELOG.md", "LICENSE-DATA", "CITATION.cff", "README.md"]


def site_copy(folder: Path) -> Path:
    """The package and docs/ copied into `folder`; returns the copied docs/ folder."""
    for name in COPIED:
        shutil.copy(ROOT / name, folder / name)
    for sub in ("data", "schemas"):
        shutil.copytree(ROOT / sub, folder / sub)
    shutil.copytree(
        ROOT / "docs", folder / "docs", ignore=shutil.ignore_patterns("_build", "tables")
    )
    return folder / "docs"


def build(docs: Path) -> SphinxTestApp:
    app = SphinxTestApp(
        "html",
        srcdir=docs,
        builddir=docs / "_build",
        confoverrides={"datapackage_path": str(docs.parent / "datapackage.json")},
        warningiserror=False,
    )
    app.build()
    return app


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    docs = site_copy(tmp_path_factory.mktemp("site"))
    app = build(docs)
    yield app
    app.cleanup()


def page(app, name: str) -> str:
    return (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")


def test_build_has_no_warnings(site):
    assert site.warning.getvalue().strip() == ""


def test_every_table_has_its_page(site):
    package = load(ROOT / "datapackage.json")
    for table in package.tables:
        html = page(site, f"tables/{table.name}")
        for field in table.field_names:
            assert f'<span class="pre">{field}</span>' in html, (table.name, field)
        assert "Cite this table" in html


def test_json_ld_agrees_with_the_descriptor(site):
    meta = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    html = page(site, "index")
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    data = json.loads(raw)
    assert data["@type"] == "Dataset"
    assert (data["name"], data["version"]) == (meta["title"], meta["version"])
    assert data["creator"][0]["name"] == citation.authors(meta)[0]
    assert "creativecommons.org/licenses/by/4.0" in data["license"]
    assert data["temporalCoverage"].startswith("20")
    urls = {d["contentUrl"].rsplit("/", 1)[1]: d["encodingFormat"] for d in data["distribution"]}
    assert all(urls[f"{r['name']}.csv"] == "text/csv" for r in meta["resources"])
    assert 'property="og:title"' in html


def test_every_page_shows_the_version(site):
    version = json.loads((ROOT / "datapackage.json").read_text())["version"]
    for html_file in Path(site.outdir).rglob("*.html"):
        if html_file.name not in {"genindex.html", "search.html"}:
            assert version in html_file.read_text(encoding="utf-8"), html_file.name


def test_citation_page_matches_the_metadata(site):
    meta = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    html = page(site, "cite")
    for text in (citation.apa(meta), f"ET  - {meta['version']}"):
        assert text.replace("&", "&amp;") in html.replace("&#64;", "@")


def test_downloads_page_lists_checksummed_files(site):
    html = page(site, "downloads")
    sums = (Path(site.outdir) / "downloads" / "SHA256SUMS").read_text().splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert digest in html and name in html


PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "myst": "```{warning}\nboom\n```",
    "role": ":math:`x^2` and {sub-ref}`today`",
    "html": '<img src=x onerror="alert(2)">',
}


def test_data_text_is_escaped(tmp_path):
    docs = site_copy(tmp_path)
    descriptor = docs.parent / "datapackage.json"
    set_cell(descriptor, "issues", "arvaikheer-01", "note", PAYLOADS["script"])
    set_cell(descriptor, "issues", "arvaikheer-02", "note", PAYLOADS["myst"])
    set_cell(descriptor, "issues", "arvaikheer-03", "note", PAYLOADS["role"])
    set_cell(descriptor, "issues", "arvaikheer-04", "note", PAYLOADS["html"])
    app = build(docs)
    html = page(app, "tables/issues")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "```{warning}" in html and 'class="admonition warning"' not in html
    assert ":math:`x^2`" in html and "<math" not in html
    app.cleanup()


def test_pages_rebuild_when_their_data_changes(tmp_path):
    docs = site_copy(tmp_path)
    app = build(docs)
    set_cell(docs.parent / "datapackage.json", "themes", "land", "note", "changed")
    outdated = set(app.env.get_outdated_files(config_changed=False)[1])
    assert "tables/themes" in outdated
    assert "tables/demands" not in outdated
    app.cleanup()
