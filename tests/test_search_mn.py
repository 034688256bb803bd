"""The search's Mongolian stemmer (docs/_ext/search_mn.py): the forms of a word in our own data
reduce to one stem, and no word shrinks to nothing. (The same words through the page's own
stemmer, in the browser: test_search_page.py.)"""

from __future__ import annotations

import csv
import functools
import re

from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st
from search_mn import MIN_STEM, SUFFIXES, SearchMongolian, normalise, stem
from sphinx.search.en import SearchEnglish

from conftest import ROOT

# A word and its inflected forms, each as our data or the site's Mongolian pages write it:
# case and plural endings, and stems whose last vowel drops before an ending.
PAIRS = [
    ("тэтгэвэр", "тэтгэврийн"),  # genitive, the vowel drops
    ("тэтгэвэр", "тэтгэврийг"),  # accusative
    ("Баяндун", "Баяндунд"),  # dative of a place name
    ("Чойбалсан", "Чойбалсанд"),
    ("Арвайхээр", "Арвайхээрт"),  # dative -т
    ("Дарьганга", "Дарьгангад"),
    ("Монгол", "Монголын"),
    ("Монгол", "Монголд"),
    ("хууль", "хуулийн"),  # the soft sign goes before an ending
    ("хууль", "хуультай"),  # comitative
    ("хөдөлмөр", "хөдөлмөрийг"),
    ("эмэгтэй", "эмэгтэйчүүдийн"),  # plural and genitive
    ("семинар", "семинаруудын"),
    ("хүснэгт", "хүснэгтүүдээс"),  # plural and ablative
    ("байгууллага", "байгууллагуудыг"),
    ("аймаг", "аймгийн"),
    ("бүлэг", "бүлгүүдийн"),
    ("асуудал", "асуудлаар"),  # instrumental
    ("байршил", "байршлаас"),
    ("төсөл", "төслүүдтэй"),
    ("хөгжил", "хөгжлийн"),
    ("өгөгдөл", "өгөгдлөөс"),
    ("сүлжээ", "сүлжээгээр"),  # the г of a long vowel
    ("тайлан", "тайлангийн"),
    ("иргэн", "иргэдийн"),  # the plural -д of a stem in н
    ("бичиг", "бичгээс"),
    ("орчин", "орчны"),
]
# Words of our data that look like another's form but are words of their own.
OWN_WORDS = {("гэрээ", "гэрээт"), ("хамгаалал", "хамгаалалт")}


@functools.cache
def mongolian_words() -> frozenset[str]:
    """Every Cyrillic word of the data's Mongolian columns and the site's Mongolian pages."""
    texts = []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                texts += [value for name, value in row.items() if name.endswith("_mn")]
    for path in sorted((ROOT / "docs" / "locales" / "mn").rglob("*.po")):
        with path.open("rb") as file:
            for message in read_po(file):
                strings = message.string if isinstance(message.string, tuple) else [message.string]
                texts += [s for s in strings if s]
    return frozenset(w.lower() for text in texts for w in re.findall("[\u0400-\u04ff]+", text))


def test_the_pairs_are_our_datas_words():
    missing = {w for pair in PAIRS for w in pair if w.lower() not in mongolian_words()}
    assert not missing


def test_a_words_forms_share_its_stem():
    split = {(a, b): (stem(a), stem(b)) for a, b in PAIRS if stem(a) != stem(b)}
    assert not split


def test_every_ending_our_data_puts_on_a_word_comes_off():
    """Any word of our data that is another plus an ending: both have one stem (words too
    short to lose an ending, MIN_STEM, aside)."""
    words = mongolian_words()
    split = [
        (word, word + ending)
        for word in sorted(words)
        if len(word) > MIN_STEM
        for ending in SUFFIXES
        if word + ending in words
        and (word, word + ending) not in OWN_WORDS
        and stem(word) != stem(word + ending)
    ]
    assert not split


def test_the_stems_keep_words_apart():
    """Stemming joins forms, not the vocabulary: our data's words keep most of their
    distinctions (a stemmer that cut everything to a few letters would fail this)."""
    words = mongolian_words()
    assert len({stem(w) for w in words}) > 0.5 * len(words)


cyrillic = st.text(st.characters(min_codepoint=0x400, max_codepoint=0x4FF), min_size=1)


@given(cyrillic)
def test_no_word_shrinks_to_nothing(word):
    """Only letters come off, from the end or a stem's last syllable, and a word keeps at
    least MIN_STEM of them (a shorter word keeps all)."""
    word = normalise(word)
    result = stem(word)
    assert len(result) >= min(len(word), MIN_STEM)
    letters = iter(word)
    assert all(c in letters for c in result)  # a subsequence: nothing added or reordered


@given(st.sampled_from(sorted(PAIRS)), st.sampled_from(["upper", "title", "lower"]))
def test_case_and_typing_do_not_matter(pair, case):
    """Upper or lower case, й typed as и and a breve, Ө and Ү typed as є and ї: one stem."""
    base, form = pair
    typed = getattr(form, case)().replace("й", "и\u0306").replace("ө", "є").replace("ү", "ї")
    assert stem(typed) == stem(base)


def test_english_words_stem_as_in_english():
    """Both editions' search: Latin words as Sphinx's English search stems them."""
    english, both = SearchEnglish({}), SearchMongolian({})
    for word in ("workshops", "Pensions", "disseminated", "CIVICUS"):
        assert both.stem(word) == english.stem(word)
    assert both.split("тэтгэврии\u0306н pensions") == ["тэтгэврийн", "pensions"]
