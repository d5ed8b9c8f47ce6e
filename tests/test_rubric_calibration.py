"""The rubrics against human marks: every part meets its calibration targets, the seed student's
answers earn full marks, and the calibration sets have the variety they claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.rubric import calibrate, load_calibration, load_rubric, score_answer
from autograder.rubric.cli import main
from autograder.rubric.lint import read_manifest

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "solutions" / "manifest.yaml"
PARTS = [tp.id for tp in read_manifest(MANIFEST)]
SEED_IDS = {"q1_i": "q1_i-01", "q1_iii": "q1_iii-01", "q2": "q2-01", "q3": "q3-01"}


@pytest.fixture(scope="module")
def parts():
    out = {}
    for tp in read_manifest(MANIFEST):
        part, entries = load_calibration(tp.calibration_path)
        assert part == tp.id
        out[tp.id] = (load_rubric(tp.rubric_path), entries)
    return out


def test_manifest_names_the_four_text_parts():
    assert sorted(PARTS) == ["q1_i", "q1_iii", "q2", "q3"]


@pytest.mark.parametrize("part", PARTS)
def test_calibration_targets(parts, part):
    rubric, entries = parts[part]
    report = calibrate(rubric, entries, part)
    assert report.mae <= 0.15, report.format()
    assert report.exact >= 0.85, report.format()
    assert not report.trap_violations, report.format()
    assert report.passed, report.format()


@pytest.mark.parametrize("part", PARTS)
def test_seed_answer_earns_full_marks(parts, part):
    rubric, entries = parts[part]
    seed = next(e for e in entries if e.id == SEED_IDS[part])
    assert "seed" in seed.note
    result = score_answer(rubric, seed.answer)
    assert result.score == rubric.max_marks, result.staff_feedback()


def test_seed_answers_are_verbatim_from_the_seed_file(parts):
    # The shared seed file is outside the repository; check it when it is there.
    seed_file = next(iter(sorted((REPO.parent / "shared" / "seed").glob("*.txt"))), None) or next(
        iter(sorted(Path("/work/shared/seed").glob("*.txt"))), None
    )
    if seed_file is None:
        pytest.skip("seed file not available")
    text = " ".join(seed_file.read_text(encoding="utf-8").split())
    for part, (_rubric, entries) in parts.items():
        seed = next(e for e in entries if e.id == SEED_IDS[part])
        assert " ".join(seed.answer.split()) in text, part


def test_seed_total_with_correct_code_reaches_the_bar(parts):
    text_marks = sum(
        score_answer(r, next(e for e in es if e.id == SEED_IDS[p]).answer).score
        for p, (r, es) in parts.items()
    )
    assert text_marks + 4 >= 11.5


@pytest.mark.parametrize("part", PARTS)
def test_calibration_set_has_the_promised_variety(parts, part):
    rubric, entries = parts[part]
    assert len(entries) >= 24
    assert any(e.answer == "" and e.human == 0 for e in entries), "an empty answer"
    assert sum(e.trap for e in entries) >= 5, "adversarial answers"
    assert any(e.human == rubric.max_marks for e in entries)
    assert any(0 < e.human < rubric.max_marks for e in entries), "partial answers"
    ids = {c.id for c in rubric.concepts}
    for e in entries:
        assert e.note, e.id
        assert e.human * 2 == int(e.human * 2) and 0 <= e.human <= rubric.max_marks
        assert e.concepts is not None and set(e.concepts) <= ids, e.id


@pytest.mark.parametrize("part", PARTS)
def test_heldout_sets_stay_close(parts, part):
    # Held-out answers were not tuned on; this only guards against regressions.
    path = REPO / "solutions" / "calibration" / f"heldout_{part}.yaml"
    rubric, _ = parts[part]
    _, entries = load_calibration(path)
    report = calibrate(rubric, entries, str(path))
    assert report.mae <= 0.25 and report.within_half >= 0.85, report.format()


# The held-out figures the rubrics reached (docs/rubric-calibration.md, rounds 37 to 91). After
# round 91 read waves 376 to 382, the pool is the older held-out sets (waves 6, 8, 28 and
# heldout_*) and waves 383 to 388, written blind and scored once with round 91's rubrics (932
# answers). Each bound allows one answer more; no trap is above its human mark + 0.5. The
# review flag's model was fitted on the older held-out sets (flag_training: true), so its
# held-out figure is on wave 28 and waves 383 to 388 (FLAG_HELD_OUT); its cross-validated
# figure, on the training waves as first scored, is FLAG_CROSS_VALIDATED. The last blind
# measures (first scores) are in the README.
HELD_OUT_REACHED = {"n": 932, "mae": 0.031, "exact": 0.949, "off": 47, "trap_excess": 0,
                    "flag_held_out_n": 700}
FLAG_HELD_OUT: dict[str, int] | None = {"off": 37, "off_flagged": 34, "flagged": 141}
FLAG_CROSS_VALIDATED = {"n": 37804, "off": 3323, "off_flagged": 2956, "flagged": 9072}
# The read sets (waves 36 to 382: read after their first score and fixed in general, not answer
# by answer) at the level reached: development figures, held so a change that breaks what was
# fixed on them fails.
READ_REACHED = {"n": 34700, "mae": 0.034, "exact": 0.947, "off": 1809, "trap_excess": 23}


@pytest.fixture(scope="module")
def suite(calibration_suite):
    return calibration_suite


def test_the_marks_measured_are_the_engines_own(suite):
    # The suite may read marks stored under this checkout's fingerprint instead of marking
    # every answer again: one answer in 40 of every set (its first among them) is marked afresh
    # here, and everything the figures read (mark, flags, review flag, credited concepts,
    # features) must agree.
    rubrics = {part: load_rubric(tp.rubric_path) for tp in read_manifest(MANIFEST)
               for part in [tp.id]}
    checked = 0
    for result in suite.sets:
        sample = result.report.outcomes[::40]
        fresh = calibrate(rubrics[result.part], [o.entry for o in sample], str(result.path))
        for stored, now in zip(sample, fresh.outcomes, strict=True):
            assert (stored.score, stored.flags, stored.needs_review, stored.credited,
                    stored.features) == (now.score, now.flags, now.needs_review, now.credited,
                                         now.features), (
                f"{stored.entry.id}: stored marks differ from the engine's; run "
                "'a2 rubric calibrate --all --rescore' and commit current_scores.json.gz")
            checked += 1
    assert checked >= len(suite.sets)


def test_tuned_sets_meet_each_rubrics_thresholds(suite):
    tuned = [r for kind, r in suite.part_reports if kind == "tuned"]
    assert sorted(r.part for r in tuned) == sorted(PARTS)
    assert all(r.passed for r in tuned), [r.failures for r in tuned]


def _holds_level(suite, kind: str, reached: dict) -> None:
    """The pooled figures of a kind of set at the level reached, one answer's margin."""
    p = suite.pooled(kind)
    assert p.n == reached["n"], f"a {kind} set was added or removed: measure and update"
    one = 1 / p.n
    assert p.mae <= reached["mae"] + one + 1e-9
    assert p.exact >= reached["exact"] - one - 1e-3
    assert p.off <= reached["off"] + 1
    assert len(p.trap_excess) <= reached["trap_excess"], p.trap_excess


def test_held_out_sets_hold_the_level_reached(suite):
    reached = HELD_OUT_REACHED
    _holds_level(suite, "heldout", reached)
    # The goals of the short-answer issue that are met stay met.
    p = suite.pooled("heldout")
    assert p.mae <= 0.12 and p.exact >= 0.85
    held = suite.flag_held_out()
    assert (held.n if held else 0) == reached["flag_held_out_n"], (
        "a held-out set the flag never learned from was added: record its flag figures")
    if FLAG_HELD_OUT is None:
        return
    assert held.off <= FLAG_HELD_OUT["off"] + 1
    assert held.off_flagged >= FLAG_HELD_OUT["off_flagged"] - 1
    assert held.flagged <= FLAG_HELD_OUT["flagged"] + 1


def test_read_sets_hold_the_level_reached(suite):
    _holds_level(suite, "read", READ_REACHED)


def test_refitting_the_review_model_reproduces_the_stored_one(suite):
    # The model file cannot drift from the calibration data, the features or the fit: refit
    # on the same answers and compare (a2 rubric fit-review --check does the same).
    from autograder.rubric import fit
    from autograder.rubric.schema import REVIEW_MODEL_FILE, load_review_model

    stored_path = REPO / "solutions" / "rubrics" / REVIEW_MODEL_FILE
    stored = load_review_model(stored_path)
    # today's marks of the training sets, and the blind waves as first scored (their rubrics
    # read from git, as fit-review reads them; the rows fit-review stored beside the model are
    # used only when their fingerprint is this checkout's, and tests/test_review_fit.py checks
    # that fingerprint against every input)
    first = fit.first_score_rows(REPO / "solutions" / "calibration",
                                 {tp.id: tp.rubric_path for tp in read_manifest(MANIFEST)},
                                 cache=stored_path.parent / fit.FIRST_ROWS_FILE)
    assert not first.missing, f"first-score rubrics not in git history: {first.missing[:3]}"
    result = fit.fit(suite.flag_training_rows() + first.rows)
    assert fit.drift(stored, result.model) == [], "refit with 'a2 rubric fit-review'"
    assert fit.stored_figures(stored_path) == result.cv
    cv, reached = result.cv, FLAG_CROSS_VALIDATED
    assert (cv.n, cv.off) == (reached["n"], reached["off"])
    assert cv.off_flagged >= reached["off_flagged"] - 1 and cv.flagged <= reached["flagged"] + 1
    assert cv.rate <= fit.TARGET_RATE + 1e-9


def test_cli_calibrate_all_reports_every_kind_and_exits_on_the_targets(suite, capsys,
                                                                      monkeypatch):
    # The CLI's own wiring (folders from the manifest, report, exit code) on the suite scored
    # once for the session: scoring every set again would only repeat the fixture's work.
    import autograder.rubric.suite as suite_module

    folders = []
    monkeypatch.setattr(suite_module, "run_suite",
                        lambda folder, paths, scores=None, store=False:
                        folders.append((folder, paths, scores, store)) or suite)
    code = main(["calibrate", "--all", "-q", "--manifest", str(MANIFEST)])
    assert [folder.name for folder, *_ in folders] == ["calibration"]
    assert sorted(folders[0][1]) == sorted(PARTS)
    # the marks are kept beside the sets, to be read back while nothing has changed
    assert folders[0][2] == folders[0][0] / suite_module.SCORES_FILE and folders[0][3]
    out = capsys.readouterr().out
    assert "tuned sets" in out and "heldout sets" in out
    assert all(f"{part} all tuned sets" in out for part in PARTS)
    assert code == (0 if suite.passed else 1)
    if not suite.passed:
        assert "FAIL:" in out


def test_cli_calibrate_reads_csv(tmp_path, capsys):
    csv_path = tmp_path / "q2.csv"
    csv_path.write_text(
        "id,answer,human,note,trap,concepts\n"
        "a,\"VQ-VAE's latent is discrete, the VAE's latent is continuous.\",2,both,false,"
        "vqvae_discrete;vae_continuous\n"
        'b,"VAE uses a discrete codebook.",0,swapped,true,\n',
        encoding="utf-8",
    )
    code = main(["calibrate", str(csv_path), "--manifest", str(MANIFEST)])
    out = capsys.readouterr().out
    assert code == 0 and "MAE 0.000" in out


def test_cli_calibrate_fails_below_threshold(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "part: q2\nanswers:\n  - {id: x, answer: 'VQ-VAE is discrete', human: 0}\n",
        encoding="utf-8",
    )
    assert main(["calibrate", str(path), "--manifest", str(MANIFEST)]) == 1
    assert "FAIL" in capsys.readouterr().out


# Second-marker review sets (solutions/calibration/review_<part>.yaml): answers written in the
# voice of students and marked by hand before scoring. Waves 1 and 2 were then used to find
# classes of errors; wave 3 was scored once, before its two generic fixes. They are held to the
# calibration thresholds only where they meet them honestly: q1_i's review set still has a trap
# above its human mark (r-q1_i-10, half a mark for "upsampling ... creates training images of a
# larger size"), so it is measured, not asserted.
REVIEW_ASSERTED = ["q1_iii", "q2", "q3"]
REVIEW_MEASURED = ["q1_i"]


def _review(parts, part):
    path = REPO / "solutions" / "calibration" / f"review_{part}.yaml"
    file_part, entries = load_calibration(path)
    assert file_part == part
    rubric, _ = parts[part]
    return entries, calibrate(rubric, entries, str(path))


@pytest.mark.parametrize("part", REVIEW_ASSERTED)
def test_review_sets_meet_the_calibration_targets(parts, part):
    _entries, report = _review(parts, part)
    assert report.mae <= 0.15 and report.exact >= 0.85, report.format()
    assert not report.trap_violations and report.passed, report.format()


@pytest.mark.parametrize("part", REVIEW_MEASURED)
def test_review_sets_measured_only(parts, part):
    _entries, report = _review(parts, part)
    # Measurement, not a target: guard only against a large regression.
    assert report.mae <= 0.25 and report.within_half >= 0.85, report.format()


@pytest.mark.parametrize("part", PARTS)
def test_review_sets_have_the_promised_variety(parts, part):
    entries, _report = _review(parts, part)
    rubric, _ = parts[part]
    assert len(entries) >= 12
    assert sum(e.trap for e in entries) >= 4
    assert any(e.human == rubric.max_marks for e in entries)
    assert any(0 < e.human < rubric.max_marks for e in entries)
    assert sorted(REVIEW_ASSERTED + REVIEW_MEASURED) == sorted(PARTS)


def test_cli_calibrate_review_csv_infers_the_part(tmp_path, capsys):
    csv_path = tmp_path / "review_q2.csv"
    csv_path.write_text(
        "id,answer,human\na,\"VQ-VAE's latent is discrete, the VAE's latent is continuous.\",2\n",
        encoding="utf-8",
    )
    assert main(["calibrate", str(csv_path), "--manifest", str(MANIFEST)]) == 0
    assert "q2 (" in capsys.readouterr().out
