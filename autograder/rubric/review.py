"""Whether a person should look at a rubric's mark: a fitted model of mis-marks, or
hand-weighted signals where no model is fitted.

A rubric's mark is wrong in two ways. It over-credits when a concept is earned from thin
evidence (one loose word, a partial phrasing, a typo) or next to a known misconception; it
under-credits when an answer talks about the topic in words no concept recognises (paraphrases,
metaphors, vague half-mark statements), or when actor binding or negation threw a mention away.
Of the mis-marks in the calibration sets, four in five are under-credits.

**The fitted model** (:class:`ReviewModel`, :func:`assess_model`) is what marks with: a logistic
regression over the features of ``features.py`` (the engine's signals, the score's position,
the marks lost times the answer's length and its uncredited on-topic words, how much of a missed
concept's statement is there, one-term and one-phrasing credit, typo and loose-word credit,
withdrawn concepts, wrong actors, hedges, negators by a credited statement, part indicators),
predicting "|rubric - human| >= 0.5". ``a2 rubric fit-review`` (``fit.py``) fits it and writes
``review_model.yaml`` beside the rubrics, which ``load_rubric`` loads. The model file records
what it was fitted on (every calibration set except the held-out ones that do not say
``flag_training: true``) and its cross-validated figures (leave one wave out, the threshold chosen
for the highest recall at a flag rate of at most ``fit.TARGET_RATE``); ``a2 rubric calibrate
--all`` measures it on the held-out sets it never learned from. ``docs/rubric-calibration.md``
keeps each round's figures, including what was tried and not adopted: a sentence-embedding
nearest-neighbour vote (all-MiniLM-L6-v2, measured outside the project: 59% of mis-marks at 43%
flagged), a lexical nearest-neighbour vote (near chance alone; it would also ship human-marked
answers with the grader), boosted trees, random forests, a per-word mis-mark lexicon and rubric
perturbation features (none beyond the noise of a wave bootstrap).

A flag's reasons are the features that raised the risk most against a typical answer (at most
:data:`MAX_REASONS`), in words; they are given only with a flag.

**Hand-weighted signals** (:func:`assess`) decide where no model file is found: each signal has
a weight (:data:`DEFAULT_WEIGHTS`, chosen on the tuned sets only), and the flag is raised when
the weights present add up to the threshold; a rubric may override them in its ``settings:
review:`` block. Guards that cap a mark (keyword lists, equations only) are not signals by
themselves: the caps mark those answers right.

This module must not change a mark, read files or know any assignment; reasons are for staff
and may quote the answer, never the rubric's phrasings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

DEFAULT_WEIGHTS: dict[str, float] = {
    "wrong-actor": 0.5,
    "equations-only": 0.5,
    "too-long": 0.5,
    "truncated": 1.0,
    "near-miss": 0.25,
    "uncredited-terms": 0.25,
    "long-answer-low-mark": 0.25,
    "keyword-density": 0.25,
    "misconception": 0.25,
    "thin-evidence": 0.25,
    # Found and reported, but they did not predict a mis-mark on the calibration sets:
    # weight 0 (a rubric may turn them on).
    "partial-credit": 0.0,
    "typo": 0.0,
    "negated": 0.0,
    "contradiction": 0.0,
    "keyword-list": 0.0,
}
"""Weight of each signal; 0 turns a signal off."""
DEFAULT_THRESHOLD = 0.5
"""The review flag is raised at this summed weight."""

LONG_ANSWER_WORDS = 35
"""An answer this long that earns at most half the marks is probably a paraphrase."""
UNCREDITED_TERMS = 5
"""On-topic words outside every credited concept, at which they count as a signal."""


@dataclass(frozen=True)
class Signal:
    """One piece of evidence that the mark may be wrong."""

    id: str
    reason: str
    """In words, for staff."""
    weight: float


def assess(signals: list[tuple[str, str]], weights: dict[str, float] | None = None,
           threshold: float | None = None) -> tuple[list[Signal], float, bool]:
    """Weigh ``(signal id, reason)`` pairs: returns the weighted signals (one per id, the first
    reason kept, strongest first), the risk (summed weights) and whether to flag for review."""
    table = {**DEFAULT_WEIGHTS, **(weights or {})}
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    seen: dict[str, Signal] = {}
    for signal_id, reason in signals:
        weight = table.get(signal_id, 0.0)
        if weight > 0 and signal_id not in seen:
            seen[signal_id] = Signal(signal_id, reason, weight)
    chosen = sorted(seen.values(), key=lambda s: (-s.weight, s.id))
    risk = round(sum(s.weight for s in chosen), 3)
    return chosen, risk, risk >= limit - 1e-9


MAX_REASONS = 3
"""Reasons given with a flag: the features that pushed the risk up most."""
ALWAYS_REVIEW = ("role-swap",)
"""Engine decisions staff always see, whatever the model's risk: marks withdrawn because the
roles were read as swapped rest on who-does-what in the student's sentences, and cost up to two
thirds of a part. One answer in five said of the wrong actor is mis-marked in the calibration
sets, against one in fourteen overall."""


@dataclass(frozen=True)
class ReviewModel:
    """A fitted logistic model of "the rubric's mark is half a mark or more from a careful
    marker's", over the named features of ``features.py``; flags at ``threshold``."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    """Per feature, on the feature's own scale divided by ``scales``."""
    scales: tuple[float, ...]
    means: tuple[float, ...]
    """Per feature, its mean over the training answers: reasons are what lies above it."""
    intercept: float
    threshold: float
    """Flag when the model's probability reaches this."""
    source: str = ""

    @classmethod
    def from_dict(cls, data: Any, source: str = "") -> ReviewModel:
        """Build from the data of a model file (``fit.py`` writes it); ValueError says what is
        wrong."""
        if not isinstance(data, dict) or not isinstance(data.get("features"), list):
            raise ValueError(f"{source}: a review model needs 'features:' (a list of "
                             "{name, weight, scale}); refit it with 'a2 rubric fit-review'")
        names, weights, scales, means = [], [], [], []
        for k, item in enumerate(data["features"]):
            if not isinstance(item, dict) or "name" not in item or "weight" not in item:
                raise ValueError(f"{source}: feature #{k + 1} needs 'name' and 'weight'")
            scale = float(item.get("scale", 1.0))
            if scale <= 0:
                raise ValueError(f"{source}: feature {item['name']}: scale must be > 0")
            names.append(str(item["name"]))
            weights.append(float(item["weight"]))
            scales.append(scale)
            means.append(float(item.get("mean", 0.0)))
        for key in ("intercept", "threshold"):
            if not isinstance(data.get(key), (int, float)) or isinstance(data.get(key), bool):
                raise ValueError(f"{source}: '{key}' must be a number")
        if not 0 < float(data["threshold"]) < 1:
            raise ValueError(f"{source}: 'threshold' is a probability, between 0 and 1")
        return cls(tuple(names), tuple(weights), tuple(scales), tuple(means),
                   float(data["intercept"]), float(data["threshold"]), source)

    def probability(self, values: dict[str, float]) -> float:
        """The modelled chance that the mark is half a mark or more from a careful marker's."""
        z = self.intercept + sum(w * values.get(n, 0.0) / s
                                 for n, w, s in zip(self.names, self.weights, self.scales))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def pushes(self, values: dict[str, float]) -> dict[str, float]:
        """Each present feature's push on the log-odds against a typical answer's value."""
        return {n: w * (values[n] - m) / s
                for n, w, s, m in zip(self.names, self.weights, self.scales, self.means)
                if values.get(n)}


def assess_model(model: ReviewModel, values: dict[str, float],
                 reasons: dict[str, str]) -> tuple[list[Signal], float, bool]:
    """Weigh an answer's features with a fitted model: returns the reasons (features that
    raised the risk most, strongest first, as signals whose weight is the push on the
    log-odds; only when flagged), the risk (the model's probability) and whether to flag."""
    risk = round(model.probability(values), 3)
    if risk < model.threshold - 1e-9:
        return [], risk, False
    pushes = sorted(((c, n) for n, c in model.pushes(values).items()
                     if c > 0 and n in reasons), key=lambda cn: (-cn[0], cn[1]))
    chosen: list[Signal] = []
    for c, n in pushes:                 # features that share a reason are given once
        if len(chosen) < MAX_REASONS and all(s.reason != reasons[n] for s in chosen):
            chosen.append(Signal(n.removeprefix("sig:"), reasons[n], round(c, 3)))
    return chosen, risk, True
