"""Short-answer marks staff can sign: review flags with reasons, misconceptions that cancel a
concept, role swaps that withdraw what depends on the roles, and a calibration report that tells
tuned, held-out and review sets apart."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder.render import to_csv, to_gradescope, to_report
from autograder.rubric import load_rubric, score_answer
from autograder.rubric.review import assess
from autograder.rubric.suite import pool, record_first_score
from autograder.yamlio import safe_load

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "solutions" / "rubrics"
CALIBRATION = REPO / "solutions" / "calibration"
PARTS = ["q1_i", "q1_iii", "q2", "q3"]
SWAPPED = ("The discriminator generates images from random noise and the generator classifies "
           "them as real or fake; the generator maximises its accuracy at catching the fakes. "
           "Training ends when the fakes are indistinguishable from real data.")


@pytest.fixture(scope="module")
def real():
    return {part: load_rubric(RUBRICS / f"{part}.yaml") for part in PARTS}


def concept(result, concept_id):
    return next(c for c in result.concepts if c.id == concept_id)


# --------------------------------------------------------------------------- the flag
def test_signals_add_up_to_the_flag():
    signals, risk, flagged = assess([("near-miss", "a"), ("wrong-actor", "b")])
    assert flagged and risk == pytest.approx(0.75)
    assert [s.id for s in signals] == ["wrong-actor", "near-miss"]     # strongest first
    assert not assess([("near-miss", "a")])[2]
    assert assess([("near-miss", "a"), ("thin-evidence", "c")])[2]
    assert not assess([("keyword-list", "capped")])[2]                # a cap marks it right
    assert not assess([("typo", "b")])[2]
    assert assess([("typo", "b")], weights={"typo": 0.6})[2]
    assert not assess([("wrong-actor", "b")], threshold=0.75)[2]


def test_a_capped_keyword_list_is_marked_right_and_not_flagged(real):
    result = score_answer(real["q2"], "VQ-VAE VAE discrete continuous codebook Gaussian KL prior")
    assert result.score == 0 and "keyword-list" in result.flags
    assert not result.needs_review


def test_a_paraphrase_the_rubric_misses_is_flagged_with_its_reason(real):
    text = ("Labelling pixels needs two things that pull in opposite directions: knowing what an "
            "object is needs a wide view of the image, knowing where it is needs every pixel. "
            "Shrinking the maps gives the wide view cheaply; growing them back gives a label for "
            "each location of the photo.")
    result = score_answer(real["q1_i"], text)
    if result.score < 2:
        assert result.needs_review and result.reasons
        # the reason names what staff should look at: the words the rubric left unused, or
        # how the marked answers most like it were marked
        assert any("on-topic" in r or "words" in r or "marked answers most like it" in r
                   for r in result.reasons)


def test_a_full_textbook_answer_is_not_flagged(real):
    text = ("The VAE's latent is continuous: the encoder outputs a Gaussian and z is sampled from "
            "it. VQ-VAE's latent is discrete: each encoder output vector is replaced by its "
            "nearest codebook vector.")
    result = score_answer(real["q2"], text)
    assert result.score == 2 and not result.needs_review and not result.reasons


def test_reasons_reach_every_place_staff_look(grade_source, example_source):
    source = example_source("reference").decode() + (f"\nQ3 = {SWAPPED!r}\n")
    result = grade_source(source)
    part = result.part("q3")
    assert part.review and part.reasons
    data = to_gradescope(result)
    staff = next(t for t in data["tests"] if t["name"].startswith("q3 staff"))
    assert staff["visibility"] == "hidden" and "review (risk" in staff["output"]
    entry = next(e for e in data["extra_data"]["review"] if e["part"] == "q3")
    assert entry["reasons"] == part.reasons
    student = next(t for t in data["tests"] if t["name"].startswith("q3 short answer"))
    assert "risk" not in student["output"] and "reads as" not in student["output"]
    row = next(csv.DictReader(io.StringIO(to_csv([result]))))
    assert row["review"] == "yes" and "q3:" in row["review_reasons"]
    assert "Why review:" in to_report([result])


@pytest.mark.slow  # a fresh process loads the marked answers' index (make test runs it)
def test_rubric_score_prints_the_reasons():
    done = subprocess.run([sys.executable, "-m", "autograder", "rubric", "score", "q3", SWAPPED],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "NEEDS REVIEW" in done.stdout and "review (risk" in done.stdout


# --------------------------------------------------------------------------- calibration suite
def test_calibrate_all_tells_the_kinds_apart_and_never_prints_held_out_answers(
        calibration_suite):
    # What `a2 rubric calibrate --all` prints, in full detail (its CLI prints this report; the
    # CLI itself is run in test_rubric_calibration.py).
    out = calibration_suite.format(detail=True)
    assert "tuned sets" in out and "heldout sets" in out and "pooled:" in out
    # the project's loader (libyaml when installed): over 400 files, pure-Python parsing alone
    # took 15 s of make test
    sets = {p: safe_load(p.read_text()) or {} for p in sorted(CALIBRATION.glob("*.yaml"))}
    held = [p for p, data in sets.items() if data.get("kind") == "heldout"]
    # what the report may print of the other sets: their answers and the markers' notes (a
    # held-out answer can open with the words of another set's note)
    shown = " ".join(" ".join(str(e.get(key) or "").split())
                     for p, data in sets.items() if p not in held
                     for e in data.get("answers") or [] for key in ("answer", "note"))
    assert held
    printed = " ".join(out.split())
    for path in held:
        for entry in sets[path]["answers"]:
            answer = " ".join(str(entry.get("answer") or "").split())
            # its opening words, without a leading bullet (the report puts "- " before notes)
            opening = answer.lstrip("-*\u2022# ")[:40]
            if len(opening) == 40 and opening not in shown:
                assert opening not in printed, path.name


def test_a_first_score_is_recorded_once(tmp_path):
    source = CALIBRATION / "heldout_q2.yaml"
    copy = tmp_path / "heldout_q2.yaml"
    shutil.copy(source, copy)
    text = copy.read_text()
    if "first_score:" in text:
        text = text[: text.index("first_score:")]
        copy.write_text(text)
    from autograder.rubric import calibrate, load_calibration

    _, entries = load_calibration(copy)
    report = calibrate(load_rubric(RUBRICS / "q2.yaml"), entries)
    assert record_first_score(copy, report, "abc123")
    first = yaml.safe_load(copy.read_text())["first_score"]
    assert first["n"] == len(entries) and first["commit"] == "abc123"
    assert set(first["marks"]) == {e.id for e in entries}
    before = copy.read_text()
    assert not record_first_score(copy, report, "def456")
    assert copy.read_text() == before


@pytest.mark.slow  # copies the rubrics and loads their marked answers afresh (make test runs it)
def test_stored_marks_are_read_back_only_under_their_own_fingerprint(tmp_path):
    from autograder.rubric.suite import SCORES_FILE, run_suite

    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    folder = tmp_path / "calibration"
    folder.mkdir()
    shutil.copy(CALIBRATION / "heldout_q2.yaml", folder / "heldout_q2.yaml")
    paths = {"q2": rubrics / "q2.yaml", "q3": rubrics / "q3.yaml"}
    scores = folder / SCORES_FILE

    def figures(report):
        return [(o.entry.id, o.score, o.flags, o.needs_review, o.credited, o.features)
                for s in report.sets for o in s.report.outcomes]

    first = run_suite(folder, paths, scores, store=True)
    total = sum(len(s.report.outcomes) for s in first.sets)
    assert first.marked == total and scores.is_file()
    again = run_suite(folder, paths, scores)
    assert again.marked == 0 and figures(again) == figures(first)
    # a rubric edited (any beside the sets' own), or a set's marks changed: every answer is
    # marked again
    (rubrics / "q3.yaml").write_text((rubrics / "q3.yaml").read_text() + "\n# edited\n")
    assert run_suite(folder, paths, scores).marked == total
    run_suite(folder, paths, scores, store=True)
    assert run_suite(folder, paths, scores).marked == 0
    (folder / "heldout_q2.yaml").write_text(
        (folder / "heldout_q2.yaml").read_text().replace("human: 2", "human: 1.5", 1))
    assert run_suite(folder, paths, scores).marked == total
    # a damaged file costs time, never a wrong figure
    scores.write_bytes(b"not gzip")
    assert run_suite(folder, paths, scores).marked == total


def test_pooled_flag_figures_count_mis_marks_and_flags():
    from autograder.rubric.calibrate import CalibrationEntry, Outcome

    def outcome(human, score, flagged, trap=False):
        entry = CalibrationEntry("x", "a", human, trap=trap)
        return Outcome(entry, score, (), flagged, ())

    p = pool([outcome(1, 1, False), outcome(1, 0.5, True), outcome(0, 1, False, trap=True),
              outcome(2, 2, True)])
    assert (p.n, p.off, p.off_flagged, p.flagged) == (4, 2, 1, 2)
    assert p.flag_recall == 0.5 and p.flag_rate == 0.5 and p.trap_excess == ("x",)


def test_suite_json_reports_every_set(calibration_suite):
    data = json.loads(json.dumps(calibration_suite.to_dict()))
    kinds = {s["kind"] for s in data["sets"]}
    assert {"tuned", "heldout"} <= kinds
    assert set(data["pooled"]) >= {"tuned", "heldout"}


# --------------------------------------------------------------------------- misconceptions, roles
def test_quantising_the_wrong_thing_cancels_the_concept_with_its_own_feedback(real):
    for text in ("VQ-VAE quantises the weights of the encoder and decoder to 8-bit so the model "
                 "is smaller, while a VAE keeps full precision weights.",
                 "VQ-VAE quantises the colours of the output image into a palette, while the VAE "
                 "outputs continuous pixel intensities.",
                 # "continuous" said of the VAE's weights is the same wrong object
                 "VQ-VAE quantises the weights into a small codebook of low-bit values; a VAE "
                 "keeps continuous full-precision weights."):
        result = score_answer(real["q2"], text)
        assert result.score == 0 and "misconception" in result.flags, result.staff_feedback()
        feedback = result.student_feedback()
        assert "revisit" in feedback and "palette" not in feedback and "weights" not in feedback
    right = "VQ-VAE quantises the encoder's output vectors to codebook entries; the VAE's latent "\
        "is a continuous Gaussian."
    assert score_answer(real["q2"], right).score == 2


def test_a_role_swap_withdraws_the_game_said_through_the_roles_but_not_the_aim(real):
    result = score_answer(real["q3"], SWAPPED)
    assert concept(result, "generator_role").earned == 0
    assert concept(result, "discriminator_role").earned == 0
    assert concept(result, "adversarial").earned == 0
    assert concept(result, "aim").earned == 1 and result.score == 1
    assert result.needs_review and "role-swap" in result.flags


def test_a_missing_role_is_not_a_swap(real):
    text = ("G takes noise as input and creates images, and it is trained to fool D. In the end "
            "the distribution of G's outputs should match the real data distribution.")
    result = score_answer(real["q3"], text)
    assert "role-swap" not in result.flags and concept(result, "adversarial").earned > 0


def test_misconceptions_and_roles_are_validated_with_line_and_fix(tmp_path):
    from autograder.rubric import RubricError

    base = (RUBRICS / "q3.yaml").read_text()
    broken = base.replace("withdraw: [adversarial]", "withdraw: [adversarial, nonsense]")
    path = tmp_path / "q3.yaml"
    path.write_text(broken)
    with pytest.raises(RubricError, match=r"line \d+.*'nonsense' is not a concept"):
        load_rubric(path)
    broken = base.replace("  - id: gan_as_autoencoder\n",
                          "  - id: gan_as_autoencoder\n    extra: 1\n")
    path.write_text(broken)
    with pytest.raises(RubricError, match=r"line \d+"):
        load_rubric(path)
