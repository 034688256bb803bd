"""Nodes the data tables need beyond docutils: a keyboard-focusable scroll region named for
screen readers, an outside link with rel="noopener", a link to one row of another table's
page, and an identifier that is not for translation. In HTML every attribute value is
escaped here; other builders (text, gettext, LaTeX …) get plain docutils nodes in their
place, so they build as before.

Also a small script for every page: a code block (or a table made elsewhere) that scrolls
sideways becomes focusable, so keyboard users can scroll it (axe-core's
scrollable-region-focusable rule)."""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.errors import NoUri


class scroll_region(nodes.General, nodes.Element):
    """A block that scrolls sideways: <div tabindex="0" role="region" aria-label=…>."""


class outside_link(nodes.Inline, nodes.TextElement):
    """A link out of the site (refuri), opened with rel="noopener"."""


class identifier(nodes.Inline, nodes.TextElement):
    """A key, or the name of a table or field: the same in every edition, so marked
    translate="no" (for readers' translation tools, and our check for untranslated words)."""


class coded(nodes.Inline, nodes.TextElement):
    """A coded value shown by its label, the code kept in data-code (for scripts; not read
    aloud nor shown as a tooltip)."""


class row_ref(nodes.Inline, nodes.TextElement):
    """A link to a page of this site (reftarget, a docname) and a place on it (anchor, may be
    empty), resolved to a relative address once the builder is known."""


def attribute(value: str) -> str:
    return html.escape(str(value), quote=True)


def visit_scroll_region(self, node: scroll_region) -> None:
    classes = " ".join(["table-scroll", *node.get("classes", [])])
    self.body.append(
        f'<div class="{attribute(classes)}" tabindex="0" role="region"'
        f' aria-label="{attribute(node["label"])}">\n'
    )


def depart_scroll_region(self, node: scroll_region) -> None:
    self.body.append("</div>\n")


def visit_identifier(self, node: identifier) -> None:
    self.body.append('<span class="identifier" translate="no">')


def depart_identifier(self, node: identifier) -> None:
    self.body.append("</span>")


def visit_coded(self, node: coded) -> None:
    self.body.append(f'<span class="coded-value" data-code="{attribute(node["code"])}">')


def depart_coded(self, node: coded) -> None:
    self.body.append("</span>")


def visit_outside_link(self, node: outside_link) -> None:
    self.body.append(
        f'<a class="reference external" href="{attribute(node["refuri"])}" rel="noopener"'
        ' translate="no">'  # an address, the same in every edition
    )


def depart_outside_link(self, node: outside_link) -> None:
    self.body.append("</a>")


def resolve(app, doctree: nodes.document, docname: str) -> None:
    """At `doctree-resolved`: row links become relative references (so they work in every
    edition's folder); for builders other than HTML, every node of this module becomes its
    plain docutils twin."""
    for ref in list(doctree.findall(row_ref)):
        ref.replace_self(resolved(app.builder, docname, ref))
    if app.builder.format == "html":
        return
    for link in list(doctree.findall(outside_link)):
        link.replace_self(nodes.reference("", "", *link.children, refuri=link["refuri"]))
    for region in list(doctree.findall(scroll_region)):
        region.replace_self(nodes.container("", *region.children))
    for name in [*doctree.findall(identifier), *doctree.findall(coded)]:
        name.replace_self(nodes.inline("", "", *name.children))


def resolved(builder, docname: str, ref: row_ref) -> nodes.Node:
    try:
        uri = builder.get_relative_uri(docname, ref["reftarget"])
    except NoUri:  # a builder without pages: plain text then
        uri = ""
    if not uri and builder.format != "html":
        return nodes.inline("", "", *ref.children)
    anchor = f"#{ref['anchor']}" if ref.get("anchor") else ""
    return nodes.reference(
        "", "", *ref.children, refuri=uri + anchor, internal=True, classes=["row-link"]
    )


# Marks what scrolls sideways and the keyboard cannot reach otherwise as focusable, on load and
# on resize: code blocks, and the tables that other extensions make (charts' data, the
# overview), which also get role="region" and a name (their caption, or the heading above).
FOCUSABLE = """
(() => {
  const label = (el) => {
    const figure = el.closest("figure");
    const caption = el.querySelector("caption") || figure?.querySelector("figcaption");
    const at = el.closest("section");
    const heading = at && at.querySelector("h1, h2, h3, h4, h5, h6");
    return ((caption || heading)?.textContent || "").replace("\u00b6", "").trim();
  };
  const mark = () => {
    const found = document.querySelectorAll("div.highlight > pre, .table-wrapper");
    found.forEach((el) => {
      if (el.closest(".table-scroll")) return;
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.focusable = "scroll";
        if (el.matches(".table-wrapper")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", label(el));
        }
      } else if (!scrolls && el.dataset.focusable === "scroll") {
        ["tabindex", "role", "aria-label"].forEach((name) => el.removeAttribute(name));
        delete el.dataset.focusable;
      }
    });
  };
  addEventListener("resize", mark);  // a few elements: cheap enough to run on every resize
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", mark);
  else mark();
})();
"""


def setup(app):
    app.add_node(scroll_region, html=(visit_scroll_region, depart_scroll_region))
    app.add_node(outside_link, html=(visit_outside_link, depart_outside_link))
    app.add_node(identifier, html=(visit_identifier, depart_identifier))
    app.add_node(coded, html=(visit_coded, depart_coded))
    app.add_node(row_ref)
    app.connect("doctree-resolved", resolve)
    app.add_js_file(None, body=FOCUSABLE)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
