"""Static checks of rubric files against the manifest: the ``rubric lint`` command's logic.

Beyond the schema (which :func:`~autograder.rubric.schema.load_rubric` enforces) it checks that
the part and marks agree with the manifest, that concept marks add up to the part's maximum, that
no phrasing needs more content words than its window allows, that no phrasing is shared by two
concepts, that feedback does not quote a phrasing, that every synonym family is used, and that
no alternative of a phrasing is a lone stopword (silently dropped, so "higher (than|beyond)"
would only ever match "beyond").

It must not score answers or change files; it returns issues for the CLI to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .compiler import _strip_parens, split_top
from .schema import Phrasing, Rubric, RubricError
from .text import STOPWORDS, normalise


@dataclass(frozen=True)
class LintIssue:
    """One finding of ``rubric lint``."""

    level: str
    """``error`` (lint fails) or ``warning``."""
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if not self.path:
            return f"{self.level}: {self.message}"
        where = f"{self.path}, line {self.line}" if self.line else self.path
        return f"{self.level}: {where}: {self.message}"


@dataclass(frozen=True)
class TextPart:
    """A text part named by the manifest."""

    id: str
    marks: float
    rubric_path: Path
    calibration_path: Path


def default_manifest() -> Path:
    """``solutions/manifest.yaml`` under the current directory, else under this repository."""
    from ..manifest import default_manifest_path

    return default_manifest_path()


def read_manifest(path: str | Path) -> list[TextPart]:
    """The text parts of a manifest, read by the one manifest reader (``manifest.py``);
    RubricError, with that reader's file, line and fix, if the manifest is not valid."""
    from ..manifest import ManifestError, load_manifest

    try:
        manifest = load_manifest(path)
    except ManifestError as exc:
        raise RubricError(str(exc)) from exc
    return [TextPart(id=part.id, marks=part.marks, rubric_path=part.rubric.resolve(),
                     calibration_path=(manifest.path.parent / "calibration"
                                       / f"{part.id}.yaml").resolve())
            for part in manifest.parts if part.kind == "text"]


def find_part(manifest: str | Path, part: str) -> TextPart:
    """The text part ``part`` of the manifest; RubricError naming the known parts otherwise."""
    parts = read_manifest(manifest)
    for tp in parts:
        if tp.id == part:
            return tp
    known = ", ".join(t.id for t in parts) or "none"
    raise RubricError(f"{manifest}: no text part '{part}'; use one of: {known}")


def _content_words_needed(phrasing: Phrasing) -> int:
    return sum(
        min(
            sum(1 for w in alt if w.text not in STOPWORDS or w.mode == "cue")
            for alt in slot.alternatives
        )
        for slot in phrasing.slots
    )


def _dropped_stopwords(phrasing: Phrasing) -> list[str]:
    """Alternatives of the phrasing that are one stopword: the compiler drops them."""
    dropped = []
    for token in split_top(phrasing.source, None):
        if token.startswith("@"):
            continue
        for alt in split_top(_strip_parens(token), "|"):
            words = _strip_parens(alt).split()
            if len(words) == 1 and normalise(words[0]) in STOPWORDS:
                dropped.append(words[0])
    return dropped


def _all_phrasings(rubric: Rubric) -> list[Phrasing]:
    out = []
    for c in rubric.concepts:
        out += [*c.phrasings, *c.contradicts, *(p for a in c.partial for p in a.phrasings)]
    for m in rubric.misconceptions:
        out += list(m.phrasings)
    return out


def _signature(phrasing: Phrasing) -> tuple[Any, ...]:
    slots = tuple(sorted((frozenset(slot.alternatives) for slot in phrasing.slots), key=repr))
    return (slots, phrasing.actor)


def lint_rubric(
    rubric: Rubric, expected_marks: float | None = None, expected_part: str | None = None
) -> list[LintIssue]:
    """Findings for one loaded rubric."""
    path = str(rubric.path)
    issues: list[LintIssue] = []
    if expected_part is not None and rubric.part != expected_part:
        issues.append(
            LintIssue(
                "error",
                path,
                0,
                f"part is '{rubric.part}' but the manifest "
                f"points here for '{expected_part}'; make them agree",
            )
        )
    if expected_marks is not None and abs(rubric.max_marks - expected_marks) > 1e-9:
        issues.append(
            LintIssue(
                "error",
                path,
                0,
                f"max_marks {rubric.max_marks:g} differs from "
                f"the manifest's {expected_marks:g}; make them agree",
            )
        )
    total = sum(c.marks for c in rubric.concepts)
    if abs(total - rubric.max_marks) > 1e-9:
        issues.append(
            LintIssue(
                "error",
                path,
                0,
                f"concept marks add up to {total:g}, not "
                f"max_marks {rubric.max_marks:g}; adjust the concepts' marks",
            )
        )
    owners: dict[tuple[Any, ...], tuple[str, str, int]] = {}
    for cid, kind, phrasing in rubric.all_phrasings():
        need = _content_words_needed(phrasing)
        if need > phrasing.window:
            issues.append(
                LintIssue(
                    "error",
                    path,
                    phrasing.line,
                    f"phrasing '{phrasing.source}' of '{cid}' needs {need} content words but its "
                    "window "
                    f"is {phrasing.window}; it can never match - widen the window or shorten it",
                )
            )
        if kind == "contradicts":
            continue
        sig = _signature(phrasing)
        if sig in owners and owners[sig][0] != cid:
            other, _okind, oline = owners[sig]
            issues.append(
                LintIssue(
                    "error",
                    path,
                    phrasing.line,
                    f"phrasing '{phrasing.source}' is used by both '{other}' (line {oline}) and "
                    f"'{cid}'; one answer would earn two concepts - keep it in one",
                )
            )
        owners.setdefault(sig, (cid, kind, phrasing.line))
    for c in rubric.concepts:
        low = " " + " ".join(c.feedback.lower().split()) + " "
        for p in c.phrasings:
            for slot in p.slots:
                for alt in slot.alternatives:
                    words = [w.text for w in alt]
                    if len(words) >= 2 and f" {' '.join(words)} " in low:
                        issues.append(
                            LintIssue(
                                "warning",
                                path,
                                c.line,
                                f"feedback of '{c.id}' quotes '{' '.join(words)}', a phrasing that "
                                "earns the concept; hint without giving the answer away",
                            )
                        )
    # an except pattern too: with its stopword dropped it vetoes far more than it says
    # ("continuous (too|also)" would veto every "continuous")
    phrasings = _all_phrasings(rubric)
    for p in phrasings + [e for q in phrasings for e in q.excepts]:
        for word in _dropped_stopwords(p):
            issues.append(LintIssue(
                "warning", path, p.line,
                f"'{word}' in phrasing '{p.source}' is a stopword and is dropped: the phrasing "
                f"never matches it; write ={normalise(word)} to keep it, or remove it"))
    raw = rubric.path.read_text(encoding="utf-8") if rubric.path.is_file() else ""
    for name, _members in rubric.synonyms:
        if not any(raw.count(f"@{name}{end}") for end in (" ", '"', "|", ")", "]", ",", "\n")):
            issues.append(
                LintIssue(
                    "warning",
                    path,
                    0,
                    f"synonym family '{name}' is never used; use it in a phrasing or remove it",
                )
            )
    return issues


def lint_manifest(manifest: str | Path) -> list[LintIssue]:
    """Lint every text part's rubric named by the manifest."""
    issues: list[LintIssue] = []
    try:
        parts = read_manifest(manifest)
    except RubricError as exc:
        return [LintIssue("error", "", 0, str(exc))]
    if not parts:
        issues.append(LintIssue("warning", str(manifest), 0, "no text parts with rubrics"))
    from ..grade import compiled_rubric  # shared with the grading that follows a lint

    for tp in parts:
        try:
            rubric = compiled_rubric(tp.rubric_path)
        except RubricError as exc:
            issues += [LintIssue("error", "", 0, str(e)) for e in exc.errors]
            continue
        issues += lint_rubric(rubric, tp.marks, tp.id)
        if not tp.calibration_path.is_file():
            issues.append(
                LintIssue(
                    "warning",
                    str(tp.calibration_path),
                    0,
                    f"no calibration file for '{tp.id}'; add human-marked answers",
                )
            )
    return issues
