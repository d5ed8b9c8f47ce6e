"""Red team 43_os_exit_at_import.

Attack: os._exit(0) at the end of the module: the interpreter ends without any cleanup.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os

_os._exit(0)
