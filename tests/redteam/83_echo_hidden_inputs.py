"""Red team 83_echo_hidden_inputs.

Attack: Echo every case's inputs back: in exception messages (as text and as class names) and on
stdout and stderr.

Deserves: the short answers only (8); no hidden input appears in the feedback.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import sys as _sys


def _echo(*args):
    text = repr(args)
    print(text)
    print(text, file=_sys.stderr)
    raise type("Inputs" + str(abs(hash(text)) % 10**6), (ValueError,), {})(text)


def receptive_field(layers):
    _echo(layers)


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    _echo(x, kernel, stride, padding, dilation)
