"""Otter-Grader plugin: grade in the sandbox, keep the submission out of Otter's kernel.

Otter 7 would run the submitted script in a Jupyter kernel together with the tests and read the
results back from a pickle that kernel wrote. With this plugin (listed in the zip's
``otter_config.json``):

* ``before_execution`` grades the submission with the grading core (``grade.py``), which runs it
  in the sandbox, and hands Otter a notebook with one inert cell instead of the submission, so
  no submitted code ever runs in the kernel or in this process;
* ``after_grading`` makes Otter write this project's results.json (per-part entries, visibility,
  staff review entries) instead of its own.

Whatever goes wrong, the plugin produces a complete results.json: an internal error becomes a
0-score result that says so. The grading data (casebook, rubrics) is read from the zip's
``source/files/a2-grading``, never from the submission folder, which the student controls.
"""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from otter.plugins import AbstractOtterPlugin

DATA_FOLDER = "a2-grading"
INERT_CELL = "# This submission was graded in an isolated sandbox by autograder.otter_plugin.\n"


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
        submission = Path(self.submission_path).resolve()
        return submission.parent.parent / "source" / "files" / DATA_FOLDER

    def before_execution(self, submission):
        """Grade in the sandbox; give Otter an inert notebook in place of the submission."""
        import nbformat

        from .casebook import load_casebook
        from .grade import grade_file
        from .render import to_gradescope

        started = time.monotonic()
        try:
            path = Path(self.submission_path).resolve()
            data_dir = self._data_dir()
            casebook = load_casebook(data_dir)
            result = grade_file(path, casebook, data_dir, protect=[path.parent.parent])
            self._results = to_gradescope(result, time.monotonic() - started)
        except Exception:  # noqa: BLE001 - any failure must still yield a complete result
            self._results = internal_error(traceback.format_exc())
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(INERT_CELL)])

    def after_grading(self, results):
        """Make Otter write our results.json."""
        data = getattr(self, "_results", None) or internal_error(
            "the a2 plugin's before_execution did not run")
        results.to_gradescope_dict = FixedResults(data)


def internal_error(detail: str) -> dict:
    """A complete results.json for when grading itself failed."""
    return {
        "score": 0,
        "output": "The autograder could not grade this submission because of an internal "
                  "error. Your submission was not marked; please tell the course staff.",
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [{"name": "autograder internal error", "score": 0, "max_score": 0,
                   "output": detail[-4000:], "visibility": "hidden"}],
        "extra_data": {"review": [{"part": "all", "flags": ["internal-error"]}]},
    }
