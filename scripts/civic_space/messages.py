"""Frictionless errors turned into lines a person can act on:

data/events.csv:12: start_date: “2022-13-02” is not a date — write dates as YYYY-MM-DD [type-error]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .descriptor import Table

HOW_TO_WRITE = {
    "date": "write dates as YYYY-MM-DD",
    "integer": "write a whole number, digits only",
    "number": "write a number with a dot for decimals and no thousands separator",
    "year": "write a four-digit year",
    "boolean": "write true or false",
    "datetime": "write date and time as YYYY-MM-DDThh:mm:ssZ",
}
CONSTRAINT_RE = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"')


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    fix: str
    code: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message} — {self.fix} [{self.code}]"


def quote(value, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"“{text}”"


def explain(error, table: Table | None) -> tuple[str, str]:
    """What is wrong and how to fix it, for one frictionless error."""
    kind, note = error.type, getattr(error, "note", "") or ""
    cell = getattr(error, "cell", None)
    field = table.field(getattr(error, "field_name", "") or "") if table else {}
    if kind == "type-error":
        ftype = field.get("type", "value")
        return f"{quote(cell)} is not a {ftype}", HOW_TO_WRITE.get(ftype, f"write a {ftype}")
    if kind == "constraint-error":
        return explain_constraint(note, cell, field)
    if kind == "foreign-key":
        target = error.reference_name or (table.name if table else "")
        values = ", ".join(error.field_cells)
        looked_up = ", ".join(error.reference_field_names)
        return (
            f"{quote(values)} is not a {looked_up} in the {target} table",
            f"use a {looked_up} that exists in data/{target}.csv, or add that row there first",
        )
    if kind == "unique-error":
        return (
            f"{quote(cell)} is used by another row too ({note})",
            "each row needs its own value here",
        )
    if kind == "primary-key":
        return "this row's key is already used by another row", "give each row a key of its own"
    if kind == "missing-cell":
        return "the row has fewer cells than the header", "add the missing cells (commas)"
    if kind == "extra-cell":
        return f"the row has a cell too many ({quote(cell)})", "remove the extra cell or comma"
    if kind == "blank-row":
        return "the row is empty", "delete the empty line"
    if kind in {
        "incorrect-label",
        "missing-label",
        "extra-label",
        "duplicate-label",
        "blank-label",
    }:
        names = ",".join(table.field_names) if table else ""
        return f"the header is wrong ({note or kind})", f"make the first line exactly: {names}"
    if kind == "encoding-error":
        return "the file is not UTF-8 text", "save it as UTF-8 (CSV UTF-8 in Excel)"
    if " — " in note:  # our own checks write their notes as "what is wrong — how to fix it"
        message, fix = note.split(" — ", 1)
        return message, fix
    return (note or error.message), "see the field's description in the schema"


def explain_constraint(note: str, cell, field: dict) -> tuple[str, str]:
    match = CONSTRAINT_RE.search(note)
    name = match.group("name") if match else ""
    constraints = field.get("constraints", {})
    if name == "required":
        return "is empty but must be filled in", "fill it in (see the field's description)"
    if name == "enum":
        allowed = ", ".join(map(str, constraints.get("enum", [])))
        return f"{quote(cell)} is not an allowed value", f"use one of: {allowed}"
    if name == "unique":
        return f"{quote(cell)} is used by another row too", "each row needs its own value here"
    if name == "pattern":
        return (
            f"{quote(cell)} is not in the expected form",
            f"follow the pattern {constraints.get('pattern')} (see the field's description)",
        )
    if name in {"minimum", "maximum"}:
        bound = constraints.get(name)
        word = "less" if name == "minimum" else "more"
        return (
            f"{quote(cell)} is {word} than the {name} {bound}",
            f"check the value (the {name} is {bound})",
        )
    if name in {"minLength", "maxLength"}:
        return f"{quote(cell)} has the wrong length ({note})", "check the value"
    return f"{quote(cell)} breaks a rule ({note})", "see the field's description in the schema"
