"""An output a person names on the command line (from-issue's --comment, template's --out, the
benchmark's --out, the page catalogues' --locales) never replaces a file of the package: every
file git tracks in the package's folder, and the descriptor, tables and schemas also where there
is no git, under any spelling of the path (`..`, a linked folder, an absolute path)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from civic_space.__main__ import main
from civic_space.descriptor import load
from civic_space.edge import EdgeError
from civic_space.from_issue import from_issue
from civic_space.outputs import page_catalogues, refuse_package_file, refuse_package_folder
from conftest import ROOT, copy_package

# Files a copy of the package also has: some another tool writes, one no list names.
EXTRA = ["README.md", "CITATION.cff", ".github/ISSUE_TEMPLATE/events.yml", "notes/any-file.txt"]


def git(folder: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True).stdout.decode()


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@pytest.fixture
def repo(tmp_path) -> Path:
    """A copy of the package, committed to git; returns its datapackage.json."""
    descriptor = copy_package(tmp_path)
    for name in EXTRA:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"{name}\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return descriptor


def spellings(base: Path, relative: str, linked: Path) -> list[Path]:
    """One file, named in every way a person might: as is, through `..`, and through a link
    to the package's folder (which the edge's own check, below its root, cannot see)."""
    first = relative.split("/")[0]
    return [base / relative, base / first / ".." / relative, linked / relative]


def test_no_file_of_the_package_can_take_the_reply(repo, tmp_path):
    """Every file git tracks (the oracle: `git ls-files`, not the module's list), each spelled
    three ways, is refused as the reply before anything is read or written."""
    package = load(repo)
    linked = tmp_path.parent / f"{tmp_path.name}-link"
    linked.symlink_to(repo.parent, target_is_directory=True)
    before = snapshot(repo.parent)
    files = git(repo.parent, "ls-files").split()
    assert len(files) > 20 and set(EXTRA) <= set(files)
    for relative in files:
        for path in spellings(repo.parent, relative, linked):
            with pytest.raises(EdgeError, match="is a file of the data package"):
                from_issue(package, "events", repo.parent / "no-body.md", path)
    assert snapshot(repo.parent) == before


def test_comment_on_the_descriptor_or_a_table_exits_2_and_changes_nothing(
    package_copy, monkeypatch, capsys
):
    """Hostile 6.20, 6.21, as run then (no git here: the package's own files are known from
    the descriptor), and a hard link to the descriptor, which is the same file by identity."""
    monkeypatch.chdir(package_copy.parent)
    before = snapshot(package_copy.parent)
    os.link("schemas/events.json", "also-events.json")
    (package_copy.parent / "issue.md").write_text("### Event\n\nx\n", encoding="utf-8")
    for target in ("datapackage.json", "data/events.csv", "also-events.json"):
        argv = ["from-issue", "issue.md", "--table", "events", "--comment", target]
        assert main(argv) == 2
        assert "is a file of the data package" in capsys.readouterr().err
    (package_copy.parent / "issue.md").unlink()
    (package_copy.parent / "also-events.json").unlink()
    assert snapshot(package_copy.parent) == before


def test_the_workbook_never_replaces_a_file_of_the_package(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo.parent)
    before = snapshot(repo.parent)
    for target in ("data/events.csv", "notes/any-file.txt", "./schemas/../datapackage.json"):
        assert main(["template", "--out", target]) == 1
        assert "is a file of the data package" in capsys.readouterr().err
    assert snapshot(repo.parent) == before
    assert main(["template", "--out", "build/book.xlsx"]) == 0  # a new file: written


def test_the_synthetic_package_never_empties_a_folder_of_data(repo, tmp_path):
    """`bench --out` removes the folder it is given: the package's folder, one above it or
    data/ are refused, as is a folder of someone else's files; its own earlier output is not."""
    from civic_space.synthetic import write

    before = snapshot(repo.parent)
    for folder in (repo.parent, repo.parent / "data", repo.parent.parent):
        with pytest.raises(EdgeError, match="holds a file of the data package"):
            write(folder, 1, repo)
    other = tmp_path.parent / f"{tmp_path.name}-other"
    (other / "keep").mkdir(parents=True)
    with pytest.raises(EdgeError, match="not a synthetic package made here before"):
        write(other, 1, repo)
    assert (other / "keep").is_dir() and snapshot(repo.parent) == before
    out = tmp_path.parent / f"{tmp_path.name}-bench"
    for _ in range(2):  # made, then made again over itself
        assert write(out, 1, repo).is_file()
    shutil.rmtree(out)
    shutil.rmtree(other)


def test_page_catalogues_are_written_only_among_their_own_kind():
    """`translations --locales` writes and removes .po files there: the site's folder of page
    catalogues holds only those; the code's catalogues, the package's folder or data/ do not."""
    package = load(ROOT / "datapackage.json")
    pages = ROOT / "docs" / "locales"
    refuse_package_folder(package, pages, own=page_catalogues(pages))
    code = ROOT / "scripts" / "civic_space" / "locales"
    for folder in (code, ROOT, ROOT / "data"):
        with pytest.raises(EdgeError, match="holds a file of the data package"):
            refuse_package_folder(package, folder, own=page_catalogues(folder))
    refuse_package_file(package, ROOT / "build" / "not-there-yet.md")  # a new file: fine
