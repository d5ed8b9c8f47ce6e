"""Red team 38_huge_numpy_views.

Attack: Return a broadcast view of 10**12 entries (tiny in memory, enormous when converted).

Deserves: Q1(iv) lost (10).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return np.broadcast_to(np.float64(0.0), (10**6, 10**6))
