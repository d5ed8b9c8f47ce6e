"""Red team 30_eq_always_true.

Attack: Return objects that claim to equal anything: __eq__ always True, __ne__ False, __float__,
__int__ and __index__ 15, __array__ giving the public answer, __len__ 4, __hash__ 0.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
class _Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __float__(self):
        return 15.0

    def __int__(self):
        return 15

    def __index__(self):
        return 15

    def __len__(self):
        return 4

    def __array__(self, *a, **k):
        return np.array([[1, 4, 7, 6], [5, 17, 27, 20], [9, 27, 37, 26], [9, 24, 31, 20]])

    def __iter__(self):
        return iter(self.__array__().tolist())

    def tolist(self):
        return self.__array__().tolist()


def receptive_field(layers):
    return _Anything()


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return _Anything()
