"""The pattern compiler: phrasing strings and mappings of a rubric into slots of words.

:class:`Compiler` turns one written phrasing ("restore|recover @resolution", or a mapping with
``match``/``actor``/``does``/``window``/``order``/``scope``/``except``/``not_actor``) into a
:class:`~autograder.rubric.model.Phrasing`: it splits slots and alternatives, expands synonym
families (rejecting unknown ones and cycles), drops stopwords, keeps negators as cues and reports
every mistake with its line. The pattern language itself is documented in ``schema.py``.

This module must not read files, validate the rest of a rubric, score answers or know about any
particular assignment.
"""

from __future__ import annotations

import re
from typing import Any

from ..yamlio import LDict, line_of
from .model import Phrasing, Settings, Slot, Word
from .sections import ErrorContext, check_keys, get_number
from .text import NEGATION_PHRASES, NEGATION_WORDS, STOPWORDS, Analyzer, normalise

_PHRASING_KEYS = {
    "match", "actor", "does", "window", "order", "scope", "except", "not_actor", "unnamed",
    "roleless",
}


def split_top(text: str, sep: str | None) -> list[str]:
    """Split on whitespace (``sep=None``) or on ``sep``, outside parentheses."""
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        is_sep = ch.isspace() if sep is None else ch == sep
        if is_sep and depth == 0:
            if current or sep is not None:
                parts.append(current)
            current = ""
            continue
        current += ch
    if current or sep is not None:
        parts.append(current)
    return parts


def _strip_parens(text: str) -> str:
    """Remove parentheses that wrap the whole of ``text`` ("(a b|c)" → "a b|c")."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        wraps = True
        for k, ch in enumerate(text):
            depth += (ch == "(") - (ch == ")")
            if depth == 0 and k < len(text) - 1:
                wraps = False  # "(a) (b)": the first ")" closes before the end
                break
        if not wraps:
            break
        text = text[1:-1].strip()
    return text


class Compiler:
    """Turns the validated YAML of one rubric into compiled objects."""

    def __init__(
        self,
        ctx: ErrorContext,
        settings: Settings,
        analyzer: Analyzer,
        synonyms: dict[str, tuple[list[str], int]],
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.analyzer = analyzer
        self.synonyms = synonyms

    def word(self, raw: str, line: int) -> Word | None:
        """One written word → Word, or None when it is a droppable stopword."""
        mode = "stem"
        text = raw
        if text.startswith("="):
            mode, text = "exact", text[1:]
        elif text.endswith("*") and len(text) > 1:
            mode, text = "prefix", text[:-1]
        norm = normalise(text)
        if not norm or not re.fullmatch(r"[^\W_]+", norm):
            raise self.ctx.error(
                line, f"'{raw}' is not a word", "write letters/digits only; split hyphenated words"
            )
        if norm in NEGATION_WORDS or norm in self.analyzer.extra_cues or norm == "not":
            return Word(norm, "cue", norm)
        if norm in STOPWORDS and mode == "stem":
            return None
        return Word(norm, mode, self.analyzer.stem(norm))

    def sequence(self, text: str, line: int, stack: tuple[str, ...]) -> list[tuple[Word, ...]]:
        """A multi-word alternative (possibly an @family) → list of word sequences."""
        text = text.strip()
        if text.startswith("@"):
            return self.family(text[1:], line, stack)
        words: list[Word] = []
        stop_only: list[str] = []
        raw_words = re.split(r"[\s\-]+", text)
        # Multi-word negation cues ("rather than") are kept whole, as cues.
        k = 0
        while k < len(raw_words):
            matched = False
            for phrase in NEGATION_PHRASES:
                if tuple(normalise(w) for w in raw_words[k : k + len(phrase)]) == phrase:
                    words += [Word(p, "cue", p) for p in phrase]
                    k += len(phrase)
                    matched = True
                    break
            if matched:
                continue
            if raw_words[k]:
                if raw_words[k].startswith("@"):
                    raise self.ctx.error(
                        line,
                        f"'{raw_words[k]}' is a family inside a multi-word alternative",
                        "put the family in its own slot, or list the words of the sequence",
                    )
                w = self.word(raw_words[k], line)
                if w is not None:
                    words.append(w)
                else:
                    # A function word inside a written sequence ("against each other") is kept
                    # as an exact word: it carries the meaning of the sequence.
                    norm = normalise(raw_words[k])
                    words.append(Word(norm, "exact", norm))
                    stop_only.append(norm)
            k += 1
        if not words or len(stop_only) == len(words):
            return []
        return [tuple(words)]

    def family(self, name: str, line: int, stack: tuple[str, ...]) -> list[tuple[Word, ...]]:
        if name not in self.synonyms:
            known = ", ".join(sorted(self.synonyms)) or "none defined"
            raise self.ctx.error(
                line,
                f"unknown synonym family '@{name}'",
                f"define it under 'synonyms:' or use one of: {known}",
            )
        if name in stack:
            raise self.ctx.error(
                line,
                f"synonym family '@{name}' includes itself ({' -> '.join(stack + (name,))})",
                "remove the cycle",
            )
        members, fam_line = self.synonyms[name]
        out: list[tuple[Word, ...]] = []
        for member in members:
            seqs = self.sequence(member, getattr(member, "line", fam_line), stack + (name,))
            if not seqs:
                raise self.ctx.error(
                    getattr(member, "line", fam_line),
                    f"member '{member}' of family '@{name}' has only stopwords and can never match",
                    "add a content word or remove the member",
                )
            out += seqs
        return out

    def slot(self, token: str, line: int) -> Slot | None:
        alternatives: list[tuple[Word, ...]] = []
        only_stop = True
        for alt in split_top(_strip_parens(token), "|"):
            alt = _strip_parens(alt)
            if "(" in alt or ")" in alt:
                raise self.ctx.error(
                    line, f"nested parentheses in '{token}'", "write one level: (a b|c d)"
                )
            if not alt.strip():
                raise self.ctx.error(
                    line, f"empty alternative in '{token}'", "remove the stray '|'"
                )
            seqs = self.sequence(alt, line, ())
            if seqs:
                only_stop = False
            alternatives += seqs
        if only_stop:
            return None
        # Deduplicate while keeping order.
        unique = list(dict.fromkeys(alternatives))
        return Slot(token, tuple(unique))

    def phrasing(self, item: Any, line: int, where: str, actors: set[str]) -> Phrasing:
        s = self.settings
        if isinstance(item, str):
            source, window, order, scope, actor = str(item), s.window, s.order, s.scope, None
            not_actor, unnamed, roleless = None, False, False
        elif isinstance(item, LDict):
            check_keys(self.ctx, item, _PHRASING_KEYS, f"a phrasing of {where}")
            line = item.line
            if ("match" in item) == ("does" in item):
                raise self.ctx.error(
                    line,
                    f"a phrasing of {where} needs exactly one of 'match' or 'does'",
                    'write {match: "..."} or {actor: NAME, does: "..."}',
                )
            if "does" in item and "actor" not in item:
                raise self.ctx.error(
                    line,
                    f"'does' without 'actor' in {where}",
                    "add actor: NAME (one of the rubric's actors)",
                )
            if "actor" in item and "does" not in item:
                raise self.ctx.error(
                    line, f"'actor' without 'does' in {where}", 'write the action as does: "..."'
                )
            source = str(item.get("match", item.get("does")))
            window = (
                int(get_number(self.ctx, item, "window", minimum=1))
                if "window" in item
                else s.window
            )
            order = str(item.get("order", s.order))
            scope = str(item.get("scope", s.scope))
            actor = str(item["actor"]) if "actor" in item else None
            if order not in {"any", "strict"}:
                raise self.ctx.error(
                    line_of(item, "order"),
                    f"order '{order}' is unknown",
                    "use order: any or order: strict",
                )
            if scope not in {"sentence", "clause", "answer"}:
                raise self.ctx.error(
                    line_of(item, "scope"),
                    f"scope '{scope}' is unknown",
                    "use scope: sentence, clause or answer",
                )
            not_actor = str(item["not_actor"]) if "not_actor" in item else None
            if not_actor is not None and (not_actor not in actors or actor is not None):
                raise self.ctx.error(
                    line_of(item, "not_actor"),
                    f"'not_actor: {not_actor}' in {where} must name a declared actor, on a "
                    "'match' phrasing",
                    f"use one of: {', '.join(sorted(actors)) or 'none'}; drop 'actor'",
                )
            unnamed = item.get("unnamed", False)
            if not (isinstance(unnamed, bool) or unnamed == "anywhere") or (
                    unnamed and actor is None):
                raise self.ctx.error(
                    line_of(item, "unnamed"),
                    f"'unnamed' in {where} must be true, false or anywhere, on an "
                    "'actor'/'does' phrasing",
                    "write unnamed: true beside actor: NAME and does: \"...\"",
                )
            roleless = item.get("roleless", False)
            if not isinstance(roleless, bool) or (roleless and actor is not None):
                raise self.ctx.error(
                    line_of(item, "roleless"),
                    f"'roleless' in {where} must be true or false, on a 'match' phrasing",
                    "write roleless: true beside match: \"...\" (no actor)",
                )
            if actor is not None and actor not in actors:
                raise self.ctx.error(
                    line_of(item, "actor"),
                    f"unknown actor '{actor}' in {where}",
                    f"declare it under 'actors:' (known: {', '.join(sorted(actors)) or 'none'})",
                )
        else:
            raise self.ctx.error(
                line,
                f"a phrasing of {where} must be a string or a mapping",
                'write "words ..." or {match: "words ...", window: 6}',
            )
        if not source.strip():
            raise self.ctx.error(line, f"an empty phrasing in {where}", "remove it or write words")
        if source.count("(") != source.count(")"):
            raise self.ctx.error(
                line, f"unbalanced parentheses in phrasing '{source}'", "close every '(' with ')'"
            )
        slots: list[Slot] = []
        for token in split_top(source, None):
            sl = self.slot(token, line)
            if sl is not None:
                slots.append(sl)
        if not slots:
            raise self.ctx.error(
                line,
                f"phrasing '{source}' in {where} has only stopwords and can never match",
                "add a content word",
            )
        excepts: tuple[Phrasing, ...] = ()
        if isinstance(item, LDict) and "except" in item:
            raw = item["except"]
            if isinstance(raw, str):
                raw = [raw]
            if not isinstance(raw, list) or not raw:
                raise self.ctx.error(
                    line_of(item, "except"),
                    f"'except' of a phrasing of {where} must be a list of patterns",
                    'write except: ["real or fake"]',
                )
            out = []
            for k, sub in enumerate(raw):
                sub_line = line_of(raw, k) or line
                if isinstance(sub, LDict) and ("actor" in sub or "except" in sub):
                    raise self.ctx.error(
                        sub_line,
                        f"an 'except' pattern of {where} cannot bind an actor or nest 'except'",
                        'write a plain pattern, e.g. "real or fake"',
                    )
                out.append(self.phrasing(sub, sub_line, where, actors))
            excepts = tuple(out)
        return Phrasing(
            source, tuple(slots), window, order, scope, actor, line, excepts, not_actor, unnamed,
            roleless,
        )


__all__ = ["Compiler", "split_top"]
