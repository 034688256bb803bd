"""Annotations can point at the package's own metadata (table `datapackage`): every object of the
descriptor and of the schemas it names can be reached by a path, and a path or property that
does not exist is refused with a note, never a traceback."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from civic_space.checks.row_reference import notes_for
from civic_space.descriptor import load
from civic_space.descriptor_pointer import notes, resolve
from civic_space.formatting import read_rows
from civic_space.meanings import ANNOTATIONS, DESCRIPTOR
from conftest import DESCRIPTOR as PATH

PACKAGE = load(PATH)


def paths() -> list[str]:
    """The path of every object the pointers can name: the descriptor, each resource, its
    schema and each field, each contributor and source."""
    found = [""]
    for table in PACKAGE.tables:
        base = f"resources/{table.name}"
        found += [base, f"{base}/schema"]
        found += [f"{base}/schema/fields/{f['name']}" for f in table.fields]
    for prop in ("contributors", "sources", "licenses"):
        found += [f"{prop}/{i}" for i in range(len(PACKAGE.descriptor.get(prop, [])))]
    return found


def test_every_object_has_a_path():
    for path in paths():
        assert resolve(PACKAGE, path) is not None, path
    field = resolve(PACKAGE, "resources/places/schema/fields/name_mn")
    assert field == PACKAGE.table("places").field("name_mn")


def test_a_property_of_each_object_is_accepted_and_a_missing_one_refused():
    for path in paths():
        target = resolve(PACKAGE, path)
        assert notes(PACKAGE, path, next(iter(target))) == []
        [(which, note)] = notes(PACKAGE, path, "no_such_property")
        assert which == "field" and "no_such_property" in note


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12).filter(lambda s: "/" not in s), max_size=5))
def test_any_path_gets_a_verdict_not_a_traceback(parts):
    path = "/".join(parts)
    found = notes(PACKAGE, path, "description")
    assert found == [] or found[0][0] in ("key", "field")
    if resolve(PACKAGE, path) is None:
        assert found and found[0][0] == "key"


def test_only_pointers_with_a_field_may_name_the_descriptor():
    """Withdrawals name whole rows: `datapackage` is no table for them."""
    tables = {t.name: t for t in PACKAGE.tables}
    [(which, _note)] = notes_for(DESCRIPTOR, "", "", tables, lambda t, k: True)
    assert which == "table"
    assert notes_for(DESCRIPTOR, "", "title", tables, lambda t, k: True, PACKAGE) == []


def test_the_package_annotates_its_own_metadata():
    """The real package uses the mechanism, and every such annotation resolves."""
    header, rows = read_rows(PACKAGE.table(ANNOTATIONS.table))
    at = {
        n: header.index(n) for n in (ANNOTATIONS.resource, ANNOTATIONS.row_key, ANNOTATIONS.field)
    }
    own = [r for r in rows if r[at[ANNOTATIONS.resource]] == DESCRIPTOR]
    assert own
    for row in own:
        assert notes(PACKAGE, row[at[ANNOTATIONS.row_key]], row[at[ANNOTATIONS.field]]) == []
