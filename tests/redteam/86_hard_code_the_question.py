"""Red team 86_hard_code_the_question.

Attack: Return the answers printed in the question (15, and the 4x4 matrix) whatever the input,
so the public check of the question's own case passes.

Deserves: the short answers only (8): the question's own case carries no marks; they come from
unseen siblings of the same shape, where the printed answers are wrong.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------


def receptive_field(layers):
    return 15


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [[1, 4, 7, 6], [5, 17, 27, 20], [9, 27, 37, 26], [9, 24, 31, 20]]
