"""Red team 22_close_the_channel.

Attack: Close every file descriptor above 2 (the result channel among them) while being imported.

Deserves: the short answers only (8): without its channel the import cannot be confirmed.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os

_os.closerange(3, 256)
