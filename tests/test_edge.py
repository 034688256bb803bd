"""The repository's edge (edge.py, identifiers.py): no tool reads or writes outside the repository,
through a link or from a special file, and descriptor text that names files, addresses or markup
has a strict form.

The tools' writers are not listed here: each tool runs under an audit-hook monitor
(edge_monitor.py), which finds every file it writes and reads; then a link is planted at each of
those (one per kind: `data/{table}.csv` stands for every table) and the tool is run again. A new
writer, or a new file read by a publisher, is found and tried the same way."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_space import edge, explore, exports
from civic_space.__main__ import main
from civic_space.commands import report_error
from civic_space.descriptor import PackageError, load
from civic_space.validate import validate
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


# ---- descriptor text that becomes a file name, an address or markup ----

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
    import json

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
    import json

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
    import json

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
    import json

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
    import json
    import runpy

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
