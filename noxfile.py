"""Sessions for checking and publishing the data package. `nox` alone runs the main job."""

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["validate"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
# The tooling runs from source; nothing is installed but the pinned dependencies.
ENV = {"PYTHONPATH": "scripts"}


def install(session: nox.Session, *groups: str) -> None:
    session.install("-c", "constraints.txt", *nox.project.dependency_groups(PYPROJECT, *groups))


@nox.session
def validate(session: nox.Session) -> None:
    """Validate the data package: frictionless's checks plus ours."""
    install(session, "validate")
    session.run("python", "-m", "civic_space", "validate", *session.posargs, env=ENV)


@nox.session(name="format")
def format_(session: nox.Session) -> None:
    """Rewrite the CSVs in their canonical form (`-- --check` only reports)."""
    install(session, "validate")
    session.run("python", "-m", "civic_space", "format", *session.posargs, env=ENV)


@nox.session
def diff(session: nox.Session) -> None:
    """Show what changed in the data since a git revision: `nox -s diff -- main`."""
    install(session, "validate")
    session.run("python", "-m", "civic_space", "diff", *(session.posargs or ["HEAD"]), env=ENV)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    install(session, "tests")
    session.run("pytest", *session.posargs, env=ENV)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check the formatting of the Python code with ruff."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def lock(session: nox.Session) -> None:
    """Re-pin every dependency, transitive ones included, into constraints.txt."""
    session.install("uv")
    session.run(
        "uv",
        "pip",
        "compile",
        *(f"--group={g}" for g in PYPROJECT["dependency-groups"]),
        "--universal",
        "--python-version",
        "3.10",
        "--no-header",
        "-o",
        "constraints.txt",
    )
