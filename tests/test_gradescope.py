"""End to end through Gradescope's layout: the zip's run_otter.py grades /autograder/submission."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["q1_i", "q1_ii", "q1_iii", "q1_iv", "q2", "q3"]
MARKS = {"q1_i": 2, "q1_ii": 2, "q1_iii": 1, "q1_iv": 2, "q2": 2, "q3": 3}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(gradescope, example_source):
    return {name: gradescope(example_source(name))
            for name in ("reference", "stub", "seed", "q1_iv_wrong")}


def test_results_follow_gradescopes_specification(runs):
    for name, run in runs.items():
        results = run.results
        assert results is not None, f"{name}: no results.json\n{run.stdout[-3000:]}"
        assert isinstance(results["score"], (int, float))
        for test in results["tests"]:
            assert test["visibility"] in ("visible", "after_published", "hidden")
            assert isinstance(test["output"], str)
            assert 0 <= test["score"] <= test["max_score"]
            assert any(test["name"] == p or test["name"].startswith(p + " ") for p in PARTS)
        graded = [t for t in results["tests"] if t["max_score"] > 0]
        assert sum(t["max_score"] for t in graded) == 12


def test_every_part_has_entries_and_public_feedback_is_visible_at_once(runs):
    tests = runs["reference"].results["tests"]
    for part in PARTS:
        assert [t for t in tests if t["name"].startswith(part + " ")]
    public = [t for t in tests if " public: " in t["name"]]
    assert public and all(t["visibility"] == "visible" for t in public)
    hidden = [t for t in tests if " hidden: " in t["name"]]
    assert hidden and all(t["visibility"] == "after_published" for t in hidden)
    staff = [t for t in tests if " staff: " in t["name"]]
    assert all(t["visibility"] == "hidden" and t["max_score"] == 0 for t in staff)


def test_reference_full_marks_stub_zero_seed_at_least_eleven_and_a_half(runs):
    assert runs["reference"].results["score"] == 12
    assert runs["reference"].part_scores(PARTS) == MARKS
    assert runs["stub"].results["score"] == 0
    assert runs["seed"].results["score"] >= 11.5


def test_a_file_with_only_q1_iv_wrong_loses_exactly_its_marks(runs):
    scores = runs["q1_iv_wrong"].part_scores(PARTS)
    assert scores == {**MARKS, "q1_iv": 0}
    assert runs["q1_iv_wrong"].results["score"] == 10


def test_the_submission_never_runs_in_otters_kernel(gradescope, tmp_path):
    marker = tmp_path / "ran-as-root"
    source = ((ROOT / "solutions" / "a2.py").read_text()
              + f"\nimport os\nif os.geteuid() == 0:\n    open({str(marker)!r}, 'w').close()\n")
    run = gradescope(source)
    assert run.results["score"] == 12
    assert not marker.exists()
    assert run.results["extra_data"]["isolation"] == "user"


def test_what_otter_writes_shows_students_no_total_and_no_run_time(runs, gradescope,
                                                                   example_source):
    """Through Otter itself: the visible fields of a file that differs from the reference only
    in hidden behaviour (q1_iv_wrong keeps the question's case right) match the reference's."""
    from test_visibility import visible_fields

    for name in ("reference", "q1_iv_wrong"):
        results = runs[name].results
        assert "execution_time" not in results
        assert not re.search(r"\b1[02] */|/ *12\b|total:", results["output"])
    answers = gradescope(example_source("reference")
                         + b"\nQ2 = 'VQ-VAE and VAE are both autoencoders.'\n").results
    assert answers["score"] < 12
    assert visible_fields(answers) == visible_fields(runs["reference"].results)
