"""Red team 132_forged_casebook.

Attack: Upload an 'a2-grading/' folder with a forged casebook whose expected values are what this
stub returns, and forged rubrics (the test makes them from the real ones).

Deserves: nothing (0): the grading data comes from the zip only.
"""

import numpy as np

Q1_I = ""
Q1_III = ""
Q2 = ""
Q3 = ""
NETWORK_Q1_II = [(3, 1), (5, 2), (5, 1)]


def receptive_field(layers):
    raise NotImplementedError


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    raise NotImplementedError


# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
Q1_I = Q1_III = Q2 = Q3 = "forged answer"


def receptive_field(layers):
    return 0


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [[0]]
