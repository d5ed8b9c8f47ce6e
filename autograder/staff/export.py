"""What leaves the grades folder: the staff CSV, the final CSV per student, feedback files.

``grades.csv`` (written by every ``a2 grade``, rebuilt after each result): one row per
submission and submitter (a group submission gives each member a row; a file with no names one
row). Columns:

    submission      the result's name (results/<submission>.json; submission_<id> on Gradescope)
    name, email, sid  the submitter, from submission_metadata.yml (empty without it)
    <part id> ...   marks per part, after overrides
    total, possible marks earned and available
    review          yes when a flagged part has no override yet
    review_parts    <part>:<flags> of flagged parts without an override
    review_reasons  why each of those is flagged, in words
    overridden      <part>:<old>-><new> for each part a person marked
    problem         a file-level problem (not importable, missing)
    notes           what was unusual about the input (a misnamed file, no metadata entry)
    current         no when the result came from an older autograder (rerun a2 grade);
                    empty when written by a2 export, which does not check

``final.csv`` (``a2 export``): one row per student, for a spreadsheet or an LMS import:
``sid, name, email, submission, <part ids>, total, possible, flags`` where ``flags`` lists what
still needs a person (``review:<part>``, ``problem``, ``no-names`` for a submission nobody is
named on) and ``overridden:<part>``. A student named
on several submissions keeps the latest (by Gradescope's ``created_at``).

Text that a submission or its metadata chose (names, notes, reasons quoting an answer) never
starts a spreadsheet formula: such a cell gets a leading apostrophe.

``feedback/<student>.txt``: what that student sees once grades are published (marks per part
after overrides and the rubric's hints), never staff entries (flags, reasons, matched phrasings,
comments).

This module renders only; it never grades and never edits overrides.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..files import write_atomic
from .overrides import Applied
from .store import Stored

_SAFE = re.compile(r"[^A-Za-z0-9@._-]+")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """Text a submission or its metadata chose, safe in a spreadsheet: a cell that would start a
    formula (``=HYPERLINK(...)`` as a name) gets a leading apostrophe, as spreadsheets expect."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _g(value: float) -> str:
    return f"{value:g}"


def _people(stored: Stored) -> list[tuple[str, str, str]]:
    people = [(p.name, p.email, p.sid) for p in stored.submitters]
    return people or [("", "", "")]


def _flagged(applied: Applied, stored: Stored) -> list:
    return [p for p in stored.result.parts
            if p.review and (stored.name, p.id) not in applied.applied]


def _overridden(applied: Applied, stored: Stored) -> list[str]:
    return [f"{p.id}:{_g(applied.applied[(stored.name, p.id)].old)}->{_g(p.score)}"
            for p in stored.result.parts if (stored.name, p.id) in applied.applied]


def grades_csv(applied: Applied, autograder_sha256: str = "") -> str:
    """``grades.csv`` for staff (columns in the module docstring)."""
    records = applied.records
    if not records:
        return ""
    part_ids = [p.id for p in records[0].result.parts]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["submission", "name", "email", "sid", *part_ids, "total", "possible",
                     "review", "review_parts", "review_reasons", "overridden", "problem",
                     "notes", "current"])
    for stored in records:
        result = stored.result
        flagged = _flagged(applied, stored)
        current = not autograder_sha256 or \
            stored.provenance.get("autograder_sha256") == autograder_sha256
        for name, email, sid in _people(stored):
            writer.writerow([
                stored.name, _cell(name), _cell(email), _cell(sid),
                *[_g(result.part(pid).score) for pid in part_ids],
                _g(result.score), _g(result.possible), "yes" if flagged else "no",
                " ".join(f"{p.id}:{'+'.join(p.flags) or 'review'}" for p in flagged),
                _cell(" | ".join(f"{p.id}: {'; '.join(p.reasons)}" for p in flagged
                                 if p.reasons)),
                " ".join(_overridden(applied, stored)), _cell(result.problem or ""),
                _cell("; ".join(stored.notes)),
                "" if not autograder_sha256 else "yes" if current else "no"])
    return buffer.getvalue()


def student_rows(applied: Applied) -> list[tuple[tuple[str, str, str], Stored, list[str]]]:
    """((name, email, sid), result, notes) per student: the latest submission naming them."""
    chosen: dict[str, tuple[tuple[str, str, str], Stored, list[str]]] = {}
    order = sorted(applied.records, key=lambda s: (s.identity.get("created_at") or "", s.name))
    for stored in order:
        for person in _people(stored):
            key = person[2] or person[1] or person[0] or f"\0{stored.name}"
            notes = []
            if key in chosen:
                notes.append(f"also on {chosen[key][1].name} (earlier; not counted)")
            chosen[key] = (person, stored, notes)
    return sorted(chosen.values(), key=lambda row: (row[0][2], row[0][1], row[1].name))


def final_csv(applied: Applied) -> str:
    """``final.csv``: one row per student (columns in the module docstring)."""
    if not applied.records:
        return ""
    part_ids = [p.id for p in applied.records[0].result.parts]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sid", "name", "email", "submission", *part_ids, "total", "possible",
                     "flags"])
    for (name, email, sid), stored, notes in student_rows(applied):
        result = stored.result
        flags = [f"review:{p.id}" for p in _flagged(applied, stored)]
        flags += [f"overridden:{p.id}" for p in result.parts
                  if (stored.name, p.id) in applied.applied]
        if result.problem:
            flags.append("problem")
        if not stored.submitters:
            flags.append("no-names")
        flags += notes
        writer.writerow([_cell(sid), _cell(name), _cell(email), stored.name,
                         *[_g(result.part(pid).score) for pid in part_ids],
                         _g(result.score), _g(result.possible), _cell(" ".join(flags))])
    return buffer.getvalue()


def feedback_text(applied: Applied, stored: Stored, person: tuple[str, str, str]) -> str:
    """What one student sees after publication: marks and student feedback only."""
    result = stored.result
    name = person[0] or person[2] or stored.name
    lines = [f"{result.assignment}: feedback for {name}",
             f"Total: {_g(result.score)} / {_g(result.possible)}", ""]
    if result.problem:
        lines += [f"Problem with your file: {result.problem}", ""]
    for part in result.parts:
        overridden = (stored.name, part.id) in applied.applied
        lines.append(f"{part.id} {part.title}: {_g(part.score)}/{_g(part.marks)}"
                     + ("  (marked by the course staff after review)" if overridden else ""))
        feedback = part.feedback.splitlines()
        if feedback and feedback[0].startswith(f"{part.id}:"):
            feedback = feedback[1:]  # the rubric's own mark line; the mark is above
        if overridden:
            feedback = [f for f in feedback if "checked by a member of staff" not in f]
        lines += [f"  {line}" for line in feedback]
        lines.append("")
    return "\n".join(lines)


def write_exports(applied: Applied, out: Path) -> tuple[Path, Path, int]:
    """Write ``final.csv`` and ``feedback/`` into ``out``; return their paths and the count."""
    out = Path(out)
    write_atomic(out / "final.csv", final_csv(applied))
    folder = out / "feedback"
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for person, stored, _ in student_rows(applied):
        stem = _SAFE.sub("_", person[2] or person[1] or stored.name).strip("._") or stored.name
        write_atomic(folder / f"{stem}.txt", feedback_text(applied, stored, person))
        count += 1
    return out / "final.csv", folder, count
