"""Supervisor of one sandbox run: starts the harness and, when it ends, ends everything it started.

Copied alone into the sandbox folder and started by the runner already inside the sandbox (its
user, its limits, its own session). It makes itself a child subreaper so that processes the
submission forks and orphans (double-forked daemons included) are re-parented to it, and kills all
of its descendants before it exits, whatever happened. Standard library only; it must not import
the ``autograder`` package.

Usage: ``python launcher.py HARNESS`` with the job on stdin, passed through to the harness.
Exit status: the harness's exit status, or 128 + signal number if a signal ended it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def _children(parent: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields follow the last ')'.
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == parent:
            found.append(int(name))
    return found


def _kill_descendants() -> None:
    me = os.getpid()
    for _ in range(200):
        pending = _children(me)
        frontier = list(pending)
        while frontier:
            child = frontier.pop()
            grandchildren = _children(child)
            pending.extend(grandchildren)
            frontier.extend(grandchildren)
        if not pending:
            return
        for pid in pending:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                reaped, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if reaped == 0:
                break
        time.sleep(0.005)


def main() -> int:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except OSError:
        pass
    stop = {"requested": False}

    def on_term(signum, frame):  # noqa: ARG001
        stop["requested"] = True

    signal.signal(signal.SIGTERM, on_term)
    harness = sys.argv[1]
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.execv(sys.executable, [sys.executable, "-s", "-P", "-B", harness])
    status = 0
    while True:
        if stop["requested"]:
            status = 128 + signal.SIGTERM
            break
        try:
            done, raw = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            break
        if done == pid:
            status = os.waitstatus_to_exitcode(raw)
            status = 128 - status if status < 0 else status
            break
        time.sleep(0.01)
    _kill_descendants()
    return status


if __name__ == "__main__":
    sys.exit(main())
