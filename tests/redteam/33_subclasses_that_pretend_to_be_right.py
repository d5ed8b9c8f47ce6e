"""Red team 33_subclasses_that_pretend_to_be_right.

Attack: The opposite: subclasses whose stored values are wrong (zeros) but whose methods (__int__,
__index__, __float__, __iter__, __getitem__, __len__, tolist, __eq__) report the correct
answer, so a grader that calls them would be fooled.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
_honest_rf = receptive_field
_honest_tc = transposed_conv2d


class _Pretender(int):
    answer = 0

    def __int__(self):
        return self.answer

    def __index__(self):
        return self.answer

    def __float__(self):
        return float(self.answer)

    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class _PretendList(list):
    rows = []

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self):
        return len(self.rows)

    def tolist(self):
        return self.rows

    def __eq__(self, other):
        return True

    def __array__(self, *a, **k):
        return np.array(self.rows)


def receptive_field(layers):
    value = _Pretender(0)
    value.answer = _honest_rf(layers)
    return value


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    right = _honest_tc(x, kernel, stride, padding, dilation).tolist()
    value = _PretendList([[0] * len(right[0])] * len(right))
    value.rows = right
    return value
