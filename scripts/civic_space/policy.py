"""What a descriptor and its schemas may say here, checked before any engine reads a byte.

Plain frictionless accepts more: other CSV dialects, encodings, remote profiles and schemas, paths
anywhere. Each of those lets a pull request make the two engines disagree, read outside the
repository, reach the network or hang. Our package has one dialect (comma, double quote, UTF-8,
the header on line 1), so anything else is refused here with its reason, for every command.
"""

from __future__ import annotations

import math
import re
from pathlib import Path, PurePosixPath

from . import edge, lexical
from .i18n import _
from .patterns import parse, slow

# Keys a resource may carry, and the only value some of them may have.
RESOURCE_KEYS = {"name", "title", "description", "profile", "path", "schema", "format"}
RESOURCE_KEYS |= {"mediatype", "encoding", "sources", "licenses"}  # no bytes/hash: tables change
FIXED = {
    "profile": "tabular-data-resource",
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
}
PACKAGE_PROFILES = {"data-package", "tabular-data-package"}
SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys"}
FIELD_KEYS = {"name", "title", "type", "format", "description", "constraints"}
CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
CONSTRAINTS |= {"minLength", "maxLength"}
TYPES = {"string", "integer", "number", "boolean", "date", "year"}
# Where a table and its schema may be: a plain file in data/ or schemas/ (or a folder of it), so
# that no resource reads a hidden file (.git/config) or another kind of file; both engines and
# every tool read the tables through these paths.
PLACES = {
    "path": ("data", "csv"),
    "schema": ("schemas", "json"),
}
PART = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
BOUNDED = {"date", "year"}  # types whose fields must have a minimum and a maximum
MAX_FIELDS = 200  # the widest table has about 30
MAX_PATTERN = 500  # characters
# A field's name names a column in every download (CSV, SQL, Parquet, the workbook) and a form's
# element: an identifier, as a resource's name is (identifiers.py), with no invisible character.
FIELD_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
MAX_FIELD_NAME = 64


class Refusal(Exception):
    """One thing the descriptor or a schema may not say: what, and how to fix it."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


def inside(base: Path, relative: object, what: str) -> Path:
    """`relative` as a regular path inside `base`, through no symlink, or a Refusal."""
    fix = f"give {what} as a relative path inside the repository, such as data/events.csv"
    if not isinstance(relative, str) or not relative:
        raise Refusal(f"{what} is not a path", fix)
    if "://" in relative or relative.startswith(("/", "\\")) or ":" in relative.split("/")[0]:
        raise Refusal(
            f"{what} “{relative}” is not a relative path (no URLs, no absolute paths)", fix
        )
    parts = PurePosixPath(relative).parts
    if ".." in parts or "\\" in relative:
        raise Refusal(f"{what} “{relative}” leaves the repository", fix)
    odd = relative.endswith("/") or len(relative) > 200 or not relative.isprintable()
    if odd or any(len(part) > 100 for part in parts):
        raise Refusal(f"{what} “{relative!r}” is not a plain file name", fix)
    path = base.joinpath(*parts)
    try:  # no link on the way, and a regular file if anything (the repository's edge)
        edge.inside(base, path)
    except edge.EdgeError as exc:
        raise Refusal(f"{what} “{relative}”: {exc.path} {exc.message}", exc.fix) from None
    return path


def check_package(descriptor: dict) -> None:
    for key in ("profile", "$schema"):
        if key in descriptor and str(descriptor[key]) not in PACKAGE_PROFILES:
            raise Refusal(
                f"the package's {key} “{descriptor[key]}” is not allowed (nothing is fetched)",
                f'use "profile": "tabular-data-package", or remove {key}',
            )


def check_resource(resource: dict, label: str) -> None:
    extra = sorted(set(resource) - RESOURCE_KEYS - twins(resource, {"title", "description"}))
    if extra:
        raise Refusal(
            f"{label}: “{extra[0]}” is not allowed: the package has one CSV dialect"
            " (comma, double quote, UTF-8, the header on line 1)",
            f"remove “{extra[0]}” from the resource",
        )
    for key, value in FIXED.items():
        if key in resource and resource[key] != value:
            raise Refusal(f"{label}: {key} must be “{value}”", f'write "{key}": "{value}"')
    for key, (folder, suffix) in PLACES.items():
        if not re.fullmatch(rf"{folder}/(?:{PART}/)*{PART}\.{suffix}", resource[key]):
            example = f"{folder}/{resource['name']}.{suffix}"
            raise Refusal(
                _("{label}: the {key} “{path}” is not a .{suffix} file in {folder}/").format(
                    label=label, key=key, path=resource[key][:200], suffix=suffix, folder=folder
                ),
                _("give a relative path such as {example} (no hidden or other files)").format(
                    example=example
                ),
            )


def twins(mapping: dict, keys: set[str]) -> set[str]:
    """Translated twins of `keys` (title_mn for title), which carry no behaviour."""
    return {k for k in mapping if k.rpartition("_")[0] in keys and len(k.rpartition("_")[2]) == 2}


def check_schema(schema: dict) -> None:
    extra = sorted(set(schema) - SCHEMA_KEYS)
    if extra:
        raise Refusal(f"“{extra[0]}” is not allowed in a schema", f"remove “{extra[0]}”")
    fields = schema["fields"]
    if len(fields) > MAX_FIELDS:
        raise Refusal(
            f"has {len(fields)} fields; a table may have at most {MAX_FIELDS}",
            "split the table, or check that the schema was not damaged",
        )
    seen: set[str] = set()
    for number, field in enumerate(fields, start=1):
        check_field(field, number, seen)
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    if not isinstance(key, list) or any(k not in seen for k in key):
        raise Refusal(
            f"the primary key {key} names no field of this schema",
            "list existing field names in primaryKey",
        )
    if not isinstance(schema.get("foreignKeys", []), list):
        raise Refusal("foreignKeys is not a list", "write foreignKeys as a list")


def check_foreign_keys(schema: dict, schemas: dict[str, dict], own: str) -> None:
    """Every foreign key names fields of its table, a table of the package, and fields there."""
    fix = 'write {"fields": [...], "reference": {"resource": "<table>", "fields": [...]}}'
    for fk in schema.get("foreignKeys", []):
        ref = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(ref, dict):
            raise Refusal("a foreign key has no reference", fix)
        target = ref.get("resource") or own
        mine, theirs = as_list(fk.get("fields")), as_list(ref.get("fields"))
        if target not in schemas:
            raise Refusal(f"a foreign key refers to “{target}”, which is not a table", fix)
        if not mine or len(mine) != len(theirs):
            raise Refusal(f"the foreign key {mine} → {target} {theirs} names unknown fields", fix)
        for table, listed, have in ((own, mine, schema), (target, theirs, schemas[target])):
            unknown = [f for f in listed if f not in names(have)]
            if unknown:
                raise Refusal(
                    _("the foreign key {mine} → {target} {theirs}: the table {table} has no"
                      " field {unknown}").format(mine=mine, target=target, theirs=theirs,
                                                 table=table, unknown=", ".join(unknown)),
                    _("name fields the table {table} has, or check which schema"
                      " datapackage.json gives {table}").format(table=table),
                )  # fmt: skip
        kinds = [kind(schema, f) for f in mine], [kind(schemas[target], f) for f in theirs]
        if kinds[0] != kinds[1]:
            raise Refusal(
                f"the foreign key {mine} → {target} {theirs} joins fields of other types",
                "give the fields on both sides the same type",
            )


def kind(schema: dict, name: str) -> str:
    return next(f.get("type", "string") for f in schema["fields"] if f["name"] == name)


def as_list(value: object) -> list:
    return [value] if isinstance(value, str) else value if isinstance(value, list) else []


def names(schema: dict) -> set[str]:
    return {f["name"] for f in schema["fields"]}


def check_field(field: object, number: int, seen: set[str]) -> None:
    if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"]:
        raise Refusal(f"field {number} has no name", 'give every field a "name"')
    name = field["name"]
    if len(name) > MAX_FIELD_NAME or not FIELD_NAME.fullmatch(name):
        from .messages import visible  # here: messages imports the loader, which imports this

        raise Refusal(
            _("field {number}: the name “{name}” is not a field name: it names a column of every"
              " download, so it may hold only lower-case letters, digits and single _").format(
                number=number, name=visible(name[:200])),
            _("rename it, such as name_en (at most {limit} characters), in the schema and in the"
              " table's header").format(limit=MAX_FIELD_NAME),
        )  # fmt: skip
    if name in seen:
        raise Refusal(f"the field name “{name}” is used twice", "give each field its own name")
    seen.add(name)
    extra = sorted(set(field) - FIELD_KEYS - twins(field, {"title", "description"}))
    if extra:
        raise Refusal(f"field “{name}”: “{extra[0]}” is not allowed", f"remove “{extra[0]}”")
    if field.get("type", "string") not in TYPES:
        raise Refusal(
            f"field “{name}”: the type “{field.get('type')}” is not one we use",
            f"use one of: {', '.join(sorted(TYPES))}",
        )
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict) or set(constraints) - CONSTRAINTS:
        raise Refusal(
            f"field “{name}”: unknown constraints",
            f"use only: {', '.join(sorted(CONSTRAINTS))}",
        )
    if "pattern" in constraints:
        check_pattern(constraints["pattern"], name)
    kind = field.get("type", "string")
    for bound in ("minimum", "maximum"):
        if bound in constraints and not fits(constraints[bound], kind):
            raise Refusal(
                f"field “{name}”: {bound} {constraints[bound]!r} is not a {kind}",
                f"write {bound} as a {kind}, as the field's values are written",
            )
        # A date or a year is bounded by what the data can hold: a typo (2202, 0205) is then
        # refused, and every value lies within what every publisher writes.
        if kind in BOUNDED and bound not in constraints:
            raise Refusal(
                f"field “{name}”: a {kind} field needs a {bound}",
                f"give the {bound} the field's values can have, such as"
                f" {'1990' if kind == 'year' else '1990-01-01'}",
            )
    enum = constraints.get("enum", [])
    if not isinstance(enum, list) or any(v is None or isinstance(v, (dict, list)) for v in enum):
        raise Refusal(f"field “{name}”: enum is not a list of values", "list the allowed values")


def fits(value: object, kind: str) -> bool:
    """Whether a bound is written as a value of its field's type (a date in its canonical form,
    a whole number within the type's range, a finite number)."""
    if isinstance(value, bool):
        return False
    if kind in ("integer", "year"):
        return isinstance(value, int) and lexical.FORMS[kind].parse(str(value)) is not None
    if kind == "number":
        return isinstance(value, (int, float)) and math.isfinite(value)
    if kind == "date":
        return isinstance(value, str) and lexical.FORMS[kind].parse(value) is not None
    return False  # no bounds on text or booleans


def check_pattern(pattern: object, name: str) -> None:
    """A pattern that compiles, is short, and cannot backtrack exponentially."""
    fix = "write the pattern without a repeat inside a repeat, such as (a+)+, or two .* in a row"
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN:
        raise Refusal(f"field “{name}”: the pattern is not a string of at most {MAX_PATTERN}", fix)
    try:
        re.compile(f"^{pattern}$")  # as frictionless compiles it
        parsed = parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise Refusal(
            _("field “{name}”: the pattern does not compile ({reason})").format(
                name=name, reason=exc
            ),
            _("correct the regular expression: close every bracket and parenthesis, and escape"
              " a character meant literally with \\"),
        ) from None  # fmt: skip
    if slow(parsed):
        raise Refusal(
            f"field “{name}”: the pattern {pattern} can take a very long time on some text", fix
        )
