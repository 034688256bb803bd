"""One canonical form per type (lexical.py): what the gate accepts, every reader reads alike.

Each example of issue 23 is refused by both engines at its line, with a message that names the
form; the property tests prove the class: for every type, the Python parser, the SQL form, the
engines' reader and the exporters agree on every string, accepted or not (the cell-size
limit, the other half of "what the gate accepts, every reader reads", is test_cell_limit.py)."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic_space import exports, lexical
from civic_space.canonical_types import install
from civic_space.checks.canonical_form import sql_key
from civic_space.descriptor import load
from civic_space.exports_formats import typed_column
from civic_space.fast_load import typed_expr
from civic_space.formatting import sort_key
from civic_space.validate import validate
from civic_space.workbook_cells import cell_text, unreadable
from conftest import ROOT, set_cell

# (table, row key, field, value, words the message must hold): the issue's examples and kin.
EXAMPLES = [
    ("events", "annual-forum-community-groups-2022", "start_date", "2022-9-1", "YYYY-MM-DD"),
    ("events", "chrd-website-rebuilt", "start_date", "2022-9-13", "YYYY-MM-DD"),
    ("events", "civic-space-survey", "end_date", "\uff12\uff10\uff12\uff11-11-30", "not a date"),
    ("metrics", "demands-count", "value", "\uff16", "plain digits"),
    ("metrics", "demands-signatories", "value", " 8", "plain digits"),
    ("metrics", "in-person-workshops-participants", "value", "99999999999999999999", "range"),
    ("metrics", "in-person-workshops-provinces", "value", "+3", "plain digits"),
    ("metrics", "online-reach", "value", "3_281", "plain digits"),
    ("metrics", "online-shares", "value", "1e3", "plain digits"),
    ("metrics", "trainings-participants", "value", "0104", "starts with a zero"),
    ("places", "arvaikheer", "latitude", "sNaN", "plain decimal digits"),
    ("places", "bayandun", "latitude", "nan", "plain decimal digits"),
    ("places", "choibalsan", "latitude", "inf", "plain decimal digits"),
    ("places", "dariganga", "latitude", "-Infinity", "plain decimal digits"),
    ("places", "dornod", "latitude", "1e999", "plain decimal digits"),
    ("places", "arvaikheer", "longitude", "1.027778E2", "plain decimal digits"),
    ("places", "bayandun", "longitude", "113.3747 ", "plain decimal digits"),
    ("demand_instruments", "1/state-policy-csos", "demand_number", "nan", "plain digits"),
    ("events", "plenary-forum", "aggregate", "True", "true or false"),
    ("events", "workshop-bayandun", "policy_process", "1", "true or false"),
    ("organisations", "chrd", "active_since", "99", "not a year"),
]


def damaged(descriptor: Path, examples) -> dict[tuple, int]:
    """Every example written into the package; (file, line, field) → index of the example."""
    where = {}
    for i, (table, key, field, value, _words) in enumerate(examples):
        line = set_cell(descriptor, table, key, field, value)
        where[(f"{table}.csv", line, field)] = i
    return where


def verdicts(descriptor: Path, engine: str):
    said: list[str] = []
    problems = list(validate(descriptor, engine=engine, progress=said.append))
    handed = [m for m in said if m.startswith("checking with the reference path")]
    return problems, handed


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """The package with every example in it, validated once by each engine."""
    from conftest import copy_package

    descriptor = copy_package(tmp_path_factory.mktemp("examples"))
    where = damaged(descriptor, EXAMPLES)
    return where, {e: verdicts(descriptor, e) for e in ("reference", "fast")}


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_every_example_is_refused_at_its_line_by_both_engines(judged, engine):
    where, found = judged
    problems, handed = found[engine]
    assert handed == [], "the fast engine judges these values itself"
    at = {(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code): p for p in problems}
    for (name, line, field), i in where.items():
        value, words = EXAMPLES[i][3], EXAMPLES[i][4]
        problem = at.get((name, line, field, "type-error"))
        assert problem, f"{value!r} at {name}:{line} was accepted by the {engine} engine"
        assert words in problem.message, str(problem)
        assert "—" not in problem.message and problem.fix  # what is wrong, then how to fix it


def test_both_engines_give_the_same_verdicts(judged):
    _where, found = judged

    def seen(problems):
        return {(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code) for p in problems}

    assert seen(found["reference"][0]) == seen(found["fast"][0])


def test_the_messages_say_how_to_write_each_type(judged):
    _where, found = judged
    fixes = {p.field: p.fix for p in found["reference"][0]}
    assert "two digits" in fixes["start_date"] and "2022-09-01" in fixes["start_date"]
    assert "digits 0–9" in fixes["latitude"] and "NaN" in fixes["latitude"]
    assert "small letters" in fixes["aggregate"]


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize(
    ("field", "value", "bound"),
    [("start_date", "1989-12-31", "minimum"), ("end_date", "2031-01-01", "maximum")],
)
def test_dates_are_bounded_in_the_schema_by_both_engines(package_copy, engine, field, value, bound):
    line = set_cell(package_copy, "events", "plenary-forum", field, value)
    problems, _handed = verdicts(package_copy, engine)
    assert any(
        p.line == line and p.field == field and p.code == "constraint-error" and bound in p.message
        for p in problems
    ), [str(p) for p in problems]


def test_every_date_and_year_field_is_bounded(package_copy):
    """By the schemas, and by the policy, so that a new one cannot be added without bounds."""
    for table in load(ROOT / "datapackage.json").tables:
        for field in table.fields:
            if field.get("type") in ("date", "year"):
                assert {"minimum", "maximum"} <= set(field.get("constraints", {})), field["name"]
    path = package_copy.parent / "schemas" / "sources.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    year = next(f for f in schema["fields"] if f["name"] == "year")
    del year["constraints"]["maximum"]
    path.write_text(json.dumps(schema), encoding="utf-8")
    [problem] = list(validate(package_copy))
    assert "needs a maximum" in problem.message and problem.code == "package-error"
    year["constraints"]["maximum"] = "2030"  # a year written as text is no year
    path.write_text(json.dumps(schema), encoding="utf-8")
    [problem] = list(validate(package_copy))
    assert "is not a year" in problem.message


def run(descriptor: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "civic_space", *args, str(descriptor)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_format_check_refuses_a_value_not_in_its_form(package_copy):
    line = set_cell(package_copy, "events", "plenary-forum", "start_date", "2022-9-1")
    done = run(package_copy, "format", "--check")
    assert done.returncode == 1
    expected = f"events.csv:{line}: start_date: “2022-9-1” is not a date in the form YYYY-MM-DD"
    assert expected in done.stderr and "2022-09-01" in done.stderr
    before = (package_copy.parent / "data" / "events.csv").read_bytes()
    done = run(package_copy, "format")  # puts the order right, and says what it cannot fix
    assert done.returncode == 1 and expected in done.stderr
    assert (package_copy.parent / "data" / "events.csv").read_bytes() == before


def test_from_issue_refuses_a_date_not_in_its_form(package_copy):
    from civic_space.from_issue import from_issue
    from test_from_issue import VALID, body

    issue = package_copy.parent / "issue.md"
    issue.write_text(body({**VALID, "start_date": "2022-9-1"}), encoding="utf-8")
    done = from_issue(load(package_copy), "events", issue)
    assert done.written is None
    assert any("2022-9-1" in r.message and "YYYY-MM-DD" in r.message for r in done.refusals)


# ---- the class: every string, accepted or not, read alike everywhere ----

# Text near each form: its own characters, other digits, signs, spaces, exponents, words.
NEAR = "0123456789-.+eE_ ,:T\u0660\u0669\uff10\uff19\u00a0"
near = st.one_of(
    st.text(NEAR, max_size=24),
    st.sampled_from(["nan", "NaN", "sNaN", "inf", "-Infinity", "True", "TRUE", "1", "0", "-0"]),
    st.text(max_size=12),
)


def drawn(kind: str):
    """Strings in the form (from its own regex) and near it."""
    form = lexical.FORMS[kind]
    return st.one_of(st.from_regex(form.pattern, fullmatch=True).filter(str.isascii), near)


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def sql_reading(con, kind: str, text: str):
    """(the SQL test, the SQL value, the fast engine's exact test and value, the Parquet
    export's value or its refusal) of one text."""
    form = lexical.FORMS[kind]
    field = {"name": "c", "type": kind}
    exact_value, exact_test = typed_expr(field)
    row = con.execute(
        f"SELECT {form.sql_test('c')}, {form.sql_value('c')}, {exact_test}, {exact_value}"
        " FROM (SELECT ? AS c)",
        [text],
    ).fetchone()
    try:
        exported = con.execute(f"SELECT {typed_column(field)} FROM (SELECT ? AS c)", [text])
        exported = exported.fetchone()[0]
    except duckdb.Error:
        exported = "refused"
    return (*row, exported)


def python_value(kind: str, value):
    """A parsed value as DuckDB returns it (a DOUBLE for a number)."""
    return float(value) if kind == "number" and value is not None else value


@pytest.mark.parametrize("kind", sorted(lexical.TYPES))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_python_sql_reader_and_exporters_agree_on_every_string(con, kind, data):
    install()
    from frictionless import Schema

    text = data.draw(drawn(kind).filter(bool))  # an empty cell is a null, in every reader
    form = lexical.FORMS[kind]
    value = form.parse(text)
    accepted = value is not None
    sql_test, sql_value, exact_test, exact_value, exported = sql_reading(con, kind, text)
    assert bool(sql_test) == accepted, text
    assert sql_value == python_value(kind, value), text
    if exact_test:  # what the fast engine types itself is canonical, and typed the same
        assert accepted and exact_value == python_value(kind, value), text
    # The engines' reader (frictionless's field, in canonical form): a type error iff refused.
    schema = Schema.from_descriptor({"fields": [{"name": "c", "type": kind}]})
    read, notes = schema.get_field("c").read_cell(text)
    assert (notes is None) == accepted and (read == value if accepted else True), text
    # The exporters: the same value, or a refusal, never a guess.
    assert exported == (python_value(kind, value) if accepted else "refused"), text
    if accepted:
        assert exports.typed(text, {"type": kind}) == (
            text if kind == "date" else python_value(kind, value)
        )
    else:
        with pytest.raises(ValueError, match="—"):
            exports.typed(text, {"type": kind})


@settings(max_examples=300, deadline=None)
@given(a=drawn("integer"), b=drawn("integer"))
def test_the_row_order_is_the_same_in_python_and_sql(con, a, b):
    """The canonical-form check's sort key: formatting.sort_key and its SQL form order every
    pair of keys alike (a NaN once sorted differently in each)."""
    table = load(ROOT / "datapackage.json").table("demand_instruments")
    key = sort_key(table)
    python = key([a, "x", "", ""]) < key([b, "x", "", ""])
    row = f"(SELECT {sql_key(table)} FROM (SELECT ? AS demand_number, 'x' AS instrument_id))"
    assert con.execute(f"SELECT {row} < {row}", [a, b]).fetchone()[0] == python, (a, b)


@pytest.mark.parametrize("kind", ["integer", "number", "date"])
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_what_the_form_refuses_both_engines_refuse(package_copy, kind, data):
    """End to end, on strings nobody listed: a few, as each draw validates the package twice."""
    place = {
        "integer": ("metrics", "demands-count", "value"),
        "number": ("places", "dariganga", "latitude"),
        "date": ("events", "plenary-forum", "start_date"),
    }[kind]
    refused = drawn(kind).filter(lambda t: t and lexical.FORMS[kind].parse(t) is None)
    text = data.draw(refused.filter(lambda t: t == t.strip("\r\n") and "\x00" not in t))
    line = set_cell(package_copy, *place, text)
    for engine in ("reference", "fast"):
        problems, _handed = verdicts(package_copy, engine)
        assert any(p.line == line and p.field == place[2] for p in problems), (engine, text)


# ---- the spreadsheet import ----


def test_spreadsheet_numbers_are_read_in_the_canonical_form():
    assert cell_text(1e300, {"type": "integer"}) == ("1e+300", "inexact")
    assert cell_text(float(2**53 + 2), {"type": "integer"})[1] == "inexact"
    assert cell_text(float(2**53), {"type": "integer"}) == (str(2**53), None)
    assert cell_text(2**70, {"type": "integer"})[1] == "form"  # beyond 64 bits
    assert cell_text(float("nan"), {"type": "number"})[1] == "form"
    assert cell_text(1.5e-07, {"type": "number"}) == ("0.00000015", None)
    assert cell_text(1e20, {"type": "number"}) == ("100000000000000000000", None)
    assert cell_text(12345.0, {"type": "year"}) == ("12345", "form")
    assert cell_text("2022-9-1", {"type": "date"})[1] == "not-a-date"
    message, fix = unreadable("inexact", "1e+300", "integer")
    assert "too large" in message and "Text" in fix


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()))
def test_every_spreadsheet_number_reads_as_canonical_text_or_is_refused(number):
    for kind in ("integer", "number", "year"):
        text, wrong = cell_text(number, {"type": kind})
        if wrong is None:
            value = lexical.FORMS[kind].parse(text)
            assert value is not None, (kind, number, text)
            assert value == number or (kind == "number" and float(value) == number)


def test_a_workbook_cell_of_1e300_in_an_integer_column_is_refused(package_copy, tmp_path):
    from openpyxl import load_workbook

    from civic_space.importer import import_files
    from civic_space.workbook import template

    book = template(load(package_copy), tmp_path / "book.xlsx")
    workbook = load_workbook(book)
    sheet = workbook["metrics"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("value") + 1).value = 1e300
    workbook.save(book)
    done = import_files(load(package_copy), [book])
    assert done.written == []
    [problem] = [p for p in done.problems if p.field == "value"]
    assert problem.code == "import-cell" and "too large" in problem.message
    assert problem.place.row == 2


def test_the_forms_are_ascii_and_the_same_for_re_and_re2():
    for form in lexical.FORMS.values():
        assert form.pattern.isascii() and "(?" not in form.pattern and "\\d" not in form.pattern
        assert not lexical.FORMS[form.kind].parse("")
    assert lexical.parse("number", "46.2661") == Decimal("46.2661")
    assert lexical.parse("date", "2024-02-29") == dt.date(2024, 2, 29)
    assert lexical.FORMS["integer"].parse(str(2**63 - 1)) == 2**63 - 1
    assert lexical.FORMS["integer"].parse(str(2**63)) is None
    assert math.isfinite(lexical.FORMS["number"].parse("1" + "0" * 308))
    assert lexical.FORMS["number"].parse("1" + "0" * 309) is None
    assert "no such day" in lexical.refusal("date", "2022-02-30")[1]  # not "write YYYY-MM-DD"
