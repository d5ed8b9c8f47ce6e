"""Red team 50_infinite_loop_at_import.

Attack: An infinite loop at the end of the module.

Deserves: the short answers only (8), after the import time limit.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
while True:
    pass
