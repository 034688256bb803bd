"""The descriptor's own metadata, as the publishers need it, checked where it is read.

CITATION.cff (checked by cffconvert in `nox -s citation`), .zenodo.json, Croissant, the site and
the issue forms are built from the package's title, description, created, keywords,
contributors and licences and from the titles in the schemas. Each rule here is what one of them
needs: a value to be there, one line where it becomes a label or a list item, no repeats where
CFF wants unique items, one licence whose name, title and address agree, and no personal data in
published text (checks/personal_data.py, the rule the cells follow). Both engines read the
descriptor through descriptor.load, so both refuse the same.
"""

from __future__ import annotations

import re

from .i18n import _
from .identifiers import shown
from .policy import Refusal

# The licences the package may carry, by SPDX id (CFF accepts only SPDX ids): the title SPDX gives
# each and its canonical address. A licence names one of these, and its title and path, if given,
# are this one's: a name changed without its address (or the reverse) is a contradiction.
LICENCES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution Share Alike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution Non Commercial 4.0 International",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication & License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}
LICENCE_FILE = "LICENSE-DATA"  # the licence's text, beside the descriptor and in every zip
# The package's metadata every publisher reads (citation.py, croissant.py, the site's pages).
REQUIRED_TEXT = ("title", "description")
CREATED = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# Text in the descriptor and schemas that is published: checked for personal data.
TEXT_KEYS = ("title", "description")
PERSON_KEYS = ("title", "email", "organization", "givenName", "familyName")
# Titles become form labels, table headings, list items: one line. Descriptions may be long,
# but are one paragraph of text too (no line breaks, control or invisible characters).
MAX_TITLE = 300


def check_package(meta: dict) -> None:
    for key in REQUIRED_TEXT:
        if key not in meta:
            raise Refusal(
                _("the package has no {key}: the citation file and the site need it").format(
                    key=key
                ),
                _('give the package a "{key}"').format(key=key),
            )
    check_texts(meta, "")
    created = meta.get("created")
    if not isinstance(created, str) or not CREATED.fullmatch(created) or not real_day(created):
        raise Refusal(
            _("created “{value}” is not a date and time").format(value=shown(created)),
            _('write it as "created": "2026-11-28T00:00:00Z"'),
        )
    check_keywords(meta.get("keywords"))
    check_contributors(meta.get("contributors"))
    check_licences(meta.get("licenses"), "", required=True)
    sources = meta.get("sources", [])
    for number, source in enumerate(sources if isinstance(sources, list) else [], start=1):
        if isinstance(source, dict):
            check_texts(source, f"sources {number}: ")


def check_resource(resource: dict, label: str) -> None:
    check_texts(resource, f"{label}: ")
    if "licenses" in resource:
        check_licences(resource["licenses"], f"{label}: ", required=True)


def check_field_text(field: dict, name: str) -> None:
    check_texts(field, _("field “{name}”: ").format(name=name))


def check_texts(mapping: dict, where: str, keys=TEXT_KEYS) -> None:
    """Titles and descriptions (and their translated twins, title_mn) as published text."""
    for key, value in mapping.items():
        twin = key.rpartition("_")[0] in keys and len(key.rpartition("_")[2]) == 2
        if key in keys or twin:
            one_line(value, f"{where}{key}", MAX_TITLE if key.startswith("title") else None)


def one_line(value: object, what: str, limit: int | None = None) -> None:
    """Text that is published as it stands: one line of visible text, no personal data."""
    if not isinstance(value, str) or not value.strip():
        raise Refusal(
            _("{what} is empty or not text").format(what=what), _("write it as a line of text")
        )
    if not value.isprintable() or value != value.strip():
        from .messages import visible  # here: messages imports the loader, which imports this

        raise Refusal(
            _("{what} “{value}” holds a line break, a character that cannot be seen, or"
              " spaces at an end").format(what=what, value=visible(value[:200])),
            _("write it as one line of visible text (a title is a label in the forms)"),
        )  # fmt: skip
    if limit is not None and len(value) > limit:
        raise Refusal(
            _("{what} is {count} characters long").format(what=what, count=len(value)),
            _("shorten it to at most {limit} characters").format(limit=limit),
        )
    from .checks.personal_data import note_for  # here: the checks import the loader

    note = note_for(value)
    if note:
        raise Refusal(f"{what}: {note.partition(' — ')[0]}", note.partition(" — ")[2])


def check_keywords(keywords: object) -> None:
    if not isinstance(keywords, list) or not keywords:
        raise Refusal(
            _("the package has no list of keywords: the citation file needs one"),
            _('give "keywords" as a list, such as ["civic space", "Mongolia"]'),
        )
    seen: set[str] = set()
    for number, keyword in enumerate(keywords, start=1):
        one_line(keyword, _("keyword {number}").format(number=number), MAX_TITLE)
        if keyword.casefold() in seen:
            raise Refusal(
                _("keyword {number} “{value}” is given twice").format(number=number, value=keyword),
                _("give each keyword once"),
            )
        seen.add(keyword.casefold())


def check_contributors(contributors: object) -> None:
    if not isinstance(contributors, list) or not any(
        isinstance(c, dict) and c.get("role") == "author" for c in contributors
    ):
        raise Refusal(
            _("the package has no contributor whose role is author: the citation names its"
              " authors"),
            _('add {"title": "…", "role": "author"} to "contributors"'),
        )  # fmt: skip
    for number, person in enumerate(contributors, start=1):
        where = _("contributors {number}: ").format(number=number)
        if not isinstance(person, dict) or "title" not in person:
            raise Refusal(where + _("it has no title"), _("give every contributor a title"))
        check_texts(person, where, PERSON_KEYS)


def check_licences(licences: object, where: str, required: bool) -> None:
    if not isinstance(licences, list) or (required and not licences):
        raise Refusal(
            _("{where}no licence is given: the downloads and the citation state one").format(
                where=where
            ),
            _('give "licenses": [{{"name": "CC-BY-4.0", "title": "{title}", "path": "{path}"}}]')
            .format(title=LICENCES["CC-BY-4.0"][0], path=LICENCES["CC-BY-4.0"][1]),
        )  # fmt: skip
    for number, licence in enumerate(licences, start=1):
        what = _("{where}licence {number}").format(where=where, number=number)
        name = licence.get("name") if isinstance(licence, dict) else None
        if name not in LICENCES:
            raise Refusal(
                _("{what}: “{name}” is not a licence we know by its SPDX id").format(
                    what=what, name=shown(name)
                ),
                _("name one of: {names} (or add it, with its title and address, to {module})")
                .format(names=", ".join(LICENCES), module="descriptor_text.py"),
            )  # fmt: skip
        title, path = LICENCES[name]
        for key, known in (("title", title), ("path", path)):
            if key in licence and licence[key] != known:
                raise Refusal(
                    _("{what}: the {key} “{value}” is not that of {name}, which is “{known}”")
                    .format(what=what, key=key, value=shown(licence[key]), name=name, known=known),
                    _("give the name, title and path of one licence: {name}, “{title}”, {path}")
                    .format(name=name, title=title, path=path),
                )  # fmt: skip


def real_day(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return int(text[11:13]) < 24 and int(text[14:16]) < 60 and int(text[17:19]) < 60


def licence_text_problem(meta: dict, text: str) -> tuple[str, str] | None:
    """(what, fix) if the licence text the downloads carry does not name, by its SPDX id, each
    licence the descriptor gives: a licence changed in one place only."""
    licences = meta.get("licenses") or []
    for name in (lic.get("name") for lic in licences if isinstance(lic, dict)):
        if isinstance(name, str) and name not in text:
            return (
                _("does not name the licence {name} that datapackage.json gives").format(
                    name=name
                ),
                _("make {file} the text of {name}, naming it by its SPDX id, or give the"
                  " licence of this text in datapackage.json").format(file=LICENCE_FILE, name=name),
            )  # fmt: skip
    return None
