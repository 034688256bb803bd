"""Sphinx extension: Mongolian as a search language, so the Mongolian edition's index is built
and queried in Mongolian (Sphinx ships none, and falls back to English), and Mongolian words in
the English edition too.

A light stemmer: a word is normalised, its case, plural and reflexive endings are taken off
(longest first, a few times over, since they stack: эмэгтэй-чүүд-ийн), and the stem is put in a
normal form in which a fleeting vowel is dropped, so that тэтгэвэр and тэтгэврийн, хүүхэд and
хүүхдийн, ажил and ажлын end as one stem. It does not know the language's words, so it
over-joins a little (more results) rather than split a word's forms (none).

The rules are defined once, here: the query's stemmer (search_mn.js) is given them as data
(RULES) and mirrors `stem` step by step; the browser test runs both on our data's words.
Both editions search this way: words with Cyrillic by these rules, the others as Sphinx's
English search does them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from sphinx import package_dir
from sphinx.search import SearchLanguage
from sphinx.search.en import SearchEnglish

VOWELS = "аэиоуөүыеёюя"
SHORT_VOWELS = "аэиоуөүы"  # those that can drop out of a final syllable, or end a stem
# Typed for Ө and Ү where the keyboard has none (the Ukrainian layout's є and ї, a common
# stand-in in Mongolian text online); ё stays ё: it is a letter of its own (ёс "custom", ес
# "nine"), not an optional mark as in Russian.
FOLD = {"є": "ө", "ї": "ү"}
HARMONY = "аэоө"  # a suffix's vowel follows the word's: -аас/-ээс/-оос/-өөс


def harmonic(*patterns: str) -> list[str]:
    """Each pattern with A in each of its vowel-harmony forms (A → а, э, о, ө)."""
    return sorted({p.replace("A", v) for p in patterns for v in HARMONY})


SUFFIXES = sorted(
    {
        *harmonic("AAс", "гAAс", "нAAс"),  # ablative
        "иас",
        *harmonic("AAр", "гAAр"),  # instrumental
        "иар",
        "тай",  # comitative
        "тэй",
        "той",
        *["руу", "рүү", "луу", "лүү"],  # directive
        *["ийн", "ын", "гийн", "ий", "ы", "н", "ийнх", "ынх"],  # genitive, -ынх "that of"
        *["ийг", "ыг", "гийг", "г"],  # accusative
        *["д", "т", "нд", *harmonic("Aд")],  # dative-locative
        *["ууд", "үүд", "нууд", "нүүд", "чууд", "чүүд"],  # plural
        *harmonic("AA", "гAA"),  # reflexive possessive
    },
    key=lambda s: (-len(s), s),
)
# Endings that follow only some stems, where the same letters often end a stem instead
# (бичиг, аймаг, сайт, жагсаалт): the letters a stem before them may end in, and whether a long
# vowel or diphthong may end it (тоо-г, далай-г). The г-forms follow long vowels and н
# (тайлан-г, дүн-гийн); the dative -т follows в, г, р, с (Арвайхээр-т, аймаг-т, сэдэв-т).
BEFORE = {
    **{s: {"letters": "н", "long": True} for s in SUFFIXES if s.startswith("г")},
    "т": {"letters": "вгрс", "long": False},
    "ы": {"letters": "н", "long": False},  # genitive of a stem in н (орчин, орчн-ы)
    # -ад/-эд/-од/-өд after other consonants (хот-од, улс-ад); after a vowel, л, м or н the
    # dative is -д (Дарьганга-д, ажил-д), so Дорнод and Дарьганга-д keep their last letters.
    **{s: {"letters": "бджзкпстфхцчшщ", "long": False} for s in harmonic("Aд")},
}
MIN_STEM = 3  # letters a stem keeps: an ending is taken off only if this many remain
PASSES = 4  # endings stack: plural, case, reflexive (хүүхдүүдийнхээ)
RULES = {
    "vowels": VOWELS,
    "shortVowels": SHORT_VOWELS,
    "fold": FOLD,
    "suffixes": SUFFIXES,
    "before": BEFORE,
    "minStem": MIN_STEM,
    "passes": PASSES,
}
CYRILLIC = re.compile("[\u0400-\u04ff]")


def normalise(word: str) -> str:
    word = unicodedata.normalize("NFC", word).lower()
    return "".join(FOLD.get(c, c) for c in word)


def vowel(c: str) -> bool:
    return c != "" and c in VOWELS


def consonant(c: str) -> bool:
    return c != "" and c not in VOWELS and c not in "йьъ"


def keeps(rest: str) -> bool:
    """A stem may be this: long enough, with a vowel (a short word never shrinks to nothing)."""
    return len(rest) >= MIN_STEM and any(vowel(c) for c in rest)


def fits(rest: str, suffix: str) -> bool:
    """The ending may be taken off, leaving this stem."""
    rule = BEFORE.get(suffix)
    if rule is None or (rest[-1:] != "" and rest[-1:] in rule["letters"]):
        return keeps(rest)
    long = rest[-2:-1] != "" and vowel(rest[-2:-1]) and rest[-1:] in (rest[-2:-1], "й")
    return rule["long"] and long and keeps(rest)


def strip_endings(word: str) -> str:
    for _ in range(PASSES):
        suffix = next((s for s in SUFFIXES if word.endswith(s) and fits(word[: -len(s)], s)), "")
        if not suffix:
            break
        word = word[: -len(suffix)]
    return word


def normal_form(stem: str) -> str:
    """The stem without its soft sign (хууль, хуул-ийн), its final short vowel (дарьганга,
    дарьганга-д), and the fleeting vowel of its last syllable (тэтгэвэр, тэтгэвр-ийн)."""
    if stem[-1:] in ("ь", "ъ") and keeps(stem[:-1]):
        stem = stem[:-1]

    def at(i: int) -> str:  # the i-th letter from the end, or "" (as JS's charAt)
        return stem[-i] if i <= len(stem) else ""

    def short(c: str) -> bool:
        return c != "" and c in SHORT_VOWELS

    if short(at(1)) and consonant(at(2)) and keeps(stem[:-1]):
        stem = stem[:-1]
    if consonant(at(3)) and short(at(2)) and consonant(at(1)) and any(map(vowel, stem[:-3])):
        stem = stem[:-2] + stem[-1]
    return stem


def stem(word: str) -> str:
    """The stem a Mongolian word is indexed and searched by."""
    word = normalise(word)
    return normal_form(strip_endings(word)) if CYRILLIC.search(word) else word


def js_code() -> str:
    """The query's stemmer for language_data.js: Sphinx's English one (for Latin words), the
    rules as data, and search_mn.js, which applies them."""
    minified = Path(package_dir) / "search" / "minified-js"
    parts = [(minified / name).read_text(encoding="utf-8") for name in ENGLISH_JS]
    rules = json.dumps(RULES, ensure_ascii=False, sort_keys=True)
    script = (Path(__file__).with_name("search_mn.js")).read_text(encoding="utf-8")
    return "\n".join([*parts, f"var MongolianRules = {rules};", script])


ENGLISH_JS = ("base-stemmer.js", "english-stemmer.js")


class SearchMongolian(SearchLanguage):
    """Both editions' search: Mongolian words (any with Cyrillic) by these rules, the others
    as Sphinx's English search does; the English edition shows Mongolian names and text too."""

    lang = "mn"
    language_name = "Mongolian"
    stopwords = SearchEnglish.stopwords  # all Latin: they only apply to English words

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.english = SearchEnglish(options)
        self.js_stemmer_code = js_code()
        self.js_splitter_code = SPLITTER

    def split(self, input: str) -> list[str]:
        return super().split(unicodedata.normalize("NFC", input))

    def stem(self, word: str) -> str:
        word = normalise(word)
        return stem(word) if CYRILLIC.search(word) else self.english.stem(word)


class SearchEnglishMongolian(SearchMongolian):
    lang = "en"
    language_name = "English"


# Sphinx's own splitter, on the query as composed characters (й typed as и + breve is one
# letter, as the index's words are).
SPLITTER = """
function splitQuery(query) {
  return query
    .normalize("NFC")
    .split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu)
    .filter((term) => term);
}
"""


def setup(app):
    app.add_search_language(SearchMongolian)
    app.add_search_language(SearchEnglishMongolian)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
