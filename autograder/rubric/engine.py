"""Scoring one answer against one rubric: concepts, guards, confidence and feedback.

:func:`score_answer` is the entry point the grading core calls. It accepts any string (empty,
huge, non-ASCII), never raises on one, and returns a :class:`RubricResult` that says which
concepts matched, where (character spans into the original answer), with what confidence, which
guards fired, and whether a human should review the mark.

This module must not read or write files, must not know any assignment (everything specific is in
the rubric), and must never show a rubric's phrasings in student-facing text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from ..files import floor_to_step
from . import review
from .evidence import (
    about_the_answer,
    apply_misconceptions,
    apply_role_swap,
    names_actor,
    near_miss,
    quote,
    reported_and_denied,
    retracted,
    supposed,
    taken_back,
    uncredited_terms,
    undecided,
)
from .features import answer_features
from .matcher import Match, MatchContext, merge_spans
from .schema import Concept, Rubric
from .text import ABBREVIATIONS, NUMBER_ABBREV_RE, Analysis

# Words that appear in written-out equations and say nothing in prose.
_MATH_WORDS = frozenset(
    """
    log exp min max argmin argmax sum prod int lim sim mathbb mathcal mathrm mathbf text frac sqrt
    left right cdot times data sigma eps epsilon mu theta phi lambda alpha beta nabla partial
    operatorname begin end aligned equation limits infty approx neq leq geq
    """.split()
)
_MATH_SYMBOLS = set("=+-*/^_\\()[]{}|<>~\u2211\u222b\u2248\u2264\u2265\u00d7\u2202\u2207")
# Items of a list: comma, semicolon, line, bullet or spaced-slash separated, or short sentences.
# A colon is not a separator: "VAE: continuous Gaussian latent." is a note, not two terms.
# A piece of text with one of these is a note making a claim ("VAE -> continuous latent",
# "latent = nearest codebook vector"), not a bare term of an enumeration.
_NOTE_MARKS = (":", "->", "\u2192", "=", " - ", " \u2013 ", " \u2014 ")
# A run of content words ends at punctuation and at a note's claim mark ("vae -> continuous").
_RUN_BREAKS = ",;:.!?()\n=>\u2192+&"
# Note-form writing separates its claims with spaced dashes and "vs" as well.
_SPACED_DASHES = (" - ", " \u2013 ", " \u2014 ")
_CONTRASTS = frozenset({"vs", "versus"})
# Words no list of terms has, which the stopword list leaves out: a statement's verbs of use and
# its means ("VQ-VAE uses discrete latent variables via vector quantization ..." is no string).
_LINK_WORDS = frozenset({"via", "use", "uses", "using", "used", "per", "through", "towards",
                         "toward", "across"})
# A note runs to the end of its sentence, line or bullet (its claim may list several terms); its
# heading is a label of a few words ("VQ-VAE", "Down", "Generator G"), not a list.
_HEADING_WORDS = 4
_NOTE_SPLIT_RE = re.compile(r"[;\n\u2022]|[.!?](?:\s|$)")
_ITEM_SPLIT_RE = re.compile(r"[,;\n\u2022]|\s/\s|[.!?](?:\s|$)")
_LIST_MARKER_RE = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-*+\u2022])[ \t]+")


def _breaks(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The separators ``pattern`` finds in ``text``, less the full stops of abbreviations
    ("maximise prob. of a correct label", "i.e. fool D"): they end no note and no item."""
    out = []
    for m in pattern.finditer(text):
        if m.group(0)[:1] == ".":
            before = text[max(0, m.start() - 40):m.start()]     # the word before the stop
            word = re.search(r"([^\W\d_]+)$", before)
            after = text[m.end():m.end() + 1]
            if re.search(r"(?:^|[^\w.])[^\W\d_]\.[^\W\d_]$", before):
                continue                      # "e.g." / "i.e."
            if (word and word.group(1).lower() in ABBREVIATIONS - {"no"}
                    and not after.isupper()):
                continue
        out.append(m)
    return out


def _split(pattern: re.Pattern[str], text: str) -> list[str]:
    """``text`` split at the separators of ``_breaks``."""
    pieces, start = [], 0
    for m in _breaks(pattern, text):
        pieces.append(text[start:m.start()])
        start = m.end()
    return [*pieces, text[start:]]

_GUARD_REASONS = {
    "keyword-list": "capped: a list of terms",
    "keyword-density": "capped: terms strung together",
    "equations-only": "capped: equations with hardly any prose",
    "too-long": "longer than the rubric expects",
    "truncated": "cut to the rubric's length limit before marking",
}



@dataclass
class ConceptResult:
    """How one concept fared."""

    id: str
    marks: float
    """The concept's marks in the rubric."""
    earned: float
    """Marks earned (0, a partial award, or all)."""
    matched: bool
    """Earned anything."""
    spans: list[tuple[int, int]]
    """Character spans of the matched words in the original answer."""
    feedback: str
    """The rubric's hint for students (shown when the concept is missing or partial)."""
    confidence: float
    """How sure the engine is of this concept's decision, in [0, 1]."""
    evidence: list[str] = field(default_factory=list)
    """Staff only: the answer's text at the matched spans."""
    notes: list[str] = field(default_factory=list)
    """Staff only: why the decision was made (negated, role mismatch, contradicted, typo)."""
    signals: list[tuple[str, str]] = field(default_factory=list)
    """Staff only: (signal id, reason) pairs that this decision may be wrong (``review.py``)."""
    via_actor: bool = False
    """Earned through a statement that names an actor (withdrawn when the roles are swapped)."""
    roleless: bool = False
    """Earned through a ``roleless`` phrasing ("two networks"): no role stated."""
    swapped_mention: bool = False
    """One of its phrasings was said of the wrong actor somewhere in the answer."""
    said_of_other: bool = False
    """One of its phrasings was said of another actor the answer names (not merely of no one):
    what a role swap is read from."""
    swapped_statements: tuple[tuple[int, int, int], ...] = ()
    """Staff only: for an earned role, its statements said only of the other actor (sentence,
    first and last token)."""
    strength: dict[str, float] = field(default_factory=dict)
    """Staff only: the evidence that earned it (slots of the phrasing, span and window in
    content words), read by the review model's features (``features.py``)."""


@dataclass
class RubricResult:
    """The rubric's verdict on one answer."""

    part: str
    score: float
    """A multiple of the rubric's step, clamped to [0, max_score]."""
    max_score: float
    concepts: list[ConceptResult]
    flags: list[str]
    """Machine ids: keyword-list, keyword-density, equations-only, too-long, truncated,
    contradiction, low-confidence, empty."""
    confidence: float
    needs_review: bool
    raw_score: float = 0.0
    """The concept total before guards' caps."""
    guard_messages: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    """Staff only: the guards' measurements (density, function-word ratio, ...)."""
    risk: float = 0.0
    """Summed weight of the review signals (``review.py``); flagged at the threshold."""
    reasons: list[str] = field(default_factory=list)
    """Staff only: why a person should look at this mark, in words, strongest first."""
    signals: list[tuple[str, str]] = field(default_factory=list)
    """Staff only: every (signal id, reason) found, weighed or not (for measuring the flag)."""
    features: dict[str, float] = field(default_factory=dict)
    """Staff only: what the review model reads (``features.py``); what it is fitted on."""

    def student_feedback(self) -> str:
        """Plain text for students: per missing or partial concept the rubric's hint."""
        lines = [f"{self.part}: {_fmt(self.score)}/{_fmt(self.max_score)}"]
        missing = [c for c in self.concepts if c.earned < c.marks]
        if not missing and not self.guard_messages:
            lines.append("All the expected points were covered.")
        for c in missing:
            status = "partly covered" if c.earned > 0 else "missing"
            lines.append(f"- ({status}, {_fmt(c.earned)}/{_fmt(c.marks)}) {c.feedback}")
        for msg in self.guard_messages:
            lines.append(f"- {msg}")
        if self.needs_review:
            lines.append("This mark will be checked by a member of staff.")
        return "\n".join(lines)

    def staff_feedback(self) -> str:
        """Plain text for staff: matched concepts with the matched snippets, flags, confidence."""
        lines = [
            f"{self.part}: {_fmt(self.score)}/{_fmt(self.max_score)} "
            f"(concepts {_fmt(self.raw_score)}"
            f"), confidence {self.confidence:.2f}"
            + (" - NEEDS REVIEW" if self.needs_review else "")
        ]
        if self.flags:
            lines.append("flags: " + ", ".join(self.flags))
        if self.reasons:
            lines.append(f"review (risk {self.risk:g}): " + "; ".join(self.reasons))
        for c in self.concepts:
            mark = "+" if c.earned >= c.marks else ("~" if c.earned > 0 else "-")
            text = f"  {mark} {c.id}: {_fmt(c.earned)}/{_fmt(c.marks)} conf {c.confidence:.2f}"
            if c.evidence:
                text += " | " + " / ".join(repr(e) for e in c.evidence)
            if c.notes:
                text += " | " + "; ".join(c.notes)
            lines.append(text)
        if self.metrics:
            lines.append("metrics: " + ", ".join(f"{k}={v:.2f}" for k, v in self.metrics.items()))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dictionary (spans as [start, end] lists)."""
        data = asdict(self)
        for c in data["concepts"]:
            c["spans"] = [list(s) for s in c["spans"]]
        return data


def _fmt(x: float) -> str:
    return f"{x:g}"


# --------------------------------------------------------------------------- guards
def _function_ratio(analysis: Analysis) -> float:
    toks = analysis.tokens
    return sum(1 for t in toks if t.is_stop or t.is_cue) / len(toks) if toks else 0.0


def _longest_content_run(analysis: Analysis) -> int:
    best = run = 0
    for tok in analysis.tokens:
        punct = (any(ch in tok.gap_before for ch in _RUN_BREAKS)
                 or any(dash in tok.gap_before for dash in _SPACED_DASHES)
                 or tok.norm in _CONTRASTS)
        link = tok.is_stop or tok.is_cue or tok.norm in _LINK_WORDS
        if link or punct:
            run = 0 if link else 1
        elif tok.gap_before not in ("-", "_") or run == 0:
            run += 1    # a hyphenated word is one word ("VQ-VAE latent takes ...")
        best = max(best, run)
    return best


# A remark closing an answer about the answer itself, not about the question: English, not
# the assignment's ("..., Nash equilibrium, I mean that's the gist.", "... - that's all I know").
_CLOSING_REMARK_RE = re.compile(
    r"[,;.:\u2013\u2014-]\s*(?:i mean,?\s*|so,?\s*|and,?\s*|yeah,?\s*|well,?\s*|um+,?\s*|"
    r"uh+,?\s*|ok(?:ay)?,?\s*)*"
    r"(?:(?:that'?s|that is|this is|thats|those are|these are)\s+(?:the gist|about it|it|all|"
    r"basically it|all i (?:know|remember|can remember|got)|"
    r"the (?:key|main|important) (?:things|points|ideas|words|terms))|hope (?:this|that|it) helps|"
    r"(?:i )?think that'?s (?:it|all)|that'?s my answer)\W*$",
    re.IGNORECASE)


def _without_closing_remark(text: str) -> str:
    """``text`` less a closing remark about the answer itself (the keyword guards read the
    rest: such a remark makes no list a statement)."""
    found = _CLOSING_REMARK_RE.search(text)
    return text[:found.start()] if found else text


def _items(text: str, *, notes: bool = True) -> list[int]:
    """Word counts of comma/line/semicolon separated items (and short sentences).

    With ``notes=False`` an item with a heading ("VAE: continuous latent") is left out: it is a
    note making a claim, not a term of an enumeration."""
    counts = []
    # numbers in brackets are one aside, not items: "stacked dilations (1,2,4..), params const"
    text = re.sub(r"\([^()A-Za-z]*\)", lambda m: " " * len(m.group(0)), text)
    # ... and a bracket's commas split no items: "Captures multi-scale context (ASPP with rates
    # 6, 12, 18, 24)." is one
    text = re.sub(r"\([^()]*\)", lambda m: re.sub(r"[,;]", " ", m.group(0)), text)
    # a line's number or bullet is no item of its own: "1. Expands the receptive field.\n2. No
    # extra cost." is two statements, not four items
    text = _LIST_MARKER_RE.sub(lambda m: " " * len(m.group(0)), text)
    # ... nor is an abbreviation's stop an item's end: "same no. of params"
    text = NUMBER_ABBREV_RE.sub(lambda m: m.group(0)[:-1] + " ", text)
    for piece in _split(_ITEM_SPLIT_RE, text):
        n = len(re.findall(r"[^\W_]+", piece))
        if n and (notes or not any(mark in piece for mark in _NOTE_MARKS)):
            counts.append(n)
    return counts


def _notes(text: str) -> list[tuple[int, int, int]]:
    """The notes of an answer: (start, end of its heading, end) of each sentence, line or
    bullet whose heading is followed by a claim mark ("VQ-VAE: discrete latent", "VAE -> z ~
    N(mu, sigma), continuous")."""
    out, start = [], 0
    bounds = [*_breaks(_NOTE_SPLIT_RE, text), None]
    for sep in bounds:
        end = sep.start() if sep is not None else len(text)
        # a heading's own brackets are an aside: "upsampling (transposed conv / bilinear) -
        # back to HxW", "G (noise -> sample): fool D"
        piece = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), text[start:end])
        marks = [piece.find(mark) for mark in _NOTE_MARKS if mark in piece]
        if marks and len(re.findall(r"[^\W_]+", piece[:min(marks)])) <= _HEADING_WORDS:
            out.append((start, start + min(marks), end))
            # the claim's own notes, one per comma: "latent: VQ-VAE = discrete (codebook),
            # VAE = continuous" (not a comma inside brackets)
            claim = start + min(marks) + 1
            for item in re.finditer(r"(?:[^,()]|\([^()]*\))+", text[claim:end]):
                sub = item.group(0)
                inner = [sub.find(mark) for mark in _NOTE_MARKS if mark in sub]
                if inner and 0 < len(re.findall(r"[^\W_]+", sub[:min(inner)])) <= _HEADING_WORDS:
                    a = claim + item.start()
                    out.append((a, a + min(inner), claim + item.end()))
        start = sep.end() if sep is not None else end
    return out + _sections(text)


def _table_lines(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(header rows, body rows) of the answer's pipe tables, as character ranges."""
    heads, rows, pos, before = [], [], 0, False
    for line in text.split("\n"):
        row = line.count("|") >= 2
        if row and not set(line.strip()) <= set("|-: "):
            (rows if before else heads).append((pos, pos + len(line)))
        before, pos = row, pos + len(line) + 1
    return heads, rows


_SECTION_HEADING_RE = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]+|\*\*|__)?([^\n]*?)(?:\*\*|__)?[ \t]*:?[ \t]*$")


def _sections(text: str) -> list[tuple[int, int, int]]:
    """Sections under a heading line ("**VAE**", "# Why downsample", "VQ-VAE:" alone on its
    line) as notes: (start, end of the heading line, end of the section, before the next
    heading line). The lines under it say what it does."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1

    def heading(line: str) -> bool:
        if re.match(r"[ \t]*(?:[-*\u2022+]|\d+[.)])[ \t]", line) or "|" in line:
            return False                      # a bullet or a table row, not a heading
        m = _SECTION_HEADING_RE.fullmatch(line)
        words = re.findall(r"[^\W_]+", m.group(1)) if m else []
        return 0 < len(words) <= _HEADING_WORDS and not re.search(r"[.!?,;=]", m.group(1))

    heads = [i for i, (_, _, line) in enumerate(lines) if heading(line)]
    out = []
    for k, i in enumerate(heads):
        nxt = heads[k + 1] if k + 1 < len(heads) else len(lines)
        if nxt > i + 1:
            out.append((lines[i][0], lines[i][1], lines[nxt - 1][1]))
    return out


# Code, not a list of terms: assignments of calls ("z = enc(x)"), method calls ("F.interpolate(")
# and comments after code ("...)  # bigger RF").
_CODE_SIGNS = (re.compile(r"[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*=\s*[A-Za-z_][\w.]*\("),
               re.compile(r"\b[A-Za-z_]\w*\.[A-Za-z_]\w*\("),
               re.compile(r"[)\]]\s*#\s*\S"))


def _looks_like_code(text: str) -> bool:
    """Whether the answer is written as code (two kinds of sign at least): its comments and
    names say which does what, so the keyword-list guard does not read it as a list of terms."""
    return sum(1 for sign in _CODE_SIGNS if sign.search(text)) >= 2


def _comma_notes(ctx: MatchContext) -> list[tuple[int, int, int]]:
    """Telegraphic notes: a sentence opened by an actor's name and a comma ("VQ-VAE, latent
    discrete.", "Generator, from random noise make fake image."), the name its heading and the
    rest of the sentence its claim, as (start, end of the heading, end)."""
    toks = ctx.analysis.tokens
    out = []
    for m in ctx.actors.mentions():
        first, last = m.first, m.last
        opens = (first == 0 or toks[first].sentence != toks[first - 1].sentence
                 or "\n" in toks[first].gap_before)
        if (not opens or last + 1 >= len(toks) or "," not in toks[last + 1].gap_before
                or toks[last + 1].sentence != toks[first].sentence):
            continue
        end = max(t.end for t in toks[first:] if t.sentence == toks[first].sentence)
        out.append((toks[first].start, toks[last].end, end))
    return out


def _credit_in_notes(text: str, concepts: list[ConceptResult],
                     more_notes: list[tuple[int, int, int]] | None = None) -> bool:
    """Every credited concept was stated inside one note, starting in its heading (the subject)
    and ending in its claim: an answer in note form says which does what, so it is not a list of
    terms, however terse."""
    credited = [c for c in concepts if c.earned > 0]
    if not credited:
        return False
    notes = _notes(text) + list(more_notes or ())
    heads, rows = _table_lines(text)

    def in_a_note(c: ConceptResult) -> bool:
        if not c.spans:
            return False
        first = min(s for s, _ in c.spans)
        last = max(e for _, e in c.spans)
        if any(a <= first < b for a, b in heads) and any(a <= last <= b for a, b in rows):
            return True                       # a table: the column's header, a cell below it
        for a, b in rows:                     # or a row's first cells, and a cell after them
            opening = 1 if text[a:b].lstrip().startswith("|") else 0
            if a <= first and last <= b and text.count("|", a, first) <= 1 + opening:
                return True
        if any(a <= first < head and last <= b and " / " not in text[head:last]
               for a, head, b in notes):
            return True
        # or a statement of its own inside a note's claim, with its subject, not a run of
        # terms: "End: D outputs 0.5 everywhere"
        return any(head < first and last <= b
                   and not any(mark in text[first:last] for mark in (",", ";", "\n", " / "))
                   and len(re.findall(r"[^\W_]+", text[first:last])) >= 3
                   for _, head, b in notes)

    return all(in_a_note(c) for c in credited)


def _credit_in_items(text: str, concepts: list[ConceptResult],
                      notes: list[tuple[int, int, int]] | None = None) -> bool:
    """Whether two concepts or more are credited and each (all but one, when three or more
    are) from two words or more within one item of a list ("Larger field of view, same output
    size, no extra param."): short claims, each making its point, not terms strung together
    (whose credit spans the items) or lone terms ("Fooling. Indistinguishable.")."""
    credited = [c for c in concepts if c.earned > 0 and c.spans]
    if len(credited) < 2:
        return False
    bounds, start = [], 0
    # a separator inside parentheses does not end the item: "Upsampling (transposed conv /
    # bilinear) brings it back to the input size"
    inside = [m.span() for m in re.finditer(r"\([^()]*\)", text)]
    seps = [m for m in _breaks(_ITEM_SPLIT_RE, text)
            if not any(a < m.start() < b for a, b in inside)]
    for sep in [*seps, None]:
        end = sep.start() if sep is not None else len(text)
        bounds.append((start, end))
        start = sep.end() if sep is not None else end

    headings = [(a, head) for a, head, _ in _sections(text)]

    def within_one(c: ConceptResult) -> bool:
        # a claim of two words or more ("same #params"), not a lone term ("Fooling."); the
        # subject named by a section's heading line is not part of the claim under it
        spans = [(s, e) for s, e in c.spans
                 if not any(a <= s and e <= h for a, h in headings)] or c.spans
        first = min(s for s, _ in spans)
        last = max(e for _, e in spans)
        return ((len(re.findall(r"[^\W_]+", text[first:last])) >= 2
                 and any(a <= first and last <= b for a, b in bounds))
                # or one telegraphic note, from its subject to its claim ("Discriminator,
                # look image, decide real or fake")
                or any(a <= first < head and last <= b for a, head, b in notes or ()))

    # (one lone term beside them does not make the rest a string of terms: "Generator makes
    # fake images, discriminator classifies real vs fake. They are trained adversarially.")
    return sum(within_one(c) for c in credited) >= max(2, len(credited) - 1)


def _density(ctx: MatchContext) -> float:
    toks = ctx.analysis.tokens
    if not toks:
        return 0.0
    hits: set[int] = set()
    for word in ctx.rubric.credit_vocabulary():
        if word.mode == "cue":
            continue
        hits.update(i for i, _ in ctx.word_positions(word))
    return len(hits) / len(toks)


def _prose_words(analysis: Analysis) -> int:
    return sum(
        1
        for t in analysis.tokens
        if t.norm.isalpha() and len(t.norm) >= 3 and t.norm not in _MATH_WORDS
    )


# --------------------------------------------------------------------------- concepts
def _loose(match: Match) -> bool:
    """A match of one content word, credited to an actor the answer never named (an anonymous
    or default actor): "tricks" in a list of applications is not the generator fooling anyone.
    An unbound word that carries the concept by itself ("indistinguishable") is not loose."""
    return (len(match.phrasing.slots) == 1 and len(match.tokens) == 1
            and match.phrasing.actor is not None and not match.actor_tokens)


def _standing(ctx: MatchContext, phrasings, best: Match | None,
              notes: list[str]) -> Match | None:
    """``best``, or when the writer takes it back right away ("... gets bigger - actually, no,
    it is the same") another statement of the point that stands; None when none does."""
    def stands(match: Match) -> bool:
        return not (taken_back(ctx.analysis, match.tokens)
                    or reported_and_denied(ctx.analysis, match.tokens)
                    or about_the_answer(ctx.analysis, match.tokens))

    if best is None or stands(best):
        return best
    other = next((m for phrasing in phrasings for m in ctx.phrasing_matches(phrasing)
                  if m.valid and stands(m)), None)
    note = ("taken back by the writer" if taken_back(ctx.analysis, best.tokens)
            else "a remark to the marker about the answer, not a statement of the point"
            if about_the_answer(ctx.analysis, best.tokens)
            else "someone else's belief, reported and denied")
    if other is None and note not in notes:
        notes.append(note)
    return other


def _swapped_statements(ctx: MatchContext, concept: Concept) -> tuple[tuple[int, int, int], ...]:
    """For a role the rubric lists: its statements said only of another actor the answer names,
    that actor named first as their subject ("the discriminator generates samples"), as
    (sentence, first token, last token), in sentences that never state it of its own actor;
    read by ``apply_role_swap`` when the role was also stated right elsewhere."""
    roles = ctx.rubric.roles
    if roles is None or concept.id not in roles.concepts:
        return ()
    toks = ctx.analysis.tokens
    other, own = [], set()
    for p in concept.phrasings:
        for m in ctx.phrasing_matches(p):
            if m.valid:
                own.add(toks[m.tokens[0]].sentence)
            elif (not m.actor_ok and not m.negated and m.actor_tokens
                  and max(m.actor_tokens) < min(m.tokens)):
                other.append((toks[m.tokens[0]].sentence, min(m.tokens), max(m.tokens)))
    return tuple(sorted(set(o for o in other if o[0] not in own)))


_PLAIN_DENIALS = frozenset({"not", "never", "no"})


def _plainly_denied(analysis: Analysis, tokens: tuple[int, ...]) -> bool:
    """Every cue negating ``tokens`` is a plain "not", "no" or "never" ("VQ-VAE is not
    discrete"), none a contrast ("rather than", "instead of", "unlike")."""
    cues = {c for t in tokens for c in analysis.negated_by[t]}
    return bool(cues) and all(analysis.tokens[c].norm in _PLAIN_DENIALS for c in cues)


def _concept_result(ctx: MatchContext, concept: Concept) -> tuple[ConceptResult, bool]:
    """Score one concept; the bool says whether it was self-contradicted."""
    analysis = ctx.analysis
    notes: list[str] = []
    best, misses = ctx.best(concept.phrasings)
    best = _standing(ctx, concept.phrasings, best, notes)
    earned = concept.marks if best is not None else 0.0
    used: Match | None = best
    half = floor_to_step(concept.marks / 2, ctx.rubric.settings.step)
    if best is not None and half > 0 and _loose(best):
        # a firmer statement of the concept elsewhere ("one tries to fool the other") is the
        # evidence, not the loose word the first phrasing found
        firm = next((m for phrasing in concept.phrasings for m in ctx.phrasing_matches(phrasing)
                     if m.valid and not _loose(m)), None)
        if firm is not None:
            best = used = firm
    if best is not None and half > 0 and _loose(best):
        # One word, said of no one the answer names: at most half the concept (a word in a
        # list of applications is not a statement about the generator). A concept worth one
        # step is stated or not, and keeps its mark.
        earned = half
        notes.append("one loose word: half the concept at most")
    if best is None:
        # the concept's own statement denied of its actor ("VQ-VAE is not discrete, it only
        # adds a vector quantisation loss"): a part of it named nearby is no partial statement
        # (a plain denial, not a contrast: "rather than a continuous latent like in VAE")
        denied = any(m.negated and m.actor_ok and m.actor_tokens
                     and _plainly_denied(analysis, m.tokens) for m in misses)
        for award in concept.partial:
            pbest, pmisses = ctx.best(award.phrasings)
            pbest = _standing(ctx, award.phrasings, pbest, notes)
            misses += pmisses
            if pbest is not None and denied:
                notes.append("denied by the answer: no partial credit")
                break
            if pbest is not None:
                earned, used = award.marks, pbest
                notes.append("partial credit")
                break
    if used is not None and undecided(analysis, used.tokens):
        # "X, or the other way round": offered, not claimed; a statement of it elsewhere counts
        settled = next((m for p in concept.phrasings for m in ctx.phrasing_matches(p)
                        if m.valid and not undecided(analysis, m.tokens)), None)
        if settled is not None and best is not None:
            used = settled
        else:
            earned, used = 0.0, None
            notes.append("offered with its alternative left open")
    contradiction, _ = ctx.best(concept.contradicts) if concept.contradicts else (None, [])
    if contradiction is not None and (retracted(analysis, contradiction.tokens)
                                      or reported_and_denied(analysis, contradiction.tokens)
                                      or supposed(analysis, contradiction.tokens)):
        contradiction = None          # "... - wait, no, I have that backwards", "many think
                                      # ..., but actually ...", "if VQ-VAE latents were
                                      # continuous it would just be a VAE"
    if contradiction is not None and contradiction.fuzzy:
        contradiction = None          # never read through a typo: "(not completely)" is no
                                      # "not compete"
    self_contradicted = False
    if contradiction is not None:
        if used is not None:
            self_contradicted = True
            notes.append("contradicted elsewhere in the answer")
        else:
            notes.append("answer states the opposite")
        earned, used = 0.0, None

    signals: list[tuple[str, str]] = []
    if used is not None:
        confidence = 0.95 if earned >= concept.marks else 0.75
        said = quote(analysis, used.tokens)
        if earned < concept.marks:
            signals.append(("partial-credit", f"{concept.id}: part of its marks, from {said}"))
        elif len(used.phrasing.slots) == 1 and used.phrasing.actor is None:
            signals.append(("thin-evidence", f"{concept.id}: all its marks from {said} alone"))
        if _loose(used):
            signals.append(("thin-evidence", f"{concept.id}: from {said}, said of no one the "
                                             "answer names"))
        if used.fuzzy:
            confidence -= 0.15
            notes.append("matched through a typo")
            signals.append(("typo", f"{concept.id}: matched through a typo in {said}"))
    elif self_contradicted:
        confidence = 0.4
        signals.append(("contradiction", f"{concept.id}: stated and contradicted"))
    else:
        confidence = 0.9
        if any(m.negated for m in misses):
            confidence = min(confidence, 0.75)
            notes.append("a negated mention was ignored")
            miss = next(m for m in misses if m.negated)
            signals.append(("negated", f"{concept.id}: {quote(analysis, miss.tokens)} was "
                                       "read as negated"))
        if any(not m.actor_ok and not m.negated for m in misses):
            confidence = min(confidence, 0.75)
            notes.append("mentioned with the wrong actor")
            miss = next(m for m in misses if not m.actor_ok and not m.negated)
            signals.append(("wrong-actor", f"{concept.id}: {quote(analysis, miss.tokens)} "
                                           "was said of another actor"))
    if earned < concept.marks and not self_contradicted:
        near = near_miss(ctx, concept)
        if near:
            signals.append(("near-miss", f"{concept.id}: the answer uses its words ({near}) "
                                         "but not in one statement the rubric knows"))
    spans: list[tuple[int, int]] = []
    evidence: list[str] = []
    if used is not None:
        all_tokens = tuple(sorted(set(used.tokens) | set(used.actor_tokens)))
        spans = merge_spans(analysis, all_tokens)
        toks = analysis.tokens
        first, last = toks[all_tokens[0]], toks[all_tokens[-1]]
        evidence.append(analysis.as_written[first.start : last.end])
    strength: dict[str, float] = {}
    if used is not None:
        strength = {"slots": float(len(used.phrasing.slots)), "window": float(used.phrasing.window),
                    "span": float(ctx.span(used.tokens))}
    return (
        ConceptResult(
            id=concept.id,
            marks=concept.marks,
            earned=earned,
            matched=earned > 0,
            spans=spans,
            feedback=concept.feedback,
            confidence=round(max(0.0, min(1.0, confidence)), 3),
            evidence=evidence,
            notes=notes,
            signals=signals,
            via_actor=used is not None and names_actor(ctx.rubric, used),
            roleless=used is not None and used.phrasing.roleless,
            swapped_mention=any(not m.actor_ok and not m.negated for m in misses),
            said_of_other=any(not m.actor_ok and not m.negated and m.actor_tokens
                              for m in misses),
            strength=strength,
        ),
        self_contradicted,
    )


_ALWAYS_REASONS = {"role-swap": "roles read as swapped: the points said through them were "
                                 "withdrawn (always reviewed)"}


def score_answer(rubric: Rubric, text: str) -> RubricResult:
    """Mark ``text`` with ``rubric``. Accepts any string; never raises on one."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    settings = rubric.settings
    analysis = rubric.analyzer.analyse(text, max_chars=settings.max_chars)
    flags: list[str] = []
    messages: list[str] = []
    metrics: dict[str, float] = {}

    if not analysis.tokens:
        concepts = [
            ConceptResult(c.id, c.marks, 0.0, False, [], c.feedback, 1.0) for c in rubric.concepts
        ]
        return RubricResult(
            rubric.part, 0.0, rubric.max_marks, concepts, ["empty"], 1.0, False, 0.0, [], {}
        )

    ctx = MatchContext(rubric, analysis)
    concepts: list[ConceptResult] = []
    for concept in rubric.concepts:
        result, contradicted = _concept_result(ctx, concept)
        concepts.append(result)
        if contradicted and "contradiction" not in flags:
            flags.append("contradiction")
    misconceptions = apply_misconceptions(ctx, concepts)
    if misconceptions and "misconception" not in flags:
        flags.append("misconception")
    roles = rubric.roles
    if roles is not None and all(c.earned > 0 for c in concepts if c.id in roles.concepts):
        # every role earned: where each is also said the other way round (read only then)
        for concept, result in zip(rubric.concepts, concepts):
            if concept.id in roles.concepts:
                result.swapped_statements = _swapped_statements(ctx, concept)
    if apply_role_swap(rubric, concepts):
        flags.append("role-swap")
    raw = sum(c.earned for c in concepts)
    caps: list[float] = []
    guard_conf = 1.0

    if analysis.truncated:
        flags.append("truncated")
        guard_conf = min(guard_conf, 0.5)

    n_tokens = len(analysis.tokens)
    ratio = _function_ratio(analysis)
    metrics["function_ratio"] = round(ratio, 3)
    # The guards read the answer as written (a table as a table); its table's rows read as
    # notes are notes too.
    written = analysis.as_written
    comma_notes = _comma_notes(ctx) if rubric.actors else []
    in_notes = (_credit_in_notes(written, concepts, comma_notes)
                or (written != analysis.text
                    and _credit_in_notes(analysis.text, concepts, comma_notes)))
    if in_notes:
        metrics["credit_in_notes"] = 1.0
    # Equations with hardly any prose are capped by their own guard (the scheme: at most 1
    # mark), not read as a list of terms: LaTeX's tokens look like one.
    eq = rubric.guard("equations_only")
    symbols = sum(1 for ch in written if ch in _MATH_SYMBOLS)
    prose = _prose_words(analysis)
    equations = eq is not None and (symbols >= eq.param("min_symbols", 5)
                                    and prose <= eq.param("max_prose_words", 3))
    g = rubric.guard("keyword_list")
    code = _looks_like_code(written)
    if code:
        metrics["code"] = 1.0
    # Three points or more, each made inside one item of its own ("Generator: noise in, fake
    # data out. Discriminator: judge real or fake. Objective, generator maximize discriminator
    # mistake, ..."): telegraphic statements, not a list of terms. (Two are not enough: "no
    # extra parameters, multi-scale context" in a list of terms.)
    stated = (sum(1 for c in concepts if c.earned > 0) >= 3
              and _credit_in_items(written, concepts, comma_notes))
    if (g is not None and not in_notes and not equations and not code and not stated
            and n_tokens >= g.param("min_tokens", 5)):
        listed, listed_ratio = analysis, ratio
        body = _without_closing_remark(written)
        if body != written:
            listed = rubric.analyzer.analyse(body)
            listed_ratio = _function_ratio(listed)
        items = _items(listed.as_written, notes=False)
        run = _longest_content_run(listed)
        metrics["longest_run"] = run
        list_like = (
            len(items) >= g.param("min_items", 4)
            and statistics.median(items) <= g.param("max_item_words", 3)
        ) or run >= g.param("max_run", 7)
        if list_like and listed_ratio <= g.param("max_function_ratio", 0.12):
            guard_conf = _trip(g, "keyword-list", 0.5, flags, messages, caps,
                               guard_conf)

    g = rubric.guard("keyword_density")
    if (g is not None and not in_notes and not equations
            and not _credit_in_items(written, concepts, comma_notes)):
        density = _density(ctx)
        metrics["density"] = round(density, 3)
        # Terse prose is dense too; stuffing also strings the terms together as an enumeration.
        # An enumeration of terms, not of clauses: "G makes fakes from noise, D classifies
        # real vs fake, they are trained adversarially" is three statements.
        listed = _items(written, notes=False)
        enumerated = (len(listed) >= g.param("min_items", 3)
                      and statistics.median(listed) <= g.param("max_item_words", 4))
        if (
            n_tokens >= g.param("min_tokens", 8)
            and density >= g.param("max_density", 0.6)
            and ratio <= g.param("max_function_ratio", 0.2)
            and enumerated
        ):
            guard_conf = _trip(g, "keyword-density", 0.5, flags, messages, caps,
                               guard_conf)

    if eq is not None:
        metrics["prose_words"] = prose
        if equations:
            guard_conf = _trip(eq, "equations-only", 0.7, flags, messages, caps,
                               guard_conf)

    g = rubric.guard("too_long")
    if g is not None:
        words = len(text.split())
        if words > g.param("max_words", 350):
            guard_conf = _trip(g, "too-long", 0.7, flags, messages, caps,
                               guard_conf)

    total = min([raw] + caps)
    score = floor_to_step(total, settings.step)
    score = max(0.0, min(rubric.max_marks, score))
    confidence = min([guard_conf] + [c.confidence for c in concepts])
    confidence = round(max(0.0, min(1.0, confidence)), 3)
    if confidence < settings.review_below and "low-confidence" not in flags:
        flags.append("low-confidence")
    # When a guard's cap decides the mark (a keyword list, equations only), what the concepts
    # would have earned does not matter, so their doubts are no reason to look.
    capped = bool(caps) and min(caps) <= raw
    signals = [] if capped else [signal for c in concepts for signal in c.signals]
    signals += [(flag, _GUARD_REASONS[flag]) for flag in flags if flag in _GUARD_REASONS]
    if score < rubric.max_marks and not capped:
        terms = uncredited_terms(ctx, concepts)
        if len(terms) >= review.UNCREDITED_TERMS:
            signals.append(("uncredited-terms", f"{len(terms)} on-topic words earned nothing: "
                                                + ", ".join(terms[:8])))
        words = len(text.split())
        if words >= review.LONG_ANSWER_WORDS and score <= rubric.max_marks / 2:
            signals.append(("long-answer-low-mark", f"{words} words for {_fmt(score)} of "
                                                    f"{_fmt(rubric.max_marks)} marks"))
    found = answer_features(ctx, concepts, flags, signals, score, capped, text)
    if rubric.neighbours is not None:
        near, why = rubric.neighbours.features(text, score, {c.id: c.earned for c in concepts})
        found.values.update(near)
        found.reasons.update(why)
    if rubric.review_model is not None:
        weighed, risk, needs_review = review.assess_model(rubric.review_model, found.values,
                                                          found.reasons)
    else:
        weighed, risk, needs_review = review.assess(
            signals, dict(settings.review_weights) or None, settings.review_threshold)
    forced = [f for f in flags if f in review.ALWAYS_REVIEW]
    if forced:
        # always reviewed, and the reason leads whether or not the model flagged it too
        needs_review = True
        weighed = [review.Signal(f, _ALWAYS_REASONS.get(f, f), 0.0) for f in forced] + [
            s for s in weighed if s.id not in forced]
    for signal in weighed:
        if needs_review and signal.id not in flags:
            flags.append(signal.id)
    return RubricResult(
        part=rubric.part,
        score=score,
        max_score=rubric.max_marks,
        concepts=concepts,
        flags=flags,
        confidence=confidence,
        needs_review=needs_review,
        raw_score=raw,
        guard_messages=messages,
        metrics=metrics,
        risk=risk,
        reasons=[s.reason for s in weighed],
        signals=signals,
        features=found.values,
    )


def _trip(guard, flag: str, confidence: float, flags: list[str], messages: list[str],
          caps: list[float], current: float) -> float:
    """Record a tripped guard: its flag, its message, its cap; return the lowered confidence."""
    flags.append(flag)
    messages.append(guard.message)
    if guard.cap is not None:
        caps.append(guard.cap)
    return min(current, confidence)
