"""Whether a person should look at a rubric's mark: a risk score built from the evidence.

A rubric's mark is wrong in two ways. It over-credits when a concept is earned from thin
evidence (one loose word, a partial phrasing, a typo) or next to a known misconception; it
under-credits when an answer talks about the topic at length in words no concept recognises
(paraphrases, metaphors), or when actor binding or negation threw a mention away. Each of these
is a *signal* with a weight; the review flag is raised when the weights of the signals present
add up to the threshold. Guards that cap a mark (keyword lists, equations only) are not signals
by themselves: the caps mark those answers right, and flagging them would bury the flags that
matter.

Weights and threshold were chosen on the tuned calibration sets only (451 answers after two
rounds of fixes, 25 of them still marked half a mark or more away from the human): a search over
weights of 0, 0.25 and 0.5 for the highest recall at a flag rate of at most 22% gave recall 76%
at 22% there. They are measured on the held-out sets by ``a2 rubric calibrate --all`` (flag
recall and flag rate, pooled); ``docs/rubric-calibration.md`` keeps each round. A rubric may
override them in its ``settings: review:`` block.

This module must not change a mark, read files or know any assignment; reasons are for staff
and may quote the answer, never the rubric's phrasings.
"""

from __future__ import annotations

from dataclasses import dataclass

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
