"""Misconceptions: each catalogued wrong method is recognised in a student's code, right answers
and unknown mistakes never get a name, and the question's own case is explained cell by cell.

The submissions here are written as students write them (NumPy loops, zero insertion), not
with the catalogue's methods: a diagnosis must come from the values alone.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from autograder.misconceptions import (
    CatalogueError,
    Diagnosis,
    load_catalogue,
    part_misconceptions,
)
from autograder.render import misconception_counts, to_gradescope, to_report

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "solutions" / "a2.py").read_text()

SCATTER = '''
def _scatter(x, kernel, stride, dilation):
    x = np.asarray(x)
    kernel = np.asarray(kernel)
    h, w = x.shape
    kh, kw = kernel.shape
    out = np.zeros(((h - 1) * stride + dilation * (kh - 1) + 1,
                    (w - 1) * stride + dilation * (kw - 1) + 1),
                   dtype=np.result_type(x, kernel))
    for a in range(h):
        for b in range(w):
            for p in range(kh):
                for q in range(kw):
                    out[a * stride + p * dilation, b * stride + q * dilation] += \\
                        x[a, b] * kernel[p, q]
    return out


def _crop(out, padding):
    return out[padding:out.shape[0] - padding, padding:out.shape[1] - padding]


def _zero_insert_and_convolve(up, kernel, dilation, padding):
    kernel = np.asarray(kernel)
    kh, kw = kernel.shape
    big = np.zeros((dilation * (kh - 1) + 1, dilation * (kw - 1) + 1), dtype=kernel.dtype)
    big[::dilation, ::dilation] = kernel
    flipped = big[::-1, ::-1]
    padded = np.pad(up, ((big.shape[0] - 1,) * 2, (big.shape[1] - 1,) * 2))
    rows = padded.shape[0] - big.shape[0] + 1
    cols = padded.shape[1] - big.shape[1] + 1
    out = np.zeros((rows, cols), dtype=np.result_type(up, kernel))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = np.sum(padded[i:i + big.shape[0], j:j + big.shape[1]] * flipped)
    return _crop(out, padding)
'''

TC = {
    "flipped-kernel": "return _crop(_scatter(x, np.asarray(kernel)[::-1, ::-1], stride, "
                      "dilation), padding)",
    "direct-convolution": """
        x = np.pad(np.asarray(x), padding)
        kernel = np.asarray(kernel)
        kh, kw = kernel.shape
        rows = (x.shape[0] - dilation * (kh - 1) - 1) // stride + 1
        cols = (x.shape[1] - dilation * (kw - 1) - 1) // stride + 1
        out = np.zeros((max(rows, 0), max(cols, 0)), dtype=np.result_type(x, kernel))
        for i in range(max(rows, 0)):
            for j in range(max(cols, 0)):
                for p in range(kh):
                    for q in range(kw):
                        out[i, j] += kernel[p, q] * x[i * stride + p * dilation,
                                                      j * stride + q * dilation]
        return out""",
    "padding-added": "return np.pad(_scatter(x, kernel, stride, dilation), padding)",
    "padding-pads-input": "return _scatter(np.pad(np.asarray(x), padding), kernel, stride, "
                          "dilation)",
    "stride-ignored": "return _crop(_scatter(x, kernel, 1, dilation), padding)",
    "dilation-ignored": "return _crop(_scatter(x, kernel, stride, 1), padding)",
    "zero-insertion-gap": """
        x = np.asarray(x)
        up = np.zeros(((x.shape[0] - 1) * (stride + 1) + 1, (x.shape[1] - 1) * (stride + 1) + 1),
                      dtype=x.dtype)
        up[::stride + 1, ::stride + 1] = x
        return _zero_insert_and_convolve(up, kernel, dilation, padding)""",
    "zero-insertion-trailing": """
        x = np.asarray(x)
        up = np.zeros((x.shape[0] * stride, x.shape[1] * stride), dtype=x.dtype)
        up[::stride, ::stride] = x
        return _zero_insert_and_convolve(up, kernel, dilation, padding)""",
    "transposed-input": "return _crop(_scatter(np.asarray(x).T, kernel, stride, dilation), "
                        "padding)",
    "transposed-output": "return _crop(_scatter(x, kernel, stride, dilation), padding).T",
}

RF = {
    "strides-summed": """
        r, jump = 1, 1
        for layer in layers:
            d = layer[2] if len(layer) > 2 else 1
            r += d * (layer[0] - 1) * jump
            jump += layer[1]
        return r""",
    "current-stride": """
        r, jump = 1, 1
        for layer in layers:
            d = layer[2] if len(layer) > 2 else 1
            jump *= layer[1]
            r += d * (layer[0] - 1) * jump
        return r""",
    "dilation-ignored": """
        r, jump = 1, 1
        for layer in layers:
            r += (layer[0] - 1) * jump
            jump *= layer[1]
        return r""",
    "from-the-output": """
        r, jump = 1, 1
        for layer in reversed(layers):
            d = layer[2] if len(layer) > 2 else 1
            r += d * (layer[0] - 1) * jump
            jump *= layer[1]
        return r""",
    "strides-ignored": """
        r = 1
        for layer in layers:
            r += (layer[2] if len(layer) > 2 else 1) * (layer[0] - 1)
        return r""",
    "kernel-sizes-summed": "return sum((layer[2] if len(layer) > 2 else 1) * (layer[0] - 1) + 1 "
                           "for layer in layers)",
}

CORRECT_TC = """
    x = np.asarray(x)
    up = np.zeros(((x.shape[0] - 1) * stride + 1, (x.shape[1] - 1) * stride + 1), dtype=x.dtype)
    up[::stride, ::stride] = x
    return _zero_insert_and_convolve(up, kernel, dilation, padding).tolist()"""

CORRECT_RF = """
    r = 1
    for layer in reversed(layers):   # from the output back: r = (r - 1) * s + d (k - 1) + 1
        d = layer[2] if len(layer) > 2 else 1
        r = (r - 1) * layer[1] + d * (layer[0] - 1) + 1
    return np.int64(r)"""


def submission(tc_body: str | None = None, rf_body: str | None = None) -> str:
    """The reference with Q1(iv) and/or Q1(ii) replaced by a student's version."""
    code = REFERENCE + "\n" + SCATTER
    if tc_body:
        code += ("\n\ndef transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):\n"
                 + textwrap.indent(textwrap.dedent(tc_body).strip(), "    ") + "\n")
    if rf_body:
        code += ("\n\ndef receptive_field(layers):\n"
                 + textwrap.indent(textwrap.dedent(rf_body).strip(), "    ") + "\n")
    return code


def _catalogue_titles(casebook: dict, part_id: str) -> dict[str, str]:
    part = next(p for p in casebook["parts"] if p["id"] == part_id)
    return {m["id"]: m["title"] for m in part["misconceptions"]}


def test_the_catalogue_covers_what_students_get_wrong(casebook):
    assert set(_catalogue_titles(casebook, "q1_iv")) == set(TC)
    assert set(_catalogue_titles(casebook, "q1_ii")) == set(RF)


# Six files carry two misconceptions each (one per part), four one: every entry is tried.
PAIRS = list(zip(TC, [*RF, None, None, None, None], strict=True))


@pytest.mark.parametrize(("tc_id", "rf_id"), PAIRS)
def test_each_misconception_is_named_in_a_students_code(grade_source, casebook, tc_id, rf_id):
    result = grade_source(submission(TC[tc_id], RF[rf_id] if rf_id else None))
    q1_iv, q1_ii = result.part("q1_iv"), result.part("q1_ii")
    assert q1_iv.score < 2 and q1_iv.misconceptions == [tc_id], q1_iv.feedback
    assert _catalogue_titles(casebook, "q1_iv")[tc_id] in q1_iv.feedback
    assert "Revisit:" in q1_iv.feedback
    if rf_id:
        assert q1_ii.misconceptions == [rf_id], q1_ii.feedback
        assert _catalogue_titles(casebook, "q1_ii")[rf_id] in q1_ii.feedback
    else:
        assert q1_ii.misconceptions == [] and q1_ii.score == 2
    # Hidden groups name the method and count cases, never show a cell or a value.
    for part in (q1_iv, q1_ii):
        for group in part.groups:
            if group.visibility == "hidden":
                assert "out[" not in group.feedback and "want" not in group.feedback
    # The batch report counts it and Gradescope's staff data lists it.
    assert misconception_counts([result])[f"q1_iv: {tc_id}"] == 1
    assert to_gradescope(result)["extra_data"]["misconceptions"]["q1_iv"] == [tc_id]


def test_methods_the_questions_case_cannot_tell_apart_are_both_named_there(grade_source):
    # The question's kernel is symmetric: transposing the input or the output gives the same
    # answer there, so its feedback names both; the hidden cases tell them apart, and the part
    # (Gradescope's staff data, the class report) keeps the one they name.
    result = grade_source(submission(TC["transposed-output"]))
    public, *hidden = result.part("q1_iv").groups
    assert "the input transposed" in public.feedback
    assert "the output transposed" in public.feedback
    for group in hidden:
        assert "the output transposed" in group.feedback
        assert "the input transposed" not in group.feedback
    assert result.part("q1_iv").misconceptions == ["transposed-output"]


def test_one_number_that_two_mistakes_give_names_both_and_says_it_may_be_chance(grade_source):
    # Q1(ii)'s network gives 13 both when the recursion runs from the output and when the
    # kernel sizes are added up: its feedback names both, and warns that one number can agree
    # by chance; the hidden networks name the one that holds.
    result = grade_source(submission(rf_body=RF["kernel-sizes-summed"]))
    public, *hidden = result.part("q1_ii").groups
    assert "got 13, want 15" in public.feedback
    assert "the kernel sizes added up" in public.feedback
    assert "the recursion run from the last layer back to the first" in public.feedback
    assert "one number can agree by chance" in public.feedback
    assert all("the recursion run from the last" not in g.feedback for g in hidden)
    assert result.part("q1_ii").misconceptions == ["kernel-sizes-summed"]


def test_a_part_keeps_what_its_groups_name_less_what_another_group_rules_out():
    def named(*ids: str, together: bool = False) -> list[Diagnosis]:
        return [Diagnosis(i, i, "", 2, 2, 2, together=together) for i in ids]

    # Tied on the question's case, told apart by a hidden group: only the one that holds.
    assert part_misconceptions([named("transposed-input", "transposed-output"),
                                named("transposed-input"), []]) == ["transposed-input"]
    # Different mistakes on different groups, or several at once: all of them.
    assert part_misconceptions([named("flipped-kernel"), named("stride-ignored")]) == \
        ["flipped-kernel", "stride-ignored"]
    assert part_misconceptions([named("flipped-kernel"),
                                named("flipped-kernel", "stride-ignored", together=True)]) == \
        ["flipped-kernel", "stride-ignored"]


def test_two_mistakes_in_one_function_are_both_named_never_a_third(grade_source):
    # Stride and dilation both ignored: each mistake alone explains the cases where the other
    # setting is 1, and neither explains most failing cases.
    result = grade_source(submission("return _crop(_scatter(x, kernel, 1, 1), padding)"))
    part = result.part("q1_iv")
    assert sorted(part.misconceptions) == ["dilation-ignored", "stride-ignored"], part.feedback
    general = part.groups[-1].feedback
    assert "likely several misconceptions at once" in general
    assert "the stride ignored (on " in general and "the dilation ignored (on " in general
    assert "out[" not in general and "want" not in general
    # One integer per case agrees by chance too often: from the output and dilation ignored
    # at once, the receptive field's few chance matches of 'strides ignored' name nothing.
    rf = grade_source(submission(rf_body="""
        r, jump = 1, 1
        for layer in reversed(layers):
            r += (layer[0] - 1) * jump
            jump *= layer[1]
        return r""")).part("q1_ii")
    assert set(rf.misconceptions) <= {"from-the-output", "dilation-ignored",
                                      "kernel-sizes-summed"}, rf.feedback
    assert "strides ignored" not in rf.feedback


EXPLAINED = ("out[1][1]: got 43, want 17 = x00*k11 + x01*k10 + x10*k01 + x11*k00 "
             "= 1*3 + 2*2 + 3*2 + 4*1")


def test_the_questions_case_is_explained_cell_by_cell_with_the_expression(grade_source):
    result = grade_source(submission(TC["flipped-kernel"], RF["strides-summed"]))
    public = result.part("q1_iv").groups[0]
    assert public.visibility == "public"
    assert EXPLAINED in public.feedback
    assert "likely misconception: the kernel flipped" in public.feedback
    # On Gradescope: the explanation in the public entry, visible at once; the misconception
    # on the hidden cases in their entries, shown when grades are published.
    tests = {t["name"]: t for t in to_gradescope(result)["tests"]}
    visible = tests["q1_iv public: the question's kernel and input"]
    assert visible["visibility"] == "visible" and EXPLAINED in visible["output"]
    hidden = tests["q1_iv hidden: general cases: stride, padding, dilation, non-square shapes, "
                   "float inputs"]
    assert hidden["visibility"] == "after_published"
    assert "likely misconception: the kernel flipped" in hidden["output"]
    rf = result.part("q1_ii").groups[0].feedback
    assert "got 27, want 15" in rf
    assert "layer 2 (k=5, s=2, d=1): r2 = r1 + d*(k - 1)*j1 = 3 + 1*4*1 = 7" in rf
    assert "R = r3 = 15" in rf


def test_a_wrong_shape_on_the_questions_case_says_the_shape_and_why(grade_source):
    result = grade_source(submission(TC["direct-convolution"]))
    public = result.part("q1_iv").groups[0].feedback
    assert "4x4: each side is (H - 1)*stride - 2*padding + dilation*(K - 1) + 1" in public
    # The direct convolution has no output on the question's case: it is named on the hidden
    # cases it gives an answer for, not on this one.
    assert "likely misconception" not in public


def test_right_answers_in_any_correct_form_are_diagnosed_as_nothing(grade_source):
    for code in (REFERENCE, submission(CORRECT_TC, CORRECT_RF)):
        result = grade_source(code)
        assert result.score == 12
        assert [p.misconceptions for p in result.parts] == [[]] * len(result.parts)
        assert "misconception" not in "\n".join(p.feedback for p in result.parts)


def test_an_answer_that_matches_no_entry_is_never_named(grade_source, example_source):
    wrong = example_source("q1_iv_wrong").decode() + textwrap.dedent('''

        _right_rf = receptive_field

        def receptive_field(layers):
            return _right_rf(layers) + 1
        ''')
    result = grade_source(wrong)
    for part_id in ("q1_iv", "q1_ii"):
        part = result.part(part_id)
        assert part.score == 0 and part.misconceptions == [], part.feedback
        assert "misconception" not in part.feedback
    assert "Misconceptions across the class" not in to_report([result])


def test_the_report_counts_misconceptions_across_the_class(grade_source):
    flipped = grade_source(submission(TC["flipped-kernel"]))
    both = grade_source(submission(TC["flipped-kernel"], RF["from-the-output"]))
    right = grade_source(REFERENCE)
    counts = misconception_counts([flipped, both, right])
    assert counts == {"q1_iv: flipped-kernel": 2, "q1_ii: from-the-output": 1}
    assert ("Misconceptions across the class (submissions): q1_iv: flipped-kernel (2), "
            "q1_ii: from-the-output (1)") in to_report([flipped, both, right])


def test_only_public_cases_carry_explanations_and_hidden_ones_only_results(casebook):
    for part in casebook["parts"]:
        for group in part.get("groups", []):
            for case in group["cases"]:
                assert ("explain" in case) == (group["visibility"] == "public")
                assert set(case["misconceptions"]) <= {m["id"] for m in part["misconceptions"]}
                # A method's result is kept only where it is wrong (or None: no answer).
                assert case["expected"] not in case["misconceptions"].values()


def test_a_broken_catalogue_names_the_file_the_line_and_the_fix(tmp_path):
    path = tmp_path / "misconceptions.yaml"
    (tmp_path / "methods.py").write_text("def f(x):\n    return x\n")
    path.write_text("methods: methods.py\nparts:\n  q9:\n    - id: a\n      title: t\n"
                    "      method: f\n      revisit: r\n")
    with pytest.raises(CatalogueError, match=r"misconceptions.yaml, line 3: part 'q9' is not "
                                             r"a function part .*q1_iv"):
        load_catalogue(path, {"q1_iv": "transposed_conv2d"})
    path.write_text("methods: methods.py\nparts:\n  q1_iv:\n    - id: a\n      title: t\n"
                    "      method: f\n")
    with pytest.raises(CatalogueError, match=r"line 4: part q1_iv, entry 1: 'revisit' must"):
        load_catalogue(path, {"q1_iv": "transposed_conv2d"})


def test_a_method_with_no_answer_on_a_case_is_kept_as_none(casebook):
    part = next(p for p in casebook["parts"] if p["id"] == "q1_iv")
    (question,) = next(g for g in part["groups"] if g["id"] == "question")["cases"]
    # conv2d of a 2x2 input with a 3x3 kernel has no output: nothing to compare with.
    assert question["misconceptions"]["direct-convolution"] is None
    assert "stride-ignored" not in question["misconceptions"]   # stride 1: same as the answer


def test_editing_the_catalogue_or_its_methods_rebuilds_the_cached_casebook(tmp_path):
    import shutil

    from autograder.casebook import _fingerprint
    from autograder.manifest import load_manifest

    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    shutil.copytree(ROOT / "assignment", tmp_path / "assignment")
    path = tmp_path / "solutions" / "manifest.yaml"
    before = _fingerprint(load_manifest(path))
    methods = tmp_path / "solutions" / "misconceptions.py"
    methods.write_text(methods.read_text() + "\n# edited\n")
    assert _fingerprint(load_manifest(path)) != before


def test_a_part_that_names_an_explanation_needs_the_explanations_module(tmp_path):
    import shutil

    from autograder.manifest import ManifestError, load_manifest

    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    shutil.copytree(ROOT / "assignment", tmp_path / "assignment")
    path = tmp_path / "solutions" / "manifest.yaml"
    path.write_text(path.read_text().replace("explanations: explanations.py", ""))
    with pytest.raises(ManifestError, match=r"manifest.yaml:\d+: part q1_ii names explain: "
                                            r"explain_receptive_field, .* add one"):
        load_manifest(path)
