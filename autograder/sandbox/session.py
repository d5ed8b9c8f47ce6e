"""One interpreter in the sandbox: started under its limits, fed its job, ended with all it started.

Runs in the grader. ``_Session`` copies ``launcher.py`` and ``harness.py`` (only they) and the
submission into a fresh run folder, starts the interpreter through ``hardening._preexec``, writes
the job to its stdin (the cases' inputs only when the driver says the import has ended), and on
``stop`` kills every process of the run and removes what it left. It does not read the events
(``driver.py`` does) and never imports student code.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .hardening import _preexec, _remove_files_of, _remove_ipc_of
from .netfilter import filter_mode
from .outcomes import Call, Limits
from .processes import (
    _descendants,
    _kill_by_token,
    _kill_uid,
    _own_tasks,
    _processes_of,
    _reap_zombies_of,
)

HERE = Path(__file__).resolve().parent
"""This folder, which holds the launcher and the harness copied into each run folder."""


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
