"""The compiled form of a rubric: immutable objects the matcher and the engine read.

A :class:`Rubric` holds its concepts (with their full, partial and contradicting phrasings), its
actors, its synonym families, its matching :class:`Settings`, its guards and its calibration
targets. A :class:`Phrasing` is a sequence of slots (:class:`Slot`), each a choice of word
sequences (:class:`Word`). ``schema.py`` builds these objects from YAML and documents the pattern
language.

This module must not read files, validate YAML, score answers or know any assignment: it only
defines the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .text import Analyzer


@dataclass(frozen=True)
class Word:
    """One word of a pattern."""

    text: str
    """Normalised word as written (without ``=`` or ``*``)."""
    mode: str
    """``stem`` (stem or typo), ``exact`` (word or plural), ``prefix`` or ``cue`` (negator)."""
    stem: str


@dataclass(frozen=True)
class Slot:
    """One position of a phrasing: any alternative (a word sequence) may fill it."""

    source: str
    alternatives: tuple[tuple[Word, ...], ...]

    @property
    def min_length(self) -> int:
        """Fewest content words any alternative needs."""
        return min((len(a) for a in self.alternatives), default=0)


@dataclass(frozen=True)
class Phrasing:
    """A pattern that, when it matches outside any negation, earns its concept."""

    source: str
    slots: tuple[Slot, ...]
    window: int
    """All slots must fall within this many content words."""
    order: str
    """``any`` or ``strict`` (slots in the written order)."""
    scope: str
    """``sentence``, ``clause`` or ``answer``: the unit the whole match must lie in."""
    actor: str | None
    """When set, the first slot is an action whose subject must be this actor."""
    line: int
    excepts: tuple[Phrasing, ...] = ()
    """Patterns whose matches veto any match of this phrasing that shares a word with them."""
    not_actor: str | None = None
    """When set, the match does not count if the subject of its first slot is this actor."""
    unnamed: bool | str = False
    """When set (with ``actor``), an action whose clause names no subject is credited to the
    actor: the question's own "why does the network ..." names it ("To reduce the memory
    cost."). A named subject, a person ("we") or another actor, still decides. ``True``: only
    a statement opening its clause, in a sentence naming no other actor; ``"anywhere"``: any
    statement no actor is the subject of, for actions only one actor can do ("processing the
    full resolution in every layer is too expensive")."""
    roleless: bool = False
    """A ``match`` phrasing crediting a role concept (``roles:``) without saying who does what
    (the scheme's "two networks"): its credit states no role when the roles are checked for a
    swap, and a swap found elsewhere in the answer takes it away."""


@dataclass(frozen=True)
class Award:
    """Partial credit: ``marks`` when one of ``phrasings`` matches."""

    marks: float
    phrasings: tuple[Phrasing, ...]


@dataclass(frozen=True)
class Concept:
    """One marking point of a part."""

    id: str
    marks: float
    feedback: str
    """Shown to students when the concept is missing; must not give the answer away."""
    phrasings: tuple[Phrasing, ...]
    partial: tuple[Award, ...]
    contradicts: tuple[Phrasing, ...]
    line: int


@dataclass(frozen=True)
class Settings:
    """Matching settings of one rubric."""

    window: int = 8
    scope: str = "sentence"
    order: str = "any"
    alt_gap: int = 1
    """Content words allowed between the words of a multi-word alternative."""
    fuzzy_min_length: int = 5
    fuzzy_edits: tuple[tuple[int, int], ...] = ((5, 1), (9, 2))
    """(minimum word length, edits allowed) steps: typo tolerance grows with length."""
    fuzzy_protect: tuple[str, ...] = ()
    """Real words that must never be read as typos of rubric words."""
    negation_scope: int = 5
    extra_negators: tuple[str, ...] = ()
    max_chars: int = 20_000
    review_below: float = 0.6
    step: float = 0.5
    object_markers: tuple[str, ...] = ()
    """Extra words after which an actor mention is an object, not a subject ("fool the D")."""
    default_actor: str | None = None
    """The actor an action is credited to when the answer names no subject ("It enlarges ...")."""
    anonymous_actors: bool | str = False
    """When an answer names none of the actors, credit each action to the actor its phrasing
    expects (no role can be swapped when no role is named). ``"parts"``: only when the answer
    speaks of parts it leaves unnamed ("one net makes pictures, the other judges them"), not of
    the whole model ("the objective is to generate new data")."""
    review_weights: tuple[tuple[str, float], ...] = ()
    """Overrides of the review signals' weights (``review.py``)."""
    review_threshold: float | None = None
    """Override of the summed weight at which an answer is flagged for review."""


@dataclass(frozen=True)
class Guard:
    """One guard: ``enabled``; ``cap`` (None = flag only); numeric parameters by name."""

    name: str
    enabled: bool
    cap: float | None
    params: tuple[tuple[str, float], ...]
    message: str

    def param(self, key: str, default: float) -> float:
        """The parameter ``key``, or ``default``."""
        for k, v in self.params:
            if k == key:
                return v
        return default


@dataclass(frozen=True)
class CalibrationTargets:
    """Thresholds ``rubric calibrate`` enforces for this part."""

    max_mae: float = 0.15
    min_exact: float = 0.85
    min_within_half: float = 0.0
    min_kappa: float | None = None
    traps_never_above_human: bool = True


@dataclass(frozen=True)
class Misconception:
    """A wrong idea in the right vocabulary ("VQ-VAE quantises the weights"): when one of its
    phrasings matches, the concepts it ``cancels`` earn nothing and students read its
    ``feedback`` (the concept to revisit, never the answer) instead of theirs."""

    id: str
    feedback: str
    cancels: tuple[str, ...]
    phrasings: tuple[Phrasing, ...]
    line: int
    spared_by: tuple[Phrasing, ...] = ()
    """For a statement true but off the point ("the VAE outputs continuous pixel values"): the
    correct statements of the point ("... and samples its latent from a Gaussian") that, made
    with other words, keep the concept's marks."""


@dataclass(frozen=True)
class Roles:
    """Which concepts say who does what. A role concept stated with the roles swapped (its
    action said of another actor, and not credited) withdraws the ``withdraw`` concepts: points
    described through the roles ("the generator maximises its accuracy at catching fakes")."""

    concepts: tuple[str, ...]
    withdraw: tuple[str, ...]


@dataclass(frozen=True)
class Rubric:
    """A compiled rubric of one text part."""

    part: str
    max_marks: float
    path: Path
    title: str
    concepts: tuple[Concept, ...]
    actors: tuple[tuple[str, Slot], ...]
    synonyms: tuple[tuple[str, tuple[str, ...]], ...]
    settings: Settings
    guards: tuple[Guard, ...]
    calibration: CalibrationTargets
    analyzer: Analyzer = field(compare=False, repr=False, hash=False, default_factory=Analyzer)
    actor_labels: tuple[tuple[str, Slot], ...] = ()
    """(actor, slot) of words naming an actor only as a note heading ("Down: ...")."""
    misconceptions: tuple[Misconception, ...] = ()
    roles: Roles | None = None
    memo: dict = field(compare=False, repr=False, hash=False, default_factory=dict)
    """What is derived from the rubric once and reused for every answer (its vocabulary, the
    typo decisions); never part of its meaning."""
    review_model: Any = field(default=None, compare=False, repr=False)
    """The fitted review model (``review.ReviewModel``) found beside the rubric file, or None
    (then the hand-weighted signals of ``review.py`` decide the flag)."""
    neighbours: Any = field(default=None, compare=False, repr=False)
    """The marked answers of this part (``neighbours.Neighbours``) found beside the rubric
    file, or None: the review model reads how far a mark lies from theirs."""

    def concept(self, concept_id: str) -> Concept:
        """The concept with this id (KeyError if none)."""
        for c in self.concepts:
            if c.id == concept_id:
                return c
        raise KeyError(concept_id)

    def guard(self, name: str) -> Guard | None:
        """The enabled guard of this name, or None."""
        for g in self.guards:
            if g.name == name and g.enabled:
                return g
        return None

    def all_phrasings(self) -> list[tuple[str, str, Phrasing]]:
        """(concept or misconception id, kind, phrasing) for every phrasing; kind is full,
        partial, contradicts or misconception."""
        out: list[tuple[str, str, Phrasing]] = []
        for c in self.concepts:
            out += [(c.id, "full", p) for p in c.phrasings]
            out += [(c.id, "partial", p) for a in c.partial for p in a.phrasings]
            out += [(c.id, "contradicts", p) for p in c.contradicts]
        for m in self.misconceptions:
            out += [(m.id, "misconception", p) for p in m.phrasings]
        return out

    def vocabulary(self) -> list[Word]:
        """Every distinct word the rubric can match (phrasings and actors)."""
        if "vocabulary" not in self.memo:
            self.memo["vocabulary"] = tuple(self._vocabulary())
        return list(self.memo["vocabulary"])

    def credit_vocabulary(self) -> list[Word]:
        """The words that can earn marks: the concepts' full and partial phrasings and the
        actors, not the words of contradictions and misconceptions (which the rubric adds to
        mark wrong ideas down, and which say nothing about how densely an answer packs the
        terms that earn)."""
        if "credit_vocabulary" not in self.memo:
            self.memo["credit_vocabulary"] = tuple(
                self._vocabulary(kinds=frozenset({"full", "partial"})))
        return list(self.memo["credit_vocabulary"])

    def _vocabulary(self, kinds: frozenset[str] | None = None) -> list[Word]:
        seen: dict[tuple[str, str], Word] = {}
        slots = [s for _, kind, p in self.all_phrasings() for s in p.slots
                 if kinds is None or kind in kinds]
        slots += [s for _, s in self.actors]
        slots += [s for _, s in self.actor_labels]
        for slot in slots:
            for alt in slot.alternatives:
                for w in alt:
                    seen.setdefault((w.text, w.mode), w)
        return list(seen.values())


__all__ = [
    "Award",
    "CalibrationTargets",
    "Concept",
    "Guard",
    "Phrasing",
    "Rubric",
    "Settings",
    "Slot",
    "Word",
]
