"""The built site in a real browser: the search finds a workshop by place name in either
edition, and the language switch keeps the reader on the same page (pages themselves:
test_a11y.py)."""

from __future__ import annotations

import re

from conftest import ROOT, SHOTS


def test_search_finds_a_workshop_by_place_name(served, browser):
    page = browser.new_page()
    page.goto(f"{served}/search.html?q=Bayandun")
    results = page.locator("ul.search li a")
    results.first.wait_for(timeout=20_000)
    targets = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("tables/events" in t for t in targets), targets
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "search-bayandun.png"), full_page=True)
    page.close()


def test_mongolian_search_finds_a_place_by_its_cyrillic_name(served, browser):
    page = browser.new_page()
    page.goto(f"{served}/mn/report/workshops.html")
    assert page.locator("html").get_attribute("lang") == "mn"
    page.goto(f"{served}/mn/search.html?q=Баяндун")
    results = page.locator("ul.search li a")
    results.first.wait_for(timeout=20_000)
    targets = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("report/" in t or "tables/" in t for t in targets), targets
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "mn-search-bayandun.png"), full_page=True)
    page.close()


def test_language_switch_leads_to_the_same_page(served, browser):
    page = browser.new_page()
    page.goto(f"{served}/report/policy.html")
    page.locator(".language-switch a[hreflang=mn]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/mn/report/policy.html")
    assert page.locator("html").get_attribute("lang") == "mn"
    page.locator(".language-switch a[hreflang=en]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/report/policy.html") and "/mn/" not in page.url
    page.close()


# For each page: its text outside what is marked as English (the `untranslated` class,
# lang="en") and outside code and identifiers (what a contributor types stays as written,
# `translate="no"`), one string per text node. Chromium parses each page as it would load it;
# its style sheets, scripts and fonts are not needed to find its words.
UNMARKED_TEXT = """async (paths) => {
  const skip = '.untranslated, [lang=en], [translate=no], code, pre, kbd, script, style';
  const found = {};
  for (const path of paths) {
    const html = await (await fetch(path)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    found[path] = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const text = n.textContent.trim();
      if (text && !n.parentElement.closest(skip)) found[path].push(text);
    }
  }
  return found;
}"""


def english_with_translation() -> set[str]:
    """Every English string a Mongolian catalogue of ours translates: theme words, headers,
    field titles, coded values, messages and page text."""
    from babel.messages.pofile import read_po

    from civic_space.i18n import catalogue_path

    found = set()
    for path in [catalogue_path("mn"), *(ROOT / "docs" / "locales" / "mn").rglob("*.po")]:
        with path.open("rb") as file:
            for message in read_po(file):
                text = message.id if isinstance(message.id, str) else ""
                if message.string and message.string != text and "{" not in text:
                    found.add(text.strip())
    return {t for t in found if len(t) > 1 and re.search("[A-Za-z]", t)}


def test_mongolian_pages_have_no_unmarked_english(served, browser):
    """Every page of the Mongolian edition: no text that one of our catalogues translates is
    shown in English, unless it is marked as English for want of a translation."""
    from test_a11y import every_page

    english = english_with_translation()
    page = browser.new_page()
    page.goto(f"{served}/mn/index.html")
    paths = [f"/{p}" for p in every_page() if p.startswith("mn/")]
    shown = page.evaluate(UNMARKED_TEXT, paths)
    page.close()
    leftovers = {p: sorted({t for t in texts if t in english})[:8] for p, texts in shown.items()}
    leftovers = {p: found for p, found in leftovers.items() if found}
    assert not leftovers, leftovers


def test_citations_wrap_on_a_phone(served, browser):
    """Both editions at 390 px: every citation reads whole, none is cut off in a box that
    scrolls sideways."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    for path in ("cite.html", "mn/cite.html"):
        page.goto(f"{served}/{path}")
        widths = page.evaluate(
            "[...document.querySelectorAll('.citation-text pre')]"
            ".map(p => p.scrollWidth - p.clientWidth)"
        )
        assert len(widths) == 4 and max(widths) <= 1, (path, widths)
    page.close()
