"""Shared fixtures: a scratch copy of the package to damage, helpers to edit it, and what is
expensive to make (the damage corpus's verdicts, the built site) made once per run."""

from __future__ import annotations

import fcntl
import io
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from civic_space.descriptor import load
from civic_space.formatting import read_rows, render

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTOR = ROOT / "datapackage.json"
REPORT = ROOT.parent / "shared" / "sources" / "final-report.md"


def copy_package(folder: Path) -> Path:
    """A copy of the real package in `folder`; returns its datapackage.json."""
    shutil.copy(DESCRIPTOR, folder / "datapackage.json")
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")  # its vetted URL hosts
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "schemas", folder / "schemas")
    return folder / "datapackage.json"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the real package in a temporary folder; returns its datapackage.json."""
    return copy_package(tmp_path)


@dataclass
class Verdict:
    line: int | None  # where the damage is, as the damage itself says
    problems: list
    progress: list[str]  # what the engine said while it ran (a hand-over, for one)


def shared(factory, key: str, compute):
    """compute() once for the whole run, whichever pytest-xdist worker asks first; the others
    wait for it and read its result (pickled beside their own temporary folders)."""
    root = factory.getbasetemp()
    root = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root
    path = root / f"shared-{key}.pickle"
    with (root / f"shared-{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            path.write_bytes(pickle.dumps(compute()))
        return pickle.loads(path.read_bytes())


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """verdict(name, engine): the damage corpus, each case validated once per engine in the whole
    run, shared by the tests that read it (the mutation and the differential test)."""
    from civic_space.validate import validate
    from test_mutations import MUTATIONS

    copies: dict[str, tuple[Path, int | None]] = {}

    def run(name: str, engine: str) -> Verdict:
        if name not in copies:
            descriptor = copy_package(tmp_path_factory.mktemp(name))
            copies[name] = (descriptor, MUTATIONS[name][0](descriptor))
        said: list[str] = []
        problems = list(validate(copies[name][0], engine=engine, progress=said.append))
        return Verdict(copies[name][1], problems, said)

    def verdict(name: str, engine: str = "reference") -> Verdict:
        return shared(tmp_path_factory, f"{name}-{engine}", lambda: run(name, engine))

    return verdict


@dataclass
class Built:
    """What the tests read of a site build: its output folder and its warnings."""

    outdir: Path
    warnings: str

    @property
    def warning(self):  # as SphinxTestApp offers it
        return io.StringIO(self.warnings)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Both editions of the site, built once in the run from a copy of the package, as `nox -s
    docs` lays them out: `.serve` holds the English pages with the Mongolian ones under mn/."""
    from types import SimpleNamespace

    def build_both() -> dict[str, Built]:
        from civic_space import i18n
        from sitebuild import build, site_copy

        folder = tmp_path_factory.mktemp("site")
        built = {}
        for language in ("en", "mn"):
            (folder / language).mkdir()
            app = build(site_copy(folder / language), language)
            app.cleanup()  # its pages and warnings stay; Sphinx's registries are reset
            built[language] = Built(Path(app.outdir), app.warning.getvalue())
        i18n.use("en")  # the Mongolian build switched the messages' language
        serve = folder / "serve"
        serve.mkdir()
        for entry in built["en"].outdir.iterdir():
            (serve / entry.name).symlink_to(entry)
        (serve / "mn").symlink_to(built["mn"].outdir)
        return {**built, "serve": serve}

    return SimpleNamespace(**shared(tmp_path_factory, "site", build_both))


@pytest.fixture(scope="session")
def report_text() -> str:
    if not REPORT.exists():
        pytest.skip(f"the source report is not beside this checkout ({REPORT})")
    return REPORT.read_text(encoding="utf-8")


def set_cell(descriptor: Path, table: str, key: str, field: str, value: str) -> int:
    """Set one cell of the row whose primary key (joined by '/') is `key`; return its line."""
    tab = load(descriptor).table(table)
    header, rows = read_rows(tab)
    pk = [header.index(name) for name in tab.primary_key]
    for number, row in enumerate(rows, start=2):
        if "/".join(row[i] for i in pk) == key:
            row[header.index(field)] = value
            tab.path.write_text(render(header, rows), encoding="utf-8")
            return number
    raise KeyError(f"{table}: no row {key}")
