"""Run one submission in isolation and bring back plain, validated values.

This is the boundary between student code and the grader. The submission never runs in this
process: a fresh interpreter runs ``launcher.py`` and ``harness.py`` (copied alone into a private
folder) under limits on wall-clock time, CPU time, memory, processes, file size, disk use and
output size. When the grader runs as root the child also drops to an unprivileged user of its own
(with no way to regain privileges, and without network where the kernel allows it) before any
submission code runs; the grader's secrets (the paths the caller names, this package and, in a
source checkout, the rest of the checkout) are made unreadable to that user; and at the end every
process of that user is killed and every file it left in world-writable places is removed.

Only JSON lines come back, and each is checked against the event schema below before it is
used; anything else is discarded. Free text that comes back (exception messages, type names) is
untrusted: it is reduced to a fixed vocabulary for feedback, and kept verbatim only in ``detail``
fields meant for the student's own local check. The cases' inputs are sent only after the
submission has been imported, so what it printed before is free of hidden inputs.

This module must not compare answers or know any assignment: it returns a ``RunOutcome`` and
the grading core decides what it is worth. See docs/SECURITY.md for the threat model.
"""

from __future__ import annotations

import atexit
import builtins
import ctypes
import ctypes.util
import fcntl
import hashlib
import json
import math
import os
import re
import resource
import secrets
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .netfilter import NetworkFilter, filter_mode

HERE = Path(__file__).resolve().parent
PACKAGE_DIR = HERE.parent
UID_BASE = 64000
UID_SLOTS = 256
SANDBOX_ROOT = Path(tempfile.gettempdir()) / "a2-sandboxes"
MAX_EVENT_BYTES = 2_000_000
MAX_ANSWER_CHARS = 50_000
"""Characters of one answer string kept; a short answer is a few hundred words."""
MAX_INT = 2**63
"""Integers beyond this magnitude are not accepted as answers (they could not be compared)."""
WATCH_INTERVAL = 0.1
"""Seconds between two looks at the sandbox's memory and the disks' free space."""
MAX_FILES = 50_000
"""Files (inodes) the sandbox may create in all: running a file system out of inodes would stop
the grader from writing results.json as surely as filling it."""
DONE_GRACE = 0.2
"""Seconds to keep reading printed output after the harness said it is done."""
WORLD_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", "/run/lock", "/var/lock")
"""Where a sandbox user can leave files; they are cleaned after each run (root mode)."""

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_CHILD_SUBREAPER = 36
_CLONE_NEWNET = 0x40000000
_IPC_RMID = 0


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission; the manifest's ``limits`` block overrides them."""

    call_seconds: float = 5.0
    """Wall-clock seconds one function call may take."""
    import_seconds: float = 10.0
    """Wall-clock seconds importing the submission may take."""
    submission_seconds: float = 30.0
    """Wall-clock seconds for the whole submission, restarts after hangs and crashes included."""
    memory_mb: int = 1024
    """Address space of each sandbox process, and resident memory of all of them, in MiB."""
    processes: int = 32
    """Processes and threads the sandbox may have at once."""
    output_bytes: int = 4_000_000
    """Bytes of results and printed output read back per run; beyond that the run is stopped."""
    file_mb: int = 16
    """Largest file the sandbox may write, in MiB."""
    disk_mb: int = 256
    """Disk (and /dev/shm) space the sandbox may fill in all, in MiB; beyond that it is stopped."""
    max_source_bytes: int = 1_000_000
    """Largest submission file accepted."""

    @classmethod
    def from_dict(cls, data: dict | None) -> Limits:
        """Build limits from a manifest block, rejecting unknown keys.

        >>> Limits.from_dict({"call_seconds": 2}).call_seconds
        2.0
        """
        data = dict(data or {})
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown limit(s) {unknown}; known: {sorted(known)}")
        kwargs = {}
        for name, value in data.items():
            kind = type(getattr(cls, name))
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"limit {name} must be a positive number, not {value!r}")
            kwargs[name] = kind(value)
        return cls(**kwargs)


@dataclass(frozen=True)
class Call:
    """One function call the submission must answer."""

    id: str
    """Unique id, used only to match the answer to the case."""
    function: str
    """Name of the submission's function."""
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)


@dataclass
class CallOutcome:
    """What came back for one call."""

    status: str
    """ok, error, missing, not-implemented, timeout, crashed, not-run, invalid."""
    value: object = None
    """The returned value as plain JSON (numbers, lists, or a ``{"$type": ...}`` marker)."""
    message: str = ""
    """A safe description of what went wrong: a standard exception name and the line, or a
    sentence written by the runner. Never text chosen by the submission."""
    detail: str = ""
    """The exception's own message (printable, bounded, but chosen by the submission): only for
    a student's local check of the public cases, never for results others produce."""


@dataclass
class RunOutcome:
    """Everything the grader learns from running one submission."""

    variables: dict[str, str] = field(default_factory=dict)
    """Answer strings found, by variable name."""
    variable_problems: dict[str, str] = field(default_factory=dict)
    """Why a variable is not a usable string (missing, wrong type), by name."""
    calls: dict[str, CallOutcome] = field(default_factory=dict)
    import_error: str | None = None
    """Why the submission could not be imported, if it could not (safe text, as ``message``)."""
    import_detail: str = ""
    """The import exception's own message (as ``CallOutcome.detail``: local checks only)."""
    output: str = ""
    """What the submission printed (bounded); may hold the cases' inputs."""
    import_output: str = ""
    """What it printed before it was sent any case input (bounded): free of hidden inputs."""
    isolation: str = "process"
    """'user' when the submission ran as an unprivileged user, 'process' otherwise."""
    network: str = ""
    """Whether the network filter took effect, read by the runner from the sandbox's /proc."""
    notes: list[str] = field(default_factory=list)
    """Run-level events worth telling staff (restarts, time limit hit, killed processes)."""


class SubmissionFileError(Exception):
    """The submitted file cannot be graded at all (missing, too large, not text)."""


def _is_root() -> bool:
    return os.geteuid() == 0


def process_age() -> float:
    """Seconds since this process started (0 if unknown)."""
    try:
        with open("/proc/self/stat", "rb") as handle:
            ticks = int(handle.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/uptime", "rb") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to talk to
        return None


# ---------------------------------------------------------------- what untrusted text may say


_SAFE_NAMES = frozenset(
    {name for name, obj in vars(builtins).items() if isinstance(obj, type)}
    | {"NoneType", "function", "builtin_function_or_method", "method", "module", "generator",
       "coroutine", "ndarray", "matrix", "generic", "number", "integer", "floating",
       "complexfloating", "bool_", "str_", "bytes_", "object_", "void", "datetime64",
       "timedelta64", "complex64", "complex128", "clongdouble", "longdouble", "float16",
       "Fraction", "Decimal", "range", "unconvertible", "AxisError", "LinAlgError"}
)
"""Type names that may appear in feedback: Python's and NumPy's own, never a class the
submission named (a class name could carry anything the submission read)."""

_SAFE_REASONS = frozenset({
    "bool", "too large", "nested too deeply", "array of bool", "array of complex numbers",
    "array of non-numbers", "integer too large", "not a number", "conversion failed",
})

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")


def _safe_type(names) -> str:
    """The first standard type name in ``names`` (a name or a list of names, most derived
    first), else 'object'."""
    if isinstance(names, str):
        names = [names]
    if isinstance(names, list):
        for name in names[:64]:
            if isinstance(name, str) and name in _SAFE_NAMES:
                return name
    return "object"


def _printable(text, limit: int) -> str:
    """Untrusted text made printable, bounded, and free of memory addresses (determinism)."""
    if not isinstance(text, str):
        return ""
    text = _ADDRESS.sub("0x?", text[: limit * 2])
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:limit]


def _clean_answer(text: str) -> str:
    """An answer string: bounded, valid Unicode (no lone surrogates), no NULs."""
    text = text[:MAX_ANSWER_CHARS]
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\0", " ")


def _clean_output(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return "".join(ch if ch.isprintable() or ch in "\n\t" else "?" for ch in text)


# ---------------------------------------------------------------- root-only preparation


def _ensure_traversable(path: Path) -> None:
    """Give 'others' search permission on each folder leading to ``path`` (root mode only).

    The sandbox user must be able to start the interpreter; Gradescope's image keeps it under
    /root (mode 700). Search permission lets the user reach named paths, not list folders.
    """
    for parent in [path, *path.parents]:
        try:
            mode = parent.stat().st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            os.chmod(parent, stat.S_IMODE(mode) | stat.S_IXOTH)


def _interpreter_paths() -> list[Path]:
    paths = [Path(sys.executable).resolve().parent, Path(sys.executable).parent]
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
        paths.append(Path(prefix).resolve())
        paths.append(Path(prefix))
    return paths


def _secrets(extra: list[Path]) -> list[Path]:
    """What the sandbox user must not read: the caller's paths, this package, and, when the
    package runs from a source checkout, every other entry of the checkout (solutions,
    rubrics, caches, tests, .git), except the folders holding the interpreter."""
    found = [PACKAGE_DIR, *extra]
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "autograder").resolve() == \
            PACKAGE_DIR:
        needed = _interpreter_paths()
        for entry in checkout.iterdir():
            if not entry.is_dir() or entry.is_symlink():
                continue  # top-level files (README, pyproject.toml) hold no secrets
            resolved = entry.resolve()
            if any(p == resolved or resolved in p.parents or p == entry or entry in p.parents
                   for p in needed):
                continue
            found.append(entry)
    return found


def _shared_folder(path: Path, mode: int) -> bool:
    """Folders that must never be made owner-only, whatever a caller asks.

    Shared scratch folders (world-writable or sticky, such as /tmp), the root folder, and any
    folder on the way to the interpreter or the sandboxes: closing them would break the machine
    for other users, or the sandbox itself (a lone file graded from /tmp once closed /tmp).
    """
    if not stat.S_ISDIR(mode):
        return False
    if mode & (stat.S_ISVTX | stat.S_IWOTH):
        return True
    resolved = path.resolve()
    if resolved == Path(resolved.anchor):
        return True
    needed = [*_interpreter_paths(), SANDBOX_ROOT]
    return any(resolved == p or resolved in p.parents for p in needed)


class _Closed:
    """Paths made owner-only while any sandbox runs, their modes restored when the last run that
    needed them ends, in this process or another (parallel threads and parallel graders share
    them), and at exit whatever happens (an exception, Ctrl-C): an instructor's folders are
    never left closed, and never reopened under a run that still needs them closed.

    Each closed path has a lock file in the sandbox root holding its original mode; every run
    that needs the path closed holds a shared lock on it, and whoever can take the exclusive
    lock when releasing is the last one and restores the mode. Shared and structural folders
    (see ``_shared_folder``) are left as they are.
    """

    _open: set[_Closed] = set()
    _lock = threading.Lock()

    def __init__(self, paths: list[Path]) -> None:
        self.held: list[tuple[Path, int]] = []
        if not paths:
            return
        folder = _sandbox_root() / ".closed"
        folder.mkdir(mode=0o700, exist_ok=True)
        with _FileMutex(folder / ".mutex"):
            for path in paths:
                try:
                    mode = path.lstat().st_mode
                except OSError:
                    continue
                if stat.S_ISLNK(mode) or _shared_folder(path, mode):
                    continue
                name = hashlib.sha256(str(path).encode()).hexdigest()[:32]
                fd = os.open(folder / name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
                fcntl.flock(fd, fcntl.LOCK_SH)
                if not os.pread(fd, 16, 0).strip():
                    # The first run to close it: remember the mode to give back.
                    os.pwrite(fd, f"{stat.S_IMODE(mode):o}\n".encode(), 0)
                closed = stat.S_IMODE(mode) & 0o700
                if closed != stat.S_IMODE(mode):
                    os.chmod(path, closed)
                self.held.append((path, fd))
        with self._lock:
            self._open.add(self)

    def __enter__(self) -> _Closed:
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def release(self) -> None:
        if not self.held:
            return
        with _FileMutex(_sandbox_root() / ".closed" / ".mutex"):
            for path, fd in self.held:
                try:
                    # Only the last holder gets the lock to itself, and gives the mode back.
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    continue
                try:
                    recorded = os.pread(fd, 16, 0).strip()
                    if recorded:
                        _restore_mode(path, int(recorded, 8))
                    os.ftruncate(fd, 0)
                except (OSError, ValueError):
                    pass
                os.close(fd)
        self.held = []
        with self._lock:
            self._open.discard(self)

    @classmethod
    def restore_all(cls) -> None:
        """At exit: release whatever runs of this process still hold."""
        with cls._lock:
            pending = list(cls._open)
        for closed in pending:
            closed.release()


class _FileMutex:
    """An exclusive flock on a file, for the few lines that record and restore modes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> _FileMutex:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)


def _restore_mode(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.lstat().st_mode) != mode:
            os.chmod(path, mode)
    except OSError:
        pass


atexit.register(_Closed.restore_all)


def closed_while_grading(protect: list[Path]) -> list[Path]:
    """The paths a root run closes while it grades (for callers that tell their user once)."""
    return [path for path in _secrets([Path(p) for p in protect])
            if path.exists() and not path.is_symlink()
            and not _shared_folder(path, path.lstat().st_mode)]


def _sandbox_root() -> Path:
    """The folder of run folders and uid locks, owned by us and writable by us only.

    Anything else at that path (left by another user, or a symlink) is moved aside first, so a
    sandbox or another user can never choose where the grader writes as root.
    """
    root = SANDBOX_ROOT if _is_root() else SANDBOX_ROOT.with_name(
        f"{SANDBOX_ROOT.name}-{os.geteuid()}")
    try:
        info = root.lstat()
        if not (stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()
                and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            try:
                root.rename(root.with_name(f"{root.name}.untrusted-{secrets.token_hex(4)}"))
            except OSError:
                return Path(tempfile.mkdtemp(prefix="a2-sandboxes-"))
    except FileNotFoundError:
        pass
    try:
        root.mkdir(mode=0o711)
    except FileExistsError:
        pass
    os.chmod(root, 0o711 if _is_root() else 0o700)
    return root


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
        for slot in range(UID_SLOTS):
            fd = os.open(locks / f"{slot}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.uid = UID_BASE + slot
            self._fd = fd
            return
        raise RuntimeError("no free sandbox uid: too many runs at once")

    def release(self) -> None:
        os.close(self._fd)


# ---------------------------------------------------------------- finding sandbox processes


def _status(pid: str) -> dict[str, str] | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _processes() -> list[tuple[int, dict[str, str]]]:
    """(pid, status fields) of every live process (zombies excluded)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _status(name)
            if fields and not fields.get("State", "").startswith(("Z", "X")):
                found.append((int(name), fields))
    return found


def _uids(fields: dict[str, str]) -> set[int]:
    try:
        return {int(value) for value in fields.get("Uid", "").split()[:3]}
    except ValueError:
        return set()


def _processes_of(uid: int) -> list[int]:
    """Live processes whose real, effective or saved uid is ``uid``.

    /proc/<pid> itself is owned by root for a process that made itself non-dumpable, so its
    owner cannot be trusted; the Uid line of its status can.
    """
    return [pid for pid, fields in _processes() if uid in _uids(fields)]


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, fields in _processes():
        try:
            children.setdefault(int(fields.get("PPid", "0")), []).append(pid)
        except ValueError:
            continue
    found, frontier = [], [root]
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in found:
                found.append(child)
                frontier.append(child)
    return found


def _memory_of(pids: list[int]) -> int:
    """Proportional resident memory of these processes, in bytes (shared pages counted once)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            try:
                with open(f"/proc/{pid}/statm", "rb") as handle:
                    total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, ValueError, IndexError):
                continue
    return total


def _kill_uid(uid: int) -> int:
    """Kill every process of ``uid``, daemons included; return how many were seen.

    A forked killer takes the uid and signals every process it may (kill -1), which are exactly
    that uid's; it always runs at least once, even if no process is visible.
    """
    seen: set[int] = set()
    for attempt in range(50):
        alive = _processes_of(uid)
        if not alive and attempt:
            break
        seen.update(alive)
        killer = os.fork()
        if killer == 0:  # pragma: no cover - runs in the forked killer
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(killer, 0)
        time.sleep(0.005 * (attempt + 1))
    return len(seen)


def _kill_by_token(token: str) -> int:
    """Without root: kill processes whose environment carries this run's token."""
    marker = f"A2_SANDBOX_RUN={token}".encode()
    killed = 0
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as handle:
                environ = handle.read()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            try:
                os.kill(int(name), signal.SIGKILL)
                killed += 1
            except OSError:
                pass
    return killed


def _reap_zombies_of(uid: int) -> None:
    """Collect the exit status of this uid's dead processes that were handed to us.

    The grader is a child subreaper while it runs sandboxes as root, so what a killed launcher
    leaves (forked children, daemons) becomes ours rather than PID 1's. Collected here, those
    zombies cannot count against the next run's process limit on the same uid; left to a PID 1
    that never reaps (as in some containers), they made the next submission fail to import.
    Only zombies of the sandbox uid are touched: other children keep their exit status.
    """
    me = str(os.getpid())
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        fields = _status(name)
        if (fields and fields.get("State", "").startswith("Z") and fields.get("PPid") == me
                and uid in _uids(fields)):
            try:
                os.waitpid(int(name), os.WNOHANG)
            except ChildProcessError:
                pass


def _own_tasks() -> int:
    """Processes and threads of this uid: what RLIMIT_NPROC counts."""
    uid = os.getuid()
    total = 0
    for _, fields in _processes():
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            try:
                total += int(fields.get("Threads", "1"))
            except ValueError:
                total += 1
    return total


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
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
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


# ---------------------------------------------------------------- one sandbox session


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


class _Session:
    """One interpreter in the sandbox, answering a list of calls in order."""

    def __init__(self, source: bytes, variables: list[str], calls: list[Call], limits: Limits,
                 uid: int | None, root: Path, libc) -> None:
        self.limits = limits
        self.uid = uid
        self.libc = libc
        self.token = secrets.token_hex(16)
        self.folder = Path(tempfile.mkdtemp(prefix="run-", dir=root))
        for name in ("harness.py", "launcher.py"):
            shutil.copyfile(HERE / name, self.folder / name)
            os.chmod(self.folder / name, 0o444)
        submission = self.folder / "a2.py"
        submission.write_bytes(source)
        os.chmod(submission, 0o444)
        if uid is not None:
            os.chown(self.folder, uid, uid)
        os.chmod(self.folder, 0o700)
        self.read_fd, write_fd = os.pipe()
        header = {"channel_fd": write_fd, "submission": str(submission), "variables": variables}
        self.pending = json.dumps(header).encode() + b"\n"
        self.calls_payload = json.dumps(
            [{"id": c.id, "function": c.function, "args": c.args, "kwargs": c.kwargs}
             for c in calls]).encode() + b"\n"
        self.calls_sent = False
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.folder),
            "TMPDIR": str(self.folder),
            "LANG": "C.UTF-8",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "A2_SANDBOX_RUN": self.token,
        }
        nproc = limits.processes if uid is not None else _own_tasks() + limits.processes
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-s", "-P", "-B", str(self.folder / "launcher.py"),
                 str(self.folder / "harness.py")],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                cwd=self.folder, env=env, pass_fds=(write_fd,),
                preexec_fn=_preexec(limits, uid, nproc, libc), close_fds=True,
            )
        except BaseException:
            os.close(self.read_fd)
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            os.close(write_fd)
        os.set_blocking(self.process.stdin.fileno(), False)
        mode = filter_mode(self.process.pid)
        self.network = ("denied: seccomp filter, AF_UNIX sockets only" if mode == 2 else
                        "not filtered: seccomp unavailable" if mode is not None else "unknown")
        os.set_blocking(self.process.stdout.fileno(), False)
        os.set_blocking(self.read_fd, False)

    def pids(self) -> list[int]:
        """The sandbox's live processes (for the memory watch)."""
        if self.uid is not None:
            return _processes_of(self.uid)
        return [self.process.pid, *_descendants(self.process.pid)]

    def send_calls(self) -> None:
        if not self.calls_sent:
            self.calls_sent = True
            self.pending += self.calls_payload

    def write_some(self) -> bool:
        """Write what is pending to the harness's stdin; return whether more is pending."""
        stdin = self.process.stdin
        if stdin is None or stdin.closed:
            return False
        try:
            while self.pending:
                written = os.write(stdin.fileno(), self.pending[:65536])
                self.pending = self.pending[written:]
        except BlockingIOError:
            return True
        except OSError:
            self.pending = b""
        if self.calls_sent and not self.pending:
            try:
                stdin.close()
            except OSError:
                pass
        return False

    def stop(self) -> list[str]:
        """End the run and everything it started; remove what it left behind."""
        notes = []
        process = self.process
        if self.uid is None and process.poll() is None:
            # Without root the launcher's own clean-up (it is a subreaper) is our best tool.
            try:
                os.kill(process.pid, signal.SIGTERM)
                process.wait(timeout=0.3)
            except (OSError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        if self.uid is not None:
            _kill_uid(self.uid)
        else:
            _kill_by_token(self.token)
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            notes.append("the sandbox supervisor did not exit")
        os.close(self.read_fd)
        for stream in (process.stdout, process.stdin):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.uid is not None:
            _reap_zombies_of(self.uid)
            # Not reported in notes: how many there were can depend on timing, and results
            # must not.
            _remove_files_of(self.uid)
            _remove_ipc_of(self.uid, self.libc)
        return notes


# ---------------------------------------------------------------- event validation


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _valid_value(value, depth: int = 0) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_INT <= value <= MAX_INT
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return depth < 5 and all(_valid_value(item, depth + 1) for item in value)
    if isinstance(value, dict):
        if set(value) == {"$float"}:
            return value["$float"] in ("nan", "inf", "-inf")
        return "$type" in value and set(value) <= {"$type", "$why"}
    return False


def _normalise(value):
    """Replace type markers by ones naming only standard types and fixed reasons."""
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, dict) and "$type" in value:
        why = value.get("$why")
        marker = {"$type": _safe_type(value["$type"])}
        if why in _SAFE_REASONS:
            marker["$why"] = why
        return marker
    return value


def _count_numbers(value) -> int:
    if isinstance(value, list):
        return sum(_count_numbers(item) for item in value)
    return 1


_CALL_STATUSES = {"ok", "error", "missing", "not-implemented"}
_EVENT_PREFIX = b'{"event": "'  # how the harness's json.dumps starts every event


def _parse_event(line: bytes) -> dict | None:
    """Decode one line into an event dict if, and only if, it fits the schema."""
    if len(line) > MAX_EVENT_BYTES or not line.startswith(_EVENT_PREFIX):
        return None  # cheap: a flood of junk lines costs no JSON parsing
    try:
        event = json.loads(line.decode("ascii"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        return None
    kind = event["event"]
    if kind == "static":
        values = event.get("values")
        if isinstance(values, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            return event
    elif kind in ("import_start", "imported", "done"):
        return event
    elif kind == "import_error":
        if event.get("kind") in ("syntax", "exception"):
            return event
    elif kind == "variable":
        if isinstance(event.get("name"), str) and (
            isinstance(event.get("value"), str) or "value" not in event
        ):
            return event
    elif kind == "call_start":
        if isinstance(event.get("id"), str):
            return event
    elif kind == "call_end":
        if isinstance(event.get("id"), str) and event.get("status") in _CALL_STATUSES:
            if event["status"] != "ok":
                return event
            value = event.get("value")
            if _valid_value(value) and _count_numbers(value) <= 100_000:
                event["value"] = _normalise(value)
                return event
    return None


def _line_of(event: dict, lines: int) -> int | None:
    line = event.get("line")
    if isinstance(line, int) and not isinstance(line, bool) and 1 <= line <= lines:
        return line
    return None


def _error_message(event: dict, lines: int) -> tuple[str, str]:
    """(safe message, local-only detail) of an exception reported by the harness."""
    name = _safe_type(event.get("types", event.get("type")))
    line = _line_of(event, lines)
    where = f" (line {line})" if line else ""
    text = _printable(event.get("message"), 300)
    detail = f"{name}: {text}{where}" if text else f"{name}{where}"
    return f"{name}{where}", detail


# ---------------------------------------------------------------- the public entry point


def _read_source(source_path: Path, limits: Limits) -> bytes:
    try:
        fd = os.open(source_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        why = "it is a symbolic link" if exc.errno == 40 else exc.strerror
        raise SubmissionFileError(f"cannot read {source_path.name}: {why}") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SubmissionFileError(f"{source_path.name} is not a regular file")
        chunks, size = [], 0
        while size <= limits.max_source_bytes:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limits.max_source_bytes:
        raise SubmissionFileError(
            f"{source_path.name} is larger than the limit of {limits.max_source_bytes} bytes")
    source = b"".join(chunks)
    if b"\0" in source:
        raise SubmissionFileError(f"{source_path.name} is not a text file (it holds NUL bytes)")
    return source


def run_submission(source_path: Path, variables: list[str], calls: list[Call],
                   limits: Limits = Limits(), protect: list[Path] | None = None,
                   spent: float = 0.0) -> RunOutcome:
    """Run ``source_path`` in the sandbox, answering ``calls`` and reading ``variables``.

    A hang or crash during one call costs that call only: the runner starts a fresh sandbox for
    the calls after it, until ``limits.submission_seconds`` is spent. ``protect`` names paths the
    submission must not read (made owner-only when running as root). ``spent`` is time already
    used of the submission's budget (a caller whose whole run must fit the limit, as on
    Gradescope, passes its own start-up time).
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - students run older Pythons
        # The sandbox's interpreter flags (-P) need 3.11: say so instead of letting the
        # submission look as if it stopped the interpreter.
        raise RuntimeError("grading needs Python 3.11 or newer; this is Python "
                           + ".".join(str(n) for n in sys.version_info[:3]))
    started = time.monotonic()
    deadline = started + max(limits.submission_seconds - max(spent, 0.0),
                             min(limits.submission_seconds, 1.0))
    source = _read_source(Path(source_path), limits)
    lines = source.count(b"\n") + 1
    root = _is_root()
    outcome = RunOutcome(isolation="user" if root else "process")
    libc = _libc()
    if root:
        if libc is not None:
            libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        for path in _interpreter_paths():
            _ensure_traversable(path)
    closed = _Closed(_secrets([Path(p) for p in protect or []]) if root else [])
    try:
        return _run(source, variables, calls, limits, deadline, lines, root, outcome, libc)
    finally:
        closed.release()


def _run(source: bytes, variables: list[str], calls: list[Call], limits: Limits,
         deadline: float, lines: int, root: bool, outcome: RunOutcome, libc) -> RunOutcome:
    """The sessions of one run, while the grader's secrets are closed."""
    sandbox_root = _sandbox_root()
    slot = _UidSlot(sandbox_root) if root else None
    if slot:
        # Whatever an earlier grader left running or lying around under this uid goes first.
        _kill_uid(slot.uid)
        _remove_files_of(slot.uid)
        _remove_ipc_of(slot.uid, libc)
    remaining = list(calls)
    first = True
    printed = bytearray()
    try:
        while first or remaining:
            if deadline - time.monotonic() < 0.5:
                if first:
                    outcome.import_error = "the submission's time limit was used up"
                for call in remaining:
                    outcome.calls[call.id] = CallOutcome(
                        "not-run", message="not run: the submission's time limit was used up")
                outcome.notes.append("submission time limit reached")
                break
            session = _Session(source, variables if first else [], remaining, limits,
                               slot.uid if slot else None, sandbox_root, libc)
            outcome.network = outcome.network or session.network
            driver = _Driver(session, remaining, outcome, limits, deadline, first, lines,
                             variables)
            try:
                finished = driver.run()
            finally:
                outcome.notes.extend(session.stop())
            room = max(0, limits.output_bytes - len(printed))
            if first:
                outcome.import_output = _clean_output(driver.printed[: driver.import_cut][:room])
            printed.extend(driver.printed[:room])
            first = False
            if outcome.import_error is not None:
                for call in remaining:
                    outcome.calls.setdefault(call.id, CallOutcome(
                        "not-run", message="not run: the submission could not be imported"))
                break
            remaining = [c for c in remaining if c.id not in outcome.calls]
            if finished:
                for call in remaining:
                    outcome.calls[call.id] = CallOutcome(
                        "invalid", message="no answer came back for this call")
                break
    finally:
        if slot:
            slot.release()
    outcome.output = _clean_output(bytes(printed))
    return outcome


class _Driver:
    """Reads one session's events until it ends, hangs, overflows or outgrows its limits."""

    def __init__(self, session: _Session, calls: list[Call], outcome: RunOutcome,
                 limits: Limits, deadline: float, first: bool, lines: int,
                 variables: list[str]) -> None:
        self.session = session
        self.outcome = outcome
        self.limits = limits
        self.deadline = deadline
        self.first = first
        self.lines = lines
        self.wanted = set(variables)
        self.known = {c.id for c in calls}
        self.current: str | None = None
        self.phase = "start"  # start -> importing -> calls
        self.phase_deadline = time.monotonic() + limits.import_seconds
        self.finished = False
        self.printed = bytearray()
        self.import_cut = 0
        self.received = 0
        self.buffer = bytearray()
        self.discarding = False
        self.disk_baseline = _free_space(session.folder)

    # -- the loop

    def run(self) -> bool:
        """Returns whether the session ended normally (or the import failed for good)."""
        session = self.session
        selector = selectors.DefaultSelector()
        selector.register(session.read_fd, selectors.EVENT_READ, "events")
        selector.register(session.process.stdout, selectors.EVENT_READ, "printed")
        writing = session.write_some()
        if writing:
            selector.register(session.process.stdin, selectors.EVENT_WRITE, "stdin")
        open_streams = 2
        next_watch = time.monotonic() + WATCH_INTERVAL
        done_at = None
        try:
            while open_streams:
                now = time.monotonic()
                limit = min(self.phase_deadline, self.deadline)
                if done_at is not None:
                    limit = min(limit, done_at + DONE_GRACE)
                    if now >= done_at + DONE_GRACE:
                        return True
                if now >= limit:
                    self._timeout(now >= self.deadline)
                    return False
                if now >= next_watch:
                    next_watch = now + WATCH_INTERVAL
                    if self._over_limits():
                        return False
                timeout = max(0.0, min(limit, next_watch) - now)
                for key, _ in selector.select(timeout=timeout):
                    if key.data == "stdin":
                        if not session.write_some():
                            selector.unregister(key.fileobj)
                            writing = False
                        continue
                    try:
                        chunk = os.read(key.fd, 65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        chunk = b""
                    if not chunk:
                        selector.unregister(key.fileobj)
                        open_streams -= 1
                        continue
                    self.received += len(chunk)
                    if self.received > self.limits.output_bytes:
                        self._overflow()
                        return False
                    if key.data == "printed":
                        self.printed.extend(chunk)
                        continue
                    self._feed(chunk)
                    if self.finished and done_at is None:
                        done_at = time.monotonic()
                    if session.calls_sent and session.pending and not writing:
                        if session.write_some():
                            selector.register(session.process.stdin, selectors.EVENT_WRITE,
                                              "stdin")
                            writing = True
            # Both streams closed: the sandbox ended.
            try:
                session.process.wait(timeout=max(0.1, min(2.0, self.deadline - time.monotonic())))
            except subprocess.TimeoutExpired:
                pass
            if not self.finished:
                self._ended(session.process.returncode)
            return self.finished or self.outcome.import_error is not None
        finally:
            selector.close()

    # -- events

    def _feed(self, chunk: bytes) -> None:
        """Split the channel's bytes into lines (in linear time) and handle each event."""
        *lines, rest = chunk.split(b"\n")
        for line in lines:
            self.buffer.extend(line)
            if not self.discarding and self.buffer:
                event = _parse_event(bytes(self.buffer))
                if event is not None:
                    self._handle(event)
            self.buffer.clear()
            self.discarding = False
        self.buffer.extend(rest)
        if len(self.buffer) > MAX_EVENT_BYTES:
            self.buffer.clear()  # an over-long line is dropped whole, up to its newline
            self.discarding = True

    def _handle(self, event: dict) -> None:
        outcome, kind = self.outcome, event["event"]
        if kind == "static" and self.first and self.phase == "start":
            for name, value in event["values"].items():
                if name in self.wanted:
                    outcome.variables.setdefault(name, _clean_answer(value))
        elif kind == "import_start" and self.phase == "start":
            self.phase = "importing"
            self.phase_deadline = time.monotonic() + self.limits.import_seconds
        elif kind == "import_error" and event["kind"] == "syntax" and self.phase == "start":
            # Reported before any submitted code ran: the compiler's own words.
            line = _line_of(event, self.lines)
            text = _printable(event.get("message"), 120)
            outcome.import_error = "syntax error" + (f" at line {line}" if line else "") + \
                                   (f": {text}" if text else "")
            outcome.import_detail = outcome.import_error
            self.finished = True
        elif kind == "import_error" and event["kind"] == "exception" \
                and self.phase == "importing":
            message, detail = _error_message(event, self.lines)
            outcome.import_error = f"raised {message}"
            outcome.import_detail = f"raised {detail}"
            self.finished = True
        elif kind == "imported" and self.phase == "importing":
            self.phase = "calls"
            self.phase_deadline = time.monotonic() + self.limits.call_seconds
            # Inputs go out only now: everything printed so far was printed without them. The
            # harness flushed before this event, so that output is already in the pipe.
            self._drain_printed()
            self.import_cut = len(self.printed)
            self.session.send_calls()
        elif kind == "variable" and self.first and self.phase == "calls":
            name = event["name"]
            if name not in self.wanted:
                return
            if isinstance(event.get("value"), str):
                outcome.variables[name] = _clean_answer(event["value"])
                outcome.variable_problems.pop(name, None)
            elif event.get("missing") is True:
                outcome.variable_problems[name] = "is not defined"
                outcome.variables.pop(name, None)
            else:
                kind_name = _safe_type(event.get("types", event.get("type")))
                outcome.variable_problems[name] = f"is a {kind_name}, not a string"
                outcome.variables.pop(name, None)
        elif kind == "call_start" and self.phase == "calls":
            if event["id"] in self.known and event["id"] not in outcome.calls:
                self.current = event["id"]
                self.phase_deadline = time.monotonic() + self.limits.call_seconds
        elif kind == "call_end" and self.phase == "calls":
            if event["id"] == self.current:
                if event["status"] == "error":
                    message, detail = _error_message(event, self.lines)
                    result = CallOutcome("error", None, message, detail)
                elif event["status"] == "ok":
                    result = CallOutcome("ok", event.get("value"))
                else:
                    result = CallOutcome(event["status"])
                outcome.calls[self.current] = result
                self.current = None
                self.phase_deadline = time.monotonic() + self.limits.call_seconds
        elif kind == "done" and self.phase == "calls":
            self.finished = True

    def _drain_printed(self) -> None:
        fd = self.session.process.stdout.fileno()
        room = max(0, self.limits.output_bytes - self.received)
        while room:
            try:
                chunk = os.read(fd, min(65536, room))
            except OSError:
                return
            if not chunk:
                return
            self.received += len(chunk)
            room -= len(chunk)
            self.printed.extend(chunk)

    # -- endings

    def _over_limits(self) -> bool:
        """The memory and disk watch: stop the session if it outgrew its limits."""
        what = None
        budget = self.limits.memory_mb * 1024 * 1024
        if _memory_of(self.session.pids()) > budget:
            what = f"more than {self.limits.memory_mb} MiB of memory"
        else:
            now = _free_space(self.session.folder)
            disk = self.limits.disk_mb * 1024 * 1024
            if any(now.get(dev, (free, 0))[0] < free - disk
                   for dev, (free, _) in self.disk_baseline.items()):
                what = f"more than {self.limits.disk_mb} MiB of disk"
            elif any(now.get(dev, (0, inodes))[1] < inodes - MAX_FILES
                     for dev, (_, inodes) in self.disk_baseline.items()):
                what = f"more than {MAX_FILES} files"
        if what is None:
            return False
        self.outcome.notes.append(f"the sandbox used {what}; run stopped")
        self._record_stop(f"stopped: the submission used {what}")
        return True

    def _overflow(self) -> None:
        self.outcome.notes.append("output limit exceeded; run stopped")
        self._record_stop("stopped: the submission produced more output than the limit of "
                          f"{self.limits.output_bytes} bytes")

    def _record_stop(self, message: str) -> None:
        if self.current is not None:
            self.outcome.calls[self.current] = CallOutcome("crashed", message=message)
        elif self.phase != "calls" and self.outcome.import_error is None:
            self.outcome.import_error = message + " while being imported"

    def _ended(self, code: int | None) -> None:
        how = _describe_exit(code)
        if self.phase != "calls" and self.outcome.import_error is None:
            self.outcome.import_error = ("the submission stopped the interpreter while being "
                                         f"imported ({how})")
        elif self.current is not None:
            self.outcome.calls[self.current] = CallOutcome(
                "crashed", message=f"the interpreter stopped during this call ({how})")

    def _timeout(self, whole: bool) -> None:
        limits, outcome = self.limits, self.outcome
        if self.phase in ("start", "importing"):
            seconds = limits.submission_seconds if whole else limits.import_seconds
            outcome.import_error = f"importing the submission took longer than {seconds:g} s"
        elif self.current is not None:
            seconds = limits.submission_seconds if whole else limits.call_seconds
            what = "the submission's time limit" if whole else "the time limit of one call"
            outcome.calls[self.current] = CallOutcome(
                "timeout", message=f"did not return within {what} ({seconds:g} s)")
        elif not self.finished:
            outcome.notes.append("the sandbox hung between calls")


def _free_space(folder: Path) -> dict[int, tuple[int, int]]:
    """(free bytes, free inodes) of each file system the sandbox can write to, by device."""
    free = {}
    for path in (str(folder), *WORLD_WRITABLE):
        try:
            device = os.stat(path).st_dev
            if device not in free:
                info = os.statvfs(path)
                free[device] = (info.f_bavail * info.f_frsize, info.f_favail)
        except OSError:
            continue
    return free


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        code = 128 - code
    if code > 128:
        number = code - 128
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hint = " - memory or CPU limit?" if name in ("SIGKILL", "SIGSEGV", "SIGXCPU") else ""
        return f"killed by {name}{hint}"
    return f"exit status {code}"
