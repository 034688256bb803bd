"""`import` in bounded memory: its peak (RSS) stays under 500 MB whatever it is given, a file
far past the limits or one just within them. Each import runs in a child process whose own peak
is read by that child as it ends (conftest.run_measured), so no other process is counted."""

from __future__ import annotations

import csv
import os
import subprocess
import zipfile
from pathlib import Path

from civic_space import workbook_guard as guard
from civic_space.descriptor import load
from civic_space.workbook import column
from conftest import run_measured

LIMIT_MB = 500
NS = "http://schemas.openxmlformats.org/"
REL = f"{NS}officeDocument/2006/relationships"


def peak_mb(descriptor: Path, path: Path) -> tuple[float, str]:
    """The peak memory of `civic-space import path`, in MB, and what it printed."""
    args = ["civic_space", "import", str(path), "--descriptor", str(descriptor)]
    code, peak, out = run_measured(
        args,
        path.parent / f"{path.name}.peak",
        cwd=descriptor.parent,
        env={**os.environ, "LANGUAGE": "en"},
        stderr=subprocess.STDOUT,
    )
    printed = out.decode("utf-8")
    assert code == 1, printed
    assert "Traceback" not in printed
    print(f"\n{path.name}: peak {peak:.0f} MB")
    return peak, printed


def workbook(path: Path, header: list[str], rows: int, width: int, long: str) -> Path:
    """An .xlsx whose cells below the header all refer to one shared string, `long`."""
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{NS}package/2006/content-types"><Default Extension="xml" '
            'ContentType="application/xml"/><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/></Types>'
        ),
        "_rels/.rels": relations(("officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": (
            f'<workbook xmlns="{NS}spreadsheetml/2006/main" xmlns:r="{REL}"><sheets>'
            '<sheet name="themes" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": relations(
            ("worksheet", "worksheets/sheet1.xml"), ("sharedStrings", "sharedStrings.xml")
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{NS}spreadsheetml/2006/main">'
            + "".join(f"<si><t>{text}</t></si>" for text in [*header, long])
            + "</sst>"
        ),
    }
    cells = [
        f'<row r="{r + 1}">'
        + "".join(
            f'<c r="{column(c)}{r + 1}" t="s"><v>{c if r == 0 else len(header)}</v></c>'
            for c in range(len(header) if r == 0 else width)
        )
        + "</row>"
        for r in range(rows)
    ]
    parts["xl/worksheets/sheet1.xml"] = (
        f'<worksheet xmlns="{NS}spreadsheetml/2006/main"><sheetData>{"".join(cells)}'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def relations(*links: tuple[str, str]) -> str:
    return (
        f'<Relationships xmlns="{NS}package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>'
            for i, (kind, target) in enumerate(links, start=1)
        )
        + "</Relationships>"
    )


def themes_csv(descriptor: Path, path: Path, rows: int, cell: str) -> Path:
    header = load(descriptor).table("themes").field_names
    with path.open("w", encoding="utf-8", newline="") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(header)
        for i in range(rows):
            out.writerow([f"t{i:06d}", "L", "Л", cell, "", "pending", "maintainers", ""])
    return path


def test_a_bomb_of_shared_strings_is_refused_in_little_memory(package_copy, tmp_path):
    """20,000 cells that each use one 32,000-character string: 640 M characters expanded from a
    file of ~0.1 MB. Counted from the XML, it is refused before the reader expands it."""
    header = load(package_copy).table("themes").field_names
    bomb = workbook(tmp_path / "bomb.xlsx", header, 2_500, len(header), "y" * 32_000)
    assert bomb.stat().st_size < 500_000
    peak, printed = peak_mb(package_copy, bomb)
    assert f"more than {guard.MAX_TEXT:,} characters" in printed
    assert peak < LIMIT_MB


def test_a_huge_csv_is_refused_in_little_memory(package_copy, tmp_path):
    big = themes_csv(package_copy, tmp_path / "themes.csv", 49_000, "x" * 1_150)  # ~58 MB
    peak, printed = peak_mb(package_copy, big)
    assert "is larger than" in printed
    assert peak < LIMIT_MB


def test_a_csv_just_within_the_limits_is_imported_in_bounded_memory(package_copy, tmp_path):
    """Slow (~10 s): the whole import, validation included, of the most text a CSV may hold, in
    the shape that costs the most memory measured (long cells, many rows): what proves the
    bound for any input, since anything larger is refused before it is read."""
    rows = guard.MAX_TEXT // 1_200 - 10  # ~1,190 bytes a row
    big = themes_csv(package_copy, tmp_path / "themes.csv", rows, "x" * 1_150)
    assert guard.MAX_TEXT * 0.95 < big.stat().st_size <= guard.MAX_TEXT
    peak, printed = peak_mb(package_copy, big)
    assert "is larger than" not in printed and "not a value" not in printed
    assert "nothing written" in printed  # the rows are invalid: validation ran on all of them
    assert peak < LIMIT_MB


def test_a_workbook_just_within_the_limits_is_read_in_bounded_memory(package_copy, tmp_path):
    """Slow (~15 s): a sheet of the most cells a sheet may span, each a shared string."""
    header = load(package_copy).table("themes").field_names
    width = guard.MAX_CELLS // guard.MAX_ROWS
    book = workbook(tmp_path / "wide.xlsx", header, guard.MAX_ROWS, width, "z" * 9)
    peak, printed = peak_mb(package_copy, book)
    assert "more than" not in printed and "holds a value in a column without" in printed
    assert peak < LIMIT_MB
