"""Red team 60_fork_bomb.

Attack: Fork until the kernel refuses; every child sleeps forever. Then behave.

Deserves: full marks (12), and no process left afterwards.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import time as _time

for _ in range(10000):
    try:
        _pid = _os.fork()
    except OSError:
        break
    if _pid == 0:
        while True:
            _time.sleep(3600)
