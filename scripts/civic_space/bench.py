"""Benchmark: our validation against plain `frictionless validate`, side by side on a synthetic
package with N rows in each large table. Prints rows/s, peak memory and the speed-up, and ends
with one line: `bench rows=N ours=X.XXs frictionless=Y.YYs speedup=Z.Z peak_mib=M`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .descriptor import PackageError
from .synthetic import LARGE, write

# Runs a command as its own child and reports wall time and that child's peak memory.
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
took = time.perf_counter() - start
print(f"{took:.3f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {done.returncode}")
"""


def measure(command: list[str], env: dict) -> tuple[float, float, int]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s bench --", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in each large table")
    parser.add_argument("--out", type=Path, help="where to write the synthetic package")
    parser.add_argument(
        "--skip-frictionless",
        action="store_true",
        help="time only our validation (plain frictionless takes minutes at 1M)",
    )
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-")) / "package"
    print(f"generating {args.rows:,} rows in each of {', '.join(LARGE)} into {out} …", flush=True)
    started = time.perf_counter()
    try:
        descriptor = write(
            out, args.rows, Path("datapackage.json"), lambda m: print("  " + m, flush=True)
        )
    except PackageError as exc:  # an --out that holds the package's files, or anyone's
        print(f"bench: {exc.path}: {exc.message} — {exc.fix}", file=sys.stderr)
        return 2
    print(f"generated in {time.perf_counter() - started:.1f}s", flush=True)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    total = args.rows * len(LARGE)
    ours, ours_mib, ours_rc = measure(
        [sys.executable, "-m", "civic_space", "validate", str(descriptor)], env
    )
    print(
        f"ours:         {ours:8.2f}s  {total / ours:12,.0f} rows/s  peak {ours_mib:6.0f} MiB"
        f"  exit {ours_rc}",
        flush=True,
    )
    theirs, theirs_mib, theirs_rc = float("nan"), float("nan"), -1
    if not args.skip_frictionless:
        cli = str(Path(sys.executable).with_name("frictionless"))
        theirs, theirs_mib, theirs_rc = measure([cli, "validate", str(descriptor)], env)
        print(
            f"frictionless: {theirs:8.2f}s  {total / theirs:12,.0f} rows/s"
            f"  peak {theirs_mib:6.0f} MiB  exit {theirs_rc}",
            flush=True,
        )
    if ours_rc != 0 or theirs_rc not in (0, -1):
        print("warning: the synthetic package should be valid; a validator exited non-zero")
    print(
        f"bench rows={args.rows} ours={ours:.2f}s frictionless={theirs:.2f}s "
        f"speedup={theirs / ours:.1f} peak_mib={ours_mib:.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
