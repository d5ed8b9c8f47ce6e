"""Matching compiled phrasings against an analysed answer.

Words match tokens by stem, by exact form, by prefix, or as a typo (rapidfuzz optimal-string-
alignment distance, only for words of at least ``fuzzy_min_length`` letters, edits allowed growing
with length, same first letter, never for a token that is itself a rubric word or a protected real
word). Slots gather occurrences; a phrasing matches when one occurrence per slot fits the window,
the order and the scope, no matched word lies in the scope of a negation the phrasing does not
itself contain, no matched word belongs to a match of one of its ``except`` patterns, and, for actor
phrasings, the subject of the action is the required actor (and, for ``not_actor``, not that one).

Actors are found from the rubric's words, from note headings ("Down: ..."), and from the names an
answer gives them itself ("G is like a forger", "the police (discriminator)"); a one-word mention
right after another is read as its verb ("the detective judges"). A negation that is the consequence
of "without <actor>" states what the actor is for ("without it we could not label each pixel").

This module must not decide marks, apply guards or know any assignment: it only reports matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from .schema import Phrasing, Rubric, Slot, Word
from .text import DETERMINERS, Analysis, Token

# Suffixes that turn a noun into a different word of the same family ("generator" → "generate"):
# a token that is the rubric word's stem plus one of these is not a typo of it.
_INFLECTIONS = (
    "e",
    "es",
    "ed",
    "ing",
    "ion",
    "ions",
    "ive",
    "ively",
    "ate",
    "ates",
    "ated",
    "ating",
    "ation",
    "ations",
    "ative",
    "ant",
    "ants",
    "al",
    "ally",
    "ly",
)
# Words before an actor mention that make it an object rather than a subject.
_OBJECT_MARKERS = frozenset(
    "from to against than unlike with into by versus vs between over under toward towards as "
    "like".split()
)
_AUXILIARIES = frozenset(
    "is are was were be been being am do does did has have had can cannot could will would shall "
    "should may might must not no never also then still always now just only to".split()
)
_RELATIVE = frozenset({"which", "that", "who", "whose", "where"})
_PERSONAL = frozenset({"we", "you", "i", "us", "people", "someone"})
# Nouns that may stand between an actor and its verb ("the forger network produces ...").
_HEAD_NOUNS = frozenset("network networks net nets model models module".split())
# Verbs that introduce what an actor is or is like ("G is like a forger", "D acts as a judge").
_COPULAS = frozenset(
    "is are was were be acts act serves serve works work plays play behaves".split()
)
_ALIAS_DETERMINERS = frozenset("a an the some".split())
# Nouns too general to name one actor ("the generator is a network").
_GENERIC_NOUNS = frozenset(
    """network networks net nets model models function functions module modules part parts
    component components system systems thing things way ways method methods player players
    role roles step steps layer layers neural deep kind sort type version example one ones
    """.split()
)
_PRONOUNS = frozenset({"it", "its", "they", "their", "itself", "this", "he", "she", "them"})
_MAX_COMBOS = 400


@dataclass(frozen=True)
class Occurrence:
    """Tokens that fill one slot."""

    tokens: tuple[int, ...]
    fuzzy: bool

    @property
    def first(self) -> int:
        return self.tokens[0]

    @property
    def last(self) -> int:
        return self.tokens[-1]


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
    _vocab_stems: frozenset[str] = field(init=False)
    _word_cache: dict[tuple[str, str], tuple[tuple[int, bool], ...]] = field(default_factory=dict)
    _slot_cache: dict[str, tuple[Occurrence, ...]] = field(default_factory=dict)
    _actor_mentions: list[tuple[int, int, str]] | None = None
    _clause_ids: list[int] | None = None
    _veto_cache: dict[str, frozenset[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        stems = {w.stem for w in self.rubric.vocabulary() if w.mode in {"stem", "exact"}}
        stems |= {self.rubric.analyzer.stem(p) for p in self.rubric.settings.fuzzy_protect}
        self._vocab_stems = frozenset(stems)
        self._protect = frozenset(self.rubric.settings.fuzzy_protect)
        self._cue_members = frozenset(i for m in self.analysis.cue_tokens for i in m)
        self._object_markers = _OBJECT_MARKERS | {
            self.rubric.analyzer.stem(w) for w in self.rubric.settings.object_markers
        }

    # ------------------------------------------------------------------ words
    def _allowed_edits(self, length: int) -> int:
        s = self.rubric.settings
        if length < s.fuzzy_min_length:
            return 0
        allowed = 0
        for min_len, edits in s.fuzzy_edits:
            if length >= min_len:
                allowed = edits
        return allowed

    def _fuzzy_ok(self, tok: Token, word: Word) -> bool:
        if tok.norm in self._protect:
            return False
        if tok.stem in self._vocab_stems and word.mode != "exact":
            # A token that is itself a rubric word is never a typo of another one. Exact words
            # are instead guarded by the inflection test below ("generates" is not "generator",
            # "generater" is).
            return False
        if len(tok.norm) < self.rubric.settings.fuzzy_min_length:
            return False
        if not tok.norm or tok.norm[0] != word.text[0]:
            return False
        allowed = self._allowed_edits(len(word.text))
        if allowed == 0:
            return False
        if word.mode == "exact":
            base = word.stem
            if tok.norm.startswith(base) and tok.norm[len(base) :] in _INFLECTIONS:
                return False
            # "inspects" is a form of "inspect", the root of "inspector", not a typo of it.
            root = tok.stem
            if (
                len(root) >= 4
                and word.text.startswith(root)
                and tok.norm[len(root) :] in _INFLECTIONS + ("s", "")
                and tok.norm.startswith(root)
            ):
                return False
            return OSA.distance(tok.norm, word.text, score_cutoff=allowed) <= allowed
        if OSA.distance(tok.norm, word.text, score_cutoff=allowed) <= allowed:
            return True
        # Stems are shorter than words, so a stem-level typo needs a longer stem to be safe
        # ("remov" is not a typo of "recov").
        if min(len(word.stem), len(tok.stem)) <= self.rubric.settings.fuzzy_min_length:
            return False
        allowed_stem = self._allowed_edits(len(word.stem))
        return allowed_stem > 0 and (
            OSA.distance(tok.stem, word.stem, score_cutoff=allowed_stem) <= allowed_stem
        )

    def word_match(self, tok: Token, word: Word) -> tuple[bool, bool]:
        """(matches, by typo tolerance)."""
        if word.mode == "cue":
            return tok.norm == word.text and tok.index in self._cue_members, False
        if word.mode == "prefix":
            return tok.norm.startswith(word.text), False
        if word.mode == "exact":
            if tok.norm == word.text or tok.norm in {word.text + "s", word.text + "es"}:
                return True, False
            if len(word.text) == 1:
                return False, False
            return (self._fuzzy_ok(tok, word), True)
        if tok.stem == word.stem or tok.norm == word.text:
            return True, False
        return (self._fuzzy_ok(tok, word), True)

    def word_positions(self, word: Word) -> tuple[tuple[int, bool], ...]:
        """Token indices matching ``word`` (with the fuzzy flag), memoised per answer."""
        key = (word.text, word.mode)
        hit = self._word_cache.get(key)
        if hit is None:
            out = []
            for tok in self.analysis.tokens:
                ok, fuzzy = self.word_match(tok, word)
                if ok:
                    out.append((tok.index, fuzzy and not (tok.stem == word.stem)))
            hit = tuple(out)
            self._word_cache[key] = hit
        return hit

    def _joined_positions(self, word: Word) -> list[Occurrence]:
        """Two adjacent tokens written as one word ("up-sampling", "VQ VAE" → "vqvae")."""
        if word.mode not in {"stem", "exact"}:
            return []
        toks = self.analysis.tokens
        out = []
        for a, b in zip(toks, toks[1:]):
            if a.sentence != b.sentence or b.gap_before not in {"", "-", " ", "_"}:
                continue
            joined = a.norm + b.norm
            if joined == word.text or self.rubric.analyzer.stem(joined) == word.stem:
                out.append(Occurrence((a.index, b.index), False))
        return out

    # ------------------------------------------------------------------ slots
    def slot_occurrences(self, slot: Slot, for_actor: bool = False) -> tuple[Occurrence, ...]:
        """Every way ``slot`` is filled in the answer."""
        key = ("actor:" if for_actor else "") + slot.source
        cached = self._slot_cache.get(key)
        if cached is not None:
            return cached
        gap = self.rubric.settings.alt_gap
        toks = self.analysis.tokens
        found: dict[tuple[int, ...], bool] = {}
        for alt in slot.alternatives:
            first_positions = list(self.word_positions(alt[0]))
            if len(alt) == 1:
                for idx, fz in first_positions:
                    found[(idx,)] = found.get((idx,), True) and fz
                for occ in self._joined_positions(alt[0]):
                    found.setdefault(occ.tokens, False)
                continue
            later = [dict(self.word_positions(w)) for w in alt[1:]]
            for idx, fz in first_positions:
                chain = [idx]
                fuzzy = fz
                ok = True
                for positions in later:
                    prev = toks[chain[-1]]
                    nxt = None
                    for j in range(prev.index + 1, len(toks)):
                        t = toks[j]
                        if t.sentence != prev.sentence or t.cpos - prev.cpos > gap + 1:
                            break
                        if any(ch in t.gap_before for ch in ",;:.!?()[]"):
                            break  # a written sequence never runs across punctuation
                        if j in positions:
                            nxt = j
                            fuzzy = fuzzy or positions[j]
                            break
                    if nxt is None:
                        ok = False
                        break
                    chain.append(nxt)
                if ok:
                    key = tuple(chain)
                    found[key] = found.get(key, True) and fuzzy
        occs = tuple(Occurrence(k, v) for k, v in sorted(found.items()))
        if not for_actor and self.rubric.actors:
            names, full = self._names_actor(slot)
            mentions = self.actor_mentions()
            if not names:
                # A word naming an actor ("discriminator") never fills an action slot
                # ("discriminate"), however close their stems.
                actor_tokens = {t for a, b, _ in mentions for t in range(a, b + 1)}
                occs = tuple(o for o in occs if not actor_tokens.intersection(o.tokens))
            else:
                # A slot naming an actor is filled by every mention of it, the answer's own
                # names included ("the teacher"), and not by a word the answer gave another actor
                # ("the generator is a classifier"), nor by a word read as a verb ("judges").
                own = {t for a, b, n in mentions if n in names for t in range(a, b + 1)}
                kept = {o.tokens: o for o in occs if own.issuperset(o.tokens)}
                for a, b, n in mentions if full else ():
                    span = tuple(range(a, b + 1))
                    if n in names and not any(set(span) & set(k) for k in kept):
                        kept[span] = Occurrence(span, False)
                occs = tuple(kept[k] for k in sorted(kept))
        self._slot_cache[key] = occs
        return occs

    def _names_actor(self, slot: Slot) -> tuple[set[str], bool]:
        """The actors ``slot`` names, and whether it names them whole.

        A slot names an actor when it holds all the actor's words ("@discriminator": filled by
        every mention, the answer's own names included) or only actor words ("=d"). A slot that
        mixes actor words with others ("classify|classifier") is an action slot."""
        alts = set(slot.alternatives)
        full = {n for n, s in self.rubric.actors if alts.issuperset(s.alternatives)}
        if full:
            return full, True
        every = {a for _, s in self.rubric.actors for a in s.alternatives}
        if alts and alts <= every:
            return {n for n, s in self.rubric.actors if alts.intersection(s.alternatives)}, False
        return set(), False

    # ------------------------------------------------------------------ actors
    def actor_mentions(self) -> list[tuple[int, int, str]]:
        """(first token, last token, actor) for every actor mention, longest first, no overlaps.

        Besides the rubric's actor words this finds note headings ("Down: ..."), and the actors an
        answer names for itself: a predicate or comparison ("G is like a forger", "think of D as
        the police", "the generator is a binary classifier") makes its noun a name of that actor
        for the whole answer. A one-letter mention written as a subscript ("p_g") is no actor.
        """
        if self._actor_mentions is None:
            toks = self.analysis.tokens
            cands: list[tuple[int, int, str]] = []
            for name, slot in self.rubric.actors:
                for occ in self.slot_occurrences(slot, for_actor=True):
                    if occ.first == occ.last and self._is_subscript(occ.first):
                        continue
                    cands.append((occ.first, occ.last, name))
            for name, slot in self.rubric.actor_labels:
                for occ in self.slot_occurrences(slot, for_actor=True):
                    if self._is_heading(occ.first, occ.last):
                        cands.append((occ.first, occ.last, name))
            chosen = self._drop_verbs(self._choose_mentions(cands))
            aliases, relabel = self._answer_aliases(chosen)
            if relabel:
                chosen = [(a, b, relabel.get(a, n)) for a, b, n in chosen]
            if aliases:
                taken = {t for a, b, _ in chosen for t in range(a, b + 1)}
                for tok in toks:
                    name = aliases.get(tok.stem)
                    if name is not None and tok.index not in taken:
                        chosen.append((tok.index, tok.index, name))
                chosen.sort()
            self._actor_mentions = chosen
        return self._actor_mentions

    @staticmethod
    def _choose_mentions(cands: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        cands = sorted(set(cands), key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
        taken: set[int] = set()
        chosen: list[tuple[int, int, str]] = []
        for first, last, name in cands:
            span = set(range(first, last + 1))
            if span & taken:
                continue
            taken |= span
            chosen.append((first, last, name))
        chosen.sort()
        return chosen

    def _drop_verbs(self, mentions: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """A one-word mention right after another, or after "to" ("the detective judges",
        "D is judge the sample", "tries to judge") is a verb, not a second actor."""
        toks = self.analysis.tokens
        ends = {m[1] for m in mentions}
        out = []
        for first, last, name in mentions:
            j = first - 1
            while j >= 0 and (toks[j].norm in _HEAD_NOUNS or toks[j].norm in _AUXILIARIES):
                j -= 1
            verb = first == last and (
                (first > 0 and toks[first - 1].norm == "to")
                or (
                    j in ends
                    and not any(
                        ch in toks[k].gap_before for k in range(j + 1, first + 1) for ch in ",;:.()"
                    )
                )
            )
            if not verb:
                out.append((first, last, name))
        return out

    def _closes_paren(self, last: int) -> bool:
        """A closing parenthesis right after token ``last``."""
        toks = self.analysis.tokens
        if last + 1 < len(toks):
            return ")" in toks[last + 1].gap_before
        return self.analysis.text[toks[last].end :].lstrip().startswith(")")

    def _is_subscript(self, index: int) -> bool:
        tok = self.analysis.tokens[index]
        return len(tok.norm) == 1 and index > 0 and any(ch in tok.gap_before for ch in "_^{")

    def _is_heading(self, first: int, last: int) -> bool:
        """A label opening a sentence or line and followed by a colon or a dash ("Up: ...")."""
        toks = self.analysis.tokens
        starts = first == 0 or toks[first - 1].sentence != toks[first].sentence
        starts = starts or "\n" in toks[first].gap_before
        if not starts or last + 1 >= len(toks):
            return False
        gap = toks[last + 1].gap_before
        return any(mark in gap for mark in (":", " - ", "->", "\u2013", "\u2014", "="))

    def _answer_aliases(
        self, mentions: list[tuple[int, int, str]]
    ) -> tuple[dict[str, str], dict[int, str]]:
        """Names the answer gives its actors: (alias stem -> actor, mention start -> actor).

        "<actor> is like (a) Y", "<actor> as a Y", "<actor> is a [adjective] Y" and the
        parenthetical "Y (<actor>)" / "<actor> (Y)" make Y a name of the actor. When Y is itself
        another actor's word ("the generator is a binary classifier") that mention is the
        subject's. Generic nouns ("network", "model") and the rubric's own words are never
        aliases; a word claimed by two actors is dropped.
        """
        toks = self.analysis.tokens
        by_start = {m[0]: m for m in mentions}
        by_token = {t: m for m in mentions for t in range(m[0], m[1] + 1)}
        claims: dict[str, set[str]] = {}
        relabel: dict[int, str] = {}

        def head_after(j: int, need_det: bool) -> int | None:
            """The head noun of a short noun phrase starting at token j."""
            k = j
            had_det = False
            while k < len(toks) and toks[k].norm in _ALIAS_DETERMINERS:
                k += 1
                had_det = True
            if need_det and not had_det:
                return None
            run: list[int] = []
            while k < len(toks) and len(run) < 3:
                t = toks[k]
                if t.sentence != toks[j].sentence or t.is_stop or t.is_cue:
                    break
                if run and any(ch in t.gap_before for ch in ",;:.!?()[]"):
                    break
                if k in by_token:
                    m = by_token[k]
                    return m[0] if m[0] == k else None
                run.append(k)
                k += 1
            if not run or len(run) > 2:
                return None
            return run[-1]

        def claim(head: int | None, name: str) -> None:
            if head is None:
                return
            if head in by_start:
                if by_start[head][2] != name:
                    relabel[head] = name
                return
            tok = toks[head]
            if (
                not tok.norm.isalpha()
                or len(tok.norm) < 3
                or tok.norm in _GENERIC_NOUNS
                or tok.stem in self._vocab_stems
            ):
                return
            claims.setdefault(tok.stem, set()).add(name)

        for first, last, name in mentions:
            # "<actor> is/acts/serves (like|as) (a) Y" and "think of <actor> as a Y"
            j = last + 1
            copula = False
            while j < len(toks) and toks[j].norm in _COPULAS and j - last <= 3:
                copula = True
                j += 1
            if j < len(toks) and toks[j].sentence == toks[last].sentence:
                if toks[j].norm == "like":
                    claim(head_after(j + 1, need_det=False), name)
                elif toks[j].norm == "as":
                    claim(head_after(j + 1, need_det=True), name)
                elif copula and toks[j].norm in _ALIAS_DETERMINERS and toks[j].norm != "its":
                    claim(head_after(j, need_det=True), name)
            # "<actor> (Y)"
            if (
                last + 1 < len(toks)
                and "(" in toks[last + 1].gap_before
                and self._closes_paren(last + 1)
            ):
                claim(last + 1, name)
            # "Y (<actor>)"
            if (
                first > 0
                and "(" in toks[first].gap_before
                and self._closes_paren(last)
                and not toks[first - 1].is_stop
                and len(toks[first - 1].norm) >= 4
            ):
                claim(first - 1, name)
        aliases = {stem: next(iter(names)) for stem, names in claims.items() if len(names) == 1}
        return aliases, relabel

    def _actor_clauses(self) -> list[int]:
        """Clause id per token for actor resolution: clauses also break before '<and|,> actor'."""
        if self._clause_ids is None:
            self._clause_ids = self._compute_actor_clauses()
        return self._clause_ids

    def _compute_actor_clauses(self) -> list[int]:
        toks = self.analysis.tokens
        starts = {m[0] for m in self.actor_mentions()}
        ids: list[int] = []
        current = 0
        prev_clause = -1
        for tok in toks:
            if tok.clause != prev_clause:
                current += 1
                prev_clause = tok.clause
            elif tok.index in starts:
                j = tok.index - 1
                while j >= 0 and toks[j].norm in DETERMINERS:
                    j -= 1
                if j >= 0 and toks[j].clause == tok.clause:
                    if toks[j].norm in {"and", "while", "so", "then"} or any(
                        ch in toks[j + 1].gap_before for ch in ",:"
                    ):
                        current += 1
            ids.append(current)
        return ids

    def _is_object(self, first: int) -> bool:
        toks = self.analysis.tokens
        j = first - 1
        while j >= 0 and toks[j].norm in DETERMINERS:
            j -= 1
        if j < 0 or toks[j].sentence != toks[first].sentence:
            return False
        return toks[j].norm in _OBJECT_MARKERS or toks[j].stem in self._object_markers

    def _relative_after(self, last: int) -> int | None:
        """Index of a relative pronoun right after an actor mention ("D, which ..."), else None."""
        toks = self.analysis.tokens
        j = last + 1
        if j < len(toks) and toks[j].norm in _RELATIVE and toks[j].sentence == toks[last].sentence:
            return j
        return None

    def resolve_actor(self, anchor: int) -> str | None:
        """Which actor performs the action at token ``anchor``: the rubric's default actor when
        the answer names none, None when unknown."""
        found = self._resolve_actor(anchor)
        return found[2] if found is not None else self.rubric.settings.default_actor

    def actor_mention_for(self, anchor: int) -> tuple[int, int, str] | None:
        """The actor mention resolved as the subject of the action at ``anchor`` (or None)."""
        return self._resolve_actor(anchor)

    def _resolve_actor(self, anchor: int) -> tuple[int, int, str] | None:
        toks = self.analysis.tokens
        mentions = [m for m in self.actor_mentions() if not (m[0] <= anchor <= m[1])]
        if not mentions:
            return None
        by_start = {m[0]: m for m in mentions}
        # 0. named in parentheses right after the action: "one is continuous (VAE)"
        for j in range(anchor + 1, min(anchor + 3, len(toks))):
            if toks[j].sentence != toks[anchor].sentence:
                break
            if "(" in toks[j].gap_before:
                m = by_start.get(j)
                if m is not None and self._closes_paren(m[1]):
                    return m
                break
        # 1. passive: "<action> by (the) <actor>"
        for j in range(anchor + 1, min(anchor + 4, len(toks))):
            if toks[j].sentence != toks[anchor].sentence:
                break
            if toks[j].norm == "by":
                k = j + 1
                while k < len(toks) and toks[k].norm in DETERMINERS:
                    k += 1
                if k in by_start:
                    return by_start[k]
                break
        clause_of = self._actor_clauses()
        clause = clause_of[anchor]
        in_clause = [m for m in mentions if clause_of[m[0]] == clause]
        # 2. relative clause: "<actor>, which <action>" up to the next comma
        for mention in reversed([m for m in in_clause if m[1] < anchor]):
            rel = self._relative_after(mention[1])
            if rel is None or rel > anchor:
                continue
            if not any(
                "," in toks[j].gap_before or ";" in toks[j].gap_before
                for j in range(rel + 1, anchor + 1)
            ):
                return mention
        # 2b. an actor right before the action, with only auxiliaries between ("D cannot tell")
        before = [m for m in in_clause if m[1] < anchor]
        if before:
            first, last, _name = before[-1]
            between = toks[last + 1 : anchor]
            if (
                all(t.norm in _AUXILIARIES or t.norm in _HEAD_NOUNS for t in between)
                and not any(
                    ch in t.gap_before for t in toks[last + 1 : anchor + 1] for ch in ",;:("
                )
                and not self._is_object(first)
            ):
                return before[-1]
        # 3. subject: the first actor of the clause before the action that is not an object and
        #    not inside someone else's relative clause
        relative_regions: list[tuple[int, int]] = []
        for _first, last, _name in in_clause:
            rel = self._relative_after(last)
            if rel is not None:
                end = rel + 1
                while (
                    end < len(toks) and clause_of[end] == clause and "," not in toks[end].gap_before
                ):
                    end += 1
                relative_regions.append((rel, end - 1))
        for mention in in_clause:
            first, last, _name = mention
            if first > anchor:
                break
            if self._is_object(first) and self._relative_after(last) is None:
                continue
            if any(a <= first <= b for a, b in relative_regions):
                continue
            return mention
        # 4. a pronoun subject: the subject of an earlier clause
        if any(toks[j].norm in _PRONOUNS and clause_of[j] == clause for j in range(anchor)):
            return self._earlier_subject(mentions, clause_of, clause, same_sentence_only=False)
        # 5. the actor named after the action in the same clause ("... is the critic's job")
        for mention in in_clause:
            if mention[0] > anchor and not self._is_object(mention[0]):
                return mention
        # 6. an elided subject ("... is not sampled but looked up"): the previous clause's subject
        earlier = self._earlier_subject(mentions, clause_of, clause, same_sentence_only=True)
        if earlier is not None:
            return earlier
        # 7. a reason given before its actor: "the output must be H x W; that is why the decoder
        #    upsamples" (the next clause of the sentence opens with "that is why", "so", ...)
        return self._following_subject(anchor, mentions, clause_of)

    def _following_subject(
        self, anchor: int, mentions: list[tuple[int, int, str]], clause_of: list[int]
    ) -> tuple[int, int, str] | None:
        toks = self.analysis.tokens
        clause = clause_of[anchor]
        j = anchor + 1
        while j < len(toks) and clause_of[j] == clause:
            j += 1
        if j >= len(toks):
            return None
        if toks[j].sentence != toks[anchor].sentence and ";" not in toks[j].gap_before:
            return None
        words = [t.norm for t in toks[j : j + 3]]
        if not (
            words[:1] in (["so"], ["hence"], ["therefore"], ["thus"])
            or (
                len(words) >= 3
                and words[0] in {"that", "this", "which"}
                and words[1:3] == ["is", "why"]
            )
        ):
            return None
        for m in mentions:
            if clause_of[m[0]] == clause_of[j] and m[0] >= j and not self._is_object(m[0]):
                return m
        return None

    def _earlier_subject(
        self,
        mentions: list[tuple[int, int, str]],
        clause_of: list[int],
        clause: int,
        same_sentence_only: bool,
    ) -> tuple[int, int, str] | None:
        toks = self.analysis.tokens
        sentence = next((t.sentence for t in toks if clause_of[t.index] == clause), -1)
        for earlier in range(clause - 1, 0, -1):
            for mention in mentions:
                if clause_of[mention[0]] != earlier:
                    continue
                if same_sentence_only and toks[mention[0]].sentence != sentence:
                    return None
                if not self._is_object(mention[0]):
                    return mention
        return None

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
                    mention = self._resolve_actor(combo[0].first)
                    if mention is not None:
                        actor_ok = mention[2] == phrasing.actor
                        actor_tokens = tuple(range(mention[0], mention[1] + 1))
                    elif (
                        self.rubric.settings.anonymous_actors
                        and not self.actor_mentions()
                        and not self._personal_subject(combo[0].first)
                    ):
                        # The answer names no actor at all ("one net dreams up pictures, the
                        # other inspects them"): nothing can be swapped, the action is the role.
                        # Not when people act ("we can generate new samples").
                        actor_ok = True
                    else:
                        actor_ok = self.rubric.settings.default_actor == phrasing.actor
                    if actor_ok and self._straddles_other_actor(combo[0].first, tokens, phrasing):
                        # "X overfits less, and upsampling adds parameters": the action's words
                        # come from another actor's clause.
                        actor_ok = False
                    if negated:
                        enabler = self._counterfactual_actor(tokens)
                        if enabler is not None and enabler[2] == phrasing.actor:
                            # "without it we could not label each pixel": it labels each pixel
                            negated, actor_ok = False, True
                            actor_tokens = tuple(range(enabler[0], enabler[1] + 1))
                if phrasing.not_actor is not None:
                    mention = self._resolve_actor(combo[0].first)
                    if mention is not None and mention[2] == phrasing.not_actor:
                        actor_ok = False
                        actor_tokens = tuple(range(mention[0], mention[1] + 1))
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
        matches.sort(key=lambda m: (not m.valid, m.fuzzy, self._span(m.tokens), m.tokens))
        return matches

    def _straddles_other_actor(
        self, anchor: int, tokens: tuple[int, ...], phrasing: Phrasing
    ) -> bool:
        """True when a matched word lies in another actor clause whose subject is another actor."""
        clause_of = self._actor_clauses()
        home = clause_of[anchor]
        for t in tokens:
            if clause_of[t] == home:
                continue
            other = self._resolve_actor(t)
            if other is not None and other[2] != phrasing.actor:
                return True
        return False

    def _personal_subject(self, anchor: int) -> bool:
        """A personal pronoun ("we", "you") before ``anchor`` in its clause."""
        toks = self.analysis.tokens
        clause = toks[anchor].clause
        return any(toks[j].norm in _PERSONAL and toks[j].clause == clause for j in range(anchor))

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

    def _counterfactual_actor(self, tokens: tuple[int, ...]) -> tuple[int, int, str] | None:
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
        mentions = self.actor_mentions()
        found: tuple[int, int, str] | None = None
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
                direct = next((m for m in mentions if m[0] == k), None)
                if direct is not None:
                    actor = direct
                elif toks[k].norm in {"it", "them", "this", "that", "these", "those"}:
                    before = [m for m in mentions if m[1] < w and not self._is_object(m[0])]
                    same = [m for m in before if toks[m[0]].sentence == sentence]
                    if same:
                        actor = same[0]  # the sentence's subject
                    elif before:
                        actor = before[-1]  # the last actor named before
                break
            if actor is None or (found is not None and found[2] != actor[2]):
                return None
            found = actor
        return found

    def _under_own_cue(self, combo: list[Occurrence], cue_slots: list[int]) -> bool:
        """A phrasing that writes a negator ("without @lose") means: the rest is in its scope."""
        toks = self.analysis.tokens
        cues = {t for k in cue_slots for t in combo[k].tokens if self.analysis.cue_tokens[t]}
        first_cue = min(cues) if cues else -1
        in_scope = 0
        for k, occ in enumerate(combo):
            if k in cue_slots:
                continue
            for t in occ.tokens:
                if self.analysis.negated_by[t] & cues:
                    in_scope += 1
                    continue
                # A passive subject right before the negator: "the resolution is not reduced".
                if (
                    t < first_cue
                    and toks[t].clause == toks[first_cue].clause
                    and toks[first_cue].cpos - toks[t].cpos <= 3
                    and not any(
                        ch in toks[j].gap_before
                        for j in range(t + 1, first_cue + 1)
                        for ch in ",;:()"
                    )
                ):
                    continue
                return False
        return in_scope > 0

    def _span(self, tokens: tuple[int, ...]) -> int:
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


__all__ = ["Match", "MatchContext", "Occurrence", "merge_spans"]
