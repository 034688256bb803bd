"""Figures and table pages in use, in real Chromium, in both editions: figure text stays at
least 11 px at 320 px (WCAG's reflow width); every figure says its sources and links a CSV that
holds exactly its data table; a mark's value is announced when it takes focus; on a phone the
events table reads as cards with no sideways scroll; a table page sorts and filters from the
keyboard. Screenshots go to build/screenshots/ (SHOTS)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from conftest import ROOT, SHOTS

REPORT = ROOT / "docs" / "report"
# Every page with a figure, found in the pages' sources: a new figure is tested without a list.
FIGURED = sorted(
    f"report/{p.stem}.html" for p in REPORT.glob("*.md") if "{report-figure}" in p.read_text()
)
EDITIONS = ["", "mn/"]
CYRILLIC = "[\u0400-\u04ff]"
# Each visible SVG text's rendered size in px.
TEXT_SIZES = """() => [...document.querySelectorAll('svg text')]
  .filter(t => t.getClientRects().length)
  .map(t => ({text: t.textContent.slice(0, 30),
              size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a}))"""
# A figure's data table as text: its header, then its rows (what the CSV must hold).
DATA_TABLE = """(figure) => {
  const table = figure.nextElementSibling.querySelector('table');
  return [...table.rows].map(r => [...r.cells].map(c => c.textContent.trim()));
}"""


def test_pages_with_figures_are_found():
    assert len(FIGURED) >= 4, FIGURED


@pytest.mark.parametrize("edition", EDITIONS)
def test_figure_text_is_at_least_11_px_at_320_px(served, browser, edition):
    page = browser.new_page(viewport={"width": 320, "height": 800})
    small = {}
    for path in FIGURED:
        page.goto(f"{served}/{edition}{path}")
        sizes = page.evaluate(TEXT_SIZES)
        assert sizes, path  # the figure's text is there and visible
        small[path] = [f"{t['size']:.1f} px: {t['text']}" for t in sizes if t["size"] < 11]
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 320, (path, scroll)
    page.close()
    assert not any(small.values()), small


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_figure_has_sources_and_a_csv_of_its_data(served, browser, edition):
    page = browser.new_page()
    for path in FIGURED:
        page.goto(f"{served}/{edition}{path}")
        figures = page.locator("figure.report-figure:has(svg.chart)")
        assert figures.count() >= 1, path
        for n in range(figures.count()):
            figure = figures.nth(n)
            source = figure.locator(".figure-source")
            assert source.count() == 1 and len(source.inner_text()) > 20, path
            assert figure.locator(".figure-unit").inner_text().strip(), path
            details = figure.locator("xpath=following-sibling::*[1]")
            assert details.evaluate("d => d.tagName") == "DETAILS", path
            assert details.evaluate("d => d.open") is False, path  # folded until asked
            details.locator("summary").click()
            assert details.evaluate("d => d.open") is True, path
            href = figure.locator("a.figure-csv").get_attribute("href")
            response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
            assert response.ok, (path, href)
            rows = list(csv.reader(io.StringIO(response.text())))
            assert rows == figure.evaluate(DATA_TABLE), (path, href)
    if edition == "mn/":  # the Mongolian edition says it in Mongolian
        assert re.search(CYRILLIC, page.locator(".figure-unit").first.inner_text())
    page.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_value_is_announced_on_focus(served, browser, edition):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/{edition}report/outreach.html")
    page.locator("svg.chart").first.scroll_into_view_if_needed()
    page.locator(".figure-csv").first.focus()  # from just before the figure's marks ...
    page.keyboard.press("Shift+Tab")
    for _step in range(20):  # ... back to its last mark, whatever lies between
        if page.evaluate("document.activeElement.closest('svg.chart') !== null"):
            break
        page.keyboard.press("Shift+Tab")
    focused = page.evaluate(
        "(() => { const m = document.activeElement;"
        " return {label: m.getAttribute('aria-label'), title: m.querySelector('title')"
        "?.textContent, visible: m.getClientRects().length > 0,"
        " shown: m.closest('figure').querySelector('.chart-value')?.textContent}; })()"
    )
    assert focused["label"] and focused["label"] == focused["title"], focused
    assert re.search(r"\d", focused["label"]) and focused["visible"], focused
    assert focused["shown"] == focused["label"], focused  # written under the chart too
    page.close()


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_events_table_reads_as_cards_on_a_phone(served, browser, edition, scheme):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{served}/{edition}tables/events.html")
    region = page.locator(".table-scroll.data-rows")
    sizes = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert sizes[0] <= sizes[1] + 1, sizes  # nothing scrolls sideways inside ...
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # ... or outside
    card = region.locator("tbody tr").first
    cells = card.locator("td")
    labels = cells.evaluate_all(
        "cs => cs.map(c => getComputedStyle(c, '::before').content.replace(/^\"|\"$/g, ''))"
    )
    headers = region.locator("thead th").evaluate_all(
        "hs => hs.map(h => (h.querySelector('p')?.firstChild?.textContent || '').trim())"
    )
    assert labels == headers and all(labels), (labels, headers)  # each value under its name
    box = card.bounding_box()
    assert box["width"] <= 390 - 16, box
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = f"{edition.strip('/') or 'en'}-events-390-{scheme}.png"
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / name))
    page.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_table_page_sorts_and_filters_by_keyboard(served, browser, edition):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/{edition}tables/places.html")
    region = page.locator(".table-scroll.data-rows")
    first_column = "r => [...r.querySelectorAll('tbody tr')].filter(t => !t.hidden)"
    keys = region.evaluate(f"{first_column}.map(t => t.cells[0].textContent.trim())")
    button = region.locator("thead th .sort-button").first
    assert button.get_attribute("aria-label"), "the sort button has no name"
    button.focus()
    page.keyboard.press("Enter")
    th = region.locator("thead th").first
    assert th.get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Space")
    assert th.get_attribute("aria-sort") == "descending"
    shown = region.evaluate(f"{first_column}.map(t => t.cells[0].textContent.trim())")
    assert sorted(shown) == sorted(keys) and shown != keys  # the same rows, reordered
    box = page.locator(".table-tools input[type=search]")
    assert page.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip()
    box.focus()
    page.keyboard.type(keys[0])
    left = region.evaluate(f"{first_column}.map(t => t.cells[0].textContent.trim())")
    assert keys[0] in left and len(left) < len(keys), left
    status = page.locator(".table-tools-status").inner_text()
    assert str(len(left)) in status, status
    if edition == "mn/":
        assert re.search(CYRILLIC, status + button.get_attribute("aria-label"))
    page.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_figure_with_its_source_line_screenshot(served, browser, edition):
    """A figure with its source line, for the record (and the figure is whole on a phone)."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(f"{served}/{edition}report/outreach.html")
    figure = page.locator("figure.report-figure").first
    SHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(SHOTS / f"{edition.strip('/') or 'en'}-figure-source-390.png"))
    assert figure.locator(".figure-source").is_visible()
    page.close()
