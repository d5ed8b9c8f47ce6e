"""Marks set by people, kept in ``overrides.yaml`` next to the grades, applied on every export.

An override names the submission (and its students, so it follows a student who resubmits),
the part, and the hash of the answer it judged; it holds who set it, when, the mark before and
after, and a comment. It applies while that answer is unchanged: a regrade with new rubrics keeps
it. If the answer changed (or the submission is gone) it is *stale*: never applied, never
dropped, and listed in the report (and beside the answer on the review page) until someone
deletes it or re-sets the mark, which replaces it.

The file is plain YAML a person can read and edit. This module reads and writes that file
only (atomically, under a lock, so two saves from the review page never lose one another); it
never changes ``results/``.
"""

from __future__ import annotations

import copy
import datetime
import fcntl
import hashlib
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from ..files import round_marks, write_atomic
from .store import Stored

FILE = "overrides.yaml"
HEADER = """\
# Marks set by people (a2 review, or by hand). Every later 'a2 grade' and 'a2 export' applies
# each entry while the answer it judged is unchanged (answer_sha256); if that answer changed, the
# entry is stale: not applied, and listed in report.html until you delete or re-set it.
# Fields: submission, students (sid or email), part, answer_sha256, old, new, by, at, comment.
# An entry written by hand without answer_sha256 applies whatever the answer becomes.
"""
_LOCK = threading.Lock()


class OverrideError(ValueError):
    """The overrides file cannot be used; the message names the file, the entry and the fix."""


@dataclass
class Override:
    """One person's mark for one part of one submission."""

    submission: str
    part: str
    answer_sha256: str
    old: float
    new: float
    by: str = ""
    at: str = ""
    comment: str = ""
    students: list[str] = field(default_factory=list)
    """Student ids (or emails) of the submitters: the override follows them to a resubmission."""

    def to_yaml(self) -> dict:
        """The entry as written (fields in a reading order)."""
        data = asdict(self)
        order = ["submission", "students", "part", "answer_sha256", "old", "new", "by", "at",
                 "comment"]
        return {k: data[k] for k in order}


@dataclass
class Stale:
    """An override that no longer applies, and why."""

    override: Override
    reason: str


def students_of(stored: Stored) -> list[str]:
    """Who a submission belongs to, as overrides name them (sid, else email)."""
    return [p.sid or p.email for p in stored.submitters if p.sid or p.email]


def answer_sha256(stored: Stored, part_id: str) -> str:
    """Hash of what a person judges for this part: a short answer's text, else the file."""
    part = stored.result.part(part_id)
    if part.kind == "text":
        return hashlib.sha256(part.answer.encode("utf-8")).hexdigest()
    return str(stored.provenance.get("submission_sha256", ""))


def load_overrides(grades: Path) -> list[Override]:
    """The overrides of a grades folder (none if the file does not exist)."""
    path = Path(grades) / FILE
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise OverrideError(f"{path}: not valid YAML ({exc}); fix the entry by hand or restore "
                            "it from a backup") from exc
    if not isinstance(data, list):
        raise OverrideError(f"{path}: expected a list of entries (each starting with "
                            "'- submission:'), found " + type(data).__name__)
    out = []
    for index, entry in enumerate(data, 1):
        where = f"{path}: entry {index}"
        if not isinstance(entry, dict):
            raise OverrideError(f"{where}: expected a mapping with submission, part, new")
        missing = [k for k in ("submission", "part", "new") if entry.get(k) in (None, "")]
        if missing:
            raise OverrideError(f"{where}: missing {', '.join(missing)}; every entry needs "
                                "submission, part and new")
        try:
            new = float(entry["new"])
            old = float(entry.get("old") or 0)
        except (TypeError, ValueError) as exc:
            raise OverrideError(f"{where}: 'new' and 'old' must be numbers") from exc
        out.append(Override(
            submission=str(entry["submission"]), part=str(entry["part"]),
            answer_sha256="" if entry.get("answer_sha256") is None else
            str(entry["answer_sha256"]), old=old, new=new,
            by=str(entry.get("by") or ""), at=str(entry.get("at") or ""),
            comment=str(entry.get("comment") or ""),
            students=[str(s) for s in entry.get("students") or []]))
    return out


def _write(grades: Path, overrides: list[Override]) -> None:
    body = yaml.safe_dump([o.to_yaml() for o in overrides], sort_keys=False,
                          allow_unicode=True, width=100) if overrides else "[]\n"
    write_atomic(Path(grades) / FILE, HEADER + body)


def save_override(grades: Path, override: Override,
                  replaces: list[Override] | None = None) -> list[Override]:
    """Add ``override``, replacing any earlier one for the same submission and part, and the
    stale ones it ``replaces`` (a mark re-set on a resubmission clears the old one)."""
    grades = Path(grades)
    grades.mkdir(parents=True, exist_ok=True)
    gone = {(override.submission, override.part)} | \
        {(o.submission, o.part) for o in replaces or []}
    with _LOCK, open(grades / f".{FILE}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = [o for o in load_overrides(grades) if (o.submission, o.part) not in gone]
        current.append(override)
        _write(grades, current)
        return current


def make_override(stored: Stored, part_id: str, new: float, by: str, comment: str) -> Override:
    """An override of one part of a stored result at the current time."""
    return Override(
        submission=stored.name, part=part_id, answer_sha256=answer_sha256(stored, part_id),
        old=round_marks(stored.result.part(part_id).score), new=round_marks(new), by=by,
        at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        comment=comment, students=students_of(stored))


def _target(override: Override, by_name: dict[str, Stored]) -> Stored | None:
    if override.submission in by_name:
        return by_name[override.submission]
    if override.students:
        wanted = set(override.students)
        for stored in by_name.values():
            if wanted & set(students_of(stored)):
                return stored
    return None


@dataclass
class Applied:
    """Results with overrides applied, and what was applied or not."""

    records: list[Stored]
    applied: dict[tuple[str, str], Override] = field(default_factory=dict)
    """(submission name, part) -> the override that set its mark."""
    stale: list[Stale] = field(default_factory=list)


def apply_overrides(records: list[Stored], overrides: list[Override]) -> Applied:
    """``records`` with every applicable override's mark set; the rest are stale.

    A record an override changes is a copy; the others are the records given, to be read, not
    changed (a batch publishes grades.csv after every result: copying every record each time
    made a class's grading grow with the square of its size).
    """
    records = list(records)
    position = {r.name: i for i, r in enumerate(records)}
    by_name = {r.name: r for r in records}
    copied: set[str] = set()
    out = Applied(records)
    for override in overrides:
        stored = _target(override, by_name)
        if stored is None:
            out.stale.append(Stale(override, "submission not among the results"))
            continue
        try:
            part = stored.result.part(override.part)
        except StopIteration:
            out.stale.append(Stale(override, f"no part {override.part}"))
            continue
        if override.answer_sha256 and override.answer_sha256 != answer_sha256(stored,
                                                                               part.id):
            out.stale.append(Stale(override, "the answer changed since it was judged"
                                   + (f" (now {stored.name})" if stored.name !=
                                      override.submission else "")))
            continue
        if not 0 <= override.new <= part.marks:
            out.stale.append(Stale(override, f"mark {override.new:g} outside 0..{part.marks:g}"))
            continue
        if stored.name not in copied:
            stored = copy.deepcopy(stored)
            records[position[stored.name]] = by_name[stored.name] = stored
            copied.add(stored.name)
            part = stored.result.part(override.part)
        part.score = round_marks(override.new)
        out.applied[(stored.name, part.id)] = override
    return out


def stale_for(applied: Applied, stored: Stored, part_id: str) -> list[Stale]:
    """The stale overrides of this submission's part: set on it, or on an earlier submission
    of the same students (a resubmission), before its answer changed."""
    students = set(students_of(stored))
    return [s for s in applied.stale if s.override.part == part_id and (
        s.override.submission == stored.name or students & set(s.override.students))]
