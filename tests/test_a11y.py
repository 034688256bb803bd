"""The site as phone and screen-reader users meet it, in real Chromium, in both editions: pages
load without console errors; axe-core finds no critical or serious violation, light or dark, at
1280 px and at 390 px; at 390 px no page overflows sideways (a table scrolls inside its own
region) and no figure text is below 11 px; in dark mode figure text keeps a contrast of 4.5:1.
The report's chapters and the pages of each kind leave screenshots at both widths in
build/screenshots/.

By default a page of each kind is checked (home, table, report chapters with each kind of
figure, citation, dictionary; some in each edition); `pytest tests/test_a11y.py --every-page`
(or `nox -s a11y`, which the Pages workflow runs before it publishes) checks every page of
both editions, which takes about five minutes: too long for every pull request's wait."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

import pytest

from civic_space.descriptor import load
from conftest import ROOT, SHOTS, npm_package

AXE_VERSION = "4.11.0"  # axe-core from npm, installed into build/npm by the first test
PAGES = [  # each kind of page and of figure, in one edition or the other
    "index.html",
    "tables/events.html",
    "report/policy.html",
    "cite.html",
    "mn/report/workshops.html",
    "mn/dictionary.html",
]
# Each width and scheme, with the axe rules whose outcome it can change. A scheme changes only
# colours (the theme's dark mode is CSS custom properties; the page is the same otherwise), so
# every rule runs once at each width, in one scheme each, and the colour rules in both.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
CONFIGS = [
    (1280, "light", None),
    (1280, "dark", COLOUR_RULES),
    (390, "dark", None),
    (390, "light", COLOUR_RULES),
]
# Rows of a data table repeat one style: axe checks the first three of each, not thousands.
AXE_RUN = """(rules) => axe.run({exclude: [['tbody tr:nth-child(n+4)']]},
    rules ? {resultTypes: ['violations'], runOnly: {type: 'rule', values: rules}}
          : {resultTypes: ['violations']})
  .then(r => r.violations.filter(v => ['critical', 'serious'].includes(v.impact))
  .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target).join(' ')))"""
# Two frames: the page has handled the resize (its scripts ran) and laid itself out again.
SETTLED = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Each visible SVG text: its rendered size, and its contrast with the page's background.
SVG_TEXT = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const page = getComputedStyle(document.body).backgroundColor;
  return [...document.querySelectorAll('svg text')].filter(t => t.getClientRects().length)
    .map(t => ({text: t.textContent.slice(0, 30),
                size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
                contrast: ratio(getComputedStyle(t).fill, page)}));
}"""


def pytest_generate_tests(metafunc):
    if "path" in metafunc.fixturenames:
        every = metafunc.config.getoption("every_page")
        paths = every_page() if every else PAGES
        metafunc.parametrize("path", paths)


def every_page() -> list[str]:
    """Every page of both editions: the pages written in docs/ and a page per table."""
    docs = ROOT / "docs"
    written = [docs.glob("*.md"), (docs / "report").glob("*.md")]
    pages = [str(p.relative_to(docs).with_suffix(".html")) for found in written for p in found]
    pages += [f"tables/{t.name}.html" for t in load(ROOT / "datapackage.json").tables]
    return sorted(p for page in pages for p in (page, f"mn/{page}"))


@pytest.fixture(scope="session")
def axe() -> str:
    """axe-core's script, installed from npm the first time (as Chromium is, if missing)."""
    return (npm_package("axe-core", AXE_VERSION) / "axe.min.js").read_text(encoding="utf-8")


@functools.cache
def static_digest(folder: Path) -> bytes:
    """The bytes of an edition's stylesheets, scripts and fonts, digested once a run."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(file.name.encode() + file.read_bytes())
    return digest.digest()


def verdict_key(site: Path, path: str) -> str:
    """Everything a page's verdict depends on: its HTML, its edition's static files, this test
    (its scripts and settings) and axe's version. Builds of the same sources are identical."""
    edition = site / "mn" if path.startswith("mn/") else site
    digest = hashlib.sha256(f"{AXE_VERSION}|{path}|".encode())
    for part in (Path(__file__).read_bytes(), (site / path).read_bytes()):
        digest.update(part)
    digest.update(static_digest(edition / "_static"))
    return digest.hexdigest()


def photographed(path: str) -> bool:
    """Screenshots, at both widths, of the report's chapters and the pages of each kind."""
    return path in PAGES or path.removeprefix("mn/").startswith("report/")


def screenshot(path: str, width: int) -> Path:
    return SHOTS / f"{path.removesuffix('.html').replace('/', '-')}-{width}-light.png"


def test_page_reads_on_every_screen(served, built_site, browser, axe, path, pytestconfig):
    # A page passed before, byte for byte, with this same test: its verdict is kept (in
    # pytest's cache, as the damage corpus's are), if its screenshots are still there.
    cache = getattr(pytestconfig, "cache", None)  # absent with -p no:cacheprovider
    passed = cache.mkdir("a11y") / verdict_key(built_site.serve, path) if cache else None
    shots = [screenshot(path, w) for w in (1280, 390)] if photographed(path) else []
    if passed and passed.exists() and all(shot.exists() for shot in shots):
        return
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    assert page.goto(f"{served}/{path}").status == 200
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=axe)
    for width, scheme, rules in CONFIGS:
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        page.evaluate(SETTLED)
        where = f"{width} px, {scheme}"
        problems += [f"{where}: {v}" for v in page.evaluate(AXE_RUN, rules)]
        texts = page.evaluate(SVG_TEXT)
        if width == 390:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{where}: the page is {scroll} px wide")
            small = [t for t in texts if t["size"] < 11]
            problems += [f"{where}: figure text {t['size']:.1f} px: {t['text']}" for t in small]
        if scheme == "dark":
            faint = [t for t in texts if t["contrast"] < 4.5]
            problems += [f"{where}: contrast {t['contrast']:.1f}: {t['text']}" for t in faint]
        if scheme == "light" and shots:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot(path, width)), full_page=True)
    page.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    if passed:
        passed.touch()
