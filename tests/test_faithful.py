"""The data against the source report: quotes are verbatim, and nothing in it is left out."""

from __future__ import annotations

import re

import pytest

from civic_space.descriptor import load
from civic_space.formatting import read_rows
from conftest import DESCRIPTOR

PACKAGE = load(DESCRIPTOR)

# Fields that hold the report's own words, quoted exactly (" / " joins several quotes).
VERBATIM = {
    "issues": ["text"],
    "demands": ["text"],
    "events": ["date_as_given"],
    "organisations": ["name_as_given"],
    "activities": ["title", "plan_wording"],
    "channels": ["url_as_given"],
    "metrics": ["period_as_given"],
    "places": ["name_en"],
    "errata": ["as_given"],
}


def records(name: str) -> list[dict]:
    header, rows = read_rows(PACKAGE.table(name))
    return [dict(zip(header, row, strict=True)) for row in rows]


def from_report(row: dict) -> bool:
    return row.get("source_id", "").startswith("report-")


@pytest.mark.parametrize(("table", "fields"), VERBATIM.items())
def test_quotes_are_verbatim(report_text, table, fields):
    for row in filter(from_report, records(table)):
        for field in fields:
            for quote in filter(None, row[field].split(" / ")):
                assert quote in report_text, f"{table}.{field}: {quote!r} is not in the report"


def suggested_solutions_table(report_text: str) -> list[list[str]]:
    """The report's table of suggested solutions, as columns of non-empty cells."""
    lines = report_text.split("Suggested solutions", 1)[1].split("\n\n\n", 1)[0].splitlines()
    rows = [line.split("\t") for line in lines if "\t" in line and line.strip()]
    heading, body = rows[0], rows[1:]
    return [
        [heading[c], *[r[c].strip() for r in body if c < len(r) and r[c].strip()]] for c in range(4)
    ]


def test_every_suggested_solution_is_a_row_in_its_order(report_text):
    places = {p["place_id"]: p["name_en"] for p in records("places")}
    issues = [i for i in records("issues") if i["kind"] == "suggested-solution"]
    columns = suggested_solutions_table(report_text)
    assert len(columns) == 4
    total = 0
    for heading, *cells in columns:
        at_site = sorted(
            (i for i in issues if heading.startswith(places[i["place_id"]] + " ")),
            key=lambda i: int(i["position"]),
        )
        assert [i["text"] for i in at_site] == cells, heading
        total += len(cells)
    assert total == len(issues)


def test_every_demand_is_a_row(report_text):
    section = report_text.split("8 demands for enabling environment of CSOs**", 1)[1]
    listed = dict(re.findall(r"^(\d+)\. (.+?)\s*$", section, flags=re.M))
    assert {int(n): t for n, t in listed.items()} == {
        int(d["demand_number"]): d["text"] for d in records("demands")
    }


def test_every_in_person_workshop_is_dated_as_given(report_text):
    places = {p["place_id"]: p["name_en"] for p in records("places")}
    items = re.findall(r"^\d\. (.*[Tt]raining-workshop.*)$", report_text, flags=re.M)
    workshops = [e for e in records("events") if e["part_of"] == "in-person-workshops"]
    assert len(items) == len(workshops) == 4
    for item in items:
        (event,) = [e for e in workshops if places[e["place_id"]] in item]
        assert event["date_as_given"] in item
        assert event["date_precision"] == "day"


def test_every_number_in_the_report_is_in_the_data(report_text):
    """Each figure the report prints (outside links) appears somewhere in the data."""
    prose = re.sub(r"https?://\S+|\(http[^)]*\)|<[^>]+>", " ", report_text)
    in_report = {int(n) for n in re.findall(r"\d+", prose)}
    in_data = set()
    for table in PACKAGE.tables:
        for row in read_rows(table)[1]:
            for cell in row:
                in_data.update(int(n) for n in re.findall(r"\d+", cell))
    assert in_report - in_data == set()


def test_derived_figures_say_how():
    metrics = {m["metric_id"]: m for m in records("metrics")}
    derived = [m for m in metrics.values() if m["method"] == "derived"]
    assert derived
    for m in derived:
        assert m["formula"], m["metric_id"]
        terms = re.split(r" ([+-]) ", m["formula"])
        value = int(metrics[terms[0]]["value"])
        for op, ref in zip(terms[1::2], terms[2::2], strict=True):
            value += int(metrics[ref]["value"]) * (1 if op == "+" else -1)
        assert value == int(m["value"]), m["metric_id"]
    for m in metrics.values():
        assert bool(m["formula"]) == (m["method"] == "derived"), m["metric_id"]
