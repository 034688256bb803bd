"""Every file a tool opens, renames, removes or connects to, seen through Python's audit hooks
(PEP 578): what test_edge uses to find the tools' writers and readers without a list of them.

An audit hook cannot be removed, so one is installed for the whole run and does nothing unless a
Monitor is active. Native code that opens files itself (DuckDB, SQLite once connected) is not
seen; the files it writes are named by a Python call first (a rename, a connect), which is."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Events that write (or remove) a file: where their arguments name it, and the folder
# descriptor it is relative to, if any (shutil.rmtree removes by name within a folder).
WRITTEN = {
    "os.remove": (0, 1),
    "os.mkdir": (0, 2),
    "os.rename": (1, 3),
    "os.truncate": (0, None),
    "sqlite3.connect": (0, None),
    "shutil.copyfile": (1, None),
    "os.link": (1, 3),
    "os.symlink": (1, 2),
}


@dataclass
class Access:
    path: str  # absolute, as named (not resolved: a link on the way must show)
    writing: bool
    link: bool  # a symbolic link at that moment
    fresh: bool  # created by this very call, exclusively (a temporary file)
    event: str


@dataclass
class Monitor:
    seen: list[Access] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # events the hook could not read

    def __enter__(self) -> Monitor:
        _ACTIVE.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _ACTIVE.remove(self)

    def note(self, event: str, path, writing: bool, flags: int = 0, folder=None) -> None:
        if isinstance(path, int) or path is None or path == ":memory:":
            return
        path = os.fsdecode(path)
        if isinstance(folder, int) and folder >= 0 and not os.path.isabs(path):  # Linux names
            path = os.path.join(os.readlink(f"/proc/self/fd/{folder}"), path)  # its folder
        path = os.path.abspath(path)
        try:
            link = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            link = False
        fresh = bool(flags & os.O_EXCL and flags & os.O_CREAT)
        self.seen.append(Access(path, writing, link, fresh, event))

    def writes(self) -> list[Access]:
        return [a for a in self.seen if a.writing]

    def destinations(self, under: str) -> list[str]:
        """Files under `under` that were written in place or renamed onto: what a planted link
        would redirect. Files this run created exclusively (temporary ones) are left out: a
        link cannot be waiting at a name nobody knew."""
        made = {a.path for a in self.seen if a.fresh}
        found = [
            a.path
            for a in self.seen
            if a.writing and a.event != "os.mkdir" and a.path not in made and inside(a.path, under)
        ]
        return list(dict.fromkeys(found))

    def reads(self, under: str) -> list[str]:
        found = [a.path for a in self.seen if not a.writing and inside(a.path, under)]
        return list(dict.fromkeys(p for p in found if os.path.isfile(p)))


def inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


_ACTIVE: list[Monitor] = []


def _hook(event: str, args: tuple) -> None:
    if not _ACTIVE:
        return
    try:
        monitor = _ACTIVE[-1]
        if event == "open":
            path, mode, flags = args
            flags = flags if isinstance(flags, int) else 0
            writing = bool(flags & WRITE_FLAGS) or (
                isinstance(mode, str) and any(c in mode for c in "wax+")
            )
            monitor.note(event, path, writing, flags)
        elif event in WRITTEN:
            at, folder = WRITTEN[event]
            monitor.note(event, args[at], True, 0, None if folder is None else args[folder])
    except Exception as exc:  # a hook that raises would break the open it watches: kept
        _ACTIVE[-1].errors.append(f"{event}: {exc!r}")  # for the test to see instead


sys.addaudithook(_hook)
