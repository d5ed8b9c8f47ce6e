"""What the sandbox user may not read, and the folder the sandboxes run in.

When the grader runs as root, its secrets (the paths the caller names, this package and, in a
source checkout, the rest of the checkout) are made owner-only while any sandbox runs, and get
their modes back when the last run that needs them closed ends, in this process or another,
and at exit whatever happens. Folders on the way to the interpreter get search permission for
others, so the sandbox user can start it.

It changes modes only there, and of the sandboxes' own folder: shared folders (/tmp, /, the
interpreter's, the sandboxes') are never closed, and a secret that is a symlink is left alone.
``_sandbox_root`` is the one folder the grader writes run folders, uid locks and mode records
into; anything else found at its path is moved aside, so no sandbox chooses where root writes.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import secrets
import stat
import sys
import tempfile
import threading
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The installed ``autograder`` package: always among the secrets."""
SANDBOX_ROOT = Path(tempfile.gettempdir()) / "a2-sandboxes"
"""Where run folders, uid locks and mode records live (with the euid appended when not root)."""


def _is_root() -> bool:
    return os.geteuid() == 0


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
