"""The edition's language: our catalogue's messages in it, and `lang` attributes in the HTML
where a page shows text in another language."""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from civic_space import i18n


class Translator(HTML5Translator):
    """Sets `lang` on elements: from a node's own `lang`, and "en" on text that another
    edition shows untranslated (Sphinx's translation_progress_classes, and our data). Gives
    role="heading" (Sphinx's toctree captions) the level screen readers need (aria-level),
    and an element its ARIA role from the node's `html_role` (a note's mark, its link back)."""

    def starttag(self, node, tagname, suffix="\n", empty=False, **attributes):
        if "heading" in (attributes.get("ROLE"), attributes.get("role")):
            attributes.setdefault("aria-level", "2")  # a caption heads a list under the title
        if isinstance(node, nodes.Element):
            for name, value in node.get("data", {}).items():  # data-* attributes (escaped)
                attributes.setdefault(f"data-{name}", value)
            if node.get("html_role"):
                attributes.setdefault("role", node["html_role"])
            if node.get("lang"):
                attributes.setdefault("lang", node["lang"])
            elif "untranslated" in node.get("classes", []) and i18n.language() != "en":
                attributes.setdefault("lang", "en")
        return super().starttag(node, tagname, suffix, empty, **attributes)


def use_language(app) -> None:
    """Messages from our catalogue in the edition's language (English if it has none)."""
    language = app.config.language or "en"
    i18n.use(language if language in i18n.available() else "en")
