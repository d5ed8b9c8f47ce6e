"""Text analysis for the rubric engine: tokens with character spans, sentences, clauses, negation.

This module turns one answer (any ``str``) into an :class:`Analysis`: word tokens that keep their
character spans into the original text, their normalised and stemmed forms, sentence and clause
numbers, a position that counts only content words (used for proximity windows) and the negation
cues whose scope covers each token.

It knows English in general (function words, negators, clause words) and nothing about any
assignment or rubric: every rubric-specific word lives in the YAML rubrics. It must not score,
must not read files and must not keep state between calls (the :class:`Analyzer` only memoises
stems, per instance).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import snowballstemmer

# Function words: dropped from phrasings, skipped by proximity windows, counted for the
# keyword-list guard. Meaningful small words ("same", "more", "less", "up", "down", "only")
# are deliberately absent.
STOPWORDS: frozenset[str] = frozenset(
    """
    a an the this that these those there here it its itself they them their theirs themselves
    we us our ours you your yours he him his she her hers i me my mine one ones
    is are was were be been being am do does did doing done have has had having
    will would shall should can could may might must ought
    of in on at by for from to into onto with within about as than then so such
    and or if because since while whereas though although but also too
    which who whom whose what when where why how whether
    very just much many some any each every both either other another own
    s t d ll re ve m o y eg ie
    """.split()
)

# Negation cues: single words, and multi-word cues as tuples. A cue negates the content words
# that follow it in the same clause, up to a scope length.
NEGATION_WORDS: frozenset[str] = frozenset(
    """
    not no never without neither nor cannot none nothing nobody nowhere unlike lack lacks
    lacking lacked unable fail fails failed failing hardly barely
    """.split()
)
NEGATION_PHRASES: tuple[tuple[str, ...], ...] = (
    ("rather", "than"),
    ("instead", "of"),
    ("as", "opposed", "to"),
    ("far", "from"),
    ("free", "of"),
)
# "not only X but also Y" and friends do not negate X.
NEGATION_EXCEPTIONS: tuple[tuple[str, ...], ...] = (
    ("not", "only"),
    ("not", "just"),
    ("not", "merely"),
    ("not", "simply"),
    ("no", "matter"),
    ("no", "doubt"),
    ("not", "bad"),
)
# Words that end a negation scope (in addition to punctuation).
SCOPE_BREAKERS: frozenset[str] = frozenset(
    """
    but whereas whereby while whilst although though however yet so because since which that
    who and then therefore thus hence instead meanwhile
    """.split()
)
_BRACKET_THEN_HEADING_RE = re.compile(r"[^\W\d_][\w-]*(?:[ \t][\w-]+)?[ \t]*:(?!\S*\))")
# Marks between words that end a negation scope after its first word (besides ",;:()").
_SCOPE_MARKS = ("\u2013", "\u2014", " - ")
_ARROWS = ("->", "\u2192", "=>")
# Negators that open a condition ("Without downsampling, ...", "No pooling -> ..."): what
# follows them is its consequence, read through an arrow and past the condition's comma.
OPENING_NEGATORS = frozenset({"without", "no"})
# Subject pronouns that open the main clause after a negated phrase ("without pooling we ...").
_MAIN_SUBJECTS = frozenset("it they we you".split())
# ... when an auxiliary follows it (not an object: "never gives you discrete codes").
FINITE_AUXILIARIES = frozenset(
    "is are was were does do did can cannot could will would has have had should must may "
    "might".split())
"""Finite auxiliary and copular verbs (the actor analysis builds its auxiliaries on them)."""
# Subjects that open a clause of their own right after a comma.
_CLAUSE_SUBJECTS = frozenset("it they this which there we you i".split())
# Two-way arrows setting two claims side by side: each is a clause of its own.
_SIDE_BY_SIDE = ("\u2194", "\u21d4", "<->", "<=>", "\u2260")
# Words that start a new clause for phrasing scope "clause" and for actor resolution ("whereby"
# as German writers use it, for "whereas": "In VAE the latent is continuous, whereby in VQ-VAE
# it is discretised").
CLAUSE_WORDS: frozenset[str] = frozenset(
    "but whereas whereby while whilst although though however meanwhile yet".split()
)
DETERMINERS: frozenset[str] = frozenset(
    "the a an its their our this that these those his her my your each every both".split()
)
ABBREVIATIONS: frozenset[str] = frozenset(
    "eg ie etc vs cf fig eq al approx resp no prob dist cont".split())
"""Words written with a full stop that does not end the sentence ("the prob. of D being wrong")."""
_CONTRACTIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "can't": ("can", "not"),
        "cannot": ("cannot",),
        "won't": ("will", "not"),
        "shan't": ("shall", "not"),
        "ain't": ("is", "not"),
    }
)
# Negative contractions typed without the apostrophe ("cant tell", "dont need"): word, not.
_BARE_NEGATIVES: Mapping[str, str] = MappingProxyType({
    "cant": "can", "dont": "do", "doesnt": "does", "didnt": "did", "isnt": "is",
    "arent": "are", "wasnt": "was", "werent": "were", "couldnt": "could", "shouldnt": "should",
    "wouldnt": "would", "havent": "have", "hasnt": "has", "hadnt": "had", "wont": "will",
})
# Words written in two halves that mean the one word ("with out" is "without").
_SPLIT_WORDS: Mapping[tuple[str, str], str] = MappingProxyType({("with", "out"): "without"})
_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[\u2191\u2193\u2260]")
# The note-taker's "is not" ("↓samp ≠ change RF"): a negator like the word.
_NOT_EQUAL = "\u2260"
# ... unless a name follows it, capitalised: then it sets two sides apart, as "↔" does.
_SIDE_NAMED_RE = re.compile(r"[ \t]*([^\W\d_])")
# The note-taker's arrows for "goes up" and "goes down" ("↓ memory, ↑ receptive field").
_ARROW_WORDS: Mapping[str, str] = MappingProxyType({"\u2191": "increases", "\u2193": "reduces"})
# An arrow heading a note is the name of what goes up or down ("↓: pool, stride ...",
# "why ↑: the map must be input res"), and written onto a word it is that word's first half
# ("↓sampling").
_ARROW_NAMES: Mapping[str, str] = MappingProxyType({"\u2191": "up", "\u2193": "down"})
# An arrow that acts is the stage itself: "↓ makes it easier to process".
_ARROW_STAGES: Mapping[str, str] = MappingProxyType({"\u2191": "upsampling",
                                                     "\u2193": "downsampling"})
_ARROW_HEADING_BEFORE_RE = re.compile(
    r"(?:^|\n|[.!?;\u2013\u2014][ \t]+)[ \t]*(?:[-*\u2022#>]+[ \t]*|\(?\d+[.)][ \t]*)?"
    r"(?:why[ \t]+|for[ \t]+)?\Z", re.IGNORECASE)
_ARROW_HEADING_AFTER_RE = re.compile(r"[ \t]*(?::|=|->|\u2192|\u2013|\u2014|-[ \t])")
_GLUED_AFTER_ARROW_RE = re.compile(r"(?:samp|scal)[a-z]*", re.IGNORECASE)
# An arrow opening a clause and then acting is the stage's name too ("↓ makes it easier to
# process, ↑ makes it bigger", "FCN: ↓ for efficiency; ↑ bc seg needs input res"): after the
# start of a clause, a space and a word that says what it does or why.
_ARROW_OPENING_RE = re.compile(
    r"(?:^|\n|[.!?;:,][ \t]+)[ \t]*(?:[-*\u2022#>]+[ \t]*|\d+[.)][ \t]*)?\Z")
# An arrow right after "without" is the stage done without: "w/o ↓, full-res convs everywhere".
_ARROW_WITHOUT_RE = re.compile(r"(?:\bw/o|\bwithout|\bno)[ \t]*\Z", re.IGNORECASE)
_ARROW_ACTING_RE = re.compile(
    r"[ \t]+(?:for|bc|b/c|because|since|to|so|is|makes|make|gives|brings|enlarges|filters|"
    r"restores|recovers|returns|helps|lets|cuts|saves|keeps|adds|needed|needs|via|upsamples|"
    r"downsamples|shrinks|grows|expands|produces|maps|ensures|allows|captures|extracts|"
    r"aggregates|lowers|raises|reduces|increases|gets|goes|takes)\b", re.IGNORECASE)
_SENTENCE_GAP_RE = re.compile(
    r"[.!?;](?:[\"')\]]*)\s|\n\s*\n|\n\s*(?:[-*\u2022]|\d+[.)])\s"
    r"|\s[*\u2022]\s"    # bullets run together on one line: "... fewer FLOPs * up: ..."
    r"|\n[ \t]*(?:#{1,6}[ \t]|\*\*|__)"    # a Markdown heading line: "# Why", "**VAE**"
    r"|\n[ \t]*\|"    # a table's row
)
# A line that opens with a heading of up to four words and a colon ("...\nupsampling: restore
# the size"): a new item, as a bullet would be.
_HEADING_RE = re.compile(
    r"(?:[^\W\d_]|[\u2191\u2193])[\w\-]*(?:[ \t]+(?:[\w\-]+|[\u2191\u2193]))"
    r"{0,3}[ \t]*(?::|->|=>|\u2192)\s")
# A bare heading line: up to four words alone on a line, bullets or numbered items under it
# ("- fine details\nVAE\n- latent is continuous"): the line opens a sentence of its own.
# A numbered item opening its line ("1) pooling: ...\n2) upsample to ..."): its number is a token,
# so the gap before it holds only the line break.
_NUMBERED_ITEM_RE = re.compile(r"\d+[.)][ \t]")
# An item numbered inline: "... continuous Gaussian 2) VQ-VAE has no KL loss".
_INLINE_ITEM_RE = re.compile(r"(\d{1,2})([)/])[ \t]")
# A mark allocation in brackets ("[1] VQ-VAE: discrete ... [1] VAE: continuous", "larger
# receptive field (0.5 mark)"): the writer's own division of the answer into points.
_MARK_BRACKET_RE = re.compile(
    r"[\[(][ \t]*\d(?:\.\d+)?[ \t]*(?:marks?|pts?|points?|m)?[ \t]*[\])]", re.IGNORECASE)
# A full stop closing a bracket, the sentence running on in lower case: "(transposed conv.) then
# maps ...".
_STOP_IN_BRACKET_RE = re.compile(r"\.[)\]][ \t]+")
_BARE_HEADING_RE = re.compile(
    r"[^\W\d_][\w\-]*(?:[ \t]+[\w\-]+){0,3}[ \t]*\n[ \t]*(?:[-*\u2022]|\d+[.)])\s")


@functools.lru_cache(maxsize=1 << 16)
def normalise(word: str) -> str:
    """Lower-case, NFKC-normalise and strip accents from one word (``"Réseau"`` → ``"reseau"``).

    Memoised: compiling a rubric normalises the same few thousand words tens of thousands of
    times."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", word).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("\u2019", "'")


# The second half of "e.g." or "i.e." right after its first letter (the last stop optional).
_LATIN_ABBREV_RE = re.compile(r"\.(?:g|e)(?![A-Za-z0-9])", re.IGNORECASE)
NUMBER_ABBREV_RE = re.compile(r"\bno\.(?=[ \t]*(?:of\b|\d))", re.IGNORECASE)
"""The abbreviated "number" ("same no. of weights", "no. 3"), not the negator and its stop."""


@dataclass(frozen=True)
class Token:
    """One word of the answer."""

    index: int
    """Position in :attr:`Analysis.tokens`."""
    surface: str
    """The characters of the original answer this token covers (for contractions, part of them)."""
    norm: str
    """Normalised lower-case form."""
    stem: str
    """Snowball English stem of :attr:`norm`."""
    start: int
    """Start offset into the original answer."""
    end: int
    """End offset (exclusive) into the original answer."""
    sentence: int
    """Sentence number, from 0."""
    clause: int
    """Clause number over the whole answer, from 0; clauses never span sentences."""
    cpos: int
    """Content position: number of content words before this one (stopwords share the next's)."""
    is_stop: bool
    """A function word (not a negation cue)."""
    is_cue: bool
    """Starts a negation cue."""
    gap_before: str
    """The raw characters between the previous token and this one."""


@dataclass(frozen=True)
class Analysis:
    """An analysed answer; built by :meth:`Analyzer.analyse`."""

    text: str
    """The analysed text (possibly truncated)."""
    tokens: tuple[Token, ...]
    negated_by: tuple[frozenset[int], ...]
    """For each token, the token indices of the negation cues whose scope covers it."""
    cue_tokens: tuple[frozenset[int], ...]
    """For each token that starts a cue, all token indices of that cue (else empty)."""
    n_sentences: int
    truncated: bool = False
    written: str = ""
    """The text as written, when ``text`` reads it differently (a table's rows read as notes,
    character for character): what quotes and the keyword guards read."""

    @property
    def as_written(self) -> str:
        """The answer as its writer wrote it (possibly truncated), offsets as in ``text``."""
        return self.written or self.text

    def span_text(self, start: int, end: int) -> str:
        """The original characters between two offsets."""
        return self.as_written[start:end]


_STEMMERS = threading.local()


def _english_stemmer():
    """This thread's snowball stemmer: a stemmer keeps the word it works on in itself, and a
    compiled rubric (with its analyzer) is shared by the threads of a batch."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer


_TABLE_BORDER_RE = re.compile(r"[ \t]*[+|]?[ \t]*[-=:]{3,}[-=:+| \t]*")


def _table_pipes(line: str) -> list[int]:
    """Where ``line`` divides cells of a table: its pipes outside brackets ("p(z|x)" is a
    conditional), when the line opens with one or has one set apart by spaces."""
    masked = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}", lambda m: " " * len(m.group(0)), line)
    pipes = [i for i, ch in enumerate(masked) if ch == "|"]
    if not pipes:
        return []
    if masked.lstrip().startswith("|") or " | " in masked or "\t|" in masked or "|\t" in masked:
        return pipes
    return []


# The label of a table's first column when its other columns are the things compared
# ("property | VAE | VQ-VAE"): the subjects are in the columns, not the rows.
_COLUMN_LABELS = frozenset(
    "property properties aspect aspects feature features criterion criteria attribute "
    "attributes category dimension item characteristic characteristics".split())


def _row_as_note(line: str) -> str:
    """One row (or one ";"-separated part of a line of rows): its first cell heads the rest."""
    chars = list(line)
    pipes = _table_pipes(line)
    if not pipes:
        return line
    if line[:pipes[0]].strip() == "":
        chars[pipes[0]] = " "                   # the row's opening pipe
        pipes = pipes[1:]
    if pipes and line[pipes[-1] + 1:].strip() == "":
        chars[pipes[-1]] = " "                  # its closing pipe
        pipes = pipes[:-1]
    if pipes:
        # a heading of a few words heads the row (after any label of the line's own: "VQ-VAE
        # vs VAE: VQ-VAE | codebook"); a longer first cell is a claim of its own
        head = line[:pipes[0]].split(":")[-1]
        heading = len(re.findall(r"[^\W_]+", head)) <= 4 and "=" not in head
        chars[pipes[0]] = ":" if heading else ";"
        for i in pipes[1:]:
            chars[i] = ","                      # the row's cells: one note's claim
    return "".join(chars)


# A citation marker after a word or a sentence ("max pooling[1]", "the input size [2, 3].",
# "context.[4]", "convolution [1][2]"): a reference for the reader, not a word of the
# statement. Not an index after one letter ("z[0]", "x[1]"), nor a mark opening the next item
# ("(codebook) [1] VAE -> ...", "a codebook index [1] VAE: ...").
_CITE = r"\[\d{1,3}(?:[ \t]*[,\u2013-][ \t]*\d{1,3})*\]"
_CITATION_RE = re.compile(
    # after a word, unless an item opens after it: "a codebook index [1] VAE: ..." is the
    # writer's mark for the next point
    rf"(?<=[^\W\d_]{{2}})[ \t]?{_CITE}(?![ \t]+[A-Z])"
    rf"|(?:(?<=[.,;:])[ \t]?|(?<=\])){_CITE}")


def _without_citations(text: str) -> str:
    """``text`` with citation markers blanked out, each character by a space (offsets kept)."""
    return _CITATION_RE.sub(lambda m: " " * len(m.group()), text)


def _table_rows_as_notes(text: str) -> str:
    """Rows of a table written with pipes read as notes, each row's first cell heading the
    rest, its cells as one claim: "| Down | large receptive field | cheap |" reads as
    " Down : large receptive field , cheap ", as "Down: large receptive field, cheap" would;
    its border and separator lines ("+----+", "|---|") read as blank. Characters are replaced
    one for one, so every offset stays where it was. Rows run together on one line with
    semicolons ("VQ-VAE | codebook ; VAE | Gaussian") are read one by one.

    A table that may name its subjects in the columns, not the rows, is left as it is: one whose
    first row starts with an empty cell ("| | Generator | Discriminator |") or with a label such
    as "property", and a Markdown table with its header ruled off."""
    if "|" not in text:
        return text
    lines = text.split("\n")
    rows = [k for k, line in enumerate(lines)
            if _table_pipes(line) and not _TABLE_BORDER_RE.fullmatch(line)]
    if not rows:
        return text
    first = lines[rows[0]].strip()
    if re.match(r"\|[ \t]*\|", first):
        return text
    label = re.findall(r"[^\W_]+", first.lstrip("|").split("|")[0].lower())
    if label and label[0] in _COLUMN_LABELS:
        return text
    if any("|" in line and "-" in line and _TABLE_BORDER_RE.fullmatch(line) for line in lines):
        return text
    out = []
    for k, line in enumerate(lines):
        if ("|" in line or "+" in line) and _TABLE_BORDER_RE.fullmatch(line):
            out.append(" " * len(line))
        elif k not in rows:
            out.append(line)
        else:
            # (a semicolon inside brackets divides nothing)
            # (a semicolon inside brackets or inside a cell divides no rows)
            masked = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), line)
            cuts = [0] + [i + 1 for i, ch in enumerate(masked) if ch == ";"] + [len(line) + 1]
            parts = [line[a:b - 1] for a, b in zip(cuts, cuts[1:])]
            if not all(_table_pipes(part) for part in parts):
                parts = [line]
            out.append(";".join(_row_as_note(part) for part in parts))
    return "\n".join(out)


@dataclass
class Analyzer:
    """Tokenises and stems answers; keeps a per-instance stem memo (safe to share between
    threads: the stemmer itself is per thread)."""

    negation_scope: int = 5
    """How many content words after a cue it negates (the clause may end it sooner)."""
    extra_cues: frozenset[str] = frozenset()
    _memo: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def stem(self, norm: str) -> str:
        """Snowball stem of an already normalised word (memoised on this instance)."""
        cached = self._memo.get(norm)
        if cached is not None:
            return cached
        core = norm.replace("'", "")
        result = _english_stemmer().stemWord(core) if core.isascii() else core  # type: ignore[attr-defined]
        if len(self._memo) < 50_000:
            self._memo[norm] = result
        return result

    def is_cue_word(self, norm: str) -> bool:
        """True when ``norm`` is a single-word negation cue."""
        return norm in NEGATION_WORDS or norm in self.extra_cues

    # ------------------------------------------------------------------ tokens
    def _raw_tokens(self, text: str) -> list[tuple[str, str, int, int]]:
        """(surface, norm, start, end) for every word, with contractions split."""
        out: list[tuple[str, str, int, int]] = []
        skip_until = -1
        for m in _WORD_RE.finditer(text):
            surface, start, end = m.group(0), m.start(), m.end()
            if start < skip_until:
                continue
            if surface.lower() == "w" and text[end:end + 2].lower() == "/o" and not (
                    text[end + 2:end + 3].isalnum()):
                # "w/o", the note-taker's "without" (a negator like the word itself)
                out.append((text[start:end + 2], "without", start, end + 2))
                skip_until = end + 2
                continue
            low = surface.lower()
            if low in ("w", "b") and text[end:end + 1] == "/" and (
                    (low == "w" and not text[end + 1:end + 2].isalnum())
                    or (low == "b" and text[end + 1:end + 2].lower() == "c"
                        and not text[end + 2:end + 3].isalnum())):
                # the note-taker's "w/" ("with") and "b/c" ("because")
                stop = end + (1 if low == "w" else 2)
                out.append((text[start:stop], "with" if low == "w" else "because", start, stop))
                skip_until = stop
                continue
            if low == "no" and NUMBER_ABBREV_RE.match(text, start):
                # "no. of weights", "no. 3": the abbreviated "number", no negator
                out.append((text[start:end + 1], "number", start, end + 1))
                skip_until = end + 1
                continue
            if low in ("e", "i") and _LATIN_ABBREV_RE.match(text, end) and (
                    low == "e") == (text[end + 1].lower() == "g"):
                # "e.g." and "i.e." are one word each: their letters are no one-letter names
                # ("e.g. an autoencoder" says nothing of a generator G)
                out.append((text[start:end + 2], low + text[end + 1].lower(), start, end + 2))
                skip_until = end + 2
                continue
            if surface == _NOT_EQUAL:
                named = _SIDE_NAMED_RE.match(text, end)
                if named is None or not named.group(1).isupper():
                    out.append((surface, "not", start, end))
                continue    # "VQ = discrete codes ≠ VAE = sampled": two sides set apart
            if surface in _ARROW_WORDS:
                glued = _GLUED_AFTER_ARROW_RE.match(text, end)
                if glued is not None:
                    # "↓sampling": the arrow is the word's first half
                    word = _ARROW_NAMES[surface] + glued.group(0).lower()
                    out.append((text[start:glued.end()], word, start, glued.end()))
                    skip_until = glued.end()
                    continue
                named = (_ARROW_HEADING_BEFORE_RE.search(text, 0, start) is not None
                         and _ARROW_HEADING_AFTER_RE.match(text, end) is not None)
                acting = not named and (
                    (_ARROW_OPENING_RE.search(text, 0, start) is not None
                     and _ARROW_ACTING_RE.match(text, end) is not None)
                    or _ARROW_WITHOUT_RE.search(text, 0, start) is not None)
                names = (_ARROW_NAMES if named else _ARROW_STAGES if acting else _ARROW_WORDS)
                out.append((surface, names[surface], start, end))
                continue
            norm = normalise(surface)
            if norm in _CONTRACTIONS:
                parts = _CONTRACTIONS[norm]
                if len(parts) == 1:
                    out.append((surface, parts[0], start, end))
                else:
                    cut = start + max(len(surface) - 3, 1)
                    out.append((text[start:cut], parts[0], start, cut))
                    out.append((text[cut:end], parts[1], cut, end))
                continue
            if norm in _BARE_NEGATIVES:
                base = _BARE_NEGATIVES[norm]
                cut = min(start + len(base), end - 1)
                out.append((text[start:cut], base, start, cut))
                out.append((text[cut:end], "not", cut, end))
                continue
            if norm.endswith("n't") and len(norm) > 3:
                cut = end - 3
                out.append((text[start:cut], norm[:-3], start, cut))
                out.append((text[cut:end], "not", cut, end))
                continue
            if "'" in norm:
                base, _, suffix = norm.partition("'")
                if suffix in {"s", "re", "ll", "ve", "d", "m"}:
                    cut = start + len(base)
                    out.append((text[start:cut], base, start, cut))
                    continue
                norm = norm.replace("'", "")
            out.append((surface, norm, start, end))
        return self._join_split_words(text, out)

    @staticmethod
    def _join_split_words(
        text: str, raw: list[tuple[str, str, int, int]]
    ) -> list[tuple[str, str, int, int]]:
        """Rejoin a word students often split in two ("with out" → "without")."""
        out: list[tuple[str, str, int, int]] = []
        k = 0
        while k < len(raw):
            if k + 1 < len(raw):
                (_, a, s0, e0), (_, b, s1, e1) = raw[k], raw[k + 1]
                joined = _SPLIT_WORDS.get((a, b))
                if (
                    joined is not None
                    and text[e0:s1].strip(" ") == ""
                    and not text[e1 : e1 + 1] == "-"  # "with out-of-range values"
                ):
                    out.append((text[s0:e1], joined, s0, e1))
                    k += 2
                    continue
            out.append(raw[k])
            k += 1
        return out

    def analyse(self, text: str, max_chars: int | None = None) -> Analysis:
        """Analyse ``text``; never raises on any string. Texts over ``max_chars`` are truncated."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        truncated = False
        if max_chars is not None and len(text) > max_chars:
            text, truncated = text[:max_chars], True
        written, text = text, _table_rows_as_notes(_without_citations(text))
        raw = self._raw_tokens(text)
        norms = [r[1] for r in raw]

        # Sentence and clause numbers.
        sentence_ids: list[int] = []
        clause_ids: list[int] = []
        sent = clause = 0
        prev_end = 0
        for i, (_surface, norm, start, _end) in enumerate(raw):
            gap = text[prev_end:start]
            if i > 0:
                prev_gap = text[raw[i - 2][3] : raw[i - 1][2]] if i >= 2 else ""
                new_sentence = (bool(_SENTENCE_GAP_RE.search(gap + " "))
                                and gap != ".."    # a range: "z in {e_1..e_K}"
                                and not self._is_abbrev(norms, i, gap, prev_gap)
                                and not (_STOP_IN_BRACKET_RE.fullmatch(gap)
                                         and raw[i][0][:1].islower())) or (
                    "\n" in gap and (_HEADING_RE.match(text, start) is not None
                                     or _BARE_HEADING_RE.match(text, start) is not None
                                     or _NUMBERED_ITEM_RE.match(text, start) is not None)
                ) or self._inline_item(text, start) or self._mark_bracket(text, gap, start) or (
                    # a note heading after a closing bracket on the same line: "VQVAE: discrete
                    # latent (codebook index) VAE: continuous latent"
                    # (not a verb going on after a gloss: "VQ-VAE's latent space (潜在空间) is
                    # discrete: ...")
                    gap.rstrip(" \t").endswith(")") and not gap.strip().startswith(",")
                    and norm not in FINITE_AUXILIARIES
                    and _BRACKET_THEN_HEADING_RE.match(text, start) is not None)
                if new_sentence:
                    sent += 1
                    clause += 1
                elif ((norm in CLAUSE_WORDS and not self._trailing_adverb(text, raw, i, gap))
                      or ";" in gap or " - " in gap or "\u2014" in gap
                      or any(mark in gap for mark in _SIDE_BY_SIDE)):
                    # A spaced hyphen or a dash ends a clause ("..., continuous - VQ-VAE ..."),
                    # as do bullets run together on one line and a two-way arrow setting two
                    # things side by side ("VAE latent discrete ↔ VQ-VAE latent continuous").
                    clause += 1
            sentence_ids.append(sent)
            clause_ids.append(clause)
            prev_end = raw[i][3]

        # Cues (multi-word first), exceptions removed.
        cue_tokens: list[frozenset[int]] = [frozenset() for _ in raw]
        cue_member: set[int] = set()
        i = 0
        while i < len(raw):
            matched = False
            for phrase in NEGATION_PHRASES:
                if tuple(norms[i : i + len(phrase)]) == phrase:
                    members = frozenset(range(i, i + len(phrase)))
                    cue_tokens[i] = members
                    cue_member.update(members)
                    i += len(phrase)
                    matched = True
                    break
            if matched:
                continue
            if self.is_cue_word(norms[i]) and not any(
                tuple(norms[i : i + len(exc)]) == exc for exc in NEGATION_EXCEPTIONS
            ) and not self._interjection(text, raw, i):
                cue_tokens[i] = frozenset({i})
                cue_member.add(i)
            i += 1

        is_stop = [n in STOPWORDS and k not in cue_member for k, n in enumerate(norms)]
        # Content positions: stopwords share the position of the next content word.
        cpos: list[int] = [0] * len(raw)
        count = 0
        for k in range(len(raw)):
            cpos[k] = count
            if not is_stop[k]:
                count += 1

        tokens: list[Token] = []
        prev_end = 0
        for k, (surface, norm, start, end) in enumerate(raw):
            tokens.append(
                Token(
                    index=k,
                    surface=surface,
                    norm=norm,
                    stem=self.stem(norm),
                    start=start,
                    end=end,
                    sentence=sentence_ids[k],
                    clause=clause_ids[k],
                    cpos=cpos[k],
                    is_stop=is_stop[k],
                    is_cue=bool(cue_tokens[k]),
                    gap_before=text[prev_end:start],
                )
            )
            prev_end = end

        negated_by = self._negation_scopes(tokens, cue_tokens)
        return Analysis(
            text=text,
            tokens=tuple(tokens),
            negated_by=negated_by,
            cue_tokens=tuple(cue_tokens),
            n_sentences=(sent + 1) if raw else 0,
            truncated=truncated,
            written=written if written != text else "",
        )

    @staticmethod
    def _interjection(text: str, raw: list, i: int) -> bool:
        """ "no" set off by a comma or a dash ("actually no, I think the VAE latent is also
        discrete", "No - it is the other way"): an answer to something, negating nothing after
        it."""
        if raw[i][1] != "no" or i + 1 >= len(raw):
            return False
        gap = text[raw[i][3]:raw[i + 1][2]]
        if "\n" in gap:
            return False
        mark = gap.strip()[:1]
        # a hyphen only when spaced: "no-KL objective" is a negation
        return mark in (",", "!", "\u2014", "\u2013") or (mark == "-" and gap != mark)

    @staticmethod
    def _trailing_adverb(text: str, raw: list, i: int, gap: str) -> bool:
        """ "though" or "however" closing its clause ("we want a per-pixel output though, so
        ...") rather than opening one: right after a word, with a comma or a stop after it."""
        if raw[i][1] not in ("though", "however") or gap.strip():
            return False
        after = text[raw[i][3]:raw[i + 1][2]] if i + 1 < len(raw) else "."
        return any(ch in after for ch in ",.!?;") or i + 1 == len(raw)

    @staticmethod
    def _inline_item(text: str, start: int) -> bool:
        """An item numbered on the same line as the one before it ("1) latent: ... 2) VQ-VAE
        has no KL loss ...", a thread's "1/ ... 2/ ..."): "2)" opens a sentence when "1)" came
        before and no bracket is open ("N(0, 1) samples" numbers nothing; "1/32" is no item)."""
        found = _INLINE_ITEM_RE.match(text, start)
        if found is None:
            return False
        number, mark = int(found.group(1)), re.escape(found.group(2))
        if number < 2 or text.count("(", 0, start) > text.count(")", 0, start):
            return False
        return re.search(rf"(?:^|\s){number - 1}{mark}\s", text[:start]) is not None

    @staticmethod
    def _mark_bracket(text: str, gap: str, start: int) -> bool:
        """A bracketed mark allocation ("[1]", "(0.5 mark)") opens a sentence: the writer numbers
        the points of the answer with the marks they expect, before or after each point."""
        bracket = gap.rstrip(" \t")
        if not bracket.endswith(("(", "[")) or bracket[:-1].rstrip().endswith(":"):
            return False  # "downsampling: (1) compute ...": the heading's first point
        found = _MARK_BRACKET_RE.match(text, start - (len(gap) - len(bracket)) - 1)
        # "Point 1 (0.5):", "Motivation for downsampling (1m):": part of the heading
        return found is not None and not text[found.end():].lstrip(" \t").startswith(":")

    @staticmethod
    def _is_abbrev(norms: list[str], i: int, gap: str, prev_gap: str = ".") -> bool:
        """A full stop after "e.g", "etc", "vs" or a single letter does not end a sentence.

        ``prev_gap`` is the text between the two words before the stop: "e.g." has a stop
        there, "N(0, 1)." does not."""
        if "." not in gap or "\n\n" in gap:
            return False
        if gap.lstrip()[:1] in (")", "]", '"', "'") and "." in gap.lstrip()[1:]:
            return False  # "(gaussian, reparam trick etc). vqvae = ...": the stop closes it
        prev = norms[i - 1]
        if prev in ABBREVIATIONS and prev != "no":
            return True
        if gap == "." and len(prev) == 1 and len(norms[i]) == 1 and prev.isalpha():
            return True  # inside "e.g" / "i.e"
        if gap == "." and prev.isdigit() and norms[i].isdigit():
            return True  # a decimal point: "D outputs 0.5 everywhere"
        if (
            len(prev) == 1
            and prev.isalpha()
            and i >= 2
            and len(norms[i - 2]) == 1
            and prev_gap.strip() == "."
        ):
            return True  # "e.g." / "i.e." split into single letters
        return False

    def _negation_scopes(
        self, tokens: list[Token], cue_tokens: list[frozenset[int]]
    ) -> tuple[frozenset[int], ...]:
        scopes: list[set[int]] = [set() for _ in tokens]
        for k, members in enumerate(cue_tokens):
            if not members:
                continue
            last = max(members)
            seen_content = 0
            for j in range(last + 1, len(tokens)):
                tok = tokens[j]
                if tok.sentence != tokens[k].sentence:
                    break
                if tok.norm in SCOPE_BREAKERS and tok.norm not in {"that", "so"}:
                    break
                if tok.norm in {"that", "so"} and j > last + 1:
                    break
                if any(ch in tok.gap_before for ch in ",;:()") and j > last + 1:
                    break
                # a dash opens another clause ("the VAE latent is not discrete - it's a
                # continuous Gaussian"); an arrow does only after a denied verb ("D wants to
                # not get fooled -> minimax game"): "without downsampling -> too expensive" is
                # read through it
                if j > last + 1 and any(mark in tok.gap_before for mark in _SCOPE_MARKS):
                    break
                if (j > last + 1 and tokens[k].norm not in OPENING_NEGATORS
                        and any(mark in tok.gap_before for mark in _ARROWS)):
                    break
                if j == last + 1 and any(ch in tok.gap_before for ch in ";:"):
                    break
                # "VQ-VAE is not, it maps the latent to discrete codes": the negation closed
                # its clause, a new one opens on its subject
                if j == last + 1 and "," in tok.gap_before and tok.norm in _CLAUSE_SUBJECTS:
                    break
                # a subject pronoun after the cue's object opens the main clause: "unlike
                # pooling it does not reduce the resolution", "without pooling we can keep ..."
                if (seen_content and tok.norm in _MAIN_SUBJECTS and j + 1 < len(tokens)
                        and tokens[j + 1].norm in FINITE_AUXILIARIES):
                    break
                scopes[j].add(k)
                if not tok.is_stop:
                    seen_content += 1
                    if seen_content >= self.negation_scope:
                        break
        return tuple(frozenset(s) for s in scopes)
