"""Red team 53_hang_everywhere_ignoring_signals.

Attack: Ignore SIGTERM, SIGINT, SIGHUP, SIGXCPU and SIGALRM, then loop forever in every call.

Deserves: the short answers only (8), within the submission's time limit.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import signal as _signal

for _sig in (_signal.SIGTERM, _signal.SIGINT, _signal.SIGHUP, _signal.SIGXCPU,
             _signal.SIGALRM):
    _signal.signal(_sig, _signal.SIG_IGN)


def receptive_field(layers):
    while True:
        pass


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    while True:
        pass
