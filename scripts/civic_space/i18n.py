"""Contributor-facing messages in the contributor's language.

Translations live in gettext catalogues, `locales/<lang>/LC_MESSAGES/civic_space.po` beside this
module, read with Babel (no compiled .mo files to keep in step). A message with no translation
stays in English. `python -m civic_space translations` brings the catalogues up to date with the
code and the schemas' field titles, and lists what is still untranslated.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "civic_space"
FIELD_TITLE = "field title"  # the msgctxt of the schemas' field titles
TABLE_TITLE = "table title"  # and of the descriptor's resource titles
VALUE = "value of {field}"  # and of a field's coded values (its enum, or true/false)

_state: dict = {"lang": "en", "messages": {}}


# English words for the coded values (context "value of <field>", msgid the code): the codes
# are written for the CSV ("draft-law"), the labels for readers ("draft law"), in every edition.
LABELS = LOCALES / "en" / "LC_MESSAGES" / "labels.po"


def catalogue_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def available() -> list[str]:
    return ["en", *sorted(p.name for p in LOCALES.iterdir() if catalogue_path(p.name).exists())]


def from_environment() -> str:
    """The first language of LANGUAGE, LC_ALL, LC_MESSAGES or LANG that has a catalogue."""
    known = available()
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for item in os.environ.get(variable, "").split(":"):
            lang = item.split(".")[0].split("_")[0].lower()
            if lang in known:
                return lang
    return "en"


def use(lang: str | None = None) -> str:
    """Switch messages to `lang` (None: from the environment); return the language in use."""
    lang = lang or from_environment()
    _state.update(lang=lang, messages=messages(lang))
    return lang


def messages(lang: str) -> dict[tuple[str | None, str], str]:
    """A language's translations, keyed (context, English); for English, the coded values'
    labels only."""
    from babel.messages.pofile import read_po

    found = {}
    path = catalogue_path(lang) if lang != "en" else LABELS
    if path.exists():
        with path.open("rb") as file:
            for message in read_po(file, locale=lang):
                if message.id and message.string and not message.fuzzy:
                    found[message.context, message.id] = message.string
    return found


def language() -> str:
    return _state["lang"]


def _(message: str) -> str:
    """The message in the current language, or as written if it has no translation."""
    return _state["messages"].get((None, message), message)


def field_title(title: str) -> str | None:
    """A schema field title in the current language, None where there is none."""
    return _state["messages"].get((FIELD_TITLE, title))


def table_title(title: str) -> str | None:
    """A resource title in the current language, None where there is none."""
    return _state["messages"].get((TABLE_TITLE, title))


def coded_values(field: dict) -> list[str]:
    """The values a field codes meaning in (an enum's, or a boolean's true and false): each
    has a label in every edition. Other values are data, shown as they are."""
    if field.get("type") == "boolean":
        return ["true", "false"]
    return [str(v) for v in field.get("constraints", {}).get("enum", [])]


def value_label(field: str, value: str) -> str | None:
    """A coded value's label in the current language, None where there is none."""
    return _state["messages"].get((VALUE.format(field=field), value))


LATIN, CYRILLIC = re.compile("[A-Za-z]"), re.compile("[\u0400-\u04ff]")


def is_english(text: str) -> bool:
    """Text of the data another edition shows as English: Latin letters and no Cyrillic (the
    report is in English; a Mongolian value is in Cyrillic)."""
    return bool(LATIN.search(text)) and not CYRILLIC.search(text)
