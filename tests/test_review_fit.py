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


# Replays stored data against the calibration sets (as the suite does): make test, not test-fast.
@pytest.mark.slow
def test_answers_as_first_scored_reproduce_the_recorded_first_marks():
    # One blind wave marked again by the rubrics of its first score (from git): the marks a
    # new class got then, which is what the flag must learn to catch. Today's engine marks the
    # replay, so an engine change may move an old answer's replayed mark (round 68's "the other
    # model" moved one of wave 42's); wave 125's q1_i is replayed exactly, and its marks today
    # differ from the first ones on 15 answers, so the replay cannot be today's rubric.
    import yaml

    wave = CALIBRATION / "wave125_q1_i.yaml"
    data = yaml.safe_load(wave.read_text())
    recorded = data["first_score"]["marks"]
    folder = REPO / "solutions" / "calibration"
    got = fit.first_score_rows(folder, {"q1_i": RUBRICS / "q1_i.yaml"}, only=[wave.name])
    if got.missing:
        pytest.skip("this clone has no git history of the rubrics (a shallow clone)")
    rows = [r for r in got.rows if r.file == wave.name + fit.FIRST]
    assert len(rows) == len(recorded) == 25
    # a row is mis-marked exactly when the recorded first mark was half a mark or more off
    humans = {a["id"]: a["human"] for a in data["answers"]}
    for row in rows:
        assert row.off == (abs(recorded[row.id] - humans[row.id]) >= 0.5), row.id
    # ... which today's rubric would not give: the replay read the rubric of that commit
    today = load_rubric(RUBRICS / "q1_i.yaml")
    answers = {a["id"]: a["answer"] for a in data["answers"]}
    moved = sum((abs(score_answer(today, answers[i]).score - humans[i]) >= 0.5)
                != (abs(recorded[i] - humans[i]) >= 0.5) for i in recorded)
    assert moved >= 10


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


def test_stored_rows_as_first_scored_are_read_back_only_under_their_own_fingerprint(tmp_path):
    # fit-review keeps the rows as first scored beside the model; they are a pure function of
    # the engine, the calibration files and the library versions, and a file computed under
    # anything else is ignored: the rows are marked again, never taken on trust.
    src = CALIBRATION / "wave42_q2.yaml"
    wave = tmp_path / src.name
    wave.write_text(src.read_text())
    paths = {"q2": RUBRICS / "q2.yaml"}
    cache = tmp_path / fit.FIRST_ROWS_FILE
    fresh = fit.first_score_rows(tmp_path, paths, cache=cache, write_cache=True)
    assert cache.is_file()
    fingerprint = fit.rows_fingerprint(tmp_path, paths)
    assert fit.read_rows_cache(cache, fingerprint) == fresh

    # a forged file under a stale fingerprint is not read
    forged = fit.FirstScored([Row(src.name + fit.FIRST, "42", "w42-q2-01", {"x": 1.0}, True)],
                             [])
    fit.write_rows_cache(cache, "stale", forged)
    assert fit.first_score_rows(tmp_path, paths, cache=cache) == fresh
    # the same rows write the same bytes, and any change to a training file changes the key
    fit.write_rows_cache(cache, fingerprint, fresh)
    first_bytes = cache.read_bytes()
    fit.write_rows_cache(cache, fingerprint, fresh)
    assert cache.read_bytes() == first_bytes
    wave.write_text(src.read_text() + "\n# one more line\n")
    assert fit.rows_fingerprint(tmp_path, paths) != fingerprint
    assert fit.read_rows_cache(cache, fit.rows_fingerprint(tmp_path, paths)) is None
    # an unreadable file is a miss, not a crash
    cache.write_bytes(b"not gzip")
    assert fit.read_rows_cache(cache, fingerprint) is None


def test_rows_read_back_fit_the_same_model_as_rows_computed():
    # Sparse storage drops zero features; the model must not notice.
    rows = [Row(f"w{k % 4}.yaml" + fit.FIRST, f"wave{k % 4}", f"a{k}",
                {"x": float(k % 5), "y": 0.0, "z": float(k % 3 == 0)}, k % 5 == 4)
            for k in range(200)]
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / fit.FIRST_ROWS_FILE
        fit.write_rows_cache(path, "key", fit.FirstScored(rows, []))
        back = fit.read_rows_cache(path, "key")
    assert back is not None and [r.id for r in back.rows] == [r.id for r in rows]
    assert fit.drift(fit.fit(rows).model, fit.fit(back.rows).model) == []


def test_the_modules_left_out_of_the_fingerprints_are_not_used_in_marking():
    # Stored rows and stored marks are keyed by the rubric package's source, less the modules
    # that mark nothing (the command line, the linter, the report over stored marks): no module
    # that marks may import one of those.
    import ast

    package = REPO / "autograder" / "rubric"
    for source in sorted(package.glob("*.py")):
        if source.name in fit.NOT_MARKING:
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                named = [node.module] if node.module else [a.name for a in node.names]
                assert not {f"{n.split('.')[0]}.py" for n in named} & fit.NOT_MARKING, (
                    f"{source.name} imports {named}: it marks with a module the fingerprints "
                    "leave out")


def test_a_sets_header_is_read_without_its_answers(tmp_path):
    # The header (part, kind, wave, first score) is all the flag's training and the suite need
    # from each of thousands of answers' files: read without parsing the answers, it is the
    # same as the whole file's top level without them.
    from autograder.yamlio import safe_load

    for name in ("wave42_q2.yaml", "wave290_q2.yaml", "heldout_q2.yaml"):
        path = CALIBRATION / name
        whole = safe_load(path.read_text())
        whole.pop("answers")
        assert fit.read_header(path) == whole, name
    # a file in flow style, or with answers nowhere, is read whole
    odd = tmp_path / "odd.yaml"
    odd.write_text('{part: q2, kind: heldout, answers: [{id: a, human: 1, answer: "x: y"}]}\n')
    assert fit.read_header(odd) == {"part": "q2", "kind": "heldout"}
    plain = tmp_path / "plain.yaml"
    plain.write_text("part: q3\nwave: 7\nfirst_score:\n  n: 1\n")
    assert fit.read_header(plain) == {"part": "q3", "wave": 7, "first_score": {"n": 1}}
