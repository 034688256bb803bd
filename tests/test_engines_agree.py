"""One verdict from both engines (issue 23, 4 and 4b): the fast engine checks the same
descriptor and schemas as the reference before it reads data, both read a table's bytes as
Python's csv reader does or refuse them (RFC 4180 quotes), the descriptor and schemas are read
as standard JSON, and every look-alike letter of another script is one rule in both engines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from civic_space import checks, files, jsontext
from civic_space.descriptor import load
from civic_space.validate import validate
from conftest import ROOT, copy_package, set_cell
from test_rules import Events  # one events row in DuckDB, as the fast engine has it


def verdicts(problems) -> set[tuple]:
    return {(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code) for p in problems}


def both(descriptor: Path) -> tuple[set, set, list[str]]:
    """The two engines' verdicts, and what the fast one said while it ran."""
    said: list[str] = []
    reference = list(validate(descriptor, engine="reference"))
    fast = list(validate(descriptor, engine="fast", progress=said.append))
    for problem in reference + fast:
        assert " — " in str(problem) and "Traceback" not in str(problem), str(problem)
    return verdicts(reference), verdicts(fast), said


def edit_json(relative: str, change):
    def damage(d: Path) -> None:
        path = d.parent / relative
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    return damage


def json_text(relative: str, change):
    """Edit a JSON file as text: what Python's json reads but the standard does not."""

    def damage(d: Path) -> None:
        path = d.parent / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return damage


def in_git(d: Path) -> None:
    (d.parent / ".git").mkdir()
    (d.parent / ".git" / "config").write_text("[core]\n\tsecret = hunter2\n", encoding="utf-8")
    edit_json("datapackage.json", lambda m: m["resources"][0].update(path=".git/config"))(d)


def first_field(schema: dict) -> dict:
    return schema["fields"][0]


def csv_text(table: str, change):
    def damage(d: Path) -> None:
        path = d.parent / "data" / f"{table}.csv"
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return damage


def sniffer_bait(text: str) -> str:
    """Cells that make csv.Sniffer guess ';' as the delimiter (frictionless sniffs when it is
    given no dialect): on every line, x;'a';'a';… in the last cell."""
    lines = text.splitlines(keepends=True)
    bait = "x" + ";'a'" * 10 + ";"
    return "".join([lines[0], *(line.rstrip("\n") + bait + "\n" for line in lines[1:])])


DEEP = "[" * 100_000 + "]" * 100_000
# name: (damage, file refused, line, code); line None: not located (a whole-file refusal)
CASES = {
    "schema-required-yes": (
        edit_json(
            "schemas/events.json", lambda s: first_field(s)["constraints"].update(required="yes")
        ),
        "events.json",
        None,
        "package-error",
    ),
    "schema-title-a-number": (
        edit_json("schemas/themes.json", lambda s: first_field(s).update(title=5)),
        "themes.json",
        None,
        "package-error",
    ),
    "resource-in-dot-git": (in_git, "datapackage.json", None, "package-error"),
    "schema-in-a-hidden-folder": (
        edit_json("datapackage.json", lambda m: m["resources"][0].update(schema=".x/s.json")),
        "datapackage.json",
        None,
        "package-error",
    ),
    "resource-not-csv": (
        edit_json("datapackage.json", lambda m: m["resources"][0].update(path="README.md")),
        "datapackage.json",
        None,
        "package-error",
    ),
    "space-after-closing-quote": (
        csv_text("annotations", lambda t: t.replace(",maintainers,", ',"maintainers" ,', 1)),
        "annotations.csv",
        2,
        "source-error",
    ),
    "space-before-opening-quote": (
        csv_text("annotations", lambda t: t.replace(",maintainers,", ', "maintainers",', 1)),
        "annotations.csv",
        2,
        "source-error",
    ),
    "quote-inside-an-unquoted-cell": (
        csv_text("themes", lambda t: t.replace("Alcohol harm", 'Alcohol "harm', 1)),
        "themes.csv",
        2,
        "source-error",
    ),
    "text-after-a-closing-quote": (
        csv_text("themes", lambda t: t.replace(",Alcohol harm,", ',"Alcohol" harm,', 1)),
        "themes.csv",
        2,
        "source-error",
    ),
    "quote-never-closed": (
        csv_text("themes", lambda t: t + '"x,\n'),
        "themes.csv",
        15,
        "source-error",
    ),
    "descriptor-nan": (
        json_text("datapackage.json", lambda t: t.replace('"0.1.0"', "NaN", 1)),
        "datapackage.json",
        '"version": NaN',
        "package-error",
    ),
    "schema-infinity": (
        json_text(
            "schemas/places.json", lambda t: t.replace('"maximum": 52.2', '"maximum": Infinity', 1)
        ),
        "places.json",
        '"maximum": Infinity',
        "package-error",
    ),
    "schema-minus-infinity": (
        json_text(
            "schemas/places.json", lambda t: t.replace('"minimum": 41.5', '"minimum": -Infinity', 1)
        ),
        "places.json",
        '"minimum": -Infinity',
        "package-error",
    ),
    "descriptor-duplicate-key": (
        json_text(
            "datapackage.json", lambda t: t.replace('"version"', '"name": "x",\n  "version"', 1)
        ),
        "datapackage.json",
        '"name": "x"',
        "package-error",
    ),
    "schema-lone-surrogate": (
        json_text(
            "schemas/themes.json", lambda t: t.replace('"title": "Theme"', '"title": "\\ud800"', 1)
        ),
        "themes.json",
        '"title"',
        "package-error",
    ),
    "descriptor-deeply-nested": (
        json_text(
            "datapackage.json",
            lambda t: t.replace('"keywords": [', f'"x": {DEEP},\n "keywords": [', 1),
        ),
        "datapackage.json",
        '"x"',
        "package-error",
    ),
    "descriptor-huge": (
        json_text(
            "datapackage.json",
            lambda t: t.replace(
                '"keywords": [', '"x": "' + "a" * 2_000_000 + '",\n "keywords": [', 1
            ),
        ),
        "datapackage.json",
        None,
        "package-error",
    ),
    "schema-integer-of-5000-digits": (
        json_text(
            "schemas/places.json",
            lambda t: t.replace('"maximum": 52.2', '"maximum": ' + "9" * 5000, 1),
        ),
        "places.json",
        '"maximum": 999',
        "package-error",
    ),
}


def line_of(d: Path, relative: str, marker: str) -> int:
    """The line of a file that holds `marker` (the damage's own place)."""
    text = (d.parent / relative).read_text(encoding="utf-8")
    return text[: text.index(marker)].count("\n") + 1


@pytest.mark.parametrize("name", CASES)
def test_both_engines_refuse_it_alike(package_copy, name):
    damage, where, line, code = CASES[name]
    if isinstance(line, str):  # a JSON case: located on the line that holds the marker
        relative = "datapackage.json" if where == "datapackage.json" else f"schemas/{where}"
        marker = line
        damage(package_copy)
        line = line_of(package_copy, relative, marker)
    else:
        damage(package_copy)
    reference, fast, _said = both(package_copy)
    assert reference == fast
    assert (where, line, None, code) in reference, reference


@pytest.mark.parametrize(
    ("table", "key", "field", "word"),
    [
        ("themes", "alcohol-harm", "note", "p\u043elicy"),  # a Cyrillic o in a Latin word
        ("themes", "alcohol-harm", "note", "g\u03bfvernment"),  # a Greek omicron
        ("sources", "maintainers", "note", "\u0420resident"),  # a Cyrillic capital er
        (
            "themes",
            "alcohol-harm",
            "note",
            "\u0445\u0443\u0443\u043b\u044cx",
        ),  # Latin x after Cyrillic
    ],
)
def test_a_look_alike_letter_is_one_verdict(package_copy, table, key, field, word):
    line = set_cell(package_copy, table, key, field, f"A {word} note")
    reference, fast, said = both(package_copy)
    assert reference == fast == {(f"{table}.csv", line, field, "mixed-script")}
    assert not [s for s in said if "reference path" in s], said  # judged by the fast engine


def test_the_reference_engine_reads_the_one_dialect(package_copy):
    """frictionless, given no dialect, guesses one from the first lines; bait that makes it guess
    ';' must change nothing: both engines read commas."""
    csv_text("sdg_targets", sniffer_bait)(package_copy)
    reference, fast, _said = both(package_copy)
    assert reference == fast
    assert {code for *_, code in reference} == {"foreign-key"}  # source_id now ends in the bait


def test_the_fast_engine_hands_over_when_duckdb_reads_other_text(package_copy, monkeypatch):
    """Were the preflight to miss a quote, DuckDB's trimming would still not go unnoticed: the
    fast engine counts the bytes it read against the file's and hands over."""

    class Blind(files.QuoteCheck):
        def feed(self, chunk, line, final=False):
            super().feed(chunk, line, final)
            self.problem = None

    monkeypatch.setattr(files, "QuoteCheck", Blind)
    csv_text("annotations", lambda t: t.replace(",maintainers,", ',"maintainers" ,', 1))(
        package_copy
    )
    reference, fast, said = both(package_copy)
    assert [s for s in said if "DuckDB read other text" in s], said
    assert reference == fast and reference  # the reference: a space in the source_id


# ---- CSV quoting variants, drawn: both engines give one verdict ----

CELL = st.lists(st.sampled_from([*'ab ,"\n\rя', "  "]), max_size=6).map("".join)
# How a cell is written: as RFC 4180 has it (quoted or not, where that is allowed), or with
# a slip that Python's reader forgives and DuckDB's reads otherwise.
WAYS = st.sampled_from(["plain", "quoted", "space-after", "space-before", "text-after", "bare"])


def written(cell: str, way: str) -> str:
    quoted = '"' + cell.replace('"', '""') + '"'
    needs = any(c in cell for c in ',"\n\r')
    if way == "plain":
        return quoted if needs else cell
    if way == "quoted":
        return quoted
    if way == "space-after":
        return quoted + " "
    if way == "space-before":
        return " " + quoted
    if way == "text-after":
        return quoted + "x"
    return cell  # bare: quotes, commas and line breaks left as they are


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return copy_package(tmp_path_factory.mktemp("quoting"))


@settings(
    max_examples=12,  # each example validates the whole package twice (about 2 s)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cells=st.lists(st.tuples(CELL, WAYS), min_size=1, max_size=3),
    row=st.integers(0, 12),
    crlf=st.booleans(),
)
@example(cells=[("maintainers", "space-after")], row=0, crlf=False)
@example(cells=[("a", "text-after")], row=3, crlf=False)
@example(cells=[('a"b', "bare")], row=1, crlf=False)
@example(cells=[("a\nb", "quoted")], row=2, crlf=False)
def test_quoting_variants_get_one_verdict(scratch, cells, row, crlf):
    """The note cell (the last one) of a themes row, written in drawn ways."""
    path = scratch.parent / "data" / "themes.csv"
    original = path.read_bytes()
    lines = original.decode("utf-8").splitlines(keepends=True)
    at = 1 + row % (len(lines) - 1)
    note = "".join(written(cell, way) for cell, way in cells)
    lines[at] = lines[at].rstrip("\n").rsplit(",", 1)[0] + "," + note + "\n"
    text = "".join(lines)
    try:
        path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode("utf-8"))
        reference, fast, _said = both(scratch)
        assert reference == fast
        if any(way in ("space-after", "space-before", "text-after") for _, way in cells):
            assert any(code == "source-error" for *_, code in reference), reference
    finally:
        path.write_bytes(original)


def slip(cell: str, way: str) -> bool:
    """Whether a cell written this way is not RFC 4180 for what it holds."""
    bare = way == "bare" and any(c in cell for c in '",\n\r')
    return bare or way in ("space-after", "space-before", "text-after")


def duckdb_cells(path: Path, width: int) -> tuple[list[list[str]], int] | None:
    """The rows as the fast engine's reader reads them, and the bytes of their text less quotes
    (None where DuckDB refuses the file: the fast engine then hands over)."""
    import duckdb

    from civic_space.fast_load import unquoted
    from civic_space.sql import q, read_csv

    names = [f"c{i}" for i in range(width)]
    reader = read_csv(path, names, strict_mode="true", null_padding="true", nullstr="chr(0)")
    text = " + ".join(f"coalesce({unquoted(q(n))}, 0)" for n in names)
    with duckdb.connect() as con:
        try:
            rows = con.execute(f"SELECT * FROM {reader}").fetchall()
            (count,) = con.execute(f"SELECT coalesce(sum({text}), 0) FROM {reader}").fetchone()
        except duckdb.Error:
            return None
    return [["" if c is None else c for c in row] for row in rows], count


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(st.tuples(CELL, WAYS), min_size=2, max_size=2), max_size=4))
@example(rows=[[("maintainers", "space-after"), ("x", "plain")]])
def test_a_file_the_preflight_accepts_is_read_as_written(tmp_path_factory, rows):
    """RFC 4180 is unambiguous: a file written by it passes the quote check and Python's reader
    reads exactly the cells written; a file the check refuses has a slip. Where the fast engine
    would read the file and DuckDB reads other cells than Python, its byte count notices."""
    from civic_space.fast_load import unquoted_text

    header = b"a,b\n"
    text = header.decode() + "".join(
        ",".join(written(cell, way) for cell, way in row) + "\n" for row in rows
    )
    path = tmp_path_factory.mktemp("q") / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    facts = files.scan(path)
    python = list(csv.reader(io.StringIO(text, newline="")))[1:]
    if not any(slip(cell, way) for row in rows for cell, way in row):
        assert facts.quote_problem is None, text
        assert python == [[cell for cell, _ in row] for row in rows]
    elif facts.quote_problem is not None:
        return  # refused alike by both engines, before either reads a cell
    if facts.carriage_return or facts.blank_line or len({len(r) for r in python} | {2}) > 1:
        return  # the fast engine hands these over without reading them
    duck = duckdb_cells(path, 2)
    if duck is not None:
        cells, count = duck
        counted = count == unquoted_text(facts, header, len(cells), 2)
        assert cells == python or not counted, (text, cells, python)


# ---- JSON as the standard has it ----

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-jsontext.SAFE_INTEGER, jsontext.SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES, ascii_only=st.booleans(), indent=st.sampled_from([None, 2]))
def test_standard_json_reads_as_python_reads_it(value, ascii_only, indent):
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    assert jsontext.loads(text) == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from([*'{}[]:," \n\\u0dN1e-9aI', "NaN", "Infinity"]), max_size=40).map(
        "".join
    )
)
def test_any_text_is_read_or_refused_on_a_line(text):
    """Whatever the text, the strict reader returns what Python's json returns or refuses it,
    located; never another exception."""
    try:
        value = jsontext.loads(text)
    except jsontext.NotJSON as exc:
        assert exc.line is None or 1 <= exc.line <= text.count("\n") + 1
        assert exc.message and exc.fix
        return
    assert value == json.loads(text)


def test_the_real_descriptor_and_schemas_are_standard_json():
    for path in [ROOT / "datapackage.json", *sorted((ROOT / "schemas").glob("*.json"))]:
        text = path.read_text(encoding="utf-8")
        assert jsontext.loads(text) == json.loads(text), path.name


def test_no_one_reads_the_descriptor_or_a_schema_but_the_strict_reader():
    """Every reader of JSON in the tools goes through jsontext (which json.loads is its own)."""
    code = ROOT / "scripts" / "civic_space"
    readers = [
        p.relative_to(code).as_posix()
        for p in sorted(code.rglob("*.py"))
        if "json.load" in p.read_text(encoding="utf-8") and p.name != "jsontext.py"
    ]
    assert readers == [], readers


# ---- SQL restatements of rules, against their Python form ----

CHECKS = {c.type: c for c in checks.checks(load(ROOT / "datapackage.json"))}
DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)) | st.none()


@settings(max_examples=300, deadline=None)
@given(start=DAYS, end=DAYS)
def test_date_range_fast_form_finds_every_bad_period(start, end):
    from civic_space.checks.date_range import note_for

    db = Events("day", start, end)
    CHECKS["date-range"].fast(db)
    expected = note_for(start, end)
    assert db.notes == ([expected] if expected else [])


class Places:
    """Just enough of the fast engine for filled_together: one row of places."""

    def __init__(self, cells: dict[str, str | None]):
        import duckdb

        from civic_space.sql import lit, q

        self.con = duckdb.connect()
        values = ", ".join(f"{'NULL' if v is None else lit(v)} AS {q(n)}" for n, v in cells.items())
        self.con.execute(f"CREATE TABLE places AS SELECT 2 AS __row, {values}")
        self.found: list[tuple[str, str]] = []

    def rows(self, sql):
        return self.con.execute(sql).fetchall()

    def note(self, table, row, field, code, note):
        self.found.append((field, note))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_filled_together_fast_form_finds_every_half_filled_row(data):
    from civic_space.checks.filled_together import note_for

    check = CHECKS["filled-together"]
    cells = {n: data.draw(st.none() | st.sampled_from(["1.5", "x"])) for n in check.field_names}
    db = Places(cells)
    check.fast(db)
    empty = [n for n in check.field_names if not cells[n]]
    expected = (
        [(empty[0], note_for(check.field_names, empty))] if 0 < len(empty) < len(cells) else []
    )
    assert db.found == expected
