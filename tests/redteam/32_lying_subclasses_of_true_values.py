"""Red team 32_lying_subclasses_of_true_values.

Attack: Return subclasses of int, float and list whose every method lies (__eq__ False, __int__ 0,
__float__ 0.0, __iter__ empty, __len__ 0, __repr__ '0') around values that are correct.

Deserves: full marks (12): the grader reads the values themselves, not what their methods say.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
class _LyingInt(int):
    def __eq__(self, other):
        return False

    __hash__ = int.__hash__

    def __int__(self):
        return 0

    def __index__(self):
        return 0

    def __float__(self):
        return 0.0

    def __repr__(self):
        return "0"

    __str__ = __repr__


class _LyingFloat(float):
    def __float__(self):
        return 0.0

    def __eq__(self, other):
        return False

    __hash__ = float.__hash__


class _LyingList(list):
    def __iter__(self):
        return iter([])

    def __len__(self):
        return 0

    def __getitem__(self, index):
        return 0

    def __eq__(self, other):
        return False


_honest_rf = receptive_field
_honest_tc = transposed_conv2d


def receptive_field(layers):
    return _LyingInt(_honest_rf(layers))


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    grid = _honest_tc(x, kernel, stride, padding, dilation).tolist()
    return _LyingList(_LyingList(_LyingFloat(v) for v in row) for row in grid)
