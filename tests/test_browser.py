"""The built site in a real browser: pages load without console errors, the search finds a
workshop by place name, and each page leaves a screenshot in build/screenshots/."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT

SHOTS = ROOT / "build" / "screenshots"
# Flags for a root user on a machine without network (see the workplace's notes on Chromium).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """The system's Chromium, installed from Debian's packages if missing and we may."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed and cannot be installed here (needs root and apt)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.skip(f"Chromium could not be installed: {done.stderr.strip()[-300:]}")
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def served(built_site):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(built_site.serve))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=FLAGS)
        yield browser
        browser.close()


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
