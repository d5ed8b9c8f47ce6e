"""Red team 110_megabyte_answer.

Attack: Make Q1_I a 2.4 MB string built at run time.

Deserves: Q1(i) lost (10).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
Q1_I = "lorem ipsum dolor sit amet " * 90_000
