"""Rubric files: the YAML schema, its validation and its compilation into immutable objects.

A rubric file describes one text part: its concepts and their marks, the phrasings that earn
each concept (a small pattern language over words, stems, synonym families, proximity windows,
actor/action bindings and explicit negators), the phrasings that contradict a concept, the guards
(keyword lists, keyword density, equations only, long answers) and the calibration thresholds.

Every error is a :class:`RubricError` whose message names the file, the line and the fix.
This module must not score answers and must not know about any particular assignment.

Phrasing language (one phrasing = one string, or a mapping with options)::

    "@upsample @restore @resolution"     slots; each slot must match, within the window
    "restore|recover @resolution"        alternatives of one slot, separated by |
    "(field of view|receptive field)"    multi-word alternatives in parentheses
    "=d"                                 exact word (plurals allowed, no stemming)
    "quantiz*"                           prefix
    "without @lose @resolution"          negators written in a phrasing are required words, and
                                         the negation they express does not cancel the match
    {match: "...", window: 6, order: strict, scope: clause}
    {actor: generator, does: "@produce @sample"}   the first slot's subject must be that actor
    {match: "...", not_actor: discriminator}       not when that actor is the subject
    {match: "...", except: ["real or fake"]}       a match sharing a word with a match of an
                                                   except pattern does not count ("classified as
                                                   real or fake" is not "looks real")

Actors are one slot each (``generator: "@generator"``), or a mapping with ``pattern`` and
``labels``: words that name the actor only as a note heading at the start of a sentence or line,
followed by a colon or a dash (``labels: [down]`` reads "Down: cheaper" as the downsampling's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .text import NEGATION_PHRASES, NEGATION_WORDS, STOPWORDS, Analyzer, normalise


class RubricError(Exception):
    """A rubric or calibration file is invalid; the message names the file, the line and the fix."""


# --------------------------------------------------------------------------- line-aware YAML
class LStr(str):
    """A YAML string that remembers its line."""

    line: int = 0


class LDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LList(list):  # type: ignore[type-arg]
    """A YAML sequence that remembers its line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings, sequences and strings carry 1-based line numbers."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain words", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> LStr:
    result = LStr(loader.construct_scalar(node))
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


def load_yaml_with_lines(path: Path) -> Any:
    """Parse a YAML file into LDict/LList/LStr values; syntax errors become RubricError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RubricError(
            f"{path}: cannot read the file ({exc.strerror}); check the path."
        ) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RubricError(
            f"{path}{line}: invalid YAML ({problem}); fix the syntax (indentation, quotes, colons)."
        ) from exc


def line_of(container: Any, key: str | int | None = None) -> int:
    """Best-known line of ``container[key]`` (or of the container itself)."""
    if isinstance(container, LDict) and key is not None and str(key) in container.key_lines:
        return container.key_lines[str(key)]
    if (
        isinstance(container, LList)
        and isinstance(key, int)
        and 0 <= key < len(container.item_lines)
    ):
        return container.item_lines[key]
    return int(getattr(container, "line", 0))


# --------------------------------------------------------------------------- compiled objects
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
    anonymous_actors: bool = False
    """When an answer names none of the actors, credit each action to the actor its phrasing
    expects (no role can be swapped when no role is named)."""


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
        """(concept id, kind, phrasing) for every phrasing; kind is full, partial or contradicts."""
        out: list[tuple[str, str, Phrasing]] = []
        for c in self.concepts:
            out += [(c.id, "full", p) for p in c.phrasings]
            out += [(c.id, "partial", p) for a in c.partial for p in a.phrasings]
            out += [(c.id, "contradicts", p) for p in c.contradicts]
        return out

    def vocabulary(self) -> list[Word]:
        """Every distinct word the rubric can match (phrasings and actors)."""
        seen: dict[tuple[str, str], Word] = {}
        slots = [s for _, _, p in self.all_phrasings() for s in p.slots]
        slots += [s for _, s in self.actors]
        slots += [s for _, s in self.actor_labels]
        for slot in slots:
            for alt in slot.alternatives:
                for w in alt:
                    seen.setdefault((w.text, w.mode), w)
        return list(seen.values())


# --------------------------------------------------------------------------- validation
GUARD_DEFAULTS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "keyword_list": {
            "enabled": True,
            "cap": 0.0,
            "min_items": 4,
            "max_item_words": 3,
            "max_function_ratio": 0.12,
            "max_run": 7,
            "min_tokens": 5,
            "message": "Your answer reads as a list of terms. Explain in sentences how the ideas "
            "connect and why they matter.",
        },
        "keyword_density": {
            "enabled": True,
            "cap": 0.5,
            "max_density": 0.6,
            "max_function_ratio": 0.2,
            "min_items": 3,
            "min_tokens": 8,
            "message": "Your answer packs many technical terms together without explaining them. "
            "Say what each idea does and why.",
        },
        "equations_only": {
            "enabled": False,
            "cap": 1.0,
            "max_prose_words": 3,
            "min_symbols": 5,
            "message": "The question asks for a conceptual explanation in words, "
            "not only equations.",
        },
        "too_long": {
            "enabled": True,
            "cap": None,
            "max_words": 350,
            "message": "Your answer is much longer than needed; "
            "a focused answer is easier to mark.",
        },
    }
)

_TOP_KEYS = {
    "part",
    "max_marks",
    "title",
    "settings",
    "synonyms",
    "actors",
    "concepts",
    "guards",
    "calibration",
}
_CONCEPT_KEYS = {"id", "marks", "feedback", "phrasings", "partial", "contradicts"}
_PHRASING_KEYS = {"match", "actor", "does", "window", "order", "scope", "except", "not_actor"}
_SETTINGS_KEYS = {
    "window",
    "scope",
    "order",
    "alt_gap",
    "fuzzy",
    "negation",
    "max_chars",
    "review_below",
    "step",
    "object_markers",
    "default_actor",
    "anonymous_actors",
}
_CALIBRATION_KEYS = {
    "max_mae",
    "min_exact",
    "min_within_half",
    "min_kappa",
    "traps_never_above_human",
}
_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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


class _Ctx:
    """Where we are in a file, to build error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, line: int, what: str, fix: str) -> RubricError:
        where = f"{self.path}, line {line}" if line else str(self.path)
        return RubricError(f"{where}: {what}; {fix}")


def _is_multiple(value: float, step: float) -> bool:
    return abs(value / step - round(value / step)) < 1e-9


def _number(ctx: _Ctx, mapping: LDict, key: str, *, minimum: float | None = None) -> float:
    value = mapping[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ctx.error(
            line_of(mapping, key),
            f"'{key}' must be a number, got {value!r}",
            f"write a number, e.g. {key}: 1",
        )
    if minimum is not None and value < minimum:
        raise ctx.error(
            line_of(mapping, key),
            f"'{key}' must be at least {minimum}, got {value}",
            "use a larger value",
        )
    return float(value)


def _check_keys(ctx: _Ctx, mapping: LDict, allowed: set[str], where: str) -> None:
    for key in mapping:
        if key not in allowed:
            raise ctx.error(
                line_of(mapping, key),
                f"unknown key '{key}' in {where}",
                f"use one of: {', '.join(sorted(allowed))}",
            )


class _Compiler:
    """Turns the validated YAML of one rubric into compiled objects."""

    def __init__(
        self,
        ctx: _Ctx,
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
            not_actor = None
        elif isinstance(item, LDict):
            _check_keys(self.ctx, item, _PHRASING_KEYS, f"a phrasing of {where}")
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
                int(_number(self.ctx, item, "window", minimum=1)) if "window" in item else s.window
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
        return Phrasing(source, tuple(slots), window, order, scope, actor, line, excepts, not_actor)


def _parse_settings(ctx: _Ctx, data: Any) -> Settings:
    if data is None:
        return Settings()
    if not isinstance(data, LDict):
        raise ctx.error(
            line_of(data), "'settings' must be a mapping", "write settings: {window: 8}"
        )
    _check_keys(ctx, data, _SETTINGS_KEYS, "settings")
    kwargs: dict[str, Any] = {}
    for key in ("window", "alt_gap", "max_chars"):
        if key in data:
            kwargs[key] = int(_number(ctx, data, key, minimum=0 if key == "alt_gap" else 1))
    for key in ("review_below", "step"):
        if key in data:
            kwargs[key] = _number(ctx, data, key, minimum=0)
    if "step" in kwargs and kwargs["step"] <= 0:
        raise ctx.error(line_of(data, "step"), "step must be positive", "use step: 0.5")
    for key, allowed in (("scope", {"sentence", "clause", "answer"}), ("order", {"any", "strict"})):
        if key in data:
            if data[key] not in allowed:
                raise ctx.error(
                    line_of(data, key),
                    f"{key} '{data[key]}' is unknown",
                    f"use one of: {', '.join(sorted(allowed))}",
                )
            kwargs[key] = str(data[key])
    fuzzy = data.get("fuzzy")
    if fuzzy is not None:
        if not isinstance(fuzzy, LDict):
            raise ctx.error(
                line_of(data, "fuzzy"),
                "'fuzzy' must be a mapping",
                "write fuzzy: {min_length: 5, edits: [[5, 1], [9, 2]], protect: []}",
            )
        _check_keys(ctx, fuzzy, {"min_length", "edits", "protect"}, "settings.fuzzy")
        if "min_length" in fuzzy:
            kwargs["fuzzy_min_length"] = int(_number(ctx, fuzzy, "min_length", minimum=1))
        if "edits" in fuzzy:
            edits = fuzzy["edits"]
            ok = isinstance(edits, list) and all(
                isinstance(e, list) and len(e) == 2 and all(isinstance(x, int) for x in e)
                for e in edits
            )
            if not ok:
                raise ctx.error(
                    line_of(fuzzy, "edits"),
                    "'edits' must be a list of [length, edits]",
                    "write edits: [[5, 1], [9, 2]]",
                )
            kwargs["fuzzy_edits"] = tuple(sorted((int(a), int(b)) for a, b in edits))
        if "protect" in fuzzy:
            prot = fuzzy["protect"]
            if not isinstance(prot, list) or not all(isinstance(p, str) for p in prot):
                raise ctx.error(
                    line_of(fuzzy, "protect"),
                    "'protect' must be a list of words",
                    "write protect: [simple, continue]",
                )
            kwargs["fuzzy_protect"] = tuple(normalise(p) for p in prot)
    if "default_actor" in data:
        if not isinstance(data["default_actor"], str):
            raise ctx.error(
                line_of(data, "default_actor"),
                "'default_actor' must be an actor name",
                "write default_actor: NAME (declared under actors:)",
            )
        kwargs["default_actor"] = str(data["default_actor"])
    if "anonymous_actors" in data:
        if not isinstance(data["anonymous_actors"], bool):
            raise ctx.error(
                line_of(data, "anonymous_actors"),
                "'anonymous_actors' must be true or false",
                "write anonymous_actors: true",
            )
        kwargs["anonymous_actors"] = data["anonymous_actors"]
    if "object_markers" in data:
        om = data["object_markers"]
        if not isinstance(om, list) or not all(isinstance(p, str) for p in om):
            raise ctx.error(
                line_of(data, "object_markers"),
                "'object_markers' must be a list of words",
                "write object_markers: [fool, trick]",
            )
        kwargs["object_markers"] = tuple(normalise(p) for p in om)
    neg = data.get("negation")
    if neg is not None:
        if not isinstance(neg, LDict):
            raise ctx.error(
                line_of(data, "negation"),
                "'negation' must be a mapping",
                "write negation: {scope: 5, extra: []}",
            )
        _check_keys(ctx, neg, {"scope", "extra"}, "settings.negation")
        if "scope" in neg:
            kwargs["negation_scope"] = int(_number(ctx, neg, "scope", minimum=1))
        if "extra" in neg:
            extra = neg["extra"]
            if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
                raise ctx.error(
                    line_of(neg, "extra"), "'extra' must be a list of words", "write extra: [lacks]"
                )
            kwargs["extra_negators"] = tuple(normalise(p) for p in extra)
    return Settings(**kwargs)


def _parse_guards(ctx: _Ctx, data: Any) -> tuple[Guard, ...]:
    if data is not None and not isinstance(data, LDict):
        raise ctx.error(
            line_of(data), "'guards' must be a mapping", f"use keys: {', '.join(GUARD_DEFAULTS)}"
        )
    data = data or LDict()
    _check_keys(ctx, data, set(GUARD_DEFAULTS), "guards")
    guards: list[Guard] = []
    for name, defaults in GUARD_DEFAULTS.items():
        conf = data.get(name)
        merged = dict(defaults)
        if conf is not None:
            if isinstance(conf, bool):
                merged["enabled"] = conf
            elif isinstance(conf, LDict):
                _check_keys(ctx, conf, set(defaults), f"guards.{name}")
                if "enabled" not in conf:
                    merged["enabled"] = True
                for key in conf:
                    if key == "enabled":
                        if not isinstance(conf[key], bool):
                            raise ctx.error(
                                line_of(conf, key),
                                "'enabled' must be true or false",
                                "write enabled: true",
                            )
                        merged[key] = conf[key]
                    elif key == "message":
                        merged[key] = str(conf[key])
                    elif key == "cap" and conf[key] is None:
                        merged[key] = None
                    else:
                        merged[key] = _number(ctx, conf, key, minimum=0)
            else:
                raise ctx.error(
                    line_of(data, name),
                    f"guard '{name}' must be a mapping or a boolean",
                    f"write {name}: {{cap: 0.5}} or {name}: false",
                )
        params = tuple(
            (k, float(v)) for k, v in merged.items() if k not in {"enabled", "cap", "message"}
        )
        cap = merged["cap"]
        guards.append(
            Guard(
                name,
                bool(merged["enabled"]),
                None if cap is None else float(cap),
                params,
                str(merged["message"]),
            )
        )
    return tuple(guards)


def _parse_calibration(ctx: _Ctx, data: Any) -> CalibrationTargets:
    if data is None:
        return CalibrationTargets()
    if not isinstance(data, LDict):
        raise ctx.error(
            line_of(data),
            "'calibration' must be a mapping",
            "write calibration: {max_mae: 0.15, min_exact: 0.85}",
        )
    _check_keys(ctx, data, _CALIBRATION_KEYS, "calibration")
    kwargs: dict[str, Any] = {}
    for key in ("max_mae", "min_exact", "min_within_half", "min_kappa"):
        if key in data:
            kwargs[key] = _number(ctx, data, key)
    if "traps_never_above_human" in data:
        if not isinstance(data["traps_never_above_human"], bool):
            raise ctx.error(
                line_of(data, "traps_never_above_human"),
                "must be true or false",
                "write traps_never_above_human: true",
            )
        kwargs["traps_never_above_human"] = data["traps_never_above_human"]
    return CalibrationTargets(**kwargs)


def _phrasing_list(
    ctx: _Ctx, comp: _Compiler, owner: LDict, key: str, where: str, actors: set[str]
) -> tuple[Phrasing, ...]:
    items = owner.get(key)
    if items is None:
        return ()
    if not isinstance(items, LList):
        raise ctx.error(
            line_of(owner, key),
            f"'{key}' of {where} must be a list",
            f"write {key}: followed by '- \"words\"' lines",
        )
    return tuple(
        comp.phrasing(item, line_of(items, i), where, actors) for i, item in enumerate(items)
    )


def parse_rubric(data: Any, path: Path) -> Rubric:
    """Validate parsed YAML (with lines) and compile it into a :class:`Rubric`."""
    ctx = _Ctx(path)
    if not isinstance(data, LDict):
        raise ctx.error(
            1,
            "a rubric must be a mapping with part, max_marks and concepts",
            "start the file with 'part: q1' and 'max_marks: 2'",
        )
    _check_keys(ctx, data, _TOP_KEYS, "the rubric")
    for key in ("part", "max_marks", "concepts"):
        if key not in data:
            raise ctx.error(
                data.line, f"missing required key '{key}'", f"add '{key}:' at top level"
            )
    part = data["part"]
    if not isinstance(part, str) or not part:
        raise ctx.error(
            line_of(data, "part"), "'part' must be a part id such as q2", "write part: q2"
        )
    settings = _parse_settings(ctx, data.get("settings"))
    max_marks = _number(ctx, data, "max_marks", minimum=0)
    if not _is_multiple(max_marks, settings.step):
        raise ctx.error(
            line_of(data, "max_marks"),
            f"max_marks {max_marks} is not a multiple of step {settings.step}",
            "use a multiple of the step",
        )
    analyzer = Analyzer(
        negation_scope=settings.negation_scope, extra_cues=frozenset(settings.extra_negators)
    )

    synonyms: dict[str, tuple[list[str], int]] = {}
    syn_data = data.get("synonyms") or LDict()
    if not isinstance(syn_data, LDict):
        raise ctx.error(
            line_of(data, "synonyms"),
            "'synonyms' must be a mapping of name: [words]",
            "write synonyms: {upsample: [upsample, deconvolution]}",
        )
    for name, members in syn_data.items():
        if not isinstance(name, str) or not _ID_RE.match(name):
            raise ctx.error(
                line_of(syn_data, name),
                f"family name '{name}' is not an identifier",
                "use letters, digits and underscores",
            )
        if (
            not isinstance(members, list)
            or not members
            or not all(isinstance(m, str) for m in members)
        ):
            raise ctx.error(
                line_of(syn_data, name),
                f"family '{name}' must be a non-empty list of strings",
                'write name: [word, "two words"]',
            )
        synonyms[name] = (list(members), line_of(syn_data, name))
    comp = _Compiler(ctx, settings, analyzer, synonyms)
    # Validate every family (unknown references, cycles, stopword-only members) up front.
    for name, (_members, fam_line) in synonyms.items():
        comp.family(name, fam_line, ())

    actors: list[tuple[str, Slot]] = []
    actor_data = data.get("actors") or LDict()
    if not isinstance(actor_data, LDict):
        raise ctx.error(
            line_of(data, "actors"),
            "'actors' must be a mapping of name: pattern",
            'write actors: {generator: "@generator"}',
        )
    actor_labels: list[tuple[str, Slot]] = []
    for name, pattern in actor_data.items():
        if not isinstance(name, str) or not _ID_RE.match(name):
            raise ctx.error(
                line_of(actor_data, name),
                f"actor name '{name}' is not an identifier",
                "use letters, digits and underscores",
            )
        if isinstance(pattern, LDict):
            spec = pattern
            _check_keys(ctx, spec, {"pattern", "labels"}, f"actor '{name}'")
            pattern = spec.get("pattern")
            labels = spec.get("labels", [])
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise ctx.error(
                    line_of(spec, "labels"),
                    f"'labels' of actor '{name}' must be a list of words",
                    "write labels: [down, up]",
                )
            if labels:
                lab = comp.slot(
                    "(" + "|".join(str(x).strip() for x in labels) + ")", line_of(spec, "labels")
                )
                if lab is None:
                    raise ctx.error(
                        line_of(spec, "labels"),
                        f"the labels of actor '{name}' have only stopwords",
                        "write content words",
                    )
                actor_labels.append((name, lab))
        if not isinstance(pattern, str):
            raise ctx.error(
                line_of(actor_data, name),
                f"actor '{name}' must be one slot pattern",
                'write name: "@family" or "=word|other"',
            )
        sl = comp.slot(pattern.strip(), line_of(actor_data, name))
        if sl is None or len(split_top(pattern.strip(), None)) != 1:
            raise ctx.error(
                line_of(actor_data, name),
                f"actor '{name}' must be exactly one slot",
                "write one @family or one (a|b c) group",
            )
        actors.append((name, sl))
    actor_names = {n for n, _ in actors}
    if settings.default_actor is not None and settings.default_actor not in actor_names:
        raise ctx.error(
            line_of(data.get("settings"), "default_actor"),
            f"default_actor '{settings.default_actor}' is not a declared actor",
            f"declare it under 'actors:' (known: {', '.join(sorted(actor_names)) or 'none'})",
        )

    concepts_data = data["concepts"]
    if not isinstance(concepts_data, LList) or not concepts_data:
        raise ctx.error(
            line_of(data, "concepts"),
            "'concepts' must be a non-empty list",
            "add '- id: ...' entries",
        )
    concepts: list[Concept] = []
    seen_ids: set[str] = set()
    for idx, cdata in enumerate(concepts_data):
        cline = line_of(concepts_data, idx)
        if not isinstance(cdata, LDict):
            raise ctx.error(cline, "each concept must be a mapping", "write '- id: name' and keys")
        _check_keys(ctx, cdata, _CONCEPT_KEYS, "a concept")
        for key in ("id", "marks", "feedback", "phrasings"):
            if key not in cdata:
                raise ctx.error(
                    cdata.line,
                    f"concept #{idx + 1} is missing '{key}'",
                    f"add '{key}:' to the concept",
                )
        cid = cdata["id"]
        if not isinstance(cid, str) or not _ID_RE.match(cid):
            raise ctx.error(
                line_of(cdata, "id"),
                f"concept id '{cid}' is not an identifier",
                "use letters, digits and underscores",
            )
        if cid in seen_ids:
            raise ctx.error(line_of(cdata, "id"), f"duplicate concept id '{cid}'", "rename one")
        seen_ids.add(cid)
        where = f"concept '{cid}'"
        marks = _number(ctx, cdata, "marks", minimum=0)
        if not _is_multiple(marks, settings.step) or marks == 0:
            raise ctx.error(
                line_of(cdata, "marks"),
                f"marks of {where} must be a positive multiple of {settings.step}",
                f"use e.g. marks: {settings.step}",
            )
        feedback = cdata["feedback"]
        if not isinstance(feedback, str) or not feedback.strip():
            raise ctx.error(
                line_of(cdata, "feedback"),
                f"{where} needs a feedback text",
                "write a hint for students that does not give the answer away",
            )
        phrasings = _phrasing_list(ctx, comp, cdata, "phrasings", where, actor_names)
        if not phrasings:
            raise ctx.error(
                line_of(cdata, "phrasings"),
                f"{where} has no phrasings",
                "add at least one phrasing",
            )
        partial: list[Award] = []
        pdata = cdata.get("partial")
        if pdata is not None:
            if not isinstance(pdata, LList):
                raise ctx.error(
                    line_of(cdata, "partial"),
                    f"'partial' of {where} must be a list",
                    "write partial: [{marks: 0.5, phrasings: [...]}]",
                )
            for k, award in enumerate(pdata):
                if not isinstance(award, LDict) or "marks" not in award or "phrasings" not in award:
                    raise ctx.error(
                        line_of(pdata, k),
                        f"a partial award of {where} needs marks and phrasings",
                        'write {marks: 0.5, phrasings: ["..."]}',
                    )
                _check_keys(ctx, award, {"marks", "phrasings"}, f"a partial award of {where}")
                amarks = _number(ctx, award, "marks", minimum=0)
                if not _is_multiple(amarks, settings.step) or not 0 < amarks < marks:
                    raise ctx.error(
                        line_of(award, "marks"),
                        f"partial marks {amarks} of {where} must be a multiple of "
                        f"{settings.step} between 0 and {marks}",
                        "lower the partial marks",
                    )
                aphr = _phrasing_list(ctx, comp, award, "phrasings", where, actor_names)
                partial.append(Award(amarks, aphr))
        contradicts = _phrasing_list(ctx, comp, cdata, "contradicts", where, actor_names)
        concepts.append(
            Concept(
                cid,
                marks,
                str(feedback).strip(),
                phrasings,
                tuple(sorted(partial, key=lambda a: -a.marks)),
                contradicts,
                cdata.line,
            )
        )

    title = str(data.get("title", part))
    return Rubric(
        part=str(part),
        max_marks=max_marks,
        path=path,
        title=title,
        concepts=tuple(concepts),
        actors=tuple(actors),
        synonyms=tuple((k, tuple(str(m) for m in v[0])) for k, v in synonyms.items()),
        settings=settings,
        guards=_parse_guards(ctx, data.get("guards")),
        calibration=_parse_calibration(ctx, data.get("calibration")),
        analyzer=analyzer,
        actor_labels=tuple(actor_labels),
    )


def load_rubric(path: str | Path) -> Rubric:
    """Load, validate and compile a rubric YAML file; raises :class:`RubricError` on any problem."""
    p = Path(path)
    return parse_rubric(load_yaml_with_lines(p), p)
