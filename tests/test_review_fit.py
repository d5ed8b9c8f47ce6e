"""How the review flag is trained (``autograder/rubric/fit.py``): on the answers as first
scored as well as today, so that it learns what a new class's mis-marks look like; and the
evidence it reads about marks a misconception took away (``features.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.rubric import fit, load_rubric, score_answer
from autograder.rubric.fit import Row

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "solutions" / "rubrics"
CALIBRATION = REPO / "solutions" / "calibration"


def test_answers_as_first_scored_reproduce_the_recorded_first_marks():
    # One blind wave marked again by the rubrics of its first score (from git): the marks a
    # new class got then, which is what the flag must learn to catch.
    import yaml

    wave = CALIBRATION / "wave42_q2.yaml"
    recorded = yaml.safe_load(wave.read_text())["first_score"]["marks"]
    folder = REPO / "solutions" / "calibration"
    got = fit.first_score_rows(folder, {"q2": RUBRICS / "q2.yaml"}, only=[wave.name])
    if got.missing:
        pytest.skip("this clone has no git history of the rubrics (a shallow clone)")
    rows = [r for r in got.rows if r.file == "wave42_q2.yaml" + fit.FIRST]
    assert len(rows) == len(recorded) == 25
    # a row is mis-marked exactly when the recorded first mark was half a mark or more off
    humans = {a["id"]: a["human"] for a in yaml.safe_load(wave.read_text())["answers"]}
    for row in rows:
        assert row.off == (abs(recorded[row.id] - humans[row.id]) >= 0.5), row.id


def test_a_set_without_git_history_trains_as_marked_today(tmp_path):
    # A calibration folder outside any repository: the wave is reported, not silently dropped.
    src = CALIBRATION / "wave42_q2.yaml"
    (tmp_path / src.name).write_text(src.read_text())
    got = fit.first_score_rows(tmp_path, {"q2": RUBRICS / "q2.yaml"}, only=[src.name])
    assert got.rows == [] and got.missing == [src.name]


def test_the_threshold_is_set_on_the_answers_as_first_scored():
    # Today's rows are all marked right and first-scored rows are half mis-marked: a threshold
    # set on all rows would flag at most the target share of the whole; set on the first-scored
    # ones it flags at most that share of them.
    rows = []
    for wave in range(6):
        for i in range(40):
            rows.append(Row(f"w{wave}.yaml", f"wave{wave}", f"t{wave}-{i}",
                            {"x": float(i % 7), "y": float(i % 3)}, False))
            off = i % 2 == 0
            rows.append(Row(f"w{wave}.yaml" + fit.FIRST, f"wave{wave}", f"f{wave}-{i}",
                            {"x": float(i % 7) + (3.0 if off else 0.0), "y": float(i % 5)}, off))
    result = fit.fit(rows)
    assert result.first == 240 and result.cv.n == 240
    assert result.cv.rate <= fit.TARGET_RATE + 1e-9
    assert result.files == tuple(sorted({f"w{w}.yaml" for w in range(6)}))


@pytest.fixture(scope="module")
def q1_iii():
    return load_rubric(RUBRICS / "q1_iii.yaml")


def test_what_a_misconception_took_away_is_evidence_for_the_flag(q1_iii):
    # The no-loss point matched ("keeps the resolution") and was cancelled by a misconception
    # stated in another sentence: the features say how much was taken and that the concept's
    # own statement stands apart.
    text = ("Dilated convolution keeps the feature map at full resolution. "
            "It upsamples the image so the kernel covers more pixels.")
    result = score_answer(q1_iii, text)
    took = [c for c in result.concepts if any(n.startswith("misconception") for n in c.notes)]
    assert took, result.concepts
    assert result.features.get("cancel-breadth", 0) > 0
    if any(c.id == "no_loss_or_cost" for c in took):
        assert result.features.get("withdrawn-credit", 0) > 0
        assert result.features.get("cancelled-apart", 0) >= 1


def test_an_answer_read_as_role_swapped_is_always_reviewed():
    q3 = load_rubric(RUBRICS / "q3.yaml")
    text = ("The discriminator generates fake images from noise, and the generator classifies "
            "whether an image is real or fake. Training ends when fakes are indistinguishable.")
    result = score_answer(q3, text)
    assert "role-swap" in result.flags
    assert result.needs_review and any("swapped" in r for r in result.reasons)
