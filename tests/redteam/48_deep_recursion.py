"""Red team 48_deep_recursion.

Attack: Lift the recursion limit to 10**7 and recurse through C code in the public Q1(iv) call,
overflowing the C stack.

Deserves: full marks (12): Q1(iv)'s public case fails, but it carries no marks (they come from its unseen siblings, which run after it).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
def _is_public_q1_ii(layers):
    return [list(l) for l in layers] == [[3, 1], [5, 2], [5, 1]]


def _is_public_q1_iv(x, kernel, *rest, **kw):
    return [list(r) for r in x] == [[1, 2], [3, 4]] and [list(r) for r in kernel] == \
        [[1, 2, 3], [2, 3, 4], [3, 4, 5]]

import sys as _sys

_honest_tc = transposed_conv2d


def _deep(n):
    return sorted([0], key=lambda _: _deep(n + 1))


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    if _is_public_q1_iv(x, kernel):
        _sys.setrecursionlimit(10**7)
        _deep(0)
    return _honest_tc(x, kernel, stride, padding, dilation)
