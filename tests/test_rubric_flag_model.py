"""The review flag as a fitted model: the features it reads, the model file it loads, the fit
that writes it, and a calibration suite that measures it only where it did not learn."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from autograder.rubric import load_rubric, score_answer
from autograder.rubric.fit import (
    TARGET_RATE,
    Row,
    choose_threshold,
    drift,
    fit,
    group_of,
    logistic,
    model_text,
    out_of_fold,
    trains_flag,
)
from autograder.rubric.review import ReviewModel, assess_model
from autograder.rubric.schema import REVIEW_MODEL_FILE, RubricError, load_review_model
from autograder.rubric.suite import run_suite

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "solutions" / "rubrics"
CALIBRATION = REPO / "solutions" / "calibration"


@pytest.fixture(scope="module")
def real():
    return {p: load_rubric(RUBRICS / f"{p}.yaml") for p in ("q1_i", "q1_iii", "q2", "q3")}


# --------------------------------------------------------------------------- features
def test_a_full_answer_reads_as_full_with_nothing_lost(real):
    text = ("The VAE's latent is continuous: the encoder outputs a Gaussian and z is sampled "
            "from it. VQ-VAE's latent is discrete: each encoder output is replaced by its "
            "nearest codebook vector.")
    f = score_answer(real["q2"], text).features
    assert f["score:full"] == 1 and f["part:q2"] == 1
    assert "shortfall" not in f and "score:zero" not in f
    assert f["words"] == pytest.approx(np.log1p(len(text.split())))


def test_one_loose_word_is_seen_with_its_reason(real):
    # Not a list of applications (the rubric withdraws every point of those, below): one loose
    # word ("tricks", "synthesis") still earns part of a concept, and the features say so.
    # (Said of an unnamed network: said of "GANs", the whole model, it earns nothing.)
    result = score_answer(real["q3"], "The network does image synthesis with some other tricks.")
    assert result.features.get("loose-credit") == 1
    assert result.features["shortfall"] == pytest.approx(1 - result.score / 3)


def test_a_list_of_what_gans_are_used_for_earns_nothing(real):
    # The scheme: an off-topic answer earns 0 whatever words it uses.
    result = score_answer(real["q3"], "GANs with a generator, a discriminator and an "
                                      "adversarial loss are used for super-resolution, style "
                                      "transfer and deepfakes.")
    assert result.score == 0
    assert "misconception" in result.flags


def test_roles_said_of_the_wrong_actor_are_seen(real):
    text = ("The discriminator generates images from random noise and the generator classifies "
            "them as real or fake.")
    f = score_answer(real["q3"], text).features
    assert f.get("actor-mismatch") == 1 and f.get("sig:wrong-actor") == 1


def test_hedges_typos_and_a_negator_by_a_credited_statement_are_seen(real):
    f = score_answer(real["q2"], "Maybe VQ-VAE uses a discret latent, I think, while the VAE "
                                 "latent is continous?").features
    assert f["hedges"] == 3 and f.get("typo-credit") == 1
    f = score_answer(real["q2"], "The VAE's latent is not discrete; it is continuous and "
                                 "Gaussian. VQ-VAE's latent is discrete.").features
    assert f.get("negation-near-credit", 0) >= 1


def test_words_of_a_missed_concept_grow_the_shortfall_features(real):
    short = score_answer(real["q3"], "It makes pictures.").features
    rich = score_answer(real["q3"], "The generator and discriminator are trained; the fake "
                                    "images and the real images, the data distribution.").features
    assert rich.get("uncredited-terms", 0) > short.get("uncredited-terms", 0)
    assert rich.get("terms-x-shortfall", 0) > short.get("terms-x-shortfall", 0)


def test_an_empty_answer_has_no_features_and_no_flag(real):
    result = score_answer(real["q2"], "")
    assert result.features == {} and not result.needs_review and not result.reasons


# --------------------------------------------------------------------------- the model file
MODEL = {"threshold": 0.5, "intercept": -1.0,
         "features": [{"name": "sig:near-miss", "weight": 2.0, "scale": 1.0, "mean": 0.1},
                      {"name": "words", "weight": 0.5, "scale": 2.0, "mean": 3.0},
                      {"name": "score:full", "weight": -3.0, "scale": 0.5}]}


def test_a_model_computes_the_logistic_probability_and_gives_reasons_only_when_flagged():
    model = ReviewModel.from_dict(MODEL, "m.yaml")
    values = {"sig:near-miss": 1.0, "words": 4.0}
    z = -1.0 + 2.0 * 1.0 / 1.0 + 0.5 * 4.0 / 2.0
    assert model.probability(values) == pytest.approx(1 / (1 + np.exp(-z)))
    reasons, risk, flagged = assess_model(model, values, {"sig:near-miss": "near", "words": "4"})
    assert flagged and risk == pytest.approx(1 / (1 + np.exp(-z)), abs=1e-3)
    assert [s.id for s in reasons] == ["near-miss", "words"]      # strongest push first
    assert reasons[0].reason == "near"
    reasons, _, _ = assess_model(model, values, {"sig:near-miss": "same", "words": "same"})
    assert [s.reason for s in reasons] == ["same"]                  # a reason is given once
    reasons, risk, flagged = assess_model(model, {"score:full": 1.0}, {"score:full": "full"})
    assert not flagged and reasons == [] and risk < 0.01


@pytest.mark.parametrize("bad, message", [
    ({"threshold": 0.5, "intercept": 0}, "features"),
    ({**MODEL, "threshold": 1.5}, "probability"),
    ({**MODEL, "intercept": "x"}, "intercept"),
    ({**MODEL, "features": [{"name": "a", "weight": 1, "scale": 0}]}, "scale"),
    ({**MODEL, "features": [{"weight": 1}]}, "name"),
])
def test_a_broken_model_file_is_refused_with_what_to_fix(bad, message):
    with pytest.raises(ValueError, match=message):
        ReviewModel.from_dict(bad, "m.yaml")


def test_a_rubric_loads_the_model_beside_it_and_marks_the_same(tmp_path, real):
    shutil.copy(RUBRICS / "q2.yaml", tmp_path / "q2.yaml")
    bare = load_rubric(tmp_path / "q2.yaml")
    assert bare.review_model is None
    (tmp_path / REVIEW_MODEL_FILE).write_text(yaml.safe_dump(MODEL), encoding="utf-8")
    with_model = load_rubric(tmp_path / "q2.yaml")
    assert with_model.review_model is not None and with_model.review_model.threshold == 0.5
    text = "VQ-VAE quantises; the VAE does not."
    assert score_answer(bare, text).score == score_answer(with_model, text).score
    (tmp_path / REVIEW_MODEL_FILE).write_text("threshold: 2\n", encoding="utf-8")
    with pytest.raises(RubricError, match=REVIEW_MODEL_FILE):
        load_rubric(tmp_path / "q2.yaml")


def test_the_stored_model_is_loaded_with_every_rubric(real):
    stored = load_review_model(RUBRICS / REVIEW_MODEL_FILE)
    assert stored is not None
    assert all(r.review_model == stored for r in real.values())
    data = yaml.safe_load((RUBRICS / REVIEW_MODEL_FILE).read_text())
    assert data["cross_validated"]["scheme"] == "leave one wave out"


# --------------------------------------------------------------------------- fitting
def _rows(rng, n=240, groups=4):
    rows = []
    for i in range(n):
        signal = float(rng.random() < 0.3)
        noise = float(rng.normal())
        off = rng.random() < (0.6 if signal else 0.05)
        rows.append(Row("f.yaml", f"g{i % groups}", str(i), {"signal": signal, "noise": noise},
                        bool(off)))
    return rows


def test_logistic_regression_learns_the_predictive_feature_and_shrinks_with_l2():
    rng = np.random.default_rng(0)
    rows = _rows(rng)
    x = np.array([[r.values["signal"], r.values["noise"]] for r in rows])
    y = np.array([r.off for r in rows], dtype=float)
    w = logistic(x, y, 1.0)
    assert w[1] > 1.5 and abs(w[2]) < 0.5
    assert abs(logistic(x, y, 1000.0)[1]) < w[1]


def test_the_threshold_keeps_the_rate_and_cross_validation_leaves_each_group_out():
    probs = np.array([0.9, 0.8, 0.8, 0.4, 0.3, 0.2, 0.1, 0.1, 0.05, 0.0])
    t = choose_threshold(probs, 0.25)                    # 2 of 10 allowed; a tie at 0.8
    assert (probs >= t).sum() <= 2 and t > 0.4
    rng = np.random.default_rng(1)
    rows = _rows(rng)
    oof = out_of_fold(rows, ["signal", "noise"], 1.0)
    signal = np.array([r.values["signal"] for r in rows]) == 1
    assert oof[signal].mean() > oof[~signal].mean()


@pytest.mark.parametrize("l2", [0.3, 30.0])
def test_each_rows_probability_is_the_plain_fit_without_its_wave(l2):
    # A fold is a model standardised and fitted on the other waves alone, whatever shortcut
    # computes it; here against logistic() on exactly those rows. The third feature is
    # nonzero in one wave only (constant elsewhere), and the waves differ in size.
    rng = np.random.default_rng(3)
    rows = []
    for i in range(600):
        group = f"g{min(i // 60, 7)}"
        signal = float(rng.random() < 0.4)
        rare = float(group == "g2" and rng.random() < 0.5)
        off = rng.random() < 0.15 + 0.6 * signal - 0.1 * rare
        rows.append(Row("f.yaml", group, str(i), {"signal": signal, "noise": rng.normal(),
                                                  "rare": rare}, bool(off)))
    names = ["noise", "rare", "signal"]
    got = out_of_fold(rows, names, l2)
    x = np.array([[r.values[n] for n in names] for r in rows])
    y = np.array([r.off for r in rows], dtype=float)
    groups = np.array([r.group for r in rows])
    for g in sorted(set(groups)):
        out = groups == g
        scales = x[~out].std(axis=0)
        scales[scales < 1e-9] = 1.0
        w = logistic(x[~out] / scales, y[~out], l2)
        expected = 1 / (1 + np.exp(-(w[0] + (x[out] / scales) @ w[1:])))
        assert np.allclose(got[out], expected, rtol=0, atol=1e-8), g


def test_fit_chooses_l2_and_threshold_and_the_model_file_round_trips(tmp_path):
    result = fit(_rows(np.random.default_rng(2)))
    assert result.cv.rate <= TARGET_RATE + 1e-9 and result.cv.recall > 0.5
    assert set(result.cv_by_group) == {"g0", "g1", "g2", "g3"}
    path = tmp_path / REVIEW_MODEL_FILE
    path.write_text(model_text(result), encoding="utf-8")
    loaded = load_review_model(path)
    assert loaded is not None and drift(loaded, result.model) == []
    moved = ReviewModel(loaded.names, tuple(w + 0.1 for w in loaded.weights), loaded.scales,
                        loaded.means, loaded.intercept, loaded.threshold)
    assert drift(loaded, moved)


def test_fit_refuses_data_without_both_outcomes():
    rows = [Row("f", "g", str(i), {"a": 1.0}, False) for i in range(10)]
    with pytest.raises(RubricError, match="mis-marked"):
        fit(rows)


def test_which_sets_train_the_flag_and_their_waves():
    assert trains_flag({"kind": "tuned"}) and trains_flag({})
    assert not trains_flag({"kind": "heldout"})
    assert trains_flag({"kind": "heldout", "flag_training": True})
    assert group_of(Path("wave7_q2.yaml"), {"part": "q2", "wave": 7}) == "wave7"
    assert group_of(Path("review_q1_i.yaml"), {"part": "q1_i"}) == "review"
    assert group_of(Path("q3.yaml"), {"part": "q3"}) == "seed"


# --------------------------------------------------------------------------- the suite
def test_a_new_held_out_set_is_measured_for_the_flag_with_counts(tmp_path):
    trained = CALIBRATION / "heldout_q2.yaml"
    fresh = tmp_path / "wave99_q2.yaml"
    shutil.copy(trained, tmp_path / trained.name)
    text = trained.read_text(encoding="utf-8").replace("flag_training: true\n", "")
    text = text[: text.index("first_score:")] if "first_score:" in text else text
    fresh.write_text(text.replace("kind: heldout\n", "kind: heldout\nwave: 99\n", 1),
                     encoding="utf-8")
    report = run_suite(tmp_path, {"q2": RUBRICS / "q2.yaml"})
    flags = {s.path.name: s.flag_training for s in report.sets}
    assert flags == {"heldout_q2.yaml": True, "wave99_q2.yaml": False}
    held = report.flag_held_out()
    assert held is not None and held.n == len(report.sets[1].report.outcomes)
    out = report.format()
    assert "flag on the held-out sets it never learned from" in out
    assert f"flagged in all {held.flagged}/{held.n}" in out and "precision" in out
    assert "cross-validated on its training sets" in out
    assert report.to_dict()["pooled"]["heldout_flag"]["n"] == held.n


def test_the_grading_data_carries_the_model_beside_the_rubrics(grading_data):
    copied = grading_data / "rubrics" / REVIEW_MODEL_FILE
    assert copied.read_text(encoding="utf-8") == (RUBRICS / REVIEW_MODEL_FILE).read_text(
        encoding="utf-8")
    assert load_rubric(grading_data / "rubrics" / "q3.yaml").review_model is not None
