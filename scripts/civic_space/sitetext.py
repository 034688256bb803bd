"""What a reader of the built site sees, page by page, to compare two builds of it: the text in
reading order, each table's rows, and each figure (inline SVG and images, by content).

    python -m civic_space.sitetext BEFORE_DIR AFTER_DIR

prints the pages and lines that differ and exits 1 if any do (0 if the builds read the same).
Theme files, search indexes and build metadata are not part of what a reader sees."""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption", "figcaption", "pre"}
SKIPPED = {"script", "style", "head", "noscript"}


class Reader(HTMLParser):
    """A page's visible content as lines: text blocks, table rows (cells joined by |), and
    figures as a digest of their markup."""

    def __init__(self, folder: Path):
        super().__init__(convert_charrefs=True)
        self.folder, self.lines, self.text, self.row = folder, [], [], None
        self.skip, self.svg = 0, None

    def flush(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.text)).strip()
        if line:
            self.lines.append(line)
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.svg is not None:
            self.svg.append(f"<{tag} {sorted(attrs.items())}>")
        elif tag in SKIPPED:
            self.skip += 1
        elif tag == "svg":
            self.flush()
            self.svg = [f"<svg {sorted(attrs.items())}>"]
        elif tag == "img":
            source = self.folder / (attrs.get("src") or "")
            digest = digest_of(source.read_bytes()) if source.is_file() else "missing"
            self.lines.append(f"[image {attrs.get('alt', '')!r} {digest}]")
        elif tag == "tr":
            self.flush()
            self.row = []
        elif tag in BLOCKS or tag in ("br", "td", "th"):
            self.flush()

    def handle_endtag(self, tag):
        if self.svg is not None:
            self.svg.append(f"</{tag}>")
            if tag == "svg":
                self.lines.append(f"[figure {digest_of(''.join(self.svg).encode())}]")
                self.svg = None
        elif tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None:
            self.row.append(re.sub(r"\s+", " ", "".join(self.text)).strip())
            self.text = []
        elif tag == "tr" and self.row is not None:
            self.lines.append(" | ".join(self.row))
            self.row = None
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.svg is not None:
            self.svg.append(data)
        elif not self.skip:
            self.text.append(data)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def read(page: Path) -> list[str]:
    reader = Reader(page.parent)
    reader.feed(page.read_text(encoding="utf-8"))
    reader.flush()
    return reader.lines


def pages(folder: Path) -> dict[str, Path]:
    found = {}
    for page in sorted(folder.rglob("*.html")):
        name = page.relative_to(folder).as_posix()
        if not name.startswith(("_", "mn/_")) and name not in ("search.html", "mn/search.html"):
            found[name] = page
    return found


def compare(before: Path, after: Path) -> list[str]:
    """Lines of a unified diff of what readers see, page by page (empty if the same)."""
    old, new = pages(before), pages(after)
    out = [f"only in {before}: {n}" for n in sorted(set(old) - set(new))]
    out += [f"only in {after}: {n}" for n in sorted(set(new) - set(old))]
    for name in sorted(set(old) & set(new)):
        diff = difflib.unified_diff(read(old[name]), read(new[name]), name, name, n=0, lineterm="")
        out += list(diff)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="a built site (e.g. docs/_build/html)")
    parser.add_argument("after", type=Path, help="another build of it")
    args = parser.parse_args(argv)
    for folder in (args.before, args.after):
        if not folder.is_dir():
            print(f"{folder}: not a folder — give the html folder of a build", file=sys.stderr)
            return 2
    differences = compare(args.before, args.after)
    print("\n".join(differences) if differences else "the two builds read the same")
    count = len(pages(args.after))
    print(f"{count} pages compared", file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
