"""The fast path: the same checks as frictionless plus ours, run column-wise in DuckDB.

Frictionless stays the reference. DuckDB reads each CSV once; SQL settles every value whose form
leaves no doubt (`2022-08-02`, `42`) and every rule that SQL can state exactly, and finds
candidates for the rest, which the very predicates of the reference path then judge (frictionless's
own `field.read_cell` for odd values, our checks' `note_for` functions for text). Anything the fast
path does not model exactly (a ragged or blank row, a BOM, CR line endings, a header that differs
from the schema, a valid but non-canonical number or date, an unsupported type or constraint)
raises Fallback, and the reference path validates the whole package instead. A differential test
holds both paths to the same verdicts over the whole damage corpus.
"""

from __future__ import annotations

import csv
import re
import tempfile
from types import SimpleNamespace

from . import checks as our
from .checks._shared import is_free_text
from .checks.canonical_form import unsorted_note
from .checks.date_precision import note_for as precision_note
from .checks.date_range import note_for as date_range_note
from .checks.derived_figure import notes_for as derived_notes
from .checks.filled_together import note_for as filled_note
from .checks.iso_code import note_for as iso_note
from .checks.matches_reference import note_for as reference_note
from .checks.mixed_script import note_for as mixed_script_note
from .checks.mongolian_script import note_for as mongolian_note
from .checks.personal_data import note_for as personal_data_note
from .checks.row_reference import notes_for as reference_notes
from .checks.spreadsheet_formula import note_for as formula_note
from .checks.stable_keys import gone_keys, released
from .checks.stable_keys import note_for as released_note
from .checks.translation_status import note_for as translation_note
from .checks.unicode_form import note_for as unicode_note
from .checks.url_host import is_url_field
from .checks.url_host import note_for as url_note
from .checks.vocabulary_used import note_for as vocabulary_note
from .checks.whitespace import note_for as whitespace_note
from .descriptor import DataPackage
from .messages import Problem, explain

SUPPORTED_TYPES = {"string", "integer", "number", "boolean", "date", "year"}
SUPPORTED_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
# Forms that frictionless and DuckDB read alike; anything else is judged by frictionless itself.
SAFE = {
    "integer": (r"-?(0|[1-9][0-9]{0,14})", "BIGINT"),
    # At most 15 significant digits, which a DOUBLE holds exactly; longer ones go to frictionless.
    "number": (r"-?(0|[1-9][0-9]{0,6})(\.[0-9]{1,8})?", "DOUBLE"),
    "date": (r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}", "DATE"),
    "year": (r"[1-9][0-9]{3}", "INTEGER"),
}
TRUE, FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")
ODD_VALUES_LIMIT = 10_000


class Fallback(Exception):
    """The fast path cannot model this package exactly: use the reference path."""


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


class FastValidator:
    def __init__(self, package: DataPackage, display, progress=None, facts=None):
        import duckdb
        from frictionless import Package

        self.package, self.display, self.progress = package, display, progress or (lambda m: None)
        self.facts = facts or {}
        # In memory, with a limit: what does not fit spills to a scratch folder, so memory stays
        # bounded however large the tables grow.
        self.scratch = tempfile.TemporaryDirectory(prefix="civic-space-")
        self.con = duckdb.connect()
        self.con.execute(
            "SET threads = 2; SET memory_limit = '600MB'; SET preserve_insertion_order = true;"
            f" SET temp_directory = {lit(self.scratch.name)}"
        )
        self.fields = {r.name: r.schema for r in Package(str(package.descriptor_path)).resources}
        self.found: list[tuple[str, int | None, str | None, str, str, str]] = []

    # -- helpers --------------------------------------------------------------------------

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def add(
        self, table: str, row: int | None, field: str | None, code: str, message: str, fix: str
    ):
        self.found.append((table, row, field, code, message, fix))

    def add_error(self, table: str, row: int, error) -> None:
        message, fix = explain(error, self.package.table(table))
        field = getattr(error, "field_name", None)
        if error.type == "foreign-key":
            field = ",".join(error.field_names)
        self.add(table, row, field, error.type, message, fix)

    def add_note(self, table: str, row: int | None, field: str | None, code: str, note: str):
        message, _, fix = note.partition(" — ")
        self.add(
            table, row, field, code, message, fix or "see the field's description in the schema"
        )

    # -- loading --------------------------------------------------------------------------

    def load(self) -> None:
        for table in self.package.tables:
            facts = self.facts.get(table.name)
            if facts is None or facts.bom or facts.carriage_return or facts.blank_line:
                raise Fallback(f"{table.name}: BOM, CR line endings or a blank line")
            with table.path.open("rb") as file:  # bad bytes further down are DuckDB's to refuse
                header = next(csv.reader([file.readline().decode("utf-8", "replace")]), [])
            if header != table.field_names:
                raise Fallback(f"{table.name}: header differs from the schema")
            for field in table.fields:
                cons = set(field.get("constraints", {}))
                if (
                    field.get("type", "string") not in SUPPORTED_TYPES
                    or field.get("format", "default") not in ("default", "uri")
                    or cons - SUPPORTED_CONSTRAINTS
                    or set(field)
                    - {"name", "title", "type", "format", "description", "constraints"}
                ):
                    raise Fallback(f"{table.name}.{field.get('name')}: not modelled")
            if set(table.schema) - {"fields", "primaryKey", "foreignKeys"}:
                raise Fallback(f"{table.name}: schema option not modelled")
            # One column more than the schema, padded: a row with a cell too many fills it, a row
            # with one too few leaves the last field NULL. Empty cells read as '' (NUL, the
            # null string, cannot occur: the preflight refuses it), then become NULL.
            columns = ", ".join(f"{lit(n)}: 'VARCHAR'" for n in [*table.field_names, "__extra"])
            last = q(table.field_names[-1])
            cells = ", ".join(f"nullif({q(n)}, '') AS {q(n)}" for n in table.field_names)
            try:
                self.con.execute(
                    f"CREATE TABLE {q(table.name)} AS SELECT row_number() OVER () + 1 AS __row,"
                    f" {cells}, (__extra IS NOT NULL OR {last} IS NULL) AS __misfit"
                    f" FROM read_csv({lit(str(table.path))}, header = true, auto_detect = false,"
                    f" columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"',"
                    f" strict_mode = true, null_padding = true, nullstr = chr(0))"
                )
            except Exception as exc:
                raise Fallback(f"{table.name}: {str(exc).splitlines()[0]}") from None
            if self.rows(f"SELECT count(*) FROM {q(table.name)} WHERE __misfit")[0][0]:
                raise Fallback(f"{table.name}: a row whose cells do not line up with the header")
            blank = " AND ".join(f"{q(n)} IS NULL" for n in table.field_names)
            if self.rows(f"SELECT count(*) FROM {q(table.name)} WHERE {blank}")[0][0]:
                raise Fallback(f"{table.name}: blank row")
            self.progress(f"read {table.name}")

    # -- frictionless's checks ------------------------------------------------------------

    def typed(self) -> None:
        """Add a typed column `name:t` per field; odd values go through frictionless itself."""
        for table in self.package.tables:
            schema = self.fields[table.name]
            exprs = []
            for field in table.fields:
                name, kind = field["name"], field.get("type", "string")
                col = q(name)
                if kind == "boolean":
                    expr = (
                        f"CASE WHEN {col} IN {tuple(TRUE)} THEN true"
                        f" WHEN {col} IN {tuple(FALSE)} THEN false END"
                    )
                    safe = f"{col} IN {tuple(TRUE + FALSE)}"
                elif kind in SAFE:
                    pattern, sql_type = SAFE[kind]
                    safe = f"regexp_full_match({col}, {lit(pattern)})"
                    expr = f"CASE WHEN {safe} THEN TRY_CAST({col} AS {sql_type}) END"
                    if kind == "date":  # a well-formed but impossible date (2022-13-02) is odd too
                        safe = f"({safe} AND {expr} IS NOT NULL)"
                else:
                    expr = col
                    safe = "true" if field.get("format", "default") == "default" else "false"
                exprs.append(f"{expr} AS {q(name + ':t')}")
                if safe == "true":
                    continue  # plain text: every value is what it says
                odd = self.rows(
                    f"SELECT DISTINCT {col} FROM {q(table.name)}"
                    f" WHERE {col} IS NOT NULL AND NOT ({safe}) LIMIT {ODD_VALUES_LIMIT + 1}"
                )
                if len(odd) > ODD_VALUES_LIMIT:
                    raise Fallback(f"{table.name}.{name}: too many non-canonical values")
                reader = schema.get_field(name)
                for (value,) in odd:
                    _, notes = reader.read_cell(value)
                    if not notes or "type" not in notes:
                        if kind != "string":
                            raise Fallback(f"{table.name}.{name}: valid non-canonical value")
                        continue  # a valid uri: nothing to report
                    rows = self.rows(
                        f"SELECT __row FROM {q(table.name)} WHERE {col} = {lit(value)}"
                    )
                    for (row,) in rows:
                        err = SimpleNamespace(
                            type="type-error", note=notes["type"], cell=value, field_name=name
                        )
                        self.add_error(table.name, row, err)
            # A view, not a copy: the typed values are computed where they are used.
            raw = q(table.name + ":raw")
            self.con.execute(
                f"ALTER TABLE {q(table.name)} RENAME TO {raw};"
                f" CREATE VIEW {q(table.name)} AS SELECT *, {', '.join(exprs)} FROM {raw}"
            )

    def constraints(self) -> None:
        for table in self.package.tables:
            t = q(table.name)
            for field in table.fields:
                name, cons = field["name"], field.get("constraints", {})
                col, typed = q(name), q(name + ":t")
                tests = []
                if cons.get("required"):
                    tests.append(("required", f"{col} IS NULL"))
                if "enum" in cons:
                    tests.append(("enum", f"{typed} NOT IN ({', '.join(map(lit, cons['enum']))})"))
                if "minimum" in cons:
                    tests.append(("minimum", f"{typed} < {lit(cons['minimum'])}"))
                if "maximum" in cons:
                    tests.append(("maximum", f"{typed} > {lit(cons['maximum'])}"))
                if "pattern" in cons:
                    # Python's re decides, as in frictionless (RE2 reads some classes, such as
                    # \D with Arabic-Indic digits, otherwise), once per distinct value.
                    pattern = re.compile(f"^{cons['pattern']}$")
                    sql = f"SELECT DISTINCT {col} FROM {t} WHERE {col} IS NOT NULL"
                    bad = [v for (v,) in self.rows(sql) if not pattern.match(v)]
                    if bad:
                        tests.append(("pattern", f"{col} IN ({', '.join(map(lit, bad))})"))
                for constraint, test in tests:
                    guard = "" if constraint == "required" else f"{typed} IS NOT NULL AND "
                    for row, cell in self.rows(f"SELECT __row, {col} FROM {t} WHERE {guard}{test}"):
                        note = f'constraint "{constraint}" is "{cons[constraint]}"'
                        err = SimpleNamespace(
                            type="constraint-error", note=note, cell=cell, field_name=name
                        )
                        self.add_error(table.name, row, err)
                if cons.get("unique"):
                    sql = (
                        f"SELECT __row, {col}, lag(__row) OVER (PARTITION BY {typed} ORDER BY __row)"
                        f" AS prev FROM {t} WHERE {typed} IS NOT NULL QUALIFY prev IS NOT NULL"
                    )
                    for row, cell, prev in self.rows(sql):
                        note = f"the same as in the row at position {prev}"
                        err = SimpleNamespace(
                            type="unique-error", note=note, cell=cell, field_name=name
                        )
                        self.add_error(table.name, row, err)

    def keys(self) -> None:
        for table in self.package.tables:
            t = q(table.name)
            pk = [q(k + ":t") for k in table.primary_key]
            if pk:
                all_null = " AND ".join(f"{k} IS NULL" for k in pk)
                sql = (
                    f"SELECT __row, ({all_null}) AS empty, lag(__row) OVER (PARTITION BY {', '.join(pk)}"
                    f" ORDER BY __row) AS prev FROM {t} QUALIFY empty OR prev IS NOT NULL"
                )
                for row, empty, prev in self.rows(sql):
                    note = (
                        'cells composing the primary keys are all "None"'
                        if empty
                        else f"the same as in the row at position {prev}"
                    )
                    self.add_error(table.name, row, SimpleNamespace(type="primary-key", note=note))
            for fk in table.schema.get("foreignKeys", []):
                ref = fk["reference"]["resource"] or table.name
                mine = [q(f + ":t") for f in fk["fields"]]
                theirs = [q(f + ":t") for f in fk["reference"]["fields"]]
                match = " AND ".join(
                    f"s.{a} IS NOT DISTINCT FROM r.{b}" for a, b in zip(mine, theirs, strict=True)
                )
                not_all_null = " OR ".join(f"s.{a} IS NOT NULL" for a in mine)
                cells = ", ".join(f"s.{q(f)}" for f in fk["fields"])
                sql = (
                    f"SELECT s.__row, {cells} FROM {t} s WHERE ({not_all_null}) AND NOT EXISTS"
                    f" (SELECT 1 FROM {q(ref)} r WHERE {match})"
                )
                for row, *values in self.rows(sql):
                    err = SimpleNamespace(
                        type="foreign-key",
                        note="",
                        field_names=fk["fields"],
                        field_cells=["" if v is None else v for v in values],
                        reference_name=fk["reference"]["resource"],
                        reference_field_names=fk["reference"]["fields"],
                    )
                    self.add_error(table.name, row, err)
            # Duplicate rows. With a primary key, an identical row repeats its key too, so only
            # rows whose key repeats (or is empty) are candidates; without one, equal hashes are.
            raw = ", ".join(q(n) for n in table.field_names)
            same = " AND ".join(
                f"a.{q(n)} IS NOT DISTINCT FROM b.{q(n)}" for n in table.field_names
            )
            if pk:
                keyed = " AND ".join(
                    f"a.{q(k)} IS NOT DISTINCT FROM b.{q(k)}" for k in table.primary_key
                )
                all_null = " AND ".join(f"{k} IS NULL" for k in pk)
                sql = (
                    f"WITH d AS (SELECT __row FROM {t} QUALIFY ({all_null}) OR"
                    f" lag(__row) OVER (PARTITION BY {', '.join(pk)} ORDER BY __row) IS NOT NULL)"
                    f" SELECT a.__row, max(b.__row) FROM d JOIN {t} a ON a.__row = d.__row"
                    f" JOIN {t} b ON {keyed} AND b.__row < a.__row WHERE {same} GROUP BY a.__row"
                )
            else:
                sql = (
                    f"WITH h AS (SELECT __row, lag(__row) OVER (PARTITION BY hash({raw}) ORDER BY __row)"
                    f" AS prev FROM {t} QUALIFY prev IS NOT NULL)"
                    f" SELECT h.__row, h.prev FROM h JOIN {t} a ON a.__row = h.__row"
                    f" JOIN {t} b ON b.__row = h.prev WHERE {same}"
                )
            for row, prev in self.rows(sql):
                note = f'the same as row at position "{prev}"'
                self.add_error(table.name, row, SimpleNamespace(type="duplicate-row", note=note))

    # -- our checks -----------------------------------------------------------------------

    def text_checks(self) -> None:
        """One scan per row: SQL finds candidate rows, our checks' own predicates decide.

        A table's cells are joined by NUL (which no cell holds: the preflight refuses it), and
        one RE2 alternation of every rule's pattern finds every candidate row (a superset: the
        predicates then judge each cell exactly). One pattern per table, not per column: RE2
        takes milliseconds to compile the Unicode classes."""
        exempt = next(c.exempt for c in our.checks(self.package) if c.type == "mixed-script")
        space = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
        start, end = r"(?:^|\x{00})", r"(?:$|\x{00})"  # of a cell
        # Between two letters of one Python word there are only word characters, none of them
        # ASCII space or punctuation (or the NUL between cells): a small superset.
        word = r"[^\s,.;:!?()/\x{00}-]*"
        # Characters that are NFC-stable and no control: a cell made only of these is fine.
        plain = r"\x{00}\x{0a}\x{20}-\x{7e}\x{a0}-\x{ac}\x{ae}-\x{ff}\x{400}-\x{482}\x{48a}-\x{4ff}\x{2010}-\x{2027}"
        patterns = {
            "unicode-form": f"[^{plain}]",
            "spreadsheet-formula": rf"{start}[=+\-@\t\r]",
            "whitespace": f"{start}{space}|{space}{end}|  ",
            "personal-data": r"[@\x{ff20}\x{fe6b}]|\p{Nd}{4}[ -]?\p{Nd}{4}",
            "mixed-script": rf"\p{{Latin}}{word}\p{{Cyrillic}}|\p{{Cyrillic}}{word}\p{{Latin}}",
        }
        notes = {
            "unicode-form": unicode_note,
            "spreadsheet-formula": formula_note,
            "whitespace": whitespace_note,
            "personal-data": personal_data_note,
            "mixed-script": mixed_script_note,
        }
        for table in self.package.tables:
            t = q(table.name)
            columns = []  # (field, the rules that apply to it)
            for field in table.fields:
                name, kind = field["name"], field.get("type", "string")
                free = is_free_text(kind)
                rules = ["unicode-form"] + ["spreadsheet-formula"] * (kind == "string")
                if free:
                    rules += ["whitespace", "personal-data"]
                    rules += ["mixed-script"] * (f"{table.name}.{name}" not in exempt)
                columns.append((name, rules))
            used = dict.fromkeys(r for _, rules in columns for r in rules)
            regex = "|".join(f"(?:{patterns[r]})" for r in used)
            cells = ", ".join(q(n) for n in table.field_names)
            sql = (
                f"SELECT __row, {cells} FROM {t}"
                f" WHERE regexp_matches(concat_ws(chr(0), {cells}), {lit(regex)})"
            )
            for row, *values in self.rows(sql):
                for (name, rules), value in zip(columns, values, strict=True):
                    for code in rules if value is not None else []:
                        note = notes[code](value)
                        if note:
                            self.add_note(table.name, row, name, code, note)
            vetted = our.settings(self.package).get("url-hosts", {})
            for field in table.fields:
                name, col = field["name"], q(field["name"])
                where = f"{table.name}.{name}"
                if not is_url_field(field.get("format", "default"), where, vetted):
                    continue
                hosts = vetted.get(where, [])
                for (url,) in self.rows(f"SELECT DISTINCT {col} FROM {t} WHERE {col} IS NOT NULL"):
                    note = url_note(url, where, hosts)
                    for (row,) in (
                        self.rows(f"SELECT __row FROM {t} WHERE {col} = {lit(url)}") if note else []
                    ):
                        self.add_note(table.name, row, name, "url-host", note)

    # Checks run by the steps above, cell by cell (text_checks) or with the keys (keys).
    COVERED = frozenset(
        {"duplicate-row", "foreign-keys", "unicode-form", "whitespace", "mixed-script"}
        | {"spreadsheet-formula", "personal-data", "url-host"}
    )

    def table_checks(self) -> None:
        for check in our.checks(self.package):
            method = getattr(self, "check_" + check.type.replace("-", "_"), None)
            if method:
                method(check)
            elif check.type not in self.COVERED:  # never skipped silently
                raise Fallback(f"the check {check.type} has no fast form")

    def check_canonical_form(self, check) -> None:
        for table in self.package.tables:
            parts = []
            for k in table.primary_key:
                col = f"coalesce({q(k)}, '')"
                if table.field(k).get("type") in ("integer", "number", "year"):
                    num = f"TRY_CAST({col} AS DOUBLE)"
                    parts.append(
                        f"{{'n': CASE WHEN {num} IS NULL THEN 1 ELSE 0 END, 'v': coalesce({num}, 0), 's': {col}}}"
                    )
                else:
                    parts.append(f"{{'n': 0, 'v': 0.0, 's': {col}}}")
            key = "[" + ", ".join(parts) + "]"
            sql = (
                f"SELECT __row FROM (SELECT __row, {key} AS k, lag({key}) OVER (ORDER BY __row) AS p"
                f" FROM {q(table.name)}) WHERE k < p ORDER BY __row LIMIT 1"
            )
            for (row,) in self.rows(sql):
                self.add_note(
                    table.name, row, None, "canonical-form", unsorted_note(table.primary_key)
                )

    def check_iso_code(self, c) -> None:
        t, code, level = q(c.resource_name), q(c.field_name), q(c.level_field_name)
        for row, value, lvl in self.rows(
            f"SELECT __row, coalesce({code}, ''), coalesce({level}, '') FROM {t}"
        ):
            note = iso_note(value, lvl)
            if note:
                self.add_note(c.resource_name, row, c.field_name, "iso-code", note)

    def check_mongolian_script(self, c) -> None:
        # Candidates: no Cyrillic at all, or a Cyrillic letter outside the Mongolian alphabet.
        other = r"[\x{400}\x{402}-\x{40f}\x{450}\x{452}-\x{4ad}\x{4b0}-\x{4e7}\x{4ea}-\x{52f}]"
        candidate = lit(rf"^[^\x{{400}}-\x{{52f}}]*$|{other}")
        for table, names in c.fields.items():
            for name in names:
                sql = (
                    f"SELECT __row, {q(name)} FROM {q(table)}"
                    f" WHERE regexp_matches({q(name)}, {candidate})"
                )
                for row, value in self.rows(sql):
                    note = mongolian_note(value)
                    if note:
                        self.add_note(table, row, name, "mongolian-script", note)

    def check_translation_status(self, c) -> None:
        for table, spec in c.tables.items():
            status, pairs = q(spec["status"]), spec["twins"]
            missing = " OR ".join(f"{q(mn)} IS NOT NULL" for _, mn in pairs)
            lacking = " OR ".join(f"({q(en)} IS NOT NULL AND {q(mn)} IS NULL)" for en, mn in pairs)
            cols = ", ".join(f"coalesce({q(n)}, '')" for pair in pairs for n in pair)
            sql = (
                f"SELECT __row, coalesce({status}, ''), {cols} FROM {q(table)}"
                f" WHERE ({status} = 'missing' AND ({missing}))"
                f" OR ({status} <> 'missing' AND ({lacking}))"
            )
            for row, value, *cells in self.rows(sql):
                twins = [
                    (en, cells[2 * i], mn, cells[2 * i + 1]) for i, (en, mn) in enumerate(pairs)
                ]
                found = translation_note(value, spec["status"], twins)
                if found:
                    self.add_note(table, row, found[0], "translation-status", found[1])

    def check_filled_together(self, c) -> None:
        filled = " + ".join(f"({q(n)} IS NOT NULL)::INT" for n in c.field_names)
        cols = ", ".join(q(n) for n in c.field_names)
        sql = f"SELECT __row, {cols} FROM {q(c.resource_name)} WHERE ({filled}) BETWEEN 1 AND {len(c.field_names) - 1}"
        for row, *values in self.rows(sql):
            empty = [n for n, v in zip(c.field_names, values, strict=True) if v is None]
            note = filled_note(c.field_names, empty)
            self.add_note(c.resource_name, row, empty[0], "filled-together", note)

    def dates(self, c):
        s, e = q(c.start_field_name + ":t"), q(c.end_field_name + ":t")
        unparsed = (
            f"({q(c.start_field_name)} IS NOT NULL AND {s} IS NULL) OR"
            f" ({q(c.end_field_name)} IS NOT NULL AND {e} IS NULL)"
        )
        return s, e, unparsed

    def check_date_range(self, c) -> None:
        s, e, unparsed = self.dates(c)
        sql = (
            f"SELECT __row, {s}, {e} FROM {q(c.resource_name)} WHERE NOT ({unparsed})"
            f" AND ((({s} IS NULL) <> ({e} IS NULL)) OR {e} < {s})"
        )
        for row, start, end in self.rows(sql):
            note = date_range_note(start, end)
            self.add_note(c.resource_name, row, c.end_field_name, "date-range", note)

    def check_date_precision(self, c) -> None:
        s, e, unparsed = self.dates(c)
        p = q(c.precision_field_name)
        bad = (
            f"CASE {p} WHEN 'unknown' THEN {s} IS NOT NULL OR {e} IS NOT NULL"
            f" ELSE ({p} IN ('day', 'month', 'season', 'year') AND ({s} IS NULL OR {e} IS NULL))"
            f" OR ({p} = 'month' AND NOT (day({s}) = 1 AND {e} = last_day({s})))"
            f" OR ({p} = 'year' AND NOT (month({s}) = 1 AND day({s}) = 1 AND month({e}) = 12"
            f" AND day({e}) = 31 AND year({s}) = year({e})))"
            f" OR ({p} = 'season' AND year({s}) <> year({e})) END"
        )
        sql = f"SELECT __row, {p}, {s}, {e} FROM {q(c.resource_name)} WHERE {p} IS NOT NULL AND NOT ({unparsed}) AND ({bad})"
        for row, precision, start, end in self.rows(sql):
            note = precision_note(precision, start, end, c.precision_field_name)
            if note:
                self.add_note(c.resource_name, row, c.precision_field_name, "date-precision", note)

    def check_matches_reference(self, c) -> None:
        t, r = q(c.resource_name), q(c.target_resource_name)
        target_key = q(self.package.table(c.target_resource_name).primary_key[0])
        sql = (
            f"SELECT s.__row, coalesce(s.{q(c.field_name)}, ''), s.{q(c.via_field_name)},"
            f" coalesce(r.{q(c.target_field_name)}, '') FROM {t} s JOIN {r} r ON s.{q(c.via_field_name)} = r.{target_key}"
            f" WHERE coalesce(s.{q(c.field_name)}, '') <> coalesce(r.{q(c.target_field_name)}, '')"
        )
        for row, value, via, expected in self.rows(sql):
            note = reference_note(
                value, c.target_resource_name, via, c.via_field_name, c.target_field_name, expected
            )
            self.add_note(c.resource_name, row, c.field_name, "matches-reference", note)

    def check_derived_figure(self, c) -> None:
        t = q(c.resource_name)
        key = q(self.package.table(c.resource_name).primary_key[0])
        value, method, formula = (
            q(c.value_field_name),
            q(c.method_field_name),
            q(c.formula_field_name),
        )
        sql = (
            f"SELECT __row, coalesce({formula}, ''), coalesce({method}, ''), coalesce({value}, '')"
            f" FROM {t} WHERE {method} = {lit(c.derived_value)} OR {formula} IS NOT NULL"
        )
        names = (c.value_field_name, c.method_field_name, c.formula_field_name)

        def figure(ref: str):
            found = self.rows(f"SELECT coalesce({value}, '') FROM {t} WHERE {key} = {lit(ref)}")
            return found[0][0] if found else None

        for row, form, meth, val in self.rows(sql):
            for field, note in derived_notes(
                form, meth == c.derived_value, val, figure, c.derived_value, names
            ):
                self.add_note(c.resource_name, row, field, "derived-figure", note)

    def check_vocabulary_used(self, c) -> None:
        sql = (
            f"SELECT __row, {q(c.field_name)} FROM {q(c.resource_name)} v WHERE NOT EXISTS"
            f" (SELECT 1 FROM {q(c.user_resource_name)} u WHERE u.{q(c.user_field_name)} = v.{q(c.field_name)})"
        )
        for row, term in self.rows(sql):
            note = vocabulary_note(term, c.user_resource_name, c.user_field_name)
            self.add_note(c.resource_name, row, c.field_name, "vocabulary-used", note)

    def check_row_reference(self, c) -> None:
        tables = {t.name: t for t in self.package.tables}
        fields = [c.table_field_name, c.key_field_name, c.field_field_name]
        cols = ", ".join(f"coalesce({q(f)}, '')" if f else "''" for f in fields)
        which = {"table": c.table_field_name, "field": c.field_field_name, "key": c.key_field_name}

        def has_row(name: str, key: str) -> bool:
            joined = " || '/' || ".join(f"coalesce({q(k)}, '')" for k in tables[name].primary_key)
            return bool(self.rows(f"SELECT 1 FROM {q(name)} WHERE {joined} = {lit(key)} LIMIT 1"))

        for row, name, key, field in self.rows(f"SELECT __row, {cols} FROM {q(c.resource_name)}"):
            for part, note in reference_notes(name, key, field, tables, has_row):
                self.add_note(c.resource_name, row, which[part], "row-reference", note)

    def check_stable_keys(self, c) -> None:
        release = released(self.package)
        for table in self.package.tables if release else []:
            joined = " || '/' || ".join(f"coalesce({q(k)}, '')" for k in table.primary_key)
            now = {k for (k,) in self.rows(f"SELECT {joined} FROM {q(table.name)}")}
            for key in gone_keys(self.package, release, table, now):
                note = released_note(key, table.name, release.tag, c.withdrawals_resource_name)
                self.add_note(table.name, None, None, "stable-keys", note)

    # -- all together ---------------------------------------------------------------------

    def run(self) -> list[Problem]:
        self.load()
        for step in (self.typed, self.constraints, self.keys, self.text_checks, self.table_checks):
            step()
            self.progress(f"{step.__name__} done")
        return self.problems()

    def problems(self) -> list[Problem]:
        from .files import line_numbers

        order = {t.name: i for i, t in enumerate(self.package.tables)}
        out = []
        lines: dict[str, list[int]] = {}
        for table, row, field, code, message, fix in sorted(
            self.found, key=lambda f: (order[f[0]], f[1] or 0)
        ):
            path = self.package.table(table).path
            line = None
            if row is not None:
                if table not in lines:
                    lines[table] = line_numbers(path)
                line = lines[table][row] if row < len(lines[table]) else row
            title = self.package.table(table).field(field).get("title") if field else None
            out.append(Problem(self.display(path), message, fix, code, line, field, title))
        return out


def validate_fast(package: DataPackage, display, progress=None, facts=None) -> list[Problem]:
    """All problems, found column-wise; raises Fallback where only the reference path is exact."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise Fallback("duckdb is not installed") from None
    try:
        validator = FastValidator(package, display, progress, facts)
    except Exception as exc:
        raise Fallback(f"{type(exc).__name__}: {exc}") from None
    try:
        return validator.run()
    except Fallback:
        raise
    except Exception as exc:  # anything unforeseen: the reference path judges instead
        raise Fallback(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
    finally:
        validator.con.close()
        validator.scratch.cleanup()
