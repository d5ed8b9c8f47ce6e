"""A seccomp filter that denies the submission the network, without privileges or namespaces.

Gradescope's containers usually refuse a network namespace, so the sandbox installs this filter
(plain ctypes: the student bundle stays NumPy + PyYAML) in the child before it runs anything
else. It refuses, with EACCES, every socket family other than AF_UNIX on every way in:

* ``socket`` and ``socketpair`` whose family is not AF_UNIX (x86-64 and AArch64 numbers);
* the x32 ABI on x86-64 (system call numbers with bit 30 set) and any other architecture's ABI
  (the 32-bit ``socketcall`` multiplexer among them): the process is killed;
* ``io_uring_setup`` (io_uring can open sockets without the ``socket`` system call).

Local pipes and AF_UNIX socket pairs keep working (the harness and Python's own machinery use
them). The filter is built in the parent as a ctypes buffer and installed by :func:`install`
in the forked child (between fork and exec: no imports, no allocation beyond the call); the
runner reads whether it took effect from the child's ``/proc/<pid>/status`` (``Seccomp: 2``),
not from the child.

This module must not import anything the student bundle lacks, and must not raise in the child.
"""

from __future__ import annotations

import ctypes
import errno
import platform

PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AF_UNIX = 1

_LD_W_ABS = 0x20    # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15       # BPF_JMP | BPF_JEQ | BPF_K
_JSET_K = 0x45      # BPF_JMP | BPF_JSET | BPF_K
_RET_K = 0x06       # BPF_RET | BPF_K

_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | errno.EACCES     # SECCOMP_RET_ERRNO
_KILL = 0x80000000                    # SECCOMP_RET_KILL_PROCESS

_NR, _ARCH, _ARG0 = 0, 4, 16          # offsets in struct seccomp_data (little-endian)
_X32_BIT = 0x40000000

# audit arch -> (socket, socketpair, io_uring_setup)
_ARCHES = {
    "x86_64": (0xC000003E, (41, 53, 425)),
    "aarch64": (0xC00000B7, (198, 199, 425)),
}


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def _assemble(arch: str) -> list[tuple[int, int, int, int]]:
    """The filter for this machine's architecture, as (code, jt, jf, k) instructions."""
    audit, (socket_nr, socketpair_nr, uring_nr) = _ARCHES[arch]
    program: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ_K, 1, 0, audit),                 # our ABI: go on; any other: kill
        (_RET_K, 0, 0, _KILL),
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if arch == "x86_64":
        program += [(_JSET_K, 0, 1, _X32_BIT), (_RET_K, 0, 0, _KILL)]   # the x32 ABI
    program += [
        (_JEQ_K, 3, 0, socket_nr),             # socket -> check its family
        (_JEQ_K, 2, 0, socketpair_nr),         # socketpair -> check its family
        (_JEQ_K, 4, 0, uring_nr),              # io_uring_setup -> deny
        (_RET_K, 0, 0, _ALLOW),
        (_LD_W_ABS, 0, 0, _ARG0),              # the family, low 32 bits of the first argument
        (_JEQ_K, 0, 1, AF_UNIX),
        (_RET_K, 0, 0, _ALLOW),
        (_RET_K, 0, 0, _DENY),
    ]
    return program


class NetworkFilter:
    """A compiled filter for this machine, or an inactive one where seccomp cannot be used."""

    def __init__(self) -> None:
        arch = platform.machine().lower()
        self.supported = arch in _ARCHES
        self._instructions = None
        self._program = None
        if self.supported:
            code = _assemble(arch)
            self._instructions = (_Instruction * len(code))(*[_Instruction(*i) for i in code])
            self._program = _Program(len(code), self._instructions)

    def install(self, libc) -> None:
        """In the child, after PR_SET_NO_NEW_PRIVS: install the filter; failures are silent
        here and seen by the runner in /proc (``Seccomp:`` stays 0)."""
        if libc is None or self._program is None:
            return
        libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self._program), 0, 0)


def filter_mode(pid: int) -> int | None:
    """The seccomp mode of a process (0 none, 1 strict, 2 filter), from /proc; None if unknown."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"Seccomp:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None
