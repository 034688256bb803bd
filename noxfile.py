"""Sessions for checking and publishing the data package. `nox` alone runs the main job:
validate the data, check the citation file, build the site."""

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["validate", "citation", "docs"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# cffconvert needs an older jsonschema than frictionless, so its pins live in a file of their own.
LOCKS = {"citation": "constraints-citation.txt"}


def install(session: nox.Session, *groups: str) -> None:
    lock = LOCKS.get(groups[0], "constraints.txt")
    # Bytecode compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on our machines),
    # every run would otherwise recompile frictionless, half a second each time.
    env = {"UV_COMPILE_BYTECODE": "1"}
    session.install("-c", lock, *nox.project.dependency_groups(PYPROJECT, *groups), env=env)
    if groups[0] not in LOCKS:  # our tool itself, editable: the `civic-space` command
        session.install("-e", ".", env=env)


def tool(session: nox.Session, *args: str) -> None:
    session.run("civic-space", *args, *session.posargs)


@nox.session
def validate(session: nox.Session) -> None:
    """Validate the data package: frictionless's checks plus ours."""
    install(session, "validate")
    tool(session, "validate")


@nox.session(name="format")
def format_(session: nox.Session) -> None:
    """Rewrite the CSVs in their canonical form (`-- --check` only reports)."""
    install(session, "validate")
    tool(session, "format")


@nox.session
def diff(session: nox.Session) -> None:
    """Show what changed in the data since a git revision: `nox -s diff -- main`."""
    install(session, "validate")
    session.run("civic-space", "diff", *(session.posargs or ["HEAD"]))


@nox.session
def metadata(session: nox.Session) -> None:
    """Regenerate CITATION.cff and .zenodo.json from datapackage.json."""
    install(session, "validate")
    tool(session, "metadata")


@nox.session
def translations(session: nox.Session) -> None:
    """Update the catalogues (messages and site pages); list what is still untranslated."""
    install(session, "docs")
    session.run("sphinx-build", "-q", "-b", "gettext", "docs", "docs/_build/gettext")
    tool(session, "translations", "--pages", "docs/_build/gettext")


@nox.session
def template(session: nox.Session) -> None:
    """Write a spreadsheet to edit the data in: `nox -s template -- [--out FILE] [--empty]`."""
    install(session, "spreadsheet")
    tool(session, "template")


@nox.session(name="import")
def import_(session: nox.Session) -> None:
    """Bring a filled workbook back into data/: `nox -s import -- workbook.xlsx [--draft]`."""
    install(session, "spreadsheet")
    session.run("civic-space", "import", *session.posargs)


@nox.session
def citation(session: nox.Session) -> None:
    """Check CITATION.cff with cffconvert."""
    install(session, "citation")
    session.run("cffconvert", "--validate", "-i", "CITATION.cff")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site, English at docs/_build/html and Mongolian under mn/, warnings as errors."""
    install(session, "docs")
    for language, out in (("en", "docs/_build/html"), ("mn", "docs/_build/html/mn")):
        args = ["-n", "-W", "--keep-going", "-b", "html", "-D", f"language={language}"]
        session.run("sphinx-build", *args, "docs", out, *session.posargs)


@nox.session
def release(session: nox.Session) -> None:
    """Make version X.Y.Z: `nox -s release -- X.Y.Z` (clean tree and valid data only)."""
    install(session, "validate")
    tool(session, "release")


@nox.session
def bench(session: nox.Session) -> None:
    """Time our validation against plain frictionless: `nox -s bench -- --rows 100000`."""
    install(session, "validate")
    session.run("python", "-m", "civic_space.bench", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    install(session, "tests", "docs")
    session.run("pytest", *session.posargs)


@nox.session
def forms(session: nox.Session) -> None:
    """Write the GitHub issue forms from the schemas (`-- --check` only reports)."""
    install(session, "validate")
    tool(session, "forms")


@nox.session(name="from-issue")
def from_issue(session: nox.Session) -> None:
    """Turn a submitted issue form into a row: `nox -s from-issue -- BODY_FILE --table T`."""
    install(session, "validate")
    tool(session, "from-issue")


@nox.session
def explore(session: nox.Session) -> None:
    """Browse the data in Datasette, with every table and column described: `nox -s explore`."""
    install(session, "explore")
    tool(session, "explore")


@nox.session
def a11y(session: nox.Session) -> None:
    """Check every page of both editions in Chromium with axe-core, light and dark, 1280/390 px."""
    install(session, "tests", "docs")
    session.run("pytest", "tests/test_a11y.py", "--every-page", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check the formatting of the Python code with ruff, and audit the workflows with
    zizmor (offline: nothing at low severity or above; actionlint runs in tests/test_workflows)."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("zizmor", "--offline", "--min-severity", "low", ".github/workflows/")


@nox.session
def lock(session: nox.Session) -> None:
    """Re-pin every dependency, transitive ones included, into the constraints files."""
    session.install("uv")
    compile_ = ["uv", "pip", "compile", "--universal", "--python-version", "3.10", "--no-header"]
    groups = [g for g in PYPROJECT["dependency-groups"] if g not in LOCKS]
    session.run(*compile_, *(f"--group={g}" for g in groups), "-o", "constraints.txt")
    for group, lock_file in LOCKS.items():
        session.run(*compile_, f"--group={group}", "-o", lock_file)
