"""Red team 63_daemon_holds_the_pipes.

Attack: Fork a child that keeps stdout, stderr and the result channel open and never exits, so a
grader waiting for end-of-file would wait forever.

Deserves: full marks (12), with no waiting.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import time as _time

if _os.fork() == 0:
    _os.setsid()
    while True:
        _time.sleep(3600)
