"""At build start: one page per table written into tables/ (not kept in git), so adding a table
to the package adds its page; and, for HTML, the downloads written into the output folder."""

from __future__ import annotations

from pathlib import Path

from docnodes import DOWNLOADS
from package_summary import package_of
from site_address import site_url

from civic_space import edge, exports

PAGE = """# Table `{name}`

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
