"""The check students run (``python check.py a2.py``, ``a2 check``): render and exit status.

Grading is ``grade.grade_file`` on the public casebook, as everywhere; this module decides what
the student's terminal shows and what a script can rely on:

* exit 0 only when every public check of the functions passes, 1 when one fails (a missing or
  broken function, a wrong answer, a file that does not import), 2 for a usage or environment
  error (no such file); an empty short answer is a warning, not a failure, since short answers
  are marked after submission;
* colour on a terminal (not when ``NO_COLOR`` is set or output is piped), plain text otherwise;
* ``--json``: one JSON object per file, on one line each.

It must not grade, and never runs submitted code itself.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from .grade import GradeResult, grade_file

OK, FAILED, USAGE = 0, 1, 2

_STYLES = {"right": "32", "wrong": "1;31", "warning": "33", "hint": "36", "dim": "2",
           "bold": "1"}


def public_checks(result: GradeResult) -> tuple[int, int]:
    """(right, all) over the public groups of the function parts that have cases."""
    groups = [g for p in result.parts if p.kind == "function" for g in p.groups
              if g.visibility == "public" and g.total]
    return sum(g.passed == g.total for g in groups), len(groups)


def status(result: GradeResult) -> int:
    """OK when every public check of the functions passes and the file imported, else FAILED."""
    right, checks = public_checks(result)
    return OK if right == checks and not result.problem else FAILED


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    """Colour for 'always', never for 'never'; for 'auto', on a terminal without NO_COLOR."""
    if choice in ("always", "never"):
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR") and \
        os.environ.get("TERM") != "dumb"


def _paint(text: str, style: str, colour: bool) -> str:
    return f"\033[{_STYLES[style]}m{text}\033[0m" if colour else text


def _feedback_line(line: str, colour: bool) -> str:
    stripped = line.lstrip()
    if stripped.startswith(("likely misconception:", "likely several misconceptions")):
        return _paint(line, "hint", colour)
    if stripped.startswith(("out[", "got ")):
        return _paint(line, "wrong", colour) if " want " in line else line
    return line


def render(result: GradeResult, colour: bool = False) -> str:
    """What a student reads: each part's status and feedback, warnings, what they printed."""
    right, checks = public_checks(result)
    verdict = "all right" if right == checks and not result.problem else "not all right yet"
    lines = [_paint(f"{result.submission}: {right} of {checks} public checks right", "bold",
                    colour)
             + f" ({verdict}; marks for the question's cases come from unseen cases of the "
               "same shape, after you submit)"]
    if result.problem:
        lines.append(_paint(f"  problem: {result.problem}", "wrong", colour))
    for part in result.parts:
        if part.kind == "function":
            ran = [g for g in part.groups if g.total]
            ok = bool(ran) and all(g.passed == g.total for g in ran) and not result.problem
            state = _paint(f"{'right' if ok else 'wrong':<16}", "right" if ok else "wrong",
                           colour)
        elif part.warning:
            state = _paint(f"{'warning':<16}", "warning", colour)
        else:
            state = f"{'not marked here':<16}"
        lines.append(f"  {part.id:<8} {state} {part.title}")
        if part.kind == "text" and part.warning:
            lines.append(_paint(f"             warning: {part.warning}", "warning", colour))
            continue
        for line in part.feedback.splitlines():
            if result.problem and line == result.problem:
                continue
            lines.append("             " + _feedback_line(line, colour))
    if result.output:
        lines.append("  what your functions printed (shown in this check only):")
        lines.extend(f"    | {line}" for line in result.output.splitlines())
    lines.append("")
    lines.append(_paint("Hidden cases and short answers are marked after you submit; this "
                        "check never shows them.", "dim", colour))
    return "\n".join(lines)


def to_json(result: GradeResult) -> dict:
    """The result as a JSON-able dict, with the public checks and the exit status added."""
    right, checks = public_checks(result)
    data = result.to_dict()
    data["public_checks"] = {"right": right, "of": checks}
    data["warnings"] = [f"{p.id}: {p.warning}" for p in result.parts if p.warning]
    data["exit"] = status(result)
    return data


def run_check(files: list[Path], casebook: dict, *, as_json: bool = False,
              colour: str = "auto", out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """Check each file against a public casebook; print the results; return the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    painted = use_colour(out, colour)
    worst = OK
    for path in files:
        path = Path(path)
        if not path.is_file():
            print(f"a2: error: {path}: no such file; pass the path of your a2.py", file=err)
            worst = USAGE
            continue
        result = grade_file(path, casebook)
        code = status(result)
        worst = max(worst, code)
        try:
            if as_json:
                print(json.dumps(to_json(result)), file=out)
            else:
                print(render(result, painted), file=out)
        except BrokenPipeError:  # piped into head or less, which quit: keep the exit status
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
            return worst
    return worst
