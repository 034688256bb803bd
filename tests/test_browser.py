"""The built site in a real browser: the search finds a workshop by place name in either
edition, and the language switch keeps the reader on the same page (pages themselves:
test_a11y.py)."""

from __future__ import annotations

from conftest import SHOTS


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


# For each page: its words in Latin script outside what is marked as English (lang="en", the
# `untranslated` class) and outside code and identifiers (what a contributor types stays as
# written, `translate="no"`), one string per text node, and the attributes a reader meets as
# words (tooltips, names, alternative text, placeholders), whose language only their element's
# can tell. Chromium parses each page as it would load it; its style sheets, scripts and fonts
# are not needed to find its words. A chart's <title> and <desc> are text nodes too.
UNMARKED_TEXT = """async (paths) => {
  const skip = '.untranslated, [lang=en], [translate=no], code, pre, kbd, script, style';
  const latin = /[A-Za-z]/;
  const attributes = ['title', 'aria-label', 'alt', 'placeholder'];
  const found = {};
  for (const path of paths) {
    const html = await (await fetch(path)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    found[path] = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const text = n.textContent.trim();
      if (latin.test(text) && !n.parentElement.closest(skip)) found[path].push(text);
    }
    for (const el of doc.body.querySelectorAll('*')) {
      if (el.closest(skip)) continue;
      for (const name of attributes) {
        const value = el.getAttribute(name);
        if (value && latin.test(value)) found[path].push(`${el.localName}@${name}: ${value}`);
      }
    }
  }
  return found;
}"""


def test_mongolian_pages_have_no_unmarked_english(served, browser):
    """Every page of the Mongolian edition: no word in Latin script, in its text or in an
    attribute a reader meets (a tooltip, a control's name), unless it is marked as English
    (lang="en", or untranslated for want of a translation) or is code or an identifier."""
    from test_a11y import every_page

    page = browser.new_page()
    page.goto(f"{served}/mn/index.html")
    paths = [f"/{p}" for p in every_page() if p.startswith("mn/")]
    shown = page.evaluate(UNMARKED_TEXT, paths)
    page.close()
    assert len(shown) == len(paths) > 30
    leftovers = {p: sorted(set(texts))[:8] for p, texts in shown.items() if texts}
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
