"""The marked answers the review flag compares a mark with (``autograder/rubric/neighbours.py``):
what it finds, what it stores, how calibration keeps a set's own answers out, and the file's
life beside the rubrics (fit-review writes it, --check catches drift, the zip carries it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.rubric import RubricError, load_rubric, score_answer
from autograder.rubric import neighbours as nb
from autograder.rubric.calibrate import calibrate, load_calibration

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "solutions" / "rubrics"
CALIBRATION = REPO / "solutions" / "calibration"

MARKED = [
    ("q9", "a.yaml", 2.0, "The discriminator tells real images from fake ones.",
     {"judge": 2.0, "maker": 0.0}),
    ("q9", "a.yaml", 0.0, "GANs are used for style transfer and super resolution."),
    ("q9", "b.yaml", 2.0, "A discriminator tells real from fake images.",
     {"judge": 2.0, "maker": 0.0}),
    ("q9", "b.yaml", 1.0, "The generator draws images from noise."),
    ("q8", "c.yaml", 1.0, "Dilated convolution sees more context."),
]


def index_of(entries=MARKED, part="q9"):
    return nb.from_data(json.loads(nb.dumps(nb.build(entries))), part)


def test_the_nearest_marked_answers_are_the_ones_that_read_alike():
    near = index_of()
    found = near.nearest("the discriminator tells real from fake", k=2)
    assert [doc.human for _, doc in found] == [2.0, 2.0]
    assert 0 < found[1][0] <= found[0][0] <= 1
    # Only the part's own answers take part.
    assert all(doc.source != "c.yaml"
               for _, doc in near.nearest("dilated convolution sees more context"))


def test_features_measure_how_far_a_mark_lies_from_its_neighbours():
    near = index_of()
    agree, _ = near.features("The discriminator tells real from fake images.", 2.0)
    differ, why = near.features("The discriminator tells real from fake images.", 0.0)
    assert set(agree) == set(nb.FEATURES) == set(differ)
    assert agree["knn:gap"] < differ["knn:gap"] and differ["knn:gapxsim"] > 0.5
    assert "marked answers most like it" in why["knn:gap"]
    # Per concept: the same total can hide a point over-credited beside one under-credited.
    swapped, why = near.features("The discriminator tells real from fake images.", 2.0,
                                 {"judge": 0.0, "maker": 2.0})
    assert swapped["knn:gap"] < 0.5 and swapped["knn:concept-gap"] > 1.5
    assert "for judge" in why["knn:concept-gap"] or "for maker" in why["knn:concept-gap"]
    # Nothing in common with any marked answer: no evidence either way.
    none, reasons = near.features("zzz qqq", 1.0)
    assert none == dict.fromkeys(nb.FEATURES, 0.0) and reasons == {}


def test_a_set_left_out_is_never_found():
    near = index_of()
    text = "A discriminator tells real from fake images."
    assert near.nearest(text)[0][0] == pytest.approx(1.0)
    assert all(sim < 0.99 for sim, _ in near.without("b.yaml").nearest(text))
    assert near.without("nothing.yaml") is near


def test_the_index_stores_word_stems_not_the_answers_prose():
    text = (RUBRICS / nb.NEIGHBOURS_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    stems = [s for docs in data["parts"].values() for d in docs for s in d["stems"].split()]
    assert stems and max(len(s) for s in stems) <= nb.STEM
    docs = [d for docs in data["parts"].values() for d in docs]
    assert all(set(d) <= {"source", "human", "stems", "marks"} for d in docs)
    assert any("marks" in d for d in docs)    # the sets that record marks per concept


def test_calibrating_a_set_leaves_its_own_answers_out_of_the_comparison():
    rubric = load_rubric(RUBRICS / "q2.yaml")
    path = CALIBRATION / "q2.yaml"
    assert any(d.source == path.name for d in rubric.neighbours.documents)
    _, entries = load_calibration(path)
    entry = entries[0]
    alone = score_answer(rubric, entry.answer).features["knn:sim"]
    report = calibrate(rubric, entries[:1], str(path))
    # With its own answer in the index the nearest is itself; calibration does not see it.
    assert alone == pytest.approx(1.0, abs=1e-6)
    assert report.outcomes[0].features["knn:sim"] < 1 - 1e-6


def test_a_damaged_index_is_named_with_its_fix(tmp_path):
    shutil.copy(RUBRICS / "q2.yaml", tmp_path / "q2.yaml")
    (tmp_path / nb.NEIGHBOURS_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(RubricError, match=r"neighbours.json.*fit-review"):
        load_rubric(tmp_path / "q2.yaml")
    (tmp_path / nb.NEIGHBOURS_FILE).write_text('{"version": 1, "stem": 6, "parts": {}}',
                                               encoding="utf-8")
    with pytest.raises(RubricError, match="another version"):
        load_rubric(tmp_path / "q2.yaml")
    # Without the file the rubric marks as before, with no neighbour evidence.
    (tmp_path / nb.NEIGHBOURS_FILE).unlink()
    assert load_rubric(tmp_path / "q2.yaml").neighbours is None


# Rebuilds the stored index from every calibration set (as the suite marks them): make test,
# not test-fast.
@pytest.mark.slow
def test_the_stored_index_is_the_one_the_calibration_sets_give():
    from autograder.rubric import fit

    parts = {p: RUBRICS / f"{p}.yaml" for p in ("q1_i", "q1_iii", "q2", "q3")}
    built = nb.dumps(fit.build_index(CALIBRATION, parts))
    assert built == (RUBRICS / nb.NEIGHBOURS_FILE).read_text(encoding="utf-8"), \
        "run 'a2 rubric fit-review' and commit neighbours.json"
    # Held-out sets stay out of the flag altogether: none of their answers is in the index.
    sources = {d["source"] for docs in json.loads(built)["parts"].values() for d in docs}
    assert "wave28_q2.yaml" not in sources and "wave6_q2.yaml" in sources


def test_the_grading_data_carries_the_index_beside_the_rubrics(grading_data):
    copied = grading_data / "rubrics" / nb.NEIGHBOURS_FILE
    assert copied.read_bytes() == (RUBRICS / nb.NEIGHBOURS_FILE).read_bytes()
    assert load_rubric(grading_data / "rubrics" / "q3.yaml").neighbours is not None


@pytest.mark.slow
def test_fit_review_check_reports_a_stale_index(tmp_path):
    # A copy of the solutions whose index lacks one answer: --check must fail and say so.
    # (Two blind waves stand for the many: the index is rebuilt from the copy's sets, and
    # marking every set of the repository again is the next test's business.)
    from autograder.rubric import fit

    solutions = tmp_path / "solutions"
    for name in ("solutions", "assignment"):
        shutil.copytree(REPO / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "wave*.yaml",
                                                      "*.json.gz"))
    for wave in ("wave42", "wave43"):
        for source in CALIBRATION.glob(f"{wave}_*.yaml"):
            shutil.copy(source, solutions / "calibration" / source.name)
    parts = {p: solutions / "rubrics" / f"{p}.yaml" for p in ("q1_i", "q1_iii", "q2", "q3")}
    index = solutions / "rubrics" / nb.NEIGHBOURS_FILE
    lines = nb.dumps(fit.build_index(solutions / "calibration", parts)).splitlines()
    assert len(lines) > 10
    del lines[3]
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "autograder", "rubric", "fit-review", "--check",
                           "--manifest", str(solutions / "manifest.yaml")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "neighbours.json" in done.stdout and "drift" in done.stdout
