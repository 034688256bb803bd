"""Every English text has its Mongolian twin, or the row says plainly that it is missing."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..descriptor import NO_TRANSLATION
from ..i18n import _
from ..sql import lit, q
from ._shared import raw_cells


class TranslationStatusError(errors.CellError):
    type = "translation-status"
    title = "Translation Status"
    description = (
        "A twin field is empty although the row's status says it is there, or the reverse."
    )
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(status: str, status_name: str, twins: list[tuple[str, str, str, str]]):
    """(field, note) for the first twin that contradicts the status; twins are
    (English field, English value, twin field, twin value)."""
    for english, en_value, twin, value in twins:
        if status == NO_TRANSLATION and value:
            return twin, _(
                "{status} is “missing” but {twin} is filled"
                " — set {status} to translated (or empty {twin})"
            ).format(status=status_name, twin=twin)
        if status and status != NO_TRANSLATION and en_value and not value:
            return twin, _(
                "{english} has no Mongolian twin but {status_name} is “{status}”"
                " — fill in {twin}, or set {status_name} to missing"
            ).format(english=english, status_name=status_name, status=status, twin=twin)
    return None


@attrs.define(kw_only=True, repr=False)
class translation_status(Check):
    """Check that twin fields agree with the row's translation status."""

    Errors = [TranslationStatusError]  # noqa: RUF012 (frictionless's interface)
    type = TranslationStatusError.type

    # {resource name: {"status": status field, "twins": [[English field, twin field], …]}}
    tables: dict[str, dict]

    def validate_row(self, row):
        spec = self.tables.get(self.resource.name)
        if not spec:
            return
        cells = raw_cells(row)
        twins = [(en, cells.get(en, ""), mn, cells.get(mn, "")) for en, mn in spec["twins"]]
        found = note_for(cells.get(spec["status"], ""), spec["status"], twins)
        if found:
            field, note = found
            yield TranslationStatusError.from_row(row, note=note, field_name=field)

    def fast(self, db) -> None:
        for table, spec in self.tables.items():
            status, pairs = q(spec["status"]), spec["twins"]
            cols = ", ".join(f"coalesce({q(n)}, '')" for pair in pairs for n in pair)
            # Candidates: a status and a twin that might disagree; note_for judges.
            some = " OR ".join(f"{q(mn)} IS NOT NULL" for _, mn in pairs)
            lacking = " OR ".join(f"({q(en)} IS NOT NULL AND {q(mn)} IS NULL)" for en, mn in pairs)
            sql = (
                f"SELECT __row, coalesce({status}, ''), {cols} FROM {q(table)}"
                f" WHERE ({status} = {lit(NO_TRANSLATION)} AND ({some}))"
                f" OR ({status} <> {lit(NO_TRANSLATION)} AND ({lacking}))"
            )
            for row, value, *cells in db.rows(sql):
                twins = [
                    (en, cells[2 * i], mn, cells[2 * i + 1]) for i, (en, mn) in enumerate(pairs)
                ]
                found = note_for(value, spec["status"], twins)
                if found:
                    db.note(table, row, found[0], self.type, found[1])
