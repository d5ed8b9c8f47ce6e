"""Red team 31_array_protocol_hostile.

Attack: Return objects whose __array__ raises or returns a huge array, whose __len__ is 10**18,
whose __iter__ never ends, whose __getitem__ returns itself and whose __float__ raises
SystemExit.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import itertools as _itertools


class _Hostile:
    def __array__(self, *a, **k):
        raise SystemExit("__array__")

    def __len__(self):
        return 10**18

    def __iter__(self):
        return _itertools.count()

    def __getitem__(self, index):
        return self

    def __float__(self):
        raise SystemExit(15)

    def __index__(self):
        raise KeyboardInterrupt


class _Huge:
    def __array__(self, *a, **k):
        return np.ones(10**10)


def receptive_field(layers):
    return _Hostile()


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [_Huge(), _Hostile()] if stride > 1 else _Huge()
