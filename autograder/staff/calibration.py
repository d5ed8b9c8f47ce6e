"""``a2 review --export-calibration``: this year's reviewed answers become next year's test.

Every short answer a person marked in ``a2 review`` (an override that still applies) is appended,
with that person's mark, to ``review_<date>_<part>.yaml`` in the calibration folder, in the
format ``rubric/calibrate.py`` reads, with ``kind: review``: the marks were set while seeing the
rubric's, so the set counts as tuned, never as held-out (``rubric/suite.py``).

Entries carry no names, ids or emails: each is identified by a hash of its answer, so the
file can be committed and the same answer is never added twice. This module writes those files
only.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from ..files import write_atomic
from .overrides import apply_overrides, load_overrides
from .store import Stored

HEADER = """\
# Answers re-marked by staff in 'a2 review' ({date}), with the staff member's mark as 'human'.
# The marks were set while seeing the rubric's: a 'review' set counts as tuned, never held-out.
"""


def export_calibration(grades: Path, records: list[Stored], folder: Path,
                       today: datetime.date | None = None) -> list[tuple[Path, int]]:
    """Append reviewed answers per part; return (file, entries added) for each file written."""
    applied = apply_overrides(records, load_overrides(grades))
    by_part: dict[str, list[dict]] = {}
    for stored in applied.records:
        for part in stored.result.parts:
            override = applied.applied.get((stored.name, part.id))
            if override is None or part.kind != "text" or not part.answer.strip():
                continue
            note = f"staff mark {override.new:g} (rubric gave {override.old:g})"
            if override.comment:
                note += f": {override.comment}"
            by_part.setdefault(part.id, []).append({
                "id": f"rev-{part.id}-{override.answer_sha256[:12]}",
                "note": note, "human": override.new, "answer": part.answer})
    date = (today or datetime.date.today()).isoformat()
    written = []
    for part_id, entries in sorted(by_part.items()):
        path = Path(folder) / f"review_{date}_{part_id}.yaml"
        data = {"part": part_id, "kind": "review", "answers": []}
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or data
        seen = {e.get("id") for e in data.get("answers", [])}
        new = [e for e in entries if e["id"] not in seen]
        if not new:
            continue
        data["answers"] = [*data.get("answers", []), *new]
        body = yaml.safe_dump({"part": part_id, "kind": "review", "answers": data["answers"]},
                              sort_keys=False, allow_unicode=True, width=100)
        write_atomic(path, HEADER.format(date=date) + body)
        written.append((path, len(new)))
    return written
