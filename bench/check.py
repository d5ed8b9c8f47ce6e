"""Figure 2: a student's check of one file, ours against ``otter check``.

Three commands on the same file (the reference solution), timed alternately:

* ``python check.py a2.py`` in the student bundle ``a2 build`` writes (what students run);
* ``otter check a2.py -t tests`` with the plain-Otter tests of ``bench/plain-otter``;
* ``a2 check a2.py`` from the instructor's installation, reported beside them (it also reads
  and validates the manifest, which students do not have).

Target: the student's check at most 0.1x ``otter check``. This module only runs those commands in a
temporary folder.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from .common import (
    BENCH,
    ROOT,
    VENV_BIN,
    BenchError,
    Figure,
    interleave,
    median,
    timed,
    warm_grading_data,
)

RATIO = 0.1


def _side(command: list[str], cwd: Path, expect: str):
    def run() -> float:
        seconds, done = timed(command, cwd=cwd, timeout=300, check=False)
        if expect not in done.stdout + done.stderr:
            raise BenchError(f"{' '.join(command)} (in {cwd}) did not report {expect!r}:\n"
                             f"{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
        return seconds
    return run


def measure(student_dir: Path, out: Path, rounds: int, progress=print) -> list[Figure]:
    warm_grading_data()
    reference = ROOT / "solutions" / "a2.py"
    bundle = out / "student"
    shutil.copytree(student_dir, bundle)
    shutil.copyfile(reference, bundle / "a2.py")
    plain = out / "otter-check"
    plain.mkdir()
    shutil.copytree(BENCH / "plain-otter" / "tests", plain / "tests")
    shutil.copyfile(reference, plain / "a2.py")
    a2 = str(VENV_BIN / "a2")
    right = "2 of 2 public checks right"
    sides = {
        "check.py (student bundle)": _side([sys.executable, "check.py", "a2.py"], bundle, right),
        "a2 check": _side([a2, "check", str(bundle / "a2.py")], ROOT, right),
        "otter check (plain Otter)": _side([sys.executable, "-m", "otter", "check", "a2.py",
                                            "-t", "tests"], plain, "All tests passed"),
    }
    samples = interleave(sides, rounds, progress)
    otter = median(samples["otter check (plain Otter)"])
    ours = median(samples["check.py (student bundle)"])
    cli = median(samples["a2 check"])
    return [Figure(
        "a2 check (the student bundle's check.py) / otter check", round(ours / otter, 4), "x",
        f"<= {RATIO:g}x", ours / otter <= RATIO,
        f"medians of {rounds} interleaved runs on the reference solution: check.py {ours:.2f} s, "
        f"otter check {otter:.2f} s; for reference, a2 check from the instructor's "
        f"installation (which also reads and validates the manifest) {cli:.2f} s "
        f"({cli / otter:.3f}x)",
        {"check.py": samples["check.py (student bundle)"], "a2 check": samples["a2 check"],
         "otter check": samples["otter check (plain Otter)"]})]
