"""Hypothesis strategies that build valid rows for a table from its Table Schema alone."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from civic_space.checks import settings
from civic_space.descriptor import NO_TRANSLATION, DataPackage, Table, load, status_field
from civic_space.formatting import read_rows
from conftest import DESCRIPTOR

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
CYRILLIC = "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"

# Words in one script each, joined by single spaces: the text hygiene checks' idea of clean text.
word = st.one_of(
    st.text(LATIN, min_size=1, max_size=12), st.text(CYRILLIC, min_size=1, max_size=12)
)
clean_text = st.lists(word, min_size=1, max_size=8).map(" ".join)
mongolian_text = st.lists(st.text(CYRILLIC, min_size=1, max_size=12), min_size=1, max_size=8).map(
    " ".join
)
slug = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


def keys_of(package: DataPackage, name: str, field: str) -> list[str]:
    header, rows = read_rows(package.table(name))
    return sorted({r[header.index(field)] for r in rows})


def field_strategy(package: DataPackage, table: Table, field: dict) -> st.SearchStrategy[str]:
    """Valid text for one cell of `field`, foreign keys drawn from the referenced table."""
    name, kind = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})
    reference = table.reference(name)
    if reference:
        return st.sampled_from(keys_of(package, *reference))
    if "enum" in cons:
        return st.sampled_from([str(v) for v in cons["enum"]])
    if kind == "integer":
        return st.integers(cons.get("minimum", 0), cons.get("maximum", 10**6)).map(str)
    if kind == "number":
        low, high = cons.get("minimum", -1e6), cons.get("maximum", 1e6)
        return st.floats(low, high, allow_nan=False).map(lambda x: f"{x:.4f}")
    if kind == "year":
        return st.integers(1990, 2030).map(str)
    if kind == "boolean":
        return st.sampled_from(["true", "false"])
    if kind == "date":
        return st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
    if field.get("format") == "uri":
        hosts = settings(load(DESCRIPTOR))["url-hosts"][f"{table.name}.{name}"]
        return st.tuples(st.sampled_from(hosts), slug).map(lambda p: f"https://{p[0]}/{p[1]}")
    if "pattern" in cons:
        return st.from_regex(cons["pattern"], fullmatch=True).filter(lambda s: s.isprintable())
    return clean_text


@st.composite
def new_row(draw, package: DataPackage, table: Table) -> list[str]:
    """A row that is valid on its own and does not clash with the table's existing keys."""
    header, rows = read_rows(table)
    taken = {tuple(r[header.index(k)] for k in table.primary_key) for r in rows}
    row = {}
    for field in table.fields:
        required = field.get("constraints", {}).get("required", False)
        value = draw(field_strategy(package, table, field))
        row[field["name"]] = value if required or draw(st.booleans()) else ""
    for lang in package.translations:  # twins agree with the row's status, in Cyrillic
        missing = row.get(status_field(lang)) == NO_TRANSLATION
        for english, twin in table.twins(lang):
            text = (
                draw(mongolian_text)
                if "pattern" not in table.field(twin).get("constraints", {})
                else row[twin] or draw(field_strategy(package, table, table.field(twin)))
            )
            row[twin] = "" if missing or not row[english] else text
    key = tuple(row[k] for k in table.primary_key)
    if key in taken or not all(key):
        from hypothesis import reject

        reject()
    return [row[f["name"]] for f in table.fields]
