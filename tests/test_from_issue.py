"""`civic-space from-issue`: a submitted issue form becomes a row, or a refusal in the form's
terms with nothing written. Bodies are written here as GitHub renders a submitted form."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_space import i18n
from civic_space.__main__ import main
from civic_space.datadiff import diff
from civic_space.descriptor import load
from civic_space.formatting import format_package, read_rows
from civic_space.from_issue import MAX_BODY, chosen, from_issue, labels, parse
from civic_space.validate import validate
from conftest import ROOT, set_cell

FIELDS = json.loads((ROOT / "schemas" / "events.json").read_text(encoding="utf-8"))["fields"]
ENGLISH = {f["name"]: f["title"] for f in FIELDS}

# A new workshop, as stored; the body gives each drop-down's answer as the form offers it.
STORED = {
    "event_id": "workshop-test-soum",
    "title": "Training-workshop in a test soum",
    "kind": "training-workshop",
    "activity_number": "3",
    # Not one of the in-person workshops: a fifth would disagree with the report's 4 sites, and
    # validation refuses that (see tests/test_declared_figures.py).
    "part_of": "annual-forum-community-groups-2022",
    "aggregate": "false",
    "policy_process": "false",
    "mode": "in-person",
    "place_id": "mongolia",
    "place_precision": "country",
    "start_date": "2022-09-01",
    "end_date": "2022-09-02",
    "date_precision": "day",
    "date_as_given": "September 1-2, 2022",
    "mn_status": "missing",
    "source_id": "report-activity-3",
}


def as_offered(name: str, value: str) -> str:
    """The form's option for a stored value ("value — name"), or the value for a typed field."""
    from civic_space import forms

    package = load(ROOT / "datapackage.json")
    events = package.table("events")
    offered = forms.options(package, events, events.field(name), i18n.messages("mn"))
    return next((o for o in offered or [] if o.split(" — ")[0] == value), value)


VALID = {name: as_offered(name, value) for name, value in STORED.items()}


def mongolian() -> dict[str, str]:
    previous = i18n.language()
    i18n.use("mn")
    try:
        return {name: i18n.field_title(title) for name, title in ENGLISH.items()}
    finally:
        i18n.use(previous)


MONGOLIAN = mongolian()
BOTH = {name: f"{ENGLISH[name]} / {MONGOLIAN[name]}" for name in ENGLISH}


def body(values: dict[str, str], labels: dict[str, str] = BOTH, newline: str = "\n") -> str:
    """Every field of the form, as GitHub renders it; `_No response_` where left empty."""
    sections = [f"### {labels[name]}\n\n{values.get(name) or '_No response_'}" for name in ENGLISH]
    return "\n\n".join(sections).replace("\n", newline) + newline


def submit(descriptor: Path, text: str):
    path = descriptor.parent / "issue.md"
    path.write_bytes(text.encode("utf-8"))
    return from_issue(load(descriptor), "events", path)


def new_row(descriptor: Path) -> dict[str, str]:
    header, rows = read_rows(load(descriptor).table("events"))
    found = [dict(zip(header, row, strict=True)) for row in rows]
    return next(r for r in found if r["event_id"] == STORED["event_id"])


def git(folder: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args]
    subprocess.run(command, cwd=folder, check=True, capture_output=True)


@pytest.fixture
def repo(package_copy):
    """The package copy as a git repository with one commit (as in test_history.py)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(package_copy.parent, "init", "-q")
    git(package_copy.parent, "add", "-A")
    git(package_copy.parent, "commit", "-qm", "base")
    return package_copy


def test_english_labels_make_a_valid_row_that_the_diff_shows(repo, capsys):
    # As a browser may send it: CRLF line endings, trailing spaces after headings and values.
    text = body(VALID, ENGLISH, newline="  \r\n")
    (repo.parent / "issue.md").write_bytes(text.encode("utf-8"))
    argv = ["from-issue", str(repo.parent / "issue.md"), "--table", "events"]
    out = repo.parent / "comment.md"
    assert main([*argv, "--descriptor", str(repo), "--comment", str(out)]) == 0
    said = capsys.readouterr().out
    assert STORED["event_id"] in said and "nox -s diff" in said
    assert "workshop\\-test\\-soum" in out.read_text(encoding="utf-8")
    row = new_row(repo)
    assert row == {name: STORED.get(name, "") for name in ENGLISH}
    assert list(validate(repo)) == []
    assert format_package(load(repo), check=True) == []  # in canonical order already
    events = next(d for d in diff(load(repo), "HEAD") if d.name == "events")
    assert events.added == [STORED["event_id"]] and not events.changed and not events.removed


def test_mongolian_labels_make_the_same_row(package_copy):
    done = submit(package_copy, body(VALID, MONGOLIAN))
    assert done.refusals == [] and done.written == load(package_copy).table("events").path
    assert new_row(package_copy) == {name: STORED.get(name, "") for name in ENGLISH}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", '=HYPERLINK("https://example.org/x","click")'),
        ("description", "Questions went to someone@example.org after the workshop."),
        ("place_id", "atlantis"),
        ("start_date", "2022-13-45"),
        ("source_id", ""),  # required: left empty, rendered `_No response_`
    ],
)
def test_refused_by_field_title_and_nothing_written(package_copy, field, value):
    data = package_copy.parent / "data"
    before = {path.name: path.read_bytes() for path in data.iterdir()}
    done = submit(package_copy, body({**VALID, field: value}))
    assert done.written is None
    assert BOTH[field] in [refusal.title for refusal in done.refusals], done.refusals
    assert all("csv" not in refusal.title for refusal in done.refusals)  # no file, no line
    assert {path.name: path.read_bytes() for path in data.iterdir()} == before


def test_hostile_text_is_stored_as_text_never_run(package_copy, tmp_path):
    text = (
        f"**Bold** [a link](https://example.org) ![x](https://example.org/i.png) "
        f"<script>alert(1)</script> <!-- hidden --> ${{{{ github.token }}}} "
        f"$(touch {tmp_path}/ran) `touch {tmp_path}/ran` ; | && \\ # ' \""
    )
    done = submit(package_copy, body({**VALID, "note": text}))
    assert done.refusals == []
    assert new_row(package_copy)["note"] == text
    assert not (tmp_path / "ran").exists()


def test_refusal_comment_is_inert_and_names_the_fields(package_copy):
    hostile = {
        **VALID,
        "title": '=HYPERLINK("https://evil.example","<b>x</b>")',
        "description": "Write to a@example.org",
        "place_id": "<script>alert(1)</script> @octocat #1 www.x.org",  # quoted in its message
    }
    (package_copy.parent / "issue.md").write_text(body(hostile), encoding="utf-8")
    out = package_copy.parent / "comment.md"
    argv = ["from-issue", str(package_copy.parent / "issue.md"), "--table", "events"]
    assert main([*argv, "--descriptor", str(package_copy), "--comment", str(out)]) == 1
    raw = out.read_text(encoding="utf-8")
    assert "<" not in raw and not re.search(r"@\w", raw)
    # What GitHub shows once escapes and entities are undone: the text, with nothing to link.
    shown = html.unescape(re.sub(r"\\(.)", r"\1", raw))
    assert not re.search(r"@\w|#\d|www\.|://", shown)
    assert "<script>alert(1)</script>" in shown.replace("\u2060", "")
    for field in ("title", "description", "place_id"):
        assert f"- {BOTH[field]}: " in shown
    # A CommonMark renderer makes a list of plain text of it: no tag but the list's own.
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(raw)
    assert set(re.findall(r"</?(\w+)", rendered)) == {"p", "ul", "li"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (body(VALID) + f"\n### {ENGLISH['note']}\n\nagain\n", BOTH["note"]),
        (body(VALID) + "\n### Favourite colour\n\nblue\n", "“Favourite colour”"),
        ("Hello\n\n" + body(VALID), ""),
        ("x" * (MAX_BODY + 1), ""),
    ],
    ids=["twice", "unknown", "text-before", "too-long"],
)
def test_a_body_not_laid_out_as_the_form_is_refused(package_copy, text, named):
    events = load(package_copy).table("events").path
    before = events.read_bytes()
    done = submit(package_copy, text)
    assert [refusal.title for refusal in done.refusals] == [named]
    assert events.read_bytes() == before


def test_only_an_option_as_the_form_offers_it_counts_as_its_value(package_copy):
    """ "forum — (actually a survey)" is no option of the form: judged as the text it is."""
    done = submit(package_copy, body({**VALID, "kind": "forum — (actually a survey)"}))
    assert [r.title for r in done.refusals] == [BOTH["kind"]] and done.written is None


def test_a_package_invalid_already_is_the_maintainers_to_fix(package_copy, capsys):
    set_cell(package_copy, "places", "bayandun", "latitude", "north")
    issue = package_copy.parent / "issue.md"
    issue.write_text(body(VALID), encoding="utf-8")
    args = ["--table", "events", "--descriptor", str(package_copy)]
    assert main(["from-issue", str(issue), *args]) == 2  # not the contributor's problem
    assert "is not valid as it is" in capsys.readouterr().err


def test_usage_errors_exit_2(package_copy, capsys):
    issue = package_copy.parent / "issue.md"
    issue.write_text(body(VALID), encoding="utf-8")
    args = ["--descriptor", str(package_copy)]
    assert main(["from-issue", str(issue), "--table", "nowhere", *args]) == 2
    assert main(["from-issue", str(issue.with_name("absent.md")), "--table", "events", *args]) == 2
    if hasattr(os, "mkfifo"):  # a FIFO is refused, never read: reading it would block
        os.mkfifo(issue.with_name("fifo"))
        assert main(["from-issue", str(issue.with_name("fifo")), "--table", "events", *args]) == 2
    # A comment that cannot be written stops it before the row is: nothing half done.
    before = load(package_copy).table("events").path.read_bytes()
    nowhere = ["--comment", str(package_copy.parent / "no-such-folder" / "comment.md")]
    assert main(["from-issue", str(issue), "--table", "events", *args, *nowhere]) == 2
    assert load(package_copy).table("events").path.read_bytes() == before
    with pytest.raises(SystemExit) as stop:  # --table is required
        main(["from-issue", str(issue), *args])
    assert stop.value.code == 2
    capsys.readouterr()


def test_the_command_line_refuses_and_writes_the_comment(package_copy):
    issue = package_copy.parent / "issue.md"
    issue.write_text(body({**VALID, "start_date": "2022-13-45"}), encoding="utf-8")
    comment = package_copy.parent / "comment.md"
    options = ["--table", "events", "--descriptor", str(package_copy), "--comment", str(comment)]
    done = subprocess.run(
        [sys.executable, "-m", "civic_space", "from-issue", str(issue), *options],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=package_copy.parent,
    )
    assert done.returncode == 1, done.stderr
    assert f"{BOTH['start_date']}: “2022-13-45” is not a date" in done.stdout
    assert "2022\\-13\\-45" in comment.read_text(encoding="utf-8")


@pytest.mark.parametrize("table", ["events", "issues", "metrics"])
def test_every_label_and_option_of_the_real_form_is_read(table):
    """The forms in .github/ISSUE_TEMPLATE (made by `nox -s forms`), as GitHub renders them
    with each drop-down's options in turn, give each field its value."""
    yaml = pytest.importorskip("yaml")
    form = ROOT / ".github" / "ISSUE_TEMPLATE" / f"{table}.yml"
    if not form.exists():
        pytest.skip(f"{form.name} is not made yet (nox -s forms)")
    package = load(ROOT / "datapackage.json")
    schema = package.table(table)
    names = labels(package, schema)
    elements = [e for e in yaml.safe_load(form.read_text(encoding="utf-8"))["body"] if "id" in e]
    options = {e["id"]: e["attributes"].get("options") or ["_No response_"] for e in elements}
    mn = i18n.messages("mn")
    for turn in range(max(map(len, options.values()))):
        picked = {name: choices[turn % len(choices)] for name, choices in options.items()}
        text = "".join(f"### {e['attributes']['label']}\n\n{picked[e['id']]}\n\n" for e in elements)
        values, in_mongolian, refusals = parse(text, schema, names)
        values = {n: chosen(package, schema, n, v, mn) for n, v in values.items()}
        assert refusals == [] and in_mongolian
        assert values == {
            name: "" if value == "_No response_" else value.split(" — ")[0]
            for name, value in picked.items()
        }


# ---- the reply always fits a comment; the row and the reply are one step ----

SOME_TEXT = st.text(
    # Those that grow most when made inert: punctuation, entities, escapes, astral, controls.
    st.sampled_from(list("a\u0431<&\\@#* \n\x07\u202e😀")),
    min_size=1,
    max_size=8,
)


@settings(max_examples=30, deadline=None)  # 70,000-character texts take time to make
@given(
    texts=st.lists(st.tuples(SOME_TEXT, st.integers(1, 70_000)), max_size=60),
    key=st.tuples(SOME_TEXT, st.integers(1, 70_000)),
)
def test_the_reply_always_fits_a_github_comment(texts, key):
    """However long and many the echoed texts (each made of the characters that grow most
    when made inert), the reply fits GitHub's limit and says what it cut or left out."""
    from civic_space.from_issue import Outcome, Refusal
    from civic_space.issue_comment import LONGEST, MAX_COMMENT, comment, size

    events = load(ROOT / "datapackage.json").table("events")
    refusals = [Refusal("", unit * (n // len(unit) + 1), "fix it") for unit, n in texts]
    unit, n = key
    reply = comment(Outcome(events, unit * (n // len(unit) + 1), refusals))
    assert len(reply) <= size(reply) <= MAX_COMMENT
    if any(len(str(r)) > LONGEST for r in refusals[:30]) or (not refusals and n > LONGEST):
        assert "cut here (…)" in reply
    items = [line for line in reply.splitlines() if line.startswith("- ")]
    if len(refusals) > len(items) or len(refusals) > 30:  # left out: the last item says so
        assert items[-1].startswith("- … and ")
    else:
        assert len(items) == len(refusals)


def test_a_long_answer_is_cut_in_the_reply(package_copy):
    """A 64,000-character answer whose word the mixed-script rule quotes: the reply was 64 KB
    and more (over GitHub's limit with any escaping); now it is short and says it was cut."""
    issue = package_copy.parent / "issue.md"
    issue.write_text(body({**VALID, "description": "a\u0431" * 32_000}), encoding="utf-8")
    reply = package_copy.parent / "comment.md"
    args = ["--table", "events", "--descriptor", str(package_copy), "--comment", str(reply)]
    assert main(["from-issue", str(issue), *args]) == 1
    text = reply.read_text(encoding="utf-8")
    assert len(text) < 5_000 and "cut here (…)" in text and "a\u0431" * 100 in text


def test_the_row_and_the_reply_are_written_together(package_copy, monkeypatch, capsys):
    """A reply that cannot be written leaves the row unwritten; a row that cannot be written
    leaves no reply (and an earlier reply as it was): both or neither."""
    from civic_space import edge

    events = load(package_copy).table("events").path
    before = events.read_bytes()
    issue = package_copy.parent / "issue.md"
    issue.write_text(body(VALID), encoding="utf-8")
    args = ["from-issue", str(issue), "--table", "events", "--descriptor", str(package_copy)]
    too_long = package_copy.parent / ("c" * 300)  # a name no file system takes, even as root
    assert main([*args, "--comment", str(too_long)]) == 2
    assert events.read_bytes() == before
    assert "nothing was written" in capsys.readouterr().err

    reply = package_copy.parent / "comment.md"
    reply.write_text("the earlier reply", encoding="utf-8")
    real = os.replace

    def fails_on_the_table(source, target):
        if Path(target) == events:
            raise OSError(28, "No space left on device", str(target))
        return real(source, target)

    monkeypatch.setattr(edge.os, "replace", fails_on_the_table)
    assert main([*args, "--comment", str(reply)]) == 2
    assert events.read_bytes() == before
    assert reply.read_text(encoding="utf-8") == "the earlier reply"
    left = [p.name for p in package_copy.parent.rglob(".*.tmp")]
    assert left == []
    monkeypatch.setattr(edge.os, "replace", real)
    assert main([*args, "--comment", str(reply)]) == 0  # and with nothing in the way, both
    assert events.read_bytes() != before and "Added the row" in reply.read_text(encoding="utf-8")


# ---- one-line answers, rows that refer to themselves ----


@pytest.mark.parametrize("table", ["events", "issues", "metrics"])
def test_a_line_break_is_refused_exactly_where_the_form_takes_one_line(table):
    """Every element of the real form: an answer of two lines is refused where the element is
    an input or a drop-down, and left to validation in a text area."""
    from civic_space.from_issue import broken_lines

    yaml = pytest.importorskip("yaml")
    form = ROOT / ".github" / "ISSUE_TEMPLATE" / f"{table}.yml"
    package = load(ROOT / "datapackage.json")
    schema = package.table(table)
    names = labels(package, schema)
    elements = [e for e in yaml.safe_load(form.read_text(encoding="utf-8"))["body"] if "id" in e]
    values = {e["id"]: "first line\nsecond line" for e in elements}
    refused = broken_lines(package, schema, values, names, False, i18n.messages("mn"))
    assert all("one line" in r.message for r in refused)
    assert {r.title for r in refused} == {
        names.title(e["id"], False) for e in elements if e["type"] != "textarea"
    }
    assert any(e["type"] == "textarea" for e in elements) or table == "metrics"


def test_a_title_on_two_lines_is_refused_in_the_forms_terms(package_copy):
    done = submit(package_copy, body({**VALID, "title": "Training-workshop\nin a test soum"}))
    assert [(r.title, r.message) for r in done.refusals] == [
        (BOTH["title"], "has a line break, but the form takes one line here")
    ]
    assert done.written is None


def test_an_event_that_is_part_of_itself_is_refused(package_copy):
    done = submit(package_copy, body({**VALID, "part_of": STORED["event_id"]}))
    assert done.written is None
    assert [r.title for r in done.refusals] == [BOTH["part_of"]], done.refusals
    assert "refers to itself" in done.refusals[0].message


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory):
    """One copy of the package for tests that only refuse (they write nothing into it)."""
    from conftest import copy_package

    return copy_package(tmp_path_factory.mktemp("refusals"))


@settings(max_examples=25, deadline=None)
@given(
    field=st.sampled_from(["title", "description", "date_as_given", "event_id"]),
    before=st.text(st.characters(categories=["Cc"], exclude_characters="\n\r"), max_size=2),
    after=st.text(st.characters(categories=["Cc"], exclude_characters="\n\r"), max_size=2),
)
def test_a_control_character_is_refused_at_its_field_nul_included(
    shared_copy, field, before, after
):
    """Hostile 6.09: a NUL made the table "binary data", a message about files that named no
    field. Every control character (NUL among them) in any answer is refused by the field's
    title, in the cell rule's words, with its code point; nothing is written."""
    stored = STORED.get(field, "A text of the form")
    value = f"{before}{stored[:4]}\0{stored[4:]}{after}"
    done = submit(shared_copy, body({**VALID, field: value}))
    assert done.written is None
    mine = [r for r in done.refusals if r.title == BOTH[field]]
    assert mine and "U+0000" in mine[0].message, done.refusals
    assert not any("binary" in r.message or r.title == "the row" for r in done.refusals)
