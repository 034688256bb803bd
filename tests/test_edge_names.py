"""Descriptor text that becomes a file name, an address or markup (identifiers.py): refused by
both engines unless it is a plain name, a SemVer version or an https address; and the edge and
the site's title hold even where such text slipped past validation."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import runpy
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_space import edge, explore, exports
from civic_space.descriptor import PackageError, load
from civic_space.validate import validate
from conftest import ROOT, copy_package

HOSTILE = [
    "../../../../escaped-by-name",
    "0.1.0<plaintext>",
    "a/b",
    "a\\b",
    "..",
    ".",
    "",
    ".hidden",
    "name.",
    "a..b",
    "<script>alert(1)</script>",
    '"quoted"',
    "it's",
    "tab\there",
    "line\nbreak",
    "nul\x00byte",
    "C:\\windows",
    "%2e%2e%2f",
    "\u202eevil",
    "Upper",
    "\uff41",  # a full-width a
    "x" * 65,
]
MARKUP = set("<>&\"'`*[]{}()#!|\\/:% \t\r\n")  # markup, paths, addresses


def refused_or_safe(folder: Path, descriptor: dict) -> None:
    """Load `descriptor`: refused with a PackageError, or every file name and title made from
    its names stays inside the repository and holds no markup."""
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    try:
        package = load(folder / "datapackage.json")
    except PackageError as exc:
        assert exc.message and exc.fix
        return
    meta = package.descriptor
    names = [meta["name"], meta["version"], *(t.name for t in package.tables)]
    derived = [f"build/explore/{meta['name']}.db", f"out/{meta['name']}-{meta['version']}.zip"]
    derived += [f"out/{t.name}.parquet" for t in package.tables]
    for relative in derived:
        edge.inside(folder, folder / relative)  # raises if it left the folder
        assert os.path.normpath(folder / relative).startswith(str(folder) + os.sep)
    for name in names:
        assert not MARKUP & set(name) and name.isprintable() and name not in ("", ".", ".."), name


@pytest.fixture(scope="module")
def loose(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("descriptor")
    copy_package(folder)
    return folder


text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.sampled_from("ab0.-_/\\<>\"' \n\x00:%&+"), max_size=12),
    st.text(max_size=12),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=text, where=st.sampled_from(["name", "version", "resource"]))
def test_descriptor_names_are_refused_or_stay_inside(loose, value, where):
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    if where == "resource":
        descriptor["resources"][-1]["name"] = value  # no foreign key refers to the last one
    else:
        descriptor[where] = value
    refused_or_safe(loose, descriptor)


@pytest.mark.parametrize(
    ("key", "value"),
    [("name", "../../../../escaped-by-name"), ("version", "0.1.0<plaintext>")],
)
def test_both_engines_refuse_the_issue_s_examples_alike(package_copy, key, value):
    descriptor = json.loads(package_copy.read_text(encoding="utf-8"))
    descriptor[key] = value
    package_copy.write_text(json.dumps(descriptor), encoding="utf-8")
    verdicts = [list(validate(package_copy, engine=e)) for e in ("fast", "reference")]
    assert verdicts[0] == verdicts[1] and len(verdicts[0]) == 1, verdicts
    assert verdicts[0][0].code == "package-error" and value[:8] in verdicts[0][0].message


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("contributors", "javascript:alert(1)"),
        ("contributors", "http://www.chrd.org.mn"),
        ("contributors", 'https://example.org/"onmouseover="x'),
        ("licenses", "https://exa mple.org/"),
        ("licenses", "../../secret"),
        ("id", "javascript://doi.org/10.1/x"),
    ],
)
def test_addresses_are_https_only(package_copy, where, value):
    descriptor = json.loads(package_copy.read_text(encoding="utf-8"))
    if where == "id":
        descriptor["id"] = value
    else:
        descriptor[where][0]["path"] = value
    package_copy.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(PackageError, match=r"https address|leaves the repository"):
        load(package_copy)


def test_the_edge_holds_where_validation_is_bypassed(package_copy, tmp_path):
    """Names that slipped past validation still cannot take a writer out of its folder."""
    package = load(package_copy)
    meta = {**package.descriptor, "name": "../../../../escaped-by-name"}
    escaped = dataclasses.replace(package, descriptor=meta)
    with pytest.raises(edge.EdgeError, match="outside the repository"):
        explore.write(escaped)
    with pytest.raises(edge.EdgeError, match="outside the repository"):
        exports.build(escaped, tmp_path / "downloads")
    assert not list(tmp_path.parent.rglob("*escaped-by-name*"))


def test_the_site_title_is_escaped_whatever_the_descriptor_says(tmp_path):
    """The theme prints html_title as it is: conf.py escapes what it takes from the descriptor,
    so a version that slipped past validation shows as text, not as a tag."""
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "conf.py", tmp_path / "docs" / "conf.py")
    meta = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    meta["version"] = "0.1.0<plaintext>"
    (tmp_path / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    before = list(sys.path)
    try:
        conf = runpy.run_path(str(tmp_path / "docs" / "conf.py"))
    finally:
        sys.path[:] = before
    assert "<" not in conf["html_title"] and "&lt;plaintext&gt;" in conf["html_title"]
    assert html.unescape(conf["html_title"]).endswith("0.1.0<plaintext>")
    assert "<" not in conf["myst_substitutions"]["version"]
