"""The results folder of a batch run: one JSON file per submission, written atomically.

Each file holds the grading core's result (``GradeResult.to_dict``), who submitted it
(``identity``) and where the mark came from (``provenance``: the submission's hash and the
autograder's). A result is *current* while both hashes match; a re-run grades only what is not.
Everything staff pages show is read back from here, so they always agree with ``results/``.
Beside it, ``not_graded.json`` lists the inputs of the last run that were not submissions (a
README, a folder without Python), so every page written later (``a2 export``) still lists them.

This module reads and writes ``results/`` and ``not_graded.json`` only; it never grades and
never applies overrides.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_atomic
from ..grade import GradeResult, GroupResult, PartResult
from .inputs import Skipped, Submission, Submitter

RESULTS = "results"
NOT_GRADED = "not_graded.json"


@dataclass
class Stored:
    """One stored result with its identity and provenance."""

    name: str
    result: GradeResult
    identity: dict = field(default_factory=dict)
    """``submitters`` (name, email, sid dicts), ``notes``, ``created_at``, ``origin``."""
    provenance: dict = field(default_factory=dict)

    @property
    def submitters(self) -> list[Submitter]:
        """The people this submission belongs to (empty for a loose file)."""
        return [Submitter(**{k: str(p.get(k, "")) for k in ("name", "email", "sid")})
                for p in self.identity.get("submitters", []) if isinstance(p, dict)]

    @property
    def notes(self) -> list[str]:
        """For staff: what was unusual about the input."""
        return [str(n) for n in self.identity.get("notes", [])]

    def is_current(self, submission_sha256: str, autograder_sha256: str) -> bool:
        """Whether this result graded these bytes with this autograder."""
        return bool(submission_sha256) and \
            self.provenance.get("submission_sha256") == submission_sha256 and \
            self.provenance.get("autograder_sha256") == autograder_sha256

    def to_json(self) -> str:
        """The file's text."""
        data = self.result.to_dict()
        data["identity"] = self.identity
        data["provenance"] = self.provenance
        return json.dumps(data, indent=1, ensure_ascii=False)


def identity_of(submission: Submission) -> dict:
    """What is stored about who made a submission and what was unusual about it."""
    return {"submitters": [dataclasses.asdict(p) for p in submission.submitters],
            "notes": list(submission.notes), "created_at": submission.created_at,
            "origin": submission.origin}


def _known(cls, data: dict) -> dict:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def result_from_dict(data: dict) -> GradeResult:
    """A ``GradeResult`` read back from ``GradeResult.to_dict`` (unknown keys ignored)."""
    parts = []
    for part in data.get("parts", []):
        groups = [GroupResult(**_known(GroupResult, g)) for g in part.get("groups", [])]
        parts.append(PartResult(**{**_known(PartResult, part), "groups": groups}))
    return GradeResult(**{**_known(GradeResult, data), "parts": parts})


def load_stored(path: Path) -> Stored | None:
    """One result file, or None if it is not a readable result (it is then regraded)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Stored(path.stem, result_from_dict(data), dict(data.get("identity") or {}),
                      dict(data.get("provenance") or {}))
    except (OSError, ValueError, TypeError, KeyError):
        return None


class ResultStore:
    """``<grades>/results/``: read all, write one, remove some."""

    def __init__(self, grades: Path):
        self.folder = Path(grades) / RESULTS

    def load(self) -> dict[str, Stored]:
        """Every readable result, by name."""
        found = {}
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("*.json")):
                stored = load_stored(path)
                if stored is not None:
                    found[stored.name] = stored
        return found

    def write(self, stored: Stored) -> None:
        """Write one result atomically (a reader never sees half of it)."""
        write_atomic(self.folder / f"{stored.name}.json", stored.to_json())

    def remove(self, names: list[str]) -> None:
        """Remove results by name."""
        for name in names:
            (self.folder / f"{name}.json").unlink(missing_ok=True)

    def names_on_disk(self) -> list[str]:
        """Names of every ``*.json`` file, readable or not."""
        return sorted(p.stem for p in self.folder.glob("*.json")) if self.folder.is_dir() \
            else []


def load_grades(grades: Path) -> list[Stored]:
    """Every stored result of a grades folder, in name order; an error if there are none."""
    stored = ResultStore(grades).load()
    if not stored:
        raise FileNotFoundError(f"{Path(grades) / RESULTS}: no results here; run "
                                f"'a2 grade SUBMISSIONS -o {grades}' first")
    return [stored[name] for name in sorted(stored)]


def write_not_graded(grades: Path, skipped: list[Skipped]) -> None:
    """Keep the inputs a run did not grade (path and why) with its grades."""
    data = {"not_graded": [{"path": s.path, "reason": s.reason} for s in skipped]}
    write_atomic(Path(grades) / NOT_GRADED, json.dumps(data, indent=1, ensure_ascii=False))


def load_not_graded(grades: Path) -> list[Skipped]:
    """The inputs the last ``a2 grade`` into ``grades`` did not grade (none if unknown)."""
    try:
        data = json.loads((Path(grades) / NOT_GRADED).read_text(encoding="utf-8"))
        return [Skipped(str(e["path"]), str(e["reason"])) for e in data["not_graded"]]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"{Path(grades) / NOT_GRADED}: not readable ({exc}); delete it and "
                         "run 'a2 grade' again to rewrite it") from exc
