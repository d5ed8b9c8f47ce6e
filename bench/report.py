"""Writing the bench's figures: ``bench/results.json``, ``bench/RESULTS.md`` and the README's
"Performance" section (replaced whole, so the README always shows the latest table).

This module writes those three files only, each atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder.files import write_atomic

from .common import BENCH, ROOT, Figure

SECTION = "## Performance"


def table(figures: list[Figure]) -> list[str]:
    lines = ["| figure | measured | target | verdict |", "|---|---:|---|---|"]
    for f in figures:
        value = "-" if f.value is None else f"{f.value:g} {f.unit}".strip()
        lines.append(f"| {f.name} | {value} | {f.target} | {f.verdict} |")
    return lines


def _machine_line(machine: dict) -> str:
    return (f"{machine['date']}, commit {machine['commit']}: {machine['cores']} cores, "
            f"{machine['memory_gib']} GiB, {machine['cpu']}; Python {machine['python']}, "
            f"Otter-Grader {machine['otter_grader']}, NumPy {machine['numpy']}; "
            f"load average at start {machine['load_average_at_start']}")


def markdown(figures: list[Figure], machine: dict, seconds: float) -> str:
    lines = ["# Benchmark results (written by `make bench`)", "",
             f"Measured {_machine_line(machine)}; the bench took {seconds:.0f} s.", "",
             *table(figures), "", "## How each figure was measured", ""]
    for f in figures:
        lines.append(f"- **{f.name}** ({f.verdict}): {f.detail}")
    lines += ["", "What the figures mean and how to run the bench: [README.md](README.md).", ""]
    return "\n".join(lines)


def readme_section(figures: list[Figure], machine: dict) -> str:
    return "\n".join([
        SECTION, "",
        f"Latest `make bench` ({_machine_line(machine)}; details in "
        "[bench/RESULTS.md](bench/RESULTS.md), what each figure means in "
        "[bench/README.md](bench/README.md)):", "",
        *table(figures), "",
        "Timings from a shared machine are noisy (the load average is recorded with them). "
        "Where the Gradescope path's time goes, what is Otter's own and what is left: "
        "[bench/README.md](bench/README.md#where-the-gradescope-paths-time-goes-profile); "
        "what limits `a2 grade`: [its notes](bench/README.md#notes-on-the-batch-figure).", ""])


def replace_section(text: str, section: str) -> str:
    """``text`` with its "Performance" section replaced by ``section`` (appended if absent)."""
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    after = text.find("\n## ", start + 1)
    tail = "\n" + text[after + 1:] if after >= 0 else ""
    return text[:start + 1] + section + tail


def write(figures: list[Figure], machine: dict, seconds: float,
          readme: Path = ROOT / "README.md") -> None:
    data = {"machine": machine, "seconds": round(seconds, 1),
            "figures": [f.to_dict() for f in figures]}
    write_atomic(BENCH / "results.json", json.dumps(data, indent=1) + "\n")
    write_atomic(BENCH / "RESULTS.md", markdown(figures, machine, seconds))
    write_atomic(readme, replace_section(readme.read_text(encoding="utf-8"),
                                         readme_section(figures, machine)))
