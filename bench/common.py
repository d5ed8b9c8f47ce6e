"""What every benchmark shares: figures with their targets, interleaved timing, the machine.

A figure is one number the bench reports, with its target and whether it met it. Pairs are
timed alternately (A B A B ...) in one run, so load that comes and goes on a shared machine falls
on both sides alike, and each side is reported by its median.

This module must not grade anything or touch /autograder; it only times commands and describes
the machine.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent


class BenchError(RuntimeError):
    """The bench could not run a measurement; the message says what failed and what to do."""


@dataclass
class Figure:
    """One reported figure: a measured value, how it is computed, and its target."""

    name: str
    value: float | None
    """The measured value (None when it was skipped)."""
    unit: str
    target: str
    """The target in words, e.g. '<= 0.1x' or '<= floor + 1 s'."""
    passed: bool | None
    """Whether the target was met (None when skipped)."""
    detail: str = ""
    """How it was measured: the medians it comes from, the runs, the command."""
    samples: dict[str, list[float]] = field(default_factory=dict)
    """The raw timings (seconds) behind it, by side."""

    @property
    def verdict(self) -> str:
        return "SKIP" if self.passed is None else "PASS" if self.passed else "FAIL"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["verdict"] = self.verdict
        return data


def skipped(name: str, target: str, why: str) -> Figure:
    """A figure that could not be measured here, with the reason."""
    return Figure(name, None, "", target, None, why)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def interleave(sides: dict[str, Callable[[], float]], rounds: int,
               progress: Callable[[str], None] = print) -> dict[str, list[float]]:
    """Run each side once per round, in turn (A B C A B C ...); each call returns its seconds."""
    samples: dict[str, list[float]] = {name: [] for name in sides}
    for index in range(rounds):
        for name, run in sides.items():
            seconds = run()
            samples[name].append(seconds)
            progress(f"    round {index + 1}/{rounds}  {name:<28} {seconds:7.2f} s")
    return samples


def timed(command: Sequence[str], *, cwd: Path | None = None, timeout: float = 600,
          env: dict | None = None, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command to its end; its wall-clock seconds and what it returned."""
    started = time.monotonic()
    try:
        done = subprocess.run(list(command), cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{' '.join(command)} did not finish within {timeout:g} s") from exc
    seconds = time.monotonic() - started
    if check and done.returncode != 0:
        raise BenchError(f"{' '.join(command)} exited with {done.returncode}:\n"
                         f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, done


def warm_grading_data() -> None:
    """Derive the grading data ``a2 check`` and ``a2 grade`` read (``.a2cache``) before anything
    is timed: on a fresh clone the first of them would otherwise pay for the SymPy derivations."""
    from autograder.casebook import cached_grading_data
    from autograder.manifest import load_manifest

    cached_grading_data(load_manifest(ROOT / "solutions" / "manifest.yaml"))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return float("nan")


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        commit = done.stdout.strip() or "unknown"
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=10).stdout.strip()
        return commit + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def machine() -> dict:
    """What the figures were measured on."""
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "otter_grader": _version("otter-grader"),
        "numpy": _version("numpy"),
        "os": f"{platform.system()} {platform.release()}",
        "root": os.geteuid() == 0,
        "load_average_at_start": load,
    }
