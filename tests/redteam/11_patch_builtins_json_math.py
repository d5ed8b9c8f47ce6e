"""Red team 11_patch_builtins_json_math.

Attack: Patch builtins (isinstance, int, float, len, str, bool), json, math and fractions.Fraction
in the sandbox's interpreter so that any comparison or encoding done there lies.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import builtins
import fractions
import json
import math

_real_int = int
builtins.isinstance = lambda obj, cls: True
builtins.float = lambda *a, **k: 15.0
builtins.int = lambda *a, **k: 15
builtins.len = lambda obj: 0
builtins.bool = lambda *a: True
builtins.callable = lambda obj: True
json.dumps = lambda *a, **k: '{"event": "done"}'
json.loads = lambda *a, **k: {}
math.isclose = lambda *a, **k: True
math.isnan = lambda x: False
math.isinf = lambda x: False
fractions.Fraction.__eq__ = lambda self, other: True
fractions.Fraction.__ne__ = lambda self, other: False


def receptive_field(layers):
    return -1


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [[-1]]
