"""Red team 34_recursive_and_deep_lists.

Attack: Return a list that contains itself, and a list nested 60 deep.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
def receptive_field(layers):
    loop = []
    loop.append(loop)
    return loop


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    deep = [[1.0]]
    for _ in range(60):
        deep = [deep]
    return deep
