"""Red team 135_notebook_beside_a2.

Attack: Upload a notebook beside a2.py: Otter prefers .ipynb files to .py files.

Deserves: full marks (12): a2.py is the file graded.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>
