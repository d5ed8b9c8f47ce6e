"""Red team 35_numpy_object_arrays.

Attack: Return numpy object arrays: correct numbers for Q1(ii) (an honest, odd form), and for
Q1(iv) objects that are not numbers but whose __float__ gives the correct entries.

Deserves: Q1(iv) lost (10): only real numbers count as numbers.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
_honest_rf = receptive_field
_honest_tc = transposed_conv2d


class _FloatLike:
    def __init__(self, value):
        self.value = value

    def __float__(self):
        return float(self.value)

    def __eq__(self, other):
        return True


def receptive_field(layers):
    return np.array(_honest_rf(layers), dtype=object)


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    grid = _honest_tc(x, kernel, stride, padding, dilation)
    out = np.empty(grid.shape, dtype=object)
    for index, value in np.ndenumerate(grid):
        out[index] = _FloatLike(value)
    return out
