"""Accepted means published: whatever the gate accepts, every publisher handles.

Hypothesis draws values at the edges of every type and text rule (the longest cell, every script,
markup- and MyST-like text, the bounds of numbers and dates) into a copy of the real package. A
package that validation accepts is then run through every publisher: `format`, every download
format with Croissant, explore's metadata, the issue forms and a `from-issue` round trip; and one
edge package through the site's build in both editions and a `release`. A publisher that fails
on an accepted package is a bug in the gate or in the publisher."""

from __future__ import annotations

import csv
import html
import json
import sqlite3
import string
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from civic_space import explore, forms, i18n
from civic_space.descriptor import load
from civic_space.exports import build, typed
from civic_space.files import MAX_CELL, MAX_CELL_CHARS
from civic_space.formatting import format_package, read_rows, render
from civic_space.from_issue import MAX_BODY, from_issue
from civic_space.validate import validate
from conftest import DESCRIPTOR, copy_package

PACKAGE = load(DESCRIPTOR)

# Words of one script each (a word mixing scripts is refused, rightly), and text that means
# something to a publisher's own syntax: HTML, Markdown and MyST, CSV, YAML, SQL.
SCRIPTS = {
    "latin": string.ascii_letters + "éüñçÅ",
    "cyrillic": "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ",
    "mongolian-script": "ᠮᠣᠩᠭᠣᠯ",
    "cjk": "漢字中文日本語",
    "arabic": "العربية",
    "greek": "ελληνικά",
}
MARKUP = [
    "<b>",
    "</td></tr>",
    "<script>alert(1)</script>",
    "&amp;",
    "&lt;",
    "<!--",
    "{{ x }}",
    "{% x %}",
    "```",
    "`code`",
    "*em*",
    "_x_",
    "[a](https://example.org)",
    "{eval-rst}",
    ":::",
    "$x$",
    "\\",
    "|",
    "#",
    "'",
    '"',
    ",",
    ";",
    "--",
    "'); DROP TABLE x; --",
    "${x}",
    "😀",
    "🇲🇳",
]
words = st.one_of(
    *(st.text(alphabet=letters, min_size=1, max_size=10) for letters in SCRIPTS.values()),
    st.sampled_from(MARKUP),
)
FORMULA_START = "=+-@"  # refused by the gate at a cell's start (spreadsheets run them)


@st.composite
def free_text(draw) -> str:
    """Words separated by single spaces or line breaks, as the text rules allow."""
    parts = draw(st.lists(words, min_size=1, max_size=8))
    gaps = draw(st.lists(st.sampled_from([" ", " ", "\n"]), min_size=len(parts) - 1, max_size=8))
    text = parts[0] + "".join(g + w for g, w in zip(gaps, parts[1:], strict=False))
    return text.lstrip(FORMULA_START + " ") or "x"


def typed_value(field: dict) -> st.SearchStrategy[str]:
    """Values of a field's type at the edges its constraints allow."""
    kind = field.get("type", "string")
    cons = field.get("constraints", {})
    if "enum" in cons:
        return st.sampled_from(cons["enum"])
    if kind in ("integer", "year"):
        low = int(cons.get("minimum", 1 if kind == "year" else -(2**63)))
        high = int(cons.get("maximum", 9999 if kind == "year" else 2**63 - 1))
        return st.sampled_from([low, high, (low + high) // 2]).map(str)
    if kind == "number":
        low, high = float(cons.get("minimum", -1e6)), float(cons.get("maximum", 1e6))
        return st.sampled_from([low, high, 0.0, (low + high) / 2]).map(lambda x: repr(float(x)))
    if kind == "boolean":
        return st.sampled_from(["true", "false"])
    if kind == "date":
        bounds = [cons.get("minimum"), cons.get("maximum")]
        return st.sampled_from([b for b in bounds if b] or ["2022-01-01"])
    return st.one_of(free_text(), st.just(LONGEST))


class Longest:
    """Stands for a cell as long as the gate allows in its row (see apply)."""

    def __repr__(self) -> str:
        return "LONGEST"


LONGEST = Longest()


def editable(table) -> list[dict]:
    """Fields a drawn value may go into: not keys, which other rows point at."""
    referring = {n for fk in table.schema.get("foreignKeys", []) for n in fk_fields(fk)}
    return [
        f
        for f in table.fields
        if f["name"] not in table.primary_key
        and f["name"] not in referring
        and "pattern" not in f.get("constraints", {})
    ]


def fk_fields(fk: dict) -> list[str]:
    fields = fk["fields"]
    return [fields] if isinstance(fields, str) else list(fields)


TARGETS = [(t.name, f["name"]) for t in PACKAGE.tables for f in editable(t)]


@st.composite
def edits(draw) -> list[tuple[str, int, str, str]]:
    """(table, row index, field, value) for one to three cells."""
    found = []
    for _ in range(draw(st.integers(1, 3))):
        table_name, name = draw(st.sampled_from(TARGETS))
        table = PACKAGE.table(table_name)
        found.append(
            (table_name, draw(st.integers(0, 10_000)), name, draw(typed_value(table.field(name))))
        )
    return found


def longest(row: list[str], index: int) -> str:
    """A cell as long as the gate allows in this row: the spreadsheet's cell limit, or what the
    line's limit leaves of it."""
    rest = len(render([*row[:index], "", *row[index + 1 :]], []).encode("utf-8"))
    return "ө" * min(MAX_CELL_CHARS, (MAX_CELL - rest - 64) // 2)


def apply(descriptor: Path, changes) -> list[tuple[str, list[str], str, str]]:
    """Write the edits; return (table, the edited row, field, value) for each."""
    package = load(descriptor)
    done = []
    for table_name, index, name, value in changes:
        table = package.table(table_name)
        header, rows = read_rows(table)
        if not rows:
            continue
        row = rows[index % len(rows)]
        if value is LONGEST:
            value = longest(row, header.index(name))
        row[header.index(name)] = value
        table.path.write_text(render(header, rows), encoding="utf-8")
        done.append((table_name, row, name, value))
    return done


CSV_LIMIT = 128 * 1024  # the csv module's default, as a publisher's own process has it


def accepted(descriptor: Path) -> bool:
    """The gate's verdict; then the process is as a publisher's own process starts (validation
    raises the csv module's global cell limit, which would hide a publisher's lower one)."""
    verdict = next(validate(descriptor), None) is None
    csv.field_size_limit(CSV_LIMIT)
    return verdict


# ---- the publishers, each failing loudly on a package it cannot handle ----


def publish_downloads(descriptor: Path, out: Path, changed) -> None:
    """Every download format, and each changed value carried over as its type says."""
    package = load(descriptor)
    meta = package.descriptor
    build(package, out)
    stem = f"{meta['name']}-{meta['version']}"
    db = sqlite3.connect(out / f"{stem}.sqlite")
    as_json = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    for table_name, row, name, value in changed:
        table = package.table(table_name)
        want = typed(value, table.field(name))
        key = {k: row[table.field_names.index(k)] for k in table.primary_key}
        where = " AND ".join(f'CAST("{k}" AS TEXT) = ?' for k in key)
        got = db.execute(f'SELECT "{name}" FROM "{table_name}" WHERE {where}', list(key.values()))
        assert got.fetchone()[0] == (int(want) if isinstance(want, bool) else want), name
        assert want in [r[name] for r in as_json["tables"][table_name]], name
    with zipfile.ZipFile(out / f"{stem}.zip") as archive:
        assert archive.testzip() is None
    json.loads((out / "croissant.json").read_text(encoding="utf-8"))


def publish_formatted(descriptor: Path) -> None:
    assert format_package(load(descriptor), check=True) == []


def publish_explore_and_forms(descriptor: Path) -> None:
    package = load(descriptor)
    json.dumps(explore.metadata(package))
    for form in forms.forms(package).values():
        json.dumps(form)


def issue_body(package, table, row: list[str]) -> str:
    """The row as GitHub renders the submitted form: a section per field, options as offered."""
    mn = i18n.messages("mn")
    sections = []
    for field in table.fields:
        value = row[table.field_names.index(field["name"])]
        offered = forms.options(package, table, field, mn) or []
        answer = next((o for o in offered if o.split(forms.SEPARATOR)[0] == value), value)
        sections.append(f"### {forms.label(field, mn)}\n\n{answer or '_No response_'}")
    return "\n\n".join(sections) + "\n"


def publish_from_issue(descriptor: Path, changed, scratch: Path) -> None:
    """A changed row of a table with a form comes back whole through the form."""
    package = load(descriptor)
    with_forms = {n for n in forms.forms(package) if n in {t.name for t in package.tables}}
    for table_name, row, _name, _value in changed:
        table = package.table(table_name)
        body = issue_body(package, table, row)
        if table_name not in with_forms or len(body) > MAX_BODY:
            continue  # a row longer than a GitHub issue can only come by pull request
        header, rows = read_rows(table)
        original = table.path.read_bytes()
        table.path.write_text(render(header, [r for r in rows if r != row]), encoding="utf-8")
        try:
            (scratch / "body.md").write_text(body, encoding="utf-8")
            outcome = from_issue(load(descriptor), table_name, scratch / "body.md")
            assert not outcome.refusals, [str(r) for r in outcome.refusals]
            assert table.path.read_bytes() == original
        finally:
            table.path.write_bytes(original)


@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a package takes minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=edits())
def test_every_publisher_handles_what_the_gate_accepts(tmp_path_factory, changes):
    folder = tmp_path_factory.mktemp("accepted")
    descriptor = copy_package(folder)
    changed = apply(descriptor, changes)
    assume(changed and accepted(descriptor))
    publish_formatted(descriptor)
    publish_downloads(descriptor, folder / "out", changed)
    publish_explore_and_forms(descriptor)
    publish_from_issue(descriptor, changed, folder)


# ---- one package at every edge at once, through the site and a release ----

MARKED = "<script>alert('edge')</script> {eval-rst} `x` [a](https://example.org) &amp;"


def plain_text(table) -> list[str]:
    """Fields of text with no format or vocabulary, keys and their twins aside: where markup can
    go. Which of them a rule reads as something else (a pointer, a formula) the gate says."""
    return [
        f["name"]
        for f in editable(table)
        if f.get("type", "string") == "string"
        and not f.get("format")
        and "enum" not in f.get("constraints", {})
        and f["name"] not in {name for _, name in table.twins("mn")}
    ]


def edge_package(folder: Path) -> Path:
    """Markup in the first row of every plain text field the gate takes it in, every script,
    and a longest cell."""
    descriptor = copy_package(folder)
    package = load(descriptor)
    planted: dict[tuple[str, str], str] = {}  # (file, field) → the value it had
    for table in package.tables:
        header, rows = read_rows(table)
        for name in plain_text(table):
            if rows:
                planted[table.path.name, name] = rows[0][header.index(name)]
                rows[0][header.index(name)] = MARKED
        if table.name == "events":
            rows[1][header.index("description")] = longest(rows[1], header.index("description"))
            rows[2][header.index("note")] = " ".join(w[:6] for w in SCRIPTS.values())
        table.path.write_text(render(header, rows), encoding="utf-8")
    refused = {(Path(p.path).name, p.field) for p in validate(descriptor) if p.line == 2}
    for table in package.tables:  # a field some rule reads (a formula, a pointer) keeps its value
        header, rows = read_rows(table)
        for (file, name), value in planted.items():
            if file == table.path.name and (file, name) in refused:
                rows[0][header.index(name)] = value
        table.path.write_text(render(header, rows), encoding="utf-8")
    problems = [str(p) for p in validate(descriptor)]
    csv.field_size_limit(CSV_LIMIT)  # as the site's and release's own processes have it
    assert not problems, problems  # the edges are meant to be inside the gate
    assert len(set(planted) - refused) >= 40, refused  # markup where most text goes
    return descriptor


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    return edge_package(tmp_path_factory.mktemp("edge"))


def test_the_site_builds_and_escapes_an_edge_package(edge):
    from sitebuild import build, site_copy

    folder = edge.parent
    for name in ("CHANGELOG.md", "LICENSE-DATA", "CITATION.cff", "README.md"):
        (folder / name).write_bytes((DESCRIPTOR.parent / name).read_bytes())
    for language in ("en", "mn"):
        site = folder / f"site-{language}"
        site.mkdir()
        docs = site_copy(site)
        for sub in ("data", "schemas"):  # the edge package's data, not the repository's
            target = site / sub
            subprocess.run(["rm", "-rf", str(target)], check=True)
            subprocess.run(["cp", "-r", str(folder / sub), str(target)], check=True)
        app = build(docs, language)
        warnings = app.warning.getvalue()
        app.cleanup()
        i18n.use("en")
        assert "ERROR" not in warnings and "Traceback" not in warnings, warnings[-2000:]
        pages = {p: p.read_text(encoding="utf-8") for p in Path(app.outdir).rglob("*.html")}
        unescaped = [str(p) for p, text in pages.items() if "<script>alert(" in text]
        assert not unescaped, unescaped
        escaped = html.escape("<script>alert(", quote=False)
        assert sum(escaped in text for text in pages.values()) >= len(load(edge).tables)


def test_a_release_of_an_edge_package(edge, tmp_path):
    from civic_space.release import release

    folder = edge.parent
    for name in ("CHANGELOG.md", "LICENSE-DATA", "CITATION.cff", "README.md", ".zenodo.json"):
        path = DESCRIPTOR.parent / name
        if path.exists():
            (folder / name).write_bytes(path.read_bytes())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "edge"], cwd=folder, check=True)
    said = release(load(edge), "9.9.9")
    assert said.startswith("released v9.9.9"), said
