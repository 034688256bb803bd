"""Frictionless errors turned into lines a person can act on:

data/events.csv:12: start_date: “2022-13-02” is not a date — write dates as YYYY-MM-DD [type-error]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .descriptor import Table
from .i18n import _, field_title
from .lexical import quoted, refusal

CONSTRAINT_RE = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"')


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    fix: str
    code: str
    line: int | None = None
    field: str | None = None
    title: str | None = None  # the field's title in the schema (English)
    more: int = 0  # a line that stands for this many problems not shown (problem_cap.py)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        label = self.field or ""
        translated = field_title(self.title) if self.title else None
        if translated:
            label += f" ({translated})"
        field = f" {label}:" if label else ""
        return printable(f"{where}:{field} {self.message} — {self.fix} [{self.code}]")


def printable(text: str) -> str:
    """One line, safe for a terminal: line breaks, escape sequences and invisible characters
    from a cell are shown as escapes (\\n, \\x1b, \\u202e), never acted on."""
    return "".join(
        c if unicodedata.category(c) not in UNPRINTABLE else c.encode("unicode_escape").decode()
        for c in text
    )


UNPRINTABLE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
# Characters a reader cannot see, or cannot tell from a plain space: shown by name in `visible`.
UNSEEN = UNPRINTABLE | {"Zs", "Mn", "Me"}
CONTROLS = {0x00: "NULL", 0x09: "TAB", 0x0A: "LINE FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE"}


def visible(text: str) -> str:
    """The text as a person can read it back: each character that cannot be seen, or told from
    a space, shown by its code and name ("\ufeffid" → "[U+FEFF ZERO WIDTH NO-BREAK SPACE]id").
    A plain space stays as it is; so do accents on a letter (a combining mark after a letter)."""
    shown = []
    for index, c in enumerate(text):
        kind = unicodedata.category(c)
        plain = c == " " or kind not in UNSEEN
        if kind in ("Mn", "Me"):  # an accent is seen on the letter it follows
            plain = index > 0 and unicodedata.category(text[index - 1])[0] == "L"
        shown.append(c if plain else f"[{character_name(c)}]")
    return "".join(shown)


def character_name(c: str) -> str:
    name = unicodedata.name(c, "") or CONTROLS.get(ord(c), "")
    return f"U+{ord(c):04X} {name}".strip()


def quote(value, limit: int = 60) -> str:
    return quoted("" if value is None else str(value), limit)


def explain(error, table: Table | None) -> tuple[str, str]:
    """What is wrong and how to fix it, for one frictionless error."""
    found = explain_value(error, table) or explain_layout(error, table)
    if found:
        return found
    note = getattr(error, "note", "") or ""
    if " — " in note:  # our own checks write their notes as "what is wrong — how to fix it"
        message, fix = note.split(" — ", 1)
        return message, fix
    return (note or error.message), _("see the field's description in the schema")


def explain_value(error, table: Table | None) -> tuple[str, str] | None:
    """A cell's value is not of its type, breaks a constraint or a key."""
    kind, note = error.type, getattr(error, "note", "") or ""
    cell = getattr(error, "cell", None)
    field = table.field(getattr(error, "field_name", "") or "") if table else {}
    if kind == "type-error":  # what the type's one written form is, and how to write it
        return refusal(field.get("type", "value"), "" if cell is None else str(cell))
    if kind == "constraint-error":
        return explain_constraint(note, cell, field)
    if kind == "foreign-key":
        target = error.reference_name or (table.name if table else "")
        values = ", ".join(error.field_cells)
        looked_up = ", ".join(error.reference_field_names)
        return (
            _("{value} is not a {field} in the {table} table").format(
                value=quote(values), field=looked_up, table=target
            ),
            _("use a {field} that exists in data/{table}.csv, or add that row there first").format(
                field=looked_up, table=target
            ),
        )
    if kind == "unique-error":
        return (
            _("{value} is used by another row too ({note})").format(value=quote(cell), note=note),
            _("each row needs its own value here"),
        )
    if kind == "primary-key":
        return _("this row's key is already used by another row"), _(
            "give each row a key of its own"
        )
    return None


def explain_layout(error, table: Table | None) -> tuple[str, str] | None:
    """The file's bytes, header or rows do not line up with the schema."""
    kind, note = error.type, getattr(error, "note", "") or ""
    counted = getattr(error, "counted", None)  # (cells, fields), from files.structure
    if counted:
        cells, width = counted
        where = _("the header") if kind.endswith("label") else _("the row")
        message = _("{where} has {cells} cells where the schema has {width}")
        fix = (
            _("make the first line exactly: {names}").format(names=",".join(table.field_names))
            if kind.endswith("label") and table
            else _("remove the extra cell or comma")
            if cells > width
            else _("add the missing cells (commas)")
        )
        return message.format(where=where, cells=cells, width=width), fix
    if kind == "missing-cell":
        return _("the row has fewer cells than the header"), _("add the missing cells (commas)")
    if kind == "extra-cell":
        extra = quote(getattr(error, "cell", None))
        return (
            _("the row has a cell too many ({value})").format(value=extra),
            _("remove the extra cell or comma"),
        )
    if kind == "blank-row":
        return _("the row is empty"), _("delete the empty line")
    if kind in {
        "incorrect-label",
        "missing-label",
        "extra-label",
        "duplicate-label",
        "blank-label",
    }:
        names = ",".join(table.field_names) if table else ""
        return (
            _("the header is wrong ({note})").format(note=note or kind),
            _("make the first line exactly: {names}").format(names=names),
        )
    if kind == "encoding-error":
        return _("the file is not UTF-8 text"), _("save it as UTF-8 (CSV UTF-8 in Excel)")
    return None


def explain_constraint(note: str, cell, field: dict) -> tuple[str, str]:
    match = CONSTRAINT_RE.search(note)
    name = match.group("name") if match else ""
    constraints = field.get("constraints", {})
    value = quote(cell)
    if name == "required":
        return _("is empty but must be filled in"), _("fill it in (see the field's description)")
    if name == "enum":
        allowed = ", ".join(map(str, constraints.get("enum", [])))
        return (
            _("{value} is not an allowed value").format(value=value),
            _("use one of: {allowed}").format(allowed=allowed),
        )
    if name == "unique":
        return (
            _("{value} is used by another row too").format(value=value),
            _("each row needs its own value here"),
        )
    if name == "pattern":
        return (
            _("{value} is not in the expected form").format(value=value),
            _("follow the pattern {pattern} (see the field's description)").format(
                pattern=constraints.get("pattern")
            ),
        )
    if name == "minimum":
        bound = constraints.get(name)
        return (
            _("{value} is less than the minimum {bound}").format(value=value, bound=bound),
            _("check the value (the minimum is {bound})").format(bound=bound),
        )
    if name == "maximum":
        bound = constraints.get(name)
        return (
            _("{value} is more than the maximum {bound}").format(value=value, bound=bound),
            _("check the value (the maximum is {bound})").format(bound=bound),
        )
    if name in {"minLength", "maxLength"}:
        return (
            _("{value} has the wrong length ({note})").format(value=value, note=note),
            _("check the value"),
        )
    return (
        _("{value} breaks a rule ({note})").format(value=value, note=note),
        _("see the field's description in the schema"),
    )
