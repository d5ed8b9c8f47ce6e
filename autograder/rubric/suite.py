"""Every calibration set of an assignment, measured together and told apart by kind.

A calibration file says what it may be used for (``kind:``): ``tuned`` sets are the ones the
rubrics were adjusted on (their figures say little about new answers), ``heldout`` sets were
never used to adjust anything (their figures are the ones to quote), ``review`` sets are answers
staff re-marked while seeing the rubric's mark (they count as tuned). ``read`` sets are blind
waves read after their first score to find what the engine and rubrics miss, and fixed in
general (a mechanism, a phrasing, a misconception), not answer by answer until each meets the
strict block: they train the review flag like tuned sets, their figures are development
figures (reported pooled, never quoted as held-out), and ``make test`` holds them at the level
reached. Tuned and review sets are held to each rubric's own ``calibration:`` block; held-out
sets are pooled over all parts (one part's set is too small to measure a flag) and held to
:data:`HELD_OUT_TARGETS`, which a ``targets.yaml`` beside the sets may override.

The review flag is measured here as a predictor: of the answers the rubric marks half a mark or
more away from the human, how many it flags (recall), how many answers it flags in all (rate),
and how many of its flags are mis-marks (precision). A held-out file that says
``flag_training: true`` trained the review model (``fit.py``): its marks are still held out, its
flag figures are not, so the flag is held to the targets only on held-out sets without it, and
the model's cross-validated figures (from its file) are printed beside.

A file's *first score* (what the rubric gave the first time the set was scored) is appended to
the file once by :func:`record_first_score` and never rewritten, so a set that was later tuned on
still shows how the rubric did before.

This module must not change rubrics or human marks; it writes only the first-score block.
"""

from __future__ import annotations

import datetime
import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..files import write_atomic
from ..yamlio import safe_load
from . import fit
from .calibrate import CalibrationReport, Outcome, calibrate, load_calibration, report_of
from .schema import Rubric, RubricError, load_rubric

KINDS = ("tuned", "read", "heldout", "review")
OFF = 0.5 - 1e-9
"""An answer the rubric marks this far from the human (or further) is a mis-mark."""


@dataclass(frozen=True)
class HeldOutTargets:
    """What the pooled held-out sets must reach."""

    max_mae: float = 0.12
    min_exact: float = 0.85
    min_flag_recall: float = 0.80
    max_flag_rate: float = 0.25
    trap_margin: float = 0.5
    """No trap may score more than this above its human mark."""


HELD_OUT_TARGETS = HeldOutTargets()


@dataclass
class SetResult:
    """One calibration file, measured."""

    path: Path
    part: str
    kind: str
    report: CalibrationReport
    first_score: dict[str, Any] | None
    flag_training: bool = False
    """Its answers trained the review model (``fit.py``): its flag figures are not held out."""
    group: str = ""
    """Its wave, the unit of the review model's cross-validation."""


@dataclass(frozen=True)
class Pooled:
    """Figures over many sets' answers."""

    n: int
    mae: float
    exact: float
    off: int
    """Answers marked half a mark or more away from the human."""
    off_flagged: int
    flagged: int
    trap_excess: tuple[str, ...]
    """Ids of traps scored more than the margin above their human mark."""

    @property
    def flag(self) -> fit.Figures:
        """The review flag's figures over these answers (the same arithmetic as the fit's)."""
        return fit.Figures(self.n, self.off, self.flagged, self.off_flagged)

    @property
    def flag_recall(self) -> float:
        return self.flag.recall

    @property
    def flag_rate(self) -> float:
        return self.flag.rate

    @property
    def flag_precision(self) -> float:
        return self.flag.precision

    def flag_line(self) -> str:
        return (f"of the {self.off} off by >= 0.5 flagged {self.off_flagged} "
                f"({self.flag_recall:.0%}), flagged in all {self.flagged}/{self.n} "
                f"({self.flag_rate:.0%}), precision {self.off_flagged}/{self.flagged} "
                f"({self.flag_precision:.0%})")

    def line(self, *, flag: bool = True) -> str:
        marks = (f"{self.n} answers: MAE {self.mae:.3f}, exact {self.exact:.1%}, off by >= 0.5: "
                 f"{self.off}")
        traps = f"traps above human + 0.5: {len(self.trap_excess)}"
        if not flag:
            return f"{marks}, {traps}"
        return (f"{marks}, of those flagged {self.off_flagged} ({self.flag_recall:.0%}), "
                f"flagged in all {self.flagged} ({self.flag_rate:.0%}), precision "
                f"{self.off_flagged}/{self.flagged} ({self.flag_precision:.0%}), {traps}")


def pool(outcomes: list[Outcome], margin: float = 0.5) -> Pooled:
    """Pool outcomes of any number of sets."""
    n = len(outcomes)
    errors = [abs(o.error) for o in outcomes]
    off = [o for o in outcomes if abs(o.error) >= OFF]
    return Pooled(
        n=n,
        mae=sum(errors) / n if n else 0.0,
        exact=sum(e < 1e-9 for e in errors) / n if n else 1.0,
        off=len(off),
        off_flagged=sum(o.needs_review for o in off),
        flagged=sum(o.needs_review for o in outcomes),
        trap_excess=tuple(o.entry.id for o in outcomes
                          if o.entry.trap and o.error > margin + 1e-9),
    )


@dataclass
class SuiteReport:
    """Every set, and the pooled figures per kind."""

    sets: list[SetResult]
    targets: HeldOutTargets
    failures: list[str] = field(default_factory=list)
    flag_cv: str | None = None
    """The review model's cross-validated figures on its training sets, as its file records."""
    part_reports: list[tuple[str, CalibrationReport]] = field(default_factory=list)
    """(kind, report) per part over all its tuned (or review) sets: what the thresholds judge."""
    marked: int = 0
    """Answers marked by the rubrics in this run (the rest were read from stored marks)."""

    def of_kind(self, kind: str) -> list[SetResult]:
        return [s for s in self.sets if s.kind == kind]

    def pooled(self, kind: str) -> Pooled:
        return pool([o for s in self.of_kind(kind) for o in s.report.outcomes],
                    self.targets.trap_margin)

    def flag_held_out(self) -> Pooled | None:
        """The flag on held-out sets it never learned from (None when every held-out set
        trained it)."""
        sets = [s for s in self.of_kind("heldout") if not s.flag_training]
        if not sets:
            return None
        return pool([o for s in sets for o in s.report.outcomes], self.targets.trap_margin)

    def flag_training_rows(self) -> list[fit.Row]:
        """The answers the review model may learn from, as ``a2 rubric fit-review`` reads them."""
        return [row for s in self.sets if s.kind != "heldout" or s.flag_training
                for row in fit.rows_of(s.path.name, s.group, s.report.outcomes)]

    @property
    def passed(self) -> bool:
        return not self.failures

    def format(self, *, detail: bool = False) -> str:
        """A plain-text summary: one line per set, pooled figures per kind, then failures."""
        lines = []
        for kind in KINDS:
            sets = self.of_kind(kind)
            if not sets:
                continue
            lines.append(f"{kind} sets ({len(sets)}):")
            for s in sets:
                r = s.report
                first = ""
                if s.first_score:
                    first = (f"   first score: MAE {float(s.first_score.get('mae', 0)):.3f}, "
                             f"exact {float(s.first_score.get('exact', 0)):.0%}")
                lines.append(f"  {s.path.name:24s} {s.part:7s} n={len(r.outcomes):<3d} "
                             f"MAE {r.mae:.3f}  exact {r.exact:.0%}{first}")
                if detail and kind != "heldout":
                    # Never the answers of a held-out set: reading them is how a set gets tuned on.
                    lines.extend("    " + line for line in r.format().splitlines()[1:])
            for part_kind, r in self.part_reports:
                if part_kind == kind:
                    lines.append(f"  {r.part} all {kind} sets: n={len(r.outcomes)} "
                                 f"MAE {r.mae:.3f}  exact {r.exact:.0%}  "
                                 f"{'PASS' if r.passed else 'FAIL'}")
            if kind != "heldout":
                lines.append(f"  pooled: {self.pooled(kind).line()}")
                continue
            trained = [s for s in sets if s.flag_training]
            lines.append(f"  pooled: {self.pooled(kind).line(flag=not trained)}")
            if trained:
                held = self.flag_held_out()
                lines.append(f"  flag: {len(trained)} of these sets trained the review model "
                             "(flag_training: true); its figures on them are not held out")
                if held is not None:
                    lines.append(f"  flag on the held-out sets it never learned from: "
                                 f"{held.flag_line()}")
                if self.flag_cv is not None:
                    lines.append(f"  flag, cross-validated on its training sets (leave one "
                                 f"wave out, development figure): {self.flag_cv}")
        lines.append("PASS" if self.passed else "FAIL: " + "; ".join(self.failures))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"passed": self.passed, "failures": list(self.failures),
                               "sets": [], "pooled": {}}
        for s in self.sets:
            out["sets"].append({"file": str(s.path), "part": s.part, "kind": s.kind,
                                "first_score": s.first_score, **s.report.to_dict()})
        for kind in KINDS:
            if self.of_kind(kind):
                out["pooled"][kind] = _pooled_dict(self.pooled(kind))
        held = self.flag_held_out()
        if held is not None:
            out["pooled"]["heldout_flag"] = _pooled_dict(held)
        out["flag_cross_validated"] = self.flag_cv
        return out


def _pooled_dict(p: Pooled) -> dict[str, Any]:
    return {"n": p.n, "mae": p.mae, "exact": p.exact, "off": p.off,
            "off_flagged": p.off_flagged, "flagged": p.flagged,
            "flag_recall": p.flag_recall, "flag_rate": p.flag_rate,
            "flag_precision": p.flag_precision, "trap_excess": list(p.trap_excess)}


def read_header(path: Path, data: Any = None) -> tuple[str | None, str, dict[str, Any] | None]:
    """(part, kind, first_score) of a calibration file (``data``: its content, when read
    already); kind defaults to tuned."""
    if path.suffix.lower() != ".yaml":
        return None, "tuned", None
    if data is None:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        return None, "tuned", None
    kind = str(data.get("kind", "tuned"))
    if kind not in KINDS:
        raise RubricError(f"{path}: kind must be one of {', '.join(KINDS)}, not {kind!r}; "
                          "say how the set may be used")
    first = data.get("first_score")
    return data.get("part"), kind, first if isinstance(first, dict) else None


def load_targets(folder: Path) -> HeldOutTargets:
    """Held-out targets: the defaults, or ``targets.yaml`` in the calibration folder."""
    path = folder / "targets.yaml"
    if not path.is_file():
        return HELD_OUT_TARGETS
    data = (safe_load(path.read_text(encoding="utf-8")) or {}).get("heldout") or {}
    known = set(HeldOutTargets.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise RubricError(f"{path}: unknown held-out target(s) {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(known))}")
    return HeldOutTargets(**{k: float(v) for k, v in data.items()})


SCORES_FILE = "current_scores.json.gz"
"""In the calibration folder: every set's marks as the rubrics give them today, under a
fingerprint of everything they depend on (:func:`scores_fingerprint`)."""


def scores_fingerprint(folder: Path, rubric_paths: dict[str, Path]) -> str:
    """What today's marks of the calibration sets depend on: the rubric engine's source and the
    libraries' versions (as for the rows as first scored), every file beside the rubrics that a
    rubric loads (the rubrics, the review model, the marked answers it compares with), and every
    calibration set."""
    digest = fit.Fingerprint()
    add = digest.add
    fit.add_engine(add)
    for home in sorted({path.resolve().parent for path in rubric_paths.values()}):
        for path in sorted(home.iterdir()):
            if path.suffix in (".yaml", ".json") and path.is_file():
                add(f"rubrics:{path.name}", path.read_bytes())
    for part, path in sorted(rubric_paths.items()):
        add(f"part:{part}", path.resolve().name.encode())
    for path in sorted(folder.glob("*.yaml")):
        add(f"set:{path.name}", path.read_bytes())
    return digest.hexdigest()


def read_scores(path: Path, fingerprint: str) -> dict[str, list] | None:
    """The stored marks by set file name, or None when missing, unreadable or stored under
    another fingerprint (then every set is marked again: a stale file costs time, never a
    wrong figure)."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return None
    sets = data.get("sets")
    return sets if isinstance(sets, dict) else None


def write_scores(path: Path, fingerprint: str, sets: list[SetResult]) -> None:
    rows = {s.path.name: [[o.score, list(o.flags), o.needs_review, list(o.credited),
                           o.features] for o in s.report.outcomes] for s in sets}
    text = json.dumps({"fingerprint": fingerprint, "sets": rows}, sort_keys=True,
                      separators=(",", ":"))
    write_atomic(path, gzip.compress(text.encode(), compresslevel=9, mtime=0))


def _stored_outcomes(entries: list, rows: object) -> list[Outcome] | None:
    if not isinstance(rows, list) or len(rows) != len(entries):
        return None
    try:
        return [Outcome(e, float(score), tuple(flags), bool(review), tuple(credited),
                        {str(k): float(v) for k, v in features.items()})
                for e, (score, flags, review, credited, features) in zip(entries, rows,
                                                                         strict=True)]
    except (TypeError, ValueError, AttributeError):
        return None


def run_suite(folder: Path, rubric_paths: dict[str, Path], scores: Path | None = None, *,
              store: bool = False) -> SuiteReport:
    """Measure every calibration file in ``folder`` against the rubric of its part.

    ``scores``: a file of stored marks (:data:`SCORES_FILE`), used when it was written under
    this checkout's fingerprint; with ``store``, written again when it was not."""
    rubrics: dict[str, Rubric] = {}
    sets = []
    fingerprint = stored = None
    if scores is not None:
        fingerprint = scores_fingerprint(folder, rubric_paths)
        stored = read_scores(scores, fingerprint)
    marked = 0
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "targets.yaml":
            continue
        header = fit.read_header(path)
        part, kind, first = read_header(path, header)
        if part is None or part not in rubric_paths:
            continue
        if part not in rubrics:
            rubrics[part] = load_rubric(rubric_paths[part])
        _, entries = load_calibration(path)
        outcomes = _stored_outcomes(entries, (stored or {}).get(path.name))
        if outcomes is None:
            result = calibrate(rubrics[part], entries, str(path))
            marked += len(entries)
        else:
            result = report_of(rubrics[part], outcomes, str(path))
        sets.append(SetResult(path, str(part), kind, result, first,
                              kind == "heldout" and fit.trains_flag(header),
                              fit.group_of(path, header)))
    if scores is not None and store and fingerprint is not None and (stored is None or marked):
        write_scores(scores, fingerprint, sets)
    targets = load_targets(folder)
    report = SuiteReport(sets, targets)
    report.marked = marked
    models = {r.review_model.source for r in rubrics.values() if r.review_model is not None}
    figures = [fit.stored_figures(Path(source)) for source in sorted(models)]
    report.flag_cv = "; ".join(f.line() for f in figures if f is not None) or None
    # Tuned and review sets: each part's sets of a kind together against the rubric's own
    # thresholds (a 26-answer file moves 4% per answer; the part's pool is what was tuned).
    for kind in ("tuned", "review"):
        for part in sorted({s.part for s in sets if s.kind == kind}):
            outcomes = [o for s in sets if s.kind == kind and s.part == part
                        for o in s.report.outcomes]
            pooled = report_of(rubrics[part], outcomes, f"{kind} sets of {part}")
            report.part_reports.append((kind, pooled))
            if not pooled.passed:
                report.failures.append(f"{kind} sets of {part}: " + "; ".join(pooled.failures))
    held = [s for s in sets if s.kind == "heldout"]
    if held:
        p = report.pooled("heldout")
        checks = [
            (p.mae <= targets.max_mae + 1e-9, f"held-out MAE {p.mae:.3f} > {targets.max_mae}"),
            (p.exact >= targets.min_exact - 1e-9,
             f"held-out exact agreement {p.exact:.1%} < {targets.min_exact:.0%}"),
            (not p.trap_excess,
             "held-out traps above human + margin: " + ", ".join(p.trap_excess)),
        ]
        # The flag is held to its targets only on sets it never learned from.
        f = report.flag_held_out()
        if f is not None:
            checks += [
                (f.flag_recall >= targets.min_flag_recall - 1e-9,
                 f"held-out flag recall {f.off_flagged}/{f.off} < {targets.min_flag_recall:.0%}"),
                (f.flag_rate <= targets.max_flag_rate + 1e-9,
                 f"held-out flag rate {f.flagged}/{f.n} > {targets.max_flag_rate:.0%}"),
            ]
        report.failures += [message for ok, message in checks if not ok]
    return report


def record_first_score(path: Path, report: CalibrationReport, commit: str = "") -> bool:
    """Append the set's first score to its file; False (and nothing written) if it has one."""
    text = path.read_text(encoding="utf-8")
    if read_header(path)[2] is not None:
        return False
    p = pool(report.outcomes)
    block = [
        "# The first score of this set, written by `a2 rubric calibrate --record` the first",
        "# time the set was scored; never edited.",
        "first_score:",
        f"  date: '{datetime.date.today().isoformat()}'",
        f"  commit: '{commit}'",
        f"  n: {p.n}",
        f"  mae: {p.mae:.3f}",
        f"  exact: {p.exact:.3f}",
        f"  off_by_half_or_more: {p.off}",
        f"  of_those_flagged: {p.off_flagged}",
        f"  flagged: {p.flagged}",
        f"  traps_above_human_plus_half: {len(p.trap_excess)}",
        "  marks: {" + ", ".join(f"{o.entry.id}: {o.score:g}" for o in report.outcomes) + "}",
    ]
    write_atomic(path, text.rstrip("\n") + "\n" + "\n".join(block) + "\n")
    return True
