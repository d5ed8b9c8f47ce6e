"""Matching compiled phrasings against an analysed answer.

A phrasing matches when one occurrence per slot (see ``words.py``: stems, exact words, prefixes,
typos) fits the window, the order and the scope, no matched word lies in the scope of a negation
the phrasing does not itself contain, no matched word belongs to a match of one of its ``except``
patterns, and, for actor phrasings, the subject of the action is the required actor (and, for
``not_actor``, not that one; see ``actors.py``). A negation that is the consequence of
"without <actor>" states what the actor is for ("without it we could not label each pixel").

:class:`MatchContext` composes a :class:`~autograder.rubric.words.WordMatcher` and an
:class:`~autograder.rubric.actors.Actors` for one answer and ranks the matches.

This module must not decide marks, apply guards or know any assignment: it only reports matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .actors import Actors, Mention
from .model import Phrasing, Rubric, Slot, Word
from .text import DETERMINERS, OPENING_NEGATORS, Analysis, Token
from .words import Occurrence, WordMatcher

# People as subjects: their actions are no actor's, even when the answer names no actor.
_PERSONAL = frozenset({"we", "you", "i", "us", "people", "someone"})
# The whole model named where an unnamed network would act ("GANs generate new data").
_WHOLE_MODEL = frozenset({"gan", "gans"})
# Words that open a comparison with another model ("like VAE has", "that the VAE uses").
_COMPARISONS = frozenset("like as that which unlike".split())
_MAX_COMBOS = 400
# Nouns that name a part of a model without naming which ("one network", "the other net").
_PART_NOUNS = frozenset(
    "network networks net nets one player players part parts module modules agent agents "
    "component components half halves side sides submodel submodels "
    # an answer's own names for the parts ("the maker ..., the checker ...")
    "maker makers checker checkers creator creators producer producers inspector inspectors "
    "examiner examiners detector detectors evaluator evaluators verifier verifiers critic "
    "critics referee referees".split())


@dataclass(frozen=True)
class Match:
    """One way a phrasing matched."""

    phrasing: Phrasing
    tokens: tuple[int, ...]
    fuzzy: bool
    negated: bool
    actor_ok: bool
    """False when the phrasing binds an actor and the action's subject is another one."""
    actor_tokens: tuple[int, ...] = ()
    """The tokens naming the resolved actor (for spans; not part of the phrasing's own match)."""

    @property
    def valid(self) -> bool:
        """Counts for the concept: not negated and, if bound, by the right actor."""
        return not self.negated and self.actor_ok


@dataclass
class MatchContext:
    """Everything needed to match one rubric against one analysed answer (per call, no globals)."""

    rubric: Rubric
    analysis: Analysis
    words: WordMatcher = field(init=False)
    actors: Actors = field(init=False)
    _slot_cache: dict[str, tuple[Occurrence, ...]] = field(default_factory=dict)
    _veto_cache: dict[str, frozenset[int]] = field(default_factory=dict)
    _parts: bool | None = None

    def __post_init__(self) -> None:
        self.words = WordMatcher(self.rubric, self.analysis)
        self.actors = Actors(self.rubric, self.analysis, self.words)

    # ------------------------------------------------------------------ words, slots, actors
    def word_match(self, tok: Token, word: Word) -> tuple[bool, bool]:
        """(matches, by typo tolerance)."""
        return self.words.word_match(tok, word)

    def word_positions(self, word: Word) -> tuple[tuple[int, bool], ...]:
        """Token indices matching ``word`` (with the fuzzy flag), memoised per answer."""
        return self.words.word_positions(word)

    def slot_occurrences(self, slot: Slot, for_actor: bool = False) -> tuple[Occurrence, ...]:
        """Every way ``slot`` is filled in the answer (``for_actor``: as written, for finding
        actors; otherwise actor words never fill action slots and actor slots take every
        mention of their actor)."""
        occs = self.words.slot_occurrences(slot)
        if for_actor or not self.rubric.actors:
            return occs
        cached = self._slot_cache.get(slot.source)
        if cached is None:
            cached = self.actors.fill(slot, occs)
            self._slot_cache[slot.source] = cached
        return cached

    def actor_mentions(self) -> list[Mention]:
        """Every actor mention of the answer, in text order."""
        return self.actors.mentions()

    def resolve_actor(self, anchor: int) -> str | None:
        """Which actor performs the action at token ``anchor``: the rubric's default actor when
        the answer names none, None when unknown."""
        return self.actors.actor(anchor)

    def actor_mention_for(self, anchor: int) -> Mention | None:
        """The actor mention resolved as the subject of the action at ``anchor`` (or None)."""
        return self.actors.subject(anchor)

    # ------------------------------------------------------------------ phrasings
    def _unit(self, tok: Token, scope: str) -> int:
        if scope == "sentence":
            return tok.sentence
        if scope == "clause":
            return tok.clause
        return 0

    def phrasing_matches(self, phrasing: Phrasing) -> list[Match]:
        """All distinct ways ``phrasing`` matches, best first (valid, tight, exact)."""
        toks = self.analysis.tokens
        per_slot = [self.slot_occurrences(s) for s in phrasing.slots]
        if any(not occ for occ in per_slot):
            return []
        units: dict[int, list[list[Occurrence]]] = {}
        for k, occs in enumerate(per_slot):
            for occ in occs:
                u = self._unit(toks[occ.first], phrasing.scope)
                units.setdefault(u, [[] for _ in per_slot])[k].append(occ)
        cue_slots = [
            k
            for k, slot in enumerate(phrasing.slots)
            if all(w.mode == "cue" for alt in slot.alternatives for w in alt)
        ]
        matches: list[Match] = []
        seen: set[tuple[int, ...]] = set()
        vetoed = self._vetoed_tokens(phrasing)
        for lists in units.values():
            if any(not lst for lst in lists):
                continue
            for combo in self._combos(lists, phrasing):
                tokens = tuple(sorted(t for occ in combo for t in occ.tokens))
                if tokens in seen:
                    continue
                seen.add(tokens)
                if vetoed.intersection(tokens):
                    continue
                if cue_slots and not self._under_own_cue(combo, cue_slots):
                    continue
                negated = self._negated(tokens)
                actor_ok = True
                actor_tokens: tuple[int, ...] = ()
                if phrasing.actor is not None:
                    mention = self.actors.subject(combo[0].first)
                    if mention is not None:
                        actor_ok = mention.name == phrasing.actor
                        actor_tokens = mention.tokens
                    elif (
                        self.rubric.settings.anonymous_actors
                        and not self.actors.mentions()
                        and not self._personal_subject(combo[0].first)
                        and (self.rubric.settings.anonymous_actors != "parts"
                             or self._names_parts())
                    ):
                        # The answer names no actor at all ("one net dreams up pictures, the
                        # other inspects them"): nothing can be swapped, the action is the role.
                        # Not when people act ("we can generate new samples").
                        actor_ok = True
                    else:
                        actor_ok = self.rubric.settings.default_actor == phrasing.actor or (
                            phrasing.unnamed
                            and (self._opens_clause(combo[0].first, phrasing.actor)
                                 if phrasing.unnamed is True
                                 else not self._step_before(combo[0].first))
                            and not self._personal_subject(combo[0].first)
                        )
                    if actor_ok and self.actors.straddles_other_actor(
                        combo[0].first, tokens, phrasing.actor
                    ):
                        # "X overfits less, and upsampling adds parameters": the action's words
                        # come from another actor's clause.
                        actor_ok = False
                    if negated:
                        enabler = self._counterfactual_actor(tokens)
                        if enabler is not None and enabler.name == phrasing.actor:
                            # "without it we could not label each pixel": it labels each pixel
                            negated, actor_ok = False, True
                            actor_tokens = enabler.tokens
                if phrasing.not_actor is not None:
                    mention = self.actors.subject(combo[0].first)
                    if mention is not None and mention.name == phrasing.not_actor:
                        actor_ok = False
                        actor_tokens = mention.tokens
                matches.append(
                    Match(
                        phrasing,
                        tokens,
                        any(o.fuzzy for o in combo),
                        negated,
                        actor_ok,
                        actor_tokens,
                    )
                )
                if len(matches) >= _MAX_COMBOS:
                    break
        matches.sort(key=lambda m: (not m.valid, m.fuzzy, self.span(m.tokens), m.tokens))
        return matches

    def _names_parts(self) -> bool:
        """The answer speaks of parts of the model without naming them ("one net dreams up
        pictures, the other inspects them"); an answer that names no part at all ("the objective
        is to generate new data") says what the whole model is for, and no part's role."""
        if self._parts is None:
            self._parts = any(t.norm in _PART_NOUNS for t in self.analysis.tokens)
        return self._parts

    def _opens_clause(self, first: int, actor: str) -> bool:
        """Only function words come before token ``first`` in its clause, and no other actor
        than ``actor`` is named in its sentence short of a semicolon: the statement has no
        subject of its own ("To reduce the memory cost.", "- reduces computation", "larger
        receptive field from downsampling; upsampling ..."), unlike "FCN ... has fewer
        parameters", "the receptive field grows by 2 per layer" (measured: a subject made of
        the match's own words, "the computation is cheaper", gained 6 answers and a trap) or a
        step of a sequence ("to reduce the memory, then upsample ...")."""
        toks = self.analysis.tokens
        text = self.analysis.text
        clause, sentence = toks[first].clause, toks[first].sentence
        for m in self.actors.mentions():
            if m.name == actor or toks[m.first].sentence != sentence:
                continue
            lo, hi = sorted((toks[first].start, toks[m.first].start))
            if ";" not in text[lo:hi]:
                return False
        return all(toks[j].is_stop for j in range(first) if toks[j].clause == clause)

    def _step_before(self, first: int) -> bool:
        """Token ``first`` is in a step of a sequence whose next step comes later in the same
        sentence ("to reduce the memory, then upsample to ..."): what the step does may be
        the step's own, not the actor's."""
        toks = self.analysis.tokens
        here = toks[first]
        for t in toks[first + 1:]:
            if t.sentence != here.sentence:
                break
            if t.norm == "then" and (t.clause != here.clause or "," in t.gap_before
                                     or toks[t.index - 1].norm == "and"):
                return True
        return False

    def _personal_subject(self, anchor: int) -> bool:
        """A personal pronoun ("we", "you") before ``anchor`` in its clause, or the whole model
        ("The objective of GANs is to generate new data": the model, not one of its networks)."""
        toks = self.analysis.tokens
        clause = toks[anchor].clause
        return any((toks[j].norm in _PERSONAL or toks[j].norm in _WHOLE_MODEL)
                   and toks[j].clause == clause for j in range(anchor))

    def _vetoed_tokens(self, phrasing: Phrasing) -> frozenset[int]:
        """Tokens of every match of the phrasing's ``except`` patterns."""
        if not phrasing.excepts:
            return frozenset()
        key = "except:" + phrasing.source + "|" + "|".join(e.source for e in phrasing.excepts)
        cached = self._veto_cache.get(key)
        if cached is None:
            found: set[int] = set()
            for sub in phrasing.excepts:
                for m in self.phrasing_matches(sub):
                    found.update(m.tokens)
            cached = frozenset(found)
            self._veto_cache[key] = cached
        return cached

    def _counterfactual_actor(self, tokens: tuple[int, ...]) -> Mention | None:
        """The actor X when every cue negating ``tokens`` is the consequence of "without X"
        (or "without it", X being the subject before): "Without upsampling we could not label
        each pixel" says what upsampling is for. None otherwise."""
        toks = self.analysis.tokens
        matched = set(tokens)
        cues = {
            c
            for t in tokens
            if not toks[t].is_cue
            for c in self.analysis.negated_by[t]
            if not (self.analysis.cue_tokens[c] & matched)
        }
        if not cues:
            return None
        mentions = self.actors.mentions()
        found: Mention | None = None
        for cue in cues:
            if toks[cue].norm == "without":
                return None
            sentence = toks[cue].sentence
            actor = None
            for w in range(cue - 1, -1, -1):
                if toks[w].sentence != sentence:
                    break
                if toks[w].norm != "without" or not self.analysis.cue_tokens[w]:
                    continue
                k = w + 1
                while k < len(toks) and toks[k].norm in DETERMINERS:
                    k += 1
                if k >= len(toks):
                    break
                direct = next((m for m in mentions if m.first == k), None)
                if direct is not None:
                    actor = direct
                elif toks[k].norm in {"it", "them", "this", "that", "these", "those"}:
                    before = [
                        m for m in mentions if m.last < w and not self.actors.is_object(m.first)
                    ]
                    same = [m for m in before if toks[m.first].sentence == sentence]
                    if same:
                        actor = same[0]  # the sentence's subject
                    elif before:
                        actor = before[-1]  # the last actor named before
                break
            if actor is None or (found is not None and found.name != actor.name):
                return None
            found = actor
        return found

    def _under_own_cue(self, combo: list[Occurrence], cue_slots: list[int]) -> bool:
        """A phrasing that writes a negator ("without @lose") means: the rest is in its scope."""
        toks = self.analysis.tokens
        cues = {t for k in cue_slots for t in combo[k].tokens if self.analysis.cue_tokens[t]}
        first_cue = min(cues) if cues else -1
        in_scope = 0
        # Words written before the negator lead up to its subject ("makes images that the
        # discriminator cannot tell apart"): they must lead up without a break, the last of them
        # (the subject) right before the negator.
        before = [t for k, occ in enumerate(combo) if k not in cue_slots for t in occ.tokens
                  if t < first_cue]
        lead = max(before) if before else first_cue
        # A comparison the phrasing writes after the denied words escapes the denial: "it
        # doesn't have the KL divergence loss like VAE has" denies the loss of the one, not of
        # the other.
        compared = min((t for k, occ in enumerate(combo) if k not in cue_slots
                        for t in occ.tokens
                        if t > first_cue and toks[t].norm in _COMPARISONS), default=None)
        # A condition opening its sentence is followed by what it leads to: "Without
        # downsampling, the computation would be very expensive" (the words after its comma are
        # the consequence, not denied).
        opening = (first_cue >= 0 and toks[first_cue].norm in OPENING_NEGATORS
                   and (first_cue == 0
                        or toks[first_cue - 1].sentence != toks[first_cue].sentence
                        or toks[first_cue - 1].clause != toks[first_cue].clause))
        for k, occ in enumerate(combo):
            if k in cue_slots:
                continue
            for t in occ.tokens:
                if self.analysis.negated_by[t] & cues:
                    in_scope += 1
                    continue
                if compared is not None and t >= compared:
                    continue
                if (opening and t > first_cue and toks[t].sentence == toks[first_cue].sentence
                        and any("," in toks[j].gap_before
                                for j in range(first_cue + 1, t + 1))):
                    continue
                # A passive subject right before the negator: "the resolution is not reduced".
                if (
                    t < first_cue
                    and toks[t].clause == toks[first_cue].clause
                    and toks[first_cue].cpos - toks[lead].cpos <= 3
                    and not any(
                        ch in toks[j].gap_before
                        for j in range(t + 1, first_cue + 1)
                        for ch in ",;:()"
                    )
                ):
                    continue
                return False
        return in_scope > 0

    def span(self, tokens: tuple[int, ...]) -> int:
        """Content words from the first matched token to the last (what a window bounds)."""
        toks = self.analysis.tokens
        return toks[tokens[-1]].cpos - toks[tokens[0]].cpos + 1

    def _combos(self, lists: list[list[Occurrence]], phrasing: Phrasing):  # type: ignore[no-untyped-def]
        toks = self.analysis.tokens
        window = phrasing.window
        strict = phrasing.order == "strict"
        count = 0

        def rec(k: int, chosen: list[Occurrence], used: set[int], lo: int, hi: int):  # type: ignore[no-untyped-def]
            nonlocal count
            if count >= _MAX_COMBOS:
                return
            if k == len(lists):
                count += 1
                yield list(chosen)
                return
            for occ in lists[k]:
                if used.intersection(occ.tokens):
                    continue
                if strict and chosen and occ.first <= chosen[-1].last:
                    continue
                nlo = min(lo, toks[occ.first].cpos)
                nhi = max(hi, toks[occ.last].cpos)
                if nhi - nlo + 1 > window:
                    continue
                chosen.append(occ)
                yield from rec(k + 1, chosen, used | set(occ.tokens), nlo, nhi)
                chosen.pop()

        yield from rec(0, [], set(), 10**9, -1)

    def _negated(self, tokens: tuple[int, ...]) -> bool:
        """True when a matched word lies in the scope of a cue that is not part of the match."""
        matched = set(tokens)
        for t in tokens:
            if self.analysis.tokens[t].is_cue:
                continue
            for cue in self.analysis.negated_by[t]:
                if not (self.analysis.cue_tokens[cue] & matched):
                    return True
        return False

    def best(self, phrasings: tuple[Phrasing, ...]) -> tuple[Match | None, list[Match]]:
        """The best valid match among ``phrasings`` and the invalid near misses seen."""
        best: Match | None = None
        misses: list[Match] = []
        for phrasing in phrasings:
            for m in self.phrasing_matches(phrasing):
                if m.valid:
                    if best is None or (best.fuzzy and not m.fuzzy):
                        best = m
                    break
                misses.append(m)
            if best is not None and not best.fuzzy:
                break
        return best, misses


def merge_spans(analysis: Analysis, tokens: tuple[int, ...]) -> list[tuple[int, int]]:
    """Character spans of matched tokens; consecutive tokens are merged into one span."""
    spans: list[tuple[int, int]] = []
    prev = None
    for t in sorted(set(tokens)):
        tok = analysis.tokens[t]
        if prev is not None and t == prev + 1 and spans and len(tok.gap_before) <= 2:
            spans[-1] = (spans[-1][0], tok.end)
        else:
            spans.append((tok.start, tok.end))
        prev = t
    return spans


__all__ = ["Match", "MatchContext", "Mention", "Occurrence", "merge_spans"]
