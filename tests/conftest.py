"""Shared fixtures: the manifest, its casebook, a built zip, and Gradescope's layout.

``gradescope`` reproduces what Gradescope does with the zip: ``/autograder/source`` unzipped from
it, ``/autograder/submission/a2.py``, ``/autograder/submission_metadata.json``, then Otter's own
``run_otter.py`` (with this environment's Python standing in for the image's conda env). It needs
root, as Gradescope has; without root those tests are skipped, never faked.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# One BLAS thread per test process: make test runs two workers on two cores, and OpenBLAS's
# threads spinning against the other worker made the review model's refit three times slower
# (102 s against 48 s with one thread, same figures). Set before any test imports numpy; xdist's
# workers inherit it.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

AUTOGRADER = Path("/autograder")
LOCK = "/run/a2-tests.lock" if os.access("/run", os.W_OK) else "/tmp/a2-tests.lock"


UIDS_VARIABLE = "A2_SANDBOX_UIDS"
RED_TEAM_UIDS = range(64128, 64256)
"""The sandbox uids of the worker that holds the machine lock (the red team's): its checks for
processes, files and IPC left behind look at these alone."""
OTHER_UIDS = range(64000, 64128)
"""The sandbox uids of every other test worker (``pytest_configure``), so a parallel worker's
sandboxes are never taken for the red team's leftovers. Written out here, not read from the
sandbox's code, so the tests do not trust the code they check."""


def pytest_configure(config):
    """Each test process (each xdist worker) grades in the lower half of the sandbox uids until
    it takes the machine lock."""
    os.environ[UIDS_VARIABLE] = f"{OTHER_UIDS.start}-{OTHER_UIDS.stop - 1}"


@pytest.fixture(scope="session")
def machine_lock():
    """One test session at a time uses /autograder and the red team's sandbox uids on this
    machine; from here on this worker's sandboxes (and Otter runs, which inherit the
    environment) take their uids from ``RED_TEAM_UIDS``."""
    with open(LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.environ[UIDS_VARIABLE] = f"{RED_TEAM_UIDS.start}-{RED_TEAM_UIDS.stop - 1}"
        try:
            yield
        finally:
            os.environ[UIDS_VARIABLE] = f"{OTHER_UIDS.start}-{OTHER_UIDS.stop - 1}"


@pytest.fixture(scope="session")
def manifest():
    from autograder.manifest import load_manifest

    return load_manifest(ROOT / "solutions" / "manifest.yaml")


@pytest.fixture(scope="session")
def real(manifest) -> dict:
    """The course's rubrics, compiled once per session, by part id."""
    from autograder.rubric.schema import load_rubric

    return {part.id: load_rubric(part.rubric) for part in manifest.parts if part.kind == "text"}


@pytest.fixture(scope="session")
def calibration_suite(manifest):
    """Every calibration set measured once per session (``a2 rubric calibrate --all``'s
    report). The marks stored beside the sets are read when they were stored under this
    checkout's fingerprint (engine, rubrics, review model, sets, library versions), and every
    answer is marked otherwise; the tests never write them. Whether stored marks are the
    engine's own is checked on a sample (test_rubric_calibration.py)."""
    from autograder.rubric.suite import SCORES_FILE, run_suite

    folder = ROOT / "solutions" / "calibration"
    return run_suite(folder,
                     {part.id: part.rubric for part in manifest.parts if part.kind == "text"},
                     folder / SCORES_FILE)


@pytest.fixture(scope="session")
def grading_data(manifest, tmp_path_factory) -> Path:
    from autograder.casebook import materialise, write_grading_data

    return write_grading_data(manifest, materialise(manifest),
                              tmp_path_factory.mktemp("grading") / "a2-grading")


@pytest.fixture(scope="session")
def casebook(grading_data) -> dict:
    from autograder.casebook import load_casebook

    return load_casebook(grading_data)


@pytest.fixture(scope="session")
def example_source(manifest):
    """The composed source of a manifest example, by name."""

    def source(name: str) -> bytes:
        return next(e for e in manifest.examples if e.name == name).source()

    return source


@pytest.fixture
def grade_source(casebook, grading_data, tmp_path):
    """Grade a submission given as text or bytes with the full casebook."""
    from autograder.grade import grade_file

    def grade(source: str | bytes, name: str = "a2.py"):
        path = tmp_path / name
        path.write_bytes(source.encode() if isinstance(source, str) else source)
        return grade_file(path, casebook, grading_data)

    return grade


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A real build: the zip and the student bundle, written once per test session, for every
    xdist worker: the first worker to need it builds under a lock in the run's shared temporary
    folder, the others read its report (the zip group and the autograder group run on
    different workers, and a build costs seconds of each). Tests never write into it: those
    that need another zip write their own (test_redteam's quick and hang zips)."""
    import pickle

    from autograder.build import build

    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-build"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "report.pickle"
        if done.is_file():
            return pickle.loads(done.read_bytes())
        report = build(ROOT / "solutions" / "manifest.yaml", shared / "dist")
        done.write_bytes(pickle.dumps(report))
        return report


@dataclass
class GradescopeRun:
    """What one run through Gradescope's layout left behind."""

    results: dict | None
    """results.json as parsed, or None if it was missing or not JSON."""
    raw: str
    stdout: str
    returncode: int
    seconds: float

    def part_scores(self, part_ids: list[str]) -> dict[str, float]:
        """Score per part, summing the entries whose names start with the part id."""
        from autograder.cli import gradescope_part_scores

        return {pid: s for pid, (s, _) in gradescope_part_scores(self.results,
                                                                 part_ids).items()}


def _layout(zip_path: Path, source: str | bytes, filename: str, extra: dict | None) -> None:
    """Gradescope's /autograder as it is before the autograder runs: the zip unpacked into
    source/, the upload in submission/, submission_metadata.json, an empty results/."""
    if AUTOGRADER.exists():
        shutil.rmtree(AUTOGRADER)
    for sub in ("source", "submission", "results"):
        (AUTOGRADER / sub).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(AUTOGRADER / "source")
    (AUTOGRADER / "submission" / filename).write_bytes(
        source.encode() if isinstance(source, str) else source)
    for name, content in (extra or {}).items():
        target = AUTOGRADER / "submission" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    (AUTOGRADER / "submission_metadata.json").write_text(json.dumps({
        "id": 1, "created_at": "2026-11-26T00:00:00Z", "assignment": {"title": "A2"},
        "users": [{"email": "student@example.edu", "name": "Student"}]}))


def _finished(done_output: str, returncode: int, started: float, settle: float) -> GradescopeRun:
    seconds = time.monotonic() - started
    if settle:
        time.sleep(settle)
    path = AUTOGRADER / "results" / "results.json"
    raw = path.read_text() if path.is_file() else ""
    try:
        results = json.loads(raw)
    except ValueError:
        results = None
    return GradescopeRun(results, raw, done_output, returncode, seconds)


@pytest.fixture(scope="session")
def gradescope(built, machine_lock):
    """Run a submission through Otter's run_otter.py in /autograder, as Gradescope does."""
    if os.geteuid() != 0:
        pytest.skip("Gradescope's layout needs root (it writes /autograder), as on Gradescope")

    def run(source: str | bytes, *, filename: str = "a2.py", extra: dict | None = None,
            timeout: float = 120, settle: float = 0.0) -> GradescopeRun:
        _layout(built.zip_path, source, filename, extra)
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(AUTOGRADER / "source" / "run_otter.py")],
                              cwd=AUTOGRADER / "source", capture_output=True, text=True,
                              timeout=timeout)
        return _finished(done.stdout + done.stderr, done.returncode, started, settle)

    yield run
    if AUTOGRADER.exists():
        shutil.rmtree(AUTOGRADER)


@pytest.fixture(scope="session")
def gradescope_core(built, machine_lock):
    """The same layout and the same grading as ``gradescope``, without Otter around it: the
    plugin's grading (``otter_plugin.grade_upload``, which writes results.json) and its
    quarantine of the upload, called as root from this process. Attacks on the sandbox and the
    grading core are tried here; only attacks on Otter's own layer need Otter's run."""
    if os.geteuid() != 0:
        pytest.skip("Gradescope's layout needs root (it writes /autograder), as on Gradescope")
    from autograder.otter_plugin import DATA_FOLDER, grade_upload, quarantine

    def run(source: str | bytes, *, filename: str = "a2.py", extra: dict | None = None,
            settle: float = 0.0, limits: dict | None = None) -> GradescopeRun:
        _layout(built.zip_path, source, filename, extra)
        data = AUTOGRADER / "source" / "files" / DATA_FOLDER
        if limits:
            casebook = json.loads((data / "casebook.json").read_text())
            casebook["limits"].update(limits)
            (data / "casebook.json").write_text(json.dumps(casebook))
        started = time.monotonic()
        submission = AUTOGRADER / "submission" / filename
        grade_upload(submission, data)
        quarantine(submission)
        return _finished("", 0, started, settle)

    yield run
    if AUTOGRADER.exists():
        shutil.rmtree(AUTOGRADER)


BUILDS = {"built", "gradescope", "gradescope_core", "calibration_suite", "graded_export"}
"""Fixtures that build the Otter zip (and run it), score every calibration set or grade a whole
class: a test using one is slow by definition (make test runs it, make test-fast does not)."""
SHARED_GROUPS = {"gradescope": "autograder", "gradescope_core": "autograder",
                 "machine_lock": "autograder", "built": "zip",
                 "calibration_suite": "calibration", "graded_export": "class"}
"""Session fixtures too costly to build twice or used by one test at a time on this machine,
in order of precedence: under pytest-xdist (make test runs two workers, ``--dist loadgroup``)
every test that uses one runs on the same worker, so /autograder and the red team's machine lock
have one user, and the zip (for the tests that only read it), the calibration suite and the
graded class are each made once."""
ONE_WORKER_MODULES = {"test_redteam.py": "autograder", "test_baseline.py": "autograder",
                      "test_visibility.py::test_red_team_files_differing_only_in_hidden_"
                      "behaviour_or_answers_look_the_same": "autograder"}
"""Modules (or single tests) that must never overlap with the red team. The red team's checks
look at its own sandbox uids only (``RED_TEAM_UIDS``), but the differential visibility test of
the red-team catalogue runs the same attacks, and those read whatever grading data is open on
the machine: between the red team's runs its /autograder is laid out world-readable, as
Gradescope lays it out, and a visibility variant that found its casebook (80_read_the_casebook)
answered differently from the variant that did not (seen once with the two on different
workers). The examples' differential tests read nothing outside their own files and run on
either worker."""


def pytest_collection_modifyitems(items):
    """Mark every test that builds the zip, runs Otter, scores every calibration set or grades a
    whole class as slow, so ``make test-fast`` (``-m "not slow"``) never does any of that,
    whoever wrote the test; and
    put the tests sharing a costly session fixture in one xdist group."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if BUILDS & names:
            item.add_marker(pytest.mark.slow)
        test = f"{item.path.name}::{getattr(item, 'originalname', item.name)}"
        group = (ONE_WORKER_MODULES.get(item.path.name) or ONE_WORKER_MODULES.get(test)
                 or next((group for name, group in SHARED_GROUPS.items() if name in names),
                         None))
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
            # pytest-xdist turns the group into a suffix of the test's id in its own collection
            # hook, which on a worker runs before this one: give the id the suffix it would.
            if getattr(item.config.option, "loadgroup", False) and "@" not in item.nodeid:
                item._nodeid = f"{item.nodeid}@{group}"


@pytest.fixture(scope="session")
def graded_export(tmp_path_factory, example_source):
    """A generated Gradescope export (54 submission folders) graded once with `a2 grade` from its
    zip: (export, grades folder, stdout, stderr). Tests that change grades copy the folder."""
    import contextlib
    import io

    from gradescope_export import make_export

    from autograder.cli import main

    base = tmp_path_factory.mktemp("class")
    export = make_export(base / "in", example_source)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["grade", str(export.zip_path), "-o", str(base / "grades"), "-j", "2"])
    assert code == 0, err.getvalue()
    return export, base / "grades", out.getvalue(), err.getvalue()
