"""Make a release: set version and date in datapackage.json, regenerate the derived files, write
the changelog section from the data diff since the last release, commit and tag vX.Y.Z."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from . import citation
from .datadiff import diff
from .descriptor import DataPackage, PackageError, load
from .gitdata import git, latest_release
from .validate import validate

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
UNRELEASED = re.compile(r"^## .*\(unreleased\)\n(?P<body>.*?)(?=^## |\Z)", re.M | re.S)


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def changelog_section(package: DataPackage, version: str, day: str, since: str | None) -> str:
    lines = [f"## {version} ({day})", ""]
    if since is None:
        lines.append("- First release.")
    else:
        withdrawn: list[str] = []
        for d in diff(package, since):
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


def release(package: DataPackage, version: str) -> str:
    folder = package.base.resolve()
    meta = package.descriptor
    if not SEMVER.match(version):
        raise PackageError(version, "is not a version number", "give it as X.Y.Z, e.g. 0.2.0")
    if version_tuple(version) <= version_tuple(meta["version"]) and latest_release(folder):
        raise PackageError(version, f"is not after {meta['version']}", "give a higher version")
    status = git(folder, "status", "--porcelain")
    if status is None:
        raise PackageError(folder, "is not a git checkout", "run the release in the repository")
    if status.strip():
        raise PackageError(folder, "has uncommitted changes", "commit or stash them first")
    problems = list(validate(package.descriptor_path))
    if problems:
        raise PackageError(
            problems[0].path, f"is not valid ({len(problems)} problems)", "run `nox` and fix them"
        )
    since = latest_release(folder)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    meta["version"] = version
    meta["created"] = now.isoformat().replace("+00:00", "Z")
    package.descriptor_path.write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    package = load(package.descriptor_path)
    citation.write(package)
    log = folder / "CHANGELOG.md"
    text = log.read_text(encoding="utf-8")
    section = changelog_section(package, version, now.date().isoformat(), since)
    notes = UNRELEASED.search(text)
    if notes:  # hand-written notes under "(unreleased)" join the new section
        section += "\n" + notes.group("body").strip() + "\n"
        text = text[: notes.start()] + text[notes.end() :]
    head, _, rest = text.partition("\n## ")
    text = head.rstrip() + "\n\n" + section + ("\n## " + rest if rest else "")
    log.write_text(text, encoding="utf-8")
    files = ["datapackage.json", citation.CFF_FILE, citation.ZENODO_FILE, "CHANGELOG.md"]
    if (
        git(folder, "add", *files) is None
        or git(folder, "commit", "-qm", f"Release v{version}") is None
    ):
        raise PackageError(folder, "the release commit failed", "check `git status`")
    if git(folder, "tag", "-a", f"v{version}", "-m", f"Version {version}") is None:
        raise PackageError(folder, f"tag v{version} could not be made", "does it exist already?")
    return f"released v{version}: commit and tag made; push them with `git push --follow-tags`"
