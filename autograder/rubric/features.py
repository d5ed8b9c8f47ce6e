"""What the review model reads: one answer's mark described as a vector of named numbers.

:func:`answer_features` turns the evidence the engine gathered while marking (which phrasing
earned each concept, how tightly, through a typo or one loose word, what was read as negated,
said of the wrong actor, or cancelled as a misconception) into features, each with a reason in
words for staff. The review model (``review.py``) weighs them; the weights are fitted on human
marks (``fit.py``), not chosen here.

Features are generic: they name no concept and no assignment. Part indicators (``part:q2``) are
added from the rubric's part id, so a pooled model can learn a baseline per part; an unknown part
reads zeros there. This module must not change a mark, read files or quote a rubric's phrasings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .evidence import quote, uncredited_terms
from .matcher import MatchContext

if TYPE_CHECKING:
    from .engine import ConceptResult

SIGNALS = ("thin-evidence", "near-miss", "uncredited-terms", "long-answer-low-mark",
           "wrong-actor", "misconception", "partial-credit", "typo", "negated", "contradiction",
           "keyword-list", "keyword-density", "equations-only", "too-long", "truncated")
"""The engine's review signals (``engine.py``, ``evidence.py``), each a 0/1 feature ``sig:<id>``."""

# Words of doubt: English in general, not the assignment's.
_HEDGE_RE = re.compile(
    r"\b(maybe|perhaps|probably|possibly|i think|i guess|i believe|not sure|might|"
    r"kind of|sort of|somehow|something like|roughly|i suppose)\b|\?", re.IGNORECASE)
NEGATION_WINDOW = 3
"""A negator this many words before a credited statement (in its sentence) is worth a look."""


@dataclass(frozen=True)
class Features:
    """One answer's features: values by name, and a reason in words for each one present."""

    values: dict[str, float]
    reasons: dict[str, str]


def _fmt(x: float) -> str:
    return f"{x:g}"


def _credited_tokens(ctx: MatchContext, c: ConceptResult) -> list[int]:
    toks = ctx.analysis.tokens
    return [i for i, t in enumerate(toks)
            if any(t.start >= s and t.end <= e for s, e in c.spans)]


def _ways(ctx: MatchContext, concept_id: str) -> int:
    """How many phrasings of a concept match validly: one way only is fragile evidence."""
    concept = ctx.rubric.concept(concept_id)
    return sum(1 for p in concept.phrasings
               if any(m.valid for m in ctx.phrasing_matches(p)))


def _words_present(ctx: MatchContext, concept_id: str) -> float:
    """The largest share of a phrasing's slots (two or more) that occur in the answer, over a
    concept's phrasings: how much of a statement the rubric knows is there, in pieces."""
    best = 0.0
    concept = ctx.rubric.concept(concept_id)
    for phrasing in concept.phrasings:
        if len(phrasing.slots) < 2:
            continue
        found = sum(1 for slot in phrasing.slots if ctx.slot_occurrences(slot))
        best = max(best, found / len(phrasing.slots))
    return best


def _misconception_near(ctx: MatchContext, credited_clauses: set[int]) -> tuple[float, float, str]:
    """(all words of a misconception present without its statement, those words sharing a
    clause with a credited concept, the words quoted)."""
    toks = ctx.analysis.tokens
    near = clause = 0.0
    said = ""
    for misconception in ctx.rubric.misconceptions:
        for phrasing in misconception.phrasings:
            if len(phrasing.slots) < 2:
                continue
            found = [ctx.slot_occurrences(slot) for slot in phrasing.slots]
            if not all(found):
                continue
            near = 1.0
            said = said or ", ".join(repr(ctx.analysis.text[toks[o[0].first].start:
                                                             toks[o[0].last].end])
                                     for o in found)
            per_slot = [{toks[o.first].clause for o in occ} for occ in found]
            shared = set.intersection(*per_slot) & credited_clauses
            if shared:
                clause = 1.0
    return near, clause, said


def answer_features(ctx: MatchContext, concepts: list[ConceptResult], flags: list[str],
                    signals: list[tuple[str, str]], score: float, capped: bool,
                    text: str) -> Features:
    """The features of one marked answer (see the module docstring)."""
    rubric = ctx.rubric
    top = rubric.max_marks
    v: dict[str, float] = {}
    why: dict[str, str] = {}
    for sid, reason in reversed(signals):          # the first reason of each signal wins
        if sid in SIGNALS:
            v[f"sig:{sid}"] = 1.0
            why[f"sig:{sid}"] = reason
    position = "zero" if score <= 0 else ("full" if score >= top else "partial")
    v[f"score:{position}"] = 1.0
    why[f"score:{position}"] = f"marked {_fmt(score)} of {_fmt(top)}"
    v[f"part:{rubric.part}"] = 1.0
    words = len(text.split())
    v["words"] = math.log1p(words)
    why["words"] = f"{words} words"
    v["sentences"] = math.log1p(ctx.analysis.n_sentences)
    hedges = [m.group(0) for m in _HEDGE_RE.finditer(text)]
    if hedges:
        v["hedges"] = float(min(len(hedges), 3))
        why["hedges"] = "hedged (" + ", ".join(repr(h) for h in hedges[:3]) + ")"
    if capped:
        v["capped"] = 1.0
        why["capped"] = "a guard's cap decided the mark"
    _credit_features(ctx, concepts, flags, v, why)
    _doubt_features(ctx, concepts, v, why)
    _shortfall_features(ctx, concepts, score, words, v, why)
    return Features(v, why)


def _credit_features(ctx: MatchContext, concepts: list[ConceptResult], flags: list[str],
                     v: dict[str, float], why: dict[str, str]) -> None:
    """How each concept was credited or withdrawn: one term, one phrasing, a tight window, a
    loose word, a typo, a partial award, a misconception or role swap, a wrong actor."""
    credited = [c for c in concepts if c.earned > 0]
    v["concepts-credited"] = len(credited) / len(concepts) if concepts else 0.0
    thin = [c for c in credited if c.strength.get("slots", 0) == 1]
    if thin:
        v["one-word-credit"] = float(len(thin))
        why["one-word-credit"] = ("credited from one term alone: "
                                  + ", ".join(f"{c.id} ({c.evidence[0]!r})" if c.evidence
                                              else c.id for c in thin))
    windowed = [c for c in credited if c.strength.get("slots", 0) >= 2
                and c.strength.get("window")]
    if windowed:
        worst = min(windowed, key=lambda c: 1 - c.strength["span"] / c.strength["window"])
        v["tightest-slack"] = 1 - worst.strength["span"] / worst.strength["window"]
        if v["tightest-slack"] <= 0.25:
            why["tightest-slack"] = (f"{worst.id}: its words only just within the distance "
                                     "the rubric allows")
    fragile = [c for c in credited if c.earned >= c.marks and _ways(ctx, c.id) <= 1]
    if fragile:
        v["one-way-credit"] = len(fragile) / len(concepts)
        why["one-way-credit"] = ("credited by one phrasing only: "
                                 + ", ".join(c.id for c in fragile))
    for key, note, label in (("loose-credit", "one loose word", "from one loose word"),
                             ("typo-credit", "typo", "through a typo"),
                             ("partial-award", "partial credit", "partial credit")):
        hit = [c for c in credited if any(note in n for n in c.notes)]
        if hit:
            v[key] = float(len(hit))
            why[key] = f"{label}: " + ", ".join(c.id for c in hit)
    withdrawn = [(c.id, n) for c in concepts for n in c.notes
                 if n.startswith(("misconception", "roles swapped"))]
    if withdrawn:
        v["withdrawn"] = float(len({cid for cid, _ in withdrawn}))
        seen: dict[str, str] = {}
        for cid, note in withdrawn:
            seen.setdefault(cid, note)
        why["withdrawn"] = "withdrawn: " + "; ".join(f"{cid} ({note})"
                                                     for cid, note in seen.items())
    top = ctx.rubric.max_marks
    took = sum(c.strength.get("withdrew", 0.0) * c.marks for c in concepts)
    if took and top:
        v["withdrawn-credit"] = took / top
        why["withdrawn-credit"] = (f"{_fmt(took)} of {_fmt(top)} marks matched, then withdrawn: "
                                   + ", ".join(c.id for c in concepts
                                               if c.strength.get("withdrew")))
    broad = max((c.strength.get("cancelled-with", 0.0) for c in concepts), default=0.0)
    if broad:
        v["cancel-breadth"] = broad
        why["cancel-breadth"] = "one misconception cancels " + ", ".join(
            c.id for c in concepts if c.strength.get("cancelled-with") == broad)
    apart = [c.id for c in concepts if c.strength.get("cancelled-apart")]
    if apart:
        v["cancelled-apart"] = float(len(apart))
        why["cancelled-apart"] = ("cancelled by a misconception stated in another sentence "
                                  "than its own statement: " + ", ".join(apart))
    if any(c.swapped_mention for c in concepts) or "role-swap" in flags:
        v["actor-mismatch"] = 1.0
        who = [c.id for c in concepts if c.swapped_mention]
        why["actor-mismatch"] = ("said of the wrong actor somewhere: " + ", ".join(who)
                                 if who else "roles swapped")


def _doubt_features(ctx: MatchContext, concepts: list[ConceptResult], v: dict[str, float],
                    why: dict[str, str]) -> None:
    """A known misconception's words nearby, a negator by a credited statement."""
    toks = ctx.analysis.tokens
    credited = [c for c in concepts if c.earned > 0]
    spans = {c.id: _credited_tokens(ctx, c) for c in credited}
    clauses = {toks[i].clause for idx in spans.values() for i in idx}
    near, clause, said = _misconception_near(ctx, clauses)
    if near:
        v["misconception-words"] = near
        why["misconception-words"] = f"the words of a known misconception are there: {said}"
    if clause:
        v["misconception-clause"] = clause
        why["misconception-clause"] = ("a known misconception's words in the clause of a "
                                       f"credited concept: {said}")
    negated_near = []
    for cid, idx in spans.items():
        if not idx:
            continue
        first, sentence = min(idx), toks[min(idx)].sentence
        cues = [i for i in range(max(0, first - NEGATION_WINDOW), max(idx) + 1)
                if toks[i].is_cue and toks[i].sentence == sentence]
        if cues:
            negated_near.append(f"{cid} near {quote(ctx.analysis, (cues[0],))}")
    if negated_near:
        v["negation-near-credit"] = float(len(negated_near))
        why["negation-near-credit"] = "a negator by a credited statement: " + "; ".join(
            negated_near)


def _shortfall_features(ctx: MatchContext, concepts: list[ConceptResult], score: float,
                        words: int, v: dict[str, float], why: dict[str, str]) -> None:
    """What a careful marker credits and the rubric missed shows as on-topic words, pieces of a
    missed concept's statement and length in an answer that lost marks: each also counts in
    proportion to the marks lost."""
    top = ctx.rubric.max_marks
    terms = uncredited_terms(ctx, concepts)
    if terms:
        v["uncredited-terms"] = float(min(len(terms), 10))
        why["uncredited-terms"] = (f"{len(terms)} on-topic words no credited concept used: "
                                   + ", ".join(terms[:8]))
    near_words = [(share, c.id) for c in concepts if c.earned < c.marks
                  for share in (_words_present(ctx, c.id),) if share > 0]
    if near_words:
        v["short-concept-words"] = sum(share for share, _ in near_words)
        v["short-concept-best"] = max(share for share, _ in near_words)
        said = ", ".join(f"{cid} ({share:.0%})" for share, cid in sorted(near_words, reverse=True))
        why["short-concept-words"] = f"words of concepts not fully credited are there: {said}"
        why["short-concept-best"] = why["short-concept-words"]
    shortfall = 1.0 - score / top if top else 0.0
    if shortfall <= 0:
        return
    v["shortfall"] = shortfall
    why["shortfall"] = f"marked {_fmt(score)} of {_fmt(top)}"
    v["words-x-shortfall"] = v["words"] * shortfall
    why["words-x-shortfall"] = f"{words} words for {_fmt(score)} of {_fmt(top)} marks"
    if terms:
        v["terms-x-shortfall"] = v["uncredited-terms"] * shortfall
        why["terms-x-shortfall"] = why["uncredited-terms"]
    if near_words:
        v["short-words-x-shortfall"] = v["short-concept-words"] * shortfall
        why["short-words-x-shortfall"] = why["short-concept-words"]
