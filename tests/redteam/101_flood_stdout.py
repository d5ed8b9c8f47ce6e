"""Red team 101_flood_stdout.

Attack: Print 10 MB while being imported.

Deserves: the short answers only (8): the run stops at the output limit.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import sys as _sys

for _ in range(100):
    _sys.stdout.write("A" * 100_000 + "\n")
_sys.stdout.flush()
