"""Run one submission in isolation and bring back plain, validated values: ``run_submission``.

This is the boundary between student code and the grader. The submission never runs in this
process: a fresh interpreter runs ``launcher.py`` and ``harness.py`` (copied alone into a private
folder) under limits on wall-clock time, CPU time, memory, processes, file size, disk use and
output size. When the grader runs as root the child also drops to an unprivileged user of its own
(with no way to regain privileges, and without network where the kernel allows it) before any
submission code runs; the grader's secrets (the paths the caller names, this package and, in a
source checkout, the rest of the checkout) are made unreadable to that user; and at the end every
process of that user is killed and every file it left in world-writable places is removed.

Only JSON lines come back, and each is checked against the event schema before it is used;
anything else is discarded. Free text that comes back (exception messages, type names) is
untrusted: it is reduced to a fixed vocabulary for feedback, and kept verbatim only in ``detail``
fields meant for the student's own local check. The cases' inputs are sent only after the
submission has been imported, so what it printed before is free of hidden inputs.

The pieces, each in a module of its own:

* ``outcomes.py``: ``Limits``, ``Call``, ``CallOutcome``, ``RunOutcome``, ``SubmissionFileError``;
* ``protocol.py``: the event schema and what untrusted text may say;
* ``folders.py``: the secrets closed while grading, and the sandboxes' own folder;
* ``hardening.py``: uid slots, the limits applied before exec, the clean-up of a uid;
* ``processes.py``: finding, measuring and killing the sandbox's processes;
* ``session.py``: starting and ending one sandbox interpreter;
* ``driver.py``: the event loop of one session;
* this module: reading the submission, and the sessions of one run within its time budget.

This module must not compare answers or know any assignment: it returns a ``RunOutcome`` and
the grading core decides what it is worth. It re-exports the names callers used to import from
here. See docs/SECURITY.md for the threat model.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

from .driver import _Driver
from .folders import (
    PACKAGE_DIR,
    _Closed,
    _ensure_traversable,
    _interpreter_paths,
    _is_root,
    _sandbox_root,
    _secrets,
    closed_while_grading,
)
from .hardening import (
    _PR_SET_CHILD_SUBREAPER,
    _libc,
    _remove_files_of,
    _remove_ipc_of,
    _UidSlot,
)
from .outcomes import Call, CallOutcome, Limits, RunOutcome, SubmissionFileError
from .processes import _kill_uid
from .protocol import _clean_output
from .session import _Session

__all__ = [
    "PACKAGE_DIR",
    "Call",
    "CallOutcome",
    "Limits",
    "RunOutcome",
    "SubmissionFileError",
    "closed_while_grading",
    "process_age",
    "run_submission",
]


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
                   limits: Limits = Limits(),  # noqa: B008 - a frozen dataclass
                   protect: list[Path] | None = None, spent: float = 0.0) -> RunOutcome:
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
