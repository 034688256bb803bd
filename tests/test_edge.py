"""The repository's edge (edge.py, identifiers.py): no tool reads or writes outside the repository,
through a link or from a special file, and descriptor text that names files, addresses or markup
has a strict form.

The tools' writers are not listed here: each tool runs under an audit-hook monitor
(edge_monitor.py), which finds every file it writes and reads; then a link is planted at each of
those (one per kind: `data/{table}.csv` stands for every table) and the tool is run again. A new
writer, or a new file read by a publisher, is found and tried the same way."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from civic_space import explore, exports
from civic_space.__main__ import main
from civic_space.commands import report_error
from civic_space.descriptor import PackageError, load
from conftest import ROOT, copy_package
from edge_monitor import Monitor, inside

EXTRAS = ["README.md", "LICENSE", "LICENSE-DATA", "CITATION.cff", ".zenodo.json", "CHANGELOG.md"]
OUTSIDE = b"outside the repository: must stay exactly as it is\n"


def make_repo(folder: Path, git: bool = False) -> Path:
    """A copy of the package with the files beside it that the tools read; with `git`, a
    repository of it, one commit in. Returns the folder."""
    folder.mkdir(parents=True)
    copy_package(folder)
    for name in EXTRAS:
        shutil.copy(ROOT / name, folder / name)
    if git:
        for args in (["init", "-q"], ["config", "user.name", "t"], ["config", "user.email", "t@t"]):
            run_git(folder, *args)
        run_git(folder, "add", "-A")
        run_git(folder, "commit", "-qm", "base")
    return folder


def run_git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


def downloads(folder: Path) -> int:
    """The docs build's writer of the downloads, as a command: 0, or 1 with the message."""
    try:
        exports.build(load(folder / "datapackage.json"), folder / "build" / "downloads")
    except PackageError as exc:
        return report_error("downloads", exc)
    return 0


def explore_files(folder: Path) -> int:
    try:
        explore.write(load(folder / "datapackage.json"))  # what `explore` writes, not serving it
    except PackageError as exc:
        return report_error("explore", exc)
    return 0


def unsorted(folder: Path) -> None:
    """A table out of canonical order, for `format` to rewrite."""
    path = folder / "data" / "themes.csv"
    head, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([head, *reversed(rows)]) + "\n", encoding="utf-8")


def no_metadata(folder: Path) -> None:
    for name in ("CITATION.cff", ".zenodo.json"):
        (folder / name).unlink()


def import_input(folder: Path) -> list[str]:
    source = folder.parent / "inputs" / "themes.csv"
    source.parent.mkdir(exist_ok=True)
    text = (folder / "data" / "themes.csv").read_text(encoding="utf-8")
    source.write_text(text.replace("harmful use of alcohol.", "harmful use of alcohol!", 1))
    return ["import", str(source)]


def issue_input(folder: Path) -> list[str]:
    from test_from_issue import VALID, body

    source = folder.parent / "inputs" / "issue.md"
    source.parent.mkdir(exist_ok=True)
    source.write_text(body(VALID), encoding="utf-8")
    return ["from-issue", str(source), "--table", "events", "--comment", "comment.md"]


# Every tool that writes: (command line, or a function of the folder; what to do first; git).
TOOLS = {
    "format": (["format"], unsorted, False),
    "forms": (["forms"], None, False),
    "metadata": (["metadata"], no_metadata, False),
    "template": (["template", "--out", "book.xlsx"], None, False),
    "import": (import_input, None, False),
    "from-issue": (issue_input, None, False),
    "downloads": (downloads, None, False),
    "explore": (explore_files, None, False),
    "release": (["release", "0.2.0"], None, True),
}


def command(name: str, folder: Path) -> list[str] | None:
    """A tool's command line in `folder` (its inputs made beside it), None for a function."""
    tool = TOOLS[name][0]
    return None if name in FUNCTIONS else tool(folder) if callable(tool) else tool


FUNCTIONS = ("downloads", "explore")


def run_tool(name: str, folder: Path, args: list[str] | None, capsys) -> tuple[int, str]:
    """Run a tool in `folder` as its command would; its exit status and all it printed."""
    capsys.readouterr()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        status = TOOLS[name][0](folder) if args is None else main(args)
    finally:
        os.chdir(cwd)
    said = capsys.readouterr()
    return status, said.out + said.err


def fresh(name: str, folder: Path) -> Path:
    _tool, first, git = TOOLS[name]
    make_repo(folder, git)
    if first:
        first(folder)
        if git:
            run_git(folder, "commit", "-qam", "prepared")
    return folder


def kind(path: str, folder: Path) -> str:
    """A written file's kind: its path with a table's name put as {table}."""
    names = sorted((t.name for t in load(ROOT / "datapackage.json").tables), key=len, reverse=True)
    relative = os.path.relpath(path, folder)
    return re.sub(rf"(?<![\w-])({'|'.join(names)})(?=\.)", "{table}", relative)


def one_of_each(paths: list[str], folder: Path) -> dict[str, str]:
    """One path of each kind: the last written, so the tool gets furthest before it."""
    return {kind(p, folder): p for p in paths}


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Temporary files in a folder of their own, so that "outside the repository" is exact."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # no .pyc among the writes
    monkeypatch.setenv("LANG", "C")
    return folder


def plant_link(folder: Path, path: str, target: Path, git: bool) -> None:
    link = Path(path)
    if link.exists() or link.is_symlink():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    if git:  # committed, as the issue found it: a clean tree, with a link in it
        run_git(folder, "add", "-A")
        run_git(folder, "commit", "-qm", "a link")


@pytest.mark.parametrize("name", TOOLS)
def test_every_write_stays_inside_and_never_goes_through_a_link(name, tmp_path, scratch, capsys):
    """Run once under the monitor: every file written is in the repository (or the scratch
    folder) and none was a link. Then a link at each file it wrote, one of each kind: the tool
    stops with a clear message, exit 1 (2 for from-issue, which cannot run), and what the link
    points to is untouched."""
    if TOOLS[name][2] and shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = fresh(name, tmp_path / "repo")
    args = command(name, folder)
    with Monitor() as seen:
        status, said = run_tool(name, folder, args, capsys)
    assert status == 0 and not seen.errors, (said, seen.errors)
    for access in seen.writes():
        assert inside(access.path, str(folder)) or inside(access.path, str(scratch)), access
        assert not access.link, access
    written = one_of_each(seen.destinations(str(folder)), folder)
    assert written, f"{name} wrote nothing: the test would prove nothing"
    for number, (what, path) in enumerate(sorted(written.items())):
        again = fresh(name, tmp_path / f"again-{number}")
        target = tmp_path / f"outside-{number}"
        target.write_bytes(OUTSIDE)
        plant_link(again, str(again / os.path.relpath(path, folder)), target, TOOLS[name][2])
        status, said = run_tool(name, again, command(name, again), capsys)
        assert status in ((1, 2) if name == "from-issue" else (1,)), f"{what}: {said}"
        assert "symbolic link" in said and "Traceback" not in said, f"{what}: {said}"
        assert "internal error" not in said, f"{what}: {said}"
        assert target.read_bytes() == OUTSIDE, what
        assert (again / os.path.relpath(path, folder)).is_symlink(), what


@pytest.mark.parametrize("name", ["downloads", "release"])
def test_a_link_at_any_file_a_publisher_reads_is_refused_not_published(
    name, tmp_path, scratch, capsys
):
    """The files the downloads zip and a release read (found by the monitor: the descriptor,
    schemas, tables, README, licences, citation files, changelog): a link at any one of them
    to a secret stops the publisher, and the secret is in nothing it made."""
    if name == "release" and shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = fresh(name, tmp_path / "repo")
    with Monitor() as seen:
        status, said = run_tool(name, folder, command(name, folder), capsys)
    assert status == 0 and not seen.errors, (said, seen.errors)
    read = one_of_each(seen.reads(str(folder)), folder)
    relevant = {k: p for k, p in read.items() if not k.startswith((".git", "build"))}
    assert {"README.md", "LICENSE-DATA"} <= set(relevant) or name == "release", relevant
    if name == "release":  # it reads only what it rewrites; the tag publishes every file
        assert {"CHANGELOG.md", "CITATION.cff"} <= set(relevant), relevant
        relevant["README.md"] = str(folder / "README.md")
    secret = b"SECRET-b7f3c1 " * 4
    for number, (what, path) in enumerate(sorted(relevant.items())):
        again = fresh(name, tmp_path / f"again-{number}")
        target = tmp_path / f"secret-{number}"
        target.write_bytes(secret)
        plant_link(again, str(again / os.path.relpath(path, folder)), target, name == "release")
        head = run_git(again, "rev-parse", "HEAD") if name == "release" else ""
        status, said = run_tool(name, again, command(name, again), capsys)
        assert status == 1 and "symbolic link" in said and "Traceback" not in said, (what, said)
        made = again / "build" / "downloads"
        assert not list(made.glob("*.zip")) if made.exists() else True, what
        if name == "release":
            assert run_git(again, "rev-parse", "HEAD") == head and not run_git(again, "tag")


PROBE = """
import sys
from pathlib import Path
from civic_space import exports
from civic_space.commands import report_error
from civic_space.descriptor import PackageError, load
try:
    exports.build(load(Path("datapackage.json")), Path("build/downloads"))
except PackageError as exc:
    sys.exit(report_error("downloads", exc))
"""


@pytest.mark.parametrize(
    "where", ["datapackage.json", "schemas/events.json", "data/events.csv", "README.md"]
)
def test_a_fifo_at_an_input_is_refused_without_waiting(where, tmp_path):
    """A FIFO would make a reader wait for ever: validation (both engines) and the downloads
    refuse it at once (60 s is the sign of a hang)."""
    folder = make_repo(tmp_path / "repo")
    (folder / where).unlink()
    os.mkfifo(folder / where)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "LANG": "C"}
    commands = [[sys.executable, "-c", PROBE]]
    if where != "README.md":  # validation does not read the README
        commands += [
            [sys.executable, "-m", "civic_space", "validate", "--engine", e]
            for e in ("fast", "reference")
        ]
    for command in commands:
        done = subprocess.run(
            command, cwd=folder, capture_output=True, text=True, timeout=60, env=env
        )
        said = done.stdout + done.stderr
        assert done.returncode == 1 and "not a regular file" in said, (command[-1], said)
        assert "Traceback" not in said
