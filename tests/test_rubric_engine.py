"""Each mechanism of the rubric engine, with answers that should pass and answers that should fail.

A small toy rubric (dogs, cats, detail) keeps the tests independent of the assignment's rubrics;
a few tests also run the real rubrics where the behaviour matters for students.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from autograder.rubric import RubricError, load_rubric, quadratic_weighted_kappa, score_answer
from autograder.rubric.cli import main, register
from autograder.rubric.lint import lint_rubric

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "solutions" / "rubrics"

TOY = """\
part: toy
max_marks: 3.5
settings:
  window: 4
synonyms:
  cat: [=cat, feline, "house cat"]
  dog: [=dog, canine, hound]
  chase: [chase, pursue, "run after"]
  lose: [lose, losing, drop, sacrifice]
  detail: [detail, resolution]
  preserve: [preserve, keep, maintain]
actors:
  cat: "@cat"
  dog: "@dog"
concepts:
  - id: chasing
    marks: 1
    feedback: Say which animal runs after which.
    phrasings:
      - {actor: dog, does: "@chase @cat", window: 5}
  - id: detail
    marks: 1
    feedback: Think about what happens to the fine structure.
    phrasings:
      - "without @lose @detail"
      - "@preserve @detail"
    contradicts:
      - "@lose @detail"
  - id: long_word
    marks: 0.5
    feedback: Name the operation.
    phrasings:
      - "transformation"
  - id: short_word
    marks: 0.5
    feedback: Name the structure.
    phrasings:
      - "=map"
  - id: ordered
    marks: 0.5
    feedback: Give the order.
    phrasings:
      - {match: "first second", order: strict, window: 3}
guards:
  keyword_list: {cap: 0}
  keyword_density: {cap: 0.5}
  equations_only: {cap: 1}
  too_long: {max_words: 40}
"""


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("rubric") / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    return load_rubric(path)


def earned(rubric, text: str, concept: str) -> float:
    result = score_answer(rubric, text)
    return next(c.earned for c in result.concepts if c.id == concept)


# --------------------------------------------------------------------------- words
def test_stems_and_plurals_match(toy):
    assert earned(toy, "The dogs chased the cats all day.", "chasing") == 1
    assert earned(toy, "The hound pursues a feline.", "chasing") == 1


def test_typos_in_long_words_are_tolerated(toy):
    assert earned(toy, "It is a transformaton.", "long_word") == 0.5
    assert earned(toy, "It is a trasnformation.", "long_word") == 0.5  # transposition
    assert earned(toy, "It is a tranzformashun.", "long_word") == 0


def test_short_words_are_never_fuzzy(toy):
    assert earned(toy, "We draw a map.", "short_word") == 0.5
    assert earned(toy, "We draw a maps.", "short_word") == 0.5
    assert earned(toy, "We use a mop.", "short_word") == 0


def test_real_typos_and_paraphrases(real):
    assert (
        earned(
            real["q2"], "VQVAE latent is discreet while VAE latent is continous.", "vqvae_discrete"
        )
        == 1
    )
    assert (
        earned(real["q3"], "The genrator produces fake images from random noize.", "generator_role")
        == 0.5
    )
    # "generates" is a form of "generate", not a typo of the actor "generator"
    assert (
        earned(real["q3"], "The discriminator generates images from noise.", "generator_role") == 0
    )


# --------------------------------------------------------------------------- proximity
def test_window_limits_distance(toy):
    assert earned(toy, "We preserve the fine detail.", "detail") == 1
    far = "We preserve many things like colour, shape, size, speed and finally detail."
    assert earned(toy, far, "detail") == 0


def test_strict_order(toy):
    assert earned(toy, "first then second", "ordered") == 0.5
    assert earned(toy, "second then first", "ordered") == 0


def test_match_stays_inside_a_sentence(toy):
    assert earned(toy, "We preserve it. Detail matters.", "detail") == 0


# --------------------------------------------------------------------------- actors
def test_actor_action_binding(toy):
    assert earned(toy, "The dog chases the cat.", "chasing") == 1
    assert earned(toy, "The cat is chased by the dog.", "chasing") == 1
    assert earned(toy, "The cat, which the dog likes, is chased by the dog.", "chasing") == 1


def test_role_swap_earns_nothing(toy):
    assert earned(toy, "The cat chases the dog.", "chasing") == 0
    assert earned(toy, "The dog is chased by the cat.", "chasing") == 0


def test_role_swap_in_real_rubrics(real):
    swapped = (
        "The discriminator generates fake images from noise and the generator decides "
        "whether the images are real or fake."
    )
    result = score_answer(real["q3"], swapped)
    assert {c.id: c.earned for c in result.concepts}["generator_role"] == 0
    assert {c.id: c.earned for c in result.concepts}["discriminator_role"] == 0
    right = (
        "The generator generates fake images from noise and the discriminator decides "
        "whether the images are real or fake."
    )
    assert score_answer(real["q3"], right).score == 1


def test_subject_survives_gerund_and_relative_clause(real):
    text = "The generator tries to fool the discriminator, which classifies images as real or fake."
    result = {c.id: c.earned for c in score_answer(real["q3"], text).concepts}
    assert result["adversarial"] == 1 and result["discriminator_role"] == 0.5


# --------------------------------------------------------------------------- negation
@pytest.mark.parametrize(
    "text",
    [
        "The dog does not chase the cat.",
        "The dog doesn't chase the cat.",
        "The dog never chases the cat.",
        "The dog cannot chase the cat.",
        "The dog fails to chase the cat.",
    ],
)
def test_negated_phrasing_does_not_count(toy, text):
    assert earned(toy, text, "chasing") == 0


def test_not_only_is_not_a_negation(toy):
    assert earned(toy, "Not only does the dog chase the cat, it also barks.", "chasing") == 1


def test_negation_scope_ends_at_clause(toy):
    assert earned(toy, "It is not slow, and we preserve detail.", "detail") == 1
    assert earned(toy, "Without pooling, we preserve detail.", "detail") == 1


def test_explicit_negator_phrasing(toy):
    assert earned(toy, "It works without losing detail.", "detail") == 1
    assert earned(toy, "It works while losing detail.", "detail") == 0


def test_passive_subject_before_explicit_negator(real):
    text = "The feature map resolution is not reduced."
    assert earned(real["q1_iii"], text, "no_loss_or_cost") == 0.5


# --------------------------------------------------------------------------- contradictions
def test_contradiction_cancels_and_is_reported(toy):
    result = score_answer(toy, "We preserve detail. Sadly we also lose detail.")
    assert {c.id: c.earned for c in result.concepts}["detail"] == 0
    assert "contradiction" in result.flags
    assert ("contradiction", "detail: stated and contradicted") in result.signals
    # Whether it is also flagged is the review weights' business (review.py): a contradiction
    # alone did not predict a mis-mark on the calibration sets, and a rubric may weigh it.
    weighed = score_answer(replace(toy, settings=replace(
        toy.settings, review_weights=(("contradiction", 0.5),))),
        "We preserve detail. Sadly we also lose detail.")
    assert weighed.needs_review and weighed.reasons == ["detail: stated and contradicted"]


def test_negated_contradiction_does_not_cancel(toy):
    assert earned(toy, "We preserve detail and we never lose detail.", "detail") == 1


def test_contradiction_in_real_rubric(real):
    text = (
        "Dilated convolution gets a bigger receptive field without extra parameters, but it "
        "downsamples the resolution like pooling."
    )
    result = score_answer(real["q1_iii"], text)
    assert result.score == 0.5 and "contradiction" in result.flags
    # extra weights claimed beside "no extra parameters": the rubric's misconception, flagged
    text = (
        "Dilated convolution gets a bigger receptive field without extra parameters, but it adds "
        "a lot of parameters compared to standard convolution."
    )
    result = score_answer(real["q1_iii"], text)
    assert result.score == 0.5 and "misconception" in result.flags


# --------------------------------------------------------------------------- guards
def test_keyword_list_is_capped_and_not_flagged(toy):
    # The cap marks a bare list right (0): flagging it would bury the flags that matter.
    result = score_answer(toy, "dog, cat, chase, detail, preserve, transformation, map")
    assert "keyword-list" in result.flags and not result.needs_review
    assert result.score == 0


def test_unpunctuated_keyword_blob_is_a_list(real):
    result = score_answer(real["q2"], "VQ-VAE VAE discrete continuous codebook Gaussian KL prior")
    assert "keyword-list" in result.flags and result.score == 0


def test_keyword_density_is_capped(real):
    text = (
        "FCN uses downsampling and upsampling for memory, computation, receptive field, context, "
        "resolution and pixel-wise dense prediction."
    )
    result = score_answer(real["q1_i"], text)
    assert "keyword-density" in result.flags and result.score <= 0.5


def test_terse_prose_is_not_a_keyword_list(real):
    text = (
        "Downsampling: bigger receptive field and less computation. Upsampling: the output has "
        "the same size as the input (dense prediction)."
    )
    result = score_answer(real["q1_i"], text)
    assert result.score == 2 and "keyword-list" not in result.flags


def test_equations_only_is_capped(real):
    text = r"$\min_G \max_D \mathbb{E}_x[\log D(x)] + \mathbb{E}_z[\log(1 - D(G(z)))]$"
    result = score_answer(real["q3"], text)
    assert "equations-only" in result.flags and result.score <= 1


def test_equations_with_explanation_are_not_capped(real):
    text = (
        "The generator maps random noise z to fake images and the discriminator classifies real "
        "versus fake; they play min_G max_D V(D, G) until the generated distribution matches the "
        "data distribution."
    )
    result = score_answer(real["q3"], text)
    assert "equations-only" not in result.flags and result.score == 3


def test_long_answer_is_flagged(toy):
    result = score_answer(toy, "The dog chases the cat. " + "Words go on and on. " * 20)
    assert "too-long" in result.flags and result.needs_review
    assert result.score == 1  # flag only, no cap configured


def test_huge_answer_is_truncated_not_crashed(real):
    text = "The generator makes fake images from noise. " * 5000
    result = score_answer(real["q3"], text)
    assert "truncated" in result.flags and 0 <= result.score <= 3


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "😀" * 50,
        "中文答案：生成器和判别器",
        "\x00'",
        "n't",
        "(((((",
        "é" * 3000,
        "'s 's",
    ],
)
def test_any_string_is_accepted(real, text):
    for rubric in real.values():
        result = score_answer(rubric, text)
        assert 0 <= result.score <= rubric.max_marks
        assert result.score * 2 == int(result.score * 2)
        json.dumps(result.to_dict())


def test_empty_answer_earns_zero(real):
    for rubric in real.values():
        result = score_answer(rubric, "")
        assert result.score == 0 and not result.needs_review and "empty" in result.flags


# --------------------------------------------------------------------------- results
def test_spans_point_at_the_matched_text(toy):
    text = "Every morning the dog chases our cat."
    result = score_answer(toy, text)
    chasing = next(c for c in result.concepts if c.id == "chasing")
    snippets = [text[a:b] for a, b in chasing.spans]
    assert snippets == ["dog chases", "cat"]


def test_spans_with_non_ascii_prefix(real):
    text = "Résumé — 生成器: The discriminator classifies images as real or fake."
    result = score_answer(real["q3"], text)
    role = next(c for c in result.concepts if c.id == "discriminator_role")
    assert [text[a:b] for a, b in role.spans] == ["discriminator classifies", "real"]


def test_confidence_and_review(toy):
    sure = score_answer(toy, "The dog chases the cat.")
    assert 0 <= sure.confidence <= 1 and not sure.needs_review
    typo = score_answer(toy, "It is a transformaton.")
    concept = next(c for c in typo.concepts if c.id == "long_word")
    assert concept.confidence < 0.95


def test_student_feedback_never_shows_phrasings(real):
    for rubric in real.values():
        for text in ("", "Something vague about networks."):
            feedback = score_answer(rubric, text).student_feedback()
            assert "@" not in feedback and "[" not in feedback  # no families, no spans
            for _cid, _kind, phrasing in rubric.all_phrasings():
                assert phrasing.source not in feedback


def test_feedback_does_not_give_the_answer_away(real):
    # Handing a concept's own hint back as an answer must not earn that concept.
    for rubric in real.values():
        for concept in rubric.concepts:
            assert earned(rubric, concept.feedback, concept.id) == 0, (rubric.part, concept.id)


def test_staff_feedback_shows_snippets_and_flags(real):
    result = score_answer(real["q2"], "VQ-VAE's latent is discrete, the VAE's is continuous.")
    staff = result.staff_feedback()
    assert "discrete" in staff and "confidence" in staff and "vqvae_discrete: 1/1" in staff


def test_result_is_json_able(real):
    data = score_answer(real["q3"], "The generator fools the discriminator.").to_dict()
    assert json.loads(json.dumps(data))["score"] == 1


# --------------------------------------------------------------------------- schema
def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_schema_error_names_file_line_and_fix(tmp_path):
    path = write(
        tmp_path,
        """\
        part: x
        max_marks: 1
        concepts:
          - id: a
            marks: 1
            feedback: hint
            phrasings: ["word"]
            colour: red
        """,
    )
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert str(path) in message and "line 8" in message and "use one of" in message


def test_unknown_family_names_line(tmp_path):
    path = write(
        tmp_path,
        """\
        part: x
        max_marks: 1
        concepts:
          - id: a
            marks: 1
            feedback: hint
            phrasings:
              - "@nothing here"
        """,
    )
    with pytest.raises(RubricError, match=r"line 8: unknown synonym family '@nothing'"):
        load_rubric(path)


def test_yaml_syntax_error_names_line(tmp_path):
    path = write(tmp_path, "part: x\nmax_marks: [1\nconcepts: []\n")
    with pytest.raises(RubricError, match=r"bad.yaml, line \d+: invalid YAML"):
        load_rubric(path)


def test_stopword_only_phrasing_is_rejected(tmp_path):
    path = write(
        tmp_path,
        """\
        part: x
        max_marks: 1
        concepts:
          - id: a
            marks: 1
            feedback: hint
            phrasings: ["the of and"]
        """,
    )
    with pytest.raises(RubricError, match="only stopwords"):
        load_rubric(path)


def test_marks_must_be_steps(tmp_path):
    path = write(
        tmp_path,
        """\
        part: x
        max_marks: 1
        concepts:
          - id: a
            marks: 0.3
            feedback: hint
            phrasings: ["word"]
        """,
    )
    with pytest.raises(RubricError, match="line 5"):
        load_rubric(path)


# --------------------------------------------------------------------------- lint
def test_lint_finds_impossible_and_shared_phrasings(tmp_path):
    path = write(
        tmp_path,
        """\
        part: x
        max_marks: 2
        settings: {window: 2}
        concepts:
          - id: a
            marks: 1
            feedback: hint
            phrasings: ["alpha beta gamma", "delta"]
          - id: b
            marks: 0.5
            feedback: hint
            phrasings: ["delta"]
        """,
    )
    issues = [str(i) for i in lint_rubric(load_rubric(path), expected_marks=3, expected_part="x")]
    text = "\n".join(issues)
    assert "can never match" in text
    assert "used by both 'a'" in text
    assert "add up to 1.5" in text
    assert "differs from the manifest's 3" in text


def test_lint_warns_of_a_lone_stopword_alternative(tmp_path):
    path = write(
        tmp_path,
        """\
        part: x
        max_marks: 1
        concepts:
          - id: a
            marks: 1
            feedback: hint
            phrasings: ["higher (than|beyond) input", "lower (=than|below) input"]
        """,
    )
    issues = [str(i) for i in lint_rubric(load_rubric(path))]
    assert len(issues) == 1 and "'than' in phrasing 'higher (than|beyond) input'" in issues[0]
    # The compiler drops the stopword: only "beyond" fills the slot, "=than" keeps it.
    rubric = load_rubric(path)
    assert score_answer(rubric, "higher than the input").score == 0
    assert score_answer(rubric, "lower than the input").score == 1


def test_lint_warns_of_a_stopword_dropped_from_an_except_pattern(tmp_path):
    # "continuous (too|also)" loses its stopwords and vetoes every "continuous".
    path = write(
        tmp_path,
        """\
        part: x
        max_marks: 1
        concepts:
          - id: a
            marks: 1
            feedback: hint
            phrasings:
              - {match: "continuous output", window: 3,
                 except: [{match: "continuous (too|also)", window: 2, order: strict}]}
        """,
    )
    issues = [str(i) for i in lint_rubric(load_rubric(path))]
    assert any("'too' in phrasing" in i for i in issues), issues


def test_lint_of_the_repository_rubrics_is_clean():
    assert main(["lint", "--manifest", str(REPO / "solutions" / "manifest.yaml")]) == 0


# --------------------------------------------------------------------------- cli
def test_cli_score(capsys):
    code = main(
        [
            "score",
            "q2",
            "VQ-VAE's latent is discrete; VAE's is continuous.",
            "--manifest",
            str(REPO / "solutions" / "manifest.yaml"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "q2: 2/2" in out and "'discrete'" in out


def test_cli_score_json_from_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("The generator fools the discriminator."))
    code = main(
        [
            "rubric",
            "score",
            "q3",
            "--file",
            "-",
            "--json",
            "--manifest",
            str(REPO / "solutions" / "manifest.yaml"),
        ]
    )
    assert code == 0 and json.loads(capsys.readouterr().out)["score"] == 1


def test_cli_unknown_part_is_a_clear_error(capsys):
    code = main(["score", "q9", "x", "--manifest", str(REPO / "solutions" / "manifest.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and "no text part 'q9'" in err and "q2" in err


def test_register_adds_rubric_command():
    parser = argparse.ArgumentParser(prog="a2")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(
        ["rubric", "lint", "--manifest", str(REPO / "solutions" / "manifest.yaml")]
    )
    assert args.func(args) == 0


# --------------------------------------------------------------------------- kappa
def test_quadratic_weighted_kappa():
    assert quadratic_weighted_kappa([0, 1, 2], [0, 1, 2], 0.5, 2) == 1.0
    assert quadratic_weighted_kappa([0, 0, 2, 2], [2, 2, 0, 0], 1, 2) < 0
    value = quadratic_weighted_kappa([0, 1, 2, 1], [0, 1, 1, 1], 1, 2)
    assert 0 < value < 1
