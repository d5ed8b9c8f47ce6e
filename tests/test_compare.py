"""Comparisons: any reasonable form of a right answer passes; wrong ones say what is wrong."""

from autograder.compare import compare_array, compare_integer

EXPECTED = [[1, 4, 7, 6], [5, 17, 27, 20], [9, 27, 37, 26], [9, 24, 31, 20]]


def test_integer_accepts_int_and_integral_float():
    assert compare_integer(15, 15).passed
    assert compare_integer(15, 15.0).passed


def test_integer_rejects_fraction_nan_sequence_and_markers():
    assert compare_integer(15, 15.5).problem == "not-integer"
    assert compare_integer(15, {"$float": "nan"}).problem == "nan"
    assert compare_integer(15, [15]).problem == "wrong-shape"
    assert compare_integer(15, {"$type": "str"}).problem == "wrong-type"
    assert compare_integer(15, 16).problem == "wrong-values"


def test_array_exact_integer_case_accepts_integral_floats():
    floats = [[float(v) for v in row] for row in EXPECTED]
    assert compare_array(EXPECTED, floats, exact=True, rtol=1e-6, atol=1e-9).passed


def test_array_exact_case_rejects_nearly_equal_values():
    near = [row[:] for row in EXPECTED]
    near[2][2] = 37.000001
    verdict = compare_array(EXPECTED, near, exact=True, rtol=1e-6, atol=1e-9)
    assert not verdict.passed and verdict.problem == "wrong-values"
    assert "1 of 16" in verdict.detail


def test_array_float_case_within_tolerance():
    expected = [["1/4", "3/8"]]
    assert compare_array(expected, [[0.25 + 1e-12, 0.375]], exact=False, rtol=1e-6,
                         atol=1e-9).passed
    assert not compare_array(expected, [[0.26, 0.375]], exact=False, rtol=1e-6,
                             atol=1e-9).passed


def test_wrong_shape_never_reveals_the_expected_shape():
    verdict = compare_array(EXPECTED, [[1, 2], [3, 4]], exact=True, rtol=0, atol=0)
    assert verdict.problem == "wrong-shape"
    assert "2x2" in verdict.detail and "4x4" not in verdict.detail


def test_ragged_nan_and_non_numeric_answers():
    assert compare_array(EXPECTED, [[1, 2], [3]], exact=True, rtol=0, atol=0).problem \
        == "wrong-type"
    nan = [row[:] for row in EXPECTED]
    nan[0][0] = {"$float": "nan"}
    assert compare_array(EXPECTED, nan, exact=True, rtol=0, atol=0).problem == "nan"
    assert compare_array(EXPECTED, {"$type": "dict"}, exact=True, rtol=0, atol=0).problem \
        == "wrong-type"


def test_feedback_never_contains_expected_values():
    wrong = [[0] * 4 for _ in range(4)]
    verdict = compare_array(EXPECTED, wrong, exact=True, rtol=0, atol=0)
    assert "37" not in verdict.detail and "27" not in verdict.detail


def test_a_wrong_form_is_said_in_plain_words():
    def detail(got) -> str:
        return compare_array(EXPECTED, got, exact=True, rtol=0, atol=0).detail

    assert detail(list(range(16))).startswith("returned a 1-D array of 16 numbers")
    assert detail([]).startswith("returned an empty array")
    assert detail({"$type": "NoneType", "$why": "not a number"}) == \
        "returned None, not numbers (is a return statement missing?)"
    assert detail({"$type": "str", "$why": "not a number"}) == "returned a str, not numbers"
    assert detail([[0] * 4] * 4).endswith("(compared exactly, as the inputs are integers)")
