"""Peak memory of validating each case of the damage corpus, per engine: a benchmark that prints
figures (`python tests/corpus_memory.py`, from the repository, with the tests' environment).

Each case is damaged in a scratch copy and validated in a child process of its own, whose peak
resident memory (its own VmHWM, see conftest.run_measured) is printed, with its verdict as the
command line's JSON gives it.
Prints the largest last; exits 1 if any case went over the limit or the engines disagreed."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIMIT_MB = 500


def peak(descriptor: Path, engine: str) -> tuple[float, str]:
    """MB at the peak of the child's own program, and what it printed."""
    from conftest import run_measured

    _code, mb, out = run_measured(
        ["civic_space", "validate", "--format", "json", "--engine", engine, str(descriptor)],
        descriptor.parent / ".peak",
        stderr=subprocess.DEVNULL,
    )
    found = json.loads(out)["errors"] if out.strip() else []
    return mb, json.dumps(
        sorted(
            [
                (p.get("path", "").rsplit("/", 1)[-1], p.get("line"), p.get("field"), p.get("code"))
                for p in found
            ],
            key=repr,
        )
    )


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
