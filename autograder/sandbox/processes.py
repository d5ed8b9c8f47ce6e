"""Finding, measuring and killing the sandbox's processes, through /proc.

Runs in the grader, as root when grading as root. It reads /proc; it signals only processes of
a sandbox uid (through a forked killer that takes that uid) or, without root, processes whose
environment carries one run's token; and it reaps only zombies of a sandbox uid that were handed
to the grader. Nothing else is signalled or reaped: the grader's other children keep their exit
status.
"""

from __future__ import annotations

import os
import re
import signal
import time

_FIELDS = re.compile(rb"^(State|Uid|PPid|Threads):[ \t]*(.*?)[ \t]*$", re.MULTILINE)
"""The lines of /proc/<pid>/status this module reads. The kernel escapes newlines in the one
field a process names itself (Name), so a process cannot forge a line; the last of a key wins."""


def _status(pid: str) -> dict[str, str] | None:
    """State, Uid, PPid and Threads of a process (the grader scans every process several times
    per submission: only these fields are parsed)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return {key.decode(): value.decode("ascii", "replace") for key, value in _FIELDS.findall(data)}


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
