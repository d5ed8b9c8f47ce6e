"""The grading core on honest submissions: right answers in any form, wrong ones fairly marked."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "solutions" / "a2.py").read_text()


def with_override(code: str) -> str:
    """The reference submission with some definitions replaced (later ones win)."""
    return REFERENCE + "\n\n" + code


FORMS = {
    "list of lists": "return _tc(*a, **k).tolist()",
    "tuple of tuples": "return tuple(tuple(r) for r in _tc(*a, **k).tolist())",
    "numpy.matrix": "return np.matrix(_tc(*a, **k))",
    "float32 array": "return np.asarray(_tc(*a, **k), dtype=np.float32)",
    "float64 array": "return np.asarray(_tc(*a, **k), dtype=np.float64)",
    "int64 or float array": "r = _tc(*a, **k)\n    return r.astype(np.int64) if "
                            "np.all(r == np.round(r)) else r",
    "list of numpy scalars": "return [list(r) for r in _tc(*a, **k)]",
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_transposed_conv_answers_in_any_reasonable_form_get_full_marks(grade_source, form):
    result = grade_source(with_override(
        f"_tc = transposed_conv2d\n\ndef transposed_conv2d(*a, **k):\n    {FORMS[form]}\n"))
    assert result.part("q1_iv").score == 2, result.part("q1_iv").feedback


@pytest.mark.parametrize("form", ["np.int64(_rf(l))", "float(_rf(l))", "np.float32(_rf(l))",
                                  "np.array(_rf(l))"])
def test_receptive_field_int_numpy_int_and_integral_float_all_count(grade_source, form):
    result = grade_source(with_override(
        f"_rf = receptive_field\n\ndef receptive_field(l):\n    return {form}\n"))
    assert result.part("q1_ii").score == 2, result.part("q1_ii").feedback


def test_reference_gets_full_marks_and_stub_gets_zero(grade_source):
    assert grade_source(REFERENCE).score == 12
    stub = grade_source((ROOT / "assignment" / "a2.py").read_text())
    assert stub.score == 0
    assert "not implemented yet" in stub.part("q1_iv").feedback


def test_ignoring_dilation_loses_only_dilated_hidden_cases(grade_source):
    result = grade_source(with_override(
        "def receptive_field(layers):\n"
        "    r, j = 1, 1\n"
        "    for layer in layers:\n"
        "        r += (layer[0] - 1) * j\n"
        "        j *= layer[1]\n"
        "    return r\n"))
    part = result.part("q1_ii")
    public, siblings, hidden = part.groups
    assert public.passed == public.total == 1 and siblings.score == 1
    assert 0 < hidden.passed < hidden.total
    assert 0 <= hidden.score < 1
    assert "dilated" in hidden.feedback and "FAIL" in hidden.feedback


def test_a_crash_in_one_part_never_costs_the_others(grade_source):
    result = grade_source(with_override(
        "def transposed_conv2d(*a, **k):\n    raise ValueError('secret ' + repr(a))\n"))
    assert result.part("q1_iv").score == 0
    assert result.score == 10
    hidden = result.part("q1_iv").groups[1]
    assert "raised ValueError at line" in hidden.feedback
    assert "secret" not in hidden.feedback  # hidden inputs could be in the message


def test_a_raising_function_is_reported_by_standard_type_and_line_only(grade_source, casebook,
                                                                       tmp_path):
    from autograder.casebook import public_view
    from autograder.grade import grade_file

    source = with_override("class Boom_secret(KeyError):\n    pass\n\n\n"
                           "def receptive_field(layers):\n    raise Boom_secret('secret')\n\n\n"
                           "transposed_conv2d = dict.fromkeys\n")
    line = source.splitlines().index("    raise Boom_secret('secret')") + 1
    result = grade_source(source)
    public, *hidden = result.part("q1_ii").groups
    assert public.feedback.endswith(f": raised KeyError (line {line})")
    assert hidden and all(g.feedback.endswith(f"what went wrong: raised KeyError at line {line} "
                                              f"({g.total})") for g in hidden)
    # Raised by a built-in, outside the file: the type alone.
    public, *hidden = result.part("q1_iv").groups
    assert public.feedback.endswith(": raised TypeError")
    assert all(g.feedback.endswith(f"what went wrong: raised TypeError ({g.total})")
               for g in hidden)
    assert "secret" not in "".join(p.feedback for p in result.parts)
    # A student's own check of the public cases adds the exception's message.
    path = tmp_path / "local" / "a2.py"
    path.parent.mkdir()
    path.write_text(source)
    local = grade_file(path, public_view(casebook)).part("q1_ii").groups[0]
    assert local.feedback.endswith(f": raised KeyError: 'secret' (line {line})")


def test_public_case_feedback_says_what_is_wrong_without_the_answer(grade_source):
    result = grade_source(with_override(
        "_tc = transposed_conv2d\n\ndef transposed_conv2d(*a, **k):\n"
        "    return _tc(*a, **k)[:-1]\n"))
    public = result.part("q1_iv").groups[0]
    assert public.score == 0
    assert "shape 3x4" in public.feedback
    assert "37" not in public.feedback


def test_nan_and_non_numeric_returns_score_zero_with_a_message(grade_source):
    nan = grade_source(with_override(
        "def transposed_conv2d(*a, **k):\n    return [[float('nan')]]\n"))
    assert nan.part("q1_iv").score == 0
    text = grade_source(with_override(
        "def transposed_conv2d(*a, **k):\n    return 'the answer'\n"))
    assert text.part("q1_iv").score == 0
    assert "returned a str" in text.part("q1_iv").groups[0].feedback


def test_syntax_error_scores_zero_everywhere_with_the_line(grade_source):
    result = grade_source("Q1_I = 'fine'\ndef receptive_field(:\n")
    assert result.score == 0
    assert "syntax error" in result.problem and "line 2" in result.problem


def test_short_answers_survive_an_import_that_fails_later(grade_source):
    reference = grade_source(REFERENCE)
    broken = grade_source(REFERENCE + "\nraise RuntimeError('boom')\n")
    assert broken.problem and "could not be imported" in broken.problem
    for part_id in ("q1_i", "q1_iii", "q2", "q3"):
        assert broken.part(part_id).score == reference.part(part_id).score


def test_grading_is_deterministic(grade_source):
    first = grade_source(REFERENCE).to_dict()
    second = grade_source(REFERENCE).to_dict()
    assert first == second


def test_a_syntax_error_costs_the_functions_not_the_prose(grade_source, example_source):
    """A careful marker still marks the prose of a file that does not parse: answer strings
    that are plain literals are read token by token, and the syntax error is reported with its
    line for the parts it affects."""
    reference = example_source("reference").decode()
    broken = reference + "\n\ndef helper(x)\n    return x\n"
    result = grade_source(broken)
    line = broken.count("\n", 0, broken.index("def helper(x)")) + 1
    assert result.problem and f"syntax error at line {line}" in result.problem
    for part in ("q1_i", "q1_iii", "q2", "q3"):
        assert result.part(part).score == result.part(part).marks, result.part(part).feedback
        assert "not defined" not in result.part(part).feedback
    assert result.part("q1_ii").score == 0 and result.part("q1_iv").score == 0
    assert "syntax error" in result.part("q1_ii").feedback


@pytest.mark.slow  # marks a class from many threads (make test runs it)
def test_a_compiled_rubric_is_shared_and_marks_alike_from_many_threads(grading_data):
    """A batch grades in threads that share each compiled rubric (compiled once per process);
    marking from several threads at once gives the marks one thread gives."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from autograder.grade import compiled_rubric
    from autograder.rubric import load_rubric, score_answer

    path = grading_data / "rubrics" / "q2.yaml"
    shared = compiled_rubric(path)
    assert compiled_rubric(path) is shared
    # Words no rubric has stemmed yet, so the threads stem them at the same time.
    answers = [f"VQ-VAE quantises{i} its latent{i} to a codebook; the VAE's latent is "
               f"continuous{i}, a Gaussian{i} prior, sampled{i} and reparameterised{i}."
               for i in range(300)]
    own = load_rubric(path)
    alone = [score_answer(own, a).score for a in answers]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can
    try:
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(lambda a: score_answer(shared, a).score, answers))
    finally:
        sys.setswitchinterval(interval)
    assert together == alone
