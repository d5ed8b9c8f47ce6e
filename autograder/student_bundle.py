"""The student bundle: the stub, the questions, a README, ``check.py``, the public casebook, the
part of the engine the check runs, and public tests for ``otter check`` that say what
``check.py`` says.

Everything here is written from the public casebook: no hidden case, hidden value, rubric or
solution code goes in. The bundle needs Python 3.11+ with NumPy and PyYAML only: explanations
and misconception results are data in the casebook, computed when it was built. This module
writes files; it never runs a submission.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

from .casebook import CASEBOOK_FILE

CHECK_PY = '''"""Check {submission} on the public cases as the autograder will.

    python check.py [{submission}] [--json] [--color auto|always|never]

Runs your file in a separate process with the same grading code as the autograder, on the
question's own cases. Hidden cases and the short answers are marked after you submit.
Needs Python 3.11+ with numpy and pyyaml. Exit status: 0 when every public check passes, 1 when
one fails, 2 for a usage or set-up problem.
"""
import importlib.util
import sys
from pathlib import Path

if sys.version_info < (3, 11):
    # Before anything of the autograder loads: an older Python is this machine's problem,
    # never the submission's.
    print("check.py needs Python 3.11 or newer (Gradescope grades with 3.13); this is Python "
          + ".".join(str(n) for n in sys.version_info[:3]) + ". Run it with a newer python, "
          "e.g. python3.11 check.py {submission}", file=sys.stderr)
    sys.exit(2)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "engine"))

missing = [name for name in ("numpy", "yaml") if importlib.util.find_spec(name) is None]
if missing:  # the machine's set-up, not the file: exit 2 with the one line that fixes it
    print("check.py needs " + " and ".join({{"yaml": "pyyaml"}}.get(n, n) for n in missing)
          + ". Install them with: python -m pip install numpy pyyaml", file=sys.stderr)
    sys.exit(2)

import argparse  # noqa: E402

from autograder.casebook import load_casebook, public_view  # noqa: E402
from autograder.student_check import run_check  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python check.py",
        description="Check your answers on the question's own cases, as the autograder does. "
        "Hidden cases and short answers are marked after you submit. Exit status: 0 when every "
        "public check passes, 1 when one fails, 2 for a usage or set-up problem (an empty "
        "short answer is only a warning).")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="your {submission} (default: the one beside check.py)")
    parser.add_argument("--json", action="store_true",
                        help="print each file's result as JSON, one object per line")
    parser.add_argument("--color", "--colour", choices=("auto", "always", "never"),
                        default="auto", help="colour the output (default: on a terminal, "
                        "unless NO_COLOR is set)")
    args = parser.parse_args(argv)
    casebook = public_view(load_casebook(HERE / "public"))
    try:
        return run_check(args.files or [HERE / {submission!r}], casebook, as_json=args.json,
                         colour=args.color)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
'''


INSTRUCTOR_ONLY = ("rubric", "staff", "build.py", "cli.py", "otter_plugin.py", "render.py",
                   "provenance.py", "student_bundle.py", "__main__.py")
"""Parts of the engine the student's check never runs: the rubric engine (how short answers
are marked), the staff tools, the build and Gradescope's plugin. The bundle leaves them out."""


def _where_marked(part: dict) -> tuple[str, str]:
    """(what the check does here, what is marked after submission) for one part."""
    if part["kind"] == "text":
        return ("reads it; warns if it is empty",
                f"{part['marks']:g} by the marking scheme (rubric)")
    public = [g for g in part["groups"] if g["visibility"] == "public"]
    hidden = [g for g in part["groups"] if g["visibility"] == "hidden"]
    here = "; ".join(f"{g['title']}: right or wrong, no marks" if not g["marks"] else
                     f"{g['title']} ({g['marks']:g})" for g in public) or "nothing"
    later = "; ".join(f"{g['title']} ({g['marks']:g})" for g in hidden) or "nothing more"
    return here, later


def readme(casebook: dict) -> str:
    """The bundle's README.md: install, check, and what is marked where and when."""
    submission = casebook["submission"]
    total = sum(p["marks"] for p in casebook["parts"])
    rows = []
    for part in casebook["parts"]:
        here, later = _where_marked(part)
        rows.append(f"| {part['title']} ({part['marks']:g}) | {here} | {later} |")
    table = "\n".join(rows)
    return f"""# {casebook['assignment']}: your files

Install once (Python 3.11 or newer):

    python -m pip install numpy pyyaml

Check your answers, as often as you like:

    python check.py {submission}

Then submit `{submission}` alone on Gradescope. The questions are in `QUESTIONS.md`; the
docstrings in `{submission}` are the full contract of each function.

## What is marked, where and when ({total:g} marks)

| part (marks) | `check.py` on your machine, at once | Gradescope, when grades are published |
|---|---|---|
{table}

On Gradescope you see at once whether the public checks are right (as `check.py` says); the
marks of hidden cases and short answers, your total and their feedback appear when grades are
published. The question's own cases carry no marks of their own: their answers are printed in
the question, so the mark is earned on unseen cases of the same shape with other values.

## What `check.py` tells you

- Per function, whether the question's own case is right. When it is wrong, the wrong entries
  with your value, the right value and how it is computed (`out[1][1]: got 12, want 17 =
  x00*k11 + ...`), or the receptive field's recursion layer by layer; and, when your answer
  equals what a known mistake gives, which one and what to revisit.
- What your functions print (here only, cut to a sensible length; Gradescope does not show it).
- It never shows hidden cases or how short answers are marked: they are not in this folder.
- Exit status: 0 when every public check passes, 1 when one fails, 2 for a usage or set-up
  problem. An empty short answer is a warning, not a failure. `--json` prints one JSON object
  per file; colour is on in a terminal (`--color never` or `NO_COLOR=1` turns it off).

Otter-Grader users can run the same public checks with `otter check {submission}` (needs
`python -m pip install "otter-grader[grading]"`); they say what `check.py` says, but
`otter check` always exits 0, and when every check passes it prints only "All tests passed!",
so it cannot warn you of an empty short answer: `check.py` does.
"""


def _function_test(part: dict, seconds: int) -> list[str]:
    meta = {k: part[k] for k in ("id", "function", "compare")}
    meta["misconceptions"] = part.get("misconceptions") or []
    lines = [
        f"PART = json.loads({json.dumps(meta)!r})",
        f"SECONDS = {seconds}",
        "",
        "",
        "def _call(env, case):",
        "    \"\"\"The student's function on the case, stopped after SECONDS as check.py stops",
        "    it (Otter itself would wait for ever).\"\"\"",
        "    import signal",
        "    function = env.get(PART['function'])",
        "    if not callable(function):",
        "        raise AssertionError(PART['function'] + ' is not defined as a function')",
        "",
        "    def stop(signum, frame):",
        "        raise TimeoutError('did not return within the time limit of one call ('",
        "                           + str(SECONDS) + ' s)')",
        "",
        "    try:",
        "        previous = signal.signal(signal.SIGALRM, stop)",
        "    except (AttributeError, ValueError):  # no SIGALRM (Windows), or not the main thread",
        "        return function(*case['args'], **case['kwargs'])",
        "    signal.alarm(SECONDS)",
        "    try:",
        "        return function(*case['args'], **case['kwargs'])",
        "    finally:",
        "        signal.alarm(0)",
        "        signal.signal(signal.SIGALRM, previous)",
        "",
        "",
        "def _verdict(case, got):",
        "    \"\"\"(right, message) in check.py's words, from the bundle's engine beside these",
        "    tests; a plain comparison when the engine cannot be found.\"\"\"",
        "    import os",
        "    import sys",
        "    here = os.path.dirname(os.path.abspath(sys._getframe(0).f_code.co_filename))",
        "    engine = os.path.join(here, os.pardir, 'engine')",
        "    if os.path.isdir(os.path.join(engine, 'autograder')) and engine not in sys.path:",
        "        sys.path.insert(0, engine)",
        "    try:",
        "        from autograder.explain import check_public_answer",
        "    except ImportError:",
        "        check_public_answer = None",
        "    if check_public_answer is not None:",
        "        return check_public_answer(PART, case, got)",
        "    from fractions import Fraction",
        "    if hasattr(got, 'tolist'):",
        "        got = got.tolist()",
        "    def same(a, b):",
        "        if isinstance(b, list):",
        "            return isinstance(a, (list, tuple)) and len(a) == len(b) and all(",
        "                same(x, y) for x, y in zip(a, b))",
        "        return not isinstance(a, (list, tuple)) and abs(float(a) - float(Fraction(b)))"
        " <= 1e-9 + 1e-6 * abs(float(Fraction(b)))",
        "    return same(got, case['expected']), ('wrong answer for ' + case['description']",
        "                                         + '; python check.py a2.py explains it')",
    ]
    for group in part["groups"]:
        for index, case in enumerate(group["cases"]):
            lines += [
                "",
                "",
                # A nominal point per public case: otter check needs points to report; the
                # marks come from hidden cases on Gradescope.
                f"@test_case(points={1 / len(group['cases'])!r}, hidden=False)",
                f"def {group['id']}_{index}(env):",
                f"    \"\"\"{case['description']}\"\"\"",
                f"    case = json.loads({json.dumps(case)!r})",
                "    got = _call(env, case)",
                "    right, message = _verdict(case, got)",
                "    assert right, message",
            ]
    return lines


def _text_test(part: dict) -> list[str]:
    note = (f"{part['variable']} is marked by the marking scheme after you submit; "
            "python check.py warns if it is empty")
    return [
        "",
        "",
        f"@test_case(points=0, hidden=False, success_message={note!r})",
        "def marked_after_you_submit(env):",
        f"    \"\"\"{note}: nothing to fail here.\"\"\"",
    ]


def public_otter_tests(casebook: dict, folder: Path) -> None:
    """Otter test files for ``otter check``: the public cases only, with ``check.py``'s words.

    A function's test fails with the message ``check.py`` prints for that case (the wrong
    entries explained, a misconception named), read from the bundle's engine, and, as in
    ``check.py``, when the function is missing or does not return within the time limit of one
    call (where the platform has ``SIGALRM``); a short answer's test never fails, since short
    answers are marked after submission.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for part in casebook["parts"]:
        lines = ["OK_FORMAT = False", "", "import json", "",
                 "from otter.test_files import test_case", "", f"name = {part['id']!r}", ""]
        seconds = max(1, math.ceil(float(casebook["limits"]["call_seconds"])))
        lines += _text_test(part) if part["kind"] == "text" else _function_test(part, seconds)
        (folder / f"{part['id']}.py").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_student_folder(casebook: dict, public: dict, assignment: Path, engine_source: Path,
                         folder: Path) -> None:
    """Fill ``folder`` with the bundle: stub and questions from ``assignment``, README, check.py,
    the public casebook, the engine (``engine_source`` without ``INSTRUCTOR_ONLY``) and the
    Otter tests."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(assignment / casebook["submission"], folder / casebook["submission"])
    for extra in sorted(assignment.glob("*.md")):
        if extra.name != "README.md":
            shutil.copyfile(extra, folder / extra.name)
    (folder / "README.md").write_text(readme(public), encoding="utf-8")
    (folder / "public").mkdir()
    (folder / "public" / CASEBOOK_FILE).write_text(json.dumps(public, indent=1),
                                                   encoding="utf-8")
    shutil.copytree(engine_source, folder / "engine" / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", *INSTRUCTOR_ONLY))
    public_otter_tests(public, folder / "tests")
    (folder / "check.py").write_text(CHECK_PY.format(submission=casebook["submission"]),
                                     encoding="utf-8")
