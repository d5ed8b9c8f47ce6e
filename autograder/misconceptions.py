"""Misconceptions: known wrong methods, evaluated at build time, recognised in wrong answers.

A catalogue (YAML beside the manifest, named by its ``misconceptions:`` key) lists for each
function part the wrong methods students are known to use: an id, a title, the method (a
function in the catalogue's ``methods`` module, taking the student function's arguments) and a
sentence naming the concept to revisit. When the casebook is built, ``evaluate`` runs every
method on every case and stores only the results (``case["misconceptions"][id]``); grading
then needs no solution code, and what reaches Gradescope or the student bundle is data.

``diagnose`` compares a group's wrong answers with those results: a misconception is named when
the answers equal its results on the failing cases it gives an answer for (all of them, or, when
none explains all, most of them: then the feedback says on how many). An answer equal to no
method's result is never given a name, and a right answer never is (only failing cases are
looked at).

Loading and evaluating may import the catalogue's methods module; diagnosing must not import
anything of the solutions, and its words never contain a case's input or expected value.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from .compare import Verdict, compare


class CatalogueError(ValueError):
    """The misconception catalogue is not usable; the message names file, line, part and fix."""


@dataclass(frozen=True)
class Misconception:
    """One known wrong method of one function part."""

    id: str
    part: str
    title: str
    """What the method does, as students read it ("the kernel is flipped")."""
    method: str
    """Name of the function in the catalogue's methods module."""
    revisit: str
    """The concept to revisit, in a sentence or two; never an answer."""


@dataclass(frozen=True)
class Catalogue:
    """Every misconception of an assignment, with the module that implements them."""

    path: Path
    methods: Path
    entries: tuple[Misconception, ...]

    def of_part(self, part_id: str) -> tuple[Misconception, ...]:
        """The misconceptions of one part, in catalogue order."""
        return tuple(m for m in self.entries if m.part == part_id)


@dataclass(frozen=True)
class Diagnosis:
    """A misconception whose results equal a group's wrong answers."""

    id: str
    title: str
    revisit: str
    matched: int
    """Failing cases on which the answer equals the method's result."""
    applicable: int
    """Failing cases that returned a value and on which the method gives an answer."""
    failing: int
    """Failing cases that returned a value."""
    together: bool = False
    """Named with others as several mistakes at once, each explaining different cases."""
    one_number: bool = False
    """Resting on a single number (one integer answer), which can agree by chance."""

    @property
    def complete(self) -> bool:
        """Whether the method explains every failing case it gives an answer for."""
        return self.matched == self.applicable


def load_catalogue(path: Path, function_parts: dict[str, str]) -> Catalogue:
    """Read and check a catalogue; ``function_parts`` maps part ids to their functions."""
    # Imported here: the student's check imports this module for its types and must not pay
    # for PyYAML's loader, which only the build (reading the catalogue) needs.
    from .yamlio import LDict, LList, YamlError, line_of, load_yaml_with_lines

    path = Path(path)
    try:
        data = load_yaml_with_lines(path)
    except YamlError as exc:
        raise CatalogueError(str(exc)) from exc

    def fail(where, key, message: str) -> CatalogueError:
        return CatalogueError(f"{path}, line {line_of(where, key)}: {message}")

    if not isinstance(data, LDict) or not isinstance(data.get("methods"), str) \
            or not isinstance(data.get("parts"), LDict):
        raise CatalogueError(f"{path}: a catalogue is a mapping with 'methods: FILE.py' and "
                             "'parts:' (part id: list of misconceptions)")
    methods = path.parent / data["methods"]
    if not methods.is_file():
        raise fail(data, "methods", f"methods module {methods} does not exist")
    entries = []
    for part_id, items in data["parts"].items():
        if part_id not in function_parts:
            raise fail(data["parts"], part_id, f"part {part_id!r} is not a function part of "
                       f"the manifest; function parts are {', '.join(function_parts) or 'none'}")
        if not isinstance(items, LList):
            raise fail(data["parts"], part_id, f"part {part_id}: give a list of misconceptions")
        seen = set()
        for index, item in enumerate(items):
            where = f"part {part_id}, entry {index + 1}"
            if not isinstance(item, LDict):
                raise fail(items, index, f"{where}: must be a mapping with id, title, method, "
                                         "revisit")
            for key in ("id", "title", "method", "revisit"):
                if not isinstance(item.get(key), str) or not item[key].strip():
                    raise fail(item, key if key in item else None,
                               f"{where}: '{key}' must be non-empty text")
            if item["id"] in seen:
                raise fail(item, "id", f"{where}: id {item['id']!r} appears twice in this part")
            seen.add(item["id"])
            entries.append(Misconception(str(item["id"]), part_id, " ".join(item["title"].split()),
                                         str(item["method"]), " ".join(item["revisit"].split())))
    return Catalogue(path, methods, tuple(entries))


def load_methods(catalogue: Catalogue) -> ModuleType:
    """Import the catalogue's methods module (its folder first on ``sys.path``, so it may import
    its siblings) and check every method it names exists."""
    folder = str(catalogue.methods.parent)
    spec = importlib.util.spec_from_file_location("a2_misconceptions", catalogue.methods)
    if spec is None or spec.loader is None:
        raise CatalogueError(f"{catalogue.methods}: cannot load this module")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, folder)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(folder)
    for entry in catalogue.entries:
        if not callable(getattr(module, entry.method, None)):
            raise CatalogueError(f"{catalogue.path}: part {entry.part}, misconception "
                                 f"{entry.id}: method {entry.method!r} is not a function of "
                                 f"{catalogue.methods.name}")
    return module


def evaluate(entries: tuple[Misconception, ...], module: ModuleType, case: dict,
             encode) -> dict:
    """Each method's result on one case, encoded with ``encode``: ``None`` where the method
    gives no answer (an empty output, say), left out where it equals the expected value (a
    method that gives the right answer cannot explain a wrong one)."""
    results = {}
    for entry in entries:
        try:
            value = encode(getattr(module, entry.method)(*case["args"], **case["kwargs"]))
        except (ValueError, ZeroDivisionError, IndexError):
            results[entry.id] = None
            continue
        if value != case["expected"]:
            results[entry.id] = value
    return results


def part_entry(entries: tuple[Misconception, ...]) -> list[dict]:
    """What the casebook keeps of a part's misconceptions: ids, titles and what to revisit."""
    return [{"id": m.id, "title": m.title, "revisit": m.revisit} for m in entries]


def diagnose(part: dict, cases: list[dict], values: list, verdicts: list[Verdict]
             ) -> list[Diagnosis]:
    """The misconceptions that explain a group's wrong answers.

    ``values`` are the answers that came back (None where the call failed). Only failing cases
    that returned a value, and on which the method gives an answer, are compared. A
    misconception is named when the answers equal its results on all of those (at least two of
    them when the group failed on more than one case); when none does, those equal on more than
    half of them (and at least two) are named with counts. When none does either, the answers
    are arrays (not one integer each), two methods explain different failing cases (at least
    two each, none in common) and the methods that explain two or more together explain more
    than half of the failing cases, those are named as several mistakes at once: a second
    mistake that shows only where a setting is used (the stride ignored, and the dilation
    ignored) leaves each alone right on part of the cases.
    """
    failing = [(case, value) for case, value, verdict in zip(cases, values, verdicts)
               if not verdict.passed and value is not None]
    if not failing:
        return []
    found = []
    for entry in part.get("misconceptions") or []:
        matched = applicable = 0
        where: set[int] = set()
        for index, (case, value) in enumerate(failing):
            results = case.get("misconceptions") or {}
            if entry["id"] in results and results[entry["id"]] is None:
                continue  # the method gives no answer on this case
            applicable += 1
            # A method left out of the case's results gives the expected value: no match.
            result = results.get(entry["id"])
            if result is not None and compare(part["compare"], result, value,
                                              exact=case["exact"]).passed:
                matched += 1
                where.add(index)
        if matched:
            one_number = matched == 1 and part["compare"].get("kind") == "integer"
            found.append((Diagnosis(entry["id"], entry["title"], entry["revisit"], matched,
                                    applicable, len(failing), one_number=one_number),
                          frozenset(where)))
    enough = min(2, len(failing))
    complete = [d for d, _ in found if d.complete and d.matched >= enough]
    if complete:
        return complete
    most = [d for d, _ in found if d.matched >= 2 and 2 * d.matched > d.applicable]
    if most or part["compare"].get("kind") == "integer":
        # One number per case agrees by chance too often (Q1(ii)'s other mistakes give nearby
        # integers) for a few matches to name a second mistake; an array rarely does.
        return most
    return _together([(d, where) for d, where in found if d.matched >= 2], len(failing))


def _together(candidates: list[tuple[Diagnosis, frozenset[int]]], failing: int
              ) -> list[Diagnosis]:
    """Several mistakes at once: the candidates (each equal on two or more failing cases),
    when two of them explain disjoint cases and all of them together more than half."""
    disjoint = any(not a & b for i, (_, a) in enumerate(candidates)
                   for _, b in candidates[i + 1:])
    explained = frozenset().union(*(where for _, where in candidates))
    if not disjoint or 2 * len(explained) <= failing:
        return []
    return [replace(d, together=True) for d, _ in candidates]


def part_misconceptions(named: list[list[Diagnosis]]) -> list[str]:
    """The misconceptions of a part, from the diagnoses of each of its groups: every id named,
    except one that another group contradicts.

    Methods named side by side on the same cases are alternatives the cases cannot tell apart
    (the question's symmetric kernel gives the same answer for the input transposed and the
    output transposed). When another group names one of those alternatives and not the other,
    the other is dropped: the hidden cases named the one that holds, and the part (Gradescope's
    staff data, the class report) keeps that. Methods named as several mistakes at once each
    explain different cases, so a group that does not name one of them never contradicts it.
    """
    ids = [{d.id for d in group} for group in named]
    kept = []
    for diagnosis in (d for group in named for d in group):
        x = diagnosis.id
        if x in kept:
            continue
        together = any(d.id == x and d.together for group in named for d in group)
        rivals = {d.id for group in named if x in {e.id for e in group}
                  for d in group if d.id != x and not d.together}
        contradicted = any(x not in names and names & rivals for names in ids)
        if together or not contradicted:
            kept.append(x)
    return kept


def describe(diagnoses: list[Diagnosis], public: bool) -> list[str]:
    """Feedback lines naming each diagnosis and what to revisit (no values, no inputs)."""
    lines = []
    if any(d.together for d in diagnoses):
        lines.append("likely several misconceptions at once: each of the following explains "
                     "some failing cases, not all")
    for d in diagnoses:
        if d.one_number:
            # The question's network: several ways of going wrong can give the same number.
            where = ("your answer equals what that gives; one number can agree by chance, so "
                     "check your method against it")
        elif public or d.complete and d.applicable == 1:
            where = "your answer equals what that gives"
        elif d.complete and d.applicable == d.failing:
            where = f"on all {d.failing} failing cases your answers equal what that gives"
        elif d.complete:
            where = (f"on all {d.applicable} failing cases it gives an answer for, your "
                     "answers equal what that gives")
        else:
            some = (f"{d.applicable} failing cases" if d.applicable == d.failing else
                    f"{d.applicable} failing cases it gives an answer for")
            where = f"on {d.matched} of the {some}, your answers equal what that gives"
        lines.append(f"likely misconception: {d.title} ({where}). Revisit: {d.revisit}")
    return lines
