"""Red team 130_otter_log_pickle.

Attack: Upload a '.OTTER_LOG' beside a2.py: Otter unpickles it (dill) in its own process, as root;
this one's __reduce__ would leave a marker (the file is made by the test, see EXTRA).

Deserves: full marks (12), and no marker.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>
