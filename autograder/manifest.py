"""Load and validate the grading manifest: the assignment's parts, marks, case groups and rubrics.

The manifest (``solutions/manifest.yaml``) is the only place the engine learns what an assignment
is. This module reads it into frozen dataclasses; ``manifest_schema.py`` declares its shape and
rejects anything it does not understand with errors naming the file, the line, the part and the
fix. It must not import the solutions' Python modules;
``casebook.py`` does that when it materialises cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .sandbox.outcomes import Limits


class ManifestError(Exception):
    """The manifest is not usable; the message names the file, the place and the fix."""


@dataclass(frozen=True)
class Group:
    """A group of cases of one function part that earns marks together."""

    id: str
    title: str
    visibility: str
    """'public': students see these cases and their results at once; 'hidden': they don't."""
    marks: float
    generator: str
    """Name of the case generator in the manifest's cases module."""
    step: float = 0.25
    """Marks are rounded down to a multiple of this (share of cases passed times marks)."""


@dataclass(frozen=True)
class Part:
    """One question part."""

    id: str
    title: str
    marks: float
    kind: str
    variable: str | None = None
    """For text parts: the submission's variable holding the answer."""
    rubric: Path | None = None
    function: str | None = None
    """For function parts: the submission's function to call."""
    reference: str | None = None
    """For function parts: the reference function's name in the references module."""
    compare: dict = field(default_factory=dict)
    groups: tuple[Group, ...] = ()
    explain: str | None = None
    """For function parts: the function of the manifest's explanations module that writes out
    a public case's right answer (cell by cell, step by step) for feedback."""


@dataclass(frozen=True)
class Example:
    """A submission the build grades before writing a zip, with the score it must get."""

    name: str
    files: tuple[Path, ...]
    """Concatenated in order into one submission (later definitions override earlier ones)."""
    total: float | None = None
    min_total: float | None = None
    parts: dict = field(default_factory=dict)
    """Exact scores some parts must get, by part id."""

    def source(self) -> bytes:
        """The composed submission file."""
        return b"\n".join(path.read_bytes() for path in self.files)


@dataclass(frozen=True)
class Manifest:
    """A whole assignment as the engine sees it."""

    path: Path
    assignment: str
    submission: str
    seed: int
    references: Path
    cases: Path
    parts: tuple[Part, ...]
    limits: Limits
    examples: tuple[Example, ...] = ()
    show_output: bool = False
    """Whether Gradescope shows students what their submission printed (cut to
    ``output_chars``); the local check always shows it."""
    output_chars: int = 2000
    misconceptions: Path | None = None
    """The misconception catalogue (``autograder/misconceptions.py`` reads it), if any."""
    explanations: Path | None = None
    """Module of the functions that explain public cases (parts name them with ``explain``)."""

    @property
    def marks(self) -> float:
        """Total marks of the assignment."""
        return sum(part.marks for part in self.parts)

    def part(self, part_id: str) -> Part:
        """The part with this id, or a ManifestError listing the ids there are."""
        for part in self.parts:
            if part.id == part_id:
                return part
        known = ", ".join(p.id for p in self.parts)
        raise ManifestError(f"{self.path}: no part {part_id!r}; parts are {known}")


def load_manifest(path: str | Path) -> Manifest:
    """Read and validate a manifest file.

    Every problem is reported at once, each naming the file, its line, the place and the fix
    (the declared shape is in ``manifest_schema.py``; unknown keys are errors).

    >>> from pathlib import Path
    >>> m = load_manifest(Path(__file__).resolve().parents[1] / "solutions" / "manifest.yaml")
    >>> m.marks
    12.0
    """
    # Imported here: the wheel on Gradescope imports this module's types without PyYAML's
    # line loader or pydantic, which only instructors' commands need.
    from . import manifest_schema
    from .yamlio import YamlError, line_of, load_yaml_with_lines

    path = Path(path).resolve()
    if not path.is_file():
        raise ManifestError(f"{path}: no such manifest; pass --manifest PATH")
    try:
        data = load_yaml_with_lines(path)
    except YamlError as exc:
        raise ManifestError(str(exc)) from exc
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: the manifest must be a mapping with 'parts'")
    found = manifest_schema.problems(data)
    if found:
        raise ManifestError("\n".join(f"{path}:{line}: {message}"
                                      for line, message in sorted(found, key=lambda f: f[0])))
    base = path.parent
    parts = []
    for raw in data["parts"]:
        part_id, kind = raw["id"], raw["kind"]
        title = str(raw.get("title") or part_id)
        marks = float(raw["marks"])
        if kind == "text":
            parts.append(Part(part_id, title, marks, kind, variable=raw["variable"],
                              rubric=base / raw["rubric"]))
            continue
        groups = tuple(Group(id=g["id"], title=str(g.get("title") or g["id"]),
                             visibility=g["visibility"], marks=float(g["marks"]),
                             generator=g["generator"], step=float(g.get("step", 0.25)))
                       for g in raw["groups"])
        parts.append(Part(part_id, title, marks, kind, function=raw["function"],
                          reference=str(raw.get("reference") or raw["function"]),
                          compare=dict(raw["compare"]), groups=groups,
                          explain=raw.get("explain")))
    try:
        limits = Limits.from_dict(data.get("limits"))
    except ValueError as exc:
        raise ManifestError(f"{path}:{line_of(data, 'limits')}: limits: {exc}") from exc
    examples = []
    for raw in data.get("examples") or []:
        files = tuple(base / f for f in raw["files"])
        for file in files:
            if not file.is_file():
                raise ManifestError(f"{path}:{line_of(raw, 'files')}: example {raw['name']}: "
                                    f"no file {file}; fix the path")
        expect = raw["expect"]
        examples.append(Example(raw["name"], files, total=expect.get("total"),
                                min_total=expect.get("min_total"),
                                parts=dict(expect.get("parts") or {})))
    optional = {}
    for key in ("misconceptions", "explanations"):
        if data.get(key) is not None:
            target = base / data[key]
            if not target.is_file():
                raise ManifestError(f"{path}:{line_of(data, key)}: {key}: no file {target}; "
                                    "fix the path or remove the entry")
            optional[key] = target
    return Manifest(
        **optional,
        examples=tuple(examples),
        path=path,
        assignment=str(data.get("assignment") or path.stem),
        submission=str(data.get("submission", "submission.py")),
        seed=int(data.get("seed", 0)),
        references=base / data["references"],
        cases=base / data["cases"],
        parts=tuple(parts),
        limits=limits,
        show_output=bool(data.get("show_output", False)),
        output_chars=int(data.get("output_chars", 2000)),
    )


def default_manifest_path() -> Path:
    """``solutions/manifest.yaml`` under the current folder, else beside this package."""
    here = Path.cwd() / "solutions" / "manifest.yaml"
    if here.is_file():
        return here
    return Path(__file__).resolve().parents[1] / "solutions" / "manifest.yaml"
