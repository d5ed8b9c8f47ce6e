"""Red team 133_second_python_file.

Attack: Upload a second .py file beside a2.py (Otter's own runner refuses such an upload).

Deserves: full marks (12) when the zip's run_otter.py is guarded, else a complete 0 result.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>
