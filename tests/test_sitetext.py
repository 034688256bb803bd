"""The build comparison sees what a reader sees: text, table cells and figures, not markup."""

from __future__ import annotations

from civic_space.sitetext import compare, main

PAGE = """<html><head><title>t</title><script>var x = 1;</script></head><body>
<h1>Issues</h1><p>Raised   at <em>four</em> workshops.</p>
<table><tr><th>Place</th><th>Count</th></tr><tr><td>Dariganga</td><td>{count}</td></tr></table>
<svg viewBox="0 0 10 10"><circle cx="{cx}" cy="5" r="1"/></svg></body></html>"""


def site(tmp_path, name, count="7", cx="5", extra=""):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "index.html").write_text(PAGE.format(count=count, cx=cx) + extra, encoding="utf-8")
    return folder


def test_markup_alone_is_no_difference(tmp_path):
    before = site(tmp_path, "a")
    after = site(tmp_path, "b", extra="<!-- a comment --><div class='x'></div>")
    assert compare(before, after) == []
    assert main([str(before), str(after)]) == 0


def test_a_changed_cell_or_figure_is_shown(tmp_path):
    before = site(tmp_path, "a")
    assert "+Dariganga | 8" in compare(before, site(tmp_path, "b", count="8"))
    changed = compare(before, site(tmp_path, "c", cx="6"))
    assert [line[0] for line in changed if line.startswith(("-[figure", "+[figure"))] == ["-", "+"]
    assert main([str(before), str(tmp_path / "c")]) == 1
