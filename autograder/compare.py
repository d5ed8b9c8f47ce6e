"""Compare one answer (plain JSON that came back from the sandbox) with its exact expected value.

The checks go in the order a careful marker would: did a value come back, is it a number (or a
2-D grid of numbers), is the shape right, are there NaNs, then the values, exactly for integer
cases and within a stated tolerance for float cases. Each verdict says what was wrong in words
that never contain the expected value; for hidden cases the caller also hides the answer's own
details. This module must not touch submissions or files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .casebook import decode_exact


@dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison."""

    passed: bool
    problem: str = ""
    """Short category: wrong-values, wrong-shape, not-a-number, nan, wrong-type, ..."""
    detail: str = ""
    """A sentence for public cases; may describe the answer, never the expected value."""


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _shape(value) -> tuple[int, ...] | None:
    """Shape of a rectangular nested list of numbers, else None."""
    if _is_number(value) or isinstance(value, str) or (isinstance(value, dict)
                                                       and "$float" in value):
        return ()  # a number, an exact "p/q" reference, or a NaN marker
    if not isinstance(value, list):
        return None
    shapes = {_shape(item) for item in value}
    if len(shapes) > 1 or None in shapes:
        return None
    inner = shapes.pop() if shapes else ()
    return (len(value), *inner)


def _flatten(value) -> list:
    if isinstance(value, list):
        return [leaf for item in value for leaf in _flatten(item)]
    return [value]


def _type_problem(value) -> Verdict | None:
    if isinstance(value, dict) and "$type" in value:
        kind = value["$type"]
        if kind == "NoneType":
            return Verdict(False, "wrong-type", "returned None, not numbers (is a return "
                                                "statement missing?)")
        why = value.get("$why", "")
        extra = f" ({why})" if why and why not in (kind, "not a number") else ""
        article = "an" if kind[:1] in "aeiou" else "a"
        return Verdict(False, "wrong-type", f"returned {article} {kind}{extra}, not numbers")
    return None


def _as_fraction(number) -> Fraction | None:
    if isinstance(number, dict):
        return None
    return Fraction(number)


def compare_integer(expected, got) -> Verdict:
    """An integer answer: ints, numpy ints and integral floats all count.

    >>> compare_integer(15, 15.0).passed, compare_integer(15, 14).problem
    (True, 'wrong-values')
    """
    problem = _type_problem(got)
    if problem:
        return problem
    if isinstance(got, dict) and "$float" in got:
        return Verdict(False, "nan", "returned NaN or infinity")
    if isinstance(got, list):
        return Verdict(False, "wrong-shape", "returned a sequence, not one integer")
    if not _is_number(got):
        return Verdict(False, "wrong-type", "did not return a number")
    if isinstance(got, float) and not got.is_integer():
        return Verdict(False, "not-integer", "returned a number with a fractional part")
    if Fraction(got) != Fraction(expected):
        return Verdict(False, "wrong-values", "the value is wrong")
    return Verdict(True)


def compare_array(expected, got, *, exact: bool, rtol: float, atol: float) -> Verdict:
    """A 2-D array answer compared entry by entry.

    >>> compare_array([[1, "1/2"]], [[1, 0.5]], exact=False, rtol=1e-6, atol=1e-9).passed
    True
    """
    problem = _type_problem(got)
    if problem:
        return problem
    want = decode_exact(expected)
    want_shape = _shape(expected)
    got_shape = _shape(got)
    if got_shape is None:
        return Verdict(False, "wrong-type", "did not return a rectangular grid of numbers")
    if got_shape != want_shape:
        if not got_shape:
            what = "a single number"
        elif 0 in got_shape:
            what = "an empty array"
        elif len(got_shape) == 1:
            what = f"a 1-D array of {got_shape[0]} numbers"
        else:
            what = "shape " + "x".join(map(str, got_shape))
        return Verdict(False, "wrong-shape", f"returned {what}, which is not the expected "
                                             "shape")
    got_flat, want_flat = _flatten(got), _flatten(want)
    nans = sum(1 for g in got_flat if isinstance(g, dict))
    if nans:
        return Verdict(False, "nan", f"{nans} entr{'y is' if nans == 1 else 'ies are'} "
                                     "NaN or infinite")
    wrong = 0
    for g, w in zip(got_flat, want_flat):
        if exact:
            ok = _as_fraction(g) == w
        else:
            ok = math.isclose(float(g), float(w), rel_tol=rtol, abs_tol=atol)
        wrong += not ok
    if wrong:
        how = "exactly, as the inputs are integers" if exact else \
            f"within rtol={rtol:g}, atol={atol:g}"
        return Verdict(False, "wrong-values",
                       f"{wrong} of {len(want_flat)} entries are wrong (compared {how})")
    return Verdict(True)


def compare(compare_spec: dict, expected, got, *, exact: bool) -> Verdict:
    """Dispatch on the part's ``compare.kind`` from the manifest."""
    kind = compare_spec.get("kind")
    if kind == "integer":
        return compare_integer(expected, got)
    if kind == "array":
        return compare_array(expected, got, exact=exact,
                             rtol=float(compare_spec.get("rtol", 1e-6)),
                             atol=float(compare_spec.get("atol", 1e-9)))
    raise ValueError(f"unknown compare kind {kind!r}")
