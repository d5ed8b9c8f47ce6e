"""Measuring a rubric against human-marked answers (the rubric's own test, in the spirit of
pmatch's answer-matching tester).

A calibration file (YAML or CSV) holds answers with the mark a careful human gave, a note, a
``trap`` flag for adversarial answers and optionally the concept ids the human credited. This
module scores every answer with the rubric and reports mean absolute error, exact and within-half
agreement, quadratic weighted kappa, per-concept precision and recall, traps scored above their
human mark, and the disagreements worst first; :attr:`CalibrationReport.passed` applies the
thresholds of the rubric's ``calibration:`` block.

It must not change rubrics or human marks, and must not print (the CLI renders reports).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .engine import score_answer
from .schema import LDict, LList, Rubric, RubricError, line_of, load_yaml_with_lines


@dataclass(frozen=True)
class CalibrationEntry:
    """One human-marked answer."""

    id: str
    answer: str
    human: float
    note: str = ""
    trap: bool = False
    concepts: tuple[str, ...] | None = None
    """Concept ids the human credited (any marks); None when not recorded."""
    line: int = 0
    concept_marks: dict[str, float] | None = None
    """The human's mark per concept (``concept_marks: {a: 1, b: 0.5}``); None when not
    recorded."""


@dataclass(frozen=True)
class Outcome:
    """The rubric's mark for one entry beside the human's."""

    entry: CalibrationEntry
    score: float
    flags: tuple[str, ...]
    needs_review: bool
    credited: tuple[str, ...]
    features: dict[str, float] = field(default_factory=dict, compare=False)
    """What the review model read for this answer (``features.py``)."""

    @property
    def error(self) -> float:
        """Rubric minus human."""
        return self.score - self.entry.human


@dataclass(frozen=True)
class ConceptAgreement:
    """Rubric versus human on one concept, over entries that record concepts."""

    id: str
    true_pos: int
    false_pos: int
    false_neg: int

    @property
    def precision(self) -> float:
        d = self.true_pos + self.false_pos
        return self.true_pos / d if d else 1.0

    @property
    def recall(self) -> float:
        d = self.true_pos + self.false_neg
        return self.true_pos / d if d else 1.0


@dataclass
class CalibrationReport:
    """Agreement of a rubric with human marks on one calibration set."""

    part: str
    source: str
    outcomes: list[Outcome]
    mae: float
    exact: float
    within_half: float
    kappa: float
    concepts: list[ConceptAgreement]
    trap_violations: list[Outcome]
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every threshold of the rubric's calibration block is met."""
        return not self.failures

    @property
    def disagreements(self) -> list[Outcome]:
        """Entries where rubric and human differ, worst first (traps first on ties)."""
        diff = [o for o in self.outcomes if abs(o.error) > 1e-9]
        return sorted(diff, key=lambda o: (-abs(o.error), not o.entry.trap, o.entry.id))

    def format(self, *, show_answers: bool = True) -> str:
        """A plain-text report for the terminal."""
        n = len(self.outcomes)
        lines = [
            f"{self.part} ({self.source}): {n} answers",
            f"  MAE {self.mae:.3f}   exact {self.exact:.1%}   within 0.5 {self.within_half:.1%}"
            f"   QWK {self.kappa:.3f}",
        ]
        if self.concepts:
            lines.append("  per concept (precision / recall against human credit):")
            for c in self.concepts:
                lines.append(
                    f"    {c.id:24s} P {c.precision:.2f}  R {c.recall:.2f}  "
                    f"(tp {c.true_pos}, fp {c.false_pos}, fn {c.false_neg})"
                )
        if self.trap_violations:
            lines.append(f"  traps scored above human: {len(self.trap_violations)}")
        dis = self.disagreements
        if dis:
            lines.append(f"  disagreements ({len(dis)}), worst first:")
            for o in dis:
                tag = " TRAP" if o.entry.trap else ""
                flags = f" [{', '.join(o.flags)}]" if o.flags else ""
                lines.append(
                    f"    {o.entry.id}: rubric {o.score:g} vs human {o.entry.human:g}"
                    f"{tag}{flags} - {o.entry.note}"
                )
                if show_answers:
                    text = " ".join(o.entry.answer.split())
                    lines.append(f"        {text[:200]}{'...' if len(text) > 200 else ''}")
        lines.append("  PASS" if self.passed else "  FAIL: " + "; ".join(self.failures))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able summary."""
        return {
            "part": self.part,
            "source": self.source,
            "n": len(self.outcomes),
            "mae": self.mae,
            "exact": self.exact,
            "within_half": self.within_half,
            "kappa": self.kappa,
            "passed": self.passed,
            "failures": list(self.failures),
            "concepts": [
                {
                    "id": c.id,
                    "precision": c.precision,
                    "recall": c.recall,
                    "tp": c.true_pos,
                    "fp": c.false_pos,
                    "fn": c.false_neg,
                }
                for c in self.concepts
            ],
            "disagreements": [
                {
                    "id": o.entry.id,
                    "rubric": o.score,
                    "human": o.entry.human,
                    "trap": o.entry.trap,
                    "flags": list(o.flags),
                    "note": o.entry.note,
                }
                for o in self.disagreements
            ],
        }


def quadratic_weighted_kappa(
    human: list[float], rubric: list[float], step: float, max_marks: float
) -> float:
    """Cohen's kappa with quadratic weights over the mark categories 0, step, ..., max_marks.

    >>> quadratic_weighted_kappa([0, 1, 2], [0, 1, 2], 0.5, 2)
    1.0
    """
    k = int(round(max_marks / step)) + 1
    if k < 2 or not human:
        return 1.0
    a = np.clip(np.rint(np.asarray(human, dtype=float) / step).astype(int), 0, k - 1)
    b = np.clip(np.rint(np.asarray(rubric, dtype=float) / step).astype(int), 0, k - 1)
    observed = np.zeros((k, k))
    np.add.at(observed, (a, b), 1.0)
    expected = np.outer(np.bincount(a, minlength=k), np.bincount(b, minlength=k)) / len(a)
    idx = np.arange(k)
    weights = (idx[:, None] - idx[None, :]) ** 2 / (k - 1) ** 2
    denom = float((weights * expected).sum())
    if denom == 0.0:
        return 1.0 if float((weights * observed).sum()) == 0.0 else 0.0
    return float(1.0 - (weights * observed).sum() / denom)


def _entry(item: Any, k: int, items: Any, path: Path) -> CalibrationEntry:
    line = line_of(items, k)
    if not isinstance(item, dict):
        raise RubricError(
            f"{path}, line {line}: entry #{k + 1} must be a mapping; write "
            "'- id: ...', 'answer: ...', 'human: ...'"
        )
    for key in ("answer", "human"):
        if key not in item:
            raise RubricError(f"{path}, line {line}: entry #{k + 1} has no '{key}'; add it")
    human = item["human"]
    if isinstance(human, bool) or not isinstance(human, (int, float)):
        raise RubricError(
            f"{path}, line {line_of(item, 'human')}: 'human' must be a number, "
            f"got {human!r}; write the human mark, e.g. human: 1.5"
        )
    answer = item["answer"]
    if answer is None:
        answer = ""
    if not isinstance(answer, str):
        raise RubricError(
            f"{path}, line {line_of(item, 'answer')}: 'answer' must be text; quote it"
        )
    concepts = item.get("concepts")
    if concepts is not None:
        if isinstance(concepts, str):
            concepts = [c for c in concepts.replace(",", ";").split(";") if c.strip()]
        if not isinstance(concepts, list):
            raise RubricError(
                f"{path}, line {line_of(item, 'concepts')}: 'concepts' must be a list "
                "of concept ids; write concepts: [a, b]"
            )
        concepts = tuple(str(c).strip() for c in concepts)
    marks = item.get("concept_marks")
    if marks is not None:
        try:
            marks = {str(c): float(m) for c, m in dict(marks).items()}
        except (TypeError, ValueError):
            raise RubricError(
                f"{path}, line {line_of(item, 'concept_marks')}: 'concept_marks' must map "
                "concept ids to marks; write concept_marks: {a: 1, b: 0.5}"
            ) from None
    trap = item.get("trap", False)
    if isinstance(trap, str):
        trap = trap.strip().lower() in {"1", "true", "yes", "y"}
    return CalibrationEntry(
        id=str(item.get("id", f"#{k + 1}")),
        answer=str(answer),
        human=float(human),
        note=str(item.get("note", "")),
        trap=bool(trap),
        concepts=concepts,
        line=line,
        concept_marks=marks,
    )


def load_calibration(path: str | Path) -> tuple[str | None, list[CalibrationEntry]]:
    """Read a calibration file: YAML (``part``, ``answers: [...]``) or CSV (columns id, answer,
    human, note, trap, concepts). Returns (part or None, entries)."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        try:
            with p.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
        except OSError as exc:
            raise RubricError(f"{p}: cannot read ({exc.strerror}); check the path") from exc
        entries = []
        for k, row in enumerate(rows):
            try:
                row = dict(row)
                row["human"] = float(row.get("human") or "nan")
            except ValueError as exc:
                raise RubricError(
                    f"{p}, row {k + 2}: 'human' is not a number; fix the cell"
                ) from exc
            if row["human"] != row["human"]:
                raise RubricError(f"{p}, row {k + 2}: no 'human' mark; add the column/cell")
            if not row.get("concepts"):
                row.pop("concepts", None)
            entries.append(_entry(row, k, None, p))
        return None, entries
    data = load_yaml_with_lines(p)
    if isinstance(data, LList):
        items, part = data, None
    elif isinstance(data, LDict) and isinstance(data.get("answers"), LList):
        items, part = data["answers"], data.get("part")
    else:
        raise RubricError(
            f"{p}: a calibration file needs 'answers:' with a list of entries; see "
            "solutions/calibration/q2.yaml for the format"
        )
    entries = [_entry(item, k, items, p) for k, item in enumerate(items)]
    ids = [e.id for e in entries]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise RubricError(f"{p}: duplicate entry ids {', '.join(dup)}; make ids unique")
    return (str(part) if part is not None else None), entries


def calibrate(
    rubric: Rubric, entries: list[CalibrationEntry], source: str = ""
) -> CalibrationReport:
    """Score every entry with ``rubric`` and compare with the human marks.

    The set's own answers (named by the file name of ``source``) are left out of the marked
    answers the review model compares with, as a new class's answers are not among them."""
    if rubric.neighbours is not None and source:
        rubric = replace(rubric, neighbours=rubric.neighbours.without(Path(source).name))
    outcomes = []
    for e in entries:
        result = score_answer(rubric, e.answer)
        credited = tuple(c.id for c in result.concepts if c.earned > 0)
        outcomes.append(
            Outcome(e, result.score, tuple(result.flags), result.needs_review, credited,
                    dict(result.features))
        )
    return report_of(rubric, outcomes, source)


def report_of(rubric: Rubric, outcomes: list[Outcome], source: str = "") -> CalibrationReport:
    """Compare marks already given (``outcomes``) with the human marks: a pool of sets is
    measured without marking its answers again."""
    n = len(outcomes)
    errors = np.array([abs(o.error) for o in outcomes]) if n else np.zeros(0)
    mae = float(errors.mean()) if n else 0.0
    exact = float((errors < 1e-9).mean()) if n else 1.0
    within = float((errors <= 0.5 + 1e-9).mean()) if n else 1.0
    kappa = quadratic_weighted_kappa(
        [o.entry.human for o in outcomes],
        [o.score for o in outcomes],
        rubric.settings.step,
        rubric.max_marks,
    )
    concept_stats = []
    recorded = [o for o in outcomes if o.entry.concepts is not None]
    if recorded:
        for c in rubric.concepts:
            tp = sum(1 for o in recorded if c.id in o.credited and c.id in o.entry.concepts)  # type: ignore[operator]
            fp = sum(1 for o in recorded if c.id in o.credited and c.id not in o.entry.concepts)  # type: ignore[operator]
            fn = sum(1 for o in recorded if c.id not in o.credited and c.id in o.entry.concepts)  # type: ignore[operator]
            concept_stats.append(ConceptAgreement(c.id, tp, fp, fn))
    traps = [o for o in outcomes if o.entry.trap and o.score > o.entry.human + 1e-9]
    t = rubric.calibration
    failures = []
    if mae > t.max_mae + 1e-9:
        failures.append(f"MAE {mae:.3f} > {t.max_mae}")
    if exact < t.min_exact - 1e-9:
        failures.append(f"exact agreement {exact:.1%} < {t.min_exact:.0%}")
    if within < t.min_within_half - 1e-9:
        failures.append(f"within-0.5 agreement {within:.1%} < {t.min_within_half:.0%}")
    if t.min_kappa is not None and kappa < t.min_kappa - 1e-9:
        failures.append(f"QWK {kappa:.3f} < {t.min_kappa}")
    if t.traps_never_above_human and traps:
        failures.append(
            f"{len(traps)} trap(s) scored above the human mark: "
            + ", ".join(o.entry.id for o in traps)
        )
    return CalibrationReport(
        rubric.part, source, outcomes, mae, exact, within, kappa, concept_stats, traps, failures
    )
