"""One term per concept in Mongolian: the glossary check refuses an avoided variant, in any
inflection, case or spacing, in a data cell (both engines) and in a catalogue entry; it accepts
the glossary's own term; and the real package, descriptor and catalogues pass it."""

from __future__ import annotations

import argparse
import re
import tempfile
from functools import cache
from pathlib import Path

import duckdb
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from civic_space import glossary
from civic_space.catalogues import render
from civic_space.commands import glossary_used
from civic_space.descriptor import load
from civic_space.sql import lit
from civic_space.validate import validate
from conftest import DESCRIPTOR, ROOT, set_cell

PACKAGE = load(DESCRIPTOR)
TERMS = glossary.load_terms(PACKAGE)
LOCALES = ROOT / "docs" / "locales"
PAIRS = [(t, v) for t in TERMS for v in t.avoid]
# Endings Mongolian puts on a stem (cases, plurals, the reflexive), and what may stand around it.
ENDINGS = ["", "ын", "ийн", "ыг", "ийг", "ээр", "д", "т", "ууд", "үүд", "тай"]
ENDINGS += ["аар", "аас", "аа"]  # noqa: RUF001 (Mongolian, in Cyrillic)
SPACES = [" ", "\u00a0", "  ", "\u202f"]
CON = duckdb.connect()


def glossary_codes(descriptor) -> dict[tuple[str, int], str]:
    found = validate(descriptor)
    return {
        (p.path.rsplit("/", 1)[1], p.line): p.message for p in found if p.code == "glossary-term"
    }


def spaced(variant: str, space: str) -> str:
    return space.join(variant.split())


def test_the_glossary_has_variants_to_refuse():
    assert len(TERMS) >= 30 and len(PAIRS) >= 25
    assert all(t.mongolian for t in TERMS)


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_the_real_package_uses_the_glossary(engine):
    found = [p for p in validate(DESCRIPTOR, engine=engine) if p.code == "glossary-term"]
    assert found == []


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_a_planted_inflected_variant_is_refused_and_the_term_accepted(package_copy, engine):
    # "the State policy's working group" with the avoided "төрийн бодлого", inflected
    bad = "Иргэний нийгмийн байгууллагын талаарх Төрийн бодлогын ажлын хэсэг"
    line = set_cell(
        package_copy, "organisations", "csos-state-policy-working-group", "name_mn", bad
    )
    problems = [p for p in validate(package_copy, engine=engine) if p.code == "glossary-term"]
    assert [(p.line, p.field) for p in problems] == [(line, "name_mn")]
    assert "Төрийн бодлогын" in problems[0].message
    assert "төрөөс баримтлах бодлого" in problems[0].fix
    assert "state-policy-csos" in problems[0].fix
    good = "Иргэний нийгмийн байгууллагын талаар төрөөс баримтлах бодлогын ажлын хэсэг"
    set_cell(package_copy, "organisations", "csos-state-policy-working-group", "name_mn", good)
    assert [p for p in validate(package_copy, engine=engine) if p.code == "glossary-term"] == []


def test_a_variant_added_to_the_glossary_is_refused_where_the_data_uses_it(package_copy):
    """The glossary is data: a new avoided variant reaches every twin that uses it."""
    line = set_cell(package_copy, "glossary", "online", "avoid_mn", "онлайн|цахим хуудас")
    found = glossary_codes(package_copy)
    assert ("glossary.csv", line) not in found  # its own term "цахим" is not the variant
    assert len(found) >= 3, found  # the events that write "цахим хуудас"
    assert all("цахим хуудас" in message.casefold() for message in found.values())


@settings(max_examples=300, deadline=None)
@given(
    pair=st.sampled_from(PAIRS),
    ending=st.sampled_from(ENDINGS),
    space=st.sampled_from(SPACES),
    case=st.sampled_from([str, str.upper, str.capitalize]),
    before=st.sampled_from(["", "Тайланд ", "(", "«"]),
    after=st.sampled_from(["", " юм.", ")", "»,"]),
)
def test_every_variant_is_refused_in_any_inflection(pair, ending, space, case, before, after):
    term, variant = pair
    text = before + case(spaced(variant, space) + ending) + after
    found = list(glossary.offences(text, TERMS))
    assert any(t.term_id == term.term_id for t, _v, _w in found), text
    # the fast engine's pre-filter finds every text the rule flags
    pattern = glossary.candidates(TERMS)
    assert CON.execute(f"SELECT regexp_matches({lit(text)}, {lit(pattern)})").fetchone()[0]


@settings(max_examples=200, deadline=None)
@given(term=st.sampled_from(TERMS), ending=st.sampled_from(ENDINGS), space=st.sampled_from(SPACES))
def test_every_term_is_accepted_in_any_inflection(term, ending, space):
    text = f"Тайланд {spaced(term.mongolian, space)}{ending} гэж бичжээ."
    assert glossary.note_for(text, TERMS) is None, text


def test_a_variant_is_found_at_a_word_start_only():
    # "онлайн" inside another word is not the variant; "эрх, хөгжлийн төв" inside the
    # avoided name is, though the word before it differs
    assert glossary.note_for("Монголонлайн", TERMS) is None
    assert "chrd" in (glossary.note_for("Хүний эрх, хөгжлийн төвөөс", TERMS) or "")


def test_a_variant_that_contains_the_term_is_still_refused():
    """The term's own words excuse a variant only when the variant lies inside the term."""
    assert glossary.note_for("Нийтийн сонсголын тухай хуулийн 5 дугаар зүйл", TERMS) is None
    assert "law-on-public-hearing" in glossary.note_for("Олон нийтийн сонсголын тухай хууль", TERMS)


def catalogue(tmp_path, entries: list[tuple[str, str]]):
    folder = tmp_path / "mn" / "LC_MESSAGES" / "report"
    folder.mkdir(parents=True)
    book = Catalog(locale="mn")
    for msgid, msgstr in entries:
        book.add(msgid, msgstr)
    path = folder / "page.po"
    path.write_bytes(render(book))
    return path


def test_a_catalogue_entry_with_a_variant_is_refused(tmp_path):
    path = catalogue(
        tmp_path,
        [
            ("The online trainings.", "Онлайн сургалтуудын тухай."),  # inflected, capitalised
            ("The in-person trainings.", "Танхимын сургалтууд."),  # the term: accepted
            ("withdrawn", "эгүүлэн татсан"),  # a variant, and the term's own code
            ("training-workshop", "сургалт"),  # no variant, but not the term either
        ],
    )
    problems = glossary.catalogue_problems([path], TERMS)
    text = path.read_text(encoding="utf-8")
    lines = {n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("msgid")}
    assert {int(p.where.rsplit(":", 1)[1]) for p in problems} <= lines
    notes = sorted(p.note for p in problems)
    assert len(notes) == 3, notes
    assert any("“Онлайн”" in n and "“цахим”" in n for n in notes), notes
    assert any("“эгүүлэн татсан”" in n and "“татан авсан”" in n for n in notes), notes
    assert any("“training-workshop”" in n and "“сургалт-семинар”" in n for n in notes), notes


def test_translations_exits_1_on_a_catalogue_variant(tmp_path, capsys):
    catalogue(tmp_path, [("The policy.", "Иргэний нийгмийн байгууллагын талаарх төрийн бодлого")])
    args = argparse.Namespace(descriptor=DESCRIPTOR, locales=tmp_path)
    assert glossary_used(args) == 1
    out = capsys.readouterr().out
    assert re.search(r"page\.po:\d+: msgstr: uses “төрийн бодлого”", out), out


def test_the_real_catalogues_and_descriptor_use_the_glossary():
    paths = glossary.catalogues(LOCALES, "mn")
    assert len(paths) > 20  # the pages' catalogues and the tools' own
    problems = glossary.catalogue_problems(paths, TERMS)
    problems += glossary.descriptor_problems(PACKAGE, TERMS)
    assert [str(p) for p in problems] == []


def test_a_descriptor_variant_is_refused(package_copy):
    text = package_copy.read_text(encoding="utf-8")
    package_copy.write_text(text.replace("цахим түгээлт", "онлайн түгээлт", 1), encoding="utf-8")
    problems = glossary.descriptor_problems(load(package_copy), TERMS)
    assert [(p.what, "online" in p.note) for p in problems] == [("description_mn", True)]


def test_a_stem_finds_the_forms_that_drop_a_vowel():
    """Mongolian drops a word's last vowel before some endings (бүлэг, бүлгийн): a variant is
    written without it, and finds both."""
    for text in ("ажлын бүлэг", "Ажлын бүлгийн гишүүд", "ажлын бүлгүүд"):
        assert "working-group" in (glossary.note_for(text, TERMS) or ""), text


@cache
def real_entries() -> list[tuple[str, str, str]]:
    """(msgctxt, msgid, msgstr) of every translated singular entry of the real catalogues."""
    found = []
    for path in glossary.catalogues(LOCALES, "mn"):
        with path.open("rb") as file:
            found += [
                (m.context or "", m.id, m.string)
                for m in read_po(file)
                if m.id and isinstance(m.id, str) and m.string
            ]
    return found


def planted(entry: tuple[str, str, str], change) -> list[glossary.Problem]:
    """The glossary's verdict on a real catalogue entry, changed, in a catalogue of its own:
    the problems reported at that entry's line."""
    context, msgid, text = entry
    book = Catalog(locale="mn")
    book.add(msgid, change(text), context=context or None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.po"
        path.write_bytes(render(book))
        with path.open("rb") as file:
            line = read_po(file).get(msgid, context or None).lineno
        return [
            p for p in glossary.catalogue_problems([path], TERMS) if p.where.endswith(f":{line}")
        ]


@settings(max_examples=120, deadline=None)
@given(data=st.data(), pair=st.sampled_from(PAIRS), ending=st.sampled_from(ENDINGS))
def test_a_variant_planted_in_any_real_catalogue_entry_is_refused_there(data, pair, ending):
    """Any entry of any real catalogue (page or message) that takes up an avoided variant is
    refused at its own line, naming the variant's concept."""
    term, variant = pair
    entry = data.draw(st.sampled_from(real_entries()))
    problems = planted(entry, lambda text: f"{variant}{ending}. {text}")
    assert any(f"(glossary: {term.term_id})" in p.note for p in problems), (entry[1], variant)


NAMED = [
    (entry, term)
    for entry in real_entries()
    for term in TERMS
    if entry[1].casefold() in {term.english.casefold(), term.term_id.casefold()}
]


def test_a_code_or_title_the_glossary_names_is_refused_in_another_concepts_word():
    """The translation of a term's own English or code (`venue`, `Site`, `Annotation`) that
    uses another concept's word instead (“байршил”, the site, for the venue) is refused."""
    assert {t.term_id for _e, t in NAMED} >= {"venue", "site", "place", "annotation", "text"}
    for entry, term in NAMED:
        other = next(t for t in TERMS if t.own and not t.own.search(term.mongolian))
        problems = planted(entry, lambda _text, word=other.mongolian: word)
        assert any(term.mongolian in p.note for p in problems), (entry[1], other.mongolian)


def test_a_variant_inside_another_concepts_term_is_that_concept():
    """The bare “семинар” is avoided (the in-person training-workshops are “сургалт-семинар”),
    but not inside the strategy workshop's own term."""
    for text in ("Танхимын семинарт", "Семинаруудын", "танхимын семинарууд"):
        assert "training-workshop" in (glossary.note_for(text, TERMS) or ""), text
    for text in ("дөрвөн стратегийн семинар", "Стратегийн семинаруудын", "сургалт-семинарт"):
        assert glossary.note_for(text, TERMS) is None, text
