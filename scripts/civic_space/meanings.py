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


EVENT_DATES = Dates("events", "start_date", "end_date", "date_precision")
EVENT_PLACE = Located("events", "place_id")
PLACES = Coordinates("places", "latitude", "longitude", "coordinates_source_id")


def fields() -> list[tuple[str, str]]:
    """(table, field) for every name declared here."""
    found = []
    for meaning in (EVENT_DATES, EVENT_PLACE, PLACES):
        table, *names = astuple(meaning)
        found += [(table, n) for n in names]
    return found
