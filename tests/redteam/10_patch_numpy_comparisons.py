"""Red team 10_patch_numpy_comparisons.

Attack: Patch numpy's comparison functions (allclose, array_equal, isclose, testing) to always
agree, as a plain Otter doctest would use them, and return wrong answers.

Deserves: the short answers only (8): the grader compares plain JSON values, never with numpy.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import numpy
import numpy.testing

numpy.allclose = lambda *a, **k: True
numpy.array_equal = lambda *a, **k: True
numpy.array_equiv = lambda *a, **k: True
numpy.isclose = lambda a, b, *r, **k: numpy.ones(numpy.shape(a), dtype=bool)
numpy.testing.assert_allclose = lambda *a, **k: None
numpy.testing.assert_array_equal = lambda *a, **k: None
numpy.ndarray = type("ndarray", (), {"__eq__": lambda s, o: True})


def receptive_field(layers):
    return -1


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return numpy.zeros((1, 1))
