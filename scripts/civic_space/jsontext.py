"""JSON as the standard has it (RFC 8259, within I-JSON's limits, RFC 7493), the one reader of
the descriptor and the schemas.

Python's json reads more: NaN and Infinity, a name given twice (the last one wins, silently),
a lone surrogate ("\\ud800", which no UTF-8 file can hold), integers of any length (thousands
of digits stop int() with an error of its own), and nesting as deep as the stack (then a
RecursionError). Other readers of the same file (frictionless, GitHub, a browser) refuse these
or read them otherwise, so they are refused here, on their line, before Python reads the file.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .i18n import _

MAX_BYTES = 1_000_000  # the descriptor and every schema together hold under 100,000
MAX_DEPTH = 32  # the descriptor nests 5 deep
SAFE_INTEGER = 2**53 - 1  # I-JSON: integers beyond this are read differently by other readers
# A token of JSON: a string, a punctuation mark, a bare word (number, literal), or spaces.
TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)
# A run of tokens that need no look: spaces, commas and colons, numbers of at most 15 digits,
# literals, and strings without an escape that are values (not followed by a colon).
PLAIN = re.compile(
    r"(?:[ \t\n\r,:]|-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?(?![0-9.eE])"
    r'|true|false|null|"[^"\\\n]*"(?![ \t\n\r]*:))+'
)
SURROGATE = re.compile("[\ud800-\udfff]")
NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
LITERALS = {"true", "false", "null"}


class NotJSON(ValueError):
    """Text that is not standard JSON: what is wrong, on which line, and how to fix it."""

    def __init__(self, message: str, fix: str, line: int | None = None):
        super().__init__(message)
        self.message, self.fix, self.line = message, fix, line


def parse(raw: bytes) -> Any:
    """The value of a JSON file's bytes (read up to MAX_BYTES + 1), or NotJSON, located."""
    if len(raw) > MAX_BYTES:
        raise too_long()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NotJSON(_("is not UTF-8 text"), _("save the file as UTF-8"), line) from None
    return loads(text)


def loads(text: str) -> Any:
    """The value of a JSON text, or NotJSON (located) for anything the standard does not allow."""
    if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise too_long()
    check(text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotJSON(
            _("is not valid JSON: {reason} at column {column}").format(
                reason=exc.msg, column=exc.colno
            ),
            _("fix the JSON syntax (a missing comma or quote is the usual cause)"),
            exc.lineno,
        ) from None


def check(text: str) -> None:
    """Read the text token by token; stop quietly at a syntax error, which json words better.

    Runs of what needs no look (spaces, commas, short numbers, literals, strings without an
    escape that are not names) are skipped in one match: a large file takes milliseconds."""
    raw = SURROGATE.search(text)  # only from text not decoded strictly (never from a file)
    if raw:
        raise refusal(text, raw.start(), lone_surrogate(repr(raw.group())))
    stack: list[set[str] | None] = []  # per open object the names seen, per array None
    previous, at, end = "", 0, len(text)
    while at < end:
        plain = PLAIN.match(text, at)
        if plain:
            last = plain.end() - 1
            while last >= at and text[last] in " \t\n\r":
                last -= 1
            if last >= at:  # else only spaces: the token before them stays the previous one
                previous = text[last] if text[last] in (",", ":") else "0"
            at = plain.end()
            continue
        match = TOKEN.match(text, at)
        if not match:
            return
        token, where, at = match.group(), at, match.end()
        if token in ("{", "["):
            stack.append(set() if token == "{" else None)
            if len(stack) > MAX_DEPTH:
                raise refusal(text, where, too_deep())
        elif token in ("}", "]"):
            if stack:
                stack.pop()
        elif token[0] == '"':
            string(text, where, token, stack[-1] if stack and previous in ("{", ",") else None)
        elif token not in (":", ",") and token not in LITERALS:
            number(text, where, token)
        previous = token


def string(text: str, where: int, token: str, names: set[str] | None) -> None:
    """A string holds no lone surrogate; a name (`names`: its object's) is not given twice."""
    try:
        value = json.loads(token) if "\\" in token else token[1:-1]
    except json.JSONDecodeError:  # an escape JSON has not: json words it, with its place
        return
    if "\\" in token and SURROGATE.search(value):
        raise refusal(text, where, lone_surrogate(token))
    if names is not None:
        if value in names:
            raise refusal(text, where, twice(value))
        names.add(value)


def number(text: str, where: int, token: str) -> None:
    """A bare word that is a number JSON readers agree on; other words are json's to refuse."""
    if token in ("NaN", "Infinity", "-Infinity"):
        message = _("{word} is not a JSON value").format(word=token)
        raise refusal(text, where, (message, _("write a number, or null for no value")))
    match = NUMBER.fullmatch(token)
    if not match:
        return
    fix = _("write a number of at most 15 digits")
    if match.group(1) or match.group(2):
        if not math.isfinite(float(token)):
            raise refusal(text, where, (_("the number {n} is too large").format(n=token), fix))
    elif len(token) > 17 or abs(int(token)) > SAFE_INTEGER:
        short = token if len(token) <= 30 else token[:27] + "…"
        message = _("the integer {n} is beyond ±{limit:,}, what every JSON reader holds exactly")
        raise refusal(text, where, (message.format(n=short, limit=SAFE_INTEGER), fix))


def too_long() -> NotJSON:
    message = _("is over {limit:,} bytes long, more than a descriptor or schema holds")
    return NotJSON(
        message.format(limit=MAX_BYTES), _("check that the file was not damaged or replaced")
    )


def too_deep() -> tuple[str, str]:
    return (
        _("nests more than {depth} levels deep").format(depth=MAX_DEPTH),
        _("check that the file was not damaged; a descriptor nests a few levels at most"),
    )


def lone_surrogate(token: str) -> tuple[str, str]:
    shown = token if len(token) <= 40 else token[:37] + "…"
    return (
        _("the text {text} holds half of a UTF-16 pair (a lone surrogate)").format(text=shown),
        _("write the character itself, or both halves of its \\u escape"),
    )


def twice(name: str) -> tuple[str, str]:
    return (
        _("the name “{name}” is given twice in one object").format(name=name[:60]),
        _("keep one of the two (a JSON reader may take either)"),
    )


def refusal(text: str, where: int, what: tuple[str, str]) -> NotJSON:
    line = text.count("\n", 0, where) + 1
    column = where - (text.rfind("\n", 0, where) + 1) + 1
    message = _("{what} at column {column}").format(what=what[0], column=column)
    return NotJSON(message, what[1], line)
