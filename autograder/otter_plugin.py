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

Whatever goes wrong, the plugin produces a complete results.json: an internal error becomes a
0-score result that says so. The grading data (casebook, rubrics) is read from the zip's
``source/files/a2-grading``, never from the submission folder, which the student controls.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import traceback
from pathlib import Path

from otter.plugins import AbstractOtterPlugin

DATA_FOLDER = "a2-grading"
OTTER_TAIL_SECONDS = 4.0
"""Seconds reserved for Otter's work after grading (starting the inert kernel, writing results);
measured at 3-5 s on a 2-core machine."""
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
        return self._submission().parent.parent / "source" / "files" / DATA_FOLDER

    def _submission(self) -> Path:
        # Not resolve(): a submitted symlink must stay a symlink (the sandbox refuses it).
        return Path(os.path.abspath(self.submission_path))

    def _grade(self) -> None:
        if getattr(self, "_results", None) is not None:
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


def _provenance(path: Path, data_dir: Path) -> dict | None:
    """Hashes of the submission, casebook and rubrics, and versions, for ``extra_data``; None
    if they cannot be read (a mark never waits on its provenance)."""
    from .provenance import autograder_of, provenance, submission_sha256

    try:
        return provenance(submission_sha256(path), autograder_of(data_dir), stamp=False)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        return None


def grade_upload(submission: Path, data_dir: Path, spent: float = 0.0) -> dict:
    """Grade an upload in Gradescope's layout and write ``results/results.json`` beside it.

    ``submission`` is the file Otter was given (``/autograder/submission/a2.py``); the file the
    assignment asks for is graded whenever it was uploaded. The grader's whole layout (the
    folder above the submission's) is closed to the sandbox while it runs. ``spent`` is time
    already used of the submission's time limit. Returns the results, also when grading failed
    (an internal-error result); this is the plugin's grading without Otter around it.
    """
    from .casebook import load_casebook
    from .grade import grade_file
    from .render import to_gradescope

    started = time.monotonic()
    try:
        path = submission
        casebook = load_casebook(data_dir)
        # Otter picks a notebook over a .py file, and any lone .py file: grade the file the
        # assignment asks for whenever it was uploaded.
        wanted = path.parent / casebook["submission"]
        if path.name != wanted.name and wanted.is_file() and not wanted.is_symlink():
            path = wanted
        result = grade_file(path, casebook, data_dir, protect=[path.parent.parent], spent=spent)
        results = to_gradescope(result, time.monotonic() - started,
                                _provenance(path, data_dir))
    except Exception:  # noqa: BLE001 - any failure must still yield a complete result
        results = internal_error(traceback.format_exc())
    # Written now, so a later failure inside Otter cannot leave Gradescope without results;
    # Otter rewrites the same data at the end.
    try:
        write_results(submission.parent.parent / "results", results)
    except OSError:
        traceback.print_exc()
    return results


def write_results(folder: Path, data: dict) -> None:
    """Write results.json atomically (a reader never sees half a file)."""
    from .files import write_atomic

    write_atomic(folder / "results.json", json.dumps(data, indent=4))


QUARANTINE = "a2-quarantine"
"""Beside /autograder/submission: where uploaded files other than the graded one are moved."""


def quarantine(submission: Path) -> list[str]:
    """Leave in the submission folder only what Otter needs once grading is done.

    Everything else the student uploaded (other files, packages, a ``.OTTER_LOG`` pickle) moves
    to a root-only folder, and the graded file is replaced by an inert comment, so nothing
    uploaded can be imported by Otter's kernel or unpickled by Otter. Returns the moved names.
    """
    folder = submission.parent
    target = folder.parent / QUARANTINE
    target.mkdir(mode=0o700, exist_ok=True)
    os.chmod(target, 0o700)
    moved = []
    for entry in sorted(os.listdir(folder)):
        path = folder / entry
        if entry == "tests" and path.is_dir() and not path.is_symlink():
            continue  # Otter's own copy of the zip's tests, made just before
        try:
            os.replace(path, target / entry)
        except OSError:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        moved.append(entry)
        if entry == "__init__.py":
            (folder / entry).write_text("", encoding="utf-8")
        elif entry == submission.name:  # Otter reads it next, to build the notebook it runs
            (folder / entry).write_text(_inert(submission.suffix), encoding="utf-8")
    return moved


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


def _inert(suffix: str) -> str:
    if suffix == ".ipynb":
        import nbformat

        return nbformat.writes(nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(INERT_CELL)]))
    return INERT_CELL


def prepare_upload(folder: Path, name: str = "a2.py") -> list[str]:
    """Before Otter runs: move aside uploaded entries that would make Otter fail or grade the
    wrong file (a file named ``tests``, notebooks, other top-level ``.py`` files when ``name``
    is there). Returns the moved names."""
    target = folder.parent / QUARANTINE
    moved = []
    for entry in sorted(os.listdir(folder)):
        path = folder / entry
        foreign = (
            (entry == "tests" and (path.is_symlink() or not path.is_dir()))
            or entry.endswith(".ipynb")
            or (entry.endswith(".py") and entry not in (name, "__init__.py")
                and (folder / name).is_file())
        )
        if foreign:
            target.mkdir(mode=0o700, exist_ok=True)
            os.replace(path, target / entry)
            moved.append(entry)
    return moved


def _complete(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("score"), (int, float)) \
        and isinstance(data.get("tests"), list)


def run_gradescope(autograder_dir: str = "/autograder") -> None:
    """What the zip's ``run_otter.py`` should call: Otter's run, guarded.

    Uploads that would crash Otter before any plugin runs are moved aside first; if Otter still
    ends without a complete results.json, the submission is graded here directly (same core,
    same sandbox), or an internal-error result is written. Gradescope always gets results.
    """
    root = Path(autograder_dir)
    submission = root / "submission"
    try:
        prepare_upload(submission)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
    try:
        from otter.run.run_autograder import main

        main(str(root))
    except BaseException:  # noqa: BLE001 - Otter failed; results are still ours to write
        traceback.print_exc()
    results = root / "results"
    if _complete(results / "results.json"):
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
                                             _provenance(path, data_dir)))
    except Exception:  # noqa: BLE001
        write_results(results, internal_error(traceback.format_exc()))
