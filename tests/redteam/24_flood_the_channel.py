"""Red team 24_flood_the_channel.

Attack: Flood the result channel with 5 MB of tiny lines while being imported, to make the grader
parse forever (a quadratic line splitter would take minutes).

Deserves: the short answers only (8): the run is stopped at the output limit, quickly.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import sys as _sys

_fd = getattr(_sys.modules["__main__"], "_channel", [3])[0]
for _ in range(80):
    try:
        _os.write(_fd, b"{}\n" * 21000)
    except OSError:
        break
