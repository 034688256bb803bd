"""At build start: one page per table written into tables/ (not kept in git), so adding a table
to the package adds its page; and, for HTML, the downloads written into the output folder."""

from __future__ import annotations

from pathlib import Path

from docnodes import DOWNLOADS, localized, text_node
from docutils import nodes
from package_summary import package_of
from site_address import site_url
from sphinx.transforms import SphinxTransform

from civic_space import edge, exports, i18n

# The heading is replaced by the table's title (TableTitle); its words fix the page's anchor.
PAGE = """# Table {name}

```{{datapackage-resource}} {name}
```
"""


def generate_pages(app) -> None:
    """Write one page per table into tables/, and the downloads into the output folder."""
    package = package_of(app.config)
    source = Path(app.srcdir)  # the edge of what the build writes here (see edge.py)
    folder = edge.make_folder(source, source / "tables")
    wanted = {f"{t.name}.md": PAGE.format(name=t.name) for t in package.tables}
    for stale in set(p.name for p in folder.glob("*.md")) - set(wanted):
        edge.remove(source, folder / stale)
    for name, text in wanted.items():
        path = folder / name
        if edge.current(source, path) != text:
            edge.write_text(source, path, text)  # unchanged pages keep their mtime
    if app.builder.format == "html":
        app.config.datapackage_downloads = str(Path(app.outdir) / DOWNLOADS)
        exports.build(package, Path(app.config.datapackage_downloads), site_url(app.config))


class TableTitle(SphinxTransform):
    """A table page's heading is the table's title from the descriptor, in the edition's
    language (its Mongolian twin from our catalogue's "table title" messages), as the
    sidebar and the page's <title> show it. Run before Sphinx's page translation, which then
    leaves it alone (not translatable: the page catalogues have nothing to say about it)."""

    default_priority = 5

    def apply(self) -> None:
        docname = self.env.docname
        if not docname.startswith("tables/"):
            return
        name = docname.removeprefix("tables/")
        package = package_of(self.config)
        res = next((r for r in package.descriptor["resources"] if r["name"] == name), None)
        title = next(iter(self.document.findall(nodes.title)), None)
        if res is None or title is None:
            return
        english = res.get("title") or name
        text = localized(english, i18n.table_title(english))
        title.children.clear()
        title += text_node(text)
        title["translatable"] = False
