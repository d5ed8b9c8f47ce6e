"""The casebook: every case of every part, with its exact expected value, as plain JSON.

Materialising runs the manifest's case generators (seeded, so a build is reproducible) and its
reference functions (the SymPy derivations) once; grading then only reads JSON, so the grader
needs neither SymPy nor the solutions' code. A public casebook is the same document with hidden
cases and rubrics removed: it is what the student bundle carries.

Exact values are JSON integers, or strings ``"p/q"`` for non-integral rationals. A case may also
carry ``misconceptions`` (each known wrong method's result on it, see ``misconceptions.py``) and,
public cases only, ``explain`` (the right answer written out, see ``explain.py``): both are
computed here, so what ships is data and never the solutions' code. This module may import the
solutions' modules (by path); it must not run submissions.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import shutil
import sys
from dataclasses import asdict
from fractions import Fraction
from pathlib import Path
from types import ModuleType

from .manifest import Manifest, ManifestError

FORMAT = 1
CASEBOOK_FILE = "casebook.json"


def _load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ManifestError(f"{path}: cannot load this module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # The solutions' modules may import their siblings (explanations use the derivations).
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def encode_exact(value):
    """Encode an exact reference value (ints, Fractions, SymPy rationals, nested lists) as JSON.

    >>> encode_exact([[1, Fraction(3, 4)], [2, 5]])
    [[1, '3/4'], [2, 5]]
    """
    if isinstance(value, (list, tuple)):
        return [encode_exact(item) for item in value]
    if isinstance(value, bool):
        raise TypeError("a reference value may not be a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else f"{value.numerator}/" \
                                                               f"{value.denominator}"
    if hasattr(value, "p") and hasattr(value, "q"):  # sympy Integer / Rational
        return encode_exact(Fraction(int(value.p), int(value.q)))
    if hasattr(value, "tolist"):
        return encode_exact(value.tolist())
    raise TypeError(f"reference values must be exact (int or rational), not {type(value).__name__}")


def decode_exact(value):
    """Inverse of ``encode_exact``: nested lists of ``Fraction``.

    >>> decode_exact([1, "3/4"])
    [Fraction(1, 1), Fraction(3, 4)]
    """
    if isinstance(value, list):
        return [decode_exact(item) for item in value]
    return Fraction(value)


def _all_integers(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_all_integers(item) for item in value)
    if isinstance(value, dict):
        return all(_all_integers(item) for item in value.values())
    return isinstance(value, int) and not isinstance(value, bool)


def _fingerprint(manifest: Manifest) -> str:
    digest = hashlib.sha256()
    files = [manifest.path, manifest.references, manifest.cases, Path(__file__)]
    if manifest.explanations:
        files.append(manifest.explanations)
    if manifest.misconceptions:
        from .misconceptions import CatalogueError, load_catalogue

        files.append(manifest.misconceptions)
        try:
            files.append(load_catalogue(manifest.misconceptions, _function_parts(manifest)).methods)
        except CatalogueError:
            pass  # materialise reports it; the catalogue's own text is in the digest already
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _function_parts(manifest: Manifest) -> dict[str, str]:
    return {p.id: p.function or "" for p in manifest.parts if p.kind == "function"}


def _teaching_aids(manifest: Manifest):
    """The explanations module and the misconception catalogue with its methods, if any."""
    explanations = (_load_module(manifest.explanations, "a2_explanations")
                    if manifest.explanations else None)
    catalogue = methods = None
    if manifest.misconceptions:
        from .misconceptions import CatalogueError, load_catalogue, load_methods

        try:
            catalogue = load_catalogue(manifest.misconceptions, _function_parts(manifest))
            methods = load_methods(catalogue)
        except CatalogueError as exc:
            raise ManifestError(str(exc)) from exc
    return explanations, catalogue, methods


def materialise(manifest: Manifest) -> dict:
    """Generate every case and its exact expected value; return the casebook (JSON-able)."""
    references = _load_module(manifest.references, "a2_references")
    generators = _load_module(manifest.cases, "a2_cases")
    explanations, catalogue, methods = _teaching_aids(manifest)
    parts = []
    for part in manifest.parts:
        entry = {"id": part.id, "title": part.title, "marks": part.marks, "kind": part.kind}
        if part.kind == "text":
            entry.update(variable=part.variable, rubric=f"rubrics/{part.id}.yaml")
            parts.append(entry)
            continue
        reference = getattr(references, part.reference, None)
        if not callable(reference):
            raise ManifestError(f"{manifest.references}: part {part.id} names reference "
                                f"{part.reference!r}, which that module does not define")
        explain = getattr(explanations, part.explain, None) if part.explain else None
        if part.explain and not callable(explain):
            raise ManifestError(f"{manifest.explanations}: part {part.id} names explain "
                                f"{part.explain!r}, which that module does not define")
        wrong_methods = catalogue.of_part(part.id) if catalogue else ()
        groups = []
        for group in part.groups:
            generator = getattr(generators, group.generator, None)
            if not callable(generator):
                raise ManifestError(f"{manifest.cases}: part {part.id} group {group.id} names "
                                    f"generator {group.generator!r}, which is not defined")
            # One generator stream per group: adding a group never changes another's cases.
            rng = random.Random(f"{manifest.seed}/{part.id}/{group.id}")
            cases = []
            for case in generator(rng):
                args, kwargs = list(case.get("args", [])), dict(case.get("kwargs", {}))
                expected = encode_exact(reference(*args, **kwargs))
                entry_case = {
                    "args": json.loads(json.dumps(args)),
                    "kwargs": json.loads(json.dumps(kwargs)),
                    "tags": list(case.get("tags", [])),
                    "description": str(case.get("description", group.title)),
                    "exact": _all_integers([args, kwargs]),
                    "expected": expected,
                }
                if wrong_methods:
                    from .misconceptions import evaluate

                    entry_case["misconceptions"] = evaluate(wrong_methods, methods, entry_case,
                                                            encode_exact)
                if explain and group.visibility == "public":
                    # Public cases only: the explanation writes out the inputs and the answer.
                    entry_case["explain"] = json.loads(json.dumps(explain(*args, **kwargs)))
                cases.append(entry_case)
            if not cases:
                raise ManifestError(f"{manifest.cases}: generator {group.generator} gave no cases")
            groups.append({**asdict(group), "cases": cases})
        entry.update(function=part.function, compare=part.compare, groups=groups)
        if wrong_methods:
            from .misconceptions import part_entry

            entry["misconceptions"] = part_entry(wrong_methods)
        parts.append(entry)
    return {
        "format": FORMAT,
        "assignment": manifest.assignment,
        "submission": manifest.submission,
        "fingerprint": _fingerprint(manifest),
        "limits": asdict(manifest.limits),
        "show_output": manifest.show_output,
        "output_chars": manifest.output_chars,
        "public_only": False,
        "parts": parts,
    }


def public_view(casebook: dict) -> dict:
    """The casebook students may see: hidden cases and rubric references removed."""
    view = json.loads(json.dumps(casebook))
    view["public_only"] = True
    for part in view["parts"]:
        part.pop("rubric", None)
        for group in part.get("groups", []):
            if group["visibility"] == "hidden":
                group["cases"] = []
    return view


def write_grading_data(manifest: Manifest, casebook: dict, folder: Path) -> Path:
    """Write the casebook and the rubrics into ``folder`` (the data the grader needs)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CASEBOOK_FILE).write_text(json.dumps(casebook, indent=1), encoding="utf-8")
    rubrics = folder / "rubrics"
    rubrics.mkdir(exist_ok=True)
    _copy_rubrics(manifest, rubrics)
    return folder


def _copy_rubrics(manifest: Manifest, rubrics: Path) -> None:
    from .rubric.neighbours import NEIGHBOURS_FILE
    from .rubric.schema import REVIEW_MODEL_FILE

    for part in manifest.parts:
        if part.kind == "text":
            if not part.rubric.is_file():
                raise ManifestError(f"{manifest.path}: part {part.id}: rubric file "
                                    f"{part.rubric} does not exist")
            shutil.copyfile(part.rubric, rubrics / f"{part.id}.yaml")
            # The review flag's fitted model and the marked answers it compares with travel
            # beside the rubrics they serve.
            for name in (REVIEW_MODEL_FILE, NEIGHBOURS_FILE):
                if (part.rubric.parent / name).is_file():
                    shutil.copyfile(part.rubric.parent / name, rubrics / name)


def cached_grading_data(manifest: Manifest, cache: Path | None = None) -> Path:
    """Grading data for this manifest, materialised once per change of the solutions."""
    cache = cache or manifest.path.parent.parent / ".a2cache"
    # The hidden cases and their references: the owner's alone. A submission graded on this
    # machine runs as another user and must not read them from a source checkout's cache (the
    # red team's 80_read_the_casebook looks there), whatever the umask made of the folder.
    cache.mkdir(parents=True, exist_ok=True)
    os.chmod(cache, 0o700)
    folder = cache / f"grading-{_fingerprint(manifest)}"
    if not (folder / CASEBOOK_FILE).is_file():
        casebook = materialise(manifest)
        staging = cache / f".staging-{_fingerprint(manifest)}"
        shutil.rmtree(staging, ignore_errors=True)
        write_grading_data(manifest, casebook, staging)
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    else:
        # Rubrics are edited often: refresh them, the cases only change with the solutions.
        _copy_rubrics(manifest, folder / "rubrics")
    return folder


def load_casebook(folder: Path) -> dict:
    """Read a casebook written by ``write_grading_data`` and check its format."""
    path = Path(folder) / CASEBOOK_FILE
    try:
        casebook = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path}: no casebook here; build one with 'a2 build'") from exc
    if casebook.get("format") != FORMAT:
        raise ManifestError(f"{path}: casebook format {casebook.get('format')} is not "
                            f"{FORMAT}; rebuild it with 'a2 build'")
    return casebook
