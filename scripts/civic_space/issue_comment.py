"""The reply to an issue form, as the Markdown body of a GitHub comment, made inert.

The problems echo what the contributor typed, so every piece of text is written so that
nothing in it acts (see `inert`): no HTML, no Markdown formatting, link or image, no @mention,
no #reference, no autolinked address. It reads as the text it is, with invisible word
joiners after `@`, `#`, `GH-`, `www` and a scheme's `:`.
"""

from __future__ import annotations

import re
import string

from .from_issue import Outcome
from .i18n import _
from .messages import printable

# HTML could open at < and an entity at &: as entities they are only characters (and the file
# holds no raw < at all). Any other ASCII punctuation may start Markdown, and CommonMark reads
# a backslash-escaped punctuation character as that character and nothing more.
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
ESCAPED = set(string.punctuation) - set(ENTITIES)
# GitHub finds mentions, references and addresses in the text after it is rendered, where the
# escapes are undone: a word joiner (U+2060, invisible) where each would start breaks them.
WORD_JOINER = "\u2060"
LINKING = re.compile(r"(?i)(?<=[@#])|(?<=gh-)|(?<=:)(?=//)|(?<=www)(?=\.)")
SHOWN = 30  # items; a body of 64 KB of unknown headings must not make a comment of megabytes


def inert(text: str) -> str:
    """`text` on one line, as Markdown that GitHub shows as exactly this text and acts on in
    no way."""
    text = LINKING.sub(WORD_JOINER, printable(text))
    return "".join(ENTITIES.get(c) or (f"\\{c}" if c in ESCAPED else c) for c in text)


def comment(outcome: Outcome) -> str:
    """The comment for the issue: the row added, or what to fix in the form."""
    table = inert(outcome.table.name)
    if not outcome.refusals:
        note = _("Added the row {key} to the {table} table. A maintainer will review it.")
        return note.format(key=inert(outcome.key), table=table) + "\n"
    heading = _("Nothing was added to the {table} table. Please edit the issue to fix:")
    lines = [heading.format(table=table), ""]
    lines += [f"- {inert(str(refusal))}" for refusal in outcome.refusals[:SHOWN]]
    if len(outcome.refusals) > SHOWN:
        more = _("… and {count} more").format(count=len(outcome.refusals) - SHOWN)
        lines.append(f"- {more}")
    return "\n".join(lines) + "\n"
