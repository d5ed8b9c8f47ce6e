"""Red team 54_busy_threads.

Attack: Start four CPU-burning threads and then as many sleeping threads as the limits allow,
then behave.

Deserves: full marks (12): thread creation stops at the process limit, the answers still come back.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import hashlib as _hashlib
import threading as _threading
import time as _time


def _burn():
    block = b"x" * (1 << 20)
    while True:
        _hashlib.sha256(block).digest()  # releases the GIL: burns CPU, not the harness's time


def _sleep():
    while True:
        _time.sleep(3600)


for _ in range(4):
    _threading.Thread(target=_burn, daemon=True).start()
for _ in range(1000):
    try:
        _threading.Thread(target=_sleep, daemon=False).start()
    except RuntimeError:
        break
