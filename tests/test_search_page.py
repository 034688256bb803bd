"""The search page in a real browser, in both editions: a Mongolian word's inflected form finds
what the word finds, the page's stemmer reduces words as the index's did, the result count
shows with no script error, and the page has a heading and a search box at phone width."""

from __future__ import annotations

import json
import re

import pytest

from conftest import SHOTS, npm_package
from test_a11y import AXE_RUN, AXE_VERSION, CONFIGS, SETTLED
from test_search_mn import PAIRS, mongolian_words

EDITIONS = ["", "mn/"]  # English at the root, Mongolian under mn/
# Pairs whose word is on the pages of both editions (place names are in the English tables).
SEARCHED = [("Баяндун", "Баяндунд"), ("Арвайхээр", "Арвайхээрт"), ("Дарьганга", "Дарьгангад")]
MONGOLIAN_ONLY = [("тэтгэвэр", "тэтгэврийн"), ("хууль", "хуулийн")]


def watched(browser, **options):
    """A page whose script errors and console errors are collected in page.problems."""
    page = browser.new_page(**options)
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    return page


def search(page, url: str, query: str) -> tuple[set[str], str]:
    """The pages a search finds, and the summary it ends with (its count)."""
    page.goto(f"{url}search.html?q={query}")
    summary = page.locator("#search-results .search-summary")
    page.wait_for_function(
        "document.querySelector('#search-results .search-summary')?.innerText.trim()",
        timeout=20_000,
    )
    links = page.locator("ul.search li a").evaluate_all("as => as.map(a => a.pathname)")
    return set(links), summary.inner_text()


@pytest.mark.parametrize("edition", EDITIONS)
def test_an_inflected_form_finds_what_its_word_finds(served, browser, edition):
    page = watched(browser)
    pairs = SEARCHED + (MONGOLIAN_ONLY if edition else [])
    for word, form in pairs:
        found, summary = search(page, f"{served}/{edition}", word)
        by_form, form_summary = search(page, f"{served}/{edition}", form)
        assert found, (word, summary)
        assert by_form >= found, (word, form, sorted(found - by_form))
        for text in (summary, form_summary):
            assert re.search(r"\d|one|нэг", text), text  # the count, not the empty message
    assert not page.problems
    page.close()


def test_the_page_stems_as_the_index_did(served, browser):
    """The query's stemmer (JavaScript) and the index's (Python) give every word of our data
    the same stem, in both editions; Sphinx's plural rule gives an index into every plural
    message."""
    from search_mn import stem

    words = sorted(mongolian_words() | {w for pair in PAIRS for w in pair})
    for edition in EDITIONS:
        page = watched(browser)
        page.goto(f"{served}/{edition}search.html")
        stems = page.evaluate(
            "words => { const s = new Stemmer(); return words.map(w => s.stemWord(w)); }", words
        )
        differ = [(w, s, stem(w)) for w, s in zip(words, stems, strict=True) if s != stem(w)]
        assert not differ, differ[:10]
        bad = page.evaluate(
            """() => {
              const bad = [];
              for (const [id, forms] of Object.entries(Documentation.TRANSLATIONS))
                for (let n = 0; n < 1000 && Array.isArray(forms); n++) {
                  const i = Documentation.PLURAL_EXPR(n);
                  if (!Number.isInteger(i) || forms[i] === undefined) bad.push([id, n, i]);
                }
              return bad.slice(0, 5);
            }"""
        )
        assert not bad, (edition, bad)
        assert not page.problems
        page.close()


def test_the_index_is_built_in_the_editions_language(built_site):
    """The Mongolian index holds stems: one entry for тэтгэвэр and its forms."""
    text = (built_site.mn.outdir / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))["terms"]
    assert "тэтгэвр" in terms and not {"тэтгэвэр", "тэтгэврийн", "тэтгэврийг"} & set(terms)


@pytest.fixture(scope="session")
def axe_script() -> str:
    return (npm_package("axe-core", AXE_VERSION) / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_search_page_has_a_heading_and_a_box_on_a_phone(served, browser, axe_script, edition):
    """At 390 px, where the menu (and the sidebar's box) is closed: the page's own heading
    and box show, in the edition's language, and the box searches; with its results, at
    each width and scheme, axe finds nothing serious."""
    page = watched(browser, viewport={"width": 390, "height": 844})
    page.goto(f"{served}/{edition}search.html")
    heading = page.locator("main h1, article h1").first
    box = page.locator("form.search-page-form input[name=q]")
    assert heading.is_visible() and box.is_visible()
    assert box.bounding_box()["width"] >= 200
    if edition:
        assert not re.search("[A-Za-z]", heading.inner_text()), heading.inner_text()
    box.fill("тэтгэврийн" if edition else "Баяндунд")
    box.press("Enter")
    page.locator("ul.search li a").first.wait_for(timeout=20_000)
    name = "mn" if edition else "en"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(SHOTS / f"search-{name}-390-{scheme}.png"), full_page=True)
    page.add_script_tag(content=axe_script)
    for width, scheme, rules in CONFIGS:
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        page.evaluate(SETTLED)
        page.problems += [f"{width} px, {scheme}: {v}" for v in page.evaluate(AXE_RUN, rules)]
    assert not page.problems
    page.close()
