"""A synthetic package shaped like ours, for benchmarks: the real package plus N generated rows in
each of the two largest tables (events and the issues defined at them).

Cells are generated from each field's schema (foreign keys drawn from the referenced table, enums,
types, bounds), so the result is valid by construction; the few cross-table rules (dates that fit
their precision, an issue's site equal to its event's place) are kept by the two rules below.
Text mixes English and Mongolian words of realistic length, one script per word.
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from .descriptor import NO_TRANSLATION, DataPackage, Table, load, status_field
from .formatting import read_rows, sort_key
from .meanings import EVENT_DATES, EVENT_PLACE, PLACES

LARGE = ("events", "issues")  # the tables that grow: events, and the issues raised at them
WORDS_EN = [
    "community",
    "council",
    "fund",
    "local",
    "road",
    "water",
    "school",
    "herders",
    "women",
    "youth",
    "pension",
    "health",
    "clinic",
    "budget",
    "hearing",
    "soum",
    "province",
    "training",
    "market",
    "winter",
    "pasture",
]
WORDS_MN = [
    "иргэн",
    "сум",
    "аймаг",
    "сан",
    "зам",
    "ус",
    "сургууль",
    "малчин",
    "эмэгтэй",
    "залуу",
    "тэтгэвэр",
    "эрүүл",
    "эмнэлэг",
    "төсөв",
    "хэлэлцүүлэг",
    "сургалт",
    "зах",
    "өвөл",
    "бэлчээр",
    "хороо",
]


def sentence(rng: random.Random, low: int = 4, high: int = 18) -> str:
    words = [
        rng.choice(WORDS_MN if rng.random() < 0.4 else WORDS_EN)
        for _ in range(rng.randint(low, high))
    ]
    return " ".join(words).capitalize()


class Generator:
    def __init__(self, package: DataPackage, seed: int = 1):
        self.package, self.rng = package, random.Random(seed)
        self.keys: dict[str, list[str]] = {}

    def keys_of(self, table: str, field: str) -> list[str]:
        if (table, field) not in self.keys:
            header, rows = read_rows(self.package.table(table))
            self.keys[table, field] = sorted({r[header.index(field)] for r in rows})
        return self.keys[table, field]

    def cell(self, table: Table, field: dict, index: int) -> str:
        rng, name = self.rng, field["name"]
        cons = field.get("constraints", {})
        reference = table.reference(name)
        if reference and reference[0] != table.name:  # a self-reference is the table rule's
            return rng.choice(self.keys_of(*reference))
        if name in table.primary_key:
            return f"syn-{index:06x}" + ("-01" if table.name == "issues" else "")
        if not cons.get("required") and rng.random() < 0.3:
            return ""
        if "enum" in cons:
            return rng.choice(cons["enum"])
        kind = field.get("type", "string")
        if kind == "integer":
            return str(rng.randint(cons.get("minimum", 0), cons.get("maximum", 10_000)))
        if kind == "number":
            return f"{rng.uniform(cons.get('minimum', 0), cons.get('maximum', 100)):.4f}"
        if kind == "boolean":
            return rng.choice(("true", "false"))
        if kind == "year":
            return str(rng.randint(2000, 2030))
        if kind == "date":
            return (date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))).isoformat()
        if "pattern" in cons or field.get("format") == "uri":
            return ""  # optional patterned fields stay empty
        return sentence(rng)

    def row(self, table: Table, index: int) -> dict[str, str]:
        row = {f["name"]: self.cell(table, f, index) for f in table.fields}
        for lang in self.package.translations:  # twins in Cyrillic, agreeing with the status
            missing = row.get(status_field(lang)) == NO_TRANSLATION
            for english, twin in table.twins(lang):
                text = " ".join(self.rng.choice(WORDS_MN) for _ in range(self.rng.randint(2, 12)))
                row[twin] = "" if missing or not row[english] else text.capitalize()
        return row


def events_rule(row: dict, rng: random.Random) -> None:
    """Dates that fit their precision."""
    row["part_of"] = ""
    start = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
    precision = rng.choice(("day", "day", "day", "month", "year"))
    row[EVENT_DATES.precision] = precision
    if precision == "day":
        end = start + timedelta(days=rng.randint(0, 3))
    elif precision == "month":
        start = start.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    else:
        start, end = date(start.year, 1, 1), date(start.year, 12, 31)
    row[EVENT_DATES.start], row[EVENT_DATES.end] = start.isoformat(), end.isoformat()


MARK = ".synthetic-package"  # in a folder made here: only such a folder is emptied for a new run


def write(out: Path, rows_per_table: int, descriptor: Path, progress=None) -> Path:
    """Write the synthetic package into `out`; return its datapackage.json. `out` is emptied
    first, so it must hold none of the package's files (outputs.py) and be new, empty, or made
    here before."""
    from .edge import EdgeError, named
    from .outputs import refuse_package_folder

    refuse_package_folder(load(descriptor), out)
    if out.is_dir() and any(out.iterdir()) and not (out / MARK).is_file():
        raise EdgeError(
            named(out),
            "is a folder that holds files, not a synthetic package made here before",
            "name a new or empty folder: its contents would be removed",
        )
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARK).touch()
    shutil.copy(descriptor, out / "datapackage.json")
    shutil.copy(descriptor.parent / "pyproject.toml", out / "pyproject.toml")  # vetted hosts
    shutil.copytree(descriptor.parent / "schemas", out / "schemas")
    shutil.copytree(descriptor.parent / "data", out / "data")
    package = load(out / "datapackage.json")
    gen = Generator(package)
    events = package.table(EVENT_DATES.table)
    places = gen.keys_of(PLACES.table, package.table(PLACES.table).primary_key[0])
    event_place: list[tuple[str, str]] = []
    for table in (events, package.table("issues")):
        header, rows = read_rows(table)
        for i in range(rows_per_table):
            row = gen.row(table, i)
            if table is events:
                events_rule(row, gen.rng)
                row[EVENT_PLACE.place] = gen.rng.choice(places)
                event_place.append((row["event_id"], row[EVENT_PLACE.place]))
            else:  # an issue's site is its event's place; positions are unique per event
                row["event_id"], row["place_id"] = event_place[i]
                row["position"] = "1"
            rows.append([row[f] for f in header])
            if progress and i % 100_000 == 99_999:
                progress(f"{table.name}: {i + 1:,} rows generated")
        rows.sort(key=sort_key(table))
        with table.path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([header, *rows])
    return out / "datapackage.json"


if __name__ == "__main__":  # python -m civic_space.synthetic N OUT
    write(Path(sys.argv[2]), int(sys.argv[1]), Path("datapackage.json"), print)
