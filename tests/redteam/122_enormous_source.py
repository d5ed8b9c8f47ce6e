"""Red team 122_enormous_source.

Attack: The file is padded with comments to 2 MB by the test (see PAD in tests/test_redteam.py).

Deserves: nothing (0): larger than the source limit.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
# The test pads this file to 2 MB before submitting it.
