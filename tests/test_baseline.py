"""The comparison: the red team against a plain Otter-Grader 7 autograder for the same questions.

bench/plain-otter/ is what an instructor would write with Otter alone: OK-format doctests that call
the two functions and compare with ``==`` and ``numpy.allclose`` (the question's case public, the
others hidden), and an ``otter_config.json``. Plain Otter cannot mark the short answers, so the
comparison is on the two function parts (4 marks). This module builds that autograder with
``otter generate``, grades every file of tests/redteam/ with ``otter run`` and counts, by attack
class, the files that get more than they deserve ("fooled") and those after which Otter wrote no
usable results ("no results": a hang, a killed or broken run). The counts are written to
docs/baseline-results.json and docs/baseline-results.md for the README and docs/SECURITY.md.

They are the comparison, not failures of this project: the assertions are only that the baseline
really grades (the control gets its 4 marks) and that our grader, on the same files, is fooled by
none (tests/test_redteam.py checks each one in full through Gradescope's layout).

Plain Otter runs submitted code with the grader's privileges and no limits. To keep this machine
safe, each ``otter run`` here runs as an unprivileged uid of its own (65100 + slot, outside the
sandbox's range) with resource limits, in its own session, under a watchdog on time, memory and
disk; afterwards every process of that uid is killed and its files are removed. On Gradescope,
where Otter runs as root, attacks on files and processes would do at least as well as here.
"""

from __future__ import annotations

import glob
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from redteam_catalog import ATTACKS, CLASSES, MARKER, MARKS, files_owned_by

pytestmark = [pytest.mark.slow, pytest.mark.baseline]

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "bench" / "plain-otter"
"""The plain-Otter autograder, kept once in the repository: the bench times it too."""
# The comparison table the README links to is rewritten only on request
# (make baseline), so an ordinary test run leaves the checkout clean.
DOCS = ROOT / "docs" if os.environ.get("A2_WRITE_BASELINE") else Path(tempfile.gettempdir(),
    "a2-baseline-docs")
"""Where the comparison is written: docs/ under make baseline, else one fixed scratch folder
(never a new folder per collection: collecting this module must not leave anything behind)."""
FUNCTION_PARTS = ("q1_ii", "q1_iv")
UID_BASE = 65100
WORKERS = 3
TIMEOUT = 25.0
"""Seconds one plain ``otter run`` may take here before it counts as hung (honest: about 4)."""
"""Shared with tests/test_redteam.py: one red team at a time on this machine."""
MEMORY_LIMIT = 4 << 30
DISK_LIMIT = 1 << 30


@dataclass
class Outcome:
    name: str
    kind: str
    deserved: float
    """What the file deserves on the function parts (tests/redteam_catalog.py)."""
    answers: float
    """What its answers alone are worth there (more than ``deserved`` for a file that breaks a
    rule of our grader with the reference's functions)."""
    score: float | None
    """Marks plain Otter gave on the function parts, or None when it left no usable results."""
    why: str = ""
    ran: tuple[str, ...] = ()
    """Markers left by uploaded code that Otter itself ran (it unpickles .OTTER_LOG, grades a
    notebook instead of a2.py, lets its kernel import uploaded packages)."""

    @property
    def fooled(self) -> bool:
        """More marks than its answers are worth."""
        return self.score is not None and self.score > self.answers + 0.01

    @property
    def rule(self) -> bool:
        """The marks of right answers that break one of our rules."""
        return self.score is not None and self.answers + 0.01 >= self.score > self.deserved + 0.01


@pytest.fixture(scope="module")
def baseline_zip():
    """The plain Otter autograder, built with ``otter generate`` where the throwaway uids can
    read it (pytest's own temporary folders are private to root)."""
    out = Path(tempfile.mkdtemp(prefix="a2-baseline-zip-"))
    try:
        shutil.copytree(BASELINE, out / "src")
        done = subprocess.run(
            [sys.executable, "-m", "otter", "generate", "-t", "tests", "-o",
             str(out / "autograder.zip"), "-c", "otter_config.json", "--no-environment"],
            cwd=out / "src", capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        os.chmod(out, 0o755)
        os.chmod(out / "autograder.zip", 0o644)
        yield out / "autograder.zip"
    finally:
        shutil.rmtree(out, ignore_errors=True)


# ---------------------------------------------------------------- running plain Otter safely


def _uid_processes(uid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/status") as handle:
                    text = handle.read()
            except OSError:
                continue
            line = next((x for x in text.splitlines() if x.startswith("Uid:")), "")
            if str(uid) in line.split()[1:4] and "\nState:\tZ" not in text:
                found.append(int(name))
    return found


def _memory(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(x.split()[1]) * 1024 for x in handle if x.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
    return total


def _disk(uid: int) -> int:
    total = 0
    for path in files_owned_by([uid]):
        for root, _, files in os.walk(path) if os.path.isdir(path) else [("", [], [path])]:
            for name in files:
                try:
                    total += os.lstat(os.path.join(root, name)).st_size
                except OSError:
                    pass
    return total


def _kill_uid(uid: int) -> None:
    for _ in range(20):
        killer = os.fork()
        if killer == 0:  # pragma: no cover - the forked killer
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(killer, 0)
        if not _uid_processes(uid):
            return
        time.sleep(0.05)


def _clean_uid(uid: int) -> None:
    _kill_uid(uid)
    for path in files_owned_by([uid]):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass
    for kind, flag in (("shm", "-m"), ("msg", "-q"), ("sem", "-s")):
        header, *rows = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()
        uid_column = header.split().index("uid")
        for row in rows:
            values = row.split()
            if int(values[uid_column]) == uid:
                subprocess.run(["ipcrm", flag, values[1]], capture_output=True)


def _limits() -> None:  # runs in the child, after the uid switch
    for limit, value in ((resource.RLIMIT_AS, 4 << 30), (resource.RLIMIT_NPROC, 256),
                         (resource.RLIMIT_CPU, 120), (resource.RLIMIT_FSIZE, 64 << 20),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))


class _Run:
    """One ``otter run`` of one red-team file, as an unprivileged uid."""

    def __init__(self, attack, zip_path: Path, uid: int, casebook: dict) -> None:
        self.attack, self.uid = attack, uid
        self.work = Path(tempfile.mkdtemp(prefix="a2-baseline-"))
        source = attack.source()
        extra = attack.extra(casebook) if attack.extra else {}
        if extra:
            submission = self.work / "submission.zip"
            with zipfile.ZipFile(submission, "w") as zf:
                zf.writestr("a2.py", source)
                for name, content in extra.items():
                    zf.writestr(name, content)
        else:
            submission = self.work / "a2.py"
            submission.write_bytes(source)
        (self.work / "out").mkdir()
        for path in [self.work, *self.work.rglob("*")]:
            os.chown(path, uid, uid)
        self.started = time.monotonic()
        self.killed = ""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o", "out",
             submission.name],
            cwd=self.work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True, user=uid, group=uid,
            extra_groups=[], preexec_fn=_limits,
            env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(self.work),
                 "LANG": "C.UTF-8"})

    def watch(self) -> bool:
        """Returns whether the run is over (killed if it outgrew its time, memory or disk)."""
        if self.process.poll() is not None:
            return True
        if time.monotonic() - self.started > TIMEOUT:
            self.killed = "hung"
        elif _memory(_uid_processes(self.uid)) > MEMORY_LIMIT:
            self.killed = "memory"
        elif _disk(self.uid) > DISK_LIMIT:
            self.killed = "disk"
        if self.killed:
            _kill_uid(self.uid)
            self.process.wait()
            return True
        return False

    def finish(self) -> Outcome:
        attack = self.attack
        deserved = sum(attack.deserved()[part] for part in FUNCTION_PARTS)
        answers = sum(MARKS[part] for part in FUNCTION_PARTS) if attack.rule else deserved
        score, why = None, self.killed
        try:
            results = json.loads((self.work / "out" / "results.json").read_text())
            tests = {t.get("name"): t for t in results.get("tests", [])}
            if all(isinstance(tests.get(p, {}).get("score"), (int, float))
                   for p in FUNCTION_PARTS):
                score = sum(float(tests[p]["score"]) for p in FUNCTION_PARTS)
            else:
                why = why or "Otter failed: " + ", ".join(sorted(map(str, tests)))
        except (OSError, ValueError):
            why = why or "no results.json"
        ran = tuple(sorted(Path(p).name.split(MARKER + "-")[1].rsplit("-", 1)[0]
                           for p in glob.glob(f"/tmp/{MARKER}-*")
                           if os.lstat(p).st_uid == self.uid))
        _clean_uid(self.uid)
        shutil.rmtree(self.work, ignore_errors=True)
        return Outcome(attack.name, attack.kind, deserved, answers, score, why, ran)


def _run_all(zip_path: Path, casebook: dict) -> list[Outcome]:
    pending = list(ATTACKS)
    running: dict[int, _Run] = {}
    outcomes = []
    while pending or running:
        for slot in range(WORKERS):
            if slot not in running and pending:
                _clean_uid(UID_BASE + slot)
                running[slot] = _Run(pending.pop(0), zip_path, UID_BASE + slot, casebook)
        time.sleep(0.1)
        for slot, run in list(running.items()):
            if run.watch():
                outcomes.append(run.finish())
                del running[slot]
    return sorted(outcomes, key=lambda o: [a.name for a in ATTACKS].index(o.name))


def _ours(casebook: dict, grading_data: Path, tmp_path: Path) -> dict[str, float]:
    """Our grader's scores on the same files (shorter time limits: the real ones are exercised
    by tests/test_redteam.py)."""
    from autograder.grade import grade_file

    quick = json.loads(json.dumps(casebook))
    quick["limits"].update(call_seconds=1.5, import_seconds=3, submission_seconds=8)
    scores = {}
    for attack in ATTACKS:
        path = tmp_path / attack.name / "a2.py"
        path.parent.mkdir()
        path.write_bytes(attack.source())
        scores[attack.name] = grade_file(path, quick, grading_data).score
    return scores


def _report(outcomes: list[Outcome], ours: dict[str, float]) -> dict:
    fooled = Counter(o.kind for o in outcomes if o.fooled)
    broken = Counter(o.kind for o in outcomes if o.score is None)
    files = Counter(o.kind for o in outcomes)
    ours_fooled = [a.name for a in ATTACKS if ours[a.name] > a.total + 1e-9]
    data = {
        "files": len(outcomes),
        "plain_otter": {"fooled": sum(fooled.values()), "no_results": sum(broken.values()),
                        "rule_differences": sum(o.rule for o in outcomes),
                        "uploads_ran": sum(bool(o.ran) for o in outcomes)},
        "ours": {"fooled": len(ours_fooled), "scores": ours},
        "by_class": {kind: {"files": files[kind], "fooled": fooled[kind],
                            "no_results": broken[kind]} for kind in CLASSES},
        "per_file": [{"file": o.name, "class": o.kind, "deserved": o.deserved,
                      "answers_worth": o.answers, "plain_otter": o.score, "why": o.why,
                      "uploads_ran": list(o.ran)}
                     for o in outcomes],
    }
    DOCS.mkdir(exist_ok=True)
    (DOCS / "baseline-results.json").write_text(json.dumps(data, indent=1) + "\n")
    lines = [
        "# The red team against plain Otter (written by tests/test_baseline.py)", "",
        f"{len(outcomes)} hostile submissions (tests/redteam/), graded by a plain Otter-Grader 7 "
        "autograder (bench/plain-otter/: OK-format doctests with `==` and `numpy.allclose`) "
        "with `otter run`, and by this project's grader. Plain Otter marks the two function "
        "parts only (4 marks), so it is *fooled* when a file gets more there than its answers "
        "are worth; *no results* means Otter hung, crashed or could not finish.", "",
        "| attack class | files | plain Otter fooled | plain Otter: no results | ours fooled |",
        "|---|---:|---:|---:|---:|"]
    for kind, label in CLASSES.items():
        lines.append(f"| {label} | {files[kind]} | {fooled[kind]} | {broken[kind]} | 0 |")
    lines.append(f"| **all** | **{len(outcomes)}** | **{sum(fooled.values())}** | "
                 f"**{sum(broken.values())}** | **{len(ours_fooled)}** |")
    lines += [
        "", "Fooled plain Otter: " + (", ".join(
            f"`{o.name}` ({o.score:g} of 4 for answers worth {o.answers:g})"
            for o in outcomes if o.fooled) or "none") + ".", "",
        "No usable results from plain Otter: " + (", ".join(
            f"`{o.name}` ({o.why})" for o in outcomes if o.score is None) or "none") + ".", "",
        "Right functions that break a rule of ours (an import that exits, output or a file "
        "over its limit) and got their marks from plain Otter, not counted as fooling it: "
        + (", ".join(f"`{o.name}`" for o in outcomes if o.rule) or "none") + ".", "",
        "Uploaded files that plain Otter ran itself (here as a throwaway user; on Gradescope as "
        "root): " + (", ".join(f"`{o.name}` ({', '.join(o.ran)})" for o in outcomes if o.ran)
                     or "none") + ".", ""]
    (DOCS / "baseline-results.md").write_text("\n".join(lines))
    return data


@pytest.fixture(scope="module", autouse=True)
def _exclusive(machine_lock):
    """One red team at a time on this machine (see conftest.machine_lock)."""
    yield


@pytest.mark.skipif(os.geteuid() != 0, reason="running plain Otter safely needs root to drop "
                                               "to throwaway uids")
def test_red_team_against_plain_otter_and_ours(baseline_zip, casebook, grading_data, tmp_path):
    outcomes = _run_all(baseline_zip, casebook)
    ours = _ours(casebook, grading_data, tmp_path)
    _report(outcomes, ours)
    control = next(o for o in outcomes if o.name == "00_control")
    assert control.score == 4, f"the baseline does not grade: {control.why}"
    assert {name: score for name, score in ours.items()
            if score > next(a.total for a in ATTACKS if a.name == name) + 1e-9} == {}
