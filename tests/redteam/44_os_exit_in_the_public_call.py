"""Red team 44_os_exit_in_the_public_call.

Attack: os._exit(0) in the public Q1(iv) call only: the interpreter dies mid-run.

Deserves: full marks (12): Q1(iv)'s public case fails, but it carries no marks (they come from its unseen siblings, which run after it): the runner restarts for the calls after it.
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

import os as _os

_honest_tc = transposed_conv2d


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    if _is_public_q1_iv(x, kernel):
        _os._exit(0)
    return _honest_tc(x, kernel, stride, padding, dilation)
