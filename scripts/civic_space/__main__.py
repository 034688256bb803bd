"""Command line: `python -m civic_space --help`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import i18n
from .commands import (
    cmd_diff,
    cmd_explore,
    cmd_format,
    cmd_forms,
    cmd_from_issue,
    cmd_import,
    cmd_metadata,
    cmd_release,
    cmd_template,
    cmd_translations,
    cmd_validate,
    report_error,
)
from .descriptor import DEFAULT_DESCRIPTOR, PackageError


def add_validate(sub) -> argparse.ArgumentParser:
    validate = sub.add_parser(
        "validate",
        help="check every table against its schema and our rules",
        description="Validate the data package; print one line per problem with file, line, "
        "field, what is wrong and how to fix it. Exits 1 if there is any problem.",
    )
    validate.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        help="text: one line per problem (default); github: GitHub Actions annotations that "
        "show on the changed lines of a pull request; json: a machine-readable report",
    )
    validate.add_argument(
        "--engine",
        choices=["auto", "fast", "reference"],
        default="auto",
        help="fast: column-wise in DuckDB, handing over to the reference where only it is exact "
        "(ragged rows, a BOM, …); reference: frictionless row by row; auto (default): reference "
        "for a small package, else fast",
    )
    validate.add_argument(
        "--lang",
        choices=i18n.available(),
        help="language of the messages (default: from LANGUAGE, LC_ALL or LANG, else en)",
    )
    validate.set_defaults(run=cmd_validate)
    return validate


def add_translations(sub) -> argparse.ArgumentParser:
    words = sub.add_parser(
        "translations",
        help="update the message catalogues and list untranslated messages",
        description="Bring locales/<lang>/LC_MESSAGES/civic_space.po up to date with the code's "
        "messages and the schemas' field titles (translations made are kept), then list the "
        "messages that have no translation yet; they are shown in English meanwhile.",
    )
    words.add_argument(
        "--check", action="store_true", help="only report catalogues that are out of date"
    )
    words.add_argument(
        "--pages",
        type=Path,
        help="also the site's page catalogues, from the .pot files of sphinx-build -b gettext",
    )
    words.add_argument(
        "--locales",
        type=Path,
        default=Path("docs/locales"),
        help="where the page catalogues live (default: %(default)s)",
    )
    words.set_defaults(run=cmd_translations)
    return words


def add_template(sub) -> argparse.ArgumentParser:
    book = sub.add_parser(
        "template",
        help="write a spreadsheet workbook to edit the data in (Excel, LibreOffice)",
        description="Write an .xlsx workbook built from the schemas: one sheet per table, filled "
        "with the current rows; each column header has the field's description as a comment; "
        "enum and foreign-key columns have drop-down lists, typed columns have checks; the sheet "
        f"'{'About the fields'}' explains every field. Bring it back with `import`.",
    )
    book.add_argument(
        "--out",
        type=Path,
        default=Path("civic-space-mongolia.xlsx"),
        help="where to write the workbook (default: %(default)s)",
    )
    book.add_argument("--empty", action="store_true", help="headers only, no rows")
    book.set_defaults(run=cmd_template)
    return book


def add_import(sub) -> argparse.ArgumentParser:
    imp = sub.add_parser(
        "import",
        help="bring a filled workbook (.xlsx, .ods) or per-table CSVs back into data/",
        description="Read every sheet named after a table (or whose header is a table's), turn it "
        "into canonical CSV, and validate the whole package with the same checks as `validate`. "
        "Problems are given by sheet, row and column. Nothing is written unless the package is "
        "valid, or --draft is given. Rows deleted in the workbook are listed as removed.",
    )
    imp.add_argument(
        "files", nargs="+", type=Path, help="workbook(s) or CSV file(s) named after tables"
    )
    imp.add_argument(
        "--draft", action="store_true", help="write the CSVs even if they do not validate"
    )
    imp.add_argument(
        "--descriptor",
        type=Path,
        default=DEFAULT_DESCRIPTOR,
        help="path to datapackage.json (default: %(default)s)",
    )
    imp.set_defaults(run=cmd_import)
    return imp


def add_from_issue(sub) -> argparse.ArgumentParser:
    issue = sub.add_parser(
        "from-issue",
        help="add the row a submitted GitHub issue form describes to its table",
        description="Read the body of a submitted issue form (### <label> sections, as GitHub "
        "renders it), make the row it describes, and add it to the table in canonical order "
        "if the whole package still validates; else print each problem by the form's field "
        "title and write nothing. Exits 0 when the row is written, 1 when it is refused, 2 "
        "when the command cannot run.",
    )
    issue.add_argument("body", type=Path, help="a file holding the issue's body (untrusted)")
    issue.add_argument(
        "--table", required=True, help="the table the form is for (the form's name), e.g. events"
    )
    issue.add_argument(
        "--comment",
        type=Path,
        help="also write the outcome here as a Markdown comment body, safe to post as it is",
    )
    issue.add_argument(
        "--descriptor",
        type=Path,
        default=DEFAULT_DESCRIPTOR,
        help="path to datapackage.json (default: %(default)s)",
    )
    issue.set_defaults(run=cmd_from_issue)
    return issue


def add_format(sub) -> argparse.ArgumentParser:
    fmt = sub.add_parser(
        "format",
        help="rewrite the CSVs in canonical form (sorted, LF, UTF-8)",
        description="Rewrite every CSV of the package in canonical form: UTF-8, LF line endings, "
        "the schema's column order, rows sorted by primary key. Values are never changed.",
    )
    fmt.add_argument("--check", action="store_true", help="only report files that would change")
    fmt.set_defaults(run=cmd_format)
    return fmt


def add_diff(sub) -> argparse.ArgumentParser:
    changes = sub.add_parser(
        "diff",
        help="show what changed in the data since a git revision",
        description="List, table by table, the rows added and removed since REVISION, and for "
        "each changed row the fields that changed (old → new), keyed by primary key.",
    )
    changes.add_argument("revision", help="a commit, branch or tag, e.g. main or v0.1.0")
    changes.set_defaults(run=cmd_diff)
    return changes


def add_metadata(sub) -> argparse.ArgumentParser:
    meta = sub.add_parser(
        "metadata",
        help="regenerate CITATION.cff and .zenodo.json from datapackage.json",
        description="Write CITATION.cff and .zenodo.json from datapackage.json, the one source of "
        "the dataset's metadata.",
    )
    meta.add_argument("--check", action="store_true", help="only report files that are stale")
    meta.set_defaults(run=cmd_metadata)
    return meta


def add_forms(sub) -> argparse.ArgumentParser:
    found = sub.add_parser(
        "forms",
        help="write the GitHub issue forms from the schemas",
        description="Write .github/ISSUE_TEMPLATE/<table>.yml for the tables people add rows "
        "to, and a form to report an error in any row: every field of the schema with its "
        "English and Mongolian title, enums and keys as drop-downs.",
    )
    found.add_argument("--check", action="store_true", help="only report forms that are stale")
    found.set_defaults(run=cmd_forms)
    return found


def add_release(sub) -> argparse.ArgumentParser:
    rel = sub.add_parser(
        "release",
        help="make version X.Y.Z (commit and tag)",
        description="Set the version and date in datapackage.json, regenerate CITATION.cff and "
        ".zenodo.json, write the changelog section from the data diff since the last release, "
        "commit and tag vX.Y.Z. Refuses on invalid data or uncommitted changes.",
    )
    rel.add_argument("version", help="the new version, as X.Y.Z")
    rel.set_defaults(run=cmd_release)
    return rel


def port(text: str) -> int:
    # Datasette would pick a free port for 0, but then we could not say where it is.
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 1 to 65535")
    return int(text)


def add_explore(sub) -> argparse.ArgumentParser:
    look = sub.add_parser(
        "explore",
        help="browse the data in Datasette, in a web browser, without code",
        description="Write the SQLite download and a Datasette metadata.json (titles and "
        "descriptions of every table and column from the schemas, the licence and the source, "
        "facets by place, theme and date) into build/explore/, then serve them with Datasette "
        "at http://127.0.0.1:PORT/ on this machine only, until Ctrl+C. Open that address in "
        "your browser: filter, sort, facet, and download any view as CSV or JSON.",
    )
    look.add_argument(
        "--port",
        type=port,
        default=8001,
        help="the local port to serve on (default: %(default)s); pick another if it is taken",
    )
    look.set_defaults(run=cmd_explore)
    return look


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="civic-space",
        description="Check and tidy the civic-space-mongolia data package.",
    )
    sub = main.add_subparsers(dest="command", required=True)
    commands = (add_validate, add_translations, add_template, add_import, add_format, add_diff)
    for add in (*commands, add_metadata, add_forms, add_release, add_explore, add_from_issue):
        command = add(sub)
        if add not in (add_import, add_from_issue):  # which take files, and --descriptor
            with_descriptor(command)
    return main


def with_descriptor(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "descriptor",
        nargs="?",
        type=Path,
        default=DEFAULT_DESCRIPTOR,
        help="path to datapackage.json (default: %(default)s)",
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 1
    except PackageError as exc:  # a broken package, or a path across the edge (edge.py)
        return report_error(args.command, exc)
    except Exception as exc:
        print(
            f"{args.command}: internal error: {type(exc).__name__}: {exc} — please report it, "
            "with the command you ran",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
