"""Otter-Grader plugin: grade in the sandbox, keep the submission out of Otter's kernel.

Otter 7 would run the submitted script in a Jupyter kernel together with the tests and read the
results back from a pickle that kernel wrote. With this plugin (listed in the zip's
``otter_config.json``):

* ``before_grading`` (the first hook, before Otter unpickles a ``.OTTER_LOG`` from the
  submission folder or starts a kernel that can import from it) grades the submission with the
  grading core (``grade.py``), which runs it in the sandbox, writes results.json at once, and
  moves everything uploaded out of the submission folder into a root-only quarantine;
* ``before_execution`` hands Otter a notebook with one inert cell instead of the submission, so
  no submitted code ever runs in the kernel or in this process;
* ``after_grading`` makes Otter write this project's results.json (per-part entries, visibility,
  staff review entries) instead of its own.

On Gradescope (``run_gradescope``, which the zip's ``run_otter.py`` calls), the grading itself
starts before Otter is imported, in a process of its own (``upload.py``'s early grader), and
``before_grading`` waits for it: the submission runs while Otter loads. Under ``otter run`` the
plugin grades in Otter's process. Either way the grading finishes, and every process of the
sandbox is gone, before Otter starts its logging server or its kernel.

Whatever goes wrong, the plugin produces a complete results.json: an internal error becomes a
0-score result that says so. The grading data (casebook, rubrics) is read from the zip's
``source/files/a2-grading``, never from the submission folder, which the student controls.
The work that needs nothing of Otter lives in ``upload.py``; this module holds what hooks into
Otter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

from otter.plugins import AbstractOtterPlugin

from .upload import (
    DATA_FOLDER,
    INERT_CELL,
    QUARANTINE,
    complete,
    early_target,
    grade_upload,
    internal_error,
    prepare_upload,
    provenance_of,
    quarantine,
    write_results,
)

__all__ = ["DATA_FOLDER", "INERT_CELL", "QUARANTINE", "IsolatedGrading", "grade_upload",
           "internal_error", "prepare_upload", "quarantine", "run_gradescope",
           "start_early_grading", "write_results"]

_provenance = provenance_of  # the name the plugin's provenance had before upload.py

OTTER_TAIL_SECONDS = 6.0
"""Seconds reserved for Otter's work after grading (starting the inert kernel, writing results,
printing its summary): measured at 3-6 s after a submission that hung until its limit, on a
shared 2-core machine (``make bench``'s hang bound)."""
EARLY_WAIT_MARGIN = 60.0
"""Seconds beyond the submission's time limit the plugin waits for the early grader, which ends
within that limit by itself; past them it is killed and the plugin grades in-process."""

_early: dict[str, subprocess.Popen] = {}
"""The early grader started by ``run_gradescope`` for each layout root in this process: Otter
makes the plugin itself, so the process is the only way from ``run_gradescope`` to it."""


class FixedResults:
    """Stands in for ``GradingResults.to_gradescope_dict``: returns the dict it was given."""

    def __init__(self, data: dict) -> None:
        self.data = data

    def __call__(self, ag_config=None) -> dict:  # noqa: ARG002 - Otter passes its config
        return self.data


class IsolatedGrading(AbstractOtterPlugin):
    """Grades ``a2.py`` outside Otter's kernel and writes this project's results."""

    def _data_dir(self) -> Path:
        configured = (self.plugin_config or {}).get("data")
        if configured:
            return Path(configured)
        return self._submission().parent.parent / "source" / "files" / DATA_FOLDER

    def _submission(self) -> Path:
        # Not resolve(): a submitted symlink must stay a symlink (the sandbox refuses it).
        return Path(os.path.abspath(self.submission_path))

    def _grade(self) -> None:
        if getattr(self, "_results", None) is not None:
            return
        root = self._submission().parent.parent
        # Waited for in any case: no submitted code may still run once Otter goes on.
        early = _early_results(root)
        if early is not None and self._data_dir() == root / "source" / "files" / DATA_FOLDER:
            self._results = early
            return
        from .sandbox.runner import process_age

        # Otter's own start-up, and a reserve for what Otter does after us (its inert kernel,
        # writing results), count against the submission's time limit, so the whole run, hangs
        # included, ends within that limit plus a small margin on a loaded machine.
        self._results = grade_upload(self._submission(), self._data_dir(),
                                     spent=process_age() + OTTER_TAIL_SECONDS)

    def before_grading(self, config):  # noqa: ARG002 - Otter passes its config
        """Grade first, then clear the submission folder of everything but Otter's own files.

        This is the first hook Otter calls, before it unpickles a ``.OTTER_LOG`` found in the
        submission and before it starts a kernel whose ``sys.path`` includes the submission
        folder: uploaded files could otherwise run as root in either.
        """
        self._grade()
        try:
            quarantine(self._submission())
        except Exception:  # noqa: BLE001 - grading is done; Otter may still fail safely
            pass

    def before_execution(self, submission):  # noqa: ARG002 - the submission is not executed
        """Give Otter an inert notebook in place of the submission."""
        import nbformat

        self._grade()
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(INERT_CELL)])

    def after_grading(self, results):
        """Make Otter write our results.json."""
        data = getattr(self, "_results", None) or internal_error(
            "the a2 plugin's before_execution did not run")
        results.to_gradescope_dict = FixedResults(data)


def start_early_grading(root: Path) -> bool:
    """Start the early grader (``python -m autograder.upload``) on ``root``'s upload.

    Only for the plain case ``upload.early_target`` names; returns whether it started.
    """
    from .sandbox.runner import process_age

    if early_target(root) is None:
        return False
    try:
        _early[str(root)] = subprocess.Popen(
            # -P: the working folder (the layout) is not put on the early grader's sys.path.
            [sys.executable, "-P", "-m", "autograder.upload", str(root),
             f"{process_age() + OTTER_TAIL_SECONDS:.3f}"],
            stdin=subprocess.DEVNULL, cwd=root)
    except OSError:
        traceback.print_exc()
        return False
    return True


def _early_results(root: Path) -> dict | None:
    """Wait for the early grader of ``root``, if one was started; its results, or None."""
    process = _early.pop(str(root), None)
    if process is None:
        return None
    try:
        seconds = json.loads((root / "source" / "files" / DATA_FOLDER / "casebook.json")
                             .read_text(encoding="utf-8"))["limits"]["submission_seconds"]
    except (OSError, ValueError, KeyError, TypeError):
        seconds = 300.0
    try:
        code = process.wait(timeout=float(seconds) + EARLY_WAIT_MARGIN)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None
    return complete(root / "results" / "results.json") if code == 0 else None


def run_gradescope(autograder_dir: str = "/autograder") -> None:
    """What the zip's ``run_otter.py`` should call: Otter's run, guarded.

    Uploads that would crash Otter before any plugin runs are moved aside first; the early
    grader starts on the upload before Otter is imported (the plugin waits for it); if Otter
    still ends without a complete results.json, the submission is graded here directly (same
    core, same sandbox), or an internal-error result is written. Gradescope always gets results.
    """
    root = Path(autograder_dir)
    submission = root / "submission"
    try:
        prepare_upload(submission)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
    start_early_grading(root)
    try:
        from otter.run.run_autograder import main

        main(str(root))
    except BaseException:  # noqa: BLE001 - Otter failed; results are still ours to write
        traceback.print_exc()
    results = root / "results"
    if _early_results(root) is not None or complete(results / "results.json"):
        return
    try:
        from .casebook import load_casebook
        from .grade import grade_file
        from .render import to_gradescope

        started = time.monotonic()
        data_dir = root / "source" / "files" / DATA_FOLDER
        casebook = load_casebook(data_dir)
        path = root / QUARANTINE / casebook["submission"]
        if not path.exists() and not path.is_symlink():
            path = submission / casebook["submission"]
        result = grade_file(path, casebook, data_dir, protect=[root])
        write_results(results, to_gradescope(result, time.monotonic() - started,
                                             provenance_of(path, data_dir)))
    except Exception:  # noqa: BLE001
        write_results(results, internal_error(traceback.format_exc()))
