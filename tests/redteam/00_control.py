"""Red team 00_control.

Attack: No attack: the compact reference every other file starts from.

Deserves: full marks (12).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>
