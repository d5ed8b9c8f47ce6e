"""Red team 37_non_number_answers.

Attack: Return bytes, strings of the right digits, complex numbers, booleans, None, dicts and
generators instead of numbers.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
_honest_rf = receptive_field
_honest_tc = transposed_conv2d
_kinds = [lambda v: str(v), lambda v: str(v).encode(), lambda v: complex(v), lambda v: True,
          lambda v: None, lambda v: {"value": v}, lambda v: (i for i in [v])]
_n = [0]


def receptive_field(layers):
    _n[0] += 1
    return _kinds[_n[0] % len(_kinds)](_honest_rf(layers))


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    _n[0] += 1
    grid = _honest_tc(x, kernel, stride, padding, dilation)
    return [[_kinds[_n[0] % len(_kinds)](v) for v in row] for row in grid.tolist()]
