"""What a sandbox run is given and what it gives back: limits, calls and outcomes.

Plain dataclasses every caller uses (the grading core, the front doors, the manifest reader).
This module runs nothing and touches nothing (no processes, no files, no student code), so that
reading a manifest's limits or a run's outcome never starts the sandbox's machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    error_type: str | None = None
    """For an error: the exception's first standard type name ('object' if none), else None."""
    error_line: int | None = None
    """For an error: the line of the submission's file it was raised at, if known, else None."""


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
