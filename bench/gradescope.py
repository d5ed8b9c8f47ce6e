"""Figure 1: the Gradescope path, three autograder zips side by side, and the tight hang bound.

Each zip is graded as Gradescope grades it: ``/autograder/source`` unzipped from it, the upload
in ``/autograder/submission/a2.py``, ``submission_metadata.json``, then
``python /autograder/source/run_otter.py`` (this environment's Python standing in for the
image's). The zips:

* *ours*: ``a2 build``'s ``autograder.zip`` (this project's plugin and sandbox);
* *plain Otter*: ``otter generate`` on ``bench/plain-otter`` (one OK-format doctest file per
  function, what an instructor would write with Otter alone);
* *Otter's floor*: ``otter generate`` on ``bench/otter-floor`` (a single empty test): what any
  Otter autograder costs before it grades anything.

Target: ours costs at most 1 s more than the floor. The hang bound: red-team file 53 (hangs
everywhere, ignores signals) must end the whole run within the manifest's
``submission_seconds`` + 5 s.

Needs root (it writes /autograder, as Gradescope's container does); takes the machine-wide lock
the tests take while it uses /autograder. It must not touch anything else outside its temporary
folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .common import BENCH, ROOT, BenchError, Figure, interleave, median, skipped, timed

AUTOGRADER = Path("/autograder")
LOCK = "/run/a2-tests.lock" if os.access("/run", os.W_OK) else "/tmp/a2-tests.lock"
HANG_FILE = "53_hang_everywhere_ignoring_signals"
MARGIN = 1.0
"""Seconds ours may cost beyond Otter's floor."""
HANG_MARGIN = 5.0


@contextmanager
def machine_lock():
    """The lock the test suite takes while it uses /autograder and the sandbox uids."""
    with open(LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def plain_zip(kind: str, out: Path) -> Path:
    """``otter generate`` on ``bench/plain-otter`` or ``bench/otter-floor``."""
    source = BENCH / kind
    zip_path = out / f"{kind}.zip"
    timed([sys.executable, "-m", "otter", "generate", "-t", "tests", "-o", str(zip_path),
           "-c", "otter_config.json", "--no-environment"], cwd=source, timeout=300)
    for stray in (source / "tests").glob("__pycache__"):
        shutil.rmtree(stray, ignore_errors=True)
    return zip_path


def _layout(zip_path: Path, source: bytes) -> None:
    if AUTOGRADER.exists():
        shutil.rmtree(AUTOGRADER)
    for sub in ("source", "submission", "results"):
        (AUTOGRADER / sub).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(AUTOGRADER / "source")
    (AUTOGRADER / "submission" / "a2.py").write_bytes(source)
    (AUTOGRADER / "submission_metadata.json").write_text(json.dumps({
        "id": 1, "created_at": "2026-11-26T00:00:00Z", "assignment": {"title": "A2"},
        "users": [{"email": "student@example.edu", "name": "Student"}]}))


def gradescope_run(zip_path: Path, source: bytes, timeout: float = 300) -> tuple[float, float,
                                                                                 dict]:
    """One Gradescope-style run: its wall-clock seconds, the CPU seconds of everything it
    started, and the results.json it left (an empty dict if none)."""
    _layout(zip_path, source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        subprocess.run([sys.executable, str(AUTOGRADER / "source" / "run_otter.py")],
                       cwd=AUTOGRADER / "source", capture_output=True, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{zip_path.name} did not finish within {timeout:g} s in "
                         "Gradescope's layout") from exc
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        results = json.loads((AUTOGRADER / "results" / "results.json").read_text())
    except (OSError, ValueError):
        results = {}
    return seconds, cpu, results


def _side(zip_path: Path, source: bytes, cpu: list[float], check: Callable[[dict], str]
          ) -> Callable[[], float]:
    def run() -> float:
        seconds, used, results = gradescope_run(zip_path, source)
        problem = check(results)
        if problem:
            raise BenchError(f"{zip_path.name}: {problem}")
        cpu.append(used)
        return seconds
    return run


def _scored(want: float | None) -> Callable[[dict], str]:
    def check(results: dict) -> str:
        if not isinstance(results.get("tests"), list):
            return "no complete results.json"
        if want is not None and results.get("score") != want:
            return f"scored {results.get('score')}, expected {want:g}"
        return ""
    return check


def measure(ours_zip: Path, out: Path, rounds: int, progress=print) -> list[Figure]:
    """Figure 1 and the hang bound."""
    target = f"<= floor + {MARGIN:g} s"
    hang_target = "<= submission_seconds + 5 s"
    if os.geteuid() != 0:
        why = ("skipped: Gradescope's layout needs root (it writes /autograder, as Gradescope's "
               "container does); run make bench as root")
        progress(f"  {why}")
        return [skipped("Gradescope path: ours - Otter's floor", target, why),
                skipped("hang bound (red team 53)", hang_target, why)]
    progress("  building the plain-Otter and floor zips (otter generate) ...")
    zips = {"ours": ours_zip, "plain Otter (doctests)": plain_zip("plain-otter", out),
            "Otter's floor (one empty test)": plain_zip("otter-floor", out)}
    reference = (ROOT / "solutions" / "a2.py").read_bytes()
    cpu: dict[str, list[float]] = {name: [] for name in zips}
    checks = {"ours": _scored(12), "plain Otter (doctests)": _scored(None),
              "Otter's floor (one empty test)": _scored(None)}
    progress(f"  waiting for the machine lock {LOCK} ...")
    with machine_lock():
        try:
            samples = interleave({name: _side(path, reference, cpu[name], checks[name])
                                  for name, path in zips.items()}, rounds, progress)
            hang = _hang_bound(ours_zip, progress)
        finally:
            if AUTOGRADER.exists():
                shutil.rmtree(AUTOGRADER)
    ours, plain, floor = (median(samples[name]) for name in zips)
    cpus = {name: round(median(values), 2) for name, values in cpu.items()}
    extra = ours - floor
    figure = Figure(
        "Gradescope path: ours - Otter's floor", round(extra, 2), "s", target,
        extra <= MARGIN,
        f"medians of {rounds} interleaved runs (reference solution): ours {ours:.2f} s, "
        f"plain Otter {plain:.2f} s, Otter's floor {floor:.2f} s; ours/plain "
        f"{ours / plain:.2f}x; CPU seconds of each run (medians): " +
        ", ".join(f"{name} {value:g}" for name, value in cpus.items()),
        samples)
    return [figure, hang]


def _hang_bound(ours_zip: Path, progress) -> Figure:
    sys.path.insert(0, str(ROOT / "tests"))
    from redteam_catalog import BY_NAME

    from autograder.manifest import load_manifest

    limit = load_manifest(ROOT / "solutions" / "manifest.yaml").limits.submission_seconds
    progress(f"  hang bound: red team {HANG_FILE} through ours (limit {limit:g} s) ...")
    seconds, _, results = gradescope_run(ours_zip, BY_NAME[HANG_FILE].source(),
                                         timeout=limit + 120)
    complete = isinstance(results.get("tests"), list)
    progress(f"    {seconds:.2f} s, results {'complete' if complete else 'MISSING'}")
    return Figure("hang bound (red team 53)", round(seconds, 2), "s",
                  f"<= {limit + HANG_MARGIN:g} s (submission_seconds {limit:g} + 5)",
                  complete and seconds <= limit + HANG_MARGIN,
                  "one run of the whole run_otter.py in Gradescope's layout; results.json "
                  + ("complete" if complete else "missing"), {"ours": [seconds]})
