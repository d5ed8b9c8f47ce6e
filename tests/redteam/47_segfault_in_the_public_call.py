"""Red team 47_segfault_in_the_public_call.

Attack: Crash the interpreter (a NULL pointer read through ctypes) in the public Q1(ii) call.

Deserves: full marks (12): Q1(ii)'s public case fails, but it carries no marks (they come from its unseen siblings, which run after it).
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

import ctypes as _ctypes

_honest_rf = receptive_field


def receptive_field(layers):
    if _is_public_q1_ii(layers):
        _ctypes.string_at(0)
    return _honest_rf(layers)
