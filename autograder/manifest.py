"""Load and validate the grading manifest: the assignment's parts, marks, case groups and rubrics.

The manifest (``solutions/manifest.yaml``) is the only place the engine learns what an assignment
is. This module reads it into frozen dataclasses and rejects anything it does not understand with
an error naming the file, the part and the fix. It must not import the solutions' Python modules;
``casebook.py`` does that when it materialises cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .sandbox.outcomes import Limits

VISIBILITIES = ("public", "hidden")
KINDS = ("function", "text")
COMPARE_KINDS = ("integer", "array")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
    """Whether students see what their submission printed (cut to ``output_chars``)."""
    output_chars: int = 2000

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


def _need(data: dict, key: str, where: str, kind: type | tuple, path: Path):
    if key not in data:
        raise ManifestError(f"{path}: {where} needs a '{key}' entry")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ManifestError(f"{path}: {where}: '{key}' must be {_kind_name(kind)}, "
                            f"not {value!r}")
    return value


def _kind_name(kind) -> str:
    names = {str: "text", int: "an integer", float: "a number", dict: "a mapping",
             list: "a list", bool: "true or false"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _marks(value, where: str, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ManifestError(f"{path}: {where}: marks must be a number >= 0, not {value!r}")
    return float(value)


def load_manifest(path: str | Path) -> Manifest:
    """Read and validate a manifest file.

    >>> from pathlib import Path
    >>> m = load_manifest(Path(__file__).resolve().parents[1] / "solutions" / "manifest.yaml")
    >>> m.marks
    12.0
    """
    import yaml  # only instructors' commands read manifests; the student bundle may lack yaml

    path = Path(path).resolve()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"),  # noqa: S506 - a safe loader
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path}: no such manifest; pass --manifest PATH") from exc
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: the manifest must be a mapping with 'parts'")
    base = path.parent
    parts = []
    seen = set()
    for index, raw in enumerate(_need(data, "parts", "the manifest", list, path)):
        where = f"parts[{index}]"
        if not isinstance(raw, dict):
            raise ManifestError(f"{path}: {where} must be a mapping")
        part_id = _need(raw, "id", where, str, path)
        where = f"part {part_id}"
        if part_id in seen:
            raise ManifestError(f"{path}: {where} appears twice; part ids must be unique")
        seen.add(part_id)
        kind = _need(raw, "kind", where, str, path)
        if kind not in KINDS:
            raise ManifestError(f"{path}: {where}: kind must be one of {KINDS}, not {kind!r}")
        marks = _marks(_need(raw, "marks", where, (int, float), path), where, path)
        title = str(raw.get("title", part_id))
        if kind == "text":
            variable = _need(raw, "variable", where, str, path)
            rubric = base / _need(raw, "rubric", where, str, path)
            parts.append(Part(part_id, title, marks, kind, variable=variable, rubric=rubric))
            continue
        function = _need(raw, "function", where, str, path)
        if not _IDENT.match(function):
            raise ManifestError(f"{path}: {where}: function {function!r} is not a Python name")
        compare = _need(raw, "compare", where, dict, path)
        if compare.get("kind") not in COMPARE_KINDS:
            raise ManifestError(f"{path}: {where}: compare.kind must be one of {COMPARE_KINDS}")
        groups = []
        for g_index, g_raw in enumerate(_need(raw, "groups", where, list, path)):
            g_where = f"{where}, groups[{g_index}]"
            if not isinstance(g_raw, dict):
                raise ManifestError(f"{path}: {g_where} must be a mapping")
            visibility = _need(g_raw, "visibility", g_where, str, path)
            if visibility not in VISIBILITIES:
                raise ManifestError(f"{path}: {g_where}: visibility must be one of "
                                    f"{VISIBILITIES}, not {visibility!r}")
            step = float(g_raw.get("step", 0.25))
            groups.append(Group(
                id=_need(g_raw, "id", g_where, str, path),
                title=str(g_raw.get("title", g_raw["id"])),
                visibility=visibility,
                marks=_marks(_need(g_raw, "marks", g_where, (int, float), path), g_where, path),
                generator=_need(g_raw, "generator", g_where, str, path),
                step=step,
            ))
        total = sum(g.marks for g in groups)
        if abs(total - marks) > 1e-9:
            raise ManifestError(f"{path}: {where}: its groups' marks add up to {total:g}, "
                                f"but the part has {marks:g}; make them agree")
        parts.append(Part(part_id, title, marks, kind, function=function,
                          reference=str(raw.get("reference", function)), compare=dict(compare),
                          groups=tuple(groups)))
    try:
        limits = Limits.from_dict(data.get("limits"))
    except ValueError as exc:
        raise ManifestError(f"{path}: limits: {exc}") from exc
    examples = []
    for index, raw in enumerate(data.get("examples") or []):
        where = f"examples[{index}]"
        if not isinstance(raw, dict):
            raise ManifestError(f"{path}: {where} must be a mapping with name, files, expect")
        name = _need(raw, "name", where, str, path)
        files = tuple(base / f for f in _need(raw, "files", f"example {name}", list, path))
        for file in files:
            if not file.is_file():
                raise ManifestError(f"{path}: example {name}: no file {file}")
        expect = _need(raw, "expect", f"example {name}", dict, path)
        examples.append(Example(name, files, total=expect.get("total"),
                                min_total=expect.get("min_total"),
                                parts=dict(expect.get("parts") or {})))
    return Manifest(
        examples=tuple(examples),
        path=path,
        assignment=str(data.get("assignment", path.stem)),
        submission=str(data.get("submission", "submission.py")),
        seed=int(data.get("seed", 0)),
        references=base / _need(data, "references", "the manifest", str, path),
        cases=base / _need(data, "cases", "the manifest", str, path),
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
