"""Red team 41_systemexit_at_import.

Attack: Call sys.exit(0) at the end of the module, after every definition.

Deserves: the short answers only (8): a module that exits while being imported is not importable.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import sys as _sys

_sys.exit(0)
