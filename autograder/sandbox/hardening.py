"""What confines a sandbox process: its own uid, its limits, no network, and clean-up after it.

Runs in the grader. ``_preexec`` builds what the child runs between fork and exec, before any
submitted code: resource limits, no new privileges, the seccomp network filter, a network
namespace and the drop to an unprivileged uid. ``_UidSlot`` reserves that uid for one run, so
parallel runs never kill each other. ``_remove_files_of`` and ``_remove_ipc_of`` remove what a
sandbox uid left behind in world-writable folders and System V IPC.

It removes only files and IPC objects owned by a sandbox uid, and never runs student code.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import resource
import shutil
import stat
from pathlib import Path

from .netfilter import NetworkFilter
from .outcomes import Limits

UID_BASE = 64000
"""The first of the unprivileged uids sandboxes run as."""
UID_SLOTS = 256
"""How many sandbox uids there are, hence how many runs may go on at once."""
UIDS_VARIABLE = "A2_SANDBOX_UIDS"
"""Environment variable naming the sandbox uids this grader may take, as ``first-last``
(``64128-64255``): two graders on one machine given disjoint ranges never see each other's
sandbox users. Unset (as on Gradescope), every sandbox uid. The test suite gives the red team
its own range, so its machine-wide checks can tell its own runs from a parallel worker's."""
WORLD_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", "/run/lock", "/var/lock")
"""Where a sandbox user can leave files; they are cleaned after each run (root mode)."""

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_CHILD_SUBREAPER = 36
_CLONE_NEWNET = 0x40000000
_IPC_RMID = 0


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to talk to
        return None


def uid_range(environ=None) -> range:
    """The sandbox uids this grader may use (``UIDS_VARIABLE``; every one when unset). A value
    that is malformed or reaches outside the sandbox uids is refused with a clear error: a
    sandbox must never run as any other user."""
    environ = os.environ if environ is None else environ
    every = range(UID_BASE, UID_BASE + UID_SLOTS)
    value = environ.get(UIDS_VARIABLE, "").strip()
    if not value:
        return every
    first, sep, last = value.partition("-")
    try:
        if not sep:
            raise ValueError
        chosen = range(int(first), int(last) + 1)
    except ValueError:
        raise RuntimeError(f"{UIDS_VARIABLE}={value!r}: write first-last, e.g. "
                           f"{UID_BASE}-{UID_BASE + UID_SLOTS - 1}") from None
    if not chosen or chosen.start < every.start or chosen.stop > every.stop:
        raise RuntimeError(f"{UIDS_VARIABLE}={value!r}: sandbox uids are {every.start} to "
                           f"{every.stop - 1}, and the range must not be empty")
    return chosen


class _UidSlot:
    """An unprivileged uid reserved for one run, so parallel runs never kill each other."""

    def __init__(self, root: Path) -> None:
        locks = root / ".locks"
        try:
            locks.mkdir(mode=0o700)
        except FileExistsError:
            info = locks.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
                raise RuntimeError(f"{locks} is not a folder of ours; remove it") from None
        os.chmod(locks, 0o700)
        uids = uid_range()
        for uid in uids:
            slot = uid - UID_BASE
            fd = os.open(locks / f"{slot}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.uid = uid
            self._fd = fd
            return
        raise RuntimeError(f"no free sandbox uid among {uids.start} to {uids.stop - 1}: "
                           "too many runs at once")

    def release(self) -> None:
        os.close(self._fd)


_NETWORK_FILTER: NetworkFilter | None = None


def _network_filter() -> NetworkFilter:
    """The seccomp network filter, compiled once per grader process (before any fork)."""
    global _NETWORK_FILTER
    if _NETWORK_FILTER is None:
        _NETWORK_FILTER = NetworkFilter()
    return _NETWORK_FILTER


def _preexec(limits: Limits, uid: int | None, nproc: int, libc):
    cpu = int(limits.submission_seconds) + 1
    network = _network_filter()
    memory = limits.memory_mb * 1024 * 1024
    size = limits.file_mb * 1024 * 1024

    def apply() -> None:  # runs in the child between fork and exec: no locks, no imports
        os.setsid()
        os.umask(0o077)
        try:
            os.setpriority(os.PRIO_PROCESS, 0, 10)
        except OSError:
            pass
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        if libc is not None:
            # Setuid programs must not give the sandbox its privileges back.
            libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
            # No sockets but AF_UNIX from here on, whatever the container allows.
            network.install(libc)
        if uid is not None:
            if libc is not None:
                libc.unshare(_CLONE_NEWNET)  # no network, where the kernel allows it
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)

    return apply


# ---------------------------------------------------------------- what a run holds on disk


def _entries(folder: str):
    """(entry, its own stat) of each entry of ``folder`` that can still be read; none when the
    folder cannot be (it vanished, or is closed to the grader)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            yield entry, entry.stat(follow_symlinks=False)
        except OSError:
            continue


def _disk_use_of(uid: int, folder: Path, pids: list[int]) -> tuple[int, int]:
    """(bytes, entries) that ``uid`` holds on disk: what it owns in its run folder and in the
    world-writable folders, and the files its processes keep open after deleting them.

    The free-space watch sees every writer of a file system; this is asked only when that watch
    trips, so that another program writing at the same time (a parallel grader, a build) is never
    charged to the submission. Searches are bounded like ``_remove_files_of``'s.
    """
    used = [0, 0]
    visits = [10_000]
    seen: set[tuple[int, int]] = set()

    def count(info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key not in seen:
            seen.add(key)
            used[0] += info.st_blocks * 512
            used[1] += 1

    def visit(path: str, depth: int, owned: bool) -> None:
        for entry, info in _entries(path):
            mine = owned or info.st_uid == uid
            if mine:
                count(info)
            if not stat.S_ISDIR(info.st_mode) or visits[0] <= 0:
                continue
            if mine or (info.st_mode & stat.S_IWOTH and depth < 6):
                visits[0] -= 1
                visit(entry.path, depth + 1, mine)

    visit(str(folder), 0, True)
    for path in WORLD_WRITABLE:
        if os.path.isdir(path) and not os.path.islink(path):
            visit(path, 0, False)
    for pid in pids:
        fds = f"/proc/{pid}/fd"
        try:
            names = os.listdir(fds)
        except OSError:
            continue
        for name in names:
            try:
                if os.readlink(f"{fds}/{name}").endswith(" (deleted)"):
                    info = os.stat(f"{fds}/{name}")
                    if stat.S_ISREG(info.st_mode):
                        count(info)
            except OSError:
                continue
    return used[0], used[1]


# ---------------------------------------------------------------- cleaning up after a run


def _remove_files_of(uid: int) -> int:
    """Remove what ``uid`` left in world-writable folders; return how many entries.

    Everything the uid owns there goes (its count is bounded by the file watch during the run);
    folders owned by others are searched only if they are world-writable, to a bounded depth.
    """
    removed = 0
    visits = [10_000]  # folders owned by others to search: bounded, whatever was made there

    def visit(folder: str, depth: int) -> None:
        nonlocal removed
        for entry, info in _entries(folder):
            if info.st_uid == uid:
                try:
                    if stat.S_ISDIR(info.st_mode):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    else:
                        os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
            elif (stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IWOTH
                  and depth < 6 and visits[0] > 0):
                visits[0] -= 1
                visit(entry.path, depth + 1)

    for folder in WORLD_WRITABLE:
        if os.path.isdir(folder) and not os.path.islink(folder):
            visit(folder, 0)
    return removed


def _remove_ipc_of(uid: int, libc) -> int:
    """Remove System V shared memory, queues and semaphores ``uid`` created (they outlive
    processes, so they could carry data from one submission to the next)."""
    if libc is None:
        return 0
    removed = 0
    for kind, remove in (("shm", lambda i: libc.shmctl(i, _IPC_RMID, None)),
                         ("msg", lambda i: libc.msgctl(i, _IPC_RMID, None)),
                         ("sem", lambda i: libc.semctl(i, 0, _IPC_RMID, 0))):
        try:
            with open(f"/proc/sysvipc/{kind}") as handle:
                header, *rows = handle.read().splitlines()
        except OSError:
            continue
        columns = header.split()
        try:
            owners = [columns.index("uid"), columns.index("cuid")]
        except ValueError:
            continue
        for row in rows:
            values = row.split()
            try:
                if any(int(values[c]) == uid for c in owners):
                    removed += remove(int(values[1])) == 0
            except (ValueError, IndexError):
                continue
    return removed
