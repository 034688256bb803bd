"""What some fields mean, declared once: the checks, the report's pages and the synthetic
generator read these names instead of restating them. A test asserts that each one names a
field of the schemas, so a renamed field fails loudly instead of switching a rule off."""

from __future__ import annotations

from dataclasses import astuple, dataclass


@dataclass(frozen=True)
class Dates:
    """A table whose rows happened over dates known to a stated precision."""

    table: str
    start: str
    end: str
    precision: str  # day, month, season, year or unknown (the schema's enum)


@dataclass(frozen=True)
class Located:
    """A table whose rows happened at a place (a key of the coordinates' table)."""

    table: str
    place: str


@dataclass(frozen=True)
class Coordinates:
    """A table of places with coordinates, filled together with the source they come from."""

    table: str
    latitude: str
    longitude: str
    source: str
    level: str  # country, capital, province, soum or venue
    parent: str  # the place it lies in
    iso_code: str  # ISO 3166-2, for a province or the capital


@dataclass(frozen=True)
class Figures:
    """A table of figures: a value, and how it is meant (exact, at least, ...)."""

    table: str
    value: str
    qualifier: str  # exact, approximate, at-least or at-most (the schema's enum)


@dataclass(frozen=True)
class Counts:
    """A table of declared counts: a formula over the data (figures.py), and the figure of the
    figures' table that the report states for the same thing, which the count must agree with."""

    table: str
    key: str
    formula: str
    stated: str


@dataclass(frozen=True)
class Pointer:
    """A table whose rows each point at one value of the package: a table, a row key (several
    key fields joined by /; empty: every row) and a field, with the reason for the pointer."""

    table: str
    resource: str
    row_key: str
    field: str
    reason: str
    basis: str = ""  # the field naming the kind of pointer, if the table has one


@dataclass(frozen=True)
class Sources:
    """The table of sources every row cites: who wrote it, when, its title and section."""

    table: str
    key: str
    author: str
    year: str
    title: str
    section: str


EVENT_DATES = Dates("events", "start_date", "end_date", "date_precision")
EVENT_PLACE = Located("events", "place_id")
PLACES = Coordinates(
    "places", "latitude", "longitude", "coordinates_source_id", "level", "parent_id", "iso_code"
)
FIGURES = Figures("metrics", "value", "qualifier")
COUNTS = Counts("counts", "count_id", "formula", "metric_id")
SOURCES = Sources("sources", "source_id", "author", "year", "title", "section")
THEMES = "themes"  # the table that classifies issues by theme (the explorer's facets)
PROVINCE = "province"  # the level whose ISO 3166-2 code the downloads give every place
# Fields of our own prose about a row (English and Mongolian): they hold no figure that the
# metrics table holds for the row (checks/restated_figure.py).
PROSE = ("title", "title_mn", "description", "description_mn", "note")


# Values that are not simply stated in their row's source: why (annotations), or how the
# report prints them otherwise (errata).
@dataclass(frozen=True)
class Glossary:
    """A table of terms: one Mongolian term per concept, and the variants it replaces."""

    table: str
    key: str
    english: str
    mongolian: str
    avoid: str  # the variants, separated by |, each a stem matched at a word's start


GLOSSARY = Glossary("glossary", "term_id", "term", "term_mn", "avoid_mn")
ANNOTATIONS = Pointer("annotations", "resource", "row_key", "field", "motivation", "basis")
ERRATA = Pointer("errata", "resource", "row_key", "field", "explanation")
# The table name by which a pointer means the package's own metadata rather than a table: its row
# key is a path in the descriptor, its field a property there (descriptor_pointer.py).
DESCRIPTOR = "datapackage"


def fields() -> list[tuple[str, str]]:
    """(table, field) for every name declared here."""
    found = []
    for meaning in (
        EVENT_DATES,
        EVENT_PLACE,
        PLACES,
        FIGURES,
        COUNTS,
        ANNOTATIONS,
        ERRATA,
        GLOSSARY,
        SOURCES,
    ):
        table, *names = astuple(meaning)
        found += [(table, n) for n in names if n]
    return found
