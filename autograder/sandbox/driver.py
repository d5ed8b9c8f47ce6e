"""The event loop of one session: its events and printed output, read into a ``RunOutcome``.

Runs in the grader. It enforces the wall-clock limits of the import and of each call, the output
limit, and the memory and disk watch; it turns each event that passed ``protocol._parse_event``
into answer variables, an import error or a ``CallOutcome``, and has the session send the cases'
inputs only once the import has ended. It reads only the session's pipes, /proc and the disks'
free space, and decides nothing about marks.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from pathlib import Path

from .hardening import WORLD_WRITABLE, _disk_use_of
from .outcomes import Call, CallOutcome, Limits, RunOutcome
from .processes import _memory_of
from .protocol import (
    MAX_EVENT_BYTES,
    _clean_answer,
    _error_message,
    _error_origin,
    _line_of,
    _parse_event,
    _printable,
    _safe_type,
)
from .session import _Session

WATCH_INTERVAL = 0.1
"""Seconds between two looks at the sandbox's memory and the disks' free space."""
MAX_FILES = 50_000
"""Files (inodes) the sandbox may create in all: running a file system out of inodes would stop
the grader from writing results.json as surely as filling it."""
DONE_GRACE = 0.2
"""Seconds to keep reading printed output after the harness said it is done."""


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
                article = "an" if kind_name[:1] in "aeiou" else "a"
                outcome.variable_problems[name] = f"is {article} {kind_name}, not a string"
                outcome.variables.pop(name, None)
        elif kind == "call_start" and self.phase == "calls":
            if event["id"] in self.known and event["id"] not in outcome.calls:
                self.current = event["id"]
                self.phase_deadline = time.monotonic() + self.limits.call_seconds
        elif kind == "call_end" and self.phase == "calls":
            if event["id"] == self.current:
                if event["status"] == "error":
                    message, detail = _error_message(event, self.lines)
                    error_type, error_line = _error_origin(event, self.lines)
                    result = CallOutcome("error", None, message, detail, error_type, error_line)
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
            over_bytes = any(now.get(dev, (free, 0))[0] < free - disk
                             for dev, (free, _) in self.disk_baseline.items())
            over_files = any(now.get(dev, (0, inodes))[1] < inodes - MAX_FILES
                             for dev, (_, inodes) in self.disk_baseline.items())
            if (over_bytes or over_files) and self.session.uid is not None:
                # The disks filled up, but perhaps not by the submission: with a user of its
                # own, count what it holds, and charge it only that.
                used, files = _disk_use_of(self.session.uid, self.session.folder,
                                           self.session.pids())
                over_bytes, over_files = used > disk, files > MAX_FILES
                if not (over_bytes or over_files):
                    # Others wrote: from now on, the watch counts from here (less what the
                    # submission already holds).
                    self.disk_baseline = {dev: (free + used, inodes + files)
                                          for dev, (free, inodes) in now.items()}
            if over_bytes:
                what = f"more than {self.limits.disk_mb} MiB of disk"
            elif over_files:
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
