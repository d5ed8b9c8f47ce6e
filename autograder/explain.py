"""Explain a wrong answer on a public case, cell by cell or step by step.

The casebook's public cases may carry an ``explain`` entry, computed when the casebook is built
by a function the manifest names (the solutions' SymPy derivations): per output cell the
symbolic expression and the same with the case's values (``kind: cells``), or a recursion
written out step by step (``kind: steps``). This module only renders that data against the
answer that came back, so it runs anywhere the grading core runs (the student bundle has no
SymPy).

Only public cases carry ``explain``: their inputs and right values are printed in the question
and in the public tests anyway. This module must not look at hidden cases, and must not import
anything of the solutions.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .casebook import decode_exact
from .compare import Verdict, compare

MAX_CELLS = 8
"""Wrong cells written out; the rest are counted."""


def _show(value) -> str:
    """A number as the student's function returned it, or the exact right value."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return f"{value} (= {float(value):g})"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return repr(value) if isinstance(value, (int, float)) else "?"


def _same(got, want: Fraction, exact: bool, rtol: float, atol: float) -> bool:
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        return False
    if exact:
        return Fraction(got) == want
    return math.isclose(float(got), float(want), rel_tol=rtol, abs_tol=atol)


def _cells(data: dict, case: dict, got, verdict: Verdict, compare_spec: dict) -> list[str]:
    if verdict.problem == "wrong-shape":
        return [f"the question's case gives {data['shape']}"]
    if verdict.problem != "wrong-values":
        return []
    want = decode_exact(case["expected"])
    rtol = float(compare_spec.get("rtol", 1e-6))
    atol = float(compare_spec.get("atol", 1e-9))
    wrong = []
    for i, (got_row, want_row, cell_row) in enumerate(zip(got, want, data["cells"])):
        for j, (g, w, cell) in enumerate(zip(got_row, want_row, cell_row)):
            if not _same(g, w, case["exact"], rtol, atol):
                wrong.append(f"out[{i}][{j}]: got {_show(g)}, want {_show(w)} = {cell['expr']}"
                             + ("" if cell["values"] == cell["expr"] else f" = {cell['values']}"))
    if not wrong:
        return []
    lines = wrong[:MAX_CELLS]
    if len(wrong) > MAX_CELLS:
        lines.append(f"... and {len(wrong) - MAX_CELLS} more wrong entries")
    if data.get("legend"):
        lines.append(f"({data['legend']})")
    return lines


def _steps(data: dict, case: dict, got, verdict: Verdict) -> list[str]:
    if verdict.problem not in ("wrong-values", "not-integer"):
        return []
    want = decode_exact(case["expected"])
    return [f"got {_show(got)}, want {_show(want)}; the recursion, step by step:",
            *(f"  {step}" for step in data["steps"]), f"  {data['result']}"]


def explain_case(compare_spec: dict, case: dict, got, verdict: Verdict) -> list[str]:
    """Lines explaining why ``got`` is wrong on a public case, or [] when there is nothing to
    explain (right, not run, no explanation in the casebook, a hidden case)."""
    data = case.get("explain")
    if verdict.passed or not isinstance(data, dict) or got is None:
        return []
    if data.get("kind") == "cells":
        return _cells(data, case, got, verdict, compare_spec)
    if data.get("kind") == "steps":
        return _steps(data, case, got, verdict)
    return []


def plain(value, depth: int = 0):
    """A returned value as the sandbox would send it back: nested lists of numbers, with
    ``{"$float": ...}`` for NaN and infinities and ``{"$type": name}`` for anything else.
    For checks that run beside the student's code (``otter check``), never for grading.

    >>> plain((1, 2.0, float("nan")))
    [1, 2.0, {'$float': 'nan'}]
    """
    if depth > 8:
        return {"$type": "nested too deeply"}
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        try:
            value = value.tolist()
        except Exception:  # noqa: BLE001 - whatever it raises, it is not numbers
            return {"$type": type(value).__name__}
    if isinstance(value, bool):
        return {"$type": "bool"}
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, (list, tuple)):
        return [plain(item, depth + 1) for item in value]
    return {"$type": type(value).__name__}


def check_public_answer(part: dict, case: dict, answer) -> tuple[bool, str]:
    """(right, message) for an answer to a public case, in the words of the local check: the
    verdict, the explanation and any misconception named. For ``otter check``'s public tests,
    which run beside the student's code; the grader itself never takes values this way.
    """
    from .misconceptions import describe, diagnose

    got = plain(answer)
    verdict = compare(part["compare"], case["expected"], got, exact=case["exact"])
    if verdict.passed:
        return True, ""
    lines = [f"{case['description']}: {verdict.detail}",
             *(f"  {line}" for line in explain_case(part["compare"], case, got, verdict)),
             *describe(diagnose(part, [case], [got], [verdict]), public=True)]
    return False, "\n".join(lines)
