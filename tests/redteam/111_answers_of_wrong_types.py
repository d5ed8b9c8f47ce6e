"""Red team 111_answers_of_wrong_types.

Attack: Q1_I as bytes, Q1_III as a list, Q2 as an object whose __str__ gives the reference answer,
Q3 as a str subclass holding the reference answer whose methods (__str__, __len__, __eq__,
split, lower, __iter__) lie.

Deserves: Q3 kept, Q1(i), Q1(iii) and Q2 lost (7).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
_q2 = Q2


class _SaysTheAnswer:
    def __str__(self):
        return _q2

    __repr__ = __str__


class _LyingStr(str):
    def __str__(self):
        return "nothing"

    def __len__(self):
        return 0

    def __eq__(self, other):
        return False

    __hash__ = str.__hash__

    def split(self, *a, **k):
        return []

    def lower(self):
        return ""

    def __iter__(self):
        return iter("")


Q1_I = Q1_I.encode()
Q1_III = [Q1_III]
Q2 = _SaysTheAnswer()
Q3 = _LyingStr(Q3)
