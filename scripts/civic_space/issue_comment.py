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
MAX_COMMENT = 65_536  # GitHub refuses a longer comment, and the contributor gets no answer
LONGEST = 1_000  # characters of one text (a problem, a key) before it is made inert


def inert(text: str) -> str:
    """`text` on one line, as Markdown that GitHub shows as exactly this text and acts on in
    no way."""
    text = LINKING.sub(WORD_JOINER, printable(text))
    return "".join(ENTITIES.get(c) or (f"\\{c}" if c in ESCAPED else c) for c in text)


def size(text: str) -> int:
    """The text's length in UTF-16 code units: never less than its characters, however
    GitHub counts them."""
    return len(text.encode("utf-16-le")) // 2


def shortened(text: str) -> str:
    """`text` cut to LONGEST characters, "…" marking the cut (an echoed answer can be 64 KB)."""
    return text if len(text) <= LONGEST else text[:LONGEST] + "…"


def comment(outcome: Outcome) -> str:
    """The comment for the issue: the row added, or what to fix in the form. It always fits a
    GitHub comment: each text is cut to LONGEST characters, and problems are listed while
    they fit, with a note saying what was cut or left out."""
    texts = [outcome.table.name, outcome.key, *(str(r) for r in outcome.refusals[:SHOWN])]
    cut = _("Long texts are cut here (…); the issue keeps them whole.")
    notes = [cut] if any(len(text) > LONGEST for text in texts) else []
    table = inert(shortened(outcome.table.name))
    if not outcome.refusals:
        note = _("Added the row {key} to the {table} table. A maintainer will review it.")
        return (
            "\n\n".join([note.format(key=inert(shortened(outcome.key)), table=table), *notes])
            + "\n"
        )
    heading = _("Nothing was added to the {table} table. Please edit the issue to fix:")
    lines = [heading.format(table=table), ""]
    more = _("… and {count} more").format(count=len(outcome.refusals))
    budget = MAX_COMMENT - size("\n".join([*lines, f"- {more}", "", *notes, ""])) - 1
    shown = 0
    for refusal in outcome.refusals[:SHOWN]:
        item = f"- {inert(shortened(str(refusal)))}"
        budget -= size(item) + 1
        if budget < 0:
            break
        lines.append(item)
        shown += 1
    if len(outcome.refusals) > shown:
        more = _("… and {count} more").format(count=len(outcome.refusals) - shown)
        lines.append(f"- {more}")
    return "\n".join([*lines, *(["", *notes] if notes else [])]) + "\n"
