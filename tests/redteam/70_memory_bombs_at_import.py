"""Red team 70_memory_bombs_at_import.

Attack: Ask for 8 GiB (bytearray) and a 16 GiB numpy array while being imported, catching the
MemoryError, then behave.

Deserves: full marks (12): the allocations fail inside the sandbox only.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
for _size in (8 << 30, 1 << 34):
    try:
        _blob = bytearray(_size)
    except MemoryError:
        pass
try:
    _array = np.ones((1 << 17, 1 << 14))
except MemoryError:
    pass
