"""`from-issue`: a submitted GitHub issue form becomes a new row of one table, all or nothing.

GitHub renders each element of a submitted form as `### <label>`, a blank line and the value
(`_No response_` for an empty optional element). What is read:

- a heading is a line that is exactly `### ` and a label; the label names a field by
  `<English title> / <Mongolian title>` (what the forms write), by the English title alone or by
  the Mongolian title alone, compared case-insensitively with runs of spaces as one;
- a value is every line up to the next heading, each without trailing spaces, the whole
  without blank lines around it; lines inside it are kept (validation judges them);
- in a drop-down field (an enum, a boolean, a foreign key) an option `<value> — <name>` gives
  the part before " — ";
- GitHub writes a value as typed, so a line `### <label>` inside a text cannot be told from
  a heading: the first line that matches a label exactly starts that field. A second section
  for one field, a heading that is no field's, or text before the first heading is refused.

The body is untrusted data: it is only split into strings, never run or given to a shell, and
over MAX_BODY bytes it is not read at all. An answer on one line in the form (an input, a
drop-down) that has a line break is refused. The row is added to a scratch copy of the package
and the whole package validated there, exactly as `import` does; data/ is written only when
valid, and together with the reply: both files are written, or neither (edge.write_together).
The reply's path is never one of the package's files (outputs.py).
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path

from . import edge, i18n
from .descriptor import DataPackage, PackageError, Table, display
from .formatting import read_rows, render, sort_key
from .forms import SEPARATOR as OPTION
from .forms import multiline, options
from .i18n import _
from .messages import Problem, printable, quote

MAX_BODY = 65_536  # characters, as GitHub caps a body; a row is far shorter
MAX_BYTES = 4 * MAX_BODY  # the most those characters take in UTF-8
NO_RESPONSE = "_No response_"
HEADING = re.compile(r"###[ \t]+(?P<label>.*)")  # greedy: a lazy label would be quadratic
COMMENT_LINE = re.compile(r"<!--.*-->")  # a hidden marker before the first heading is allowed


@dataclass(frozen=True)
class Refusal:
    """One reason the row was not added, in the form's terms: no file, no line."""

    title: str  # the field's title, or the heading as given, or "" for the whole issue
    message: str
    fix: str

    def __str__(self) -> str:
        text = f"{self.message}; {self.fix}"
        return printable(f"{self.title}: {text}" if self.title else text)


@dataclass
class Outcome:
    table: Table
    key: str  # the new row's primary key, its parts joined by " / "
    refusals: list[Refusal]
    written: Path | None = None
    text: bytes | None = None  # the table with the row added, once it is valid


@dataclass
class Labels:
    """What a heading may say for each field, and how the form's messages name the field."""

    fields: dict[str, tuple[str, bool]]  # folded label → (field name, label has Mongolian)
    english: dict[str, str]  # field name → English title
    both: dict[str, str]  # field name → "English / Mongolian" (the English if no translation)

    def title(self, name: str, mongolian: bool) -> str:
        return (self.both if mongolian else self.english).get(name, name)


def fold(label: str) -> str:
    return " ".join(label.split()).casefold()


def labels(package: DataPackage, table: Table) -> Labels:
    english = {f["name"]: f.get("title") or f["name"] for f in table.fields}
    translated = {name: [] for name in english}
    for lang in [lang for lang in package.translations if lang in i18n.available()]:
        for name, title in titles_in(lang, table).items():
            translated[name].append(title)
    both = {name: " / ".join([english[name], *translated[name]]) for name in english}
    found: dict[str, tuple[str, bool]] = {}
    clashes: set[str] = set()
    for name in english:
        for label, mongolian in [(both[name], True), (english[name], False)] + [
            (title, True) for title in translated[name]
        ]:
            key = fold(label)
            if found.get(key, (name,))[0] != name:
                clashes.add(key)  # two fields share it: it names neither
            found.setdefault(key, (name, mongolian and bool(translated[name])))
    for key in clashes:
        del found[key]
    return Labels(found, english, both)


def titles_in(lang: str, table: Table) -> dict[str, str]:
    """The field titles of `table` in `lang`, from the message catalogue."""
    found = i18n.messages(lang)
    titles = {f["name"]: found.get((i18n.FIELD_TITLE, f.get("title") or "")) for f in table.fields}
    return {name: title for name, title in titles.items() if title}


class Refused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(str(refusal))
        self.refusal = refusal


def read_body(path: Path) -> str:
    """The body's text with LF line endings. OSError if the file cannot be read (a usage
    error); Refused if the body is too long or not text (the contributor's to fix)."""
    if not path.is_file():  # a FIFO or a device could block for ever
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)  # never more, whatever the file's size
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        fix = _("submit the text through the form again")
        raise Refused(Refusal("", _("the issue is not UTF-8 text"), fix)) from None
    if len(text) > MAX_BODY:
        message = _("the issue is longer than {limit} KB").format(limit=MAX_BODY // 1024)
        raise Refused(Refusal("", message, _("shorten the longest texts")))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(body: str, table: Table, names: Labels) -> tuple[dict[str, str], bool, list[Refusal]]:
    """The value of each field the body has a section for, whether any heading was in Mongolian,
    and what is wrong with the body's layout."""
    sections: dict[str, list[str]] = {}
    wrong: list[tuple[str | None, str]] = []  # (field given twice, or None: unknown, heading)
    mongolian = False
    current: list[str] = []  # lines of no field: before the first heading, or under a bad one
    preamble = current
    for line in body.split("\n"):
        heading = HEADING.fullmatch(line)
        if heading is None:
            current.append(line.rstrip())
            continue
        label = heading["label"].rstrip(" \t")
        name, in_mongolian = names.fields.get(fold(label), (None, False))
        current = []
        if name is None or name in sections:
            wrong.append((name, label))
        else:
            sections[name] = current
            mongolian = mongolian or in_mongolian
    refusals = [
        Refusal(quote(label), _("is not a field of this form"), keep_headings())
        if name is None
        else Refusal(
            names.title(name, mongolian),
            _("is given twice"),
            _("keep one section for it (a line starting ### in a text is a heading)"),
        )
        for name, label in wrong
    ]
    if any(line.strip() and not COMMENT_LINE.fullmatch(line.strip()) for line in preamble):
        message = _("the issue has text before its first field")
        refusals.insert(0, Refusal("", message, keep_headings()))
    values = {name: cell(table, name, "\n".join(lines)) for name, lines in sections.items()}
    return values, mongolian, refusals


def keep_headings() -> str:
    return _("keep the form's headings as they are (### and the field's label)")


def cell(table: Table, name: str, text: str) -> str:
    """The CSV cell a section's text stands for."""
    text = text.strip()
    if text == NO_RESPONSE:
        return ""
    return text


def chosen(package: DataPackage, table: Table, name: str, text: str, mn: dict) -> str:
    """A drop-down's option ("value — name", exactly as the form offers it) as its value; any
    other text as it is, for validation to judge: "forum — (actually a survey)" is no option."""
    if OPTION not in text:
        return text
    offered = options(package, table, table.field(name), mn) or []
    return text.split(OPTION, 1)[0] if OPTION in text and text in offered else text


def from_issue(
    package: DataPackage, table_name: str, body_path: Path, reply: Path | None = None
) -> Outcome:
    """Add the row the issue body describes to the table, if the package stays valid, and write
    the reply (issue_comment.comment) to `reply`: the row and the reply both, or neither."""
    from .issue_comment import comment
    from .outputs import refuse_package_file

    if reply is not None:  # before any work: the reply never lands on the package's data
        refuse_package_file(package, reply)
    table = package.table(table_name)
    before = edge.read_bytes(package.base, table.path)
    outcome = proposed(package, table, body_path)
    texts = {} if reply is None else {reply: (reply.parent, comment(outcome).encode("utf-8"))}
    if outcome.text is not None:
        if edge.read_bytes(package.base, table.path) != before:  # written meanwhile: theirs stays
            raise PackageError(table.path, "changed while the issue was checked", "run it again")
        texts[table.path] = (package.base, outcome.text)
    fix = "nothing was written: give a path that can be written"
    try:
        if reply is not None and not reply.parent.is_dir():  # a folder is never made for it
            raise FileNotFoundError(errno.ENOENT, "no such folder", str(reply))
        edge.write_together(texts)
    except edge.EdgeError as exc:
        raise PackageError(exc.path, exc.message, fix) from None
    except OSError as exc:
        where = exc.filename or reply or table.path
        raise PackageError(Path(where), f"cannot be written ({exc.strerror or exc})", fix) from None
    if outcome.text is not None:
        outcome.written = table.path
    return outcome


def proposed(package: DataPackage, table: Table, body_path: Path) -> Outcome:
    """The row the body describes, validated in a scratch copy: its table's new text, or the
    refusals. Nothing is written."""
    from .importer import validated
    from .validate import validate

    names = labels(package, table)
    try:
        values, mongolian, refusals = parse(read_body(body_path), table, names)
    except Refused as exc:
        return Outcome(table, "", [exc.refusal])
    mn = i18n.messages("mn")  # the forms' option names (forms.py)
    refusals += broken_lines(package, table, values, names, mongolian, mn)
    refusals += not_text(values, names, mongolian)
    values = {name: chosen(package, table, name, text, mn) for name, text in values.items()}
    row = [values.get(name, "") for name in table.field_names]
    key = " / ".join(row[table.field_names.index(name)] for name in table.primary_key)
    if refusals:  # a row from a body that is not laid out as the form would mislead
        return Outcome(table, key, refusals)
    # Checked where it is (read only): a problem already there is not the contributor's to fix.
    if next(validate(package.descriptor_path), None) is not None:
        raise PackageError(
            package.descriptor_path, "is not valid as it is", "fix it first (nox -s validate)"
        )
    text, lines = inserted(table, row)
    found = validated(package, {table.path: text})
    if found:
        return Outcome(table, key, in_form_terms(found, table, lines, names, mongolian))
    return Outcome(table, key, [], text=text)


def broken_lines(
    package: DataPackage, table: Table, values: dict, names: Labels, mongolian: bool, mn: dict
) -> list[Refusal]:
    """An answer of several lines where the form takes one line (an input or a drop-down)."""
    return [
        Refusal(
            names.title(name, mongolian),
            _("has a line break, but the form takes one line here"),
            _("write the answer on one line"),
        )
        for name, text in values.items()
        if "\n" in text
        and (not multiline(table.field(name)) or options(package, table, table.field(name), mn))
    ]


def not_text(values: dict, names: Labels, mongolian: bool) -> list[Refusal]:
    """An answer with a NUL character, by field: in the table it would make the whole file
    "binary data", a message about files that names no field; the cell rule's own words."""
    from .checks.unicode_form import note_for

    found = []
    for name, text in values.items():
        note = note_for(text) if "\0" in text else None
        if note is not None:
            message, fix = note.split(" — ", 1)
            found.append(Refusal(names.title(name, mongolian), message, fix))
    return found


def inserted(table: Table, row: list[str]) -> tuple[bytes, range]:
    """The table's CSV in canonical form with `row` added, and the lines the row is on."""
    header, rows = read_rows(table)
    if header != table.field_names:  # the cells would go into the wrong columns
        raise PackageError(
            table.path,
            "its header differs from the schema's fields",
            "fix the header first (nox -s validate says how)",
            line=1,
        )
    ordered = sorted([*rows, row], key=sort_key(table))  # as `nox -s format` orders them
    position = next(i for i, other in enumerate(ordered) if other is row)
    start = render(header, ordered[:position]).count("\n") + 1
    span = render(row, []).count("\n")
    return render(header, ordered).encode("utf-8"), range(start, start + span)


def in_form_terms(
    problems: list[Problem], table: Table, lines: range, names: Labels, mongolian: bool
) -> list[Refusal]:
    """Problems of the new row by field title. The package was valid before it, so problems
    elsewhere are its consequences (a key used twice misleads every check that looks a row up
    by it): they are given, by file and line, only when the row itself has none."""
    own, elsewhere = [], []
    for problem in problems:
        if problem.path == display(table.path) and problem.line in lines:
            fields = [name for name in (problem.field or "").split(",") if name]
            title = ", ".join(names.title(name, mongolian) for name in fields)
            own.append(Refusal(title or _("the row"), problem.message, problem.fix))
        else:
            where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
            where += f" {problem.field}" if problem.field else ""
            elsewhere.append(Refusal(where, problem.message, problem.fix))
    return list(dict.fromkeys(own or elsewhere))  # one message once, even if two checks agree
