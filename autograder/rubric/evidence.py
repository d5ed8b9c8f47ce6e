"""The evidence behind a mark, beyond the phrasings that earned it: what the review flag weighs
(``review.py``) and the two rules that take marks away after matching.

* ``near_miss``: every word of a concept's phrasing is in the answer, but not in one statement;
* ``uncredited_terms``: on-topic words no credited concept used (a paraphrase the rubric missed);
* ``apply_misconceptions``: a stated misconception cancels the concepts it names;
* ``apply_role_swap``: roles stated with the actors swapped withdraw what was said through them.

Concept results are changed in place (``withdraw`` keeps the reason for staff). This module must
not decide marks otherwise, read files, or put a rubric's phrasings into student feedback.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .matcher import Match, MatchContext
from .model import Concept, Rubric
from .text import Analysis

if TYPE_CHECKING:
    from .engine import ConceptResult


def quote(analysis: Analysis, tokens: tuple[int, ...]) -> str:
    """The answer's own words at these tokens, quoted and bounded (for staff reasons)."""
    if not tokens:
        return "''"
    toks = analysis.tokens
    text = " ".join(analysis.as_written[toks[min(tokens)].start: toks[max(tokens)].end].split())
    return repr(text if len(text) <= 60 else text[:57] + "...")


def names_actor(rubric: Rubric, match: Match) -> bool:
    """Whether a match binds an actor or has a slot that is an actor's own pattern."""
    if match.phrasing.actor is not None or match.actor_tokens:
        return True
    actor_slots = {slot.source for _, slot in rubric.actors}
    return any(slot.source in actor_slots for slot in match.phrasing.slots)


def withdraw(concept: ConceptResult, note: str, feedback: str | None = None) -> None:
    """Take a concept's marks away (misconception, role swap), keeping why for staff and, in
    ``strength["withdrew"]``, the share of its marks it had earned (read by the review model)."""
    had = concept.earned
    if had > 0 and concept.marks:
        concept.strength["withdrew"] = max(concept.strength.get("withdrew", 0.0),
                                           had / concept.marks)
    concept.earned, concept.matched, concept.spans, concept.evidence = 0.0, False, [], []
    concept.notes.append(note)
    if feedback:
        concept.feedback = feedback
    if had > 0:
        concept.confidence = min(concept.confidence, 0.7)


# A writer taking back what they just wrote: English, not the assignment's.
_RETRACTION_RE = re.compile(
    r"\b(?:scratch that|strike that|no,? wait|wait,? no|actually,? no|no,? actually|"
    r"i take (?:that|it) back|ignore (?:that|the above|what i (?:just )?(?:said|wrote))|"
    # a reply: "... D judges them? TA: Other way round."
    r"(?<=: )other way (?:a)?round|"
    r"correction\s*:|i was wrong|(?:that'?s|that is) wrong|never ?mind|no,? sorry|sorry,? no|"
    # spoken corrections: "VAE has a discrete - sorry, I mean VQ-VAE ...", "the latent is
    # continuous - no, discrete, sorry, discrete"
    r"sorry,? i mean(?:t)?|no,\s+\w+(?:[ -]\w+)?,\s+sorry|"
    # "At first I thought the VAE is the discrete one, but no: ..."
    r"but,? no(?=\s*[:;,\u2013\u2014-])|"
    # "VAE's latent is discrete, no sorry, it's the other way around: ..."
    r"(?:no|sorry|wait|oops)\W+(?:sorry\W+)?(?:it'?s|it is|its) the other way (?:a)?round)\b",
    re.IGNORECASE)


def retracted(analysis: Analysis, tokens: tuple[int, ...]) -> bool:
    """Whether the writer takes back the statement at ``tokens`` later in its sentence or in
    the next one ("... like an autoencoder. Hmm, no, scratch that: ...")."""
    if not tokens:
        return False
    toks = analysis.tokens
    last = toks[max(tokens)]
    after = [t for t in toks[last.index + 1:] if t.sentence <= last.sentence + 1]
    if not after:
        return False
    return _RETRACTION_RE.search(analysis.text, last.end, after[-1].end) is not None


# The writer's remark to the marker about the answer itself, closing it ("I wrote about the
# generator fooling the discriminator, so full marks?", "I think I covered the larger field"):
# what it says the answer holds is not said by it.
_ABOUT_THE_ANSWER_OPENS = re.compile(
    r"\W*(?:so\W+|and\W+|also\W+)?i\W+(?:(?:think|believe|hope|guess|feel)\W+(?:that\W+)?i\W+)?"
    r"(?:have\W+|'ve\W+)?(?:wrote|written|covered|mentioned|explained|talked|discussed|"
    r"included|described|answered|addressed)\b", re.IGNORECASE)
_ASKS_FOR_MARKS = re.compile(r"\b(?:full|all\s+the|the)\s+marks?\b", re.IGNORECASE)


def about_the_answer(analysis: Analysis, tokens: tuple[int, ...]) -> bool:
    """Whether the statement at ``tokens`` is in the answer's closing remark to the marker
    about what the answer holds (its last sentence, opened by "I wrote / covered / mentioned
    ..." or asking for the marks), not a statement of the point."""
    if not tokens:
        return False
    toks = analysis.tokens
    sentence = toks[min(tokens)].sentence
    if sentence != toks[-1].sentence or toks[max(tokens)].sentence != sentence:
        return False
    words = [t for t in toks if t.sentence == sentence]
    # a remark on a line of its own after an unpunctuated line ("- ... from real\nI think full
    # marks?") is that line alone
    start = analysis.text.rfind("\n", words[0].start, words[-1].end) + 1 or words[0].start
    if toks[min(tokens)].start < start:
        return False
    return (_ABOUT_THE_ANSWER_OPENS.match(analysis.text, start, words[-1].end) is not None
            or _ASKS_FOR_MARKS.search(analysis.text, start, words[-1].end) is not None)


def taken_back(analysis: Analysis, tokens: tuple[int, ...]) -> bool:
    """Whether the writer takes back the credited statement at ``tokens`` right after making
    it: later in its sentence, or as the next sentence opens ("The receptive field gets bigger
    - well, actually, no, I think it is the same"). Stricter than :func:`retracted`: a
    retraction further on is about what was said in between."""
    if not tokens:
        return False
    toks = analysis.tokens
    last = toks[max(tokens)]
    after = [t for t in toks[last.index + 1:] if t.sentence == last.sentence]
    after += [t for t in toks[last.index + 1:] if t.sentence == last.sentence + 1][:4]
    if not after:
        return False
    return _RETRACTION_RE.search(analysis.text, last.end, after[-1].end) is not None


# Someone else's belief, reported: "Many think ...", "A common misconception is that ...".
_REPORTED_RE = re.compile(
    r"\b(?:(?:many|most|some|lots of|a lot of|other)\s+)?(?:people|ppl|students?|folks|others|"
    r"many|most|everyone|one)\s+(?:often\s+|usually\s+|commonly\s+|wrongly\s+|mistakenly\s+)?"
    r"(?:think|thinks|believe|believes|say|says|assume|assumes|claim|claims|expect|expects|"
    r"answer|answers|write|writes)\b|"
    r"\b(?:common|popular|typical|frequent|classic)\s+(?:misconception|belief|myth|mistake|"
    r"misunderstanding|confusion)\b|\btempting to (?:think|say|believe)\b|"
    r"\bit is (?:often|commonly|widely) (?:said|claimed|believed|assumed|thought)\b|\bmyth\s*:|"
    # a study guide's label: "Mistake: ...", "Pitfall: ...", "Don't confuse: ..."
    r"\b(?:mistake|misconception|pitfall|misunderstanding)\s*:|\bdon'?t confuse\b|"
    # another's answer quoted: "A classmate wrote ...", "ChatGPT says ...", "Forum answer: ..."
    r"\b(?:(?:a|my|one|another|the|some|his|her|their)\s+)?(?:classmates?|friends?|peers?|"
    r"seniors?|chatgpt|chatbot|gpt|ai|forum(?:\s+post)?|post|blog|textbook|tutor|"
    r"study group)'?s?\s+"
    r"(?:wrote|writes|said|says|claimed|claims|answered|answers|suggested|suggests|put it|"
    r"answer\s*:|claim\s*:|version\s*:)",
    re.IGNORECASE)
_MISTAKE_LABEL_RE = re.compile(r"misconception|myth|mistake|misunderstanding|confusion|pitfall|"
                               r"confuse",
                               re.IGNORECASE)
# ... and then denied ("... but actually ...", "That's wrong"), not endorsed ("and that's right").
_DENIED_RE = re.compile(
    r"\b(?:actually|in fact|in reality|reality\s*:|truth\s*:|wrong|not true|not the case|"
    r"false|incorrect|not quite|misleading)\b|"
    r"\b(?:it|they|this|that)\s+(?:can'?t|cannot|doesn'?t|does not|isn'?t|is not|won'?t|"
    r"don'?t|do not)\b|\b(?:that'?s|that is|this is|it'?s|it is)\s+not\b|"
    r"\bother way (?:a)?round\b|\bthere(?:'s| is) no\b|"
    # a reply opening with a denial: "Student: ...? TA: Not really. ..."
    r"(?:^|[:.!?])\s*(?:no|nope|not really|not quite)\b", re.IGNORECASE)
_ENDORSED_RE = re.compile(
    r"\b(?:that'?s|that is|which is|this is|and it'?s|it is)\s+(?:(?:basically|exactly|quite|"
    r"absolutely)\s+)?(?:right|correct|true|it)\b|"
    r"(?:^|[:.!?])\s*(?:yes|yep|yeah|right|correct|exactly)\b|\bi (?:fully |completely )?agree\b|"
    r"\b(?:first|second|that|this) part (?:is |was )?(?:right|correct|true|fine)\b",
    re.IGNORECASE)


# A statement the writer denies as it is made: "It is NOT true that FCNs downsample to reduce
# the number of classes", "It's a myth that the two networks cooperate".
_DENIED_OUTRIGHT_RE = re.compile(
    r"\b(?:it\s+is|it'?s|this\s+is|that\s+is|that'?s)\s+(?:not|never)\s+(?:true|correct|right|"
    r"the\s+case)\s+that\b|\bit\s+isn'?t\s+true\s+that\b|"
    r"\b(?:it\s+is|it'?s)\s+(?:false|wrong|incorrect|untrue|a\s+myth|a\s+misconception|"
    r"a\s+mistake)\s+(?:that|to\s+(?:say|think|claim|believe)(?:\s+that)?)\b",
    re.IGNORECASE)
_RESTRICTIVE = frozenset({"only", "just", "merely", "solely", "simply"})
_WIDENED_RE = re.compile(r"\b(?:also|as well|more than (?:that|this|just|only))\b", re.IGNORECASE)
# the next sentence only affirms: "It does.", "They do!", "But it is."
_AFFIRMED_RE = re.compile(r"[^\w]*(?:but\s+|actually\s+|yes\s*,?\s*)?(?:it|they|this|that)\s+"
                          r"(?:does|do|is|are|has|have|can|did)\s*[.!]", re.IGNORECASE)
_STUDENT_TURN_RE = re.compile(r"\bstudent\s*:", re.IGNORECASE)
_TUTOR_TURN_RE = re.compile(r"\b(?:ta|teacher|tutor|prof|professor|lecturer|instructor)\s*:",
                            re.IGNORECASE)


def _in_students_turn(text: str, at: int) -> bool:
    """Whether ``at`` lies in a dialogue's student line: after "Student:", before the tutor's
    reply ("TA: ...")."""
    student = [m.start() for m in _STUDENT_TURN_RE.finditer(text, 0, at)]
    tutor = [m.start() for m in _TUTOR_TURN_RE.finditer(text, 0, at)]
    return bool(student) and (not tutor or tutor[-1] < student[-1])


def _ends_the_turn(analysis: Analysis, last) -> bool:
    """Whether only function words follow ``last`` before the tutor's reply: the tutor answers
    the student's last claim ("... and they compete? TA: No, ..." answers "compete", not the
    roles said before it)."""
    reply = _TUTOR_TURN_RE.search(analysis.text, last.end)
    if reply is None:
        return False
    return all(t.is_stop for t in analysis.tokens[last.index + 1:]
               if t.end <= reply.start())


def reported_and_denied(analysis: Analysis, tokens: tuple[int, ...]) -> bool:
    """Whether the statement at ``tokens`` is someone else's belief the writer reports and then
    denies: "Many think upsampling is needed for a pixel-wise output, but actually ..." (the
    writer's claim is what follows), or one denied as it is made ("It is not true that ...").
    A reported belief the writer endorses ("People think it enlarges the field, and that's
    right") stands."""
    if not tokens:
        return False
    toks = analysis.tokens
    first, last = toks[min(tokens)], toks[max(tokens)]
    opening = next(t for t in toks if t.sentence == first.sentence)
    denial = _DENIED_OUTRIGHT_RE.search(analysis.text, opening.start, first.start)
    if denial is not None:
        # what the denial covers is its own clause ("It's a misconception that the pooling is
        # copied over - it is there to grow the receptive field": the writer's claim follows)
        denied = next((t for t in toks if t.start >= denial.end()), None)
        if denied is not None and denied.clause == first.clause:
            return True
    if _REPORTED_RE.search(analysis.text, opening.start, first.start) is None and not (
            _in_students_turn(analysis.text, first.start) and _ends_the_turn(analysis, last)):
        return False
    after = last.end
    text = analysis.text
    # a quotation is judged by what follows its close: 'Friend's answer: "VQ-VAE: discrete
    # latent. VAE: no quantization." Yes, that's it.'
    opened = max(text.rfind('"', opening.start, first.start), text.rfind("\u201c", opening.start,
                                                                       first.start))
    straight = text.count('"', opening.start, first.start)
    curly = (text.count("\u201c", opening.start, first.start),
             text.count("\u201d", opening.start, first.start))
    if (straight or curly[0]) and straight % 2 == 0 and curly[0] <= curly[1]:
        return False                          # after the quotation's close: the writer's own
    if opened >= 0:
        closed = min((i for i in (text.find('"', last.end), text.find("\u201d", last.end))
                      if i >= 0), default=-1)
        if closed >= 0:
            after = closed + 1
    following = [t for t in toks if t.start >= after]
    if following:
        rest = [t for t in following if t.sentence <= following[0].sentence + 1]
        end = rest[-1].end
    else:
        end = after
    if _ENDORSED_RE.search(text, after, end) is not None:
        return False
    # only its "only" denied: "Many think downsampling is only for saving memory, but it is
    # more than that, it also ..." (the statement itself stands; "only" is not part of it)
    restricted = [t for t in toks if t.sentence == first.sentence and t.start < last.end
                  and t.norm in _RESTRICTIVE and t.index not in tokens]
    if restricted and _WIDENED_RE.search(text, after, end) is not None:
        return False
    # ... a negative belief answered by its affirmation: "Many students answer that VQ-VAE
    # has no encoder. It does."
    negative = any(t.is_cue for t in toks if t.sentence == first.sentence and t.end <= last.end)
    if negative and _AFFIRMED_RE.match(text, after) is not None:
        return True
    # labelled a mistake ("Common mistake: thinking ...", "Myth: ..."), it is denied already
    label = _REPORTED_RE.search(text, opening.start, first.start)
    if label is not None and _MISTAKE_LABEL_RE.search(label.group(0)):
        return True
    return _DENIED_RE.search(text, after, end) is not None


# A writer leaving the choice open between what they just offered: English, not the assignment's.
_UNDECIDED_RE = re.compile(
    r"\b(?:or the other way (?:a)?round|or vice versa|i always mix (?:them|these|those) up|"
    r"(?:i'?m|i am) not sure which|can'?t remember which|(?:it is|it's) one of (?:these|those)|"
    # "it could be to reduce computation, or maybe to remove noise, or ..."
    r"(?:could|might|may) be\b[^.!?\n]*\bor (?:maybe|perhaps|possibly))"
    r"\b", re.IGNORECASE)


def undecided(analysis: Analysis, tokens: tuple[int, ...]) -> bool:
    """Whether the statement at ``tokens`` is offered in a sentence that leaves the choice open
    ("VQ-VAE is discrete and VAE continuous, or the other way round"): not a claim either way."""
    if not tokens:
        return False
    toks = analysis.tokens
    sentence = toks[min(tokens)].sentence
    inside = [t for t in toks if t.sentence == sentence]
    after = inside[-1].index + 1
    end = toks[after].start if after < len(toks) else len(analysis.text)
    if _UNDECIDED_RE.search(analysis.text, inside[0].start, end) is not None:
        return True
    # or the next sentence opens by leaving it open ("... or matching distributions. It is one
    # of these."); a hedge later in another sentence is about something else
    return after < len(toks) and _UNDECIDED_RE.match(analysis.text, end) is not None


_SUPPOSING = frozenset({"if", "whether", "suppose", "supposing", "imagine", "unless"})


def supposed(analysis: Analysis, tokens: tuple[int, ...]) -> bool:
    """Whether the statement at ``tokens`` is only supposed, in a clause opened by "if",
    "whether", "suppose" ... before it ("if a generator can fool a discriminator, in what sense
    is anything real?"): a premise the writer reasons from, not a claim made."""
    if not tokens:
        return False
    toks = analysis.tokens
    first = toks[min(tokens)]
    for t in toks[:first.index]:
        if t.clause != first.clause or t.norm not in _SUPPOSING:
            continue
        # the premise runs to its comma or its "then"/"so": what follows is claimed ("if we
        # did not downsample it would overfit, so downsampling is augmentation")
        between = toks[t.index + 1:first.index + 1]
        if not any("," in b.gap_before or ";" in b.gap_before or b.norm in ("then", "so")
                   for b in between):
            return True
    return False


def _spared(ctx: MatchContext, misconception, best: Match) -> bool:
    """Whether one of the misconception's ``spared_by`` statements is made with words its own
    statement does not use (actor names aside), and claimed, not only supposed."""
    if not misconception.spared_by:
        return False
    actor_tokens = {t for m in ctx.actors.mentions() for t in m.tokens}
    said = set(best.tokens) - actor_tokens
    return any(match.valid and not supposed(ctx.analysis, match.tokens)
               and not (set(match.tokens) - actor_tokens) & said
               for phrasing in misconception.spared_by
               for match in ctx.phrasing_matches(phrasing))


def _withdrawn(analysis: Analysis, match: Match) -> bool:
    """A statement of a misconception the writer does not stand by: taken back, left open
    between alternatives, someone else's belief reported and denied, or only supposed ("if
    downsampling were augmentation, ...")."""
    return (retracted(analysis, match.tokens) or undecided(analysis, match.tokens)
            or reported_and_denied(analysis, match.tokens) or supposed(analysis, match.tokens))


def apply_misconceptions(ctx: MatchContext, concepts: list[ConceptResult]) -> list[str]:
    """Cancel the concepts a stated misconception cancels; returns the misconceptions found.

    A misconception is the right vocabulary carrying a wrong idea ("VQ-VAE quantises the
    weights"): the concept it names earns nothing, and its feedback (a hint at the concept to
    revisit) replaces the concept's own. When the concept had matched too, the two readings
    conflict and the answer is worth a person's look."""
    found = []
    by_id = {c.id: c for c in concepts}
    for misconception in ctx.rubric.misconceptions:
        best, _ = ctx.best(misconception.phrasings)
        if best is not None and _withdrawn(ctx.analysis, best):
            # another statement of it may stand ("Student: ... like super-resolution? TA: No
            # ... Student: but I still think the point is a higher resolution than the input")
            best = next((m for p in misconception.phrasings for m in ctx.phrasing_matches(p)
                         if m.valid and not _withdrawn(ctx.analysis, m)), None)
        if best is None:
            continue
        found.append(misconception.id)
        said = quote(ctx.analysis, best.tokens)
        toks = ctx.analysis.tokens
        where = {toks[i].sentence for i in best.tokens}
        for concept_id in misconception.cancels:
            concept = by_id.get(concept_id)
            if concept is None:
                continue
            # For the review model: how many points one statement cancels, and whether the
            # concept's own credited statement stands in another sentence (the scheme keeps a
            # correct, separate statement; the rubric cannot tell which one the marker reads).
            concept.strength["cancelled-with"] = max(concept.strength.get("cancelled-with", 0.0),
                                                     len(misconception.cancels) / len(concepts))
            own = {t.sentence for t in toks
                   if any(t.start >= a and t.end <= b for a, b in concept.spans)}
            if own and not own & where:
                concept.strength["cancelled-apart"] = 1.0
            if concept.earned > 0:
                concept.signals.append(("misconception", f"{concept_id}: credited, but {said} "
                                        f"reads as the misconception '{misconception.id}'"))
                if _spared(ctx, misconception, best):
                    continue                  # a separate, correct statement stands
            withdraw(concept, f"misconception '{misconception.id}': {said}",
                      misconception.feedback)
    return found


def apply_role_swap(rubric: Rubric, concepts: list[ConceptResult]) -> bool:
    """When a role concept was stated with the roles swapped (its action said of another actor
    and not credited), withdraw the concepts the rubric says are described through the roles.
    Points stated without naming roles (not listed) keep their marks."""
    roles = rubric.roles
    if roles is None:
        return False
    by_id = {c.id: c for c in concepts}
    role_concepts = [by_id[i] for i in roles.concepts if i in by_id]
    # (said of the other actor, not merely of no one: "the generated data should be
    # indistinguishable" names no generator that produces it)
    swapped = [c for c in role_concepts if c.said_of_other]
    # A swap: no role stated right, and either every role stated with the wrong actor, or one
    # of them and a point that depends on the roles ("the discriminator tries to fool the
    # generator"). One role stated right, or one missing beside a sound game, is not a swap.
    dependent = [by_id[i] for i in roles.withdraw if i in by_id]
    # (a roleless credit, "two networks", states no role)
    stated = [c for c in role_concepts if c.earned > 0 and not c.roleless]
    if len(role_concepts) == 2 and len(stated) == 2:
        first, second = (c.swapped_statements for c in role_concepts)
        # the two roles given to each other in one sentence, by two separate statements
        both_ways = any(a[0] == b[0] and (a[2] < b[1] or b[2] < a[1])
                        for a in first for b in second)
    else:
        both_ways = False
    if both_ways:
        # Every role stated right, and one sentence giving each to the other ("G makes the
        # fakes, D judges them ... To sum up, D generates and G decides"): the answer
        # contradicts itself on who does what, so the roles earn nothing. A game described
        # through the right roles keeps its mark.
        for c in role_concepts:
            withdraw(c, "roles stated both ways in the answer")
        return True
    if not swapped or stated:
        return False
    if len(swapped) < len(role_concepts) and not any(c.swapped_mention for c in dependent):
        return False
    # A roleless credit beside the swapped roles ("A GAN has two parts. The discriminator
    # generates ..."): the answer does say who does what, wrongly.
    for c in role_concepts:
        if c.earned > 0:
            withdraw(c, "roles swapped elsewhere in the answer: "
                     + ", ".join(other.id for other in swapped))
    for concept_id in roles.withdraw:
        concept = by_id.get(concept_id)
        # The game of a swapped pair is described through the swapped roles, even as a bare
        # label ("the discriminator generates ..., the generator classifies ...; they play a
        # minimax game"): the scheme withdraws it. Points not listed (the aim) stand.
        if concept is not None and concept.earned > 0:
            withdraw(concept, "roles swapped elsewhere in the answer: "
                      + ", ".join(c.id for c in swapped))
    return True


def near_miss(ctx: MatchContext, concept: Concept) -> str:
    """The words of a phrasing of ``concept`` (two slots or more) that are all in the answer
    although the phrasing did not match: a paraphrase the rubric almost recognised, or words
    scattered over sentences. Returns them quoted, or ''."""
    toks = ctx.analysis.tokens
    for phrasing in concept.phrasings:
        if len(phrasing.slots) < 2:
            continue
        found = [ctx.slot_occurrences(slot) for slot in phrasing.slots]
        if all(found):
            return ", ".join(repr(ctx.analysis.text[toks[o[0].first].start:
                                                    toks[o[0].last].end]) for o in found)
    return ""


def uncredited_terms(ctx: MatchContext, concepts: list[ConceptResult]) -> list[str]:
    """On-topic words of the answer (words of the rubric's phrasings, not actor names) that no
    credited concept used: an answer full of them that lost marks may be a paraphrase."""
    rubric = ctx.rubric
    words = rubric.memo.get("uncredited-words")
    if words is None:             # the rubric's on-topic words: worked out once per rubric
        actor_words = {(w.text, w.mode) for _, slot in (*rubric.actors, *rubric.actor_labels)
                       for alt in slot.alternatives for w in alt}
        words = rubric.memo["uncredited-words"] = [
            w for key, w in {(w.text, w.mode): w for kind_id, kind, phrasing in
                             rubric.all_phrasings() if kind != "contradicts"
                             for slot in phrasing.slots for alt in slot.alternatives
                             for w in alt if w.mode != "cue"}.items()
            if key not in actor_words]
    hits: set[int] = set()
    positions = ctx.words.word_positions
    for word in words:
        for i, _ in positions(word):
            hits.add(i)
    used: set[int] = set()
    toks = ctx.analysis.tokens
    for c in concepts:
        for start, end in c.spans:
            used.update(i for i, t in enumerate(toks) if t.start >= start and t.end <= end)
    stems = sorted({toks[i].norm for i in hits - used
                    if not toks[i].is_stop and not toks[i].is_cue and len(toks[i].norm) > 2})
    return stems
