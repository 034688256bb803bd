"""Damage a careless or hostile pull request could do: blank lines, extra cells, invisible
characters, and a descriptor or schema that asks for another dialect, reaches for the network,
leaves the repository or can hang the run. Part of the mutation corpus (test_mutations.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import set_cell


def csv_path(descriptor: Path, table: str) -> Path:
    return descriptor.parent / "data" / f"{table}.csv"


def lines_of(table, change, line):
    """Rewrite a table's lines with `change`; the damage is reported at `line` (-1: the end)."""

    def damage(d):
        path = csv_path(d, table)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(change(lines)), encoding="utf-8")
        return len(lines) + 1 if line == -1 else line

    return damage


def cell(table, key, field, value):
    return lambda d: set_cell(d, table, key, field, value)


def descriptor(change):
    """Edit datapackage.json as JSON; refused as a whole, so no line."""

    def damage(d):
        meta = json.loads(d.read_text(encoding="utf-8"))
        change(meta, next(r for r in meta["resources"] if r["name"] == "themes"))
        d.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")

    return damage


def schema(table, change):
    def damage(d):
        path = d.parent / "schemas" / f"{table}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    return damage


def symlink(relative, target):
    """Replace a file of the package with a symbolic link to `target` (a path or a callable)."""

    def damage(d):
        path = d.parent / relative
        goal = target(d) if callable(target) else target
        path.unlink()
        os.symlink(goal, path)

    return damage


def beside(name, make):
    """Make `name` beside the descriptor (a file the package copy does not have) with `make`."""
    return lambda d: make(d.parent / name, d)


def outside_copy(relative):
    """A copy of the file just outside the package folder, for a link to point at."""

    def make(d):
        copy = d.parent.parent / ("outside-" + Path(relative).name)
        copy.write_bytes((d.parent / relative).read_bytes())
        return copy

    return make


def comment_row(meta, res):
    res["dialect"] = {"commentChar": "z"}


def hidden_row(d):
    """A row the commentChar dialect would hide: a formula and an e-mail address."""
    descriptor(comment_row)(d)
    with csv_path(d, "themes").open("a", encoding="utf-8") as file:
        file.write('z-x,=HYPERLINK("x"),,bat@example.mn,,missing,maintainers,\n')


def pattern(value):
    return schema("themes", lambda s: s["fields"][0]["constraints"].update(pattern=value))


def wide(s):
    s["fields"] = [{"name": f"f{i}", "type": "string"} for i in range(10_000)]
    s["primaryKey"] = ["f0"]


def field(s, name):
    return next(f for f in s["fields"] if f["name"] == name)


def foreign(change):
    return schema("issues", lambda s: change(s["foreignKeys"][0]))


# name: (damage returning the damaged line or None, the table or file refused, error code)
HOSTILE = {
    # structure
    "blank-line-at-end": (lines_of("themes", lambda ls: [*ls, "\n"], -1), "themes", "blank-row"),
    "blank-line-inside": (
        lines_of("events", lambda ls: [*ls[:3], "\n", *ls[3:]], 4),
        "events",
        "blank-row",
    ),
    "blank-line-after-header": (
        lines_of("sdg_targets", lambda ls: [ls[0], "\n", *ls[1:]], 2),
        "sdg_targets",
        "blank-row",
    ),
    "trailing-comma": (
        lines_of("themes", lambda ls: [*ls[:3], ls[3].rstrip("\n") + ",\n", *ls[4:]], 4),
        "themes",
        "extra-cell",
    ),
    "twenty-thousand-commas": (
        lines_of("themes", lambda ls: [*ls[:3], ls[3].rstrip("\n") + "," * 20_000 + "\n"], 4),
        "themes",
        "extra-cell",
    ),
    "header-twenty-thousand-commas": (
        lines_of("themes", lambda ls: [ls[0].rstrip("\n") + "," * 20_000 + "\n", *ls[1:]], 1),
        "themes",
        "extra-label",
    ),
    # invisible characters
    "zero-width-space": (
        cell("events", "plenary-forum", "description", "half\u200bday"),
        "events",
        "unicode-form",
    ),
    "zero-width-joiner": (
        cell("places", "dornod", "note", "Dor\u200dnod"),
        "places",
        "unicode-form",
    ),
    "word-joiner": (
        cell("themes", "land", "definition", "Land\u2060rights."),
        "themes",
        "unicode-form",
    ),
    "soft-hyphen": (
        cell("organisations", "ogp", "name", "Open Govern\u00adment Partnership"),
        "organisations",
        "unicode-form",
    ),
    "bom-in-cell": (cell("demands", "3", "text", "A\ufeffdemand."), "demands", "unicode-form"),
    "bidi-override": (
        cell("issues", "online-01", "note", "see \u202eevil\u202c text"),
        "issues",
        "unicode-form",
    ),
    "bidi-isolate": (
        cell("themes", "land", "label_mn", "\u2067\u0413\u0430\u0437\u0430\u0440\u2069"),
        "themes",
        "unicode-form",
    ),
    # a URL that crashed urllib
    "url-broken-ipv6": (
        cell("channels", "chrd-website", "url", "https://[www.chrd.org.mn/"),
        "channels",
        "url-host",
    ),
    # the descriptor
    "dialect-comment-char": (hidden_row, "datapackage.json", "package-error"),
    "dialect-as-url": (
        descriptor(lambda m, r: r.update(dialect="https://example.org/dialect.json")),
        "datapackage.json",
        "package-error",
    ),
    "header-rows": (
        descriptor(lambda m, r: r.update(dialect={"headerRows": [2]})),
        "datapackage.json",
        "package-error",
    ),
    "encoding-latin-1": (
        descriptor(lambda m, r: r.update(encoding="latin-1")),
        "datapackage.json",
        "package-error",
    ),
    "inline-data": (
        descriptor(lambda m, r: r.update(data=[["theme_id"], ["x"]])),
        "datapackage.json",
        "package-error",
    ),
    "profile-as-url": (
        descriptor(lambda m, r: m.update(profile="https://example.org/profile.json")),
        "datapackage.json",
        "package-error",
    ),
    "schema-as-url": (
        descriptor(lambda m, r: r.update(schema="https://example.org/themes.json")),
        "datapackage.json",
        "package-error",
    ),
    "path-dev-zero": (
        descriptor(lambda m, r: r.update(path="/dev/zero")),
        "datapackage.json",
        "package-error",
    ),
    "path-out-of-repository": (
        descriptor(lambda m, r: r.update(path="data/../../themes.csv")),
        "datapackage.json",
        "package-error",
    ),
    "duplicate-resource-name": (
        descriptor(lambda m, r: m["resources"][0].update(name="themes")),
        "datapackage.json",
        "package-error",
    ),
    "symlink-to-dev-zero": (
        symlink("data/themes.csv", "/dev/zero"),
        "datapackage.json",
        "package-error",
    ),
    "symlink-out-of-repository": (
        symlink("data/themes.csv", outside_copy("data/themes.csv")),
        "datapackage.json",
        "package-error",
    ),
    "schema-symlink": (
        symlink("schemas/themes.json", outside_copy("schemas/themes.json")),
        "datapackage.json",
        "package-error",
    ),
    # files the publishers read besides the tables: the gate refuses what they would refuse
    "readme-is-a-link-outside": (
        beside("README.md", lambda path, d: os.symlink(outside_copy("datapackage.json")(d), path)),
        "README.md",
        "repository-edge",
    ),
    "changelog-is-a-fifo": (
        beside("CHANGELOG.md", lambda path, d: os.mkfifo(path)),
        "CHANGELOG.md",
        "repository-edge",
    ),
    # the schemas
    "unknown-field-type": (
        schema("themes", lambda s: s["fields"][1].update(type="geotext")),
        "themes.json",
        "package-error",
    ),
    "duplicate-field-name": (
        schema("themes", lambda s: s["fields"][2].update(name="label")),
        "themes.json",
        "package-error",
    ),
    "primary-key-not-a-field": (
        schema("themes", lambda s: s.update(primaryKey=["nope"])),
        "themes.json",
        "package-error",
    ),
    "foreign-key-to-nowhere": (
        foreign(lambda fk: fk["reference"].update(resource="nowhere")),
        "issues.json",
        "package-error",
    ),
    "foreign-key-unknown-field": (
        foreign(lambda fk: fk.update(fields=["nope"])),
        "issues.json",
        "package-error",
    ),
    "nested-quantifier": (pattern("^(a+)+$"), "themes.json", "package-error"),
    "pattern-does-not-compile": (pattern("^(a$"), "themes.json", "package-error"),
    "ten-thousand-fields": (schema("themes", wide), "themes.json", "package-error"),
    # found by a hostile pass: tricks that once let a refused value through, hang or crash
    "header-name-with-a-space": (
        lines_of(
            "issue_targets", lambda ls: [ls[0].replace("issue_id,", "issue_id ,"), *ls[1:]], 1
        ),
        "issue_targets",
        "incorrect-label",
    ),
    "pattern-to-let-an-email-through": (
        lambda d: (
            schema(
                "events", lambda s: field(s, "note").update(constraints={"pattern": "[\\s\\S]*"})
            )(d),
            set_cell(d, "events", "plenary-forum", "note", "write to jane.doe@example.org"),
        )[1],
        "events",
        "personal-data",
    ),
    "format-dropped-to-free-a-url": (
        lambda d: (
            schema("channels", lambda s: field(s, "url").pop("format"))(d),
            set_cell(d, "channels", "chrd-website", "url", "https://evil.example.org/x"),
        )[1],
        "channels",
        "url-host",
    ),
    "trailing-newline-in-an-id": (
        cell("themes", "land", "source_id", "report-2\n"),
        "themes",
        "whitespace",
    ),
    "email-with-a-full-width-at": (
        cell("organisations", "ogp", "note", "jane.doe\uff20example.org"),
        "organisations",
        "personal-data",
    ),
    "private-use-character": (
        cell("themes", "land", "definition", "Land\ue000."),
        "themes",
        "unicode-form",
    ),
    "replacement-character": (
        cell("demands", "3", "text", "A demand\ufffd."),
        "demands",
        "unicode-form",
    ),
    "number-beyond-double-precision": (  # 17 significant digits: not in the canonical form
        cell("places", "dariganga", "latitude", "52.200000000000001"),
        "places",
        "type-error",
    ),
    "languages-dropped-to-free-the-twins": (
        lambda d: (
            descriptor(lambda m, r: m.pop("languages"))(d),
            set_cell(d, "themes", "land", "label_mn", "Land"),
        )[1],
        "themes",
        "mongolian-script",
    ),
    "wildcards-side-by-side": (pattern(".*.*.*.*;"), "themes.json", "package-error"),
    "pattern-with-a-global-flag": (pattern("(?s).*"), "themes.json", "package-error"),
    "minimum-not-a-number": (
        schema(
            "activities", lambda s: field(s, "activity_number")["constraints"].update(minimum="abc")
        ),
        "activities.json",
        "package-error",
    ),
    "enum-with-null": (
        schema("events", lambda s: field(s, "mode")["constraints"].update(enum=[None, "online"])),
        "events.json",
        "package-error",
    ),
    "foreign-key-across-types": (
        schema(
            "activities",
            lambda s: field(s, "activity_number").update(type="string", constraints={}),
        ),
        "events.json",
        "package-error",
    ),
    "checksum-in-descriptor": (
        descriptor(lambda m, r: r.update(hash="sha256:" + "0" * 64)),
        "datapackage.json",
        "package-error",
    ),
    "profile-as-a-list": (
        descriptor(lambda m, r: m.update(profile=["x"])),
        "datapackage.json",
        "package-error",
    ),
    "path-with-a-nul": (
        descriptor(lambda m, r: r.update(path="data/themes.csv\x00x")),
        "datapackage.json",
        "package-error",
    ),
    "path-with-a-trailing-slash": (
        descriptor(lambda m, r: r.update(path="data/themes.csv/")),
        "datapackage.json",
        "package-error",
    ),
    "path-too-long": (
        descriptor(lambda m, r: r.update(path="a/" * 3000 + "x.csv")),
        "datapackage.json",
        "package-error",
    ),
    # descriptor text that names files, addresses and markup (identifiers.py): refused alike
    "package-name-leaves-the-repository": (
        descriptor(lambda m, r: m.update(name="../../../../escaped-by-name")),
        "datapackage.json",
        "package-error",
    ),
    "version-with-markup": (
        descriptor(lambda m, r: m.update(version="0.1.0<plaintext>")),
        "datapackage.json",
        "package-error",
    ),
    "resource-name-with-a-dot-dot": (
        descriptor(lambda m, r: r.update(name="..")),
        "datapackage.json",
        "package-error",
    ),
    "contributor-address-runs-script": (
        descriptor(lambda m, r: m["contributors"][0].update(path="javascript:alert(1)")),
        "datapackage.json",
        "package-error",
    ),
    "licence-address-not-https": (
        descriptor(lambda m, r: m["licenses"][0].update(path="http://example.org/licence")),
        "datapackage.json",
        "package-error",
    ),
    "descriptor-is-a-link-outside": (
        symlink("datapackage.json", outside_copy("datapackage.json")),
        "datapackage.json",
        "package-error",
    ),
    # what only frictionless knows is wrong: its reason and the file at fault must show
    "package-name-not-a-name": (
        descriptor(lambda m, r: m.update(name="Bad Name!")),
        "datapackage.json",
        "package-error",
    ),
    "constraint-of-the-wrong-type": (
        schema("themes", lambda s: s["fields"][1]["constraints"].update(minLength="x")),
        "themes.json",
        "package-error",
    ),
    # hostile pass 1.31: longer than a spreadsheet cell, which the .xlsx download would cut;
    # and a member not listed: another table, a number field, one character over
    "cell-longer-than-a-spreadsheet-holds": (
        cell(
            "events", "chrd-website-rebuilt", "note", ("Lorem ipsum dolor sit amet. " * 1500)[:-1]
        ),
        "events",
        "cell-too-long",
    ),
    "number-longer-than-a-spreadsheet-cell": (
        cell("places", "arvaikheer", "latitude", "46." + "1" * 32_765),
        "places",
        "cell-too-long",
    ),
    # hostile pass 1.38: a CR LF inside a quoted cell, refused at the cell (not "run format")
    "cr-lf-inside-a-quoted-cell": (
        cell("events", "chrd-website-rebuilt", "note", "Line one.\r\nLine two."),
        "events",
        "unicode-form",
    ),
    # the descriptor's metadata as the publishers need it (descriptor_text.py)
    "licence-name-contradicts-its-address": (
        descriptor(lambda m, r: m["licenses"][0].update(name="CC-BY-NC-4.0")),
        "datapackage.json",
        "package-error",
    ),
    "licences-empty": (
        descriptor(lambda m, r: m.update(licenses=[])),
        "datapackage.json",
        "package-error",
    ),
    "licences-removed": (
        descriptor(lambda m, r: m.pop("licenses")),
        "datapackage.json",
        "package-error",
    ),
    "keywords-empty-and-repeated": (
        descriptor(lambda m, r: m.update(keywords=["", "x", "x"])),
        "datapackage.json",
        "package-error",
    ),
    "contributor-with-contact-details": (
        descriptor(
            lambda m, r: m["contributors"].append(
                {"title": "Jane Doe <jane@example.org> +976 99112233", "role": "author"}
            )
        ),
        "datapackage.json",
        "package-error",
    ),
    "field-title-over-two-lines": (
        schema("events", lambda s: field(s, "title").update(title="Title\n### Kind")),
        "events.json",
        "package-error",
    ),
    "field-name-with-a-zero-width-space": (
        schema("places", lambda s: field(s, "name_en").update(name="name_en\u200b")),
        "places.json",
        "package-error",
    ),
    # resources the downloads could not hold apart (identifiers.py, descriptor.distinct)
    "two-resources-one-path": (
        descriptor(lambda m, r: m["resources"].append({**r, "name": "themes-again"})),
        "datapackage.json",
        "package-error",
    ),
    "resource-named-as-the-workbook-lists-sheet": (
        descriptor(lambda m, r: m["resources"].append({**r, "name": "lists"})),
        "datapackage.json",
        "package-error",
    ),
    "resource-name-longer-than-a-sheet-name": (
        descriptor(lambda m, r: r.update(name="themes-as-a-second-resource-with-a-long-name-xx")),
        "datapackage.json",
        "package-error",
    ),
    "resource-path-as-a-list": (
        descriptor(lambda m, r: r.update(path=["data/themes.csv", "data/themes.csv"])),
        "datapackage.json",
        "package-error",
    ),
    "resource-given-another-tables-schema": (
        descriptor(lambda m, r: r.update(schema="schemas/events.json")),
        "datapackage.json",
        "package-error",
    ),
    # derived figures that rest on themselves (checks/derived_figure.py)
    "derived-figure-names-itself": (
        cell(
            "metrics",
            "in-person-workshops-participants",
            "formula",
            "in-person-workshops-participants + trainings-participants - trainings-participants",
        ),
        "metrics",
        "derived-figure",
    ),
    "derived-figures-in-a-circle": (
        lambda d: (
            set_cell(d, "metrics", "trainings-participants", "method", "derived"),
            set_cell(
                d,
                "metrics",
                "trainings-participants",
                "formula",
                "in-person-workshops-participants + online-trainings-participants",
            ),
        )[1],
        "metrics",
        "derived-figure",
    ),
    # a number of more digits than every publisher holds alike (lexical.DIGITS)
    "number-of-five-thousand-decimals": (
        cell("places", "arvaikheer", "latitude", "46." + "1" * 5000),
        "places",
        "type-error",
    ),
    # a file `format` would rewrite is refused by validate too (checks/canonical_form.py)
    "no-line-break-at-the-end": (
        lambda d: (
            csv_path(d, "themes").write_bytes(csv_path(d, "themes").read_bytes()[:-1]),
            csv_path(d, "themes").read_bytes().count(b"\n") + 1,
        )[1],
        "themes",
        "canonical-form",
    ),
    # a glossary row that avoids its own term (checks/glossary_entry.py)
    "glossary-avoids-its-own-term": (
        cell("glossary", "cabinet-secretariat", "avoid_mn", "Засгийн газрын Хэрэг эрхлэх газар"),
        "glossary",
        "glossary-entry",
    ),
}
