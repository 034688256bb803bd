"""Peak memory of validating each case of the damage corpus, per engine: a benchmark that prints
figures (`python tests/corpus_memory.py`, from the repository, with the tests' environment).

Each case is damaged in a scratch copy and validated in a child process of its own, whose peak
resident memory (ru_maxrss, read with os.wait4 so that no other child is counted) is printed.
Prints the largest last; exits 1 if any case went over the limit or the engines disagreed."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIMIT_MB = 500
CHILD = """
import json, sys
from pathlib import Path
from civic_space.validate import validate
found = [(p.path.rsplit("/", 1)[-1], p.line, p.field, p.code) for p in validate(
    Path(sys.argv[1]), engine=sys.argv[2])]
print(json.dumps(sorted(found, key=repr)))
"""


def peak(descriptor: Path, engine: str) -> tuple[float, str]:
    """MB at the peak, and what the child printed."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(descriptor), engine],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    out = child.stdout.read().decode() if child.stdout else ""
    _pid, _status, usage = os.wait4(child.pid, 0)
    return usage.ru_maxrss / 1024, out


def main() -> int:
    sys.path[:0] = [str(HERE)]
    from conftest import copy_package
    from test_mutations import MUTATIONS

    worst, bad = 0.0, []
    for name, (damage, _table, _code) in MUTATIONS.items():
        with tempfile.TemporaryDirectory() as folder:
            descriptor = copy_package(Path(folder))
            damage(descriptor)
            found = {engine: peak(descriptor, engine) for engine in ("reference", "fast")}
        (ref_mb, ref), (fast_mb, fast) = found["reference"], found["fast"]
        worst = max(worst, ref_mb, fast_mb)
        same = "same verdict" if ref == fast else "DIFFERENT VERDICTS"
        print(f"{name:40} reference {ref_mb:6.0f} MB   fast {fast_mb:6.0f} MB   {same}", flush=True)
        if ref != fast or max(ref_mb, fast_mb) > LIMIT_MB:
            bad.append(name)
    print(f"{len(MUTATIONS)} cases; largest peak {worst:.0f} MB (limit {LIMIT_MB} MB)")
    if bad:
        print("over the limit or disagreeing: " + ", ".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
