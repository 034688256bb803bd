"""What each command of `civic-space` does, once its arguments are read (see __main__.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import i18n
from .descriptor import PackageError, display, load
from .i18n import _
from .messages import printable


def github_escape(text: str, prop: bool = False) -> str:
    """Escape text for a GitHub Actions workflow command (its data, or a property)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def cmd_translations(args: argparse.Namespace) -> int:
    from .catalogues import update

    stale, untranslated = update(load(args.descriptor), check=args.check)
    if args.pages:
        from .catalogues import update_pages
        from .outputs import page_catalogues, refuse_package_folder
        from .theme_catalogue import update_theme

        package = load(args.descriptor)  # files in --locales are written and removed
        refuse_package_folder(package, args.locales, own=page_catalogues(args.locales))

        for more, missing in (
            update_pages(args.pages, args.locales, check=args.check),
            update_theme(args.locales, check=args.check),
        ):
            stale += more
            for lang, ids in missing.items():
                untranslated[lang] = untranslated.get(lang, []) + ids
    from .catalogues import still_english

    for lang, missing in untranslated.items():
        print(f"{lang}: {len(missing)} message(s) without a translation (shown in English):")
        for message in missing:
            print(f"  {message}")
        counts = still_english(load(args.descriptor), lang)
        print(f"{lang}: also shown in English, marked as such on the page:")
        for what, count in counts.items():
            print(f"  {count} {what}")
    return max(report_stale(stale, args.check, "translations", "updated"), glossary_used(args))


def glossary_used(args: argparse.Namespace) -> int:
    """The catalogues and the descriptor's Mongolian use the glossary's terms: one line per
    text that does not, and exit 1."""
    from . import glossary
    from .i18n import available

    package = load(args.descriptor)
    terms = glossary.load_terms(package)
    problems = glossary.descriptor_problems(package, terms)
    for lang in [lang for lang in available()[1:] if lang == "mn"]:  # the glossary is Mongolian
        problems += glossary.catalogue_problems(glossary.catalogues(args.locales, lang), terms)
    for problem in problems:
        print(printable(str(problem)))
    return 1 if problems else 0


def report_stale(stale: list, check: bool, session: str, done: str) -> int:
    """Say which generated files were rewritten (or, with check, are stale, and the session that
    rewrites them); exit 1 for a stale file under check."""
    for path in stale:
        verb = f"is out of date — run: nox -s {session}" if check else done
        print(f"{display(path)} {verb}")
    return 1 if check and stale else 0


def cmd_template(args: argparse.Namespace) -> int:
    from . import edge
    from .outputs import refuse_package_file
    from .workbook import template

    out = args.out
    try:
        package = load(args.descriptor)
        refuse_package_file(package, out)  # a workbook never replaces the data it holds
        with edge.replacing(out.parent, out) as new:  # named by the person: only not a link
            template(package, new, prefill=not args.empty)
    except PackageError as exc:
        return report_error("template", exc)
    print(f"wrote {out}: one sheet per table{'' if args.empty else ', filled with the data'}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .datadiff import render
    from .importer import import_files

    i18n.use(None)  # validation messages in the language of the environment

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        done = import_files(load(args.descriptor), args.files, args.draft, progress)
    except PackageError as exc:
        return report_error("import", exc)
    for problem in done.problems:
        print(problem)
    if done.trimmed:
        note = _("removed the spaces before or after the text of {count} cell(s)")
        print(note.format(count=done.trimmed))
    if any(done.diffs):
        print(render(done.diffs, "", heading=_("What the import changes, row by row:")))
    if done.problems and not done.written:
        note = (
            _("nothing written: {count} problem(s) — fix them in the files")
            if all(Path(f).suffix.lower() == ".csv" for f in args.files)
            else _("nothing written: {count} problem(s) — fix them in the workbook")
        )
        print(note.format(count=len(done.problems)))
        return 1
    for path in done.written:
        note = (
            _("wrote {path} (a draft: it does not validate)")
            if done.problems
            else _("wrote {path}")
        )
        print(note.format(path=display(path)))
    if not done.written:
        print(_("nothing to write: the CSVs already hold exactly this data"))
    return 1 if done.problems else 0


def cmd_validate(args: argparse.Namespace) -> int:
    import time

    from .validate import summary, validate, warnings  # frictionless is slow to import

    i18n.use(args.lang)
    started = time.perf_counter()

    def progress(message: str) -> None:
        # Quiet on quick runs; on long ones, say what is happening (on stderr).
        took = time.perf_counter() - started
        if took > 1.0:
            print(f"  [{took:5.1f}s] {message}", file=sys.stderr, flush=True)

    problems = list(validate(args.descriptor, engine=args.engine, progress=progress))
    unchecked = warnings(args.descriptor)  # what could not be checked (an error under CI=true)
    if args.format == "json":
        report = {
            "valid": not problems,
            "summary": summary(problems, args.descriptor),
            "errors": [vars(p) for p in problems],
            "warnings": [vars(p) for p in unchecked],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 1 if problems else 0
    # Both engines report at most problem_cap.PER_FILE problems per file, then a line per kind
    # "and N more problems of this kind": the same lines in every format.
    for problem in problems:
        if args.format == "github":
            props = f"file={github_escape(problem.path, True)}"
            if problem.line is not None:
                props += f",line={problem.line}"
            props += f",title={github_escape(problem.code, True)}"
            text = printable(f"{problem.field}: " if problem.field else "")
            text += printable(f"{problem.message} — {problem.fix}")
            print(f"::error {props}::{github_escape(text)}")
        else:
            print(problem)
    for warning in unchecked:
        if args.format == "github":
            props = f"file={github_escape(warning.path, True)}"
            props += f",title={github_escape(warning.code, True)}"
            print(f"::warning {props}::{github_escape(f'{warning.message} — {warning.fix}')}")
        else:
            print(_("warning: {problem}").format(problem=warning), file=sys.stderr)
    print(summary(problems, args.descriptor))
    return 1 if problems else 0


def cmd_format(args: argparse.Namespace) -> int:
    from .formatting import format_package, mistyped

    try:
        changed = format_package(load(args.descriptor), check=args.check)
    except PackageError as exc:
        where = exc.path if exc.line is None else f"{exc.path}:{exc.line}"
        print(f"{where}: {exc.message} — {exc.fix} [format]", file=sys.stderr)
        print("nothing was rewritten", file=sys.stderr)
        return 1
    verb = "would rewrite" if args.check else "rewrote"
    for path in changed:
        print(f"{verb} {path}")
    print(f"{len(changed)} file(s) {'not in canonical form' if args.check else 'rewritten'}")
    if not args.check:  # the order is put right; a value in the wrong form is for a person
        try:
            for table in load(args.descriptor).tables:
                mistyped(table)
        except PackageError as exc:
            return report_error("format", exc)
    return 1 if (args.check and changed) else 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .datadiff import diff, render

    try:
        diffs = diff(load(args.descriptor), args.revision)
    except PackageError as exc:
        return report_error("diff", exc)
    print(render(diffs, args.revision))
    left_out = sum(len(d.notes) for d in diffs)
    # Exit 1 when rows were left out, not 0 with a warning: the diff is then incomplete, and a
    # CI job or script that looks only at the exit status must not take it for the whole story.
    if left_out:
        print(
            f"{args.revision}: {left_out} note(s) above: some rows were left out of the diff"
            " — mend the rows they name [diff]",
            file=sys.stderr,
        )
        return 1
    return 0


def report_error(command: str, exc: PackageError) -> int:
    where = exc.path if exc.line is None else f"{exc.path}:{exc.line}"
    print(f"{where}: {exc.message} — {exc.fix} [{command}]", file=sys.stderr)
    return 1


def cmd_metadata(args: argparse.Namespace) -> int:
    from . import citation
    from .edge import current

    package = load(args.descriptor)
    if args.check:
        stale = [
            name
            for name, text in (
                (citation.CFF_FILE, citation.cff(package)),
                (citation.ZENODO_FILE, citation.zenodo(package)),
            )
            if current(package.base, package.base / name) != text
        ]
        for name in stale:
            print(f"{name}: out of date with datapackage.json — run `nox -s metadata`")
        return 1 if stale else 0
    for name in citation.write(package):
        print(f"rewrote {name}")
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    from . import forms

    stale = forms.write(load(args.descriptor), check=args.check)
    return report_stale(stale, args.check, "forms", "written")


def cmd_explore(args: argparse.Namespace) -> int:
    from .explore import main

    try:
        return main(args)
    except PackageError as exc:
        return report_error("explore", exc)


def cmd_release(args: argparse.Namespace) -> int:
    from .release import release

    try:
        print(release(load(args.descriptor), args.version))
    except PackageError as exc:
        return report_error("release", exc)
    return 0


def cmd_from_issue(args: argparse.Namespace) -> int:
    """0: the row is written; 1: refused, the body's problems printed (and the comment
    written); 2: the command could not run (no such table or file, a broken package)."""
    from .from_issue import from_issue

    i18n.use(None)  # messages in the language of the environment
    try:
        package = load(args.descriptor)
        if args.table not in [t.name for t in package.tables]:
            note = _("from-issue: no table {table}; use one of: {names}")
            names = ", ".join(t.name for t in package.tables)
            print(note.format(table=repr(args.table), names=names), file=sys.stderr)
            return 2
        done = from_issue(package, args.table, args.body, args.comment)  # the row and reply
    except PackageError as exc:
        report_error("from-issue", exc)
        return 2
    except OSError as exc:  # the body file is missing or unreadable: not the contributor's fault
        print(f"from-issue: {args.body}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for refusal in done.refusals:
        print(refusal)
    if done.refusals:
        note = _("nothing written: {count} problem(s) — fix them in the issue")
        print(note.format(count=len(done.refusals)))
        return 1
    note = _("added {table} row {key} to {path} — see the change with: nox -s diff")
    print(printable(note.format(table=done.table.name, key=done.key, path=display(done.written))))
    return 0
