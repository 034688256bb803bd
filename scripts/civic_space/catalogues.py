"""Keep the gettext catalogues of the contributor messages up to date, and list what is still
untranslated. The template is made from the code (every `_("…")`) and from the schemas' field
titles (context "field title") and coded values (context "value of <field>"), the per-value
view's included, so none is restated by hand."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import edge, value_view
from .descriptor import DataPackage
from .i18n import (
    DOMAIN,
    FIELD_TITLE,
    LABELS,
    TABLE_TITLE,
    VALUE,
    available,
    catalogue_path,
    coded_values,
)
from .theme_catalogue import THEME_DOMAIN

CODE = Path(__file__).resolve().parent
# The tools' messages, and the site's interface strings made by its Sphinx extensions.
SOURCES = [CODE, CODE.parents[1] / "docs" / "_ext"]
HEADER = {
    "project": "civic-space-mongolia",
    "copyright_holder": "the civic-space-mongolia maintainers",
    "header_comment": "# Messages of the civic-space-mongolia tools. Translations made by the\n"
    "# maintainers have not been reviewed by a Mongolian speaker yet; corrections are welcome.",
    "fuzzy": False,
}


def template(package: DataPackage) -> Catalog:
    pot = Catalog(domain=DOMAIN, project="civic-space-mongolia")
    for folder in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords={"_": None}
        ):
            pot.add(message, locations=[(f"{folder.name}/{filename}", lineno)])
    view = value_view.declared()  # the downloads' per-value view is named as a table is
    for resource in [*package.descriptor["resources"], view]:
        if resource.get("title"):
            pot.add(resource["title"], context=TABLE_TITLE, locations=[("datapackage.json", 0)])
    for table in [*package.tables, value_view.table(package)]:
        for field in table.fields:
            location = (table.schema_path.name, 0)
            if field.get("title"):
                pot.add(field["title"], context=FIELD_TITLE, locations=[location])
            for value in coded_values(field):
                pot.add(value, context=VALUE.format(field=field["name"]), locations=[location])
    return pot


def render(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True, no_location=True)
    return out.getvalue()


def refresh(
    path: Path, pot: Catalog, lang: str, check: bool, root: Path | None = None
) -> tuple[bool, list[str]]:
    """Bring one catalogue up to date with its template, keeping the translations made and
    dropping msgids no longer used. Returns whether it changed (with check, would change) and
    the msgids still untranslated. Read and written inside `root` (see edge.py)."""
    root = path.parents[2] if root is None else root  # <root>/<lang>/LC_MESSAGES/<name>.po
    if path.exists():
        with edge.open_read(root, path) as file:
            catalog = read_po(file, locale=lang)
        pot.creation_date = catalog.creation_date  # so an unchanged catalogue stays unchanged
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, **HEADER)
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    text = render(catalog)
    changed = not path.exists() or text != edge.read_bytes(root, path)
    if changed and not check:
        edge.write(root, path, text)
    return changed, [m.id for m in catalog if m.id and not m.string]


def update(package: DataPackage, check: bool = False) -> tuple[list[Path], dict[str, list[str]]]:
    """The message catalogues that are (or, with check, would be) rewritten, and the
    untranslated msgids per language."""
    pot, stale, untranslated = template(package), [], {}
    for lang in available()[1:]:
        changed, untranslated[lang] = refresh(catalogue_path(lang), pot, lang, check)
        if changed:
            stale.append(catalogue_path(lang))
    changed, untranslated["en"] = refresh(LABELS, labels_template(pot), "en", check)
    stale += [LABELS] if changed else []
    return stale, untranslated


def labels_template(pot: Catalog) -> Catalog:
    """The coded values of `pot`, for their English labels (i18n.LABELS)."""
    labels = Catalog(domain="labels", project="civic-space-mongolia")
    for message in pot:
        if message.context and message.context.startswith(VALUE.format(field="")):
            labels.add(message.id, context=message.context, locations=message.locations)
    return labels


def new_language(lang: str) -> Path:
    path = catalogue_path(lang)
    edge.write(path.parents[2], path, render(Catalog(locale=lang, domain=DOMAIN, **HEADER)))
    return path


def update_pages(pot_dir: Path, locale_dir: Path, check: bool = False):
    """The site's page catalogues (`locale_dir/<lang>/LC_MESSAGES/<page>.po`) brought up to
    date with the templates Sphinx's gettext builder wrote into `pot_dir`. Returns the
    catalogues that are (or would be) rewritten, and the untranslated msgids per language."""
    stale, untranslated = [], {}
    for lang in available()[1:]:
        untranslated[lang] = []
        wanted = set()
        for pot_path in sorted(pot_dir.rglob("*.pot")):
            relative = pot_path.relative_to(pot_dir).with_suffix(".po")
            if relative == Path(f"{THEME_DOMAIN}.po"):  # our templates' words: theme_catalogue
                continue
            path = locale_dir / lang / "LC_MESSAGES" / relative
            wanted.add(path)
            with edge.open_read(pot_dir, pot_path) as file:
                changed, missing = refresh(path, read_po(file), lang, check, locale_dir)
            if changed:
                stale.append(path)
            untranslated[lang] += missing
        theme = locale_dir / lang / "LC_MESSAGES" / f"{THEME_DOMAIN}.po"  # theme_catalogue's
        kept = wanted | {theme}
        for extra in set((locale_dir / lang).rglob("*.po")) - kept:  # pages that are gone
            stale.append(extra)
            if not check:
                edge.remove(locale_dir, extra)
    return stale, untranslated


def still_english(package: DataPackage, lang: str) -> dict[str, int]:
    """What the `lang` edition shows in English, marked, beyond the catalogues' untranslated
    messages: the schemas' field descriptions (they have no translation), the rows whose
    translation status says they have none yet, and the English values of free-text fields
    that have no twin in `lang` (notes, where in the report, what the report prints)."""
    from .descriptor import NO_TRANSLATION, status_field
    from .formatting import iter_rows
    from .i18n import is_english

    counts = {"field descriptions": 0, "rows without a translation": 0, "values in English": 0}
    for table in package.tables:
        counts["field descriptions"] += sum(1 for f in table.fields if f.get("description"))
        keys = {*table.primary_key}
        keys |= {f for fk in table.schema.get("foreignKeys", []) for f in fk["fields"]}
        paired = {name for pair in table.twins(lang) for name in pair}
        free = [
            f["name"]
            for f in table.fields
            if f.get("type", "string") == "string"
            and f.get("format", "default") == "default"
            and not coded_values(f)
            and f["name"] not in keys | paired
        ]
        for cells in iter_rows(table):  # with the cell limit validation enforces
            row = dict(zip(table.field_names, cells, strict=False))
            if row.get(status_field(lang)) == NO_TRANSLATION:
                counts["rows without a translation"] += 1
            counts["values in English"] += sum(is_english(row.get(n) or "") for n in free)
    return counts
