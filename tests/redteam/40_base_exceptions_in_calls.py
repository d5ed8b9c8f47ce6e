"""Red team 40_base_exceptions_in_calls.

Attack: Raise BaseException subclasses that are not Exceptions (a custom one, KeyboardInterrupt,
GeneratorExit) in every call, with a __str__ that itself raises.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
class _Escape(BaseException):
    def __str__(self):
        raise KeyboardInterrupt("from __str__")


def receptive_field(layers):
    raise _Escape()


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    raise (KeyboardInterrupt if stride == 1 else GeneratorExit)("stop")
