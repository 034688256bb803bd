"""The site: one page per table, JSON-LD and citation from the metadata, escaped data, and pages
that rebuild when their data changes."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from civic_space import citation, i18n
from civic_space.checks._shared import rows_by_key
from civic_space.descriptor import load
from conftest import ROOT, Built, set_cell, shared
from sitebuild import COPIED, build, generated, site_copy


@pytest.fixture(scope="module")
def site(built_site):
    return built_site.en


def page(app, name: str) -> str:
    return (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")


def test_build_has_no_warnings(site):
    assert site.warning.getvalue().strip() == ""


def test_every_table_has_its_page(site):
    package = load(ROOT / "datapackage.json")
    for table in package.tables:
        html = page(site, f"tables/{table.name}")
        for field in table.field_names:
            assert f'<span class="pre">{field}</span>' in html, (table.name, field)
        assert "Cite this table" in html


def json_ld(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    return [json.loads(raw) for raw in found]


URL_KEYS = ("url", "@id", "contentUrl", "identifier", "license")


def urls_in(value) -> list[str]:
    """Every value of JSON-LD's URL properties, wherever it is."""
    if isinstance(value, dict):
        return [u for k, v in value.items() for u in ([v] if k in URL_KEYS else urls_in(v))]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v)]
    return []


def test_json_ld_describes_the_dataset_and_its_tables(built_site):
    """Both editions, the home page and a table page: every property Google's Dataset guidance
    recommends that the data can fill, from the descriptor and schemas; absolute URLs."""
    from sitebuild import SITE_URL

    package = load(ROOT / "datapackage.json")
    meta = package.descriptor
    fields = sum(len(t.fields) for t in package.tables)
    for app, lang in ((built_site.en, "en"), (built_site.mn, "mn")):
        base = SITE_URL + ("mn/" if lang == "mn" else "")
        (data,) = json_ld(page(app, "index"))
        assert data["@type"] == "Dataset" and data["version"] == meta["version"]
        assert data["name"] == (meta["title_mn"] if lang == "mn" else meta["title"])
        assert data["description"] == (
            meta["description_mn"] if lang == "mn" else meta["description"]
        )
        assert data["inLanguage"] == ["en", "mn"] and data["isAccessibleForFree"] is True
        assert data["creator"][0]["name"] == citation.authors(meta)[0]
        assert data["publisher"][0]["name"] == meta["contributors"][1]["title"]
        assert data["citation"] == [meta["sources"][0]["title"]]
        assert (data["url"], data["identifier"]) == (base, SITE_URL)
        assert "creativecommons.org/licenses/by/4.0" in data["license"]
        assert data["temporalCoverage"].startswith("20")
        assert len(data["variableMeasured"]) == fields
        sizes = {d["name"]: d["contentSize"] for d in data["distribution"]}
        assert all(sizes[f"{t.name}.csv"] == f"{t.path.stat().st_size} B" for t in package.tables)
        (table,) = json_ld(page(app, "tables/events"))
        assert table["isPartOf"]["url"] == base and table["url"] == base + "tables/events.html"
        names = {v["name"] for v in table["variableMeasured"]}
        assert names == {f"events.{n}" for n in package.table("events").field_names}
        own = [d["name"] for d in table["distribution"]]
        assert "events.csv" in own and all(n.startswith("events.") for n in own)
        for found in (data, table):
            urls = urls_in(found)
            assert urls and all(u.startswith("https://") for u in urls), urls
        assert json_ld(page(app, "report/workshops")) == []  # a chapter is not the dataset
        html_page = page(app, "tables/events")
        assert f'<link rel="canonical" href="{base}tables/events.html"' in html_page
        assert f'hreflang="mn" href="{SITE_URL}mn/tables/events.html"' in html_page
        assert f'property="og:url" content="{base}tables/events.html"' in html_page
        assert '<meta name="description"' in html_page and 'property="og:title"' in html_page


def test_the_cite_page_says_what_the_citation_points_to(site):
    """No DOI yet and no release (the test site is no git checkout): said plainly, and the
    citations carry the version's address instead of an organisation's homepage."""
    from sitebuild import SITE_URL

    cite = html.unescape(page(site, "cite"))
    assert "No DOI yet" in cite and "is not released yet" in cite
    assert f"[Data set]. {SITE_URL}" in cite and f"UR  - {SITE_URL}" in cite


def test_the_sitemap_lists_both_editions(site):
    from sitebuild import SITE_URL

    sitemap = (Path(site.outdir) / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}tables/events.html</loc>" in sitemap
    assert f"<loc>{SITE_URL}mn/report/workshops.html</loc>" in sitemap
    assert f'hreflang="mn" href="{SITE_URL}mn/index.html"' in sitemap
    assert re.findall(r"<loc>([^<]*)</loc>", sitemap) and all(
        u.startswith(SITE_URL) for u in re.findall(r"<loc>([^<]*)</loc>", sitemap)
    )


def test_without_an_address_the_site_says_what_it_leaves_out(changed):
    assert "SITE_URL is not set" in changed.status
    index = page(changed, "index")
    assert 'rel="canonical"' not in index and "hreflang=" not in index.split("language-switch")[0]
    assert not (Path(changed.outdir) / "sitemap.xml").exists()
    (data,) = json_ld(index)
    assert "url" not in data and data["distribution"][0]["contentUrl"].startswith("downloads/")


def test_every_page_shows_the_version(site):
    version = json.loads((ROOT / "datapackage.json").read_text())["version"]
    for html_file in Path(site.outdir).rglob("*.html"):
        if html_file.name not in {"genindex.html", "search.html"}:
            assert version in html_file.read_text(encoding="utf-8"), html_file.name


def test_citation_page_matches_the_metadata(site):
    meta = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    html = page(site, "cite")
    for text in (citation.apa(meta), f"ET  - {meta['version']}"):
        assert text.replace("&", "&amp;") in html.replace("&#64;", "@")


def test_downloads_page_lists_checksummed_files(site):
    html = page(site, "downloads")
    sums = (Path(site.outdir) / "downloads" / "SHA256SUMS").read_text().splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert digest in html and name in html


PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "myst": "```{warning}\nboom\n```",
    "role": ":math:`x^2` and {sub-ref}`today`",
    "html": '<img src=x onerror="alert(2)">',
}


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    """One build of a changed copy, read by several tests: hostile text in issue notes, a figure
    and a date changed, a report role naming a row that does not exist; then which pages a
    further change to the data would rebuild."""

    def build_changed() -> Built:
        docs = site_copy(tmp_path_factory.mktemp("changed"))
        descriptor = docs.parent / "datapackage.json"
        for number, payload in enumerate(PAYLOADS.values(), start=1):
            set_cell(descriptor, "issues", f"arvaikheer-0{number}", "note", payload)
        set_cell(descriptor, "metrics", "online-reach", "value", "4321")
        set_cell(descriptor, "events", "workshop-arvaikheer", "start_date", "2022-08-01")
        chapter = docs / "report" / "outreach.md"
        chapter.write_text(chapter.read_text() + "\n{datum}`metrics/no-such-figure/value`\n")
        app = build(docs)
        # Then change the data again: which pages would the next build redo?
        set_cell(descriptor, "themes", "land", "note", "changed")
        set_cell(descriptor, "metrics", "online-reach", "value", "4322")
        outdated = set(app.env.get_outdated_files(config_changed=False)[1])
        app.cleanup()
        return Built(Path(app.outdir), app.warning.getvalue(), outdated, app.status.getvalue())

    return shared(tmp_path_factory, "changed-site", build_changed)


def test_data_text_is_escaped(changed):
    html = page(changed, "tables/issues")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "```{warning}" in html and 'class="admonition warning"' not in html
    assert ":math:`x^2`" in html and "<math" not in html


def test_pages_rebuild_when_their_data_changes(changed):
    assert {"tables/themes", "tables/metrics", "report/outreach"} <= changed.outdated
    assert "tables/demands" not in changed.outdated


# ---- the report ------------------------------------------------------------------------------

CHAPTERS = ["background", "workshops", "communities", "outreach", "policy"]


def report_html(app) -> str:
    return "".join(page(app, f"report/{c}") for c in CHAPTERS)


def escaped(text: str) -> str:
    return html.escape(text, quote=False)


def test_every_issue_and_demand_is_in_the_report(site):
    from civic_space.formatting import read_rows

    text = report_html(site)  # smartquotes is off: quotes must be the data's own characters
    package = load(ROOT / "datapackage.json")
    for name in ("issues", "demands"):
        header, rows = read_rows(package.table(name))
        for row in rows:
            quote = escaped(row[header.index("text")])
            assert quote in text, (name, quote)


def test_report_figures_have_alt_text_caption_and_data(site):
    figures = {"workshops": 1, "communities": 1, "outreach": 1, "policy": 1}
    for chapter, expected in figures.items():
        html = page(site, f"report/{chapter}")
        svgs = re.findall(r'<svg [^>]*class="chart"[^>]*>(.*?)</svg>', html, flags=re.S)
        assert len(svgs) == expected, chapter
        for svg in svgs:
            assert re.search(r"<title[^>]*>[^<]{10,}</title>", svg), chapter
            assert re.search(r"<desc[^>]*>[^<]{20,}</desc>", svg), chapter
        assert html.count('class="caption-text"') >= expected
        assert html.count("<summary>The data of the figure") == expected  # folded: <details>


def test_the_map_places_every_workshop_site(site):
    html = page(site, "report/workshops")
    svg = re.search(r"<svg [^>]*class=\"chart\".*?</svg>", html, flags=re.S).group(0)
    for place in ("Arvaikheer", "Choibalsan", "Bayandun", "Dariganga"):
        assert f">{place}</text>" in svg


def test_change_the_data_and_the_report_follows(site, changed):
    assert "3,281" in page(site, "report/outreach")
    assert "2–3 August 2022" in page(site, "report/workshops")
    outreach, workshops = page(changed, "report/outreach"), page(changed, "report/workshops")
    assert "4,321" in outreach and "3,281" not in outreach
    assert "1–3 August 2022" in workshops and "2–3 August 2022" not in workshops
    assert "1 August 2022" in workshops  # the table's first day: the stored date, no count of days
    # The old figure is gone from every page: no prose restates it (see restated_figure). Only
    # the errata's quotes of the report's own words may hold it.
    from civic_space.formatting import read_rows

    header, rows = read_rows(load(ROOT / "datapackage.json").table("errata"))
    quotes = [escaped(r[header.index("as_given")]) for r in rows]
    for path in Path(changed.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for quote in quotes:
            text = text.replace(quote, "")
        at = max(text.find("3,281"), text.find("3281"))
        assert at < 0, (path.name, text[at - 300 : at + 50])


def test_a_wrong_name_in_a_report_role_fails_the_build(changed):
    assert "metrics has no row 'no-such-figure'" in changed.warnings


def test_big_tables_are_previewed_not_rendered(tmp_path, monkeypatch):
    """With more rows than a page shows, pages show a preview and a count, never every row.
    The report's and the table pages' limits are lowered rather than thousands of rows built:
    the cut is the same code at any size."""
    import package_summary
    import report_directives
    import report_figures

    from civic_space.synthetic import write

    for module in (report_directives, report_figures):
        monkeypatch.setattr(module, "REPORT_ROWS", 40)
    monkeypatch.setattr(package_summary, "PREVIEW_ROWS", 100)
    descriptor = write(tmp_path / "big", 150, ROOT / "datapackage.json")
    for name in COPIED[1:]:
        shutil.copy(ROOT / name, descriptor.parent / name)
    shutil.copytree(ROOT / "docs", descriptor.parent / "docs", ignore=generated)
    app = build(descriptor.parent / "docs")
    events = page(app, "tables/events")
    assert "The first 100 of 180 rows" in events
    data_table = events.split("The first 100 of")[1]
    assert data_table.count("<tr") <= 101  # the header row and the preview
    communities = page(app, "report/communities")
    assert "… and more: the issues table" in communities  # cut, with a pointer to the data
    for name in ("background", "workshops", "communities", "outreach", "policy"):
        html = page(app, f"report/{name}")
        for chunk in html.split("<table")[1:]:  # tables, figures' data included, are capped
            rows = chunk.split("</table>")[0].count("<tr")
            assert rows <= report_directives.REPORT_ROWS + 2, name
    assert "… and more: the events table" in page(app, "report/policy")  # the timeline's too
    assert app.warning.getvalue().strip() == ""
    app.cleanup()


@pytest.fixture(scope="module")
def mongolian(built_site):
    return built_site.mn


def test_mongolian_edition_shows_the_mongolian_values(mongolian):
    assert mongolian.warning.getvalue().strip() == ""
    workshops = page(mongolian, "report/workshops")
    assert '<html class="no-js" lang="mn"' in workshops
    package = load(ROOT / "datapackage.json")
    for place in ("bayandun", "dariganga"):  # place names come from their Mongolian twins
        assert rows_by_key(package, "places")[place]["name_mn"] in workshops
    # A chart's title and alt text come from the page's catalogue, like its caption.
    title = re.search(r"<svg[^>]*><title[^>]*>([^<]*)", workshops).group(1)
    assert re.search("[\\u0400-\\u04ff]", title), title
    communities = page(mongolian, "report/communities")
    for issue in rows_by_key(package, "issues").values():
        assert html.escape(issue["text_mn"], quote=False) in communities
    events = page(mongolian, "tables/events")
    assert "Эхэлсэн огноо" in events  # field titles from the catalogue
    # A coded value by its label, the code kept in data-code (not a tooltip in English);
    # labels in the rules too.
    i18n.use("mn")
    label = i18n.value_label("kind", "training-workshop")
    i18n.use("en")
    assert f'data-code="training-workshop">{label}</span>' in events
    code = '<span class="pre">training-workshop</span></code>'
    assert f"{code} ({label})" in events
    # As read: Latin words inside the Mongolian are marked lang="en" (edition.Translator).
    background = html.unescape(re.sub(r"<[^>]+>", "", page(mongolian, "report/background")))
    for erratum in rows_by_key(package, "errata").values():  # the explanations' twins
        assert erratum["explanation_mn"] in background
    # Headers a page writes for its report table come from the page's catalogue.
    assert "Эхний өдөр" in workshops and "First day" not in workshops
    cite = page(mongolian, "cite")
    assert package.descriptor["title_mn"] in cite
    # The theme's words come from our sphinx.po, the search script's from sphinx.js.
    assert "Дээш буцах" in cite and "Back to top" not in cite
    script = (mongolian.outdir / "_static" / "translations.js").read_text(encoding="utf-8")
    assert "Хайлтын үр дүн" in script  # noqa: RUF001 (Mongolian, in Cyrillic)


def test_mongolian_edition_marks_what_is_still_english(mongolian):
    events = page(mongolian, "tables/events")
    # Field descriptions have no translation: shown in English, marked and tagged.
    assert '<span class="untranslated" lang="en">Identifier of the event' in events
    background = page(mongolian, "report/background")
    for chapter in CHAPTERS:  # every paragraph of the report has its translation
        assert '<p class="untranslated"' not in page(mongolian, f"report/{chapter}"), chapter
    switch = re.search(r'<nav class="language-switch".*?</nav>', background, re.S).group(0)
    assert 'href="../../report/background.html" hreflang="en"' in switch


def test_page_catalogues_are_up_to_date(tmp_path):
    from civic_space.catalogues import update_pages
    from civic_space.theme_catalogue import update_theme

    app = SphinxTestApp("gettext", srcdir=site_copy(tmp_path), builddir=tmp_path / "b")
    app.build()
    stale, _untranslated = update_pages(Path(app.outdir), ROOT / "docs" / "locales", check=True)
    app.cleanup()
    more, _untranslated = update_theme(ROOT / "docs" / "locales", check=True)
    assert not stale + more, "the site's catalogues are out of date — run: nox -s translations"


def test_values_not_stated_in_their_source_are_marked(site):
    """Each annotation on a table puts a numbered mark on the value (or, for every row, on the
    field's header): a link to its note under the table, which gives the reason and links
    back to the mark (a footnote that the keyboard reaches, not a tooltip)."""
    from civic_space.formatting import read_rows
    from civic_space.meanings import ANNOTATIONS
    from civic_space.meanings import DESCRIPTOR as DESCRIPTOR_TABLE

    package = load(ROOT / "datapackage.json")
    header, rows = read_rows(package.table(ANNOTATIONS.table))
    names = (ANNOTATIONS.resource, ANNOTATIONS.reason)
    at = {n: header.index(n) for n in names}
    assert rows, "no annotations to check"
    for row in rows:
        reason = row[at[ANNOTATIONS.reason]]
        if row[at[ANNOTATIONS.resource]] == DESCRIPTOR_TABLE:  # the metadata: on the dictionary
            text = page(site, "dictionary")
            assert reason in html.unescape(text.split("value-notes")[1]), row
            continue
        text = page(site, f"tables/{row[at[ANNOTATIONS.resource]]}")
        assert "value-notes" in text, row  # the numbered notes under the table
        assert reason in html.unescape(text.split("value-notes")[1]), row
        marks = re.findall(r'<a class="value-note-mark[^"]*" href="#([^"]+)" id="([^"]+)"', text)
        notes = dict(re.findall(r'<li id="([^"]+)">(.*?)</li>', text, re.S))
        assert marks and not {note for note, _mark in marks} - set(notes), row
        assert all(f'href="#{mark}"' in notes[note] for note, mark in marks), row
        assert any(reason in html.unescape(notes[note]) for note, _mark in marks), row


def test_a_figure_is_given_with_its_qualifier(site):
    """{figure} reads the qualifier from metrics: a figure the data says is a floor is
    written "at least …" on the page, never as an exact count."""
    from report_format import number, qualified

    package = load(ROOT / "datapackage.json")
    row = rows_by_key(package, "metrics")["in-person-workshops-participants"]
    assert row["qualifier"] != "exact"  # else this test proves nothing
    said = qualified(number(int(row["value"])), row["qualifier"])
    assert said != row["value"] and said in page(site, "report/workshops")


def test_every_row_has_an_anchor_and_keys_link_to_it(built_site):
    """Both editions: each row of each table page has its anchor; each single-field foreign key's
    value links to the anchor of the row it names, which exists on that page; each https value
    is a link that does not hand the site to the page it opens."""
    from table_rows import row_id, row_key

    package = load(ROOT / "datapackage.json")
    rows = {}
    for tab in package.tables:
        with tab.path.open(encoding="utf-8", newline="") as file:
            rows[tab.name] = list(csv.DictReader(file))
    for app in (built_site.en, built_site.mn):
        ids = {}
        for tab in package.tables:
            text = page(app, f"tables/{tab.name}")
            ids[tab.name] = set(re.findall(r'<tr[^>]* id="([^"]+)"', text))
            for row in rows[tab.name]:
                key = row_key(tab.field_names, [row[n] for n in tab.field_names], tab.primary_key)
                assert row_id(key) in ids[tab.name], (app.outdir, tab.name, key)
        for tab in package.tables:
            text = page(app, f"tables/{tab.name}")
            for target, anchor in re.findall(r'href="([a-z_]*)(?:\.html)?#(row-[^"]+)"', text):
                assert anchor in ids[target or tab.name], (tab.name, target, anchor)
            for fk in tab.schema.get("foreignKeys", []):
                ref = fk["reference"]["resource"]  # "" for a row of the same table
                if len(fk["fields"]) == 1 and any(r[fk["fields"][0]] for r in rows[tab.name]):
                    assert f'href="{ref and ref + ".html"}#row-' in text, (tab.name, fk["fields"])
            for cell in re.findall(r"<td.*?</td>", text, re.S):  # the theme's own links aside
                for link in re.findall(r'<a [^>]*href="https://[^>]*>', cell):
                    assert 'rel="noopener' in link, link


def shown_values(text: str) -> list[str]:
    """What a report page shows as values: its report tables' cells, its charts' texts and
    tooltips, and their data tables' cells."""
    found = []
    for region in re.findall(r'class="[^"]*report-(?:data|rows)[^"]*".*?</table>', text, re.S):
        found += re.findall(r"<td[^>]*>(.*?)</td>", region, re.S)
    for svg in re.findall(r"<svg.*?</svg>", text, re.S):
        found += re.findall(r"<(?:text|title)[^>]*>([^<]*)<", svg)
    for figure in re.findall(r"<figure.*?</figure>", text, re.S):
        found += re.findall(r"<td[^>]*>(.*?)</td>", figure, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


def test_report_tables_and_charts_show_labels_not_codes(built_site):
    """Both editions: no coded value of the schemas (an enum's, true/false) that has a label
    in the edition is shown as its bare code in a report table, a chart or its data."""
    package = load(ROOT / "datapackage.json")
    for language in ("en", "mn"):
        i18n.use(language)
        codes = {
            value
            for table in package.tables
            for field in table.fields
            for value in i18n.coded_values(field)
            if (i18n.value_label(field["name"], value) or value) != value
        }
        i18n.use("en")
        assert {"draft-law", "in-force", "true", "facebook-page", "reach"} <= codes, language
        app = getattr(built_site, language)
        seen = 0
        for chapter in CHAPTERS:
            values = shown_values(page(app, f"report/{chapter}"))
            seen += len(values)
            bare = sorted({v for v in values if v in codes})
            assert not bare, (language, chapter, bare)
        assert seen > 100, (language, seen)  # the pages' tables and charts were found
