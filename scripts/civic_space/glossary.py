"""One term per concept in Mongolian: the glossary table's terms, and where a Mongolian text
uses a variant the glossary avoids.

A variant is written as a stem (`төрийн бодлог`, `онлайн`): it is found at the start of a word,
in any case and with any ending, so that the inflected forms Mongolian makes of it
(`төрийн бодлогын`, `онлайнаар`) are found too. An occurrence inside a glossary term does not
count (`сонсголын тухай` inside `Нийтийн сонсголын тухай хууль`; a bare `семинар` inside
`стратегийн семинар`, another concept's term). The same matching judges the
data's twins (checks/glossary_term.py), the descriptor and the page and message catalogues."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .descriptor import DataPackage, PackageError, display
from .i18n import _
from .meanings import GLOSSARY

SEPARATOR = "|"  # between the variants of one term, in the glossary's avoid field
# Every character Python's \s matches (str.isspace): a variant's space matches any run of them,
# in both engines alike (RE2's own \s is ASCII only).
SPACE_RANGES = (
    (0x9, 0xD), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
    (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000),
)  # fmt: skip
SPACES = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in SPACE_RANGES)
RE2_SPACES = "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in SPACE_RANGES)


@dataclass(frozen=True)
class Term:
    term_id: str
    english: str
    mongolian: str
    avoid: tuple[str, ...]

    @cached_property
    def own(self) -> re.Pattern | None:
        """The term itself, inflected or not: what a variant inside it is not."""
        return compiled(self.mongolian, word_start=True) if self.mongolian else None

    @cached_property
    def patterns(self) -> list[tuple[str, re.Pattern]]:
        return [(variant, compiled(variant, word_start=True)) for variant in self.avoid]


def compiled(stem: str, word_start: bool = False) -> re.Pattern:
    words = (re.escape(w) for w in stem.split())
    body = f"[{SPACES}]+".join(words)
    return re.compile(("(?<!\\w)" if word_start else "") + body, re.IGNORECASE)


def split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split(SEPARATOR) if v.strip())


def terms_of(rows: Iterable[dict[str, str]]) -> list[Term]:
    g = GLOSSARY
    return [
        Term(
            r.get(g.key, ""),
            r.get(g.english, ""),
            r.get(g.mongolian, ""),
            split(r.get(g.avoid) or ""),
        )
        for r in rows
    ]


def load_terms(package: DataPackage) -> list[Term]:
    """The package's glossary; none if it has no glossary table (or it cannot be read: then
    validation says why, on the table itself)."""
    from .checks._shared import rows_by_key

    if GLOSSARY.table not in {t.name for t in package.tables}:
        return []
    return terms_of(rows_by_key(package, GLOSSARY.table).values())


def contradiction(mongolian: str, avoid: str) -> str | None:
    """Why a glossary row's variants (`avoid`, as the avoid field holds them) name its own term
    `mongolian`: a variant found at the term's start that leaves only an ending after it."""
    for variant in split(avoid):
        found = compiled(variant, word_start=True).match(mongolian) if mongolian else None
        if found and re.fullmatch(r"\w*", mongolian[found.end() :]):
            return _(
                "“{variant}” is the term “{term}” itself, or a stem of it: the glossary would"
                " avoid its own term — remove it from the variants, or correct the term"
            ).format(variant=variant, term=mongolian)
    return None


def offences(text: str, terms: list[Term]) -> Iterator[tuple[Term, str, str]]:
    """(term, variant, the words found) for each avoided variant the text uses, except where
    the variant lies within a glossary term: within its own term, or within another concept's
    (bare `семинар` is avoided, but not inside `стратегийн семинар`, the strategy workshop)."""
    own = [m.span() for term in terms if term.own for m in term.own.finditer(text)]
    for term in terms:
        for variant, pattern in term.patterns:
            for found in pattern.finditer(text):
                start, end = found.span()
                if not any(a <= start and end <= b for a, b in own):
                    end += re.match(r"\w*", text[end:]).end()
                    yield term, variant, text[start:end]
                    break


def note_for(text: str, terms: list[Term]) -> str | None:
    """What is wrong with the first avoided variant the text uses, and the term to write."""
    return next((worded(*found) for found in offences(text, terms)), None)


def worded(term: Term, variant: str, words: str) -> str:
    return _(
        "uses “{words}”, a variant the glossary avoids (“{variant}”)"
        " — write “{term}” (glossary: {term_id})"
    ).format(words=words, variant=variant, term=term.mongolian, term_id=term.term_id)


def candidates(terms: list[Term]) -> str:
    """An RE2 pattern matching every text that `offence` flags (and more): any variant,
    anywhere, in any case."""
    found = []
    for term in terms:
        for variant in term.avoid:
            words = (re.escape(w) for w in variant.split())
            found.append(f"[{RE2_SPACES}]+".join(words))
    return f"(?i:{'|'.join(found)})" if found else r"[^\x{0}-\x{10ffff}]"


@dataclass(frozen=True)
class Problem:
    where: str  # file:line
    what: str  # the msgstr, or the descriptor property
    note: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}: {self.note}"


def catalogue_problems(paths: Iterable[Path], terms: list[Term]) -> list[Problem]:
    """Every translation in these gettext catalogues that uses an avoided variant, and every
    translation of the term's own English (or its code) that does not use the term."""
    from babel.messages.pofile import read_po

    found = []
    for path in paths:
        try:
            with path.open("rb") as file:
                catalogue = read_po(file)
        except (OSError, ValueError) as exc:
            raise PackageError(path, f"cannot be read ({exc})", "fix the catalogue") from None
        for message in catalogue:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            where = f"{display(path)}:{message.lineno}"
            for text in texts:
                notes = [worded(*o) for o in offences(text, terms)]
                notes = notes or list(filter(None, [missing_term(ids[0], text, terms)]))
                found += [Problem(where, "msgstr", note) for note in notes]
    return found


def missing_term(msgid: str, text: str, terms: list[Term]) -> str | None:
    """The translation of a glossary term's own English, or of its code, uses the term."""
    for term in terms:
        named = msgid.casefold() in {term.english.casefold(), term.term_id.casefold()}
        if named and term.mongolian and not (term.own and term.own.search(text)):
            return _("translates “{msgid}” without the glossary's term — write “{term}”").format(
                msgid=msgid, term=term.mongolian
            )
    return None


def descriptor_problems(package: DataPackage, terms: list[Term]) -> list[Problem]:
    """The descriptor's Mongolian properties (title_mn, description_mn, ...), at any depth."""
    found = []

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                here = f"{path}.{key}" if path else key
                if key.endswith("_mn") and isinstance(inner, str):
                    where = display(package.descriptor_path)
                    found.extend(Problem(where, here, worded(*o)) for o in offences(inner, terms))
                else:
                    walk(inner, here)
        elif isinstance(value, list):
            for number, inner in enumerate(value):
                walk(inner, f"{path}[{number}]")

    walk(package.descriptor, "")
    return found


def catalogues(locales: Path, lang: str) -> list[Path]:
    """The page catalogues of one language, and the tools' message catalogue."""
    from .i18n import catalogue_path

    pages = sorted((locales / lang / "LC_MESSAGES").rglob("*.po")) if locales.is_dir() else []
    own = catalogue_path(lang)
    return [*pages, *([own] if own.exists() else [])]
