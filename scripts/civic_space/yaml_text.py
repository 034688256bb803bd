"""YAML as the project writes it (issue forms, CITATION.cff): ruamel.yaml, block style, long
lines kept whole, so the same data always gives the same, diffable text."""

from __future__ import annotations

from io import StringIO


def dump(data, header: str = "") -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096  # a long description stays on its line: diffs show the change, not a reflow
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(data, out)
    return header + out.getvalue()
