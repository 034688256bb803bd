"""The built site in a real browser: pages load without console errors, the search finds a
workshop by place name, and each page leaves a screenshot in build/screenshots/."""

from __future__ import annotations

import pytest

from conftest import SHOTS


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "tables/events.html",
        "cite.html",
        "dictionary.html",
        "mn/index.html",
        "mn/report/communities.html",
        "mn/tables/places.html",
    ],
)
def test_page_loads_without_console_errors(served, browser, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(f"{served}/{path}")
    page.wait_for_load_state("networkidle")
    assert response.status == 200
    assert problems == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / (path.replace("/", "-").removesuffix(".html") + ".png")), full_page=True
    )
    page.close()


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
