"""Red team 131_shadowing_packages.

Attack: Upload packages named numpy, jedi and matplotlib_inline beside a2.py: Otter's kernel puts the
submission folder on sys.path, so they would run as root there (the test adds them).

Deserves: full marks (12), and no marker.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>
