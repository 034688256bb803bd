"""The spreadsheet round-trip: template → import gives back the very same CSVs; edits show as
exactly those changes; spreadsheet habits are understood and mistakes located by sheet, row and
column; nothing is written from a workbook that does not validate, unless a draft is asked for."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from civic_space.datadiff import diff
from civic_space.descriptor import PackageError, load
from civic_space.formatting import read_rows, render
from civic_space.importer import import_files
from civic_space.workbook import ABOUT, cell_text, read_sources, template
from conftest import set_cell
from strategies import new_row


def files(descriptor: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((descriptor.parent / "data").glob("*.csv"))}


@pytest.fixture
def book(package_copy, tmp_path) -> Path:
    return template(load(package_copy), tmp_path / "book.xlsx")


def edit(path: Path, sheet: str, changes: dict[tuple[int, str], object], out: Path) -> Path:
    """Set cells by (spreadsheet row, field name), the way a person would in Excel."""
    workbook = load_workbook(path)
    ws = workbook[sheet]
    header = [c.value for c in ws[1]]
    for (row, name), value in changes.items():
        ws.cell(row, header.index(name) + 1).value = value
    workbook.save(out)
    return out


def row_of(descriptor: Path, table: str, key: str) -> int:
    """The spreadsheet row of a row in the template (the CSV's own order, after the header)."""
    tab = load(descriptor).table(table)
    header, rows = read_rows(tab)
    at = [header.index(k) for k in tab.primary_key]
    return 2 + next(i for i, r in enumerate(rows) if "/".join(r[j] for j in at) == key)


def test_prefilled_template_imports_back_byte_identical(package_copy, book, tmp_path):
    before = files(package_copy)
    done = import_files(load(package_copy), [book])
    assert [str(p) for p in done.problems] == []
    assert done.written == [] and not any(done.diffs)
    assert files(package_copy) == before
    # import → export → import is a fixed point
    again = template(load(package_copy), tmp_path / "again.xlsx")
    assert import_files(load(package_copy), [again]).written == []
    assert files(package_copy) == before


def test_template_explains_fields_and_offers_drop_downs(package_copy, book):
    workbook = load_workbook(book)
    assert workbook.sheetnames[0] == ABOUT
    package = load(package_copy)
    assert set(workbook.sheetnames) >= {t.name for t in package.tables}
    events = workbook["events"]
    header = [c.value for c in events[1]]
    assert header == package.table("events").field_names
    kind = events.cell(1, header.index("kind") + 1)
    assert package.table("events").field("kind")["description"] in kind.comment.text
    ranges = {str(v.sqref).split(":")[0]: v for v in events.data_validations.dataValidation}
    letter = chr(ord("A") + header.index("kind"))
    assert ranges[f"{letter}2"].type == "list"  # the enum as a drop-down
    place = chr(ord("A") + header.index("place_id"))
    assert ranges[f"{place}2"].type == "list"  # a foreign key: the places' keys
    start = chr(ord("A") + header.index("start_date"))
    assert ranges[f"{start}2"].type == "date"
    about = [[c.value for c in r] for r in workbook[ABOUT].iter_rows()]
    assert ["events", letter, "kind"] in [r[:3] for r in about]


def test_an_edited_cell_shows_as_exactly_that_change(package_copy, book, tmp_path):
    folder = package_copy.parent
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=folder, check=True)
    row = row_of(package_copy, "places", "bayandun")
    edited = edit(book, "places", {(row, "note"): "Soum centre: Naranbulag."}, tmp_path / "e.xlsx")
    done = import_files(load(package_copy), [edited])
    assert [str(p) for p in done.problems] == []
    assert [p.name for p in done.written] == ["places.csv"]
    changes = {d.name: d for d in diff(load(package_copy), "HEAD") if d}
    assert list(changes) == ["places"]
    assert changes["places"].added == [] and changes["places"].removed == []
    [(key, edits)] = changes["places"].changed.items()
    assert key == "bayandun"
    assert [(f, new) for f, _old, new in edits] == [("note", "Soum centre: Naranbulag.")]


def test_a_deleted_row_is_reported_as_removed(package_copy, book, tmp_path):
    workbook = load_workbook(book)
    workbook["errata"].delete_rows(row_of(package_copy, "errata", "chrdr"))
    workbook.save(tmp_path / "deleted.xlsx")
    done = import_files(load(package_copy), [tmp_path / "deleted.xlsx"])
    assert [str(p) for p in done.problems] == []
    errata = next(d for d in done.diffs if d.name == "errata")
    assert errata.removed == ["chrdr"] and not errata.added and not errata.changed
    assert b"\nchrdr," not in (package_copy.parent / "data" / "errata.csv").read_bytes()


def test_typical_mistakes_get_one_clear_error_each(package_copy, book, tmp_path):
    row = row_of(package_copy, "events", "workshop-bayandun")
    mistakes = {
        (row, "start_date"): "02/08/2022",  # a text date
        (row, "kind"): "party",  # outside the drop-down
        (row, "title"): None,  # a required cell left empty
    }
    bad = edit(book, "events", mistakes, tmp_path / "bad.xlsx")
    before = files(package_copy)
    done = import_files(load(package_copy), [bad])
    header = load(package_copy).table("events").field_names
    letter = {n: chr(ord("A") + header.index(n)) for n in ("start_date", "kind", "title")}
    lines = sorted(str(p) for p in done.problems)
    where = f"bad.xlsx: sheet 'events', row {row}, column"
    assert lines == sorted(
        [
            f"{where} {letter['start_date']}: start_date: “02/08/2022” is not a date — type the"
            " date as a spreadsheet date, or as text YYYY-MM-DD [import-cell]",
            f"{where} {letter['kind']}: kind: “party” is not an allowed value — use one of: "
            + ", ".join(load(package_copy).table("events").field("kind")["constraints"]["enum"])
            + " [constraint-error]",
            f"{where} {letter['title']}: title: is empty but must be filled in — fill it in"
            " (see the field's description) [constraint-error]",
        ]
    )
    assert done.written == [] and files(package_copy) == before  # nothing written


def test_invalid_workbook_is_written_only_as_a_draft(package_copy, book, tmp_path):
    row = row_of(package_copy, "issues", "online-03")
    bad = edit(book, "issues", {(row, "theme_id"): "no-such-theme"}, tmp_path / "bad.xlsx")
    before = files(package_copy)
    refused = import_files(load(package_copy), [bad])
    assert [p.code for p in refused.problems] == ["foreign-key"]
    assert files(package_copy) == before
    drafted = import_files(load(package_copy), [bad], draft=True)
    assert [p.name for p in drafted.written] == ["issues.csv"]
    assert b"no-such-theme" in (package_copy.parent / "data" / "issues.csv").read_bytes()


def test_spreadsheet_habits_are_understood(package_copy, book, tmp_path):
    workbook = load_workbook(book)
    themes = workbook["themes"]
    themes.title = "Sheet 7"  # renamed: found by its header
    workbook.move_sheet("Sheet 7", offset=-3)  # and moved
    metrics = workbook["metrics"]
    header = [c.value for c in metrics[1]]
    reach = row_of(package_copy, "metrics", "online-reach")
    metrics.cell(reach, header.index("value") + 1).value = "3281"  # a number stored as text
    events = workbook["events"]
    header = [c.value for c in events[1]]
    row = row_of(package_copy, "events", "workshop-bayandun")
    start = events.cell(row, header.index("start_date") + 1)
    start.value = start.value.date().isoformat()  # a date typed as text
    title = events.cell(row, header.index("title") + 1)
    title.value = f"{title.value}   "  # trailing spaces
    for extra in range(events.max_row + 1, events.max_row + 4):
        events.cell(extra, 1).value = ""  # empty trailing rows
    workbook.save(tmp_path / "habits.xlsx")
    done = import_files(load(package_copy), [tmp_path / "habits.xlsx"])
    assert [str(p) for p in done.problems] == []
    assert done.trimmed == 1
    assert not any(done.diffs) and done.written == []  # all of it read back as it was


def test_merged_header_cells_are_an_error_not_a_guess(package_copy, book, tmp_path):
    workbook = load_workbook(book)
    workbook["themes"].merge_cells("B1:C1")
    workbook.save(tmp_path / "merged.xlsx")
    done = import_files(load(package_copy), [tmp_path / "merged.xlsx"])
    codes = [p.code for p in done.problems]
    assert "import-merged-header" in codes
    assert done.written == []


def test_spreadsheet_dates_and_numbers_read_back_as_text():
    assert cell_text(dt.date(2022, 8, 2), {"type": "date"}) == ("2022-08-02", None)
    assert cell_text(dt.datetime(2022, 8, 2), {"type": "date"}) == ("2022-08-02", None)
    assert cell_text(3281.0, {"type": "integer"}) == ("3281", None)
    assert cell_text(49.2439, {"type": "number"}) == ("49.2439", None)
    assert cell_text("2022-08-02", {"type": "date"}) == ("2022-08-02", None)
    assert cell_text(1.5, {"type": "integer"})[1] == "not-whole"
    assert cell_text(dt.date(2022, 1, 2), {"type": "string"})[1]  # Excel's 1-2 → a date


def test_text_that_looks_like_a_formula_stays_text(package_copy, tmp_path):
    set_cell(package_copy, "places", "bayandun", "note", "=1+1")  # refused by validation, too
    book = template(load(package_copy), tmp_path / "f.xlsx")
    ws = load_workbook(book)["places"]
    cells = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = []
    for name, rows in sheets.items():
        body.append(f'<table:table table:name="{escape(name)}">')
        for row in rows:
            body.append("<table:table-row>")
            for value in row:
                if isinstance(value, dt.date):
                    body.append(
                        f'<table:table-cell office:value-type="date" office:date-value='
                        f'"{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
                    )
                elif value:
                    body.append(
                        '<table:table-cell office:value-type="string">'
                        f"<text:p>{escape(value)}</text:p></table:table-cell>"
                    )
                else:
                    body.append("<table:table-cell/>")
            body.append("</table:table-row>")
        body.append("</table:table>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(body)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return path


def test_ods_and_csv_files_are_read_too(package_copy, tmp_path):
    package = load(package_copy)
    events = package.table("events")
    header, rows = read_rows(events)
    at = header.index("start_date")
    grid = [header] + [
        [dt.date.fromisoformat(v) if i == at and v else v for i, v in enumerate(r)] for r in rows
    ]
    before = files(package_copy)
    done = import_files(package, [ods(tmp_path / "events.ods", {"events": grid})])
    assert [str(p) for p in done.problems] == [] and done.written == []
    assert files(package_copy) == before
    themes = package.table("themes")
    text = themes.path.read_text(encoding="utf-8").replace("Alcohol harm,", "Harm from alcohol,")
    (tmp_path / "themes.csv").write_text(text, encoding="utf-8")
    done = import_files(package, [tmp_path / "themes.csv"])
    assert [str(p) for p in done.problems] == []
    [change] = [d for d in done.diffs if d]
    assert change.changed == {"alcohol-harm": [("label", "Alcohol harm", "Harm from alcohol")]}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), table_name=st.sampled_from(["organisations", "sdg_targets", "demands"]))
def test_any_valid_row_survives_the_round_trip(package_copy, tmp_path, data, table_name):
    """Rows drawn from the schemas (quotes, line breaks, Cyrillic, numbers, dates) come back
    from the workbook exactly as they were."""
    package = load(package_copy)
    table = package.table(table_name)
    header, rows = read_rows(table)
    row = data.draw(new_row(package, table))
    if "note" in header:  # free text at its hardest: quotes, commas, line breaks, "=…", any script
        odd = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('\n",=+-@')
        row[header.index("note")] = data.draw(
            st.text(odd, min_size=1, max_size=40).filter(lambda t: t == t.strip())
        )
    table.path.write_text(render(header, [*rows, row]), encoding="utf-8")
    try:
        book = template(load(package_copy), tmp_path / "p.xlsx")
        sheets, problems = read_sources(load(package_copy), [book])
        assert [str(p) for p in problems] == []
        assert sheets[table_name].rows == [*rows, row]
    finally:
        table.path.write_text(render(header, rows), encoding="utf-8")


def test_text_that_looks_like_an_xlsx_escape_survives(package_copy, tmp_path):
    set_cell(package_copy, "places", "bayandun", "note", "Literally _x000D_ and _x005F_.")
    sheets, problems = read_sources(
        load(package_copy), [template(load(package_copy), tmp_path / "x.xlsx")]
    )
    _header, rows = read_rows(load(package_copy).table("places"))
    assert problems == [] and sheets["places"].rows == rows


def test_a_control_character_stops_the_template_with_a_located_error(package_copy, tmp_path):
    line = set_cell(package_copy, "places", "bayandun", "note", "a\rb")  # CR would become LF
    with pytest.raises(PackageError) as caught:
        template(load(package_copy), tmp_path / "c.xlsx")
    assert caught.value.line == line and "note" in caught.value.message


def test_import_problems_in_mongolian(package_copy, book, tmp_path):
    from civic_space import i18n

    row = row_of(package_copy, "events", "workshop-bayandun")
    bad = edit(book, "events", {(row, "start_date"): "02/08/2022"}, tmp_path / "mn.xlsx")
    try:
        i18n.use("mn")
        [problem] = [str(p) for p in import_files(load(package_copy), [bad]).problems]
    finally:
        i18n.use("en")
    assert problem.startswith(f"mn.xlsx: хуудас 'events', мөр {row}, багана ")
    assert "“02/08/2022” нь огноо биш" in problem
