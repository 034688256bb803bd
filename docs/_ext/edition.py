"""The edition's language: our catalogue's messages in it, and `lang` attributes in the HTML
where a page shows text in another language."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
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

    def visit_Text(self, node: nodes.Text) -> None:
        """In another edition, Latin-script words inside that edition's own sentences (names
        such as CHRD or Facebook, a quoted English title, a menu of an English program) are
        English to a screen reader: each stretch is marked lang="en". A block with none of
        the edition's own words is left alone: it is marked where it is made, or it is
        English that nobody has marked (which tests/test_browser.py finds)."""
        text = node.astext()
        if i18n.language() == "en" or self.protect_literal_text or not LATIN_RUN.search(text):
            return super().visit_Text(node)
        if marked(node) or not CYRILLIC.search(block_of(node).astext()):
            return super().visit_Text(node)
        for i, part in enumerate(LATIN_RUN.split(text)):
            if not part:
                continue
            encoded = self.encode(part)
            self.body.append(f'<span lang="en">{encoded}</span>' if i % 2 else encoded)


# A stretch of Latin-script words, with what joins them (spaces, hyphens, dots, slashes, a
# menu's "\u203a"); Cyrillic, digits alone and punctuation around it stay outside.
_WORD = r"[A-Za-z0-9@][A-Za-z0-9@&'\u2019._:/+\-]*"
LATIN_RUN = re.compile(rf"((?=[A-Za-z@]){_WORD}(?:[ \u00a0\u203a/\u2013-]+{_WORD})*)")
CYRILLIC = re.compile("[\u0400-\u04ff]")
BLOCKS = (nodes.paragraph, nodes.title, nodes.term, nodes.caption, nodes.entry, nodes.line)


def block_of(node: nodes.Node) -> nodes.Node:
    """The paragraph (title, table cell …) a text is in."""
    while node.parent is not None and not isinstance(node, BLOCKS):
        node = node.parent
    return node


def marked(node: nodes.Node) -> bool:
    """Whether the text is inside something already marked with its language, or code."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.literal, nodes.literal_block, nodes.raw)):
            return True
        if isinstance(parent, nodes.Element) and parent.get("lang"):
            return True
        # Sphinx also classes a toctree "untranslated", and its resolved lists carry that in
        # paragraphs no element of the page shows: only elements shown are marked by it.
        untranslated = "untranslated" in parent.get("classes", [])
        shown = isinstance(parent, nodes.TextElement)
        if untranslated and shown and not isinstance(parent, addnodes.compact_paragraph):
            return True
        if type(parent).__name__ == "identifier":  # table_nodes: translate="no"
            return True
        parent = parent.parent
    return False


def use_language(app) -> None:
    """Messages from our catalogue in the edition's language (English if it has none)."""
    language = app.config.language or "en"
    i18n.use(language if language in i18n.available() else "en")
