"""The git tools when something goes wrong: a release that fails midway changes nothing, and the
data diff says which rows it could not compare instead of dropping them in silence."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from civic_space import release as release_module
from civic_space.__main__ import main
from civic_space.datadiff import diff, render
from civic_space.descriptor import PackageError, load
from conftest import ROOT, set_cell
from test_history import git


@pytest.fixture
def repo(package_copy):
    """A git repository holding a copy of the package and its changelog, one commit in."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = package_copy.parent
    shutil.copy(ROOT / "CHANGELOG.md", folder / "CHANGELOG.md")
    git(folder, "init", "-q")
    git(folder, "config", "user.name", "t")
    git(folder, "config", "user.email", "t@t.invalid")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "base")
    return package_copy


def out(folder, *args) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


def snapshot(folder) -> dict:
    """Everything a failed release must leave as it was."""
    files = out(folder, "ls-files", "-z").split("\0")
    return {
        "files": {name: (folder / name).read_bytes() for name in files if name},
        "status": out(folder, "status", "--porcelain", "--untracked-files=all"),
        "head": out(folder, "rev-parse", "HEAD"),
        "tags": out(folder, "tag", "--list"),
    }


def append(path, line: str) -> int:
    """Add a line at the end of a file; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_release_refuses_before_writing_when_the_tag_exists_or_nobody_is_known(
    repo, monkeypatch, tmp_path
):
    folder = repo.parent
    git(folder, "tag", "v0.2.0")
    before = snapshot(folder)
    with pytest.raises(PackageError, match="is a tag already"):
        release_module.release(load(repo), "0.2.0")
    assert snapshot(folder) == before

    git(folder, "config", "--unset", "user.name")
    git(folder, "config", "--unset", "user.email")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GIT_COMMITTER_EMAIL", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "nobody"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nobody"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    before = snapshot(folder)
    with pytest.raises(PackageError, match="does not know who you are"):
        release_module.release(load(repo), "0.3.0")
    assert snapshot(folder) == before


def test_release_whose_commit_fails_changes_nothing(repo, capsys):
    folder = repo.parent
    hook = folder / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text("#!/bin/sh\necho 'hook says no' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = snapshot(folder)
    assert not (folder / "CITATION.cff").exists()  # made by the release: must go again
    assert main(["release", "0.1.0", str(repo)]) == 1
    error = capsys.readouterr().err
    assert "git commit failed: hook says no" in error and "nothing was changed" in error
    assert snapshot(folder) == before
    assert not (folder / "CITATION.cff").exists()


def test_release_whose_tag_fails_after_the_commit_changes_nothing(repo, monkeypatch):
    folder = repo.parent
    real = release_module.git_step

    def no_tags(where, *args):
        if args[0] == "tag":
            raise release_module.StepFailed("git tag failed: refused by the test")
        return real(where, *args)

    monkeypatch.setattr(release_module, "git_step", no_tags)
    before = snapshot(folder)
    with pytest.raises(PackageError, match=r"refused by the test.*nothing was changed"):
        release_module.release(load(repo), "0.1.0")
    assert snapshot(folder) == before
    assert out(folder, "log", "--format=%s") == "base\n"

    monkeypatch.undo()  # and once the cause is gone, the same release goes through
    mode = (folder / "CHANGELOG.md").stat().st_mode
    assert release_module.release(load(repo), "0.1.0").startswith("released v0.1.0")
    assert out(folder, "status", "--porcelain", "--untracked-files=all") == ""
    assert out(folder, "tag", "--list") == "v0.1.0\n"
    assert out(folder, "log", "--format=%s") == "Release v0.1.0\nbase\n"
    assert "## 0.1.0 (" in (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (folder / "CHANGELOG.md").stat().st_mode == mode
    assert load(repo).descriptor["version"] == "0.1.0"


def test_diff_reports_rows_it_leaves_out_with_their_lines(repo, capsys):
    folder = repo.parent
    themes = folder / "data" / "themes.csv"
    set_cell(repo, "themes", "alcohol-harm", "note", "two\nlines")  # lines are not rows
    bad_then = append(themes, "zz-extra,Extra,,A row with a stray comma.,,missing,maintainers,,")
    git(folder, "commit", "-qam", "a broken row")
    base = out(folder, "rev-parse", "--short", "HEAD").strip()

    git(folder, "checkout", "-q", "HEAD~1", "--", "data/themes.csv")  # mended since
    events = folder / "data" / "events.csv"
    bad_now = append(events, "only,three,cells")
    sdg = folder / "data" / "sdg_targets.csv"
    row = sdg.read_text(encoding="utf-8").splitlines()[1]  # line 2, the first row
    twin = append(sdg, row)

    by_table = {d.name: d for d in diff(load(repo), base)}
    assert by_table["themes"].notes == [
        f"data/themes.csv at {base}: 1 row has the wrong number of cells (the header has 8;"
        f" line {bad_then}) and was left out"
    ]
    assert bad_then == 16  # the line of the file, past the cell that spans two lines
    assert by_table["events"].notes == [
        f"data/events.csv in the working tree: 1 row has the wrong number of cells"
        f" (the header has {len(load(repo).table('events').fields)}; line {bad_now})"
        " and was left out"
    ]
    assert by_table["sdg_targets"].notes == [
        f"data/sdg_targets.csv in the working tree: duplicate key “{row.split(',')[0]}”"
        f" (lines 2, {twin}):"
        " only the last row is compared"
    ]
    assert not by_table["events"]  # notes are not changes...
    text = render(list(by_table.values()), base)
    assert "events: 0 added, 0 removed, 0 changed\n  ! data/events.csv in the working tree" in text

    assert main(["diff", base, str(repo)]) == 1  # ...but a diff that left rows out fails
    printed = capsys.readouterr()
    assert f"line {bad_now}) and was left out" in printed.out
    assert "some rows were left out" in printed.err


def test_release_refuses_a_changelog_from_an_incomplete_diff(repo):
    folder = repo.parent
    themes = folder / "data" / "themes.csv"
    bad = append(themes, "zz-extra,Extra,,A row with a stray comma.,,missing,maintainers,,")
    git(folder, "commit", "-qam", "a broken row")
    git(folder, "tag", "v0.1.0")
    git(folder, "checkout", "-q", "HEAD~1", "--", "data/themes.csv")
    git(folder, "commit", "-qam", "mended")
    before = snapshot(folder)
    with pytest.raises(PackageError, match=rf"diff since v0.1.0 is incomplete: .*line {bad}\)"):
        release_module.release(load(repo), "0.2.0")
    assert snapshot(folder) == before
