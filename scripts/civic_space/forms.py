"""GitHub issue forms made from the schemas, so that people without git can add a row: one form
per table people add rows to, and one to report an error in any row. Every field becomes a form
element: its title in English and Mongolian as the label, its description as the help, enums,
booleans and foreign keys as drop-downs (keys with their names), dates with their format, and
required where the schema requires it. `civic-space from-issue` reads a submitted form back.

The forms are YAML written by ruamel.yaml, so they stay stable and diffable; `nox -s forms`
writes them and a test fails, naming that command, when they are out of date."""

from __future__ import annotations

from pathlib import Path

from . import edge, i18n
from .descriptor import DataPackage, Table
from .formatting import read_rows
from .yaml_text import dump

FOLDER = Path(".github") / "ISSUE_TEMPLATE"
TABLES = ("events", "issues", "metrics")  # the tables people add rows to by form
LABEL = "data: {table}"  # the label of a form's issues: the workflow reads the table from it
CORRECTION = "correction"
SEPARATOR = " — "  # between an option's value and its name; from-issue keeps what is before
NAME_FIELDS = ("name_en", "name", "title", "label", "text")  # a row's name, where it has one
LONG_TEXT = ("description", "note", "text", "motivation", "explanation", "definition")


def _(text: str) -> str:
    """Marks English text for the catalogue (the extractor looks for `_`); a form carries it
    and its Mongolian side by side (see both), whatever language the tool runs in."""
    return text


def both(text: str, mn: dict) -> str:
    """English, then its Mongolian from our catalogue where there is one."""
    twin = mn.get((None, text))
    return f"{text} / {twin}" if twin else text


def intro(table: str, mn: dict) -> str:
    english = _(
        "**No git? Use this form.** Fill in the fields below: when you submit, a check turns the"
        " form into a proposed change to the `{table}` table, or answers here with what to fix."
        " A maintainer reviews every change. Please give no personal data (names of"
        " participants, e-mail addresses, phone numbers)."
    )
    twin = mn.get((None, english))
    return english.format(table=table) + (f"\n\n{twin.format(table=table)}" if twin else "")


def label(field: dict, mn: dict) -> str:
    title = field.get("title", field["name"])
    twin = mn.get((i18n.FIELD_TITLE, title))
    return f"{title} / {twin}" if twin else title


def options(package: DataPackage, table: Table, field: dict, mn: dict) -> list[str] | None:
    """A drop-down's options ("value — name"), or None where the field is typed in."""
    values = i18n.coded_values(field)
    if values:
        context = i18n.VALUE.format(field=field["name"])
        return [v + (SEPARATOR + mn[context, v] if (context, v) in mn else "") for v in values]
    target = table.reference(field["name"])
    if not target:
        return None
    other = package.table(target[0])
    name = next((n for n in NAME_FIELDS if n in other.field_names and n != target[1]), None)
    header, rows = read_rows(other)
    key, label = header.index(target[1]), header.index(name) if name else None
    found = [
        r[key] + (SEPARATOR + r[label] if label is not None and r[label] else "")
        for r in rows
        if r[key]
    ]
    return list(dict.fromkeys(found)) or None


def multiline(field: dict) -> bool:
    """Whether the field is a text area in its form (an answer of several lines); every other
    element (an input, a drop-down) takes one line."""
    return field["name"].split("_")[0] in LONG_TEXT


def element(package: DataPackage, table: Table, field: dict, mn: dict) -> dict:
    """One form element for one field."""
    help_text = field.get("description", "")
    if field.get("type") == "date":
        help_text += " Format: YYYY-MM-DD (e.g. 2022-08-02)."
    attributes = {"label": label(field, mn), "description": help_text.strip()}
    choices = options(package, table, field, mn)
    if choices:
        kind, attributes["options"] = "dropdown", choices
    else:
        kind = "textarea" if multiline(field) else "input"
        if field.get("type") == "date":
            attributes["placeholder"] = "YYYY-MM-DD"
    required = bool(field.get("constraints", {}).get("required"))
    return {
        "type": kind,
        "id": field["name"],
        "attributes": attributes,
        "validations": {"required": required},
    }


def table_form(package: DataPackage, name: str, mn: dict) -> dict:
    table = package.table(name)
    res = next(r for r in package.descriptor["resources"] if r["name"] == name)
    title = res.get("title", name)
    twin = mn.get((i18n.TABLE_TITLE, title))
    return {
        "name": f"Add to {title}" + (f" / {twin}" if twin else ""),
        "description": res.get("description", title),
        "title": f"[{name}] ",
        "labels": [LABEL.format(table=name)],
        "body": [
            {"type": "markdown", "attributes": {"value": intro(name, mn)}},
            *(element(package, table, f, mn) for f in table.fields),
        ],
    }


def correction_form(package: DataPackage, mn: dict) -> dict:
    """Report an error in any row: which table, row and field, what is wrong, and the source."""
    tables = [t.name for t in package.tables]
    where = _("Where the right value is stated (a page of the report, a law, an official page).")

    def ask(kind: str, ident: str, text: str, required: bool, **more) -> dict:
        attributes = {"label": both(text, mn), **more}
        return {"type": kind, "id": ident, "attributes": attributes,
                "validations": {"required": required}}  # fmt: skip

    return {
        "name": both(_("Report an error in the data"), mn),
        "description": _("A value that is wrong, missing or not what the source says."),
        "title": "[correction] ",
        "labels": [CORRECTION],
        "body": [
            ask("dropdown", "table", _("Table"), True, options=tables),
            ask("input", "row", _("Row key"), True,
                description=_("The row's key, as the table's page shows it.")),
            ask("input", "field", _("Field"), False),
            ask("textarea", "problem", _("What is wrong"), True),
            ask("textarea", "source", _("Source"), True, description=where),
        ],
    }  # fmt: skip


def forms(package: DataPackage) -> dict[str, dict]:
    """File name → form, for every form."""
    mn = i18n.messages("mn")
    found = {f"{name}.yml": table_form(package, name, mn) for name in TABLES}
    found[f"{CORRECTION}.yml"] = correction_form(package, mn)
    return found


HEADER = "# Generated from the schemas by `nox -s forms`; do not edit by hand.\n"


def write(package: DataPackage, check: bool = False) -> list[Path]:
    """Write the forms into .github/ISSUE_TEMPLATE (with check, only say which are stale)."""
    folder = package.base / FOLDER
    stale = []
    for name, form in forms(package).items():
        path, text = folder / name, dump(form, HEADER)
        if edge.current(package.base, path) != text:
            stale.append(path)
            if not check:
                edge.write_text(package.base, path, text)
    return stale
