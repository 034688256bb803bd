"""Mongolian dates: one style, ranges shortened, case endings attached (docs/_ext/mn_dates.py),
over every date and range our data holds and over any dates hypothesis picks."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta

import mn_dates
import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_format import when

from civic_space import i18n
from conftest import ROOT

ROMAN = re.compile(r"\b[IVX]+\b")
ENDINGS = ("сард", "сараас", "сарын", "онд", "оноос", "оны")


@pytest.fixture
def mongolian():
    i18n.use("mn")
    yield
    i18n.use("en")


def events() -> list[dict]:
    with (ROOT / "data" / "events.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_every_date_of_the_data_reads_in_one_style(mongolian):
    """Each event's dates at its precision (day, month, season, year), in every case: words
    for months (no Roman or digit months), the year once, an ending attached to a word or
    after a day's digits, never to a month word by a hyphen."""
    seen = set()
    for row in events():
        seen.add(row["date_precision"])
        for case in ("", *mn_dates.CASES):
            text = when(row, case)
            assert not ROMAN.search(text) and not re.search(r"\d+[- ](р|дугаар|дүгээр)", text)
            assert "сар-" not in text and "он-" not in text, text
            if row["start_date"][:4] == row["end_date"][:4] and row["start_date"]:
                assert core(text).count(row["start_date"][:4]) == 1, text
            if case and row["date_precision"] != "unknown":
                assert core(text).endswith(ENDINGS) or re.search(r"\d-н\w+$", core(text)), text
    assert {"day", "month", "season", "year"} <= seen


def core(text: str) -> str:
    """The dates without the report's own words for them ("(given as …)")."""
    return text.split(" (")[0]


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 400))
def test_a_range_writes_what_its_ends_share_once(start, days):
    end = start + timedelta(days=days)
    text = mn_dates.day_range(start, end)
    assert text.count(str(start.year)) == 1
    assert ("–" in text and str(end.year) in text.split("–")[-1]) == (start.year != end.year)
    month = mn_dates.month_word(start)
    if (start.year, start.month) == (end.year, end.month):
        assert text.count(month) == 1 and text.endswith(str(end.day))
    for case in mn_dates.CASES:
        inflected = mn_dates.inflected(text, case)
        assert inflected.startswith(text + "-") and inflected.count("-н") == 1


@pytest.mark.parametrize(
    ("day", "case", "ending"),
    [
        (1, "from", "1-нээс"),
        (2, "from", "2-ноос"),
        (3, "from", "3-наас"),
        (4, "from", "4-нөөс"),
        (9, "of", "9-ний"),
        (10, "of", "10-ны"),
        (20, "from", "20-ноос"),
        (31, "in", "31-нд"),
    ],
)
def test_a_day_takes_its_ending_in_harmony_with_the_numeral_read_aloud(day, case, ending):
    assert mn_dates.inflected(mn_dates.day(date(2022, 5, day)), case).endswith(ending)


def test_months_and_years_take_their_ending_on_the_word():
    assert mn_dates.inflected(mn_dates.month(date(2022, 7, 1)), "in").endswith("долоодугаар сард")
    assert mn_dates.inflected(mn_dates.year(2012), "in").endswith("2012\u202fонд")
    with pytest.raises(ValueError, match="no case"):
        mn_dates.inflected(mn_dates.year(2012), "dative")
