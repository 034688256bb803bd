"""Git-aware tools: the data diff, and stable keys since the latest release tag."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from civic_space.datadiff import diff, render
from civic_space.descriptor import load
from civic_space.validate import validate
from conftest import ROOT, set_cell


def git(folder, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(package_copy):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = package_copy.parent
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "base")
    return package_copy


def test_diff_shows_added_removed_and_changed_rows(repo):
    set_cell(repo, "places", "bayandun", "note", "Soum centre: Naranbulag.")
    path = repo.parent / "data" / "themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    removed = next(line for line in lines if line.startswith("land,"))
    path.write_text("".join(line for line in lines if line != removed), encoding="utf-8")
    with (repo.parent / "data" / "sdg_targets.csv").open("a", encoding="utf-8") as f:
        f.write(
            "16.3,16,Promote the rule of law,Хууль дээдлэх ёсыг дэмжих,translated,un-sdg-targets\n"
        )
    by_table = {d.name: d for d in diff(load(repo), "HEAD")}
    assert by_table["places"].changed == {
        "bayandun": [
            (
                "note",
                "Coordinates are those of the soum centre, Naranbulag.",
                "Soum centre: Naranbulag.",
            )
        ]
    }
    assert by_table["themes"].removed == ["land"]
    assert by_table["sdg_targets"].added == ["16.3"]
    assert not by_table["events"]
    text = render(list(by_table.values()), "HEAD")
    assert "+ 16.3" in text and "- land" in text and "~ bayandun" in text


def test_released_rows_cannot_disappear(repo):
    git(repo.parent, "tag", "v0.1.0")
    path = repo.parent / "data" / "demands.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # drop demand 8
    problems = [p for p in validate(repo) if p.code == "stable-keys"]
    assert len(problems) == 1
    assert "row “8” of demands was released in v0.1.0" in problems[0].message
    assert problems[0].path.endswith("demands.csv")


def test_no_release_no_complaint(repo):
    path = repo.parent / "data" / "demands.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    assert [p for p in validate(repo) if p.code == "stable-keys"] == []


def release(repo, version):
    from civic_space.descriptor import PackageError
    from civic_space.release import release as make

    try:
        return make(load(repo), version)
    except PackageError as exc:
        return f"refused: {exc.message}"


def test_release_sets_version_changelog_and_tag(repo):
    folder = repo.parent
    shutil.copy(ROOT / "CHANGELOG.md", folder / "CHANGELOG.md")
    assert release(repo, "0.1.0") == "refused: has uncommitted changes"
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "changelog")
    set_cell(repo, "places", "bayandun", "latitude", "not a number")
    git(folder, "commit", "-qam", "break")
    assert release(repo, "0.1.0").startswith("refused: is not valid")
    set_cell(repo, "places", "bayandun", "latitude", "49.2439")
    git(folder, "commit", "-qam", "mend")

    assert release(repo, "0.1.0").startswith("released v0.1.0")
    meta = load(repo).descriptor
    assert meta["version"] == "0.1.0"
    log = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 0.1.0 (" in log and "- First release." in log and "(unreleased)" not in log
    assert "version: 0.1.0\n" in (folder / "CITATION.cff").read_text(encoding="utf-8")
    tags = subprocess.run(["git", "tag"], cwd=folder, capture_output=True, text=True).stdout
    assert tags.split() == ["v0.1.0"]

    assert release(repo, "0.0.9") == "refused: is not after 0.1.0"
    with (folder / "data" / "themes.csv").open("a", encoding="utf-8") as f:
        f.write("zz-new,New theme,,A theme nobody uses yet.,,missing,maintainers,\n")
    set_cell(repo, "issues", "online-03", "theme_id", "zz-new")
    git(folder, "commit", "-qam", "new theme")
    assert release(repo, "0.2.0").startswith("released v0.2.0")
    log = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "- `themes`: 1 added, 0 changed rows since v0.1.0." in log
    assert "- `issues`: 0 added, 1 changed rows since v0.1.0." in log
    assert log.index("## 0.2.0") < log.index("## 0.1.0")
    # The release leaves the derived metadata agreeing with the descriptor.
    zenodo = json.loads((folder / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["version"] == load(repo).descriptor["version"] == "0.2.0"
    assert "version: 0.2.0\n" in (folder / "CITATION.cff").read_text(encoding="utf-8")
    versions_page_lists_both(folder)


def versions_page_lists_both(folder):
    """The versions page, made from git alone: both tags, newest first, each with its notes,
    its address beside the version being built, and its CSVs' checksums at the tag."""
    from sphinx.testing.util import SphinxTestApp

    from civic_space.gitdata import releases

    found = releases(folder)
    assert [r.tag for r in found] == ["v0.2.0", "v0.1.0"]
    assert "`themes`: 1 added" in found[0].notes and found[1].notes.startswith("- First release.")
    themes = hashlib.sha256((folder / "data" / "themes.csv").read_bytes()).hexdigest()
    assert found[0].checksums["themes.csv"] == themes != found[1].checksums["themes.csv"]
    docs = folder / "site"
    docs.mkdir()
    (docs / "conf.py").write_text(
        "extensions = ['myst_parser', 'versions']\n"
        "def setup(app):\n"
        f"    app.add_config_value('datapackage_path', {str(folder / 'datapackage.json')!r}, '')\n"
    )
    (docs / "index.md").write_text("# Versions\n\n```{dataset-versions}\n```\n")
    app = SphinxTestApp(
        "html", srcdir=docs, confoverrides={"site_url": "https://example.org/cs/main/"}
    )
    app.build()
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    git(folder, "tag", "v0.2.1")  # a new tag, no file changed: the next build shows it
    app.build()
    again = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    app.cleanup()
    assert "v0.2.1 (" not in page and "v0.2.1 (" in again
    assert page.index("v0.2.0 (") < page.index("v0.1.0 (")
    assert 'href="https://example.org/cs/v0.1.0/"' in page and themes in page


def moved(repo, table, new):
    """Move a table's CSV to `new` (relative) and point the descriptor there."""
    import json

    folder = repo.parent
    descriptor = json.loads(repo.read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["name"] == table)
    (folder / new).parent.mkdir(parents=True, exist_ok=True)
    (folder / res["path"]).rename(folder / new)
    res["path"] = new
    repo.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def edit_descriptor(change):
    import json

    def damage(repo):
        descriptor = json.loads(repo.read_text(encoding="utf-8"))
        change(descriptor)
        repo.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")

    return damage


def drop_last_row(repo, table="demands", path=None):
    path = path or repo.parent / "data" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


def rename_key(repo):
    import json

    schema_path = repo.parent / "schemas" / "demands.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][0]["name"] = "number_new"
    schema["primaryKey"] = ["number_new"]
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    links = repo.parent / "schemas" / "demand_instruments.json"  # whose key points at it
    linked = json.loads(links.read_text(encoding="utf-8"))
    for fk in linked["foreignKeys"]:
        if fk["reference"]["resource"] == "demands":
            fk["reference"]["fields"] = ["number_new"]
    links.write_text(json.dumps(linked), encoding="utf-8")
    path = repo.parent / "data" / "demands.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = "number_new" + lines[0][lines[0].index(",") :]
    path.write_text("".join(lines[:-1]), encoding="utf-8")


DEMANDS_AND_LINKS = ("demands", "demand_instruments")
# Ways around the stable-key rule: each must still be refused, by both engines.
BYPASSES = {
    "moved-and-rows-deleted": lambda r: (
        moved(r, "demands", "data/moved/demands.csv"),
        drop_last_row(r, path=r.parent / "data/moved/demands.csv"),
    ),
    "moved-unannounced": lambda r: moved(r, "demands", "data/demands2.csv"),
    "resource-dropped": edit_descriptor(  # with the table whose keys point at it
        lambda d: d.update(
            resources=[r for r in d["resources"] if r["name"] not in DEMANDS_AND_LINKS]
        )
    ),
    "no-resources": edit_descriptor(lambda d: d.update(resources=[])),
    "key-renamed": rename_key,
}


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize("name", BYPASSES)
def test_stable_keys_cannot_be_bypassed(repo, name, engine):
    git(repo.parent, "tag", "v0.1.0")
    BYPASSES[name](repo)
    problems = [p for p in validate(repo, engine=engine) if p.code == "stable-keys"]
    assert problems, name
    assert all(" — " in str(p) for p in problems)
    assert any("demands" in str(p) for p in problems), [str(p) for p in problems]


def test_an_announced_move_keeping_every_row_is_allowed(repo):
    git(repo.parent, "tag", "v0.1.0")
    moved(repo, "demands", "data/demands2.csv")
    changelog = (
        "# Changelog\n\n## 0.2.0 (unreleased)\n\n- data/demands.csv moved to data/demands2.csv\n"
    )
    (repo.parent / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    assert [str(p) for p in validate(repo) if p.code == "stable-keys"] == []


def test_a_field_added_or_removed_is_said_once_not_on_every_row():
    from civic_space.datadiff import compare, render

    before = {"a": {"id": "a", "old": "", "x": "1"}, "b": {"id": "b", "old": "v", "x": "2"}}
    after = {"a": {"id": "a", "x": "1", "new": "n"}, "b": {"id": "b", "x": "3", "new": ""}}
    changes = compare("t", before, after)
    assert (changes.fields_added, changes.fields_removed) == (["new"], ["old"])
    assert changes.changed == {"b": [("x", "2", "3")]}
    text = render([changes], "HEAD")
    assert "field removed: old" in text and "“” → “”" not in text


def test_a_change_past_the_cut_is_shown():
    """A long cell changed near its end: both excerpts start just before the change."""
    from civic_space.datadiff import excerpts

    old = "The report says so. " * 10 + "(formerly events.organiser_id)."
    shown = excerpts(old, old.replace(" (formerly events.organiser_id)", ""))
    before, after = shown.split(" → ")
    assert before != after and "formerly" in before and "formerly" not in after
    assert excerpts("short", "shorter") == "“short” → “shorter”"


# ---- history that is not all here is said, and fails in CI ----

RELEASED_LOG = (
    "# Changelog\n\n## 0.2.0 (unreleased)\n\n- More.\n\n## 0.1.0 (2025-01-01)\n\n- First.\n"
)


@pytest.fixture
def released(repo):
    """The scratch repository with release v0.1.0 in its changelog and tags, and a commit after."""
    folder = repo.parent
    (folder / "CHANGELOG.md").write_text(RELEASED_LOG, encoding="utf-8")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "changelog")
    git(folder, "tag", "v0.1.0")
    set_cell(repo, "places", "bayandun", "note", "Soum centre: Naranbulag.")
    git(folder, "commit", "-qam", "after the release")
    return repo


def cloned(released, tmp_path, *options):
    target = tmp_path / "clone"
    git(tmp_path, "clone", "-q", *options, f"file://{released.parent}", str(target))
    return target / "datapackage.json"


def codes(descriptor, engine="reference"):
    return [p.code for p in validate(descriptor, engine=engine) if p.code in GAP_CODES]


GAP_CODES = {"history-missing", "stable-keys"}


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--depth", "1"], "shallow clone"),  # actions/checkout's default
        (["--depth", "1", "--no-single-branch"], "shallow clone"),
        (["--no-tags"], "the tag v0.1.0 is not here"),
    ],
    ids=["depth-1", "depth-1-all-branches", "no-tags"],
)
def test_missing_history_is_a_warning_and_in_ci_an_error(
    released, tmp_path, monkeypatch, options, said
):
    from civic_space.__main__ import main
    from civic_space.validate import warnings

    clone = cloned(released, tmp_path, *options)
    drop_last_row(clone)  # a released row gone: what the missing history would hide
    monkeypatch.delenv("CI", raising=False)
    assert codes(clone) == []  # not checkable here, and
    (gap,) = warnings(clone)  # said so
    assert gap.code == "history-missing" and said in gap.message and "git fetch" in gap.fix
    monkeypatch.setenv("CI", "true")
    for engine in ("reference", "fast"):
        assert codes(clone, engine) == ["history-missing"], engine
    assert warnings(clone) == []  # an error now, not a warning
    assert main(["validate", str(clone)]) == 1


def test_the_whole_history_is_checked_without_a_word(released, tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    clone = cloned(released, tmp_path)  # a full clone: history and tags, as fetch-depth: 0
    assert codes(clone) == []
    drop_last_row(clone)
    assert codes(clone) == ["stable-keys"]


def test_a_package_outside_git_lacks_no_history(package_copy, monkeypatch):
    """A downloaded copy never had a history: nothing is missing, even in CI."""
    monkeypatch.setenv("CI", "true")
    shutil.copy(ROOT / "CHANGELOG.md", package_copy.parent / "CHANGELOG.md")
    assert codes(package_copy) == []
