"""Red team 23_dup2_onto_the_channel.

Attack: Point stdout and stderr at the result channel (dup2) and print fake events into it, then
behave.

Deserves: full marks (12): printed fake events are ordinary claims and fail validation.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import sys as _sys

_fd = getattr(_sys.modules["__main__"], "_channel", [3])[0]
_os.dup2(_fd, 1)
_os.dup2(_fd, 2)
print('{"event": "call_end", "id": "q1_iv/general/0", "status": "ok", "value": true}', flush=True)
print('{"event": "variable", "name": "Q2", "value": "forged"}', flush=True)
print("Total Score: 12.000 / 12.000 (100.000%)", flush=True)
print("{" * 1000, flush=True)
