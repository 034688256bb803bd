"""The theme's own words (Furo's templates, the words Sphinx puts on the pages it makes and in
its search script) in a catalogue of ours, `sphinx.po`: Sphinx ships none for Mongolian.

The template is extracted from the installed theme and Sphinx, so a new version of either
brings its new words to the catalogue. `sphinx.js`, which Sphinx copies into the site for the
search script, is made from the same catalogue and never edited by hand."""

from __future__ import annotations

import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from . import edge

THEME_DOMAIN = "sphinx"  # the domain Sphinx and its themes translate their words in
# Where Sphinx's own messages appear on a built site: its page templates and search script, and
# the HTML writer's link titles ("Link to this heading"); elsewhere they are build-log lines,
# which no reader sees.
ON_PAGES = ("themes/basic/",)
TEMPLATES = "_templates"  # the site's own templates, beside its catalogues (docs/)
LINK_TITLES = ("writers/html5.py", "Link to this ")


def theme_template(own: Path | None = None) -> Catalog:
    """Every translatable word of the theme and of Sphinx's pages, and of the site's own
    templates in `own` (which override the theme's), with where it comes from."""
    import furo
    import jinja2
    import sphinx

    pot = Catalog(domain=THEME_DOMAIN, project="civic-space-mongolia")
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    sphinx_dir = Path(sphinx.__file__).parent
    roots = [Path(furo.__file__).parent / "theme" / "furo", sphinx_dir / "themes" / "basic"]
    for root in [*roots, *([own] if own and own.is_dir() else [])]:
        for path in sorted(root.rglob("*.html")):
            found = env.extract_translations(path.read_text(encoding="utf-8"))
            for line, _function, message in found:
                message = message if isinstance(message, str) else message[0]
                if message:
                    pot.add(message, locations=[(f"{root.parent.name}/{path.name}", line)])
    for message in theme_words():  # what Furo writes without gettext (docs/_ext/theme_words)
        pot.add(message, locations=[("furo/page.html", 0)])
    with (sphinx_dir / "locale" / "sphinx.pot").open("rb") as file:
        for message in read_po(file):
            where = [loc for loc in message.locations if loc[0].startswith(ON_PAGES)]
            if str(message.id).startswith(LINK_TITLES[1]):
                where += [loc for loc in message.locations if loc[0] == LINK_TITLES[0]]
            if message.id and where:
                pot.add(message.id, locations=where, flags=message.flags)
    return pot


def theme_words() -> list[str]:
    """The site's list of Furo's hard-coded words (docs/_ext is on the path only in a build)."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "docs" / "_ext" / "theme_words.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location("theme_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.theme_messages()


def update_theme(locale_dir: Path, check: bool = False):
    """`sphinx.po` of each language brought up to date with the theme's words, and its
    `sphinx.js` made from it. Returns the files that are (or, with check, would be)
    rewritten, and the untranslated msgids per language."""
    from .catalogues import refresh
    from .i18n import available

    pot = theme_template(locale_dir.parent / TEMPLATES)
    scripted = {m.id for m in pot if any(loc.endswith(".js") for loc, _line in m.locations)}
    stale, untranslated = [], {}
    for lang in available()[1:]:
        folder = locale_dir / lang / "LC_MESSAGES"
        po_path, js_path = folder / f"{THEME_DOMAIN}.po", folder / f"{THEME_DOMAIN}.js"
        changed, untranslated[lang] = refresh(po_path, pot, lang, check, locale_dir)
        stale += [po_path] if changed else []
        script = script_catalogue(po_path, lang, scripted) if po_path.exists() else ""
        if edge.current(locale_dir, js_path) != script:
            stale.append(js_path)
            if not check:
                edge.write_text(locale_dir, js_path, script)
    return stale, untranslated


def script_catalogue(po_path: Path, lang: str, scripted: set) -> str:
    """sphinx.js: the search script's words (msgids in `scripted`) from `po_path`, in the
    form Sphinx's own catalogues give them (`Documentation.addTranslations`)."""
    with po_path.open("rb") as file:
        catalog = read_po(file, locale=lang)
    messages = {}
    for message in catalog:
        plural = isinstance(message.id, tuple)
        translated = all(message.string) if plural else bool(message.string)
        if message.id not in scripted or not translated:
            continue
        messages[message.id[0] if plural else message.id] = (
            list(message.string) if plural else message.string
        )
    # Sphinx's script indexes the plural forms by this expression's value; gettext's C form
    # gives a boolean for two-form languages ((n != 1)), which indexes nothing in JavaScript.
    plural = f"Number({catalog.plural_expr})"
    body = {"locale": lang, "messages": messages, "plural_expr": plural}
    return (
        f"Documentation.addTranslations({json.dumps(body, ensure_ascii=False, sort_keys=True)});\n"
    )
