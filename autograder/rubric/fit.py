"""Fitting the review model on human marks: ``a2 rubric fit-review``.

Every answer of the calibration sets the flag may learn from is marked by its part's rubric and
described by its features (``features.py``); the target is "the rubric's mark is half a mark or
more from the human's". A logistic regression with an L2 penalty (NumPy, Newton's method, the
intercept unpenalised, each feature divided by its standard deviation) is fitted on all parts
pooled, with part indicators among the features.

Which sets: every calibration file except the held-out ones (``kind: heldout``) that do not say
``flag_training: true``: a new blind wave dropped in as ``kind: heldout`` is never learned from,
so ``a2 rubric calibrate --all`` measures the flag on it.

Two kinds of rows. The rubrics are tuned on every set they learn from, so today's marks of those
sets are right far more often than the marks of a new class: a feature that looks safe there (a
misconception withdrawing a concept, say) is not safe on answers nobody tuned for. So each blind
wave that keeps its first score (``first_score.commit``) is also marked **as first scored**: by
the rubrics of that commit, read from git, with today's engine and features (these rows reproduce
the recorded first marks: 3500 answers, all but a handful alike). Those rows are what a new class
looks like to the rubrics, and the threshold is set on them. Without git, or when a commit is not
in the history, the wave trains the model with its today's rows only, and the summary says so.

Figures: leave-one-wave-out cross-validation (a file's ``wave:``, else its name without the part:
``review``, ``heldout``, the seed set). The L2 strength is the one of :data:`L2_GRID` with the
highest cross-validated recall at the target flag rate (ties: the lower log-loss), and the
threshold is the lowest cross-validated probability that keeps the flag rate at or under
:data:`TARGET_RATE`; the refit on all rows then uses both.

Marking thousands of answers by dozens of old rubrics takes minutes, and the result is a pure
function of the engine's source, the calibration files and the library versions. So
``fit-review`` keeps those rows beside the model (:data:`FIRST_ROWS_FILE`, gzip'd JSON) under a
fingerprint of all of these (:func:`rows_fingerprint`); ``fit-review --check`` and the test suite
read them back only when the fingerprint is the same, and mark everything again otherwise. A stale
or hand-edited file therefore costs time, never a wrong model.

This module reads calibration sets and rubrics and writes only the files it is asked to.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..files import write_atomic
from ..yamlio import safe_load, safe_load_without
from . import neighbours
from .calibrate import Outcome, calibrate, load_calibration
from .review import ReviewModel
from .schema import RubricError, load_rubric

OFF = 0.5 - 1e-9
"""A mis-mark: the rubric this far from the human, or further."""
TARGET_RATE = 0.24
"""The threshold keeps the cross-validated flag rate, on the answers as first scored, at or
under this share of them. Staff budget a quarter of the answers for review, and a new class is
flagged more often than the cross-validation says. Blind waves, scored once
(docs/rubric-calibration.md, rounds 37 to 44): 42-47 flagged 26.7% with 0.23 (84% of the
mis-marks), 48-51 27.3% with 0.21 (85%), 52-57 21.7% with 0.19 (72%); with 0.20, 58-63 26.0%
(89%), 64-69 19.7% (78%), 70-75 21.5% (78%), 76-81 21.2% (83%), 82-87 20.8% (77%). The last
three sets sat four points under the budget and missed the recall goal twice: 0.22 (round 44).
With 0.22, the four newest sets (rounds 82-85) were flagged 16.0%, 17.7%, 21.3% and 15.0%
(recall 93%, 75%, 89%, 71%), and cross-validation put the newest 60 training waves at 18.6%
flagged: as the rubrics improved, a new class has fewer mis-marks and carries less risk than the
older first scores the threshold is chosen on, so the flag used less of the budget than it was
given. 0.24 (round 86), decided before waves 346-357 were scored."""
FIRST_ROWS_FILE = "first_scored_rows.json.gz"
"""Beside the model: the rows as first scored, and the fingerprint they were computed under."""
L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
"""L2 strengths tried (on standardised features; larger is smoother)."""


@dataclass(frozen=True)
class Row:
    """One human-marked answer, as the model sees it."""

    file: str
    group: str
    """Its wave: the unit of cross-validation."""
    id: str
    values: dict[str, float]
    off: bool
    """The rubric's mark is half a mark or more from the human's."""


@dataclass(frozen=True)
class Figures:
    """A flag measured against mis-marks."""

    n: int
    off: int
    flagged: int
    off_flagged: int

    @property
    def recall(self) -> float:
        return self.off_flagged / self.off if self.off else 1.0

    @property
    def rate(self) -> float:
        return self.flagged / self.n if self.n else 0.0

    @property
    def precision(self) -> float:
        return self.off_flagged / self.flagged if self.flagged else 1.0

    def line(self) -> str:
        return (f"recall {self.off_flagged}/{self.off} ({self.recall:.0%}), flagged "
                f"{self.flagged}/{self.n} ({self.rate:.0%}), precision "
                f"{self.off_flagged}/{self.flagged} ({self.precision:.0%})")


@dataclass(frozen=True)
class Fit:
    """A fitted model with how it was chosen and measured."""

    model: ReviewModel
    l2: float
    cv: Figures
    """Leave-one-wave-out, at the chosen threshold, on the rows marked as first scored (all rows
    when there are none)."""
    cv_by_group: dict[str, Figures]
    files: tuple[str, ...]
    n: int
    off: int
    first: int = 0
    """Rows marked as first scored (``cv`` is measured on these when there are any)."""


def read_header(path: Path) -> dict[str, Any]:
    """The top-level keys of a calibration file (part, kind, wave, flag_training, ...), its
    answers left unread."""
    data = safe_load_without(path.read_text(encoding="utf-8"), "answers") or {}
    return data if isinstance(data, dict) else {}


def trains_flag(header: dict[str, Any]) -> bool:
    """Whether a calibration file's answers may train the review model."""
    return header.get("kind", "tuned") != "heldout" or bool(header.get("flag_training"))


def group_of(path: Path, header: dict[str, Any]) -> str:
    """The wave a file belongs to, for cross-validation."""
    if header.get("wave") is not None:
        return f"wave{header['wave']}"
    part = str(header.get("part", ""))
    stem = path.stem.removesuffix(f"_{part}") if part else path.stem
    return "seed" if stem == part else stem


def rows_of(file: str, group: str, outcomes: list[Outcome]) -> list[Row]:
    """Training rows from one set's marked answers."""
    return [Row(file, group, o.entry.id, dict(o.features), abs(o.error) >= OFF)
            for o in outcomes]


def _training_files(folder: Path, parts: Iterable[str]) -> list[tuple[Path, str, str]]:
    """(path, part, group) of every calibration file whose answers may train the flag."""
    found = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "targets.yaml":
            continue
        header = read_header(path)
        part = header.get("part")
        if part in parts and trains_flag(header):
            found.append((path, str(part), group_of(path, header)))
    return found


def build_index(folder: Path, parts: Iterable[str]) -> dict[str, Any]:
    """The marked answers the review model compares with (``neighbours.py``): those of the
    files that train the flag, so that held-out sets stay out of the flag altogether."""
    entries = []
    for path, part, _ in _training_files(folder, set(parts)):
        _, answers = load_calibration(path)
        entries += [(part, path.name, e.human, e.answer, e.concept_marks) for e in answers]
    return neighbours.build(entries)


FIRST = "@first"
"""Suffix of the file name of a row marked as first scored (by the rubrics of the first score)."""


def first_scored(row: Row) -> bool:
    return row.file.endswith(FIRST)


def _git_root(path: Path) -> Path | None:
    try:
        done = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def _rubric_at(root: Path, commit: str, rubric_path: Path, scratch: Path) -> Path | None:
    """The rubric file as it was at ``commit`` (written into ``scratch``), or None."""
    try:
        relative = rubric_path.resolve().relative_to(root.resolve()).as_posix()
        done = subprocess.run(["git", "-C", str(root), "show", f"{commit}:{relative}"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    out = scratch / f"{commit}_{rubric_path.name}"
    out.write_text(done.stdout, encoding="utf-8")
    return out


@dataclass(frozen=True)
class FirstScored:
    """Rows marked as first scored, and the waves that could not be (no git, no commit)."""

    rows: list[Row]
    missing: list[str]
    stored: bool = field(default=False, compare=False)
    """Read from a :data:`FIRST_ROWS_FILE` rather than marked now."""


def first_score_rows(folder: Path, rubric_paths: dict[str, Path],
                     index: dict[str, Any] | None = None,
                     only: Iterable[str] | None = None,
                     cache: Path | None = None, write_cache: bool = False) -> FirstScored:
    """Every training wave that keeps its first score (or those of the file names ``only``),
    marked again by the rubrics of that commit (today's engine, features and neighbour index,
    its own file left out). A rubric file is compiled once per distinct text: most commits
    leave most parts as they were.

    ``cache``: a :data:`FIRST_ROWS_FILE` to read the rows from when its fingerprint is this
    checkout's (all waves only), and to write them to when ``write_cache``. With a cache,
    ``index`` may only be the folder's own (:func:`build_index`), which the fingerprint covers
    through the files it is built from."""
    if cache is not None and only is None:
        fingerprint = rows_fingerprint(folder, rubric_paths)
        stored = read_rows_cache(cache, fingerprint)
        if stored is not None:
            return stored
        result = _first_score_rows(folder, rubric_paths, index, None)
        if write_cache:
            write_rows_cache(cache, fingerprint, result)
        return result
    return _first_score_rows(folder, rubric_paths, index, only)


def _first_score_rows(folder: Path, rubric_paths: dict[str, Path],
                      index: dict[str, Any] | None,
                      only: Iterable[str] | None) -> FirstScored:
    names = set(only) if only is not None else None
    found = [(path, part, group, read_header(path))
             for path, part, group in _training_files(folder, set(rubric_paths))
             if names is None or path.name in names]
    found = [(path, part, group, h) for path, part, group, h in found
             if isinstance(h.get("first_score"), dict) and h["first_score"].get("commit")]
    if not found:
        return FirstScored([], [])
    root = _git_root(folder)
    rows: list[Row] = []
    missing: list[str] = []
    rubrics: dict[tuple[str, str], Any] = {}
    by_text: dict[tuple[str, str], Any] = {}
    near = index
    with tempfile.TemporaryDirectory(prefix="a2-first-") as scratch:
        for path, part, group, header in found:
            commit = str(header["first_score"]["commit"]).split()[0]
            key = (commit, part)
            if key not in rubrics:
                old = (_rubric_at(root, commit, rubric_paths[part], Path(scratch))
                       if root is not None else None)
                text = old.read_text(encoding="utf-8") if old else ""
                if old is None:
                    rubric = None
                elif (part, text) in by_text:
                    rubric = by_text[(part, text)]
                else:
                    try:
                        rubric = load_rubric(old, with_neighbours=False)
                    except RubricError:
                        rubric = None
                    if rubric is not None:
                        if near is None:
                            near = build_index(folder, set(rubric_paths))
                        rubric = replace(rubric, neighbours=neighbours.from_data(near, part))
                    by_text[(part, text)] = rubric
                rubrics[key] = rubric
            if rubrics[key] is None:
                missing.append(path.name)
                continue
            _, entries = load_calibration(path)
            report = calibrate(rubrics[key], entries, str(path))
            rows += rows_of(path.name + FIRST, group, report.outcomes)
    return FirstScored(rows, missing)


class Fingerprint:
    """A SHA-256 over labelled pieces of data: ``add(label, data)`` feeds each piece under its
    label and length, so no two sequences of pieces hash alike by running together."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def add(self, label: str, data: bytes) -> None:
        self._digest.update(f"{label}\0{len(data)}\0".encode())
        self._digest.update(data)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def rows_fingerprint(folder: Path, rubric_paths: dict[str, Path]) -> str:
    """What the rows as first scored depend on: the rubric engine's source (this package and
    the YAML reader), every file that may train the flag (they hold the first-score commits and
    make the neighbour index), the rubric paths read from git, and the versions of Python and
    the libraries that mark and measure."""
    digest = Fingerprint()
    add = digest.add
    add_engine(add, versions=False)
    for path, part, group in _training_files(folder, set(rubric_paths)):
        add(f"set:{path.name}:{part}:{group}", path.read_bytes())
    root = _git_root(folder)
    for part in sorted(rubric_paths):
        where = rubric_paths[part].resolve()
        if root is not None:
            try:
                where = where.relative_to(root.resolve())
            except ValueError:
                pass
        add(f"rubric:{part}", where.as_posix().encode())
    add_engine(add, sources=False)
    return digest.hexdigest()


NOT_MARKING = frozenset({"__main__.py", "cli.py", "lint.py", "suite.py"})
"""Modules of the rubric package that mark nothing (the command line, the linter, the report
over stored marks): editing them leaves every mark and every stored row as it was."""


def add_engine(add, *, sources: bool = True, versions: bool = True) -> None:
    """Feed ``add(label, data)`` what any mark of the engine depends on besides its rubric and
    answer: the rubric engine's source (this package and the YAML reader) and the versions of
    Python and of the libraries that mark and measure."""
    from importlib import metadata

    here = Path(__file__).resolve().parent
    if sources:
        for source in sorted(here.glob("*.py")) + [here.parent / "yamlio.py"]:
            if source.name not in NOT_MARKING:
                add(f"source:{source.name}", source.read_bytes())
    if versions:
        found = [f"python {sys.version_info[0]}.{sys.version_info[1]}"]
        for library in ("numpy", "snowballstemmer", "rapidfuzz", "pyyaml"):
            try:
                found.append(f"{library} {metadata.version(library)}")
            except metadata.PackageNotFoundError:
                found.append(f"{library} -")
        add("versions", "\n".join(found).encode())


def read_rows_cache(path: Path, fingerprint: str) -> FirstScored | None:
    """The rows stored at ``path`` if they were computed under ``fingerprint``, else None (a
    missing, stale or unreadable file alike)."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        if data.get("fingerprint") != fingerprint:
            return None
        names = data["names"]
        rows = [Row(file, group, answer_id, {names[int(k)]: float(v) for k, v in values.items()},
                    bool(off))
                for file, group, answer_id, off, values in data["rows"]]
        return FirstScored(rows, [str(m) for m in data["missing"]], stored=True)
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, gzip.BadGzipFile):
        return None


def write_rows_cache(path: Path, fingerprint: str, result: FirstScored) -> None:
    """Store ``result`` under ``fingerprint`` (byte-identical for the same rows)."""
    names = sorted({n for r in result.rows for n in r.values})
    position = {n: i for i, n in enumerate(names)}
    data = {"fingerprint": fingerprint,
            "about": "rows of the waves as first scored, for a2 rubric fit-review; "
                     "recomputed whenever the fingerprint differs",
            "missing": list(result.missing), "names": names,
            "rows": [[r.file, r.group, r.id, int(r.off),
                      {str(position[n]): v for n, v in sorted(r.values.items()) if v}]
                     for r in result.rows]}
    text = json.dumps(data, separators=(",", ":"), sort_keys=False)
    write_atomic(path, gzip.compress(text.encode("utf-8"), mtime=0))


def training_rows(folder: Path, rubric_paths: dict[str, Path],
                  index: dict[str, Any] | None = None) -> list[Row]:
    """Every answer of the files that may train the flag, marked and described (with the
    marked answers of ``index`` instead of those stored beside the rubrics, when given)."""
    rubrics = {}
    rows = []
    for path, part, group in _training_files(folder, set(rubric_paths)):
        if part not in rubrics:
            rubric = load_rubric(rubric_paths[part], with_neighbours=index is None)
            if index is not None:
                rubric = replace(rubric, neighbours=neighbours.from_data(index, part))
            rubrics[part] = rubric
        _, entries = load_calibration(path)
        report = calibrate(rubrics[part], entries, str(path))
        rows += rows_of(path.name, group, report.outcomes)
    return rows


def _matrix(rows: list[Row], names: list[str]) -> np.ndarray:
    return np.array([[r.values.get(n, 0.0) for n in names] for r in rows], dtype=float)


def logistic(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 100,
             start: np.ndarray | None = None) -> np.ndarray:
    """Weights (intercept first) of an L2-penalised logistic regression, by Newton's method
    (from ``start`` when given: the problem is strictly convex, so only the number of steps
    depends on it).

    >>> w = logistic(np.array([[0.], [0.], [1.], [1.]]), np.array([0., 0., 1., 1.]), 1.0)
    >>> bool(w[1] > 0)
    True
    """
    a = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(a.shape[1]) if start is None else np.array(start, dtype=float)
    penalty = np.full(a.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -50, 50)))
        grad = a.T @ (p - y) + penalty * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def _fit_matrix(x: np.ndarray, y: np.ndarray, l2: float,
                start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    scales = x.std(axis=0)
    scales[scales < 1e-9] = 1.0
    return logistic(x / scales, y, l2, start=start), scales


def _predict(w: np.ndarray, scales: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(w[0] + (x / scales) @ w[1:], -50, 50)))


def out_of_fold(rows: list[Row], names: list[str], l2: float,
                x: np.ndarray | None = None) -> np.ndarray:
    """Each row's probability from a model fitted without its wave (``x``: the rows' feature
    matrix over ``names``, when the caller has it already)."""
    x = _matrix(rows, names) if x is None else x
    y = np.array([r.off for r in rows], dtype=float)
    names_of_groups, groups = np.unique(np.array([r.group for r in rows]), return_inverse=True)
    probs = np.zeros(len(rows))
    # Every fold is solved on the features standardised once, over all rows (z): a fold's own
    # model, with its features divided by the fold's standard deviations s_g and the penalty
    # l2 * w**2, is the same model as weights u = w * S / s_g on z with the penalty
    # l2 * (s_g / S)**2 * u**2 (S: the standard deviations over all rows). So the folds differ
    # from the fit on every row only by the rows they leave out and a diagonal penalty.
    start, scales = _fit_matrix(x, y, l2)
    a = np.hstack([np.ones((len(x), 1)), x / scales])
    p = _sigmoid(a @ start)
    full_hessian = (a * (p * (1 - p))[:, None]).T @ a
    full_gradient_rows = a.T @ (p - y)
    # The folds' standard deviations from sums over every row less the left-out rows' sums
    # (about the centre of all rows, so that the subtraction loses nothing that matters).
    centred = x - x.mean(axis=0)
    sums, squares = centred.sum(axis=0), (centred * centred).sum(axis=0)
    for g in range(len(names_of_groups)):
        test = groups == g
        kept = len(x) - int(test.sum())
        left_out = centred[test]
        mean = (sums - left_out.sum(axis=0)) / kept
        variance = (squares - (left_out * left_out).sum(axis=0)) / kept - mean * mean
        fold_scales = np.sqrt(np.maximum(variance, 0.0))
        # constant over the fold's rows (up to the subtraction's rounding): left unscaled
        fold_scales[(fold_scales < 1e-9) | (variance <= 1e-12 * squares / len(x))] = 1.0
        penalty = np.concatenate([[0.0], l2 * (fold_scales / scales) ** 2])
        u = _fold_optimum(a, y, test, start, penalty, full_hessian, full_gradient_rows, p)
        if u is None:       # not settled by the quick steps: the plain Newton fit of the fold
            w, fold_scales = _fit_matrix(x[~test], y[~test], l2, start)
            probs[test] = _predict(w, fold_scales, x[test])
        else:
            probs[test] = _sigmoid(a[test] @ u)
    return probs


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -50, 50)))


def _fold_optimum(a: np.ndarray, y: np.ndarray, test: np.ndarray, start: np.ndarray,
                  penalty: np.ndarray, full_hessian: np.ndarray, full_gradient_rows: np.ndarray,
                  p: np.ndarray, steps: int = 60) -> np.ndarray | None:
    """The weights minimising the penalised log-loss of the rows outside ``test`` (intercept
    first, on the standardised features ``a``), or None if they have not settled.

    Newton's method with the Hessian held at the fit on every row (``start``, where the model's
    probabilities are ``p``): a fold leaves out one wave of well over a hundred, so that Hessian,
    less the left-out rows' part, is close to the fold's own, and each step costs one pass over
    the rows instead of the Hessian's d times more. Its fixed point is where the fold's gradient
    vanishes, so it ends at the fold's own optimum, to the same tolerance as :func:`logistic`."""
    held = a[test]
    held_p, held_y = p[test], y[test]
    hessian = (full_hessian - (held * (held_p * (1 - held_p))[:, None]).T @ held
               + np.diag(penalty) + 1e-9 * np.eye(len(start)))
    inverse = np.linalg.inv(hessian)
    u = np.array(start, dtype=float)
    rows_gradient = full_gradient_rows - held.T @ (held_p - held_y)
    for _ in range(steps):
        gradient = rows_gradient + penalty * u
        step = inverse @ gradient
        u -= step
        if np.abs(step).max() < 1e-10:
            return u
        rows_gradient = a.T @ (_sigmoid(a @ u) - y) - held.T @ (_sigmoid(held @ u) - held_y)
    return None


def choose_threshold(probs: np.ndarray, rate: float = TARGET_RATE) -> float:
    """The lowest probability that flags at most ``rate`` of the answers."""
    allowed = int(np.floor(rate * len(probs) + 1e-9))
    ordered = np.sort(probs)[::-1]
    if allowed <= 0:
        return float(min(0.999, ordered[0] + 1e-6))
    t = float(ordered[allowed - 1])
    if (probs >= t).sum() > allowed:       # ties at the cut: raise it just above them
        t = float(np.nextafter(t, 1.0))
    return t


def figures(rows: list[Row], flagged: np.ndarray) -> Figures:
    off = np.array([r.off for r in rows])
    return Figures(len(rows), int(off.sum()), int(flagged.sum()), int((flagged & off).sum()))


def fit(rows: list[Row]) -> Fit:
    """Choose the L2 strength and threshold by cross-validation, then fit on every row."""
    if not rows or not any(r.off for r in rows) or all(r.off for r in rows):
        raise RubricError("the review model needs mis-marked and well-marked answers among "
                          "the training sets; add human-marked calibration sets")
    names = sorted({n for r in rows for n, v in r.values.items() if v})
    y = np.array([r.off for r in rows], dtype=float)
    x = _matrix(rows, names)
    # The threshold and the figures come from the rows a new class resembles: those marked as
    # first scored when there are any, else all.
    judged = np.array([first_scored(r) for r in rows])
    if not judged.any():
        judged[:] = True
    judged_rows = [r for r, k in zip(rows, judged) if k]
    best = None
    for l2 in L2_GRID:
        probs = out_of_fold(rows, names, l2, x)
        t = choose_threshold(probs[judged])
        found = figures(judged_rows, probs[judged] >= t)
        loss = -float(np.mean(y * np.log(probs + 1e-12) + (1 - y) * np.log(1 - probs + 1e-12)))
        key = (found.off_flagged, -loss)
        if best is None or key > best[0]:
            best = (key, l2, probs, t, found)
    _, l2, probs, t, found = best
    by_group = {}
    groups = np.array([r.group for r in rows])
    for g in sorted(set(groups[judged])):
        idx = np.flatnonzero((groups == g) & judged)
        by_group[g] = figures([rows[i] for i in idx], probs[idx] >= t)
    w, scales = _fit_matrix(x, y, l2)
    means = x.mean(axis=0)
    keep = [i for i in range(len(names)) if abs(w[i + 1]) >= 5e-5]
    model = ReviewModel(tuple(names[i] for i in keep), tuple(float(w[i + 1]) for i in keep),
                        tuple(float(scales[i]) for i in keep),
                        tuple(float(means[i]) for i in keep), float(w[0]), t)
    return Fit(model, l2, found, by_group,
               tuple(sorted({r.file.removesuffix(FIRST) for r in rows})), len(rows),
               int(y.sum()), sum(first_scored(r) for r in rows))


def model_text(result: Fit, commit: str = "") -> str:
    """The model file: the fitted numbers and, in comments and keys, what they came from."""
    m = result.model
    cv = result.cv
    data = {
        "target": "|rubric - human| >= 0.5 (a mis-mark a careful marker would correct)",
        "fitted": {"date": datetime.date.today().isoformat(), "commit": commit,
                   "answers": result.n, "as_first_scored": result.first,
                   "mis_marks": result.off, "l2": result.l2, "files": list(result.files)},
        "cross_validated": {"scheme": "leave one wave out",
                            "on": ("answers as first scored" if result.first
                                   else "all answers"),
                            "n": cv.n, "off": cv.off,
                            "flagged": cv.flagged, "off_flagged": cv.off_flagged,
                            "recall": round(cv.recall, 3), "rate": round(cv.rate, 3),
                            "precision": round(cv.precision, 3)},
        "threshold": round(m.threshold, 6),
        "intercept": round(m.intercept, 6),
        "features": [{"name": n, "weight": round(w, 6), "scale": round(s, 6),
                      "mean": round(mu, 6)}
                     for n, w, s, mu in sorted(zip(m.names, m.weights, m.scales, m.means),
                                               key=lambda t: -abs(t[1]))],
    }
    head = ("# The review flag's model, fitted by `a2 rubric fit-review` on the human marks of\n"
            "# the calibration sets (solutions/calibration). Do not edit by hand: refit it.\n"
            "# log-odds = intercept + sum(weight * value / scale); the flag is raised when the\n"
            "# probability reaches the threshold. The reasons given are the features whose\n"
            "# weight * (value - mean) / scale pushes hardest. autograder/rubric/features.py says\n"
            "# what each feature measures.\n")
    return head + yaml.safe_dump(data, sort_keys=False, width=100)


def write_model(path: Path, result: Fit, commit: str = "") -> None:
    write_atomic(path, model_text(result, commit))


def stored_figures(path: Path) -> Figures | None:
    """The cross-validated figures a model file records, or None."""
    if not path.is_file():
        return None
    cv = (safe_load(path.read_text(encoding="utf-8")) or {}).get("cross_validated") or {}
    try:
        return Figures(int(cv["n"]), int(cv["off"]), int(cv["flagged"]), int(cv["off_flagged"]))
    except (KeyError, TypeError, ValueError):
        return None


def drift(stored: ReviewModel, refit: ReviewModel, tolerance: float = 1e-3) -> list[str]:
    """How a refit model differs from the stored one (empty when they agree)."""
    out = []
    if set(stored.names) != set(refit.names):
        gone = sorted(set(stored.names) - set(refit.names))
        new = sorted(set(refit.names) - set(stored.names))
        out.append(f"features differ (only stored: {gone}, only refit: {new})")
    old = dict(zip(stored.names, zip(stored.weights, stored.scales)))
    for name, weight, scale in zip(refit.names, refit.weights, refit.scales):
        if name in old:
            w0, s0 = old[name]
            if abs(w0 - weight) > tolerance or abs(s0 - scale) > tolerance * max(1.0, s0):
                out.append(f"{name}: weight {w0:g} -> {weight:g}, scale {s0:g} -> {scale:g}")
    if abs(stored.intercept - refit.intercept) > tolerance:
        out.append(f"intercept {stored.intercept:g} -> {refit.intercept:g}")
    if abs(stored.threshold - refit.threshold) > tolerance:
        out.append(f"threshold {stored.threshold:g} -> {refit.threshold:g}")
    return out


def summary(result: Fit) -> str:
    """What was fitted, and how it did in cross-validation, for the terminal."""
    m = result.model
    on = "answers as first scored" if result.first else "all answers"
    lines = [f"review model: {result.n} rows from {len(result.files)} files "
             f"({result.first} of them as first scored), "
             f"{result.off} mis-marks (off by >= 0.5); L2 {result.l2:g}, "
             f"threshold {m.threshold:.3f}",
             f"cross-validated (leave one wave out, {on}): {result.cv.line()}"]
    lines += [f"  {g:8s} {f.line()}" for g, f in result.cv_by_group.items()]
    lines.append("strongest features (weight on the standardised feature; per unit of it):")
    ranked = sorted(zip(m.names, m.weights, m.scales), key=lambda t: -abs(t[1]))
    lines += [f"  {n:26s} {w:+.3f}  ({w / s:+.3f} per unit)" for n, w, s in ranked[:12]]
    return "\n".join(lines)
