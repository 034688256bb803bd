"""What a figure says under itself, without a browser: its CSV holds its data table's text and
nothing a spreadsheet would run; bars of different quantities never share a scale; every mark
takes focus and says its value; a narrow layout is drawn so that 12-unit text stays ≥ 11 px in
the 288 px column of a 320 px screen."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import charts
import charts_svg
from figure_notes import cell_text, csv_text
from hypothesis import given
from hypothesis import strategies as st

from civic_space.checks.spreadsheet_formula import FORMULA_STARTS

cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(
    st.lists(st.lists(cells, min_size=2, max_size=2), max_size=5),
    st.lists(cells, min_size=2, max_size=2),
)
def test_the_csv_holds_the_table_and_runs_nothing(body, headers):
    rows = list(csv.reader(io.StringIO(csv_text(headers, body), newline="")))
    assert len(rows) == len(body) + 1
    for got, want in zip(rows, [headers, *body], strict=True):
        for cell, text in zip(got, want, strict=True):
            assert not cell.startswith(FORMULA_STARTS) or cell_text(cell) == cell  # a number
            assert cell in (text, "'" + text)  # as printed, or kept as text by an apostrophe


def test_a_negative_number_stays_a_number_and_a_formula_is_defused():
    assert cell_text("-12") == "-12" and cell_text("-1,234.5") == "-1,234.5"
    for formula in ("=1+1", "+A1", "-A1", "@SUM(A1)", "\tx", "\rx"):
        assert cell_text(formula) == "'" + formula


def marks(svg: str, variant: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    layout = next(e for e in root if e.get("class") == f"chart-{variant}")
    return [e for e in layout.iter() if "chart-mark" in (e.get("class") or "").split()]


@given(st.lists(st.integers(1, 10**6), min_size=2, max_size=5))
def test_bars_of_different_quantities_never_share_a_scale(values):
    names = [f"q{n}" for n in range(len(values))]
    panels = [(name, [n]) for n, name in enumerate(names)]
    svg = charts.bar_chart(names, {"n": values}, "T", "D", [str(v) for v in values], panels)
    for variant in ("wide", "narrow"):
        bars = marks(svg, variant)
        widths = {float(b.get("width")) for b in bars}
        assert len(bars) == len(values) and len(widths) == 1  # each its panel's full scale
        for bar, value in zip(bars, values, strict=True):
            assert bar.get("tabindex") == "0" and str(value) in bar.get("aria-label")
            assert bar.find("{http://www.w3.org/2000/svg}title").text == bar.get("aria-label")


def test_one_quantity_keeps_one_scale():
    svg = charts.bar_chart(["a", "b"], {"n": [10, 5]}, "T", "D", ["10", "5"])
    widths = [float(b.get("width")) for b in marks(svg, "wide")]
    assert widths[0] == 2 * widths[1]


def test_narrow_text_stays_legible_at_320_px():
    column = 320 - 2 * 16  # the page's padding at that width
    assert charts_svg.SIZE * column / charts_svg.NARROW >= 11
