"""Red team 74_leave_things_behind.

Attack: Leave things for later runs: files, a world-writable folder tree, a FIFO and a symlink to
results.json in /tmp, /var/tmp and /dev/shm; System V shared memory and a message queue.
Then behave.

Deserves: full marks (12); nothing of it left afterwards; the symlink's target untouched.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import ctypes as _ctypes
import os as _os

for _folder in ("/tmp", "/var/tmp", "/dev/shm"):
    try:
        with open(_folder + "/a2-redteam-left", "w") as _handle:
            _handle.write("from a submission")
        _os.makedirs(_folder + "/a2-redteam-tree/a/b", exist_ok=True)
        _os.chmod(_folder + "/a2-redteam-tree", 0o777)
        with open(_folder + "/a2-redteam-tree/a/b/deep", "w") as _handle:
            _handle.write("deep")
        _os.mkfifo(_folder + "/a2-redteam-fifo")
        _os.symlink("/autograder/results/results.json", _folder + "/a2-redteam-link")
    except OSError:
        pass
try:
    _libc = _ctypes.CDLL(None)
    _libc.shmget(0x6126, 4096, 0o1666)  # IPC_CREAT | 0666
    _libc.msgget(0x6127, 0o1666)
except OSError:
    pass
