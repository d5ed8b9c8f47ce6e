"""The early grader (``python -m autograder.upload``): what the Gradescope run waits for.

On Gradescope, ``otter_plugin.run_gradescope`` starts it on ``/autograder/submission/a2.py``
before Otter is imported; the plugin then takes its results instead of grading again. These tests
build the layout in a temporary folder (no root needed) and run the early grader as a process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.upload import DATA_FOLDER, early_target

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def layout(tmp_path, grading_data) -> Path:
    root = tmp_path / "autograder"
    for sub in ("submission", "results"):
        (root / sub).mkdir(parents=True)
    shutil.copytree(grading_data, root / "source" / "files" / DATA_FOLDER)
    return root


def _early(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-P", "-m", "autograder.upload", str(root), "0"],
                          cwd=root, capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # grades an upload end to end (make test runs it)
def test_the_early_grader_writes_complete_results_for_the_upload(layout, example_source):
    (layout / "submission" / "a2.py").write_bytes(example_source("q1_iv_wrong"))
    done = _early(layout)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((layout / "results" / "results.json").read_text())
    assert results["score"] == 10
    assert any(t["name"].startswith("q1_iv") for t in results["tests"])


@pytest.mark.parametrize("upload", ["missing", "symlink", "folder"])
def test_the_early_grader_leaves_anything_but_a_plain_file_to_the_plugin(layout, upload):
    wanted = layout / "submission" / "a2.py"
    if upload == "symlink":
        wanted.symlink_to(ROOT / "solutions" / "a2.py")
    elif upload == "folder":
        wanted.mkdir()
    assert early_target(layout) is None
    done = _early(layout)
    assert done.returncode == 1
    assert not (layout / "results" / "results.json").exists()
