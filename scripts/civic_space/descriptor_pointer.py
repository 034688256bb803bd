"""Pointers at the package's own metadata, so that what the descriptor and the schemas say is held
to the data's rule: an annotation (or erratum) whose table is `datapackage` points at a property of
the descriptor instead of a cell. Its row key is the path of an object in the descriptor, empty for
the descriptor itself, and its field a property of that object.

A path is `/`-separated: a property name, or, inside a list, an item's `name` (resources, fields)
or its index from 0 (contributors, sources). A resource's `schema` is the schema file it names, so
`resources/places/schema/fields/name_mn` with field `description` is the description of the
places table's `name_mn` field."""

from __future__ import annotations

from typing import Any

from .descriptor import DataPackage
from .i18n import _
from .meanings import DESCRIPTOR

EXAMPLE = "resources/events, resources/events/schema/fields/title, sources/0"


def resolve(package: DataPackage, path: str) -> dict | None:
    """The object at `path` in the descriptor (schemas read from their files), or None."""
    node: Any = package.descriptor
    tables = {t.name: t for t in package.tables}
    for part in path.split("/") if path else []:
        if isinstance(node, dict):
            if part == "schema" and isinstance(node.get("schema"), str) and node.get("name"):
                table = tables.get(node["name"])
                node = table.schema if table else None
            else:
                node = node.get(part)
        elif isinstance(node, list):
            named = [i for i in node if isinstance(i, dict) and i.get("name") == part]
            index = int(part) if part.isdigit() else len(node)
            node = named[0] if named else node[index] if index < len(node) else None
        else:
            return None
    return node if isinstance(node, dict) else None


def notes(package: DataPackage, path: str, prop: str) -> list[tuple[str, str]]:
    """(`key` or `field`, note) for each problem of a pointer at the descriptor."""
    found = resolve(package, path)
    if found is None:
        note = _("the descriptor has no object at “{path}” — give a path such as {example}")
        return [("key", note.format(path=path, example=EXAMPLE))]
    if prop not in found:
        where = f"“{path}”" if path else DESCRIPTOR
        note = _("{where} in the descriptor has no property “{field}” — use one of: {names}")
        return [("field", note.format(where=where, field=prop, names=", ".join(found)))]
    return []


def points_at_descriptor(name: str, package: DataPackage | None) -> bool:
    """Whether a pointer's table names the descriptor (a real table of that name wins)."""
    return (
        package is not None
        and name == DESCRIPTOR
        and all(t.name != DESCRIPTOR for t in package.tables)
    )
