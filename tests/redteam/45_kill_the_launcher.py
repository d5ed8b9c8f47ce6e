"""Red team 45_kill_the_launcher.

Attack: SIGKILL the parent (the sandbox's supervisor) while being imported, then behave.

Deserves: full marks (12): the supervisor is not trusted for anything.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import signal as _signal

try:
    _os.kill(_os.getppid(), _signal.SIGKILL)
except OSError:
    pass
