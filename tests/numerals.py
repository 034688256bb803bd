"""Every numeral a page prints traced to what printed it: a declared figure (a metric or a
declared count, with the value the data gives it), a date, or a value stored in the data. Prose
and the data's tables and charts alike: a table's cell says what it prints (the classes `datum`
and `datum-value`, `datum-date` or `datum-figure` with `figure-<id>`), a chart prints nothing
its table does not, but for its axes' years and degrees. Shared by tests/test_declared_figures.py;
kept apart so a planted page can be read the same way."""

from __future__ import annotations

import re
from collections import Counter

from babel.numbers import format_decimal
from bs4 import BeautifulSoup

DIGITS = re.compile(r"\d+(?:[\s\u00a0\u202f,.]\d+)*")
SEPARATORS = re.compile(r"[\s\u00a0\u202f,.]")
AXIS = re.compile(r"\b\d{4}\b|\d+°|\D")  # what an axis may print: years, degrees of the grid


def numerals(text: str) -> list[str]:
    """The numerals of a text, each without its separators ("3,281" and "3 281" are "3281")."""
    return [SEPARATORS.sub("", m.group()) for m in DIGITS.finditer(text)]


def numerals_in(element) -> list[str]:
    """The numerals of an element's texts, each text read alone (two cells' "1" and "4" are
    not "1 4")."""
    return [n for text in element.find_all(string=True) for n in numerals(text)]


def article_of(html: str) -> BeautifulSoup:
    """The page's article, without the headings' link marks."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article", attrs={"role": "main"})
    assert article is not None, "no article in the page"
    for mark in article.select("a.headerlink"):
        mark.decompose()
    return article


def untraced(html: str, figures: dict, language: str, names=(), stored=frozenset()) -> list[str]:
    """What is wrong with the page's numerals: a figure that does not print its value, and each
    numeral outside what the roles and the data's tables printed (with its context). `figures`
    gives each declared figure's value (a count by groups: its value per group); `names` are
    names that hold digits (the version, "SDG 16+"); `stored` the numerals of the data's cells."""
    article = article_of(html)
    found = []
    for data in article.select(".report-data"):
        if data.select_one("svg"):
            found += chart(data, data.find_next_sibling(class_="figure-data"))
        found += spans(data, figures, language, stored)
        found += [f"in a table or chart: {p}" for p in leftover(data.get_text(" "), ())]
        data.decompose()
    found += spans(article, figures, language, stored)
    return found + leftover(article.get_text(" "), names)


def chart(figure, table) -> list[str]:
    """A chart's numerals: its axes' years and degrees, and what its data table prints."""
    found = []
    for axis in figure.select(".chart-axis"):
        said = axis.get_text(" ")
        found += [f"{n!r} on an axis, neither a year nor a degree" for n in AXIS.sub("", said)]
        axis.decompose()
    printed = set(numerals_in(table)) if table is not None else set()
    for svg in figure.select("svg"):
        shown = numerals_in(svg)
        found += [f"{n!r} in the chart, not in its table" for n in shown if n not in printed]
        svg.decompose()
    return found


def spans(article, figures: dict, language: str, stored) -> list[str]:
    """Each `datum` span checked for what it says it prints, then taken out of the text."""
    found, grouped = [], Counter()
    for span in article.select("span.datum"):
        classes, said = span.get("class", []), span.get_text()
        if "datum-figure" in classes:
            figure = next((c[7:] for c in classes if c.startswith("figure-")), "")
            value = figures.get(figure)
            if value is None:
                found.append(f"{figure or said}: not a declared figure")
            elif isinstance(value, dict):  # a count by groups: each group's value printed once
                grouped.update((figure, n) for n in numerals(said) if n != "0")  # 0: no row
            elif format_decimal(value, locale=language) not in said:
                found.append(f"{figure}: prints {said!r}, the data gives {value}")
        elif "datum-value" in classes:
            found += [f"{n!r} is no value of the data" for n in numerals(said) if n not in stored]
        elif "datum-date" not in classes:
            found.append(f"{said!r}: printed by a role that says not what it prints")
        span.decompose()
    for figure in {f for f, _n in grouped}:
        printed = Counter({n: c for (f, n), c in grouped.items() if f == figure})
        counted = Counter(str(n) for n in figures[figure].values() if n)
        if printed != counted:
            found.append(f"{figure}: prints {dict(printed)}, the data counts {dict(counted)}")
    return found


def leftover(text: str, names) -> list[str]:
    """Each numeral in text that nothing traced, with its context."""
    for name in names:
        text = text.replace(name, " ")
    found = []
    for match in DIGITS.finditer(text):
        context = text[max(0, match.start() - 60) : match.end() + 30].split()
        found.append(f"{match.group()!r} untraced, in: {' '.join(context)}")
    return found
