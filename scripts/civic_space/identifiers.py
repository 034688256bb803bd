"""Descriptor text that becomes a file name, an address or markup has a strict form.

The package's `name` and `version` name the downloads (`<name>-<version>.zip`), the database
`explore` writes and every page's title; a resource's name names its page and its files; `id`,
licence, contributor and source paths become links. Plain frictionless lets them hold `../`, a
tag or a `javascript:` address. Here names are identifiers, the version is SemVer, and every
address is an `https` URL (a licence or source may instead be a file of the repository). Both
engines read the descriptor through descriptor.load, so both refuse the same.
"""

from __future__ import annotations

import re

from .i18n import _
from .policy import Refusal, inside

# Frictionless's rule for names (lower-case letters, digits, - _ .), with no separator at either
# end or two in a row, so that no name is `.`, `..` or hidden, and none holds a `/`.
NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
MAX_NAME = 64
# SemVer 2.0.0, as semver.org gives it.
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
MAX_VERSION = 64
# An https address: a host of letters, digits, dots and hyphens, then only the characters an
# address may hold unescaped, less quotes, angle brackets, spaces and backslashes.
URL = re.compile(
    r"https://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9._~!$&()*+,;=:@%/?#-]*)?"
)
MAX_URL = 2000
LANGUAGE = re.compile(r"[a-z]{2,3}")  # an ISO 639 code: it names fields (title_mn, mn_status)
# Lists of objects whose `path` is an address (or, for licences and sources, a file here).
LINKED = {"licenses": True, "sources": True, "contributors": False}


def check_name(value: object, what: str, limit: int = MAX_NAME) -> None:
    if isinstance(value, str) and NAME.fullmatch(value) and len(value) > limit:
        raise Refusal(
            _("{what} “{value}” is {count} characters long: it names files, pages and a sheet"
              " of the workbook, which Excel opens only up to {limit}").format(
                what=what, value=shown(value), count=len(value), limit=limit),
            _("shorten it to at most {limit} characters").format(limit=limit),
        )  # fmt: skip
    if not isinstance(value, str) or not NAME.fullmatch(value):
        message = _(
            "{what} “{value}” is not a name: it names files and pages, so it may hold only"
            " lower-case letters and digits, joined by single - _ or ."
        )
        fix = _("rename it, for example civic-space-mongolia (at most {limit} characters)")
        raise Refusal(message.format(what=what, value=shown(value)), fix.format(limit=limit))


def check_version(value: object) -> None:
    if not isinstance(value, str) or len(value) > MAX_VERSION or not SEMVER.fullmatch(value):
        raise Refusal(
            _("the version “{value}” is not a version number (SemVer)").format(value=shown(value)),
            _('write it as three numbers with dots, for example "version": "0.2.0"'),
        )


def check_url(value: object, what: str, file_allowed: bool = False, base=None) -> None:
    if isinstance(value, str) and len(value) <= MAX_URL and URL.fullmatch(value):
        return
    if file_allowed and isinstance(value, str) and "://" not in value and base is not None:
        inside(base, value, what)  # a file of the repository: refused if it leaves it
        return
    raise Refusal(
        _("{what} “{value}” is not an https address").format(what=what, value=shown(value)),
        _("give the full address, starting with https://, with no spaces or quotes"),
    )


def shown(value: object) -> str:
    """A refused value as a message can show it: control characters escaped, long text cut."""
    text = value if isinstance(value, str) else "" if value is None else repr(value)
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= 80 else text[:77] + "…"


def check_links(mapping: dict, where: str, base) -> None:
    """The `path` of every licence, contributor and source, and `homepage`, as addresses."""
    if "homepage" in mapping:
        check_url(mapping["homepage"], f"{where}homepage")
    for key, file_allowed in LINKED.items():
        items = mapping.get(key, [])
        for number, item in enumerate(items if isinstance(items, list) else [], start=1):
            if isinstance(item, dict) and "path" in item:
                what = f"{where}{key} {number}: " + _("the path")
                check_url(item["path"], what, file_allowed, base)


def check_package(descriptor: dict, base=None) -> None:
    """The package's own name, version, id, languages and links."""
    check_name(descriptor.get("name"), _("the package's name"))
    check_version(descriptor.get("version"))
    if "id" in descriptor:
        check_url(descriptor["id"], _("the package's id"))
    languages = descriptor.get("languages", [])
    for language in languages if isinstance(languages, list) else [languages]:
        if not isinstance(language, str) or not LANGUAGE.fullmatch(language):
            raise Refusal(
                _("the language “{value}” is not a language code").format(value=shown(language)),
                _('give two or three lower-case letters, as in "languages": ["en", "mn"]'),
            )
    check_links(descriptor, "", base)


def check_resource(resource: dict, label: str, base=None) -> None:
    from .workbook_template import SHEET_NAME_LIMIT  # here: it imports the loader

    # A table's name is a sheet's name in the workbook download and the template.
    check_name(resource.get("name"), f"{label}: " + _("the name"), SHEET_NAME_LIMIT)
    if resource["name"].casefold() in derived_names():
        raise Refusal(
            _(
                "{label}: the name “{name}” is taken by a relation the downloads derive from the"
                " tables, or by a sheet of the workbook, which a table of that name would clash"
                " with"
            ).format(label=label, name=resource["name"]),
            _("rename the table"),
        )
    check_links(resource, f"{label}: ", base)


def derived_names() -> set[str]:
    """The names of the relations the downloads derive from the tables (exports.py), and of
    the workbook's own sheets (workbook_template.py), casefolded as Excel compares sheets."""
    from . import exports, value_view, workbook_template  # here: they import the loader

    names = {exports.PLACE_PROVINCES, value_view.name(), *workbook_template.RESERVED_SHEETS}
    return {n.casefold() for n in names}
