"""One term per concept: a Mongolian twin uses the glossary's term, not a variant it avoids
(`онлайн` where the glossary says `цахим`), in any inflection."""

from __future__ import annotations

import attrs
from frictionless import errors

from .. import glossary
from ._shared import CellRule


class GlossaryTermError(errors.CellError):
    type = "glossary-term"
    title = "Glossary Term"
    description = "A Mongolian text uses a variant of a term that the glossary avoids."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


@attrs.define(kw_only=True, repr=False)
class glossary_term(CellRule):
    """Check the Mongolian twin fields (`*_mn`) against the glossary's avoided variants."""

    Errors = [GlossaryTermError]  # noqa: RUF012 (frictionless's interface)
    type = GlossaryTermError.type

    # {resource name: [twin field names]}, from the schemas' naming convention
    fields: dict[str, list[str]]
    terms: list[glossary.Term]

    @property
    def candidates(self) -> str:  # type: ignore[override]  (per glossary, not per class)
        return glossary.candidates(self.terms)

    def applies(self, table: str, field: str, kind: str, format_: str) -> bool:
        return field in self.fields.get(table, [])

    def judge(self, text: str) -> str | None:
        return glossary.note_for(text, self.terms)
