"""Grade an upload in Gradescope's layout, without Otter: what the Otter plugin delegates to.

Gradescope runs the zip's ``run_otter.py`` as root with the upload in ``<root>/submission``. This
module holds the plugin's work that needs nothing of Otter: grading the upload with the grading
core (``grade_upload``, which writes ``results/results.json`` at once), moving uploads aside
(``prepare_upload`` before Otter runs, ``quarantine`` after grading), and a complete
internal-error result for when grading itself failed.

It is also the *early grader*: ``python -m autograder.upload ROOT SPENT`` grades
``ROOT/submission/<file>`` in a process of its own, started by ``otter_plugin.run_gradescope``
before Otter is even imported, so the submission runs in the sandbox while Otter loads (about two
seconds that grade nothing). No Otter code runs while it grades: Otter's logging server and its
kernel start only after the plugin's ``before_grading`` has waited for this process, and by then
every process of the sandbox is gone (``run_submission`` kills them all).

This module must not import Otter or nbformat at import time (the early grader would pay for
them), and never imports or runs the submission in its own process.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

DATA_FOLDER = "a2-grading"
"""The zip's ``files/a2-grading``: the casebook and rubrics, read from ``source/files`` only."""
QUARANTINE = "a2-quarantine"
"""Beside /autograder/submission: where uploaded files other than the graded one are moved."""
INERT_CELL = "# This submission was graded in an isolated sandbox by autograder.otter_plugin.\n"


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
                                provenance_of(path, data_dir))
    except Exception:  # noqa: BLE001 - any failure must still yield a complete result
        results = internal_error(traceback.format_exc())
    # Written now, so a later failure inside Otter cannot leave Gradescope without results;
    # Otter rewrites the same data at the end.
    try:
        write_results(submission.parent.parent / "results", results)
    except OSError:
        traceback.print_exc()
    return results


def provenance_of(path: Path, data_dir: Path) -> dict | None:
    """Hashes of the submission, casebook and rubrics, and versions, for ``extra_data``; None
    if they cannot be read (a mark never waits on its provenance)."""
    from .provenance import autograder_of, provenance, submission_sha256

    try:
        return provenance(submission_sha256(path), autograder_of(data_dir), stamp=False)
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        return None


def write_results(folder: Path, data: dict) -> None:
    """Write results.json atomically (a reader never sees half a file)."""
    from .files import write_atomic

    write_atomic(folder / "results.json", json.dumps(data, indent=4))


def complete(path: Path) -> dict | None:
    """The results.json at ``path`` if it is complete (a score and a list of tests), else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("score"), (int, float)) \
            and isinstance(data.get("tests"), list):
        return data
    return None


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


def early_target(root: Path) -> Path | None:
    """The file the early grader may grade before Otter runs, or None.

    Only the plain case: the assignment's file was uploaded as a regular file (then, after
    ``prepare_upload``, it is the file Otter picks, and the one ``grade_upload`` grades whatever
    Otter picks). Anything else is left to the plugin, which grades once Otter has chosen.
    """
    try:
        name = json.loads((root / "source" / "files" / DATA_FOLDER / "casebook.json")
                          .read_text(encoding="utf-8"))["submission"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    path = root / "submission" / str(name)
    return path if path.is_file() and not path.is_symlink() else None


def main(argv: list[str]) -> int:
    """``python -m autograder.upload ROOT SPENT``: grade ROOT's upload and write its results.

    Exits 0 when a complete results.json was written (an internal-error result counts: it is
    complete), 1 otherwise; the caller then grades in its own process.
    """
    from .sandbox.runner import process_age

    root = Path(argv[0])
    path = early_target(root)
    if path is None:
        return 1
    grade_upload(path, root / "source" / "files" / DATA_FOLDER,
                 spent=float(argv[1]) + process_age())
    return 0 if complete(root / "results" / "results.json") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
