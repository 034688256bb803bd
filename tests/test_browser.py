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
