"""Make a release: set version and date in datapackage.json, regenerate the derived files, write
the changelog section from the data diff since the last release, commit and tag vX.Y.Z.

Check everything first, then act: every check runs and every new file's text is made in memory
before anything is written. If a step still fails once writing has begun (the commit, the tag),
the files, the index and HEAD are put back exactly as they were, and the release is refused.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from . import citation, edge
from .datadiff import TableDiff, diff
from .descriptor import DataPackage, PackageError
from .gitdata import RELEASED, UNRELEASED, git, latest_release
from .i18n import _
from .validate import validate

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
CHANGELOG = citation.CHANGELOG_FILE


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def changelog_section(
    package: DataPackage,
    version: str,
    day: str,
    since: str | None,
    diffs: list[TableDiff] | None = None,
) -> str:
    lines = [f"## {version} ({day})", ""]
    if since is None:
        lines.append("- First release.")
    else:
        withdrawn: list[str] = []
        for d in diff(package, since) if diffs is None else diffs:
            if d.name == "withdrawals":
                withdrawn += [f"{k.split('/', 1)[0]} {k.split('/', 1)[-1]}" for k in d.added]
                continue
            if d:
                parts = [f"{len(d.added)} added", f"{len(d.changed)} changed"]
                if d.removed:
                    parts.append(f"{len(d.removed)} removed")
                lines.append(f"- `{d.name}`: {', '.join(parts)} rows since {since}.")
        lines += [f"- Withdrawn: {w}." for w in withdrawn]
        if len(lines) == 2:
            lines.append(f"- No change in the data since {since}.")
    return "\n".join(lines) + "\n"


def new_changelog(text: str, section: str) -> str:
    """The changelog with `section` on top; hand-written notes under "(unreleased)" join it."""
    notes = UNRELEASED.search(text)
    if notes:
        section += "\n" + notes.group("body").strip() + "\n"
        text = text[: notes.start()] + text[notes.end() :]
    head, _, rest = text.partition("\n## ")
    return head.rstrip() + "\n\n" + section + ("\n## " + rest if rest else "")


def no_links(package: DataPackage, folder: Path) -> None:
    """A release holds files, never a link: a committed link would carry what it points to (or
    a dangling name) into the tagged version. Every file the release and the downloads read
    goes through the edge too (EdgeError: a link, a FIFO, a path outside)."""
    from .exports import inputs

    listed = git(folder, "ls-files", "--stage", "-z") or ""
    links = [entry.split("\t", 1)[1] for entry in listed.split("\0") if entry.startswith("120000")]
    if links:
        raise edge.EdgeError(
            folder / links[0],
            _("is committed as a symbolic link; a release holds files, never links"),
            _("commit the file itself (git rm --cached, copy the file in, git add)"),
        )
    for path in inputs(package):
        edge.inside(package.base, path)


def not_lower(version: str, current: str, since: str | None, log: str) -> None:
    """A release comes after every version released (a tag, a dated changelog heading) and is
    not below the descriptor's own version, tag or no tag: a first release of 0.0.9 from a
    package at 0.1.0 would go backwards."""
    released = [m["version"] for m in RELEASED.finditer(log)] + ([since[1:]] if since else [])
    released = [v for v in released if SEMVER.match(v)]
    latest = max(released, key=version_tuple, default=None)
    if latest and version_tuple(version) <= version_tuple(latest):
        raise PackageError(version, f"is not after {latest}", "give a higher version")
    if SEMVER.match(current) and version_tuple(version) < version_tuple(current):
        raise PackageError(
            version,
            f"is below the version {current} that datapackage.json gives",
            f"give {current} or a higher version",
        )


class StepFailed(Exception):
    """A git command that changes something failed; the message says which and why."""


def git_step(folder: Path, *args: str) -> str:
    """Run a git command that changes the repository; its output, or StepFailed with git's
    own words (unlike gitdata.git, which only says that it failed)."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        raise StepFailed(f"git {args[0]} could not run ({exc})") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        why = " / ".join(line.strip() for line in said) or f"exit status {done.returncode}"
        raise StepFailed(f"git {args[0]} failed: {why}")
    return done.stdout.decode("utf-8", "replace")


def read_changelog(path: Path) -> str:
    try:
        return edge.read_bytes(path.parent, path).decode("utf-8")
    except FileNotFoundError:
        raise PackageError(
            path, "file not found", "add a CHANGELOG.md that starts with a '# Changelog' heading"
        ) from None
    except UnicodeDecodeError:
        raise PackageError(path, "is not UTF-8 text", "save the file as UTF-8") from None
    except OSError as exc:
        raise PackageError(path, f"cannot be read ({exc.strerror})", "check the file") from None


def prepare(package: DataPackage, version: str) -> dict[str, bytes]:
    """Every check, then every released file's new content (by path in the package folder).
    Nothing is written here."""
    folder = package.base.resolve()
    meta = package.descriptor
    if not SEMVER.match(version):
        raise PackageError(version, "is not a version number", "give it as X.Y.Z, e.g. 0.2.0")
    status = git(folder, "status", "--porcelain")
    if status is None:
        raise PackageError(folder, "is not a git checkout", "run the release in the repository")
    since = latest_release(folder)
    if status.strip():
        raise PackageError(folder, "has uncommitted changes", "commit or stash them first")
    if git(folder, "rev-parse", "--verify", "--quiet", f"refs/tags/v{version}") is not None:
        raise PackageError(
            f"v{version}", "is a tag already", "give another version, or delete the tag"
        )
    if git(folder, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        raise PackageError(folder, "has no commit yet", "commit the package first")
    for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        if git(folder, "var", who) is None:
            raise PackageError(
                folder,
                "git does not know who you are, so it cannot commit or tag",
                'set it: git config user.name "Your Name"; git config user.email you@example.org',
            )
    log = read_changelog(folder / CHANGELOG)
    not_lower(version, str(meta.get("version", "")), since, log)
    no_links(package, folder)
    problems = list(validate(package.descriptor_path))
    if problems:
        raise PackageError(
            problems[0].path, f"is not valid ({len(problems)} problems)", "run `nox` and fix them"
        )
    diffs = diff(package, since) if since else None
    notes = [note for d in diffs or [] for note in d.notes]
    if notes:  # the changelog must not be written from a diff that left rows out
        more = f" (and {len(notes) - 1} more)" if len(notes) > 1 else ""
        raise PackageError(
            folder,
            f"the diff since {since} is incomplete: {notes[0]}{more}",
            f"see `python -m civic_space diff {since}`, and mend the rows it names",
        )

    now = datetime.now(timezone.utc).replace(microsecond=0)
    new_meta = copy.deepcopy(meta)
    new_meta["version"] = version
    new_meta["created"] = now.isoformat().replace("+00:00", "Z")
    released = dataclasses.replace(package, descriptor=new_meta)
    section = changelog_section(released, version, now.date().isoformat(), since, diffs)
    texts = {
        package.descriptor_path.name: json.dumps(new_meta, ensure_ascii=False, indent=2) + "\n",
        citation.CFF_FILE: citation.cff(released, published=True),
        citation.ZENODO_FILE: citation.zenodo(released, published=True),
        CHANGELOG: new_changelog(log, section),
    }
    return {name: text.encode("utf-8") for name, text in texts.items()}


def release(package: DataPackage, version: str) -> str:
    folder = package.base.resolve()
    contents = prepare(package, version)
    head = (git(folder, "rev-parse", "--verify", "HEAD") or "").strip()
    originals: dict[str, tuple[bytes, int] | None] = {}
    for name in contents:
        path = folder / name
        try:
            originals[name] = (edge.read_bytes(folder, path), edge.own_mode(path))
        except FileNotFoundError:
            originals[name] = None
        except OSError as exc:
            raise PackageError(path, f"cannot be read ({exc.strerror})", "check the file") from None
    tag = f"v{version}"
    try:
        for name, data in contents.items():
            edge.write(folder, folder / name, data, originals[name][1] if originals[name] else None)
        git_step(folder, "add", "--", *contents)
        git_step(folder, "commit", "-q", "-m", f"Release {tag}")
        git_step(folder, "tag", "-a", tag, "-m", f"Version {version}")
    except BaseException as exc:  # also Ctrl-C: never leave half a release behind
        left = roll_back(folder, head, tag, originals)
        if not isinstance(exc, (StepFailed, OSError)):
            raise
        reason = str(exc) if isinstance(exc, StepFailed) else f"a file could not be written ({exc})"
        if left:
            raise PackageError(
                folder,
                f"the release failed ({reason}), and undoing it failed too: {'; '.join(left)}",
                f"check `git status` and `git log -1`; HEAD was {head[:12]}",
            ) from None
        raise PackageError(
            folder,
            f"the release failed ({reason}); nothing was changed",
            "fix the cause and run the release again",
        ) from None
    return f"released {tag}: commit and tag made; push them with `git push --follow-tags`"


def roll_back(
    folder: Path, head: str, tag: str, originals: dict[str, tuple[bytes, int] | None]
) -> list[str]:
    """Put tag, HEAD, index and files back as they were; what could not be undone."""
    left = []
    steps = []
    if git(folder, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}") is not None:
        steps.append(("tag", "-d", tag))  # it did not exist before: the checks saw to that
    if (git(folder, "rev-parse", "--verify", "HEAD") or "").strip() != head:
        steps.append(("reset", "-q", "--soft", head))
    steps.append(("reset", "-q", head, "--", *originals))  # the tree was clean: index = HEAD
    for step in steps:
        try:
            git_step(folder, *step)
        except StepFailed as exc:
            left.append(str(exc))
    for name, original in originals.items():
        path = folder / name
        try:
            if original is None:
                path.unlink(missing_ok=True)
            elif not path.exists() or edge.read_bytes(folder, path) != original[0]:
                edge.write(folder, path, *original)
        except (OSError, edge.EdgeError) as exc:
            left.append(f"{name} could not be restored ({exc})")
    return left
