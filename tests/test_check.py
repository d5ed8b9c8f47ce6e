"""The check students run: exit codes scripts can trust, colour only on a terminal, JSON for
tools, the student's own prints, and otter check saying what check.py says.

The slow test unpacks the student bundle into a fresh virtual environment holding only NumPy
and PyYAML, as a student's machine would, and runs its check.py there.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from autograder.casebook import public_view
from autograder.student_bundle import public_otter_tests
from autograder.student_check import USAGE, run_check

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "solutions" / "a2.py").read_text()

FLIPPED = REFERENCE + '''

_right_tc = transposed_conv2d


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return _right_tc(x, np.asarray(kernel)[::-1, ::-1], stride, padding, dilation)
'''
EMPTY_ANSWER = REFERENCE + "\nQ2 = ''\n"
CHATTY = REFERENCE + '''

_right_rf = receptive_field


def receptive_field(layers):
    print("debug: layers are", layers)
    print("x" * 50_000)
    return _right_rf(layers)
'''
EXPLAINED_CELL = ("out[1][1]: got 43, want 17 = x00*k11 + x01*k10 + x10*k01 + x11*k00 "
                  "= 1*3 + 2*2 + 3*2 + 4*1")


@pytest.fixture(scope="module")
def public(casebook) -> dict:
    return public_view(casebook)


def _check(public: dict, tmp_path: Path, source: str, **options) -> tuple[int, str, str]:
    path = tmp_path / "a2.py"
    path.write_text(source)
    out, err = io.StringIO(), io.StringIO()
    code = run_check([path], public, out=out, err=err, **options)
    return code, out.getvalue(), err.getvalue()


def test_exit_0_when_every_public_check_passes_1_when_one_fails_2_for_usage(public, tmp_path):
    assert _check(public, tmp_path, REFERENCE)[0] == 0
    code, out, _ = _check(public, tmp_path, FLIPPED)
    assert code == 1 and EXPLAINED_CELL in out
    assert "likely misconception: the kernel flipped" in out
    assert _check(public, tmp_path, "def receptive_field(:\n")[0] == 1   # does not import
    out, err = io.StringIO(), io.StringIO()
    assert run_check([tmp_path / "nothere.py"], public, out=out, err=err) == USAGE
    assert "no such file" in err.getvalue()


def test_an_empty_short_answer_is_a_warning_not_a_failure(public, tmp_path):
    code, out, _ = _check(public, tmp_path, EMPTY_ANSWER)
    assert code == 0
    assert "warning: Q2 is empty: write your answer before you submit" in out


def test_a_short_answer_that_is_not_a_string_is_a_warning_in_plain_words(public, tmp_path):
    code, out, _ = _check(public, tmp_path, REFERENCE + "\nQ2 = 42\n")
    assert code == 0
    assert "warning: Q2 is an int, not a string" in out
    assert "the network of Q1(ii): correct" in out   # one case: no "all 1 case"


def test_colour_only_when_asked_or_on_a_terminal(public, tmp_path):
    _, plain, _ = _check(public, tmp_path, FLIPPED)   # a StringIO is not a terminal
    assert "\033[" not in plain
    _, painted, _ = _check(public, tmp_path, FLIPPED, colour="always")
    assert "\033[1;31mwrong" in painted
    assert painted.replace("\033[0m", "").count("\033[") > 3


def test_json_gives_one_object_per_file_with_the_exit_status(public, tmp_path):
    good = tmp_path / "good.py"
    good.write_text(REFERENCE)
    bad = tmp_path / "bad.py"
    bad.write_text(FLIPPED)
    out = io.StringIO()
    assert run_check([good, bad], public, as_json=True, out=out, err=io.StringIO()) == 1
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["exit"] == 0 and first["public_checks"] == {"right": 2, "of": 2}
    assert second["exit"] == 1 and second["public_checks"] == {"right": 1, "of": 2}
    q1_iv = next(p for p in second["parts"] if p["id"] == "q1_iv")
    assert q1_iv["misconceptions"] == ["flipped-kernel"]


def test_the_students_prints_are_shown_locally_and_cut(public, tmp_path):
    assert not public.get("show_output")   # whatever the manifest says for Gradescope
    code, out, _ = _check(public, tmp_path, CHATTY)
    assert code == 0
    assert "what your functions printed" in out and "debug: layers are" in out
    assert "[... output cut]" in out and len(out) < 10_000
    # A long line (a debug print of a big row) is cut too, so the terminal stays readable.
    assert "[... line cut]" in out and max(map(len, out.splitlines())) < 300


def test_otter_public_tests_say_what_check_py_says(public, tmp_path):
    import numpy as np

    public_otter_tests(public, tmp_path / "tests")
    namespace: dict = {"np": np, "__name__": "a2"}
    exec(compile(FLIPPED, "a2.py", "exec"), namespace)   # our own test file, not a student's
    test_file: dict = {}
    exec(compile((tmp_path / "tests" / "q1_iv.py").read_text(),
                 str(tmp_path / "tests" / "q1_iv.py"), "exec"), test_file)
    with pytest.raises(AssertionError) as failed:
        test_file["question_0"].test_func(namespace)
    message = str(failed.value)
    assert EXPLAINED_CELL in message and "likely misconception: the kernel flipped" in message
    _, out, _ = _check(public, tmp_path, FLIPPED)
    for line in message.splitlines():
        assert line.strip() in out   # every line otter check shows, check.py shows too
    # A short answer's public test never fails: it is marked after submission.
    text_test: dict = {}
    exec(compile((tmp_path / "tests" / "q2.py").read_text(), "q2.py", "exec"), text_test)
    (case,) = [v for v in text_test.values() if hasattr(v, "test_func")]
    case.test_func({"Q2": ""})
    assert "marked" in case.success_message


def test_check_py_offers_and_carries_only_what_students_use(casebook, public, tmp_path):
    from autograder.student_bundle import write_student_folder

    folder = tmp_path / "student"
    write_student_folder(casebook, public, ROOT / "assignment", ROOT / "autograder", folder)

    def check(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "check.py", *args], cwd=folder,
                              capture_output=True, text=True, timeout=60)

    done = check("--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: python check.py")
    # The instructor's options (another casebook, a manifest) are not a student's to use.
    assert "--casebook" not in done.stdout and "--manifest" not in done.stdout
    done = check("--color")
    assert done.returncode == 2 and "python check.py: error: argument --color" in done.stderr
    # The engine it carries is enough for a whole check, without the rubric engine (how short
    # answers are marked) or the staff tools.
    (folder / "a2.py").write_text(FLIPPED)
    done = check("a2.py")
    assert done.returncode == 1 and EXPLAINED_CELL in done.stdout, done.stdout + done.stderr
    assert not (folder / "engine" / "autograder" / "rubric").exists()
    assert not (folder / "engine" / "autograder" / "staff").exists()


def test_otter_public_tests_stop_a_hang_and_name_a_missing_function_as_check_py_does(
        public, tmp_path):
    import copy
    import time

    quick = copy.deepcopy(public)
    quick["limits"]["call_seconds"] = 1
    public_otter_tests(quick, tmp_path / "tests")
    test_file: dict = {}
    exec(compile((tmp_path / "tests" / "q1_ii.py").read_text(), "q1_ii.py", "exec"), test_file)

    def forever(layers):
        while True:
            pass

    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"^did not return within the time limit of one "
                                           r"call \(1 s\)$"):
        test_file["question_0"].test_func({"receptive_field": forever})
    assert time.monotonic() - started < 5
    with pytest.raises(AssertionError, match="receptive_field is not defined as a function"):
        test_file["question_0"].test_func({})


@pytest.mark.slow
def test_the_bundles_check_runs_with_only_numpy_and_pyyaml(built, tmp_path):
    folder = tmp_path / "student"
    with zipfile.ZipFile(built.student_zip) as zf:
        zf.extractall(folder)
        everything = b"".join(zf.read(n) for n in zf.namelist())
    # Data, never the solutions' code: no wrong method, derivation or SymPy in the bundle.
    for code in (b"def tc_flipped_kernel", b"def rf_strides_summed", b"def explain_receptive",
                 b"import sympy", b"methods: misconceptions.py"):
        assert code not in everything
    assert b"likely misconception" in everything and b"x00*k11 + x01*k10" in everything
    readme = (folder / "README.md").read_text()
    assert "python -m pip install numpy pyyaml" in readme and "python check.py a2.py" in readme
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)   # lean: this environment's pip installs into it
    python = str(env / "bin" / "python")
    pip = [sys.executable, "-m", "pip", "--python", python]
    done = subprocess.run([*pip, "install", "-q", "numpy", "pyyaml"], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([*pip, "list", "--format=json"], capture_output=True, text=True)
    assert {p["name"].lower() for p in json.loads(listed.stdout)} == {"numpy", "pyyaml"}

    def check(source: str | None, *args: str) -> subprocess.CompletedProcess:
        if source is not None:
            (folder / "a2.py").write_text(source)
        return subprocess.run([python, "check.py", *args], cwd=folder, capture_output=True,
                              text=True, timeout=120,
                              env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})

    done = check(REFERENCE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 of 2 public checks right" in done.stdout
    done = check(FLIPPED)
    assert done.returncode == 1 and EXPLAINED_CELL in done.stdout, done.stdout + done.stderr
    assert "\033[" not in done.stdout   # piped: no colour
    done = check(None, "--json", "--color", "always", "a2.py")
    assert done.returncode == 1 and json.loads(done.stdout)["exit"] == 1
    done = check(None, "missing.py")
    assert done.returncode == 2 and "no such file" in done.stderr
