"""Red team 42_systemexit_in_a_call.

Attack: Call sys.exit(15) (the public answer as exit status) in every receptive_field call.

Deserves: Q1(ii) lost (10).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import sys as _sys


def receptive_field(layers):
    _sys.exit(15)
