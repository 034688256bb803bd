"""The fast engine's pre-filters are sound: every cell or row that a check's own rule flags is
among the candidates that the fast engine hands to that rule (so it never misses one)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from civic_space import checks
from civic_space.checks._shared import CellRule
from civic_space.checks.date_precision import note_for as precision_note
from civic_space.descriptor import load
from civic_space.fast import FastValidator
from civic_space.meanings import EVENT_DATES
from civic_space.sql import lit
from conftest import DESCRIPTOR

PACKAGE = load(DESCRIPTOR)
RULES = [c for c in checks.checks(PACKAGE) if isinstance(c, CellRule)]
CON = duckdb.connect()

# Characters the rules care about, and their neighbours: spaces of every kind, controls,
# combining marks, invisible formatting, look-alike at signs, digits of other scripts, letters.
ALPHABET = st.sampled_from(
    list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2000\u2028\u3000=+-@\uff20\ufe6b.,;:()/_")
    + list("aZé\u0421\u04e9\u04ae\u0416\u0301\u200b\u202e\ufeff\ue000\ufffd\x00\x07٣१0123456789")
    # look-alikes of other scripts, and letters that fit with any (µ) or mix by design (日の)
    + list("аеорсхуіοαКＡʰªµ日のアー한ա\u0370")
)
text = st.text(ALPHABET, max_size=14) | st.text(max_size=8)
NUL = "\x00"


def candidate(rule: CellRule, cells: list[str]) -> bool:
    row = NUL.join(cells)
    return CON.execute(f"SELECT regexp_matches({lit(row)}, {lit(rule.candidates)})").fetchone()[0]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.type)
@settings(max_examples=300, deadline=None)
@given(before=st.lists(text.filter(lambda t: NUL not in t), max_size=2), cell=text)
@example(before=[], cell="a  b")
@example(before=["x"], cell=" lead")
@example(before=[], cell="CHRД")
@example(before=[], cell="g\u03bfvernment")  # a Greek omicron
@example(before=[], cell="=1+1")
@example(before=[], cell="a@b.mn")
def test_every_flagged_cell_is_a_candidate(rule, before, cell):
    cell = cell.replace(NUL, "")  # the preflight refuses NUL before any rule runs
    if rule.judge(cell) if cell else False:
        assert candidate(rule, [*before, cell, "after"]), (rule.type, cell)


def test_the_candidates_are_not_everything():
    """A pre-filter that matched every row would be sound and useless."""
    for rule in RULES:
        assert not candidate(rule, ["Plain text", "Энгийн бичвэр", "2022-08-02"]), rule.type


class Events:
    """Just enough of the fast engine for one table check's fast form: one events table."""

    package = PACKAGE
    typed = staticmethod(FastValidator.typed)
    unparsed = FastValidator.unparsed

    def __init__(self, precision: str, start: dt.date | None, end: dt.date | None):
        d = EVENT_DATES
        cells = [lit(precision), *(f"DATE {lit(str(x))}" if x else "NULL" for x in (start, end))]
        raw = [lit(str(x)) if x else "NULL" for x in (start, end)]
        self.con = CON
        self.con.execute(
            f"CREATE OR REPLACE TABLE events AS SELECT 2 AS __row, {cells[0]} AS {d.precision},"
            f" {raw[0]} AS {d.start}, {raw[1]} AS {d.end},"
            f' {cells[1]} AS "{d.start}:t", {cells[2]} AS "{d.end}:t"'
        )
        self.notes: list[str] = []

    def rows(self, sql):
        return self.con.execute(sql).fetchall()

    def note(self, table, row, field, code, note):
        self.notes.append(note)


PRECISION = next(c for c in checks.checks(PACKAGE) if c.type == "date-precision")
dates = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)) | st.none()


@settings(max_examples=300, deadline=None)
@given(precision=st.sampled_from(["day", "month", "season", "year", "unknown"]), a=dates, b=dates)
def test_date_precision_fast_form_finds_every_mismatch(precision, a, b):
    db = Events(precision, a, b)
    PRECISION.fast(db)
    expected = precision_note(precision, a, b, EVENT_DATES.precision)
    assert db.notes == ([expected] if expected else [])


@settings(max_examples=300, deadline=None)
@given(text=text)
def test_quick_exits_change_no_verdict(text):
    """The rules' quick exits (a text plainly fine) agree with the rules in full."""
    import unicodedata
    from importlib import import_module

    mixed_script = import_module("civic_space.checks.mixed_script")  # the modules, not the checks
    unicode_form = import_module("civic_space.checks.unicode_form")

    mixed = any(mixed_script.mixes(w) for w in mixed_script.WORD.findall(text))
    assert (mixed_script.note_for(text) is not None) == mixed
    if unicode_form.ALL_PLAIN.fullmatch(text):
        kinds = unicode_form.INVISIBLE | unicode_form.UNUSABLE
        assert not any(unicodedata.category(c) in kinds or c == "\ufffd" for c in text)
        assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in text)
        assert unicodedata.is_normalized("NFC", text)
