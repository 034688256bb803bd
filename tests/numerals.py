"""Every numeral in a page's prose traced to what printed it: a declared figure (a metric or a
declared count, with the value the data gives it), a date, or a value of the data. Shared by
tests/test_declared_figures.py; kept apart so a planted page can be read the same way."""

from __future__ import annotations

import re

from babel.numbers import format_decimal
from bs4 import BeautifulSoup

DIGITS = re.compile(r"\d+(?:[\s\u00a0\u202f,.]\d+)*")


def prose(html: str) -> BeautifulSoup:
    """The page's article, without the data it lists (tables, lists, figures: they print rows
    of the data, not prose) and without the headings' link marks."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article", attrs={"role": "main"})
    assert article is not None, "no article in the page"
    for data in article.select(".report-data, a.headerlink"):
        data.decompose()
    return article


def untraced(html: str, figures: dict[str, int], language: str, names=()) -> list[str]:
    """What is wrong with the page's numerals: a figure that does not print its value, and each
    numeral outside what the roles printed (with its context). `figures` gives each declared
    figure's value; `names` are names that hold digits (the version, "SDG 16+")."""
    article = prose(html)
    found = []
    for span in article.select("span.datum"):
        classes = span.get("class", [])
        if "datum-figure" in classes:
            figure = next((c[7:] for c in classes if c.startswith("figure-")), "")
            if figure not in figures:
                found.append(f"{figure or span.get_text()}: not a declared figure")
            elif format_decimal(figures[figure], locale=language) not in span.get_text():
                said = span.get_text()
                found.append(f"{figure}: prints {said!r}, the data gives {figures[figure]}")
        elif not {"datum-value", "datum-date"} & set(classes):
            found.append(f"{span.get_text()!r}: printed by a role that says not what it prints")
        span.decompose()
    text = article.get_text(" ")
    for name in names:
        text = text.replace(name, " ")
    for match in DIGITS.finditer(text):
        context = text[max(0, match.start() - 60) : match.end() + 30].split()
        found.append(f"{match.group()!r} untraced, in: {' '.join(context)}")
    return found
