"""Word matching and typo tolerance: which tokens of an answer fill a word or a slot of a rubric.

Words match tokens by stem, by exact form (plurals allowed), by prefix, as a negation cue, or as a
typo (rapidfuzz optimal-string-alignment distance, only for words of at least ``fuzzy_min_length``
letters, edits allowed growing with length, same first letter, never for a token that is itself a
rubric word or a protected real word, never for another form of the same word). Two adjacent
tokens may be one written word ("up-sampling", "VQ VAE"). A slot's occurrences are gathered here
as written: each word of a multi-word alternative follows the previous one within ``alt_gap``
content words, never across punctuation.

This module must not know about actors, negation scopes, windows or marks: it only finds words;
``actors.py`` and ``matcher.py`` decide what the occurrences mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from .model import Rubric, Slot, Word
from .text import Analysis, Token

_JOINERS = frozenset(
    "and or & while whilst whereas whereby but although though because than".split())
"""Words that join two things or two clauses: a written sequence of words (a multi-word name such
as "vector quantised VAE") never runs across one ("vector quantisation while VAE ...")."""

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


# What an OCR of a handwritten script misreads: "rn" for "m", and digits for the letters they
# look like inside a word ("resoluti0n", "fie1d", "r3duce").
_OCR_DIGITS = str.maketrans({"0": "o", "1": "l", "3": "e", "5": "s"})
_LAYER_NAME_RE = re.compile(r"([a-z]{3,})\d+")
# Nouns a word may be written together with, as German-speaking writers do ("Downsampling-
# operation" as "Downsamplingoperation"): the compound is the word.
_COMPOUND_HEADS = frozenset(
    "operation operations layer layers step steps stage stages process path part block blocks "
    "module modules phase method".split())


def ocr_reading(norm: str) -> str | None:
    """The word a scanned script most likely holds where ``norm`` was read ("cornpute" →
    "compute", "rnemory" → "memory", "resoluti0n" → "resolution"); None when there is nothing
    to repair. Digits are read as letters only in a token of two letters or more ("3x3" and
    "vgg16" stay)."""
    reading = norm
    if any(c.isdigit() for c in reading) and sum(c.isalpha() for c in reading) >= 2:
        reading = reading.translate(_OCR_DIGITS)
    reading = reading.replace("rn", "m")
    return reading if reading != norm and reading.isalpha() else None


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


class WordMatcher:
    """Word and slot lookups over one analysed answer, memoised per answer (no globals)."""

    def __init__(self, rubric: Rubric, analysis: Analysis) -> None:
        self.rubric = rubric
        self.analysis = analysis
        stems = rubric.memo.get("vocab_stems")
        if stems is None:
            stems = {w.stem for w in rubric.vocabulary() if w.mode in {"stem", "exact"}}
            stems |= {rubric.analyzer.stem(p) for p in rubric.settings.fuzzy_protect}
            stems = rubric.memo.setdefault("vocab_stems", frozenset(stems))
        self.vocab_stems: frozenset[str] = stems
        """Stems of every rubric word (and protected word): such tokens are never typos."""
        self._protect = frozenset(rubric.settings.fuzzy_protect)
        # Whether a token is a typo of a word depends on the two and the rubric only, so the
        # decisions are kept with the rubric and shared by every answer it marks.
        self._typos: dict[tuple[str, str, str, str, str], bool] = rubric.memo.setdefault(
            "typos", {})
        self._cue_members = frozenset(i for m in analysis.cue_tokens for i in m)
        self._word_cache: dict[tuple[str, str], tuple[tuple[int, bool], ...]] = {}
        self._slot_cache: dict[str, tuple[Occurrence, ...]] = {}
        self._by_initial: dict[str, list[Token]] | None = None
        self._by_stem: dict[str, list[Token]] = {}
        self._joined: dict[tuple[str, str], list[tuple[int, int]]] | None = None
        self._min_fuzzy = rubric.settings.fuzzy_min_length
        # Each token's OCR reading and its stem (None: nothing to repair), for the words a
        # scanned handwritten script garbles ("cornpute"); built with the candidate index.
        self._ocr: dict[int, tuple[str, str]] = {}

    def allowed_edits(self, length: int) -> int:
        """Edits a typo of a word of ``length`` letters may have."""
        s = self.rubric.settings
        if length < s.fuzzy_min_length:
            return 0
        allowed = 0
        for min_len, edits in s.fuzzy_edits:
            if length >= min_len:
                allowed = edits
        return allowed

    def _fuzzy_ok(self, tok: Token, word: Word) -> bool:
        key = (tok.norm, tok.stem, word.text, word.stem, word.mode)
        hit = self._typos.get(key)
        if hit is None:
            hit = self._typos[key] = self._decide_typo(tok, word)
        return hit

    def _decide_typo(self, tok: Token, word: Word) -> bool:
        if tok.norm in self._protect:
            return False
        if tok.stem in self.vocab_stems and word.mode != "exact":
            # A token that is itself a rubric word is never a typo of another one. Exact words
            # are instead guarded by the inflection test below ("generates" is not "generator",
            # "generater" is).
            return False
        if len(tok.norm) < self.rubric.settings.fuzzy_min_length:
            return False
        if not tok.norm or tok.norm[0] != word.text[0]:
            return False
        allowed = self.allowed_edits(len(word.text))
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
        allowed_stem = self.allowed_edits(len(word.stem))
        return allowed_stem > 0 and (
            OSA.distance(tok.stem, word.stem, score_cutoff=allowed_stem) <= allowed_stem
        )

    def word_match(self, tok: Token, word: Word) -> tuple[bool, bool]:
        """(matches, by typo tolerance)."""
        if word.mode == "cue":
            return tok.norm == word.text and tok.index in self._cue_members, False
        if word.mode == "prefix":
            if tok.norm.startswith(word.text):
                return True, False
            return self._ocr_match(tok, word), True
        if word.mode == "exact":
            if tok.norm == word.text or tok.norm in {word.text + "s", word.text + "es"}:
                return True, False
            if len(word.text) == 1:
                return False, False
            if self._ocr_match(tok, word):
                return True, True
            return (self._fuzzy_ok(tok, word), True)
        if tok.stem == word.stem or tok.norm == word.text:
            return True, False
        if (len(word.text) >= 5 and tok.norm.startswith(word.text)
                and tok.norm[len(word.text):] in _COMPOUND_HEADS):
            return True, False    # written as one compound: "Downsamplingoperation"
        if self._ocr_match(tok, word):
            return True, True
        return (self._fuzzy_ok(tok, word), True)

    def _ocr_match(self, tok: Token, word: Word) -> bool:
        """The token, read as an OCR misreading ("sarnpling"), is the word; a reading through
        damage, so it counts as a typo (lower confidence, never a contradiction)."""
        if self._by_initial is None:
            self._index()
        reading = self._ocr.get(tok.index)
        if reading is None:
            return False
        text, stem = reading
        if word.mode == "exact":
            return text in {word.text, word.text + "s", word.text + "es"}
        if word.mode == "prefix":
            return text.startswith(word.text)
        return stem == word.stem or text == word.text

    def word_positions(self, word: Word) -> tuple[tuple[int, bool], ...]:
        """Token indices matching ``word`` (with the fuzzy flag), memoised per answer."""
        key = (word.text, word.mode)
        hit = self._word_cache.get(key)
        if hit is None:
            out = []
            for tok in self._candidates(word):
                ok, fuzzy = self.word_match(tok, word)
                if ok:
                    out.append((tok.index, fuzzy and not (tok.stem == word.stem)))
            hit = tuple(out)
            self._word_cache[key] = hit
        return hit

    def _candidates(self, word: Word) -> list[Token]:
        """The tokens that could match ``word``, in order: for stem and exact words, those that
        equal it or could be a typo of it (same first letter, long enough); all for the rest."""
        tokens = self.analysis.tokens
        if word.mode not in {"stem", "exact"} or not word.text:
            return tokens
        if self._by_initial is None:
            self._index()
        assert self._by_initial is not None
        same = self._by_initial.get(word.text[0], [])
        if word.mode == "exact":
            return same
        # A stem match may start with another letter only when the stems agree.
        others = [t for t in self._by_stem.get(word.stem, ()) if t.norm[:1] != word.text[0]
                  and t.index not in self._ocr]
        return sorted(same + others, key=lambda t: t.index) if others else same

    def _index(self) -> None:
        """Tokens by first letter and by stem, each also under its OCR reading's."""
        self._by_initial, self._by_stem = {}, {}
        stem = self.rubric.analyzer.stem
        for tok in self.analysis.tokens:
            if tok.norm:
                self._by_initial.setdefault(tok.norm[0], []).append(tok)
            self._by_stem.setdefault(tok.stem, []).append(tok)
            reading = ocr_reading(tok.norm) if tok.norm else None
            layer = _LAYER_NAME_RE.fullmatch(tok.norm)
            if layer is not None and stem(layer.group(1)) in self.vocab_stems:
                reading = None    # a layer's name and number, "pool3", "conv5": no misreading
            if reading is not None:
                self._ocr[tok.index] = (reading, stem(reading))
                if reading[0] != tok.norm[0]:
                    self._by_initial.setdefault(reading[0], []).append(tok)
                self._by_stem.setdefault(stem(reading), []).append(tok)

    def _joined_positions(self, word: Word) -> list[Occurrence]:
        """Two adjacent tokens written as one word ("up-sampling", "VQ VAE" → "vqvae")."""
        if word.mode not in {"stem", "exact"}:
            return []
        if self._joined is None:
            # Every pair of adjacent tokens of a sentence written together, by the word they
            # make and by its stem: built once per answer, looked up per rubric word.
            self._joined = {}
            toks = self.analysis.tokens
            stem = self.rubric.analyzer.stem
            for a, b in zip(toks, toks[1:]):
                if a.sentence != b.sentence or b.gap_before not in {"", "-", " ", "_"}:
                    continue
                joined = a.norm + b.norm
                pair = (a.index, b.index)
                self._joined.setdefault(("text", joined), []).append(pair)
                self._joined.setdefault(("stem", stem(joined)), []).append(pair)
        by_text = self._joined.get(("text", word.text))
        by_stem = self._joined.get(("stem", word.stem))
        if by_text is None and by_stem is None:
            return []
        pairs = {*(by_text or ()), *(by_stem or ())}
        return [Occurrence(pair, False) for pair in sorted(pairs)]

    def slot_occurrences(self, slot: Slot) -> tuple[Occurrence, ...]:
        """Every way ``slot`` is filled in the answer, as written (actors not considered)."""
        cached = self._slot_cache.get(slot.source)
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
                        if any(ch in t.gap_before for ch in ",;:.!?()[]=\u2248"):
                            # a written sequence never runs across punctuation, nor across an
                            # equals sign ("real ≈ fake" is no "real/fake" dichotomy)
                            break
                        if j in positions:
                            nxt = j
                            fuzzy = fuzzy or positions[j]
                            break
                        if t.norm in _JOINERS:
                            break  # "vector quantisation and VAE" is two things, not one name
                        if prev.norm in _JOINERS and not t.is_stop:
                            break  # after "and", the next word of "fake and real" comes next
                    if nxt is None:
                        ok = False
                        break
                    chain.append(nxt)
                if ok:
                    key = tuple(chain)
                    found[key] = found.get(key, True) and fuzzy
        occs = tuple(Occurrence(k, v) for k, v in sorted(found.items()))
        self._slot_cache[slot.source] = occs
        return occs


__all__ = ["Occurrence", "WordMatcher"]
