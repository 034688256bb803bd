"""The repository's edge: every file our tools read or write goes through here.

A path is taken only inside its root (the package's folder, or a folder the person running the
tool named, such as the site's output), through no symbolic link at any step below that root, and
only to a regular file: a link would let a committed or planted file publish, or overwrite, what
lies outside (a README linked to a secret goes into the public zip; a linked CITATION.cff makes
`metadata` write wherever it points), and a FIFO or a device would hang a reader. Writes are
atomic: a new file beside the target, renamed over it, and never through a link at the target.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .i18n import _

# Flags that stop an open at a link (a race after the checks) and never wait on a FIFO.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
READ_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def display(path: Path | str) -> str:
    """A path as a contributor sees it: relative to where they are, when it can be."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        return os.path.normpath(str(path))


def named(path: Path | str) -> str:
    """A path as named, relative to the working folder where it is below it: never resolved,
    so a link shows as itself, not as what it points to."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive
        return absolute
    return absolute if relative.startswith(os.pardir) else relative


class PackageError(Exception):
    """A problem that stops the package from being read at all, worded for a person."""

    def __init__(self, path: Path | str, message: str, fix: str, line: int | None = None):
        super().__init__(message)
        self.path, self.message, self.fix, self.line = str(path), message, fix, line


class EdgeError(PackageError):
    """A path that crosses the repository's edge: outside it, through a link, not a file."""


def _absolute(path: Path | str) -> Path:
    """`path` made absolute and lexically normal: what is checked is then exactly what is
    opened (a `link/..` in the text can no longer lead somewhere the checks did not look)."""
    return Path(os.path.abspath(path))


def inside(root: Path | str, path: Path | str, folder: bool = False) -> Path:
    """`path` (absolute, or relative to the working folder) checked against `root`: inside it,
    no symbolic link at any step below it, and, if it exists, a regular file (a folder with
    `folder`). Returns the absolute path to open; raises EdgeError."""
    top, target = _absolute(root), _absolute(path)
    try:
        steps = target.relative_to(top).parts
    except ValueError:
        raise EdgeError(
            named(path),
            _("is outside the repository ({root})").format(root=named(top)),
            _("keep every file our tools read or write inside the repository"),
        ) from None
    here = top
    for number, part in enumerate(steps, start=1):
        here = here / part
        try:
            info = os.lstat(here)
        except FileNotFoundError:
            return target  # what does not exist yet holds no link: a writer creates it
        except OSError as exc:
            why = _("cannot be read ({reason})").format(reason=exc.strerror)
            raise EdgeError(named(here), why, _("check the file and its folder")) from None
        if stat.S_ISLNK(info.st_mode):
            raise EdgeError(
                named(here),
                _("is a symbolic link: our tools never read or write through a link"),
                _("put the file itself there, not a link to it (in git: commit the file)"),
            )
        last = number == len(steps)
        if not last or folder:
            if not stat.S_ISDIR(info.st_mode):
                raise EdgeError(named(here), _("is not a folder"), _("remove what is there"))
        elif not stat.S_ISREG(info.st_mode):
            raise EdgeError(
                named(here),
                _("is not a regular file (it is a folder, a FIFO, a device or a socket)"),
                _("put a regular file there"),
            )
    return target


def open_read(root: Path | str, path: Path | str) -> BinaryIO:
    """A checked file, open for reading in binary. The open itself refuses a link or a FIFO
    that appeared since the checks, without waiting on it."""
    target = inside(root, path)
    descriptor = os.open(target, READ_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise EdgeError(
                named(target),
                _("is not a regular file (it is a folder, a FIFO, a device or a socket)"),
                _("put a regular file there"),
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_bytes(root: Path | str, path: Path | str) -> bytes:
    with open_read(root, path) as file:
        return file.read()


def read_text(root: Path | str, path: Path | str) -> str:
    """UTF-8 text (UnicodeDecodeError if it is not), with a BOM at the start dropped."""
    return read_bytes(root, path).decode("utf-8-sig")


def current(root: Path | str, path: Path | str) -> str | None:
    """A generated file's text as it is now (None if there is none), to compare with what it
    should be: read through the edge, so a link there is refused, not compared."""
    found = current_bytes(root, path)
    return None if found is None else found.decode("utf-8", "replace")


def make_folder(root: Path | str, path: Path | str) -> Path:
    """`path` as a folder inside `root`, made where missing, through no link. The root is
    the caller's to trust, and made if missing."""
    top = _absolute(root)
    os.makedirs(top, exist_ok=True)
    target = inside(top, path, folder=True)
    here = top
    for part in target.relative_to(top).parts:
        here = here / part
        with contextlib.suppress(FileExistsError):
            os.mkdir(here)
        inside(top, here, folder=True)  # made by us, or there already: never a link
    return target


def write(root: Path | str, path: Path | str, data: bytes, mode: int | None = None) -> Path:
    """Write `data` to `path` inside `root` atomically: a stop midway leaves the old file."""
    target = inside(root, path)
    commit(root, stage(root, target, data, mode), target)
    return target


def write_text(root: Path | str, path: Path | str, text: str) -> Path:
    return write(root, path, text.encode("utf-8"))


def stage(root: Path | str, path: Path | str, data: bytes, mode: int | None = None) -> str:
    """`data` in a new hidden file beside `path`, ready for `commit`. `mode` defaults to the
    file's own, or the usual one for a new file."""
    target = inside(root, path)
    make_folder(root, target.parent)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, own_mode(target) if mode is None else mode)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def commit(root: Path | str, temporary: str | Path, path: Path | str) -> None:
    """Rename a staged file over `path`, checked once more just before: the rename replaces
    what is there and never writes through it, but a link or a FIFO there is refused, not
    silently replaced."""
    try:
        os.replace(temporary, inside(root, path))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_together(texts: dict[Path, tuple[Path, bytes]]) -> None:
    """Write every file or none ({path: (its root, data)}): all are staged beside their targets
    first (a failure there changes nothing), then renamed in; if a rename fails, those already
    renamed get their old content back (or are removed, if they are new)."""
    old = {path: current_bytes(root, path) for path, (root, _data) in texts.items()}
    staged = [(stage(root, path, data), root, path) for path, (root, data) in texts.items()]
    done: list[Path] = []
    try:
        for temporary, root, path in staged:
            commit(root, temporary, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):
            root = texts[path][0]
            if old[path] is None:
                remove(root, path)
            else:
                write(root, path, old[path])
        raise
    finally:
        for temporary, _root, _path in staged:
            Path(temporary).unlink(missing_ok=True)  # still there only if not renamed


def current_bytes(root: Path | str, path: Path | str) -> bytes | None:
    """The file's bytes, or None where there is no file yet."""
    try:
        return read_bytes(root, path)
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def replacing(root: Path | str, path: Path | str, mode: int | None = None) -> Iterator[Path]:
    """For writers that need a file name (SQLite, DuckDB, zipfile, openpyxl): a new empty file
    beside `path` to write into, renamed over `path` when the block ends without an error."""
    temporary = Path(stage(root, path, b"", mode))
    try:
        yield temporary
        commit(root, temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def own_mode(path: Path) -> int:
    """The permissions of the file at `path` (never of what a link points to), or the usual
    ones for a new file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return 0o666 & ~umask()
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else 0o666 & ~umask()


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove(root: Path | str, path: Path | str) -> None:
    """Delete a file inside `root` (a link there is refused, not followed or removed)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(inside(root, path))
