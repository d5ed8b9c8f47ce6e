"""``make bench``: build what the bench needs, measure every figure, write the results.

Usage: ``python -m bench.run [--rounds N] [--only SECTION ...]``. The sections, in order:

* ``build``: ``a2 build`` (target <= 15 s);
* ``check``: ``check.py``/``a2 check`` against ``otter check`` (<= 0.1x);
* ``gradescope``: the three zips in Gradescope's layout (ours <= Otter's floor + 1 s) and the
  hang bound (needs root; skipped with a message otherwise);
* ``batch``: ``a2 grade --jobs 2`` against sequential ``otter run``s (<= 0.1x per submission;
  400 against 200 <= 2.1x; sandbox peak memory <= 100 MB).

Every figure is printed with its target and PASS or FAIL and written, with the machine's
description, to ``bench/results.json`` and ``bench/RESULTS.md``; the README's "Performance"
section is replaced by the latest table (only after a run of every section). The bench is a
measurement, not a test: a FAIL does not change the exit status, which is non-zero only when a
measurement could not be made. Everything it builds goes to a temporary folder, removed at the
end.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import batch, check, gradescope, report
from .common import VENV_BIN, BenchError, Figure, machine, median, timed

SECTIONS = ("build", "check", "gradescope", "batch")
BUILD_SECONDS = 15.0


def build(out: Path, rounds: int, progress=print) -> Figure:
    """``a2 build`` into ``out/dist``, ``rounds`` times; the zip of the last build stays."""
    samples = []
    for index in range(rounds):
        seconds, _ = timed([str(VENV_BIN / "a2"), "build", "-o", str(out / "dist")],
                           timeout=600)
        samples.append(seconds)
        progress(f"    build {index + 1}/{rounds}  {seconds:6.2f} s")
    value = median(samples)
    return Figure("a2 build", round(value, 2), "s", f"<= {BUILD_SECONDS:g} s",
                  value <= BUILD_SECONDS,
                  f"median of {rounds} runs of a2 build (zip and student bundle)",
                  {"a2 build": samples})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds per pair (default 3)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    described = machine()
    print(f"a2 bench on {described['cores']} cores, {described['cpu']}, Python "
          f"{described['python']}, Otter {described['otter_grader']}, load "
          f"{described['load_average_at_start']}")
    out = Path(tempfile.mkdtemp(prefix="a2-bench-"))
    out.chmod(0o755)
    figures: list[Figure] = []
    try:
        print("a2 build ...")
        figures.append(build(out, 2 if "build" in args.only else 1))
        zip_path = out / "dist" / "autograder.zip"
        if "check" in args.only:
            print("a2 check against otter check ...")
            figures += check.measure(out / "dist" / "student", out, args.rounds)
        if "gradescope" in args.only:
            print("Gradescope path (three zips) ...")
            figures += gradescope.measure(zip_path, out, args.rounds)
        if "batch" in args.only:
            print("a2 grade against otter run ...")
            plain = out / "plain-otter.zip"
            if not plain.is_file():
                plain = gradescope.plain_zip("plain-otter", out)
            figures += batch.measure(plain, out)
    except BenchError as exc:
        print(f"make bench: could not measure: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"kept {out}")
        else:
            shutil.rmtree(out, ignore_errors=True)
    if "build" not in args.only:
        figures = figures[1:]
    seconds = time.monotonic() - started
    print()
    print("\n".join(report.table(figures)))
    if set(args.only) == set(SECTIONS):
        report.write(figures, described, seconds)
        print(f"\nwrote bench/results.json, bench/RESULTS.md and README.md's Performance "
              f"section ({seconds:.0f} s)")
    else:
        print(f"\n({seconds:.0f} s; results are written only by a run of every section)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
