"""The fast engine: the same checks as frictionless plus ours, run column-wise in DuckDB.

Frictionless stays the reference. DuckDB reads each CSV once (fast_load.py); SQL settles every
value whose form leaves no doubt (`2022-08-02`, `42`) and every standard rule that SQL states
exactly (fast_standard.py). Our checks run their own definitions: a cell rule's predicate, or a
check's `fast` form, which finds candidates in SQL and judges them with the check's own
function (fast_checks.py). Anything not modelled exactly (a ragged or blank row, a BOM, CR line
endings, a header that differs from the schema, a number with more digits than a DOUBLE holds
exactly, an unsupported type or constraint) raises Fallback, and the reference engine validates the whole
package instead. A differential test holds both engines to the same verdicts.
"""

from __future__ import annotations

import tempfile

from frictionless import Schema

from .canonical_types import install
from .descriptor import DataPackage
from .fast_checks import run_checks
from .fast_load import Fallback, load, typed
from .fast_standard import constraints, keys
from .locate import Locator
from .messages import Problem, explain
from .problem_cap import Collector
from .sql import lit, q

__all__ = ["Fallback", "FastValidator", "validate_fast"]


class FastValidator:
    """One run: a DuckDB connection holding the package, and the problems found so far."""

    def __init__(self, package: DataPackage, display, progress=None, facts=None):
        import duckdb

        # The descriptor and schemas have passed frictionless's profiles (validate.standard).
        install()  # frictionless's reader of odd values reads the canonical forms only
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
        self._schemas: dict = {}
        self.sizes: dict[str, int] = {}  # rows per table, counted as it is read
        self.found = Collector()  # the first problems of each table, and a count of the rest

    def reader(self, table: str, field: str):
        """frictionless's own reader of a field's values, which judges the odd ones (built when
        first needed: most tables have no odd value, and a schema takes milliseconds)."""
        if table not in self._schemas:
            self._schemas[table] = Schema.from_descriptor(self.package.table(table).schema)
        return self._schemas[table].get_field(field)

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def stream(self, sql: str, batch: int = 10_000):
        """The rows of a query that may return one per row of a table, a batch at a time (on a
        cursor of its own, so that queries run inside the loop do not end it)."""
        cursor = self.con.cursor()
        try:
            cursor.execute(sql)
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()

    @staticmethod
    def typed(name: str) -> str:
        """The column holding a field's typed values (NULL where empty or not of the type)."""
        return q(name + ":t")

    def unparsed(self, *names: str) -> str:
        """SQL: one of these cells holds text that is not of its field's type."""
        return " OR ".join(f"({q(n)} IS NOT NULL AND {self.typed(n)} IS NULL)" for n in names)

    def add_error(self, table: str, row: int | None, error) -> None:
        """A problem in frictionless's terms (its error type and note)."""
        message, fix = explain(error, self.package.table(table))
        field = getattr(error, "field_name", None)
        if error.type == "foreign-key":
            field = ",".join(error.field_names)
        self.found.add(table, row, field, error.type, message, fix)

    def note(self, table: str, row: int | None, field: str | None, code: str, note: str):
        """A problem in our checks' terms: a note 'what is wrong — how to fix it'."""
        message, _, fix = note.partition(" — ")
        fix = fix or "see the field's description in the schema"
        self.found.add(table, row, field, code, message, fix)

    def run(self) -> list[Problem]:
        for step in (load, typed, constraints, keys, run_checks):
            step(self)
            self.progress(f"{step.__name__} done")
        locate = Locator(self.display)

        def place(name: str, *where_what) -> Problem:
            return locate(self.package.table(name), self.package.table(name).path, *where_what)

        return list(self.found.problems([t.name for t in self.package.tables], place))


def validate_fast(package: DataPackage, display, progress=None, facts=None) -> list[Problem]:
    """All problems, found column-wise; raises Fallback where only the reference is exact."""
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
    except Exception as exc:  # anything unforeseen: the reference engine judges instead
        raise Fallback(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
    finally:
        validator.con.close()
        validator.scratch.cleanup()
