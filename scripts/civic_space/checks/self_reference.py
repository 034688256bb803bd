"""No row is its own ancestor: through a foreign key into its own table (an event part of an
event, a place inside a place) a row may not refer to itself, nor close a cycle of rows.

The keys are found in the schemas (a foreign key whose reference names no resource, or the
table's own), so every such key of every table is checked, and a new one is without a word
here. A foreign key check cannot see this: each row it looks up exists.
"""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..descriptor import DataPackage, Table
from ..formatting import read_rows
from ..i18n import _
from ..policy import as_list
from ..sql import q
from ._shared import raw_cells

SHOWN = 5  # rows of a cycle named in its message; the count says how many there are


class SelfReferenceError(errors.CellError):
    type = "self-reference"
    title = "Self Reference"
    description = "A row that refers to itself, or a cycle of rows, through a key of its own table."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def self_keys(table: Table) -> list[tuple[list[str], list[str]]]:
    """(referring fields, referred fields) of each foreign key from the table into itself."""
    found = []
    for fk in table.schema.get("foreignKeys", []):
        if fk["reference"].get("resource") in ("", table.name):
            found.append((as_list(fk["fields"]), as_list(fk["reference"]["fields"])))
    return found


Edge = tuple[tuple[str, ...], tuple[str, ...]]  # (the row's referred values, what it refers to)


def cyclic(edges: list[Edge]) -> dict[tuple, set[tuple]]:
    """The edges that lie on a cycle, as {node: successors on it}."""
    ids: dict[tuple, int] = {}
    for node, target in edges:
        ids.setdefault(node, len(ids))
        ids.setdefault(target, len(ids))
    graph: list[list[int]] = [[] for _ in ids]
    for node, target in edges:
        graph[ids[node]].append(ids[target])
    component = components(graph)
    nodes = list(ids)
    # Within one component every edge is on a cycle: a self-loop, or a way there and back.
    found: dict[tuple, set[tuple]] = {}
    for node, targets in enumerate(graph):
        on = {nodes[t] for t in targets if component[t] == component[node]}
        if on:
            found[nodes[node]] = on
    return found


def components(graph: list[list[int]]) -> list[int]:
    """The strongly connected component of each node (Tarjan's algorithm, without recursion: a
    chain of a million rows must not overflow the stack)."""
    count = len(graph)
    index, low, component = [-1] * count, [0] * count, [-1] * count
    stack: list[int] = []
    seen = 0
    for root in range(count):
        if index[root] >= 0:
            continue
        index[root] = low[root] = seen
        seen += 1
        stack.append(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, successors = work[-1]
            for target in successors:
                if index[target] < 0:
                    index[target] = low[target] = seen
                    seen += 1
                    stack.append(target)
                    work.append((target, iter(graph[target])))
                    break
                if component[target] < 0:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        component[member] = node
                        if member == node:
                            break
    return component


def note_for(fields: list[str], node: tuple, target: tuple, loops: dict[tuple, set[tuple]]) -> str:
    """What is wrong with the row `node` that refers to `target`, on a cycle of `loops`."""
    names = ", ".join(fields)
    if target == node:
        return _(
            "this row refers to itself through {fields} — give another row's key, or leave it empty"
        ).format(fields=names)
    chain = [node]
    step = target
    while step != node and len(chain) < SHOWN:
        chain.append(step)
        step = min(loops[step])  # any way on stays on the cycle; the least, for one verdict
    chain.append(node if step == node else "…")
    shown = " → ".join(c if isinstance(c, str) else "/".join(c) for c in chain)
    return _(
        "{fields} makes a cycle of rows: {chain} — one row of the cycle must refer to another"
        " row, or to none"
    ).format(fields=names, chain=shown)


def judged(fields: list[str], edges: list[Edge]) -> dict[Edge, str]:
    """The note for each edge on a cycle."""
    loops = cyclic(edges)
    return {
        (node, target): note_for(fields, node, target, loops)
        for node, target in edges
        if target in loops.get(node, ())
    }


def edge(cells: dict[str, str], mine: list[str], theirs: list[str]) -> Edge | None:
    """The row's own referred values and what it refers to; None if it refers to nothing."""
    target = tuple(cells.get(f) or "" for f in mine)
    return None if "" in target else (tuple(cells.get(f) or "" for f in theirs), target)


@attrs.define(kw_only=True, repr=False)
class self_reference(Check):
    """Check each foreign key of a table into itself for rows that close a cycle."""

    Errors = [SelfReferenceError]  # noqa: RUF012 (frictionless's interface)
    type = SelfReferenceError.type

    package: DataPackage
    _notes: list = attrs.field(factory=list, init=False)  # (fields, {edge: note}) per key

    def validate_start(self):
        self._notes = []
        try:
            table = self.package.table(self.resource.name)
            keys = self_keys(table)
            header, rows = read_rows(table) if keys else ([], [])
        except Exception:
            return []  # an unreadable table: reported on the table itself
        for mine, theirs in keys:
            found = (edge(dict(zip(header, row, strict=False)), mine, theirs) for row in rows)
            notes = judged(mine, [e for e in found if e])
            if notes:
                self._notes.append((mine, theirs, notes))
        return []

    def validate_row(self, row):
        cells = raw_cells(row)
        for mine, theirs, notes in self._notes:
            note = notes.get(edge(cells, mine, theirs))
            if note:
                yield SelfReferenceError.from_row(row, note=note, field_name=mine[0])

    def fast(self, db) -> None:
        for table in db.package.tables:
            for mine, theirs in self_keys(table):
                t = q(table.name)

                def refers(alias: str, mine=mine) -> str:
                    return " AND ".join(f"{alias}.{q(f)} IS NOT NULL" for f in mine)

                match = " AND ".join(
                    f"r.{q(b)} = s.{q(a)}" for a, b in zip(mine, theirs, strict=True)
                )
                # Only a row that refers to a row which itself refers on can be on a cycle.
                sql = (
                    f"SELECT s.__row, {', '.join(f's.{q(f)}' for f in theirs + mine)} FROM {t} s"
                    f" WHERE {refers('s')} AND EXISTS"
                    f" (SELECT 1 FROM {t} r WHERE {refers('r')} AND {match})"
                    " ORDER BY s.__row"
                )
                found = [(row, tuple(v or "" for v in values)) for row, *values in db.rows(sql)]
                cut = len(theirs)
                notes = judged(mine, [(v[:cut], v[cut:]) for _, v in found])
                for row, values in found:
                    note = notes.get((values[:cut], values[cut:]))
                    if note:
                        db.note(table.name, row, mine[0], self.type, note)
