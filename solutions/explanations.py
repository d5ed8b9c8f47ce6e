"""Worked explanations of the question's own cases, from the SymPy derivations.

The manifest names one function here per numeric part (``explain:``). The engine calls it, when
it builds the casebook, for the public cases only (the question's own case, whose values are
printed in the question), and stores the plain data it returns; the local check, Gradescope and
``otter check`` render it when an answer is wrong, without SymPy. Two shapes of data:

* ``{"kind": "cells", "cells": [[{"expr": ..., "values": ...}, ...], ...], "shape": ...}``: per
  output cell, the symbolic expression (``x00*k11 + ...``) and the same with the case's values;
* ``{"kind": "steps", "steps": [...], "result": ...}``: a recursion written out step by step.

Never call these on hidden cases: their text carries the inputs and the right values.
"""

from __future__ import annotations

from typing import Any

import sympy
from derivations import (
    _exact_matrix,
    _parse_layers,
    receptive_field,
    transposed_conv_matrix,
    transposed_conv_output_shape,
)


def _number(value: sympy.Rational) -> str:
    return str(value) if value.q == 1 else f"({value})"


def _index(*numbers: int) -> str:
    """``00`` for small indices, ``[10][2]`` where a digit string would be ambiguous."""
    if all(n < 10 for n in numbers):
        return "".join(map(str, numbers))
    return "".join(f"[{n}]" for n in numbers)


def explain_transposed_conv2d(x: Any, kernel: Any, stride: int = 1, padding: int = 0,
                              dilation: int = 1) -> dict:
    """Each output cell as the SymPy expression of the transposed convolution, symbolic and
    with the case's values.

    >>> explain_transposed_conv2d([[1, 2], [3, 4]], [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
    ...                           )["cells"][1][1]["expr"]
    'x00*k11 + x01*k10 + x10*k01 + x11*k00'
    """
    xs, ks = _exact_matrix(x, "x"), _exact_matrix(kernel, "kernel")
    in_shape, k_shape = (len(xs), len(xs[0])), (len(ks), len(ks[0]))
    symbolic = transposed_conv_matrix(in_shape, k_shape, stride, padding, dilation)
    cells = []
    for i in range(symbolic.rows):
        row = []
        for j in range(symbolic.cols):
            terms = []
            for term in sympy.Add.make_args(symbolic[i, j]):
                if term == 0:
                    continue
                x_sym, w_sym = sorted(term.free_symbols, key=lambda s: s.name)[::-1]
                _, a, b = x_sym.name.split("_")
                _, p, q = w_sym.name.split("_")
                terms.append((int(a), int(b), int(p), int(q)))
            terms.sort()
            if not terms:
                row.append({"expr": "0", "values": "0 (no input pixel reaches this cell)"})
                continue
            row.append({
                "expr": " + ".join(f"x{_index(a, b)}*k{_index(p, q)}" for a, b, p, q in terms),
                "values": " + ".join(f"{_number(xs[a][b])}*{_number(ks[p][q])}"
                                     for a, b, p, q in terms),
            })
        cells.append(row)
    out_h, out_w = transposed_conv_output_shape(in_shape, k_shape, stride, padding, dilation)
    shape = (f"{out_h}x{out_w}: each side is (H - 1)*stride - 2*padding + dilation*(K - 1) + 1, "
             f"here ({in_shape[0]} - 1)*{stride} - 2*{padding} + {dilation}*({k_shape[0]} - 1)"
             f" + 1 = {out_h} rows and ({in_shape[1]} - 1)*{stride} - 2*{padding} + "
             f"{dilation}*({k_shape[1]} - 1) + 1 = {out_w} columns")
    return {"kind": "cells", "cells": cells, "shape": shape,
            "legend": "xab is x[a][b] and kpq is kernel[p][q]"}


def explain_receptive_field(layers: Any) -> dict:
    """The layer-by-layer recursion ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}``,
    ``j_l = j_{l-1} s_l`` of :func:`derivations.receptive_field_recursion`, one SymPy step per
    layer, written out with the layers' values.

    >>> explain_receptive_field([[3, 1], [5, 2], [5, 1]])["result"]
    'R = r3 = 15'
    """
    parsed = _parse_layers(layers)
    n = len(parsed)
    r_prev, j_prev = sympy.Symbol("r_prev"), sympy.Symbol("j_prev")
    k, s, d = sympy.symbols("k s d")
    step_r = r_prev + d * (k - 1) * j_prev
    step_j = j_prev * s
    steps = ["r0 = 1, j0 = 1 (one pixel; neighbouring inputs are 1 pixel apart)"]
    field, jump = sympy.Integer(1), sympy.Integer(1)
    for index, (kernel, stride, dilation) in enumerate(parsed, start=1):
        values = {r_prev: field, j_prev: jump, k: kernel, s: stride, d: dilation}
        new_field, new_jump = step_r.xreplace(values), step_j.xreplace(values)
        steps.append(
            f"layer {index} (k={kernel}, s={stride}, d={dilation}): "
            f"r{index} = r{index - 1} + d*(k - 1)*j{index - 1} = {field} + {dilation}*"
            f"{kernel - 1}*{jump} = {new_field}; j{index} = j{index - 1}*s = {jump}*{stride}"
            f" = {new_jump}")
        field, jump = new_field, new_jump
    # The steps are the derivation's recursion, proved equal to the closed form the reference
    # substitutes into: a mismatch here is a bug in this file, never a student's.
    if int(field) != receptive_field(layers):
        raise AssertionError(f"the written-out recursion gives {field}, the reference "
                             f"{receptive_field(layers)}")
    return {"kind": "steps", "steps": steps, "result": f"R = r{n} = {field}"}
