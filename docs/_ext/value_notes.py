"""Marks on the values that are not simply stated in their row's source: each annotation (the
value's basis) and each erratum (the report prints it otherwise) gives the value a numbered
mark in a table's preview: a link to its numbered note below the table, which links back to
the mark (footnotes that the keyboard, a screen reader and a phone reach as well as a mouse)."""

from __future__ import annotations

from dataclasses import dataclass

from docnodes import localized, para, text_node
from docutils import nodes
from table_nodes import identifier

from civic_space.formatting import read_rows
from civic_space.i18n import _
from civic_space.meanings import ANNOTATIONS, DESCRIPTOR, ERRATA


@dataclass(frozen=True)
class Note:
    key: str  # the row's key; empty: every row
    field: str
    label: str
    reason: str


def labels() -> dict[str, str]:
    """Each basis (and an erratum) in the reader's words."""
    return {
        "inferred": _("inferred by the maintainers"),
        "reference": _("from an outside reference"),
        "derived": _("derived from other values"),
        "classification": _("classified by the maintainers"),
        "translation": _("translated by the maintainers"),
        ERRATA.table: _("the report prints it otherwise (erratum)"),
    }


def notes_on(package, env, table: str) -> list[Note]:
    """Every annotation and erratum that points at `table`, in file order."""
    found = []
    names = {t.name for t in package.tables}
    for pointer in (ANNOTATIONS, ERRATA):
        if pointer.table not in names:
            continue
        source = package.table(pointer.table)
        env.note_dependency(str(source.path.resolve()))
        header, rows = read_rows(source)
        at = {
            name: header.index(name)
            for name in (pointer.resource, pointer.row_key, pointer.field, pointer.reason)
        }
        kind = header.index(pointer.basis) if pointer.basis else None
        for row in rows:
            if row[at[pointer.resource]] != table:
                continue
            label = labels()[row[kind] if kind is not None else ERRATA.table]
            key, field = row[at[pointer.row_key]], row[at[pointer.field]]
            found.append(Note(key, field, label, row[at[pointer.reason]]))
    return found


def marked(
    header: list[str], rows: list[list[str]], key_fields: list[str], notes: list[Note], prefix: str
):
    """The rows with a numbered mark on each noted value, and the notes they refer to, in order
    (a note on every row of a field marks that field's header instead). `prefix` makes the
    marks' and notes' ids unique on the page (the table's name)."""
    keys = [header.index(k) for k in key_fields]
    shown = {"/".join(row[i] for i in keys) for row in rows}
    used = [n for n in notes if (n.key in shown or not n.key) and n.field in header]
    marks: dict[tuple[str, str], list[int]] = {}
    for number, note in enumerate(used, start=1):
        marks.setdefault((note.key, note.field), []).append(number)
    head = [[n, *mark(marks.get(("", n), []), used, prefix)] for n in header]
    body = []
    for row in rows:
        key = "/".join(row[i] for i in keys)
        body.append(
            [
                [v, *mark(marks.get((key, f), []), used, prefix)]
                for f, v in zip(header, row, strict=True)
            ]
        )
    return head, body, used


def note_id(prefix: str, number: int) -> str:
    return f"value-note-{prefix}-{number}"


def mark_id(prefix: str, number: int) -> str:
    return f"value-note-{prefix}-{number}-mark"


def mark(numbers: list[int], notes: list[Note], prefix: str) -> list[nodes.Node]:
    """Superscript numbers, each a link to its note (role doc-noteref), titled with its kind."""
    out: list[nodes.Node] = []
    for number in numbers:
        link = nodes.reference(
            "",
            str(number),
            refid=note_id(prefix, number),
            ids=[mark_id(prefix, number)],
            classes=["value-note-mark"],
            html_role="doc-noteref",
            reftitle=notes[number - 1].label,
        )
        out.append(nodes.superscript("", "", link))
    return out


def note_list(notes: list[Note], prefix: str) -> list[nodes.Node]:
    """The notes, numbered as their marks: row, field, basis and reason, and a link back to
    the mark."""
    if not notes:
        return []
    items = nodes.enumerated_list(classes=["value-notes"])
    for number, note in enumerate(notes, start=1):
        where = identifier(note.key, note.key) if note.key else _("every row")
        reason = localized(note.reason, None)  # the reasons are written in English
        back = nodes.reference(
            "",
            _("back to the table"),
            refid=mark_id(prefix, number),
            classes=["value-note-back"],
            html_role="doc-backlink",
        )
        line = para(*names(where, note), text_node(reason), " ", back)
        items += nodes.list_item("", line, ids=[note_id(prefix, number)])
    return [para(_("Notes on values marked with a number:")), items]


def names(where, note) -> list:
    """A note's row and field (identifiers, the same in every edition) and its basis."""
    return [where, " · ", identifier(note.field, note.field), f" — {note.label}: "]


def metadata_notes(package, env) -> list[nodes.Node]:
    """The annotations of the package's own metadata (table `datapackage`: a path in the
    descriptor and a property), listed where that metadata is shown."""
    notes = notes_on(package, env, DESCRIPTOR)
    if not notes:
        return []
    items = nodes.enumerated_list(classes=["value-notes"])
    for note in notes:
        where = "/".join(p for p in (DESCRIPTOR, note.key) if p)
        reason = localized(note.reason, None)  # the reasons are written in English
        where = identifier(where, where)
        items += nodes.list_item("", para(*names(where, note), text_node(reason)))
    return [para(_("What the package's own metadata says that its sources do not state:")), items]
