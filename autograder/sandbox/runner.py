"""Run one submission in isolation and bring back plain, validated values.

This is the boundary between student code and the grader. The submission never runs in this
process: a fresh interpreter runs ``launcher.py`` and ``harness.py`` (copied alone into a private
folder) under limits on wall-clock time, CPU time, memory, processes, file size and output size.
When the grader runs as root the child also drops to an unprivileged user of its own before any
submission code runs, the grader's secrets (the paths the caller names, and this package) are
made unreadable to that user, and at the end every process of that user is killed.

Only JSON lines come back, and each is checked against the event schema below before it is
used; anything else is discarded. This module must not compare answers or know any assignment:
it returns a ``RunOutcome`` and the grading core decides what it is worth.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import secrets
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_DIR = HERE.parent
UID_BASE = 64000
UID_SLOTS = 256
SANDBOX_ROOT = Path(tempfile.gettempdir()) / "a2-sandboxes"
MAX_EVENT_BYTES = 2_000_000


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
    """Address space of each sandbox process, in MiB."""
    processes: int = 32
    """Processes and threads the sandbox may have at once."""
    output_bytes: int = 4_000_000
    """Bytes of results and printed output read back per run; beyond that the run is stopped."""
    file_mb: int = 16
    """Largest file the sandbox may write, in MiB."""
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
    """A short, safe description of what went wrong (exception type and message, line)."""


@dataclass
class RunOutcome:
    """Everything the grader learns from running one submission."""

    variables: dict[str, str] = field(default_factory=dict)
    """Answer strings found, by variable name."""
    variable_problems: dict[str, str] = field(default_factory=dict)
    """Why a variable is not a usable string (missing, wrong type), by name."""
    calls: dict[str, CallOutcome] = field(default_factory=dict)
    import_error: str | None = None
    """Why the submission could not be imported, if it could not."""
    output: str = ""
    """What the submission printed (bounded); shown to students only if the instructor says so."""
    isolation: str = "process"
    """'user' when the submission ran as an unprivileged user, 'process' otherwise."""
    notes: list[str] = field(default_factory=list)
    """Run-level events worth telling staff (restarts, time limit hit, killed processes)."""


class SubmissionFileError(Exception):
    """The submitted file cannot be graded at all (missing, too large, not text)."""


def _is_root() -> bool:
    return os.geteuid() == 0


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


def _protect(paths: list[Path]) -> None:
    """Make folders and files unreadable to anyone but their owner (root)."""
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        os.chmod(path, stat.S_IMODE(mode) & 0o700)


class _UidSlot:
    """An unprivileged uid reserved for one run, so parallel runs never kill each other."""

    def __init__(self) -> None:
        locks = SANDBOX_ROOT / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        os.chmod(locks, 0o700)
        for slot in range(UID_SLOTS):
            handle = open(locks / f"{slot}.lock", "w")  # noqa: SIM115 - held for the run
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            self.uid = UID_BASE + slot
            self._handle = handle
            return
        raise RuntimeError("no free sandbox uid: too many runs at once")

    def release(self) -> None:
        self._handle.close()


def _processes_of(uid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            info = os.stat(f"/proc/{name}")
            with open(f"/proc/{name}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if info.st_uid == uid and state != b"Z":
            found.append(int(name))
    return found


def _kill_uid(uid: int) -> int:
    """Kill every process of ``uid``, daemons included; return how many were seen."""
    seen = set()
    for _ in range(100):
        alive = _processes_of(uid)
        if not alive:
            break
        seen.update(alive)
        killer = os.fork()
        if killer == 0:  # pragma: no cover - runs in the forked killer
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(killer, 0)
        time.sleep(0.01)
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


# ---------------------------------------------------------------- one sandbox session


def _preexec(limits: Limits, uid: int | None):
    def apply() -> None:  # runs in the child between fork and exec
        os.setsid()
        os.umask(0o077)
        cpu = int(limits.submission_seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        memory = limits.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        size = limits.file_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
        if uid is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        else:
            mine = _count_own_processes()
            cap = mine + limits.processes
            resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))

    return apply


def _count_own_processes() -> int:
    uid = os.getuid()
    count = 0
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


class _Session:
    """One interpreter in the sandbox, answering a list of calls in order."""

    def __init__(self, source: bytes, variables: list[str], calls: list[Call], limits: Limits,
                 uid: int | None) -> None:
        self.limits = limits
        self.uid = uid
        self.token = secrets.token_hex(16)
        SANDBOX_ROOT.mkdir(parents=True, exist_ok=True)
        if uid is not None:
            os.chmod(SANDBOX_ROOT, 0o711)
        self.folder = Path(tempfile.mkdtemp(prefix="run-", dir=SANDBOX_ROOT))
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
        job = {
            "channel_fd": write_fd,
            "submission": str(submission),
            "variables": variables,
            "calls": [{"id": c.id, "function": c.function, "args": c.args, "kwargs": c.kwargs}
                      for c in calls],
        }
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
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-s", "-P", "-B", str(self.folder / "launcher.py"),
                 str(self.folder / "harness.py")],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                cwd=self.folder, env=env, pass_fds=(write_fd,),
                preexec_fn=_preexec(limits, uid), close_fds=True,
            )
        finally:
            os.close(write_fd)
        try:
            self.process.stdin.write(json.dumps(job).encode())
            self.process.stdin.close()
        except OSError:
            pass  # the child died at once; its absence of events says so

    def stop(self) -> list[str]:
        """End the run and everything it started; remove its folder."""
        notes = []
        process = self.process
        if process.poll() is None:
            try:
                os.kill(process.pid, signal.SIGTERM)
            except OSError:
                pass
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            notes.append("the sandbox supervisor did not exit")
        if self.uid is not None:
            stray = _kill_uid(self.uid)
        else:
            stray = _kill_by_token(self.token)
        if stray:
            notes.append(f"{stray} leftover sandbox process(es) killed")
        os.close(self.read_fd)
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        return notes


# ---------------------------------------------------------------- event validation


def _valid_value(value, depth: int = 0) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, list):
        return depth < 5 and all(_valid_value(item, depth + 1) for item in value)
    if isinstance(value, dict):
        if set(value) == {"$float"}:
            return value["$float"] in ("nan", "inf", "-inf")
        if "$type" in value and set(value) <= {"$type", "$why"}:
            return all(isinstance(v, str) and len(v) <= 400 for v in value.values())
    return False


def _count_numbers(value) -> int:
    if isinstance(value, list):
        return sum(_count_numbers(item) for item in value)
    return 1


_CALL_STATUSES = {"ok", "error", "missing", "not-implemented"}


def _parse_event(line: bytes) -> dict | None:
    """Decode one line into an event dict if, and only if, it fits the schema."""
    try:
        event = json.loads(line.decode("ascii"))
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
        if isinstance(event.get("message", ""), str):
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
                return event
    return None


def _safe_message(event: dict) -> str:
    message = event.get("message") if isinstance(event.get("message"), str) else ""
    line = event.get("line")
    where = f" (line {line})" if isinstance(line, int) and not isinstance(line, bool) else ""
    printable = "".join(ch if ch.isprintable() else "?" for ch in message[:300])
    return printable + where


# ---------------------------------------------------------------- the public entry point


def run_submission(source_path: Path, variables: list[str], calls: list[Call],
                   limits: Limits = Limits(), protect: list[Path] | None = None) -> RunOutcome:
    """Run ``source_path`` in the sandbox, answering ``calls`` and reading ``variables``.

    A hang or crash during one call costs that call only: the runner starts a fresh sandbox for
    the calls after it, until ``limits.submission_seconds`` is spent. ``protect`` names paths the
    submission must not read (made owner-only when running as root).
    """
    try:
        size = source_path.stat().st_size
    except OSError as exc:
        raise SubmissionFileError(f"cannot read {source_path.name}: {exc.strerror}") from exc
    if size > limits.max_source_bytes:
        raise SubmissionFileError(
            f"{source_path.name} is {size} bytes; the limit is {limits.max_source_bytes} bytes"
        )
    source = source_path.read_bytes()
    if b"\0" in source:
        raise SubmissionFileError(f"{source_path.name} is not a text file (it holds NUL bytes)")

    outcome = RunOutcome(isolation="user" if _is_root() else "process")
    slot = None
    if _is_root():
        _ensure_traversable(Path(sys.executable).resolve().parent)
        for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix}:
            _ensure_traversable(Path(prefix).resolve())
        _protect([PACKAGE_DIR, *(protect or [])])
        slot = _UidSlot()
    deadline = time.monotonic() + limits.submission_seconds
    remaining = list(calls)
    first = True
    printed = bytearray()
    try:
        while first or remaining:
            if time.monotonic() >= deadline:
                for call in remaining:
                    outcome.calls[call.id] = CallOutcome(
                        "not-run", message="not run: the submission's time limit was used up")
                outcome.notes.append("submission time limit reached")
                break
            session = _Session(source, variables if first else [], remaining, limits,
                               slot.uid if slot else None)
            try:
                finished, printed_now = _drive(session, remaining, outcome, limits, deadline,
                                               first)
            finally:
                outcome.notes.extend(session.stop())
            printed.extend(printed_now[: max(0, limits.output_bytes - len(printed))])
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
    outcome.output = printed.decode("utf-8", errors="replace")
    return outcome


def _drive(session: _Session, calls: list[Call], outcome: RunOutcome, limits: Limits,
           deadline: float, first: bool) -> tuple[bool, bytes]:
    """Read one session's events until it ends, hangs or overflows.

    Returns (finished normally, printed bytes). Records outcomes into ``outcome``.
    """
    selector = selectors.DefaultSelector()
    selector.register(session.read_fd, selectors.EVENT_READ, "events")
    selector.register(session.process.stdout, selectors.EVENT_READ, "printed")
    buffer = bytearray()
    printed = bytearray()
    received = 0
    known = {c.id for c in calls}
    current: str | None = None
    phase = "start"  # start -> importing -> calls
    phase_deadline = time.monotonic() + limits.import_seconds
    finished = False
    open_streams = 2
    try:
        while open_streams:
            now = time.monotonic()
            limit = min(phase_deadline, deadline)
            if now >= limit:
                _record_timeout(outcome, current, phase, limits, now >= deadline)
                return False, bytes(printed)
            for key, _ in selector.select(timeout=min(0.25, limit - now)):
                try:
                    chunk = os.read(key.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    selector.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                received += len(chunk)
                if received > limits.output_bytes:
                    outcome.notes.append("output limit exceeded; run stopped")
                    if current is not None:
                        outcome.calls[current] = CallOutcome(
                            "invalid", message="stopped: the call produced more output than "
                            f"the limit of {limits.output_bytes} bytes")
                    elif phase != "calls":
                        outcome.import_error = ("printed more than the output limit of "
                                                f"{limits.output_bytes} bytes while importing")
                    return False, bytes(printed)
                if key.data == "printed":
                    printed.extend(chunk)
                    continue
                buffer.extend(chunk)
                while b"\n" in buffer:
                    line, _, rest = bytes(buffer).partition(b"\n")
                    buffer[:] = rest
                    if len(line) > MAX_EVENT_BYTES:
                        continue
                    event = _parse_event(line)
                    if event is None:
                        continue
                    kind = event["event"]
                    if kind == "static" and first and phase == "start":
                        for name, value in event["values"].items():
                            outcome.variables.setdefault(name, value)
                    elif kind == "import_start":
                        phase = "importing"
                        phase_deadline = time.monotonic() + limits.import_seconds
                    elif kind == "import_error" and phase in ("start", "importing"):
                        outcome.import_error = _safe_message(event)
                        if event.get("kind") == "syntax":
                            outcome.import_error = "syntax error: " + outcome.import_error
                    elif kind == "imported":
                        phase = "calls"
                        phase_deadline = time.monotonic() + limits.call_seconds
                    elif kind == "variable" and first and phase == "calls":
                        name = event["name"]
                        if isinstance(event.get("value"), str):
                            outcome.variables[name] = event["value"]
                            outcome.variable_problems.pop(name, None)
                        elif event.get("missing"):
                            outcome.variable_problems[name] = "is not defined"
                            outcome.variables.pop(name, None)
                        else:
                            kind_name = str(event.get("type", "?"))[:40]
                            outcome.variable_problems[name] = f"is a {kind_name}, not a string"
                            outcome.variables.pop(name, None)
                    elif kind == "call_start" and phase == "calls":
                        if event["id"] in known and event["id"] not in outcome.calls:
                            current = event["id"]
                            phase_deadline = time.monotonic() + limits.call_seconds
                    elif kind == "call_end" and phase == "calls":
                        if event["id"] == current:
                            outcome.calls[current] = CallOutcome(
                                event["status"], event.get("value"), _safe_message(event))
                            current = None
                    elif kind == "done" and phase == "calls":
                        finished = True
        # Both streams closed: the sandbox ended.
        session.process.wait(timeout=5)
        code = session.process.returncode
        if not finished:
            how = _describe_exit(code)
            if phase != "calls" and outcome.import_error is None:
                outcome.import_error = f"the submission stopped the interpreter while being " \
                                       f"imported ({how})"
            elif current is not None:
                outcome.calls[current] = CallOutcome(
                    "crashed", message=f"the interpreter stopped during this call ({how})")
        return finished or outcome.import_error is not None, bytes(printed)
    finally:
        selector.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code > 128:
        number = code - 128
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hint = " - memory or CPU limit?" if name in ("SIGKILL", "SIGSEGV", "SIGXCPU") else ""
        return f"killed by {name}{hint}"
    return f"exit status {code}"


def _record_timeout(outcome: RunOutcome, current: str | None, phase: str, limits: Limits,
                    whole: bool) -> None:
    if phase in ("start", "importing"):
        seconds = limits.submission_seconds if whole else limits.import_seconds
        outcome.import_error = f"importing the submission took longer than {seconds:g} s"
    elif current is not None:
        seconds = limits.submission_seconds if whole else limits.call_seconds
        what = "the submission's time limit" if whole else "the time limit of one call"
        outcome.calls[current] = CallOutcome(
            "timeout", message=f"did not return within {what} ({seconds:g} s)")
    else:
        outcome.notes.append("the sandbox hung between calls")
