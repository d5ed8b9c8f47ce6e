"""The marked answers most like a new one: evidence for the review flag.

The rubric's own signals (a concept credited from one word, an actor that did not bind ...) say
where the engine was unsure; they do not see a mark that disagrees with how careful people marked
answers that read the same. This module keeps the calibration sets' answers as sequences of word
stems (not their prose) with their human marks, and for a new answer finds the ``K`` most similar of
the same part (TF-IDF cosine over word stems and stem pairs). How far the engine's mark lies from
theirs, in total and per point, and how alike they are, become features of the review model
(``features.py`` names the rest; ``fit.py`` weighs them all).

Measured on answers nobody had tuned the rubrics on, by replaying each blind wave as it was
first marked (neighbours drawn only from the waves before it; docs/rubric-calibration.md, rounds
31 and 35): the flag caught 285 of 352 mis-marks at 23% flagged with these features, against 247
at 23% by the flags of the day. On the blind waves scored with them it caught about two in
three: see the same record, round 36.

``a2 rubric fit-review`` writes the index (:data:`NEIGHBOURS_FILE`) beside the rubrics, with the
review model; ``--check`` fails when either has drifted from the calibration sets. Calibrating a
set leaves that set's own answers out of the neighbours (:meth:`Neighbours.without`), as a new
class's answers are not among them either.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

NEIGHBOURS_FILE = "neighbours.json"
"""The index of marked answers, beside the rubrics and the review model."""

K = 5
"""How many of the most similar marked answers vote."""

STEM = 6
"""Letters of a word kept as its stem (crude, language-free, and robust to inflection)."""

FEATURES = ("knn:gap", "knn:sim", "knn:gapxsim", "knn:spread", "knn:concept-gap",
            "knn:concept-gaps")
"""The features this module adds to an answer's (see :meth:`Neighbours.features`)."""

_WORD = re.compile(r"[a-z0-9]+")
_BUILDING = threading.Lock()


def stems(text: str) -> list[str]:
    """The stems of ``text``'s words, in order (what the index stores of an answer).

    >>> stems("Upsampling restores the size")
    ['upsamp', 'restor', 'the', 'size']
    """
    return [w[:STEM] for w in _WORD.findall(text.lower())]


def terms_of(stemmed: list[str]) -> list[str]:
    """The stems and each pair of neighbouring stems (the terms answers are compared by).

    >>> terms_of(['upsamp', 'restor', 'the'])
    ['upsamp', 'restor', 'the', 'upsamp_restor', 'restor_the']
    """
    return stemmed + [a + "_" + b for a, b in zip(stemmed, stemmed[1:])]


def terms(text: str) -> list[str]:
    """The terms of an answer's text."""
    return terms_of(stems(text))


@dataclass(frozen=True)
class Document:
    """One marked answer: where it came from, its human mark, its word stems in order."""

    source: str
    human: float
    stems: str
    marks: dict[str, float] | None = None
    """The human's mark per concept, where the calibration set records it."""


class _Index(NamedTuple):
    """The weighed terms of every marked answer, sorted by term: the answers holding term
    ``vocab[t]`` are ``docs[bounds[t]:bounds[t + 1]]``, with their weights beside them."""

    vocab: dict[str, int]
    idf: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    bounds: np.ndarray
    humans: np.ndarray
    sources: np.ndarray


@dataclass
class Neighbours:
    """The marked answers of one part, ready to be searched."""

    part: str
    documents: tuple[Document, ...]
    _index: _Index | None = field(default=None, repr=False)
    _hidden: np.ndarray | None = field(default=None, repr=False)
    """Documents left out of every search (:meth:`without`)."""

    def _built(self) -> _Index:
        """The index, built once when the first answer is compared (loading a rubric to lint
        or build it never pays for this). Compiled rubrics are shared by grading threads: the
        index is assigned whole, under a lock."""
        index = self._index
        if index is None:
            with _BUILDING:
                if self._index is None:
                    self._index = self._build_now()
                index = self._index
        return index

    def _build_now(self) -> _Index:
        n = len(self.documents)
        # Every grading process builds it: C-level loops (map, fromiter), not Python ones.
        per_doc = [terms_of(doc.stems.split()) for doc in self.documents]
        sizes = [len(t) for t in per_doc]
        all_terms = list(chain.from_iterable(per_doc))
        vocab = {t: i for i, t in enumerate(dict.fromkeys(all_terms))}
        width = max(len(vocab), 1)
        every = np.fromiter(map(vocab.__getitem__, all_terms), dtype=np.int64,
                            count=len(all_terms))
        keys, counted = np.unique(np.repeat(np.arange(n, dtype=np.int64), sizes) * width + every,
                                  return_counts=True)
        docs, tids = keys // width, keys % width
        counts = counted.astype(float)
        df = np.bincount(tids, minlength=len(vocab))
        idf = np.log(n / (1.0 + df))
        raw = (1.0 + np.log(counts)) * idf[tids]
        norms = np.sqrt(np.bincount(docs, weights=raw * raw, minlength=n))
        norms[norms == 0] = 1.0
        weights = raw / norms[docs]
        order = np.argsort(tids, kind="stable")
        bounds = np.searchsorted(tids[order], np.arange(len(vocab) + 1))
        return _Index(vocab, idf, docs[order], weights[order], bounds,
                      np.array([d.human for d in self.documents], dtype=float),
                      np.array([d.source for d in self.documents], dtype=object))

    def without(self, source: str) -> Neighbours:
        """The same index with the answers of ``source`` (a calibration file's name) left out of
        every search (the terms' weights stay those of the whole index)."""
        if not self.documents:
            return self
        index = self._built()
        hidden = index.sources == source
        if not hidden.any():
            return self
        return Neighbours(self.part, self.documents, index, hidden)

    def nearest(self, text: str, k: int = K) -> list[tuple[float, Document]]:
        """(similarity, marked answer) of the ``k`` most similar marked answers, best first."""
        if not self.documents:
            return []
        index = self._built()
        raw = {}
        for t, c in Counter(terms(text)).items():
            tid = index.vocab.get(t)
            if tid is not None and index.idf[tid]:
                raw[tid] = (1 + math.log(c)) * float(index.idf[tid])
        if not raw:
            return []
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        spans = [(index.bounds[tid], index.bounds[tid + 1], w / norm) for tid, w in raw.items()]
        ids = np.concatenate([index.docs[a:b] for a, b, _ in spans])
        weights = np.concatenate([index.weights[a:b] * w for a, b, w in spans])
        scores = np.bincount(ids, weights=weights, minlength=len(self.documents))
        if self._hidden is not None:
            scores[self._hidden] = 0.0
        order = np.argsort(-scores, kind="stable")[:k]
        return [(float(scores[i]), self.documents[i]) for i in order if scores[i] > 0]

    def features(self, text: str, score: float, earned: dict[str, float] | None = None
                 ) -> tuple[dict[str, float], dict[str, str]]:
        """The features of an answer marked ``score`` (``earned``: its marks per concept), and
        a reason for staff per feature.

        ``knn:gap``: how far the mark lies from the similarity-weighted mark of the nearest
        marked answers; ``knn:sim``: how alike the nearest one is (0 to 1); ``knn:gapxsim``:
        the gap weighed by that likeness; ``knn:spread``: how much the neighbours' own marks
        disagree; ``knn:concept-gap`` and ``knn:concept-gaps``: the largest and the summed gap
        between a concept's mark and the neighbours' marks for it (where their sets record
        marks per concept), which finds a point over-credited beside one under-credited. All 0
        when no marked answer shares a word with it."""
        near = self.nearest(text)
        values = dict.fromkeys(FEATURES, 0.0)
        if not near:
            return values, {}
        sims = np.array([max(s, 1e-6) for s, _ in near])
        marks = np.array([d.human for _, d in near])
        typical = float((sims * marks).sum() / sims.sum())
        gap = abs(score - typical)
        values.update({"knn:gap": gap, "knn:sim": near[0][0], "knn:gapxsim": gap * near[0][0],
                       "knn:spread": float(marks.std())})
        reason = (f"the {len(near)} marked answers most like it got {typical:.1f} on average "
                  f"(this one {score:g})")
        reasons = {name: reason for name in ("knn:gap", "knn:gapxsim")}
        worst = ("", 0.0, 0.0)
        total = 0.0
        for concept, mark in (earned or {}).items():
            num = den = 0.0
            for sim, doc in near:
                if doc.marks is not None and concept in doc.marks:
                    num += max(sim, 1e-6) * doc.marks[concept]
                    den += max(sim, 1e-6)
            if den > 0:
                theirs = num / den
                total += abs(mark - theirs)
                if abs(mark - theirs) > abs(worst[1] - worst[2]):
                    worst = (concept, mark, theirs)
        if worst[0]:
            values["knn:concept-gap"] = abs(worst[1] - worst[2])
            values["knn:concept-gaps"] = total
            why = (f"the marked answers most like it earn {worst[2]:.1f} for {worst[0]} "
                   f"(this one {worst[1]:g})")
            reasons.update({"knn:concept-gap": why, "knn:concept-gaps": why})
        return values, reasons


def build(entries: Iterable[tuple]) -> dict[str, Any]:
    """The index file's content from (part, source, human mark, answer[, marks per concept])
    rows."""
    parts: dict[str, list[dict[str, Any]]] = {}
    for part, source, human, text, *rest in entries:
        doc: dict[str, Any] = {"source": source, "human": float(human),
                               "stems": " ".join(stems(text or ""))}
        if rest and rest[0]:
            doc["marks"] = {c: float(m) for c, m in sorted(rest[0].items())}
        parts.setdefault(part, []).append(doc)
    return {"version": 3, "k": K, "stem": STEM,
            "parts": {p: docs for p, docs in sorted(parts.items())}}


def dumps(index: dict[str, Any]) -> str:
    """The index as the text written to :data:`NEIGHBOURS_FILE` (stable, one answer a line)."""
    head = {key: index[key] for key in ("version", "k", "stem")}
    lines = [json.dumps(head)[:-1] + ', "parts": {']
    parts = list(index["parts"].items())
    for pi, (part, docs) in enumerate(parts):
        lines.append(f"  {json.dumps(part)}: [")
        for di, doc in enumerate(docs):
            comma = "," if di < len(docs) - 1 else ""
            lines.append("    " + json.dumps(doc, sort_keys=True, separators=(",", ":")) + comma)
        lines.append("  ]" + ("," if pi < len(parts) - 1 else ""))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def from_data(data: dict[str, Any], part: str) -> Neighbours | None:
    """The marked answers of ``part`` in an index's content (None when it has none)."""
    if data.get("version") != 3 or data.get("stem") != STEM or data.get("k") != K:
        raise ValueError("written by another version of a2; run a2 rubric fit-review")
    docs = data["parts"].get(part)
    if not docs:
        return None
    return Neighbours(part, tuple(
        Document(str(d["source"]), float(d["human"]), str(d["stems"]),
                 {str(c): float(m) for c, m in d["marks"].items()} if "marks" in d else None)
        for d in docs))


_READ: dict[tuple[str, int, int], dict[str, Any]] = {}


def _read(path: Path) -> dict[str, Any]:
    """The index file's content, parsed once per process and version of the file (each of the
    four rubrics beside it reads its own part)."""
    info = path.stat()
    key = (str(path.resolve()), info.st_mtime_ns, info.st_size)
    with _BUILDING:
        data = _READ.get(key)
        if data is None:
            data = json.loads(path.read_text(encoding="utf-8"))
            _READ.clear()
            _READ[key] = data
    return data


def load(path: Path, part: str) -> Neighbours | None:
    """The marked answers of ``part`` in the index at ``path`` (None without a file or answers).

    Raises ValueError, naming the file, when it cannot be read as an index."""
    if not path.is_file():
        return None
    try:
        return from_data(_read(path), part)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a neighbours index ({exc}); run a2 rubric fit-review "
                         "to write it again") from exc


__all__ = ["FEATURES", "K", "NEIGHBOURS_FILE", "Document", "Neighbours", "build", "dumps",
           "from_data", "load", "terms"]
