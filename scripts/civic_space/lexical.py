"""The one written form of each value type the package uses, declared once.

A typed cell is written one way only: integers as ASCII digits with an optional leading minus
and no leading zero, within 64 bits; numbers as finite plain decimals (no exponent, NaN or
infinity) of at most 15 significant digits; dates as YYYY-MM-DD; years as YYYY; booleans as
true or false. Python's int, float, Decimal and date.fromisoformat each accept more (`٣`, ` 8`,
`1_0`, `sNaN`, `1e999`), and so does DuckDB's CAST (`.5` AS BIGINT is 1), so nothing reads a
typed cell with them directly: the validators (both engines), format, import, from-issue, the
exports and the site read it here.

Each form is a regular expression in the part of the syntax that Python's re and DuckDB's RE2
read alike (ASCII classes only, no look-around), the type's range of values, and the SQL type
that holds them; the Python parser and the SQL test are both made from it, and a property test
holds them to the same verdict and the same value (tests/test_canonical.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .i18n import _

INT64 = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class Form:
    kind: str
    pattern: str  # the whole cell; ASCII only, no look-around: re and RE2 read it alike
    sql_type: str  # the DuckDB type that holds every value of the form exactly
    # A narrower pattern whose values DuckDB's type compares exactly as the Python value
    # compares (a DOUBLE is not a Decimal): the fast engine types these itself.
    exact: str = ""

    def parse(self, text: str):
        """The value a cell's text stands for, or None if the text is not in this form."""
        if not isinstance(text, str) or not re.fullmatch(self.pattern, text, re.ASCII):
            return None
        return READERS[self.kind](text)

    def sql_test(self, col: str) -> str:
        """SQL: the text in column `col` is in this form (NULL stays NULL)."""
        pattern = "'(?:" + self.pattern.replace("'", "''") + ")'"
        test = f"regexp_full_match({col}, {pattern})"
        if self.kind == "boolean":
            return test
        value = f"TRY_CAST({col} AS {self.sql_type})"
        if self.kind == "number":  # a DOUBLE rounds 1e309 to infinity, as float() does
            digits = f"length(trim(replace(replace({col}, '-', ''), '.', ''), '0'))"
            return f"({test} AND coalesce(isfinite({value}), false) AND {digits} <= {DIGITS})"
        return f"({test} AND {value} IS NOT NULL)"  # out of range, or no such day

    def sql_value(self, col: str) -> str:
        """SQL: the typed value of the text in `col`, NULL where it is not in this form."""
        if self.kind == "boolean":
            return f"CASE WHEN {self.sql_test(col)} THEN {col} = 'true' END"
        return f"CASE WHEN {self.sql_test(col)} THEN TRY_CAST({col} AS {self.sql_type}) END"

    def sql_checked(self, col: str, where: str) -> str:
        """SQL: the typed value of `col`, NULL where it is empty, and an error naming `where`
        (the table and field) on text not in this form: an export never guesses a value."""
        cast = f"TRY_CAST({col} AS {self.sql_type})"
        cast = f"{col} = 'true'" if self.kind == "boolean" else cast
        note = f"{where}: a value is not in the canonical form of a {self.kind}"
        note = "'" + note.replace("'", "''") + "'"
        return (
            f"CASE WHEN nullif({col}, '') IS NULL THEN NULL WHEN {self.sql_test(col)}"
            f" THEN {cast} ELSE error({note}) END"
        )

    def sort_value(self, text: str):
        """The value rows are ordered by, as the SQL type orders it (None if not in the form)."""
        value = self.parse(text)
        return float(value) if value is not None and self.kind == "number" else value


def _integer(text: str) -> int | None:
    value = int(text)
    return value if INT64[0] <= value <= INT64[1] else None


# The most significant digits a number is written with: every decimal of 15 significant digits
# reads back from a double as written (DBL_DIG), so every publisher (CSV, Parquet, SQLite, JSON,
# the workbook, the site) holds the same value. A latitude of 5,000 decimals is refused.
DIGITS = 15


def significant(text: str) -> int:
    """The significant digits of a number in the canonical form (no leading or trailing 0)."""
    return len(text.replace("-", "").replace(".", "").strip("0"))


def _number(text: str) -> Decimal | None:
    if significant(text) > DIGITS:
        return None
    value = Decimal(text)
    return value if math.isfinite(float(value)) else None  # 1 and 309 zeros is no double


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2022-02-30
        return None


READERS = {
    "integer": _integer,
    "number": _number,
    "date": _date,
    "year": int,
    "boolean": lambda text: text == "true",
}

FORMS = {
    f.kind: f
    for f in (
        # At most 19 digits, so that no text reaches int() that a 64-bit integer cannot hold
        # by its length alone; the range check does the rest.
        Form("integer", r"0|-?[1-9][0-9]{0,18}", "BIGINT"),
        # Up to 15 significant digits a DOUBLE holds exactly; longer ones are judged by the
        # Python (Decimal) value, as the reference engine judges them.
        Form(
            "number",
            r"-?(0|[1-9][0-9]*)(\.[0-9]+)?",
            "DOUBLE",
            exact=r"-?(0|[1-9][0-9]{0,6})(\.[0-9]{1,8})?",
        ),
        # Years from 1000: every date a Python date and DuckDB's DATE read alike (DuckDB reads
        # 0000 as 1 BC); the schemas bound every date field far more narrowly anyway.
        Form("date", r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", "DATE"),
        Form("year", r"[1-9][0-9]{3}", "INTEGER"),
        Form("boolean", r"true|false", "BOOLEAN"),
    )
}
TYPES = frozenset(FORMS)


def form(kind: str) -> Form | None:
    return FORMS.get(kind)


def exact_pattern(kind: str) -> str:
    found = FORMS[kind]
    return found.exact or found.pattern


def parse(kind: str, text: str):
    """A cell's typed value ('' is None; text is text); raises ValueError, with a message for
    people, on text not in its type's form."""
    if text == "" or kind not in FORMS:
        return None if text == "" else text
    value = FORMS[kind].parse(text)
    if value is None:
        message, fix = refusal(kind, text)
        raise ValueError(f"{message} — {fix}")
    return value


def quoted(text: str, limit: int = 60) -> str:
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def refusal(kind: str, text: str) -> tuple[str, str]:
    """What is wrong with a cell not in its type's form, and how to write it, for people."""
    value = quoted(text)
    if kind == "integer" and re.fullmatch(r"-?0[0-9]+", text, re.ASCII):
        message, fix = _("{value} starts with a zero"), _("write the number without leading zeros")
    elif kind == "integer" and re.fullmatch(r"-?[1-9][0-9]*", text, re.ASCII):
        message = _("{value} is outside the range of whole numbers the data can hold")
        fix = _("check the value (a whole number here lies between {low} and {high})").format(
            low=INT64[0], high=INT64[1]
        )
    elif kind == "number" and re.fullmatch(FORMS[kind].pattern, text, re.ASCII):
        message, fix = _("{value} is too large for a number"), _("check the value")
        if significant(text) > DIGITS:
            message = _("{value} has more than {digits} significant digits").replace(
                "{digits}", str(DIGITS)
            )
            fix = _("round it to at most {digits} significant digits").format(digits=DIGITS)
    elif kind == "date" and re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text, re.ASCII):
        message, fix = _("{value} is not a date"), how_to_write(kind)
        if re.fullmatch(FORMS[kind].pattern, text):  # 2022-02-30: the form, but no such day
            fix = _("the month has no such day: check the date")
        elif text.startswith("0"):
            fix = _("check the year (a date here is in the year 1000 or later)")
        elif len(text) < len("YYYY-MM-DD"):
            message = _("{value} is not a date in the form YYYY-MM-DD")
            fix = _("write the month and the day with two digits each, such as 2022-09-01")
    else:
        message, fix = NOT_A.get(kind, NOT_A[""])(), how_to_write(kind)
    return message.format(value=value, type=kind), fix


# What a cell that is nothing like its type's form is not, for people.
NOT_A = {
    "integer": lambda: _("{value} is not a whole number in plain digits"),
    "number": lambda: _("{value} is not a number in plain decimal digits"),
    "boolean": lambda: _("{value} is not true or false"),
    "": lambda: _("{value} is not a {type}"),
}


def how_to_write(kind: str) -> str:
    """How to write a value of a type, for people."""
    return {
        "date": _("write dates as YYYY-MM-DD"),
        "integer": _(
            "write a whole number with the digits 0–9 only, and a minus sign if it is negative:"
            " no spaces, plus sign, thousands separator, decimal point or exponent"
        ),
        "number": _(
            "write a number with the digits 0–9 and a dot for decimals, such as 46.2661:"
            " no spaces, thousands separator or exponent (1E5), and no NaN or infinity"
        ),
        "year": _("write a four-digit year, such as 2023"),
        "boolean": _("write true or false, in small letters"),
        "datetime": _("write date and time as YYYY-MM-DDThh:mm:ssZ"),
    }.get(kind) or _("write a {type}").format(type=kind)
