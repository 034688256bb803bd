"""The built site from the keyboard, on paper and at a wrong address, in real Chromium, in both
editions: Tab at 390 and 1280 px lands only on what is visible, in the viewport, with a focus
ring of 3:1 or more against the page; the drawers' toggles are named buttons that open and
close from the keyboard, and a closed drawer takes no focus; a value's note mark leads to its
note and back; a printed page has nothing fixed over its text and every table whole; each
edition has its 404 page, in its language, whose links work at any depth.

Screenshots go to build/screenshots/ (and to SHOTS25, when that folder is given)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import SHOTS
from sitebuild import SITE_URL

EDITIONS = ["", "mn/"]
# Each kind of page: the home page, a report chapter with figures and tables, a table page.
PAGES = ["index.html", "report/policy.html", "tables/events.html"]
# Enough to go past the header and the menu, into the page's own links. The walk is the slow
# part (about 100 s: 480 Tabs, each waited on until the page stops moving, read in two schemes).
TABS = 40
# Until the page stops moving: transitions (the skip link slides in) and smooth scrolling.
SETTLED = """async () => {
  let last = '';
  for (let i = 0; i < 60; i++) {
    await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const r = document.activeElement.getBoundingClientRect();
    const now = [r.x, r.y, r.width, r.height, scrollX, scrollY].join();
    if (now === last) return;
    last = now;
  }
}"""
# The focused element: what it is, whether it is seen (rendered, not hidden, in the viewport,
# not under another element), and its focus ring's width and contrast with what is behind it.
FOCUSED = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const backdrop = el => { for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor; const a = rgb(c);
    if (a.length < 4 || a[3] > 0.5) return c; } return 'rgb(255, 255, 255)'; };
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const x = Math.min(Math.max(r.x + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.y + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return {
    what: `${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className} ` +
          `"${(el.getAttribute('aria-label') || el.textContent).trim().slice(0, 40)}"`,
    body: el === document.body,
    seen: el.checkVisibility({visibilityProperty: true, opacityProperty: true}),
    inside: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
            r.left < innerWidth && r.top < innerHeight,
    onTop: !!top && (el.contains(top) || top.contains(el)),
    ring: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth),
    contrast: ratio(s.outlineColor, backdrop(el.parentElement)),
  };
}"""


def shots() -> list[Path]:
    """Where screenshots go: the tests' folder, and the issue's note folder if given."""
    extra = os.environ.get("SHOTS25")
    return [SHOTS, *([Path(extra)] if extra else [])]


def screenshot(page, name: str, **options) -> None:
    for folder in shots():
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), **options)


def walk(page, count: int, schemes=("light",)) -> list[dict]:
    """Tab `count` times from the top of the page; what each Tab focused and how it looks (its
    ring's contrast in each colour scheme: the lowest)."""
    found = []
    for _ in range(count):
        page.keyboard.press("Tab")
        page.evaluate(SETTLED)
        seen = []
        for scheme in schemes:
            page.emulate_media(color_scheme=scheme)
            seen.append(page.evaluate(FOCUSED))
        found.append(min(seen, key=lambda f: f["contrast"]))
    return found


@pytest.mark.parametrize("width", [390, 1280])
def test_tab_lands_only_on_what_is_seen_with_a_focus_ring(served, browser, width):
    """Each kind of page in both editions: every Tab lands on an element that is rendered, in
    the viewport and not under another, with a focus ring of 2 px or more at 3:1 or more
    against what is behind it, in the light and the dark scheme."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = []
    for path in [f"{e}{p}" for e in EDITIONS for p in PAGES]:
        page.goto(f"{served}/{path}")
        for step, f in enumerate(walk(page, TABS, ("light", "dark")), start=1):
            if f["body"]:
                break  # past the last control: the browser's own
            where = f"{path} at {width} px, Tab {step}: {f['what']}"
            if not (f["seen"] and f["inside"] and f["onTop"]):
                problems.append(f"{where} is not seen ({f})")
            if f["ring"] < 2 or f["contrast"] < 3:
                problems.append(f"{where}: focus ring {f['ring']} px at {f['contrast']:.2f}:1")
    page.close()
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_menu_opens_and_closes_from_the_keyboard(served, browser, edition):
    """At 390 px: the menu button is a named button; Enter opens the menu (its links in view,
    the page behind it out of reach), Escape closes it and gives the focus back."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{served}/{edition}report/policy.html")
    toggle = page.locator("button.nav-overlay-icon")
    name = toggle.get_attribute("aria-label")
    assert name and toggle.get_attribute("aria-expanded") == "false"
    assert page.locator(".sidebar-drawer").get_attribute("aria-label") == name
    assert page.locator(".toc-drawer").get_attribute("aria-label")
    toggle.focus()
    page.keyboard.press("Enter")
    page.evaluate(SETTLED)
    assert toggle.get_attribute("aria-expanded") == "true"
    inside = [walk(page, 1)[0] for _ in range(6)]
    assert all(f["seen"] and f["inside"] and f["onTop"] for f in inside), inside
    assert page.evaluate("document.activeElement.closest('.sidebar-drawer') !== null")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        language = "mn" if edition else "en"
        screenshot(page, f"menu-open-390-{scheme}-{language}.png")
    page.keyboard.press("Escape")
    page.evaluate(SETTLED)
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.matches('button.nav-overlay-icon')")
    page.close()


def test_a_value_note_is_reached_from_its_mark_and_back(served, browser):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{served}/tables/events.html")
    mark = page.locator("a.value-note-mark:visible").first  # a header's is hidden in cards
    mark.focus()
    page.keyboard.press("Enter")
    page.evaluate(SETTLED)
    note = page.locator(":target")
    assert note.evaluate("el => el.matches('ol.value-notes > li')")
    back = note.locator("a.value-note-back")
    back.focus()
    page.keyboard.press("Enter")
    page.evaluate(SETTLED)
    assert page.evaluate("location.hash") == f"#{mark.get_attribute('id')}"
    page.close()


# Every element a printed page shows that stays in place (fixed or sticky), and every table
# wider than the text, or scrolling inside its box.
PRINTED = """() => {
  const shown = el => el.getClientRects().length > 0;
  const fixed = [...document.querySelectorAll('body *')].filter(el => shown(el) &&
    ['fixed', 'sticky'].includes(getComputedStyle(el).position))
    .map(el => `${el.tagName.toLowerCase()}.${el.className}`);
  const text = document.querySelector('article').getBoundingClientRect();
  const cut = [...document.querySelectorAll('article table')].filter(shown).filter(t => {
    let box = t.parentElement;
    const scrolls = [t, box, box.parentElement].some(e => e.scrollWidth > e.clientWidth + 1);
    return scrolls || t.getBoundingClientRect().right > text.right + 1;
  }).map(t => t.closest('[aria-label]')?.getAttribute('aria-label') || t.className);
  return {fixed, cut, width: text.width};
}"""


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("path", ["report/policy.html", "tables/events.html"])
def test_a_printed_page_is_the_document_alone(served, browser, edition, path):
    """Printed on A4 (the width of its text, 718 px): nothing fixed or sticky (the skip link,
    the header), no menu, previous/next or footer, every table whole."""
    page = browser.new_page(viewport={"width": 718, "height": 1000})
    page.goto(f"{served}/{edition}{path}")
    page.emulate_media(media="print")
    found = page.evaluate(PRINTED)
    assert not found["fixed"] and not found["cut"], found
    hidden = ".skip-to-content, .mobile-header, .sidebar-drawer, .related-pages, .content > footer"
    shown = page.locator(hidden).evaluate_all("els => els.filter(e => e.getClientRects().length)")
    assert not shown, shown
    if path.startswith("report/"):
        name = f"print-{path.removesuffix('.html').replace('/', '-')}-{edition[:-1] or 'en'}.png"
        screenshot(page, name, full_page=True)
    page.close()


@pytest.mark.parametrize("edition, lang", [("", "en"), ("mn/", "mn")])
def test_each_edition_has_its_404_page_which_works_at_any_depth(served, browser, edition, lang):
    """The 404 page, served at a missing address deep in the site (as GitHub Pages does), in
    the edition's language, styled, with links to its home page and search and the other
    edition's, all absolute from the site's address."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    # The site's address (SITE_URL) is answered by the local server.
    local = page.context.request

    def from_local(route):
        route.fulfill(response=local.get(route.request.url.replace(SITE_URL, f"{served}/")))

    page.route(f"{SITE_URL}**", from_local)
    html = local.get(f"{served}/{edition}404.html").text()
    page.route(
        f"{served}/{edition}no/such/page.html",
        lambda route: route.fulfill(status=404, body=html, content_type="text/html"),
    )
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(r.url))
    page.goto(f"{served}/{edition}no/such/page.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    styled = "getComputedStyle(document.body).getPropertyValue('--color-brand-primary')"
    assert page.evaluate(styled), "the theme's stylesheet did not load"
    links = page.locator("article a[href]").evaluate_all("as => as.map(a => a.href)")
    own = f"{SITE_URL}{edition}"
    other = f"{SITE_URL}{'mn/' if not edition else ''}"
    for target in (f"{own}index.html", f"{own}search.html", f"{other}index.html"):
        assert target in links, (target, links)
    relative = re.findall(r'(?:href|src)="(?![#]|https?:)[^"]*"', html)
    assert not relative, relative
    assert not problems, problems
    screenshot(page, f"404-{lang}.png", full_page=True)
    page.close()
