"""Red team 134_file_named_tests.

Attack: Upload a file named 'tests' (Otter deletes the folder of that name with rmtree and crashes).

Deserves: full marks (12) when the zip's run_otter.py is guarded; with Otter's own, no results.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>
