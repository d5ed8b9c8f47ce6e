"""Actors and subjects: who, in an answer, performs each action a rubric binds to an actor.

Actors are found from the rubric's words, from note headings ("Down: ..."), and from the names an
answer gives them itself ("G is like a forger", "the police (discriminator)"); a one-word mention
right after another is read as its verb ("the detective judges"); two actors joined by "and"
("downsampling and upsampling are ...") are the subject of neither. The subject of an action is
resolved from the clause it lies in: a parenthesis or a passive "by" after it, a relative clause,
the actor right before it, the clause's subject, a pronoun's antecedent, an actor named after it,
an elided subject, or the actor a following "that is why" (or a next sentence's "Hence") names.

This module must not match phrasings, read negation scopes, decide marks or know any assignment:
it only answers questions about actors for ``matcher.py``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .aliases import answer_aliases
from .model import Rubric, Slot
from .text import DETERMINERS, FINITE_AUXILIARIES, Analysis, Token
from .words import Occurrence, WordMatcher

# Words before an actor mention that make it an object rather than a subject.
_OBJECT_MARKERS = frozenset(
    "from to against than unlike with into by versus vs between over under toward towards as "
    "like after during".split()
)
# Words opening a clause nested in another ("... the details that were lost by pooling").
_NESTED_OPENERS = frozenset("whether if that which who whom whose or when while whereas".split())
# Forms of "be": a clause holding one is read in the passive voice ("... is performed by X").
_BE = frozenset("is are was were be been being".split())
# A factor before a stage: "32x upsampling", "x2 pooling", "2 poolings".
_MULTIPLIER_RE = re.compile(r"^(?:\d+x?|x\d+)$")
# Words comparing with another actor ("continuous like in VAE", "unlike in VAE").
_COMPARISON_WORDS = frozenset("like unlike similar similarly same as than just also too".split())
# Words that make a sentence a question a student asks before answering it.
_QUESTION_WORDS = frozenset("why what how which who whom where when q purpose motivation".split())
_AUXILIARIES = FINITE_AUXILIARIES | frozenset(
    "be been being am shall not no never also then still always now just only to".split()
)
_VERSUS = frozenset({"vs", "versus"})
_RELATIVE = frozenset({"which", "that", "who", "whose", "where"})
# Words that open a clause, so that a means right after them ("that with downsampling the
# network sees more", "so by pooling we ...") opens the clause as a sentence's first word does.
_CLAUSE_LEADS = frozenset(
    "that so because since thus hence therefore then where when while but and".split())
# Nouns that may stand between an actor and its verb ("the forger network produces ...").
_HEAD_NOUNS = frozenset("network networks net nets model models module".split())
_PEOPLE = frozenset({"we", "you", "i", "they", "one", "people"})
_PEOPLE_MODALS = frozenset(
    "have has had need needs want wants got going able then also just only must will would "
    "should can could first".split())
_PEOPLE_LEAD = _PEOPLE | _PEOPLE_MODALS | {"to"}
# People as a clause's subject, never its object ("... per pixel we upsample").
_SUBJECT_PRONOUNS = frozenset({"we", "you", "i"})
"""Words that lead into an operation people perform ("so we have to upsample")."""
# Epithets of a model named as an object ("like a normal VAE", "unlike the vanilla VAE").
_EPITHETS = frozenset(
    "normal standard vanilla plain regular usual classic classical traditional ordinary "
    "conventional basic original".split())
# The subject of a stage named by its verb: "..., so the FCN upsamples the map back".
_VERB_SUBJECTS = frozenset("fcn fcns cnn cnns network networks net model it".split())
# A causative verb before the actor who then acts: "..., and you let the generator decide".
_CAUSATIVE = frozenset({"let", "lets", "letting"})
_COPULAS = frozenset("is are was were".split())
# What a sentence says of the previous one's action before giving its reason ("This is good
# because ...").
_VERDICTS = frozenset(
    "good useful needed necessary important helpful beneficial done required essential".split())
_PREDICATE_ADVERBS = frozenset(
    "simply just basically essentially really merely actually still also only".split())
_REASON_NOUNS = frozenset("reason reasons purpose point goal aim motivation why".split())
_DOING = frozenset("doing does do did performs perform performing responsible for".split())
_PRONOUNS = frozenset({"it", "its", "they", "their", "itself", "this", "he", "she", "them",
                       "these", "those"})
# Nouns a sentence opens on to give the purpose of what the previous one described.
_PURPOSE_NOUNS = frozenset(
    "motivation motivations purpose reason reasons benefit advantage rationale".split())
# ... and the plural ones a sentence announces, to be given in the sentences after it
# ("Downsampling has two reasons. First ..."; not "Point 3 (0.5 mark): ...")
_ANNOUNCED_PURPOSES = frozenset(
    "reasons motivations purposes advantages benefits".split())
# (not "The aim is ..." or "The goal is ...", which often give the whole model's aim)
_COORDINATORS = frozenset({"and", "or", "&"})
_CONSEQUENCE = frozenset({"so", "hence", "therefore", "thus"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
_RECIPROCALS = frozenset({("each", "other"), ("one", "another")})
_ADVERBIAL_WORDS = 5
"""How many words of a phrase of time may stand between a clause's opener and its subject."""
_TIME_PHRASE = frozenset(
    "over time in end eventually finally then later gradually at last after training "
    "iterations epochs".split())
"""The words of such a phrase ("over time", "in the end", "after training", "eventually")."""
_PAIR_WORDS = frozenset({"together", "combined", "jointly"})
"""Words beside a plural pronoun that make it stand for the pair as one ("together they give
context and detail"). Not "both": "both of them use a Gaussian latent" is said of each."""
# Words that open a new clause when an actor follows ("..., instead the VAE uses ...").
_CLAUSE_OPENERS = frozenset(
    "and while whilst so then whereas whereby but instead however yet although though "
    "meanwhile vs versus".split())
# Phrases that open a contrasting clause, by their last two words ("on the other hand the
# VQ-VAE ...", "in contrast the VAE ...").
# Words before an actor that opens a phrase of its own ("..., and in the VAE ...", "for VQ-VAE
# ..."); "by" too after a comma, as some first languages say "for": "the latent is continuous,
# by VQ-VAE it is discrete" (no passive agent).
_PHRASE_LEADS = frozenset({"in", "for", "by"})


def _by_as_for(tok: Token) -> bool:
    """``tok`` is a "by" after a comma or semicolon: "for", opening a phrase (_PHRASE_LEADS)."""
    return tok.norm == "by" and any(ch in tok.gap_before for ch in ",;")


_CONTRAST_OPENERS = frozenset({("other", "hand"), ("in", "contrast"), ("by", "contrast"),
                               ("in", "comparison"), ("by", "comparison")})


_FIRST_PERSON = frozenset("i my me myself".split())
# What "the other ..." names in an answer about two parts ("the other network").
_OTHER_NOUNS = frozenset(
    "network networks net nets one model models player part module half side".split())
_VOICE_DETERMINERS = frozenset("the a an".split())
_INLINE_BULLET_RE = re.compile(r"(?:^|[ \t])[ \t]+[-*\u2022][ \t]+$")
_SPACED_DASH_RE = re.compile(r"[ \t][-\u2013\u2014][ \t]+$")
_ASIDE_THEN_COLON_RE = re.compile(r"[ \t]*\([^()\n]{1,40}\)[ \t]*(?::|->|\u2192|\u2013|\u2014| - )")


def _contrast_opener(toks, j: int) -> bool:
    """Whether the words ending at token ``j`` open a contrasting clause."""
    return j >= 1 and (toks[j - 1].norm, toks[j].norm) in _CONTRAST_OPENERS


JOINT = ""
"""The name of a subject made of two actors together ("G and D are trained ..."): none of them."""


# Prepositions of means after which a name is an object, not a subject coordinated with the
# name after "and" ("... with pooling layers and the decoder upsamples it").
_GOVERNING_PREPOSITIONS = frozenset({"with", "using", "via", "by", "through"})


class Mention(NamedTuple):
    """One mention of an actor: tokens ``first`` to ``last`` (inclusive) name actor ``name``."""

    first: int
    last: int
    name: str

    @property
    def tokens(self) -> tuple[int, ...]:
        """The token indices of the mention."""
        return tuple(range(self.first, self.last + 1))


class Actors:
    """Actor mentions and subjects in one analysed answer, memoised per answer (no globals)."""

    def __init__(self, rubric: Rubric, analysis: Analysis, words: WordMatcher) -> None:
        self.rubric = rubric
        self.analysis = analysis
        self.words = words
        self._object_markers = _OBJECT_MARKERS | {
            rubric.analyzer.stem(w) for w in rubric.settings.object_markers
        }
        self._mentions: list[Mention] | None = None
        self._clause_ids: list[int] | None = None
        self._sentence_spans: dict[int, tuple[int, int]] | None = None

    # ------------------------------------------------------------------ slots
    def fill(self, slot: Slot, occs: tuple[Occurrence, ...]) -> tuple[Occurrence, ...]:
        """The occurrences ``occs`` (as written) of ``slot`` that count once actors are known."""
        names, full = self._names_actor(slot)
        mentions = self.mentions()
        if not names:
            # A word naming an actor ("discriminator") never fills an action slot
            # ("discriminate"), however close their stems.
            actor_tokens = {t for m in mentions for t in m.tokens}
            return tuple(o for o in occs if not actor_tokens.intersection(o.tokens))
        # A slot naming an actor is filled by every mention of it, the answer's own names
        # included ("the teacher"), and not by a word the answer gave another actor ("the
        # generator is a classifier"), nor by a word read as a verb ("judges").
        own = {t for m in mentions if m.name in names for t in m.tokens}
        kept = {o.tokens: o for o in occs if own.issuperset(o.tokens)}
        for m in mentions if full else ():
            if m.name in names and not any(set(m.tokens) & set(k) for k in kept):
                kept[m.tokens] = Occurrence(m.tokens, False)
        return tuple(kept[k] for k in sorted(kept))

    def _names_actor(self, slot: Slot) -> tuple[frozenset[str], bool]:
        """The actors ``slot`` names, and whether it names them whole.

        A slot names an actor when it holds all the actor's words ("@discriminator": filled by
        every mention, the answer's own names included) or only actor words ("=d"). A slot that
        mixes actor words with others ("classify|classifier") is an action slot. The answer
        does not change this: it is worked out once per slot of the rubric (``Rubric.memo``)."""
        cache = self.rubric.memo.setdefault("names_actor", {})
        found = cache.get(slot.source)
        if found is None:
            found = cache[slot.source] = self._slot_names_actor(slot)
        return found

    def _slot_names_actor(self, slot: Slot) -> tuple[frozenset[str], bool]:
        alts = set(slot.alternatives)
        full = frozenset(n for n, s in self.rubric.actors if alts.issuperset(s.alternatives))
        if full:
            return full, True
        every = {a for _, s in self.rubric.actors for a in s.alternatives}
        if alts and alts <= every:
            return frozenset(n for n, s in self.rubric.actors
                             if alts.intersection(s.alternatives)), False
        return frozenset(), False

    # ------------------------------------------------------------------ actors
    def mentions(self) -> list[Mention]:
        """Every actor mention, in text order; longer mentions win overlaps.

        Besides the rubric's actor words this finds note headings ("Down: ..."), and the actors an
        answer names for itself: a predicate or comparison ("G is like a forger", "think of D as
        the police", "the generator is a binary classifier") makes its noun a name of that actor
        for the whole answer. A one-letter mention written as a subscript ("p_g") is no actor.
        """
        if self._mentions is None:
            toks = self.analysis.tokens
            cands: list[Mention] = []
            gaps: dict[Mention, int] = {}
            for name, slot in self.rubric.actors:
                for occ in self.words.slot_occurrences(slot):
                    if occ.first == occ.last and self._is_subscript(occ.first):
                        continue
                    m = Mention(occ.first, occ.last, name)
                    cands.append(m)
                    gap = occ.last - occ.first + 1 - len(set(occ.tokens))
                    gaps[m] = min(gaps.get(m, gap), gap)
            for name, slot in self.rubric.actor_labels:
                for occ in self.words.slot_occurrences(slot):
                    if self._is_heading(occ.first, occ.last) or self._abbreviation(occ):
                        cands.append(Mention(occ.first, occ.last, name))
            chosen = self._drop_restatements(
                self._drop_predicates(self._drop_verbs(self._choose_mentions(cands, gaps))))
            aliases, relabel = answer_aliases(self, chosen)
            if relabel:
                chosen = [m._replace(name=relabel.get(m.first, m.name)) for m in chosen]
            if aliases:
                taken = {t for m in chosen for t in m.tokens}
                for tok in toks:
                    name = aliases.get(tok.stem)
                    if name is not None and tok.index not in taken:
                        chosen.append(Mention(tok.index, tok.index, name))
                chosen.sort()
            voiced = self._first_person(chosen)
            if voiced:
                chosen = sorted(chosen + voiced)
            others = self._the_other(chosen)
            if others:
                chosen = sorted(chosen + others)
            self._mentions = chosen
        return self._mentions

    def _the_other(self, mentions: list[Mention]) -> list[Mention]:
        """In a rubric of two actors, "the other network" (or "the other one", "the second
        model") after one of them is named is the one not named last: "the discriminator takes
        noise and outputs a fake image, and the other network tells real from fake"."""
        names = sorted({name for name, _ in self.rubric.actors})
        if len(names) != 2 or not mentions:
            return []
        toks = self.analysis.tokens
        taken = {t for m in mentions for t in m.tokens}
        out: list[Mention] = []
        for tok in toks[1:-1]:
            k = tok.index
            if (tok.norm not in ("other", "second") or toks[k - 1].norm != "the"
                    or toks[k + 1].norm not in _OTHER_NOUNS or k in taken or k + 1 in taken):
                continue
            before = [m for m in mentions if m.last < k]
            if not before:
                continue
            # "One of them produces fakes and the other one classifies": the other of "one",
            # whichever that is, not of the network named last
            if any(t.norm == "one" and t.sentence >= tok.sentence - 1 for t in toks[:k - 1]):
                continue
            name = names[1] if before[-1].name == names[0] else names[0]
            out.append(Mention(k, k + 1, name))
        return out

    def _first_person(self, mentions: list[Mention]) -> list[Mention]:
        """An answer written in the voice of a part ("As the discriminator, I want ...", "I'm
        the generator, my job is ..."): from the sentence that says so until another part
        speaks, "I", "my" and "me" name that part."""
        toks = self.analysis.tokens
        by_start = {m.first: m for m in mentions}
        voices: list[tuple[int, str]] = []          # (sentence it starts in, actor)
        for m in mentions:
            k = m.first - 1
            while k >= 0 and toks[k].norm in _VOICE_DETERMINERS:
                k -= 1
            if k < 0:
                continue
            after = toks[m.last + 1] if m.last + 1 < len(toks) else None
            said_as = toks[k].norm == "as" and after is not None and (
                after.norm in _FIRST_PERSON or "," in after.gap_before or "(" in after.gap_before)
            said_am = (toks[k].norm in ("i", "am", "was", "were") and (toks[k].norm == "i" or (
                k > 0 and toks[k - 1].norm == "i")))
            if said_as or said_am:
                voices.append((toks[m.first].sentence, m.name))
        if not voices:
            return []
        out = []
        starts = sorted(by_start)
        for tok in toks:
            if tok.norm not in _FIRST_PERSON or tok.index in by_start:
                continue
            # not an aside in brackets ("The decoder (switching to it now, so I) then ..."), a
            # stage's own verb after it ("First I downsample"), nor an owner of another part
            # ("My cousin the VAE has ...")
            if self._in_brackets(tok.index):
                continue
            if any(tok.index < f <= tok.index + 3 for f in starts):
                continue
            # the part named by the verb of an earlier "I" in the sentence ("First I
            # downsample the image so I get ...") speaks before the declared one
            acting = [by_start[t.index + 1].name for t in toks[:tok.index]
                      if t.sentence == tok.sentence and t.norm in _FIRST_PERSON
                      and t.index + 1 in by_start]
            speaking = [name for sentence, name in voices if sentence <= tok.sentence]
            if acting or speaking:
                out.append(Mention(tok.index, tok.index, (acting or speaking)[-1]))
        return out

    @staticmethod
    def _choose_mentions(cands: list[Mention], gaps: dict[Mention, int] | None = None
                         ) -> list[Mention]:
        """Longer mentions first; of two as long, the one written word for word ("strided
        transposed convolution" is upsampling, not "strided ... convolution")."""
        gaps = gaps or {}
        cands = sorted(set(cands), key=lambda m: (-(m.last - m.first), gaps.get(m, 0), m.first,
                                                  m.name))
        taken: set[int] = set()
        chosen: list[Mention] = []
        for m in cands:
            span = set(m.tokens)
            if span & taken:
                continue
            taken |= span
            chosen.append(m)
        chosen.sort()
        return chosen

    def _drop_verbs(self, mentions: list[Mention]) -> list[Mention]:
        """A one-word mention right after another, or after "to" ("the detective judges",
        "D is judge the sample", "tries to judge"), or after a relative "who" ("the critic who
        judges") is a verb, not a second actor. Not after "which": a rubric's actor may be an
        action itself ("a backbone which downsamples it"), and "D, which judges" names D's
        role through its own word."""
        toks = self.analysis.tokens
        ends = {m.last for m in mentions}
        out = []
        for m in mentions:
            first, last = m.first, m.last
            j = first - 1
            while j >= 0 and (toks[j].norm in _HEAD_NOUNS or toks[j].norm in _AUXILIARIES):
                j -= 1
            # not across a line break or a table's cell bar: "| wants to |\n| Generator G |",
            # nor a spaced dash: "... fool the discriminator - discriminator: ..."
            apart = any(ch in toks[first].gap_before for ch in "\n|") or (
                _SPACED_DASH_RE.search(toks[first].gap_before) is not None)
            # a one-letter name is never a verb: "feed it to G to get a fake image"
            verb = first == last and not apart and len(toks[first].norm) > 1 and (
                (first > 0 and toks[first - 1].norm == "to"
                 and not self._done_by_people(first - 1) and not self._reason_for(first - 1))
                or (first > 0 and toks[first - 1].norm == "who")
                or (
                    j in ends
                    and not any(
                        ch in toks[k].gap_before for k in range(j + 1, first + 1)
                        for ch in ",;:.()\n|"
                    )
                )
            )
            # a name of several words after "to", its actor named just before in the sentence
            # ("upsampling is used to enlarge the maps again", where "enlarge ... again" is
            # also a name of the stage): what that actor is for, not a second mention
            prev = out[-1] if out else None
            verb = verb or (
                first < last and not apart and prev is not None and prev.name == m.name
                and toks[prev.last].sentence == toks[first].sentence
                and first > 0 and toks[first - 1].norm == "to"
                and not self._done_by_people(first - 1) and not self._reason_for(first - 1))
            if not verb:
                out.append(m)
        return out

    def _drop_predicates(self, mentions: list[Mention]) -> list[Mention]:
        """A name after "is a" / "'s a" whose subject is an actor or a pronoun says what kind of
        thing that actor is ("It's a VAE with a vector-valued latent", "VQ-VAE is a VAE whose
        latent is discrete"): the sentence stays about its subject. Not after a noun that names
        no actor ("the second half is an upsampling path ...": the stage is the subject)."""
        toks = self.analysis.tokens
        ends = {m.last for m in mentions}
        out = []
        for m in mentions:
            j = m.first - 1
            predicate = False
            if j >= 1 and toks[j].norm in ("a", "an") and toks[j - 1].sentence == toks[j].sentence:
                k = j - 1
                # past an adverb: "VQ-VAE is simply a VAE whose encoder ..."
                while k >= 2 and toks[k].norm in _PREDICATE_ADVERBS and (
                        toks[k - 1].sentence == toks[k].sentence):
                    k -= 1
                if re.search(r"['\u2019]s\s*$", toks[k + 1].gap_before):
                    subject = k                     # "it's a VAE"
                elif toks[k].norm in _COPULAS and k >= 1:
                    subject = k - 1                 # "VQ-VAE is a VAE"
                else:
                    subject = None
                predicate = subject is not None and (toks[subject].norm in _PRONOUNS
                                                     or subject in ends)
            if not predicate:
                out.append(m)
        return out

    def _drop_restatements(self, mentions: list[Mention]) -> list[Mention]:
        """A name of several words right after a name of the same actor ("upsampling enlarges
        them again", where "enlarges ... again" is also a name of the stage) says what the first
        one does: it is the predicate, not a second mention, and its words may state the
        purpose (:meth:`_drop_verbs` does this for one word). Only with nothing but a space
        between them: "decoder = expanding path", "VAE = Variational AutoEncoder" equate two
        names, and "upsampling (deconvolution)" or "upsampling, unpooling" name it twice."""
        toks = self.analysis.tokens
        out: list[Mention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if (prev is not None and prev.name == m.name and prev.last == m.first - 1
                    and m.last > m.first
                    and toks[m.first].sentence == toks[prev.last].sentence
                    and not toks[m.first].gap_before.strip(" \t")):
                continue
            out.append(m)
        return out

    def _reason_for(self, to: int) -> bool:
        """ "the reason to downsample is ...", "the main purpose to upsample": the word after
        this "to" is what the sentence gives the reason for, an actor of a rubric whose actors
        are operations."""
        toks = self.analysis.tokens
        return to >= 1 and toks[to - 1].norm in _REASON_NOUNS

    def _done_by_people(self, to: int) -> bool:
        """ "we have to upsample", "you need to pool": the word after this "to" is the
        operation people perform, an actor of a rubric whose actors are operations."""
        toks = self.analysis.tokens
        k = to - 1
        while k >= 0 and toks[k].norm in _PEOPLE_MODALS:
            k -= 1
        # ... or the network itself: "then it has to upsample", "the FCN needs to downsample"
        return k < to - 1 and k >= 0 and (toks[k].norm in _PEOPLE
                                           or toks[k].norm in _VERB_SUBJECTS)

    def closes_paren(self, last: int) -> bool:
        """A closing parenthesis right after token ``last``."""
        toks = self.analysis.tokens
        if last + 1 < len(toks):
            return ")" in toks[last + 1].gap_before
        return self.analysis.text[toks[last].end :].lstrip().startswith(")")

    def _is_subscript(self, index: int) -> bool:
        tok = self.analysis.tokens[index]
        return len(tok.norm) == 1 and index > 0 and any(ch in tok.gap_before for ch in "_^{")

    def _abbreviation(self, occ) -> bool:
        """A label written as an abbreviation in capitals ("DS", "US"), anywhere: "too costly
        -> DS", "also DS enlarges RF" (lower case, "us" is a pronoun)."""
        if occ.first != occ.last:
            return False
        toks = self.analysis.tokens
        tok = toks[occ.first]
        written = self.analysis.text[tok.start:tok.end]
        if "(" in tok.gap_before and self.closes_paren(occ.first):
            # a gloss of the words before it: "vector quantisation (VQ)"; not a model named
            # after its property: "discrete z (VQ) vs continuous gaussian z (VAE)"
            before = toks[max(occ.first - len(written), 0):occ.first]
            if "".join(t.norm[:1] for t in before) == written.lower():
                return False
        return 2 <= len(written) <= 3 and written.isalpha() and written.isupper()

    def _is_heading(self, first: int, last: int) -> bool:
        """A label opening a sentence or line and followed by a colon or a dash ("Up: ...")."""
        toks = self.analysis.tokens
        if last + 1 >= len(toks):
            return False
        gap = toks[last + 1].gap_before
        if any(arrow in gap for arrow in ("->", "\u2192")) and not gap.strip().startswith(","):
            return True  # "less compute up -> enlarge the maps": an arrow heads a note anywhere
        starts = first == 0 or toks[first - 1].sentence != toks[first].sentence
        starts = starts or "\n" in toks[first].gap_before
        # a bullet run on in the same line: "... (without it)  - up: recover ..."
        starts = starts or _INLINE_BULLET_RE.search(toks[first].gap_before) is not None
        # ... or a spaced dash before a label and its colon: "... fool D - discriminator: ..."
        starts = starts or (_SPACED_DASH_RE.search(toks[first].gap_before) is not None
                            and gap.strip().startswith(":"))
        # after an item's number: "(1) ↓: larger RF ... (2) ↑: back to the input size"
        starts = starts or (toks[first - 1].norm.isdigit() and ")" in toks[first].gap_before)
        if not starts and toks[first - 1].norm == "why" and not toks[first].gap_before.strip():
            # "why ↓: less memory", "Why upsample: ...": the heading asks for the label's reason
            starts = first == 1 or toks[first - 2].sentence != toks[first].sentence or (
                "\n" in toks[first - 1].gap_before) or (
                toks[first - 2].norm in {"q", "question"} and ":" in toks[first - 1].gap_before)
            if starts and gap.strip().startswith("?"):
                return True   # "Q: why down? A: cheaper": the question names the label
        if any(mark in gap for mark in (":", "=")) and any(
                ch in toks[first].gap_before for ch in ",;"):
            return True  # "down = context + efficiency, up = back to full res": a second note
        if not starts:
            return False
        if any(mark in gap for mark in (":", " - ", "->", "\u2013", "\u2014", "=")):
            return True
        # a bracketed aside between the label and its colon: "Down (left of fig.): ..."
        if _ASIDE_THEN_COLON_RE.match(self.analysis.text, toks[last].end):
            return True
        # "DS uses less memory. US increases ...": an abbreviation in capitals opening a
        # sentence is the label as a subject
        written = self.analysis.text[toks[first].start:toks[last].end]
        return first == last and written.isupper() and len(written) <= 3 and not gap.strip()

    def sentence_spans(self) -> dict[int, tuple[int, int]]:
        """First and last token index of each sentence."""
        if self._sentence_spans is None:
            spans: dict[int, tuple[int, int]] = {}
            for t in self.analysis.tokens:
                first, _ = spans.get(t.sentence, (t.index, t.index))
                spans[t.sentence] = (first, t.index)
            self._sentence_spans = spans
        return self._sentence_spans

    def clauses(self) -> list[int]:
        """Clause id per token for actor resolution: clauses also break before '<and|,> actor'."""
        if self._clause_ids is None:
            self._clause_ids = self._compute_clauses()
        return self._clause_ids

    def _compute_clauses(self) -> list[int]:
        toks = self.analysis.tokens
        ends = {m.first: m.last for m in self.mentions()}
        starts = set(ends)
        ids: list[int] = []
        current = 0
        prev_clause = -1
        opened = 0                  # the first token of the current clause
        for tok in toks:
            if tok.clause != prev_clause:
                current += 1
                prev_clause = tok.clause
                opened = tok.index
            elif tok.index in starts and "\n" in tok.gap_before:
                current += 1    # an actor opening a line: "cons: codebook collapse\nVAE\npros: ..."
                opened = tok.index
            elif (tok.norm in _SUBJECT_PRONOUNS and tok.index - 1 > opened
                  and not self._in_brackets(tok.index)
                  and toks[tok.index - 1].norm in _CLAUSE_OPENERS):
                # people opening a clause of their own: "pooling loses resolution and we need a
                # label per pixel, so we upsample": what they need is not the pooling's (not
                # when the clause has only just opened: "... is... so you need ...")
                current += 1
                opened = tok.index
            elif tok.index in starts:
                j = tok.index - 1
                # "..., and (in) the VAE ...", "..., and we (have to) upsample ...", "..., and
                # you let the generator ...": the actor opens a clause of its own
                # (past an epithet too: "..., and the standard VAE has a continuous one")
                while j >= 0 and (toks[j].norm in DETERMINERS or toks[j].norm in _PHRASE_LEADS
                                  or toks[j].norm in _EPITHETS
                                  or toks[j].norm in _PEOPLE_LEAD or toks[j].norm in _CAUSATIVE
                                  or toks[j].norm in _VERB_SUBJECTS
                                  or _MULTIPLIER_RE.match(toks[j].norm)):   # "we need 32x"
                    j -= 1
                if j >= 0 and toks[j].clause == tok.clause:
                    # (a comma or colon before the determiners too: "like this: a VAE ...")
                    if (toks[j].norm in _CLAUSE_OPENERS and not self._compared_heading(
                            j, ends[tok.index])) or _contrast_opener(toks, j) or any(
                        ch in toks[k].gap_before for k in range(j + 1, tok.index + 1)
                        for ch in ",:"
                    ) or (
                        # a run-on's next clause, opened by its own subject right after a
                        # noun: "since we want a label per pixel we upsample ..." (not after
                        # the purpose it serves: "to save computation we downsample")
                        not toks[j].is_stop and not toks[j].is_cue
                        and any(toks[k].norm in _SUBJECT_PRONOUNS and not self._in_brackets(k)
                                for k in range(j + 1, tok.index))
                        and not self._purpose_opened(j)
                    ) or self._opened_past_adverbial(j, tok.index):
                        current += 1
                        opened = tok.index
            ids.append(current)
        return ids

    def _opened_past_adverbial(self, j: int, first: int) -> bool:
        """Whether the actor at ``first`` opens a clause after a comma, its opener and a short
        phrase of time ("..., so over time the generator learns ...", "..., so that in the end
        the discriminator ..."): up to :data:`_ADVERBIAL_WORDS` words, each of
        :data:`_TIME_PHRASE` (not "..., and that is what upsampling gives us", nor "..., and gets
        a reward whenever the discriminator ...")."""
        toks = self.analysis.tokens
        for k in range(max(j - _ADVERBIAL_WORDS + 1, 0), j):
            if (toks[k].norm in _CLAUSE_OPENERS and toks[k].clause == toks[first].clause
                    and any(ch in toks[k].gap_before for ch in ",;")
                    and all(toks[m].norm in _TIME_PHRASE or toks[m].norm in DETERMINERS
                            or (toks[m].norm == "that" and m == k + 1 and toks[k].norm == "so")
                            for m in range(k + 1, j + 1))
                    and not any(ch in toks[m].gap_before for m in range(k + 1, first + 1)
                                for ch in ",;:()")):
                return True
        return False

    def _compared_heading(self, j: int, last: int) -> bool:
        """Whether "vs" at token ``j`` only sets two parts side by side ("downsample vs
        upsample -> down = cheaper ...", "no extra params vs a normal conv") rather than
        opening a clause about the part after it ("VAE z continuous vs VQ-VAE z discrete"):
        the part it names ends the clause or is followed by an arrow, a colon or an equals
        sign."""
        toks = self.analysis.tokens
        if toks[j].norm not in _VERSUS:
            return False
        if last + 1 >= len(toks) or toks[last + 1].clause != toks[last].clause:
            return True
        return any(mark in toks[last + 1].gap_before for mark in ("->", "\u2192", ":", "="))

    def _in_brackets(self, j: int) -> bool:
        """Whether token ``j`` stands inside brackets ("z ~ N(0, I)": no person)."""
        text, start = self.analysis.text, self.analysis.tokens[j].start
        return text.count("(", 0, start) > text.count(")", 0, start)

    def _purpose_opened(self, j: int) -> bool:
        """Whether token ``j``'s clause opens on a purpose ("to save computation ...", "in
        order to ...", "for speed ...")."""
        toks = self.analysis.tokens
        k = j
        while k > 0 and toks[k - 1].clause == toks[j].clause:
            k -= 1
        return toks[k].norm in ("to", "for") or (
            toks[k].norm == "in" and k + 1 < len(toks) and toks[k + 1].norm == "order")

    def is_object(self, first: int) -> bool:
        """The mention starting at ``first`` follows an object marker ("fool the D"); not across
        a comma or colon ("easier to compute with, upsampling makes it big")."""
        toks = self.analysis.tokens
        j = first - 1
        # past determiners and a plain epithet: "like a normal VAE", "than the standard VAE"
        # (not across a dash: "... to a standard normal - VQ-VAE: ...")
        while j >= 0 and (toks[j].norm in DETERMINERS or toks[j].norm in _EPITHETS) and (
                not toks[j + 1].gap_before.strip()):
            j -= 1
        if j < 0 or toks[j].sentence != toks[first].sentence:
            return False
        if any(ch in toks[k].gap_before for k in range(j + 1, first + 1) for ch in ",;:"):
            return False
        if toks[j].norm == "to" and (self._done_by_people(j) or self._reason_for(j)):
            return False  # "we have to upsample": an infinitive, not "to the decoder"
        if toks[j].norm in ("by", "after") and (
            j == 0 or toks[j - 1].sentence != toks[j].sentence
            or any(ch in toks[j].gap_before for ch in ",;:(\n")
            # a means after a clause's first word ("so by pooling we ..."), not a time ("so
            # after downsampling we must upsample": the upsampling acts)
            or (toks[j].norm == "by" and toks[j - 1].norm in _CLAUSE_LEADS)
        ):
            # "By pooling(,) the network sees more": the means opening a clause acts; "After
            # pooling, the field is larger" (but "the output after downsampling is small")
            return False
        if toks[j].norm == "with" and (
            j == 0 or toks[j - 1].sentence != toks[j].sentence
            or any(ch in toks[j].gap_before for ch in ",;:\n")
            or toks[j - 1].norm in _CLAUSE_LEADS
        ):
            # "With a VQ-VAE your latent is discrete": the model a sentence opens on; "the
            # motivation is that with downsampling the network sees more": a clause opens on it
            return False
        if toks[j].norm in _VERSUS and self.clauses()[first] != self.clauses()[j]:
            return False    # the second side of a comparison, with a clause of its own
        return toks[j].norm in _OBJECT_MARKERS or toks[j].stem in self._object_markers

    def _gloss_owner(self, anchor: int, mentions: list[Mention]) -> Mention | None:
        """The actor named right before the bracket ``anchor`` stands in, when nothing else in
        the bracket names one ("the VQ-VAE (nearest codebook vectors)")."""
        toks = self.analysis.tokens
        by_last = {m.last: m for m in mentions}
        j = anchor
        while j > 0 and toks[j].sentence == toks[anchor].sentence:
            gap = toks[j].gap_before
            if ")" in gap:
                return None          # the bracket closed before the anchor
            if "(" in gap:
                owner = by_last.get(j - 1)
                if owner is None:
                    return None
                k = anchor + 1
                while k < len(toks) and ")" not in toks[k].gap_before:
                    if any(m.first == k for m in mentions):
                        return None  # another actor named inside the bracket
                    k += 1
                return owner
            j -= 1
        return None

    def _after_versus(self, first: int) -> bool:
        """The mention starting at ``first`` follows "vs" or "versus" (past determiners)."""
        toks = self.analysis.tokens
        j = first - 1
        while j >= 0 and toks[j].norm in DETERMINERS:
            j -= 1
        return j >= 0 and toks[j].norm in _VERSUS

    def _relative_after(self, last: int) -> int | None:
        """Index of a relative pronoun right after an actor mention ("D, which ..."), else None."""
        toks = self.analysis.tokens
        j = last + 1
        if j < len(toks) and toks[j].norm in _RELATIVE and toks[j].sentence == toks[last].sentence:
            # (not a relative on the whole clause before it: "D has more parameters than
            # standard conv, which is why it gets a larger field", "..., which means ...")
            after = [t.norm for t in toks[j + 1:j + 3]]
            if after[:2] in (["is", "why"], ["was", "why"]) or after[:1] == ["means"]:
                return None
            return j
        return None

    def actor(self, anchor: int) -> str | None:
        """Which actor performs the action at token ``anchor``: the rubric's default actor when
        the answer names none, None when unknown."""
        found = self.subject(anchor)
        return found.name if found is not None else self.rubric.settings.default_actor

    def subject(self, anchor: int) -> Mention | None:
        """The actor mention resolved as the subject of the action at ``anchor`` (or None).

        A subject coordinated with another actor ("downsampling and upsampling are ...") names
        no one actor: it comes back with the name ``JOINT``, which no phrasing's actor matches.
        """
        found = self._subject(anchor)
        if found is not None and self.coordinated(found):
            return found._replace(name=JOINT)
        return found

    def coordinated(self, mention: Mention, mentions: list[Mention] | None = None) -> bool:
        """The mention is joined by "and" / "or" / "&" to a mention of another actor, with only
        determiners between ("the encoder and the decoder", "G and D")."""
        toks = self.analysis.tokens
        mentions = self.mentions() if mentions is None else mentions
        ends = {m.last: m for m in mentions}
        starts = {m.first: m for m in mentions}
        # "the encoder is doing downsampling and the decoder is doing upsampling": each names
        # its actor twice, as subject and as what it does; two clauses, not one joint subject
        k = mention.last + 1
        while k < len(toks) and (toks[k].norm in _AUXILIARIES or toks[k].norm in _DOING
                                 or toks[k].norm in DETERMINERS):
            k += 1
        if k > mention.last + 1 and k in starts and starts[k].name == mention.name:
            return False
        k = mention.first - 1
        while k >= 0 and (toks[k].norm in _AUXILIARIES or toks[k].norm in _DOING
                          or toks[k].norm in DETERMINERS):
            k -= 1
        if k < mention.first - 1 and k in ends and ends[k].name == mention.name:
            return False

        def joined(left: int, right: int) -> bool:
            between = toks[left + 1 : right]
            if any(ch in toks[k].gap_before for k in range(left + 1, right + 1) for ch in ",;:.()"):
                return False
            words = [t.norm for t in between]
            return (sum(w in _COORDINATORS for w in words) == 1
                    and all(w in _COORDINATORS or w in DETERMINERS for w in words))

        def governed(left: Mention, right: Mention) -> bool:
            # the left one the object of a preposition and the right one followed by its verb
            # ("the encoder downsamples with pooling layers and the decoder upsamples it"):
            # "and" opens a clause of its own (not "using generator and discriminator
            # networks", two objects)
            k = left.first - 1
            while k >= 0 and toks[k].norm in DETERMINERS:
                k -= 1
            j = right.last + 1
            return (k >= 0 and toks[k].norm in _GOVERNING_PREPOSITIONS
                    and j < len(toks) and toks[j].sentence == toks[right.last].sentence
                    and not any(ch in toks[j].gap_before for ch in ",;:.()")
                    and toks[j].norm not in _HEAD_NOUNS and not toks[j].is_stop)

        for k in range(mention.first - 1, max(mention.first - 4, -1), -1):
            other = ends.get(k)
            if other is not None:
                if (other.name != mention.name and joined(other.last, mention.first)
                        and not governed(other, mention)):
                    return True
                break
        for k in range(mention.last + 1, min(mention.last + 4, len(toks))):
            other = starts.get(k)
            if other is not None:
                return (other.name != mention.name and joined(mention.last, other.first)
                        and not governed(mention, other))
        return False

    def _subject(self, anchor: int) -> Mention | None:
        toks = self.analysis.tokens
        mentions = [m for m in self.mentions() if not (m.first <= anchor <= m.last)]
        if not mentions:
            return None
        by_start = {m.first: m for m in mentions}
        # 0. named in parentheses right after the action: "one is continuous (VAE)",
        #    "continuous gaussian latent (VAE)"
        for j in range(anchor + 1, min(anchor + 4, len(toks))):
            if toks[j].sentence != toks[anchor].sentence:
                break
            if "(" in toks[j].gap_before:
                m = by_start.get(j)
                if m is not None and self.closes_paren(m.last):
                    return m
                break
        # 0b. the actor after "in" / "for" right after the action: "discrete in VQ-VAE vs
        #     continuous in VAE", "a continuous Gaussian in the VAE"
        #     ("continuous latent in VAE": past up to two words of the property's noun)
        j = anchor + 1
        mention_at = {t for m in mentions for t in m.tokens}
        for _ in range(2):
            if (j < len(toks) and toks[j].norm not in ("in", "for") and not toks[j].is_stop
                    and toks[j].norm not in _COMPARISON_WORDS     # "continuous like in VAE"
                    and j not in mention_at and toks[j].sentence == toks[anchor].sentence
                    and not any(ch in toks[j].gap_before for ch in ",;:()")):
                j += 1
        if j < len(toks) and toks[j].sentence == toks[anchor].sentence and toks[j].norm in (
                "in", "for") and not any(ch in toks[j].gap_before for ch in ",;:("):
            k = j + 1
            while k < len(toks) and toks[k].norm in DETERMINERS:
                k += 1
            if k in by_start and not self.is_object(k):
                return by_start[k]
        # 0a. inside a gloss opened right after an actor: "discrete for the VQ-VAE (nearest
        #     codebook vectors)"
        gloss = self._gloss_owner(anchor, mentions)
        if gloss is not None:
            return gloss
        # 0c. a cell of a table whose header row names an actor per column
        column = self._column_actor(anchor, mentions)
        if column is not None:
            return column
        # 1. passive: "<action> by (the) <actor>"; further on when the clause is in the passive
        #    voice ("samples are generated from random noise by the generator", "the
        #    restoration of the resolution is then performed by upsampling")
        passive = any(toks[j].norm in _BE for j in range(max(anchor - 2, 0), anchor)
                      if toks[j].sentence == toks[anchor].sentence)
        for j in range(anchor + 1, min(anchor + 12, len(toks))):
            if toks[j].sentence != toks[anchor].sentence or j in mention_at or (
                    j > anchor + 3 and (any(ch in toks[j].gap_before for ch in ",;:(")
                                        or toks[j].norm in _NESTED_OPENERS)):
                break     # not into a nested clause: "decides whether it was made by G"
            passive = passive or toks[j].norm in _BE
            if _by_as_for(toks[j]):
                break     # a new phrase, no passive agent (see _PHRASE_LEADS)
            if toks[j].norm == "by":
                k = j + 1
                while k < len(toks) and toks[k].norm in DETERMINERS:
                    k += 1
                if k in by_start and (j <= anchor + 3 or passive):
                    return by_start[k]
                break
        clause_of = self.clauses()
        clause = clause_of[anchor]
        in_clause = [m for m in mentions if clause_of[m.first] == clause]
        # 2. relative clause: "<actor>, which <action>" up to the next comma
        for mention in reversed([m for m in in_clause if m.last < anchor]):
            rel = self._relative_after(mention.last)
            if rel is None or rel > anchor:
                continue
            if not self._breaks_outside_brackets(rel + 1, anchor + 1):
                return mention
        # 2b. an actor right before the action, with only auxiliaries between ("D cannot tell")
        before = [m for m in in_clause if m.last < anchor]
        if before:
            first, last, _name = before[-1]
            between = toks[last + 1 : anchor]
            if (
                all(t.norm in _AUXILIARIES or t.norm in _HEAD_NOUNS for t in between)
                and not any(
                    ch in t.gap_before for t in toks[last + 1 : anchor + 1] for ch in ",;:("
                )
                # the second side of a comparison has its own property: "VQ-VAE discrete vs
                # VAE continuous"
                and (not self.is_object(first) or self._after_versus(first))
            ):
                return before[-1]
        # 2c. an actor in the passive right before the action does it: "the downsampled
        #     prediction has to be upsampled to the original resolution" (the first actor of
        #     the clause is what is acted on)
        if before:
            first, last, _name = before[-1]
            if (first > 0 and toks[first - 1].norm in _BE and clause_of[first - 1] == clause
                    and first == last and toks[first].norm.endswith("ed")   # not "X is VQ-VAE"
                    and anchor - last <= 4
                    and not any(ch in t.gap_before for t in toks[first : anchor + 1]
                                for ch in ",;:(")):
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
            if self.is_object(first) and self._relative_after(last) is None:
                continue
            if any(a <= first <= b for a, b in relative_regions):
                continue
            return mention
        # 4. a pronoun subject: the subject of an earlier clause; a pronoun for the pair
        #    as one ("together they ...") names no one actor
        pronouns = [j for j in range(anchor)
                    if toks[j].norm in _PRONOUNS and clause_of[j] == clause]
        if pronouns:
            earlier = self._earlier_subject(mentions, clause_of, clause, same_sentence_only=False)
            if earlier is not None and any(self._pair_pronoun(j) for j in pronouns):
                return earlier._replace(name=JOINT)
            if earlier is not None:
                return earlier
            # no antecedent found: "This is good because ..." may still give the previous
            # sentence's purpose (6d)
            return self._purpose_of_previous(anchor, mentions)
        # 5. the actor named after the action in the same clause ("... is the critic's job")
        for mention in in_clause:
            if mention.first > anchor and not self.is_object(mention.first):
                return mention
        # 5b. a clause with people for its subject gives the reason of the stage its
        #     consequence names ("pooling loses resolution and we need a label map at the
        #     input's size, so we upsample"), not of the previous clause's actor
        if any(toks[j].norm in _SUBJECT_PRONOUNS and clause_of[j] == clause
               and not self._in_brackets(j) for j in range(anchor)):
            following = self._following_subject(anchor, mentions, clause_of)
            if following is not None:
                return following
        # 6. an elided subject ("... is not sampled but looked up"): the previous clause's subject
        earlier = self._earlier_subject(mentions, clause_of, clause, same_sentence_only=True)
        if earlier is not None:
            return earlier
        # 6b. a note heading's item runs on over semicolons, to the end of its line or sentence
        #     ("- down: trade resolution for depth; fewer activations, larger field")
        heading = self._heading_of_line(anchor, mentions) or self._section_heading(
            anchor, mentions)
        if heading is not None:
            return heading
        # 6c. the answer to a question the student asks first ("Why downsample? -> a bigger
        #     receptive field", "Q: motivation for upsampling? A: to label every pixel")
        question = self._question_subject(anchor, mentions)
        if question is not None:
            return question
        # 6d. a sentence giving the purpose of what the previous one described ("The image goes
        #     through pooling. The motivation is to reduce computation.")
        previous = self._purpose_of_previous(anchor, mentions)
        if previous is not None:
            return previous
        # 7. a reason given before its actor: "the output must be H x W; that is why the decoder
        #    upsamples" (the next clause of the sentence opens with "that is why", "so", ...)
        return self._following_subject(anchor, mentions, clause_of)

    def _purpose_of_previous(self, anchor: int, mentions: list[Mention]) -> Mention | None:
        """The actor of the previous sentence, when the anchor's sentence names none and opens on
        its purpose ("The motivation is ...", "The reason for this is ..."), and the previous
        sentence names one actor only."""
        toks = self.analysis.tokens
        sentence = toks[anchor].sentence
        if sentence == 0 or any(toks[m.first].sentence == sentence for m in mentions):
            return None
        spans = self.sentence_spans()
        k = spans[sentence][0]
        while k < anchor and toks[k].norm in DETERMINERS:
            k += 1
        # "The motivation is", "The purpose of this is", "The reason for it was"
        opens = k < anchor and toks[k].norm in _PURPOSE_NOUNS and any(
            t.norm in _BE for t in toks[k + 1 : min(k + 5, anchor)])
        # ... or on a verdict with its reason: "This is good because the deep features ...",
        # "That is needed since ..."
        first = spans[sentence][0]
        opens = opens or (
            first + 3 < anchor and toks[first].norm in ("this", "that", "it")
            and toks[first + 1].norm in _BE and toks[first + 2].norm in _VERDICTS
            and toks[first + 3].norm in ("because", "since", "as"))
        if opens:
            back = 1
        else:
            # the reasons a sentence announced, given one by one in the next two: "Downsampling
            # has two reasons. First the maps become smaller, so ... Second ..."
            back = next((b for b in (1, 2) if sentence - b in spans and any(
                t.norm in _ANNOUNCED_PURPOSES
                for t in toks[spans[sentence - b][0] : spans[sentence - b][1] + 1])), 0)
            if not back or any(toks[m.first].sentence in range(sentence - back + 1, sentence)
                               for m in mentions):
                return None
        said = sentence - back
        before = [m for m in mentions if toks[m.first].sentence == said
                  and not self.is_object(m.first)]
        before = before or [m for m in mentions if toks[m.first].sentence == said]
        if not before or len({m.name for m in before}) != 1:
            return None
        return before[-1]

    def _breaks_outside_brackets(self, lo: int, hi: int) -> bool:
        """A comma or semicolon before a token in ``lo..hi-1`` that no bracket encloses: a
        relative clause runs on past "N(mu, sigma)" but not past ", maps each ..."."""
        toks = self.analysis.tokens
        depth = 0
        for j in range(lo, hi):
            for ch in toks[j].gap_before:
                if ch in "([":
                    depth += 1
                elif ch in ")]":
                    depth = max(depth - 1, 0)
                elif ch in ",;" and depth == 0:
                    return True
        return False

    def _pair_pronoun(self, j: int) -> bool:
        """Whether the pronoun at ``j`` stands for two actors as one: "together they",
        "they together", "combined they", or a subject its clause makes reciprocal ("they
        compete with each other", "they train against one another")."""
        toks = self.analysis.tokens
        if toks[j].norm not in _PLURAL_PRONOUNS:
            return False
        if any(toks[k].norm in _PAIR_WORDS for k in (j - 1, j + 1)
               if 0 <= k < len(toks) and toks[k].sentence == toks[j].sentence):
            return True
        clause = [t for t in toks[j + 1:] if t.clause == toks[j].clause]
        return any((a.norm, b.norm) in _RECIPROCALS for a, b in zip(clause, clause[1:]))

    def _heading_of_line(self, anchor: int, mentions: list[Mention]) -> Mention | None:
        """The note heading whose item ``anchor`` is in: no other actor named between them, and
        only semicolons between (no line break, no full stop)."""
        toks = self.analysis.tokens
        before = [m for m in mentions if m.last < anchor]
        if not before:
            return None
        last = before[-1]
        gaps = [toks[j].gap_before for j in range(last.last + 1, anchor + 1)]
        if any("\n" in gap for gap in gaps):
            return None
        # a heading opening its line or bullet ("- Downsampling: ... . Reducing the resolution
        # makes it cheaper ...") is the subject of every sentence of that line
        if any(ch in gap for gap in gaps for ch in ".!?") and not self._opens_line(last.first):
            return None
        return last if self._is_heading(last.first, last.last) else None

    def _opens_line(self, first: int) -> bool:
        """Whether the mention starting at ``first`` opens its line, after a bullet at most."""
        text = self.analysis.text
        at = self.analysis.tokens[first].start
        prefix = text[text.rfind("\n", 0, at) + 1:at]
        return re.fullmatch(r"[ \t]*(?:[-*\u2022+>]|\d+[.)])?[ \t]*(?:\*\*|__)?[ \t]*",
                            prefix) is not None

    def _column_actor(self, anchor: int, mentions: list[Mention]) -> Mention | None:
        """In a pipe table ("| | VAE | VQ-VAE |" then rows), the actor named in the header cell
        above the anchor's cell or, when that header names no one actor, in the first cell of
        the anchor's row ("| Generator G | noise z | ..."); None outside tables or when neither
        names one actor."""
        text = self.analysis.text
        at = self.analysis.tokens[anchor].start
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[start:end].count("|") < 2:
            return None
        column = text[start:at].count("|")
        # the table's first row: go up while the lines are table rows
        top = start
        while top > 0:
            prev = text.rfind("\n", 0, top - 1) + 1
            if text[prev:top - 1].count("|") < 2:
                break
            top = prev
        if top == start:
            return None                       # the anchor is in the header row itself
        head_end = text.find("\n", top)
        cells = [m.start() for m in re.finditer(r"\|", text[top:head_end])]
        if column < 1 or column > len(cells) - 1 + (not text[top:head_end].rstrip().endswith("|")):
            return None
        lo = top + cells[column - 1]
        hi = top + cells[column] if column < len(cells) else head_end
        inside = self._mentions_between(mentions, lo, hi)
        if len({m.name for m in inside}) == 1:
            return inside[0]
        # no one actor heads the column: the row's first cell may name it ("| Generator G |
        # noise z | fake image |"), for the cells after it
        bars = [m.start() for m in re.finditer(r"\|", text[start:end])]
        if not text[start:start + bars[0]].strip() and len(bars) >= 2:
            first_cell = (start + bars[0], start + bars[1])     # "| Generator G | ..."
        else:
            first_cell = (start - 1, start + bars[0])           # "Generator G | ..."
        if at < first_cell[1]:
            return None
        named = self._mentions_between(mentions, *first_cell)
        return named[0] if len({m.name for m in named}) == 1 else None

    def _mentions_between(self, mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
        """The mentions wholly between characters ``lo`` and ``hi``."""
        toks = self.analysis.tokens
        return [m for m in mentions if lo < toks[m.first].start and toks[m.last].end <= hi]

    def _section_heading(self, anchor: int, mentions: list[Mention]) -> Mention | None:
        """The actor named by a heading line above ``anchor`` ("**Downsampling**", "# Why
        upsample", "VAE:" alone on its line) or by a sentence that is only its name ("Slide:
        VQ-VAE."), when it is the last actor named before it: the bullets under a heading are
        about it, up to the next heading."""
        toks = self.analysis.tokens
        text = self.analysis.text
        before = [m for m in mentions if m.last < anchor]
        if not before:
            return None
        last = before[-1]
        # a sentence that is only the name, a heading run into the text: "Slide: VQ-VAE. The
        # encoder output is quantised ..."
        own = [t for t in toks if t.sentence == toks[last.first].sentence]
        if (toks[anchor].sentence > own[-1].sentence and len(own) <= 4
                and own[-1].index == last.last and own[0].index >= (before[-2].last + 1
                                                                    if len(before) > 1 else 0)
                and "|" not in text[own[0].start:own[-1].end]):
            return last     # (one name alone: "Generator vs discriminator." heads no one)
        start = text.rfind("\n", 0, toks[last.first].start) + 1
        end = text.find("\n", toks[last.last].end)
        if end < 0 or end >= toks[anchor].start:
            return None                      # the anchor is on the heading's own line
        words = [t for t in toks if start <= t.start and t.end <= end]
        if (len(words) > 4 or any(t.sentence != words[0].sentence for t in words)
                or "|" in text[start:end]):      # a table's header row is no heading
            return None
        return last

    def _question_subject(self, anchor: int, mentions: list[Mention]) -> Mention | None:
        """The one actor of the question the student asked just before ``anchor``'s sentence
        ("Why downsample?"), up to three sentences back, when no actor is named since: the
        sentences after a question answer it."""
        toks = self.analysis.tokens
        text = self.analysis.text
        sentence = toks[anchor].sentence
        spans = self.sentence_spans()
        for back in range(1, 4):
            asked = sentence - back
            if asked not in spans:
                return None
            if any(toks[m.first].sentence == asked + 1 for m in mentions) and back > 1:
                return None  # an actor named in a sentence between
            start, end = spans[asked]
            gap = text[toks[end].end : toks[end + 1].start] if end + 1 < len(toks) else ""
            if "?" not in gap or ")" in gap:
                continue      # not a hedge in brackets: "no posterior collapse (I think?)"
            words = [t.norm for t in toks[start : end + 1]]
            if len(words) > 3 and not _QUESTION_WORDS.intersection(words):
                continue      # "Why downsample?", "Q: motivation for upsampling?", "Upsampling?"
            named = [m for m in mentions if toks[m.first].sentence == asked]
            if named and len({m.name for m in named}) == 1:
                return named[-1]
            return None
        return None

    def _following_subject(
        self, anchor: int, mentions: list[Mention], clause_of: list[int]
    ) -> Mention | None:
        """The actor of a later clause that gives the reason as its consequence: "the output must
        be H x W; that is why the decoder upsamples", "the output has the input's size, every
        pixel needs a label, so upsampling is needed" (up to three clauses on in the sentence,
        or the next sentence's first clause: "... is too much. So we downsample ...", but not
        after "So, ...", which is often only a filler)."""
        toks = self.analysis.tokens
        clause = clause_of[anchor]
        # a purpose put first: "In order that semantic features be learned cheaply, downsampling
        # is employed", "To label every pixel, the decoder upsamples"
        opening, _ = self.sentence_spans()[toks[anchor].sentence]
        lead = [t.norm for t in toks[opening : opening + 2]]
        if clause_of[opening] == clause and (
                lead[:2] in (["in", "order"], ["so", "that"]) or lead[:1] == ["to"]):
            for m in mentions:
                # the main clause right after the comma ("..., we downsample"), not the next
                # step of a sequence ("to reduce the size, then upsample to ...")
                comma = next((k for k in range(anchor + 1, m.first + 1)
                              if "," in toks[k].gap_before), None)
                opens = comma is not None and all(
                    (t.norm in DETERMINERS or t.norm in _PEOPLE_LEAD or t.norm in _VERB_SUBJECTS)
                    and t.norm not in ("then", "first", "also")
                    for t in toks[comma : m.first])
                if (m.first > anchor and toks[m.first].sentence == toks[anchor].sentence
                        and clause_of[m.first] == clause + 1 and opens
                        and not self.is_object(m.first)):
                    return m
        j = anchor + 1
        for hop in range(3):
            while j < len(toks) and clause_of[j] == clause:
                j += 1
            if j >= len(toks):
                return None
            next_sentence = (toks[j].sentence != toks[anchor].sentence
                             and ";" not in toks[j].gap_before)
            if next_sentence and (hop > 0 or toks[j].sentence != toks[anchor].sentence + 1):
                return None
            words = [t.norm for t in toks[j : j + 3]]
            if next_sentence and words[:1] == ["so"] and (
                    len(words) < 2 or "," in toks[j + 1].gap_before):
                return None  # a sentence opening with "So, ..." is often only a filler
            # the clause opens at its actor, so its "so" may close the clause before it
            k = j - 1      # past "we (must)" in "so we must upsample", "the FCN" in "so the FCN
            while k > 0 and (toks[k].norm in _PEOPLE_LEAD    # upsamples"
                             or toks[k].norm in _VERB_SUBJECTS or toks[k].norm in DETERMINERS):
                k -= 1
            opener = toks[k].norm if not next_sentence else ""
            if (
                words[:1] in (["so"], ["hence"], ["therefore"], ["thus"])
                or opener in {"so", "hence", "therefore", "thus"}
                or (
                    len(words) >= 2
                    and words[0] in {"that", "this", "which"}
                    # "that's why" is read "that why"
                    and (words[1:3] == ["is", "why"] or words[1] == "why")
                )
            ):
                for m in mentions:
                    # "so we downsample": the people before the stage are no clause of theirs
                    lead = all(t.norm in _PEOPLE_LEAD or t.norm in _CONSEQUENCE
                               or t.norm in _VERB_SUBJECTS for t in toks[j:m.first])
                    if ((clause_of[m.first] == clause_of[j] or lead) and m.first >= j
                            and not self.is_object(m.first)):
                        return m
                return None
            if next_sentence or any(clause_of[m.first] == clause_of[j] for m in mentions):
                return None  # another actor's clause stands between
            clause = clause_of[j]
        return None

    def _earlier_subject(
        self,
        mentions: list[Mention],
        clause_of: list[int],
        clause: int,
        same_sentence_only: bool,
    ) -> Mention | None:
        toks = self.analysis.tokens
        sentence = next((t.sentence for t in toks if clause_of[t.index] == clause), -1)
        for earlier in range(clause - 1, 0, -1):
            for mention in mentions:
                if clause_of[mention.first] != earlier:
                    continue
                if same_sentence_only and toks[mention.first].sentence != sentence:
                    return None
                if not self.is_object(mention.first):
                    return mention
        return None

    # ------------------------------------------------------------------ actions
    def straddles_other_actor(self, anchor: int, tokens: tuple[int, ...], actor: str) -> bool:
        """True when a matched word lies in another actor clause whose subject is not ``actor``."""
        clause_of = self.clauses()
        home = clause_of[anchor]
        for t in tokens:
            if clause_of[t] == home:
                continue
            other = self.subject(t)
            if other is not None and other.name != actor:
                return True
        return False


__all__ = ["Actors", "Mention"]
