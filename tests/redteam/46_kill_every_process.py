"""Red team 46_kill_every_process.

Attack: Send SIGSTOP then SIGKILL to every process it can see (the grader, Otter, the kernel), and
kill(-1), then behave.

Deserves: full marks (12): the sandbox user may only signal its own processes.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import signal as _signal

for _sig in (_signal.SIGSTOP, _signal.SIGKILL):
    for _name in _os.listdir("/proc"):
        if _name.isdigit() and int(_name) != _os.getpid():
            try:
                _os.kill(int(_name), _sig)
            except OSError:
                pass
try:
    _os.kill(-1, _signal.SIGKILL)
except OSError:
    pass
