"""The per-value view of the downloads: every non-empty cell of every table (table, row key,
field, value) with its basis, its annotation and its source, so that "which values does the
report state?" is one filter instead of rebuilding keys, expanding the annotations on whole
fields and an anti-join. A value has a row for each annotation that applies to it (its own, or
else its field's; a note may rest on two outside sources), or one row saying it is stated.

Its fields are declared in value_view.json, a Table Schema that the exporters, the data
dictionary and Datasette read; this module reads the names from there, in the schema's order:
the table, the row key, the field, the value, the basis, the annotation, the source. It is
computed from the CSVs when the downloads are made (in DuckDB, on disk, so a big package
never sits in memory) and stored nowhere in the package."""

from __future__ import annotations

import contextlib
import copy
import shutil
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from .descriptor import DataPackage, Table, load_json
from .meanings import ANNOTATIONS
from .sql import lit, q, read_csv, row_key

SCHEMA_PATH = Path(__file__).with_name("value_view.json")
ROLES = ("table", "row_key", "field", "value", "basis", "annotation", "source")
# The cells of every table, as cells_sql gives them (after the table's name).
CELLS = (
    "tname VARCHAR, t BIGINT, r BIGINT, key VARCHAR, row_source VARCHAR, field VARCHAR,"
    " value VARCHAR, f BIGINT"
)
BATCH = 10_000  # rows fetched at a time by the writers that stream (SQLite, CSV)
MEMORY = "512MB"  # what DuckDB may hold in memory while it makes the view


@cache
def declared() -> dict:
    """The view's schema as value_view.json declares it."""
    found = load_json(SCHEMA_PATH)  # the strict reader, as every schema is read
    if len(found["fields"]) != len(ROLES):  # the columns below are built in this order
        raise ValueError(
            f"{SCHEMA_PATH.name}: give exactly {len(ROLES)} fields, in this order: {ROLES}"
        )
    return found


def names() -> dict[str, str]:
    """Each column's part in the view → its name in the schema."""
    return dict(zip(ROLES, (f["name"] for f in declared()["fields"]), strict=True))


def name() -> str:
    return declared()["name"]


def stated() -> str:
    """The basis of a value no annotation applies to (the first the schema allows)."""
    return declared()["fields"][ROLES.index("basis")]["constraints"]["enum"][0]


def schema(package: DataPackage) -> dict:
    """The view's Table Schema for this package: the bases an annotation can give are added to
    `stated`, and a foreign key to a table the package lacks is left out."""
    found = copy.deepcopy(
        {k: v for k, v in declared().items() if k not in ("name", "title", "description")}
    )
    tables = {t.name: t for t in package.tables}
    if ANNOTATIONS.table in tables:
        basis = tables[ANNOTATIONS.table].field(ANNOTATIONS.basis)
        enum = found["fields"][ROLES.index("basis")]["constraints"]["enum"]
        enum += [v for v in basis.get("constraints", {}).get("enum", []) if v not in enum]
    found["foreignKeys"] = [
        fk for fk in found.get("foreignKeys", []) if fk["reference"]["resource"] in tables
    ]
    return found


def table(package: DataPackage, folder: Path | None = None) -> Table:
    """The view as a Table (its CSV download in `folder`, if given), for code that documents
    or describes tables."""
    path = (folder or Path()) / f"{name()}.csv"
    return Table(name(), path, SCHEMA_PATH, schema(package))


def stated_query() -> str:
    """The SQL that keeps only the values stated in their row's source."""
    return f"SELECT * FROM {q(name())} WHERE {q(names()['basis'])} = {lit(stated())}"


def pointers_sql(package: DataPackage) -> str:
    """The annotations, each with its place in the file, as (line, table, key, field, basis,
    id, source); none if the package has no annotations table."""
    empty = "SELECT NULL::BIGINT AS line, " + ", ".join(
        f"NULL::VARCHAR AS {c}" for c in ("resource", "key", "field", "basis", "id", "source")
    )
    if ANNOTATIONS.table not in {t.name for t in package.tables}:
        return empty + " WHERE false"
    notes = package.table(ANNOTATIONS.table)
    ident, source = notes.primary_key[0], names()["source"]
    source = q(source) if source in notes.field_names else "NULL"
    return (
        f"SELECT row_number() OVER () AS line, {q(ANNOTATIONS.resource)} AS resource,"
        f" coalesce({q(ANNOTATIONS.row_key)}, '') AS key, {q(ANNOTATIONS.field)} AS field,"
        f" {q(ANNOTATIONS.basis)} AS basis, {q(ident)} AS id, {source} AS source"
        f" FROM {read_csv(notes.path, notes.field_names)}"
    )


def cells_sql(tab: Table, position: int) -> str:
    """One row per non-empty cell of `tab`: its table's place in the package, its row's and its
    field's place, the row's key, the row's own source, the field's name and the value."""
    src = names()["source"]
    fields = tab.field_names
    return (
        f"SELECT {position} AS t, row_number() OVER () AS r, {row_key(tab.primary_key)} AS key,"
        f" {q(src) if src in fields else 'NULL'} AS row_source,"
        f" unnest([{', '.join(lit(n) for n in fields)}]) AS field,"
        f" unnest([{', '.join(map(q, fields))}]::VARCHAR[]) AS value,"
        f" unnest(range({len(fields)})) AS f"
        f" FROM {read_csv(tab.path, fields)}"
    )


def view_sql() -> str:
    """The view over the `cells` and `pointers` tables: a row for each annotation on a value,
    else for each annotation on its whole field, else one row saying the value is stated."""
    out = names()
    hits = (
        "SELECT c.t, c.r, c.f, p.line, p.basis, p.id, p.source, {level} AS level FROM cells c"
        " JOIN pointers p ON p.resource = c.tname AND p.field = c.field AND {match}"
    )
    own = hits.format(level=1, match="p.key <> '' AND p.key = c.key")
    whole = hits.format(level=0, match="p.key = ''")
    return (
        f"WITH hit AS ({own} UNION ALL {whole}),"
        " best AS (SELECT * FROM hit QUALIFY level = max(level) OVER (PARTITION BY t, r, f))"
        f" SELECT c.tname AS {q(out['table'])}, c.key AS {q(out['row_key'])},"
        f" c.field AS {q(out['field'])}, c.value AS {q(out['value'])},"
        f" coalesce(b.basis, {lit(stated())}) AS {q(out['basis'])},"
        f" nullif(b.id, '') AS {q(out['annotation'])},"
        f" nullif(CASE WHEN b.id IS NULL THEN c.row_source ELSE b.source END, '')"
        f" AS {q(out['source'])}"
        " FROM cells c LEFT JOIN best b ON b.t = c.t AND b.r = c.r AND b.f = c.f"
        " ORDER BY c.t, c.r, c.f, b.line"
    )


class View:
    """The view computed in a DuckDB database on disk: its rows in order, in batches, or copied
    to a file by DuckDB."""

    def __init__(self, con, scratch: Path):
        self.con, self.scratch = con, scratch
        self.columns = list(names().values())

    def batches(self) -> Iterator[list[tuple]]:
        cursor = self.con.execute(
            f"SELECT {', '.join(map(q, self.columns))} FROM {q(name())} ORDER BY rowid"
        )
        while rows := cursor.fetchmany(BATCH):
            yield rows

    def count(self) -> int:
        return self.con.execute(f"SELECT count(*) FROM {q(name())}").fetchone()[0]

    def example(self) -> dict[str, str]:
        """A row with every field filled, where there is one: the first a note applies to."""
        note = q(names()["annotation"])
        row = self.con.execute(
            f"SELECT {', '.join(map(q, self.columns))} FROM {q(name())}"
            f" ORDER BY {note} IS NULL, rowid LIMIT 1"
        ).fetchone()
        return {
            c: v or "" for c, v in zip(self.columns, row or [""] * len(self.columns), strict=True)
        }

    def copy_to(self, target: Path, options: str) -> None:
        self.con.execute(
            f"COPY (SELECT * FROM {q(name())} ORDER BY rowid) TO {lit(str(target))} ({options})"
        )

    def json_array(self, out) -> None:
        """Write the rows to the text file `out` as a JSON array of objects, made by DuckDB."""
        part = self.scratch / "values.json"
        self.copy_to(part, "FORMAT json, ARRAY true")
        with part.open(encoding="utf-8") as made:
            shutil.copyfileobj(made, out)
        part.unlink()


def given(package: DataPackage, view: View | None):
    """`view` if a caller computed it already (the downloads share one), else computed now."""
    return contextlib.nullcontext(view) if view is not None else computed(package)


@contextlib.contextmanager
def computed(package: DataPackage) -> Iterator[View]:
    """The view of `package`, computed once, for as long as the block runs."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="value-view-") as scratch:
        con = duckdb.connect(str(Path(scratch) / "view.duckdb"))
        try:
            # Bounded, as the fast engine is: a big package spills to the scratch folder.
            con.execute(
                f"SET threads = 2; SET memory_limit = {lit(MEMORY)};"
                f" SET preserve_insertion_order = true; SET temp_directory = {lit(scratch)}"
            )
            con.execute(f"CREATE TABLE pointers AS {pointers_sql(package)}")
            con.execute(f"CREATE TABLE cells ({CELLS})")
            for n, tab in enumerate(package.tables):
                if tab.fields:  # one table at a time, in the package's order
                    con.execute(
                        f"INSERT INTO cells SELECT {lit(tab.name)}, * FROM ({cells_sql(tab, n)})"
                        " WHERE coalesce(value, '') <> ''"
                    )
            con.execute(f"CREATE TABLE {q(name())} AS {view_sql()}")
            con.execute("DROP TABLE cells")
            yield View(con, Path(scratch))
        finally:
            con.close()
