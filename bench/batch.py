"""Figure 3: grading a class on one machine, ``a2 grade`` against sequential ``otter run``s.

A generated class of submissions, cycling through the manifest's examples (the reference, the
empty stub, a real student's answers, a file with Q1(iv) wrong), each file made distinct by a
comment, plus 5 in every 200 that hang: the reference with ``while True: pass`` at import (each
costs the sandbox's import limit, 10 s; a loop inside a function would cost each of its calls
the call limit, up to the submission's limit, 30 s). Measured:

* ``a2 grade --jobs 2`` on 200 and on 400 of them (400 = the 200 twice over, hangs included),
  seconds per submission;
* ``otter run`` of the plain-Otter zip, one after the other, on 30 that do not hang (plain Otter
  has no time limit; each run also gets the bench's timeout), seconds per submission, its runs
  interleaved with the ``a2 grade`` runs;
* peak memory of the sandboxed process: a process of the bench grades each kind of submission
  with the grading core and reads ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: its only children
  are the sandbox's processes, so that is the largest resident set any of them reached.

Targets: a2 grade per submission <= 0.1x otter run; 400 against 200 <= 2.1x; peak <= 100 MB.
This module writes only in its temporary folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .common import ROOT, VENV_BIN, BenchError, Figure, median, timed, warm_grading_data

KINDS = ("reference", "stub", "seed", "q1_iv_wrong")
HANG = "\nwhile True:\n    pass\n"
HANGS_PER_200 = 5
OTTER_RUNS = 30
OTTER_TIMEOUT = 120.0
RATIO, GROWTH, MEMORY_MB = 0.1, 2.1, 100.0


def generate(folder: Path, count: int) -> list[Path]:
    """``count`` distinct submissions in ``folder``; 5 in every 200 hang."""
    from autograder.manifest import load_manifest

    examples = {e.name: e.source() for e in load_manifest(
        ROOT / "solutions" / "manifest.yaml").examples}
    folder.mkdir(parents=True, exist_ok=True)
    every = 200 // HANGS_PER_200
    paths = []
    for index in range(count):
        hang = index % every == every - 1
        kind = "hang" if hang else KINDS[index % len(KINDS)]
        source = examples["reference"] if hang else examples[kind]
        if hang:
            source += HANG.encode()
        path = folder / f"s{index:03d}_{kind}.py"
        path.write_bytes(source + f"\n# submission {index}\n".encode())
        paths.append(path)
    return paths


def _grade(folder: Path, out: Path) -> float:
    seconds, done = timed([str(VENV_BIN / "a2"), "grade", str(folder), "--jobs", "2", "-q",
                           "-o", str(out)], cwd=ROOT, timeout=1800)
    rows = (out / "grades.csv").read_text().count("\n") - 1
    files = len(list(folder.glob("*.py")))
    if rows != files:
        raise BenchError(f"a2 grade wrote {rows} rows for {files} submissions in {folder}")
    return seconds


def _otter_run(zip_path: Path, submission: Path, work: Path) -> float:
    out = work / "out"
    out.mkdir(parents=True, exist_ok=True)
    seconds, done = timed([sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o",
                           str(out), str(submission)], cwd=work, timeout=OTTER_TIMEOUT,
                          check=False)
    if not (out / "results.json").is_file():
        raise BenchError(f"otter run left no results for {submission.name}:\n"
                         f"{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    return seconds


PEAK_SCRIPT = """
import json, resource, sys
from pathlib import Path
from autograder.casebook import load_casebook
from autograder.grade import grade_file
data = Path(sys.argv[1])
casebook = load_casebook(data)
for name in sys.argv[2:]:
    grade_file(Path(name), casebook, data)
print(json.dumps(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
"""


def peak_memory_mb(paths: list[Path]) -> float:
    """The largest resident set (MB) of any sandbox process while grading ``paths``."""
    from autograder.casebook import cached_grading_data
    from autograder.manifest import load_manifest

    data = cached_grading_data(load_manifest(ROOT / "solutions" / "manifest.yaml"))
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(data), *map(str, paths)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    if done.returncode != 0:
        raise BenchError(f"measuring the sandbox's memory failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]) / 1024


def measure(plain_zip: Path, out: Path, progress=print) -> list[Figure]:
    warm_grading_data()
    small, large = out / "class-200", out / "class-400"
    generate(small, 200)
    generate(large, 400)
    honest = [p for p in sorted(small.glob("*.py")) if "_hang" not in p.name][:OTTER_RUNS]
    otter: list[float] = []
    grade: dict[str, float] = {}
    # a2 grade 200, otter run x15, a2 grade 400, otter run x15: load that comes and goes
    # falls on both.
    halves = (honest[: OTTER_RUNS // 2], honest[OTTER_RUNS // 2:])
    for label, folder, half in (("200", small, halves[0]), ("400", large, halves[1])):
        progress(f"  a2 grade --jobs 2 on {label} submissions ...")
        grade[label] = _grade(folder, out / f"grades-{label}")
        progress(f"    {grade[label]:.1f} s ({grade[label] / int(label):.3f} s each)")
        progress(f"  otter run (plain Otter) on {len(half)} of them, one after the other ...")
        for path in half:
            otter.append(_otter_run(plain_zip, path, out / "otter" / path.stem))
        progress(f"    median {median(otter):.2f} s each so far")
    per_a2 = grade["200"] / 200
    per_otter = median(otter)
    progress("  peak memory of the sandboxed process ...")
    kinds = [next(p for p in sorted(small.glob(f"*_{kind}.py"))) for kind in KINDS]
    peak = peak_memory_mb(kinds)
    return [
        Figure("a2 grade --jobs 2 / otter run, per submission", round(per_a2 / per_otter, 4),
               "x", f"<= {RATIO:g}x", per_a2 / per_otter <= RATIO,
               f"a2 grade: 200 submissions (5 hang) in {grade['200']:.1f} s = {per_a2:.3f} s "
               f"each; otter run: median {per_otter:.2f} s over {len(otter)} sequential runs "
               "(submissions that do not hang)",
               {"a2 grade 200 (total)": [grade["200"]], "otter run (each)": otter}),
        Figure("a2 grade: 400 against 200 submissions", round(grade["400"] / grade["200"], 4),
               "x", f"<= {GROWTH:g}x", grade["400"] / grade["200"] <= GROWTH,
               f"{grade['400']:.1f} s against {grade['200']:.1f} s (one run each)",
               {"a2 grade 400 (total)": [grade["400"]], "a2 grade 200 (total)":
                [grade["200"]]}),
        Figure("peak memory of the sandboxed process", round(peak, 1), "MB",
               f"<= {MEMORY_MB:g} MB", peak <= MEMORY_MB,
               "getrusage(RUSAGE_CHILDREN).ru_maxrss of a process that grades one submission "
               "of each kind (" + ", ".join(KINDS) + "); its only children are the sandbox's"),
    ]
