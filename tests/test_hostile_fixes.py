"""The hostile pass's descriptor, schema and rule cases as classes: what the loader accepts, every
publisher of the descriptor's metadata writes; names, titles and numbers follow one rule
whatever the character; validate and format agree on a file's form; a derived figure never
rests on itself; a release never goes backwards. (The single cases are in hostile.py.)"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import check_jsonschema
import duckdb
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from civic_space import citation, croissant, explore, glossary, identifiers, lexical, policy
from civic_space import release as release_module
from civic_space.checks.derived_figure import circle
from civic_space.descriptor import PackageError, load
from civic_space.descriptor_text import LICENCES, check_field_text, check_keywords
from civic_space.formatting import format_package
from civic_space.messages import visible
from civic_space.validate import validate
from civic_space.workbook_template import RESERVED_SHEETS, SHEET_NAME_LIMIT
from conftest import ROOT, copy_package

VENDOR = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor"
CFF_SCHEMA = json.loads((VENDOR / "citation-file-format.json").read_text(encoding="utf-8"))
META = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# ---- the descriptor's metadata: accepted means every citation publisher writes it ----

ODD = [
    "", " ", "x", " x", "x ", "a\nb", "a\tb", "a\u200bb", "a\u00a0b", "Jane <jane@example.org>",
    "call +976 99112233", "x" * 301, "<plaintext>", "# heading", "Монгол", 5, None, [], {},
]  # fmt: skip
text = st.one_of(st.sampled_from(ODD), st.text(max_size=12))
DROP = object()
EDITS = {
    "title": text,
    "title_mn": text,
    "description": text,
    "created": st.one_of(
        st.sampled_from(["2026-11-28T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-28", "2026"]),
        text,
    ),
    "keywords": st.one_of(st.lists(text, max_size=4), text),
    "contributors": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {"role": st.sampled_from(["author", "publisher"])},
                optional={"title": text, "email": text, "organization": text},
            ),
            max_size=3,
        ),
        text,
    ),
    "licenses": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from([*LICENCES, "MIT", "cc-by-4.0", ""])},
                optional={
                    "title": st.sampled_from([t for t, _ in LICENCES.values()] + ["x"]),
                    "path": st.sampled_from([p for _, p in LICENCES.values()]),
                },
            ),
            max_size=2,
        ),
        text,
    ),
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return copy_package(tmp_path_factory.mktemp("metadata"))


def cff_problems(text: str) -> list[str]:
    data = YAML(typ="safe").load(text)
    return [e.message for e in jsonschema.Draft7Validator(CFF_SCHEMA).iter_errors(data)]


@SETTINGS
@given(
    edits=st.lists(
        st.sampled_from(sorted(EDITS)).flatmap(
            lambda k: st.tuples(st.just(k), st.one_of(st.just(DROP), EDITS[k]))
        ),
        min_size=1,
        max_size=3,
    )
)
def test_metadata_the_loader_accepts_every_publisher_writes(scratch, tmp_path_factory, edits):
    meta = copy.deepcopy(META)
    for key, value in edits:
        meta.pop(key, None) if value is DROP else meta.__setitem__(key, value)
    scratch.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    try:
        package = load(scratch)
    except PackageError as exc:
        assert exc.message and exc.fix, edits
        assert all(c == " " or c.isprintable() for c in exc.message), exc.message
        return
    assert cff_problems(citation.cff(package)) == [], edits  # what `nox -s citation` checks
    json.loads(citation.zenodo(package))
    for form in (citation.apa, citation.bibtex, citation.ris, citation.csl_json):
        assert form(package.descriptor)
    explore.metadata(package)
    out = tmp_path_factory.mktemp("croissant")
    for name in [*(t.name for t in package.tables), *identifiers.derived_names()]:
        (out / f"{name}.parquet").write_bytes(b"")  # read for its size and digest only
    croissant.croissant(package, out)


def test_the_known_licences_are_spdx_ids_cff_accepts_with_https_addresses():
    known = set(CFF_SCHEMA["definitions"]["license-enum"]["enum"])
    assert set(LICENCES) <= known
    for _title, path in LICENCES.values():
        assert identifiers.URL.fullmatch(path)
    assert META["licenses"][0]["name"] in LICENCES


def test_keywords_repeat_whatever_their_case():
    with pytest.raises(policy.Refusal, match="twice"):
        check_keywords(["Mongolia", "mongolia"])


# ---- names and titles: one rule whatever the character ----


@SETTINGS
@given(name=st.text(max_size=70))
def test_a_field_name_is_an_identifier_and_a_refusal_shows_what_it_holds(name):
    try:
        policy.check_field({"name": name, "type": "string"}, 1, set())
    except policy.Refusal as exc:
        # an invisible character is named, never printed (an accent on a letter is seen)
        assert visible(exc.message) == exc.message, exc.message
        return
    assert name.isascii() and name.isidentifier() and name == name.lower() and len(name) <= 64


@SETTINGS
@given(title=st.text(max_size=40))
def test_a_title_accepted_is_one_line_of_visible_text(title):
    try:
        check_field_text({"name": "x", "title": title, "description": "A field."}, "x")
    except policy.Refusal:
        return
    assert title.strip() == title and title.isprintable() and "\n" not in title


@SETTINGS
@given(
    name=st.one_of(
        st.sampled_from([*RESERVED_SHEETS, "lists", "LISTS", "values", "place_provinces"]),
        st.from_regex(identifiers.NAME, fullmatch=True),
    )
)
def test_a_resource_name_names_a_sheet_the_workbook_can_hold(name):
    resource = {"name": name, "path": "data/x.csv", "schema": "schemas/x.json"}
    reserved = {n.casefold() for n in identifiers.derived_names()}
    try:
        identifiers.check_resource(resource, "resource 1")
    except policy.Refusal:
        assert (
            name.casefold() in reserved
            or len(name) > SHEET_NAME_LIMIT
            or not identifiers.NAME.fullmatch(name)
        )
        return
    assert name.casefold() not in reserved and len(name) <= SHEET_NAME_LIMIT
    assert name.casefold() not in {s.casefold() for s in RESERVED_SHEETS}


# ---- numbers: every publisher holds the value written ----

digits = st.text("0123456789", min_size=1, max_size=20)


@SETTINGS
@given(whole=digits, fraction=st.one_of(st.just(""), digits), minus=st.booleans())
def test_a_number_accepted_reads_back_from_a_double_as_written(whole, fraction, minus):
    text = ("-" if minus else "") + whole + ("." + fraction if fraction else "")
    value = lexical.FORMS["number"].parse(text)
    con = duckdb.connect()
    try:
        in_sql = con.execute(
            f"SELECT {lexical.FORMS['number'].sql_test('c')} FROM (SELECT ? AS c)", [text]
        ).fetchone()[0]
    finally:
        con.close()
    assert bool(in_sql) == (value is not None), text
    if value is not None:
        assert Decimal(format(float(value), ".15g")) == value, text  # the double holds it


# ---- a file's form: validate refuses what format would rewrite ----

VARIANTS = {
    "as it is": lambda b: b,
    "no final line break": lambda b: b[:-1],
    "a blank line at the end": lambda b: b + b"\n",
    "CR LF": lambda b: b.replace(b"\n", b"\r\n"),
    "a BOM": lambda b: b"\xef\xbb\xbf" + b,
    "two rows swapped": lambda b: b"\n".join(
        (lambda ls: [ls[0], ls[2], ls[1], *ls[3:]])(b.split(b"\n"))
    ),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_validate_refuses_what_format_would_rewrite(package_copy, variant):
    path = package_copy.parent / "data" / "themes.csv"
    path.write_bytes(VARIANTS[variant](path.read_bytes()))
    try:
        rewritten = bool(format_package(load(package_copy), check=True))
    except PackageError:  # format cannot rewrite it losslessly: refused there too
        rewritten = True
    refused = [p for p in validate(package_copy, engine="reference") if "themes" in p.path]
    assert bool(refused) == rewritten, (variant, [str(p) for p in refused])


# ---- derived figures ----


@SETTINGS
@given(
    figures=st.dictionaries(
        st.sampled_from("abcdef"),
        st.one_of(st.none(), st.lists(st.sampled_from("abcdef"), min_size=1, max_size=3)),
        min_size=1,
    )
)
def test_a_derived_figure_on_a_circle_is_found_whatever_its_length(figures):
    """`figures`: id → None (reported) or the ids its formula names (derived)."""

    def figure(ref):
        if ref not in figures:
            return None
        terms = figures[ref]
        return ("1", "reported", "") if terms is None else ("1", "derived", " + ".join(terms))

    def reaches(start, goal):  # through derived figures only, by brute force
        seen, todo = set(), list(figures.get(start) or [])
        while todo:
            ref = todo.pop()
            if ref == goal:
                return True
            if ref not in seen and figures.get(ref):
                seen.add(ref)
                todo += figures[ref]
        return False

    for key, terms in figures.items():
        if terms is not None:
            chain = circle(key, " + ".join(terms), figure, "derived")
            assert (chain is not None) == reaches(key, key), (key, figures)
            if chain:
                assert chain[-1] == key


# ---- glossary ----


def test_a_variant_that_is_its_own_term_or_a_stem_of_it_is_a_contradiction():
    assert glossary.contradiction("цахим", "онлайн|цахи")
    assert glossary.contradiction(
        "Засгийн газрын Хэрэг эрхлэх газар", "засгийн ГАЗРЫН хэрэг эрхлэх газар"
    )
    assert glossary.contradiction("Нийтийн сонсголын тухай хууль", "Нийтийн сонсголын") is None
    assert glossary.contradiction("цахим сургалт", "цахим") is None  # a shorter phrase to avoid
    assert glossary.contradiction("", "x") is None


# ---- release ----


@pytest.fixture
def repo(package_copy):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = package_copy.parent
    shutil.copy(ROOT / "CHANGELOG.md", folder / "CHANGELOG.md")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=folder, check=True
        )
    return package_copy


def test_a_first_release_is_not_below_the_descriptors_version(repo):
    with pytest.raises(PackageError, match=r"below the version 0\.1\.0"):
        release_module.prepare(load(repo), "0.0.9")
    tags = subprocess.run(["git", "tag"], cwd=repo.parent, capture_output=True, text=True)
    assert tags.stdout == ""


def test_a_release_comes_after_every_version_the_changelog_gives_as_released():
    log = "# Changelog\n\n## 0.3.0 (2025-01-01)\n\n- x\n\n## 0.1.0 (2024-01-01)\n"
    with pytest.raises(PackageError, match=r"not after 0\.3\.0"):
        release_module.not_lower("0.2.0", "0.1.0", None, log)
    with pytest.raises(PackageError, match=r"not after 0\.3\.0"):
        release_module.not_lower("0.3.0", "0.3.0", "v0.3.0", log)
    release_module.not_lower("0.3.1", "0.3.0", "v0.3.0", log)
    release_module.not_lower("0.1.0", "0.1.0", None, "## 0.1.0 (unreleased)\n")  # the first


def test_both_engines_place_a_missing_final_line_break_alike(package_copy):
    """After a cell over two lines, the row's number and the file's line differ."""
    path = package_copy.parent / "data" / "themes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:-1] + '"A note\nover two lines."', encoding="utf-8")  # the last row's
    found = {
        engine: {(p.line, p.code) for p in validate(package_copy, engine=engine)}
        for engine in ("reference", "fast")
    }
    assert found["reference"] == found["fast"]
    assert (text.count("\n"), "canonical-form") in found["fast"]  # where the last row starts


def test_the_licence_text_names_the_descriptors_licence(package_copy):
    shutil.copy(ROOT / "LICENSE-DATA", package_copy.parent / "LICENSE-DATA")
    assert list(validate(package_copy)) == []
    meta = json.loads(package_copy.read_text(encoding="utf-8"))
    title, path = LICENCES["CC-BY-SA-4.0"]
    meta["licenses"] = [{"name": "CC-BY-SA-4.0", "title": title, "path": path}]
    package_copy.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    for engine in ("reference", "fast"):
        [problem] = validate(package_copy, engine=engine)
        assert problem.path.endswith("LICENSE-DATA") and problem.code == "licence-text"
