"""The manifest's declared shape: pydantic models that reject what they do not know.

``manifest.py`` reads the YAML (with line numbers) and hands the raw data to :func:`validate`,
which checks it against these models and turns every problem into one line naming the file,
the line, the place (``part q1_ii, groups[0]``), what is wrong and the fix. Unknown keys are
errors, so a misspelt ``visiblity:`` never silently falls back to a default.

Only instructors' commands read manifests (build, grade, demo, rubric tools): pydantic is
imported here and nowhere on the student's or Gradescope's path, which read the casebook the
build wrote. This module must not import the solutions or touch any file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from .yamlio import line_of

PYTHON_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
Marks = Annotated[StrictInt | StrictFloat, Field(ge=0)]
Name = Annotated[StrictStr, Field(pattern=PYTHON_NAME)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupSpec(_Strict):
    """A group of cases of a function part that earns marks together."""

    id: StrictStr
    title: StrictStr | None = None
    visibility: Literal["public", "hidden"]
    marks: Marks
    generator: StrictStr
    step: Annotated[StrictInt | StrictFloat, Field(ge=0)] = 0.25


class CompareSpec(_Strict):
    """How a function's answers are compared with the reference's."""

    kind: Literal["integer", "array"]
    rtol: Annotated[StrictInt | StrictFloat, Field(ge=0)] = 1e-6
    atol: Annotated[StrictInt | StrictFloat, Field(ge=0)] = 1e-9


class TextPartSpec(_Strict):
    """A short answer, marked by a rubric."""

    id: StrictStr
    kind: Literal["text"]
    title: StrictStr | None = None
    marks: Marks
    variable: Name
    rubric: StrictStr


class FunctionPartSpec(_Strict):
    """A numeric part: a function called on cases and compared with a derived reference."""

    id: StrictStr
    kind: Literal["function"]
    title: StrictStr | None = None
    marks: Marks
    function: Name
    reference: Name | None = None
    compare: CompareSpec
    groups: list[GroupSpec] = Field(min_length=1)
    explain: Name | None = None

    @model_validator(mode="after")
    def _groups_add_up(self) -> FunctionPartSpec:
        total = sum(g.marks for g in self.groups)
        if abs(total - self.marks) > 1e-9:
            raise ValueError(f"its groups' marks add up to {total:g}, but the part has "
                             f"{self.marks:g}; make them agree")
        ids = [g.id for g in self.groups]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"group id(s) {', '.join(twice)} appear twice; make them unique")
        return self


PartSpec = Annotated[TextPartSpec | FunctionPartSpec, Field(discriminator="kind")]


class ExpectSpec(_Strict):
    """What an example must score for the build to go ahead."""

    total: Marks | None = None
    min_total: Marks | None = None
    parts: dict[StrictStr, Marks] = Field(default_factory=dict)


class ExampleSpec(_Strict):
    """A submission the build grades before writing a zip."""

    name: StrictStr
    files: list[StrictStr] = Field(min_length=1)
    expect: ExpectSpec


class ManifestSpec(_Strict):
    """A whole assignment."""

    assignment: StrictStr | None = None
    submission: StrictStr = "submission.py"
    seed: StrictInt = 0
    references: StrictStr
    cases: StrictStr
    explanations: StrictStr | None = None
    misconceptions: StrictStr | None = None
    show_output: StrictBool = False
    output_chars: Annotated[StrictInt, Field(gt=0)] = 2000
    limits: dict[StrictStr, Any] | None = None
    parts: list[PartSpec]
    examples: list[ExampleSpec] = Field(default_factory=list)

    @field_validator("parts")
    @classmethod
    def _unique_ids(cls, parts: list) -> list:
        ids = [p.id for p in parts]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"part id(s) {', '.join(twice)} appear twice; part ids must be "
                             "unique")
        return parts



def _place(data: Any, loc: tuple) -> tuple[str, int, Any]:
    """A readable place for ``loc`` ("part q1_ii, groups[0], marks"), its line in the file and
    the value there (None where the file has nothing)."""
    words: list[str] = []
    node, line = data, line_of(data)
    previous = None
    for step in loc:
        if step in ("function", "text") and isinstance(previous, int) and words \
                and words[-1].startswith("part "):
            previous = step
            continue  # the union's tag, not a key of the file
        previous = step
        if isinstance(node, list) and isinstance(step, int) and step < len(node):
            line = line_of(node, step) or line
            node = node[step]
            if words and words[-1] == "parts" and isinstance(node, dict) and "id" in node:
                words[-1] = f"part {node['id']}"
            elif words:
                words[-1] = f"{words[-1]}[{step}]"
            continue
        if isinstance(node, dict) and step in node:
            line = line_of(node, step) or line
            node = node[step]
            words.append(str(step))
            continue
        node = None
        words.append(str(step))
    return ", ".join(words) or "the manifest", line, node


def _known_keys(loc: tuple) -> str:
    models = {"groups": GroupSpec, "compare": CompareSpec, "expect": ExpectSpec,
              "examples": ExampleSpec, "text": TextPartSpec, "function": FunctionPartSpec}
    model: type[BaseModel] = ManifestSpec
    for step in loc[:-1]:
        if isinstance(step, str) and step in models:
            model = models[step]
    return ", ".join(model.model_fields)


def _cross_checks(data: Any) -> list[tuple[int, str]]:
    """Problems no single entry shows: a part naming an explanation with no module to hold it."""
    found = []
    if not isinstance(data, dict) or data.get("explanations"):
        return found
    for part in data.get("parts") or []:
        if isinstance(part, dict) and part.get("explain"):
            found.append((line_of(part, "explain"),
                          f"part {part.get('id')} names explain: {part['explain']}, but the "
                          "manifest has no 'explanations: MODULE.py' entry; add one"))
    return found


def problems(data: Any) -> list[tuple[int, str]]:
    """Every problem of a manifest's raw data as (line, message); empty when it is valid."""
    found = _cross_checks(data)
    try:
        ManifestSpec.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            place, line, _ = _place(data, loc)
            kind = error["type"]
            key = str(loc[-1]) if loc else ""
            ctx = error.get("ctx") or {}
            if kind == "extra_forbidden":
                place = _place(data, loc[:-1])[0]
                message = f"unknown key '{key}'; remove it or fix its spelling " \
                          f"(known: {_known_keys(loc)})"
            elif kind == "missing":
                place, line, _ = _place(data, loc[:-1])
                message = f"needs a '{key}' entry"
            elif kind == "union_tag_invalid":
                message = f"kind must be one of {ctx.get('expected_tags')}, " \
                          f"not {ctx.get('tag')!r}"
            elif kind == "union_tag_not_found":
                message = "needs a 'kind' entry (one of 'text', 'function')"
            elif kind == "literal_error":
                message = f"{key} must be one of {ctx.get('expected')}, " \
                          f"not {error.get('input')!r}"
            elif kind == "value_error":
                message = str(ctx.get("error") or error["msg"])
            else:
                message = f"'{key}': {error['msg'][0].lower()}{error['msg'][1:]}, " \
                          f"not {error.get('input')!r}"
            found.append((line, f"{place}: {message}"))
    return found


__all__ = ["ManifestSpec", "problems"]
