"""Rubric files: the YAML schema, its validation and its compilation into immutable objects.

A rubric file describes one text part: its concepts and their marks, the phrasings that earn
each concept (a small pattern language over words, stems, synonym families, proximity windows,
actor/action bindings and explicit negators), the phrasings that contradict a concept, the guards
(keyword lists, keyword density, equations only, long answers) and the calibration thresholds.

Every error is a :class:`RubricError` whose message names the file, the line and the fix.
This module validates the top level, the synonym families, the actors and the concepts, and
builds the :class:`Rubric`; its helpers live beside it: ``yamlio`` (YAML with lines),
``model`` (the compiled objects), ``compiler`` (patterns into slots) and ``sections`` (errors,
settings, guards, calibration targets). It must not score answers and must not know about any
particular assignment.

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
    {actor: down, does: "...", unnamed: true}      also when its clause opens on the action and
                                                   names no subject ("To reduce the cost.")
    {actor: down, does: "...", unnamed: anywhere}  also when no actor is its subject anywhere
                                                   (an action only that actor can do)
    {match: "(two|2) networks", roleless: true}    credits a role concept without saying who does
                                                   what: states no role when the roles are
                                                   checked for a swap, and a swap takes it away
    {match: "...", except: ["real or fake"]}       a match sharing a word with a match of an
                                                   except pattern does not count ("classified as
                                                   real or fake" is not "looks real")

Misconceptions and roles (top level)::

    misconceptions:
      - id: quantises_weights            # its own id, reported to staff
        cancels: [vqvae_discrete]        # the concepts it takes away when it matches
        feedback: "..."                  # what students read instead: the idea to revisit
        phrasings: ["quantiz* @weightword"]
        spared_by: ["..."]               # optional, for a true but off-the-point statement:
                                         # correct statements of the point that, made with
                                         # other words, keep the concept's marks
    roles: {concepts: [generator_role, discriminator_role], withdraw: [adversarial]}
                                         # roles all stated with the wrong actor withdraw the
                                         # 'withdraw' concepts earned through a named actor

``settings: review: {threshold: 0.5, weights: {near-miss: 0.5}}`` overrides the review flag's
hand weights (``review.py`` lists the signals); they decide only where no fitted review model
(``review_model.yaml``, written by ``a2 rubric fit-review``) lies beside the rubric.

Actors are one slot each (``generator: "@generator"``), or a mapping with ``pattern`` and
``labels``: words that name the actor only as a note heading at the start of a sentence or line,
followed by a colon or a dash (``labels: [down]`` reads "Down: cheaper" as the downsampling's).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import yamlio
from ..yamlio import LDict, LList, LStr, YamlError, line_of
from . import neighbours
from .compiler import Compiler, split_top
from .model import (
    Award,
    CalibrationTargets,
    Concept,
    Guard,
    Misconception,
    Phrasing,
    Roles,
    Rubric,
    Settings,
    Slot,
    Word,
)
from .review import ReviewModel
from .sections import (
    GUARD_DEFAULTS,
    ErrorContext,
    RubricError,
    RubricErrors,
    check_keys,
    get_number,
    is_multiple,
    parse_calibration,
    parse_guards,
    parse_header,
)
from .text import Analyzer


def load_yaml_with_lines(path: Path) -> Any:
    """Parse a YAML file into LDict/LList/LStr values; read and syntax errors become RubricError."""
    try:
        return yamlio.load_yaml_with_lines(path)
    except YamlError as exc:
        raise RubricError(str(exc)) from exc.__cause__


_TOP_KEYS = {"part", "max_marks", "title", "settings", "synonyms", "actors", "concepts", "guards",
             "calibration", "misconceptions", "roles"}
_CONCEPT_KEYS = {"id", "marks", "feedback", "phrasings", "partial", "contradicts"}
_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _phrasing_list(
    ctx: ErrorContext, comp: Compiler, owner: LDict, key: str, where: str, actors: set[str]
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


def _parse_synonyms(ctx: ErrorContext, data: LDict) -> dict[str, tuple[list[str], int]]:
    """The synonym families: name -> (members as written, line)."""
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
    return synonyms


def _parse_actors(
    ctx: ErrorContext, comp: Compiler, data: LDict
) -> tuple[list[tuple[str, Slot]], list[tuple[str, Slot]]]:
    """The actors as (name, slot), and the note-heading labels as (name, slot)."""
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
            check_keys(ctx, spec, {"pattern", "labels"}, f"actor '{name}'")
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
    return actors, actor_labels


def _parse_concept(
    ctx: ErrorContext,
    comp: Compiler,
    cdata: Any,
    idx: int,
    cline: int,
    settings: Settings,
    actor_names: set[str],
    seen_ids: set[str],
) -> Concept:
    """Concept number ``idx`` (0-based) at line ``cline``; records its id in ``seen_ids``."""
    if not isinstance(cdata, LDict):
        raise ctx.error(cline, "each concept must be a mapping", "write '- id: name' and keys")
    check_keys(ctx, cdata, _CONCEPT_KEYS, "a concept")
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
    marks = get_number(ctx, cdata, "marks", minimum=0)
    if not is_multiple(marks, settings.step) or marks == 0:
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
            check_keys(ctx, award, {"marks", "phrasings"}, f"a partial award of {where}")
            amarks = get_number(ctx, award, "marks", minimum=0)
            if not is_multiple(amarks, settings.step) or not 0 < amarks < marks:
                raise ctx.error(
                    line_of(award, "marks"),
                    f"partial marks {amarks} of {where} must be a multiple of "
                    f"{settings.step} between 0 and {marks}",
                    "lower the partial marks",
                )
            aphr = _phrasing_list(ctx, comp, award, "phrasings", where, actor_names)
            partial.append(Award(amarks, aphr))
    contradicts = _phrasing_list(ctx, comp, cdata, "contradicts", where, actor_names)
    return Concept(
        cid,
        marks,
        str(feedback).strip(),
        phrasings,
        tuple(sorted(partial, key=lambda a: -a.marks)),
        contradicts,
        cdata.line,
    )


def parse_rubric(data: Any, path: Path) -> Rubric:
    """Validate parsed YAML (with lines) and compile it into a :class:`Rubric`."""
    ctx = ErrorContext(path)
    if not isinstance(data, LDict):
        raise ctx.error(
            1,
            "a rubric must be a mapping with part, max_marks and concepts",
            "start the file with 'part: q1' and 'max_marks: 2'",
        )
    # Top-level problems are collected with the concepts' and sections' (lint shows them all),
    # and kept when a later one stops the parse.
    part, settings, max_marks, errors = parse_header(ctx, data, _TOP_KEYS)
    try:
        return _compile(ctx, data, path, part, settings, max_marks, errors)
    except RubricError as exc:
        found = errors + [e for e in exc.errors if e not in errors]
        raise found[0] if len(found) == 1 else RubricErrors(found) from None


def _compile(ctx: ErrorContext, data: LDict, path: Path, part: str, settings: Any,
             max_marks: float, errors: list[RubricError]) -> Rubric:
    analyzer = Analyzer(
        negation_scope=settings.negation_scope, extra_cues=frozenset(settings.extra_negators)
    )

    synonyms = _parse_synonyms(ctx, data)
    comp = Compiler(ctx, settings, analyzer, synonyms)
    # Validate every family (unknown references, cycles, stopword-only members) up front.
    for name, (_members, fam_line) in synonyms.items():
        comp.family(name, fam_line, ())

    actors, actor_labels = _parse_actors(ctx, comp, data)
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
    # Concepts and later sections are independent: lint reports all their problems at once.
    failed_ids: list[str] = []
    for idx, cdata in enumerate(concepts_data):
        cline = line_of(concepts_data, idx)
        try:
            concepts.append(
                _parse_concept(ctx, comp, cdata, idx, cline, settings, actor_names, seen_ids)
            )
        except RubricError as exc:
            errors.extend(exc.errors)
            if isinstance(cdata, LDict) and isinstance(cdata.get("id"), str):
                failed_ids.append(cdata["id"])

    concept_ids = [c.id for c in concepts] + failed_ids
    sections: dict[str, Any] = {}
    for name, parse in (("guards", lambda: parse_guards(ctx, data.get("guards"))),
                        ("calibration", lambda: parse_calibration(ctx, data.get("calibration"))),
                        ("misconceptions", lambda: _parse_misconceptions(
                            ctx, comp, data, concept_ids, actor_names)),
                        ("roles", lambda: _parse_roles(ctx, data, concept_ids))):
        try:
            sections[name] = parse()
        except RubricError as exc:
            errors.extend(exc.errors)
    if errors:
        raise errors[0] if len(errors) == 1 else RubricErrors(errors)
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
        analyzer=analyzer,
        actor_labels=tuple(actor_labels),
        **sections,
    )


def _concept_refs(ctx: ErrorContext, owner: LDict, key: str, known: list[str],
                  where: str) -> tuple[str, ...]:
    items = owner.get(key)
    if not isinstance(items, list) or not items:
        raise ctx.error(line_of(owner, key) if key in owner else owner.line,
                        f"{where} needs '{key}': a list of concept ids",
                        f"write {key}: [{', '.join(known[:2])}]")
    for i, item in enumerate(items):
        if str(item) not in known:
            raise ctx.error(line_of(items, i), f"{where}: '{item}' is not a concept of this rubric",
                            f"use one of: {', '.join(known)}")
    return tuple(str(item) for item in items)


def _parse_misconceptions(ctx: ErrorContext, comp: Compiler, data: LDict, known: list[str],
                          actors: set[str]) -> tuple[Misconception, ...]:
    """``misconceptions: [{id, cancels: [concept ids], feedback, phrasings: [...]}]``."""
    items = data.get("misconceptions")
    if items is None:
        return ()
    if not isinstance(items, LList):
        raise ctx.error(line_of(data, "misconceptions"), "'misconceptions' must be a list",
                        "write misconceptions: followed by '- id: ...' entries")
    found: list[Misconception] = []
    for i, item in enumerate(items):
        line = line_of(items, i)
        if not isinstance(item, LDict):
            raise ctx.error(line, "a misconception must be a mapping",
                            "write '- id: ..., cancels: [...], feedback: ..., phrasings: [...]'")
        check_keys(ctx, item, {"id", "cancels", "feedback", "phrasings", "spared_by"},
                   "a misconception")
        mid = str(item.get("id", ""))
        if not _ID_RE.match(mid) or mid in {m.id for m in found} or mid in known:
            raise ctx.error(line_of(item, "id") if "id" in item else line,
                            f"misconception id '{mid}' is missing, malformed or not unique",
                            "give each misconception its own id, e.g. id: quantises_weights")
        feedback = item.get("feedback")
        if not isinstance(feedback, str) or not feedback.strip():
            raise ctx.error(line_of(item, "feedback") if "feedback" in item else line,
                            f"misconception '{mid}' has no feedback",
                            "add feedback: the concept a student should revisit (not the answer)")
        where = f"misconception '{mid}'"
        phrasings = _phrasing_list(ctx, comp, item, "phrasings", where, actors)
        if not phrasings:
            raise ctx.error(line, f"{where} has no phrasings", "add phrasings: [...]")
        spared_by = (_phrasing_list(ctx, comp, item, "spared_by", where + " spared_by", actors)
                     if "spared_by" in item else ())
        found.append(Misconception(mid, " ".join(feedback.split()),
                                   _concept_refs(ctx, item, "cancels", known, where),
                                   phrasings, line, tuple(spared_by)))
    return tuple(found)


def _parse_roles(ctx: ErrorContext, data: LDict, known: list[str]) -> Roles | None:
    """``roles: {concepts: [who does what], withdraw: [points described through the roles]}``."""
    roles = data.get("roles")
    if roles is None:
        return None
    if not isinstance(roles, LDict):
        raise ctx.error(line_of(data, "roles"), "'roles' must be a mapping",
                        "write roles: {concepts: [...], withdraw: [...]}")
    check_keys(ctx, roles, {"concepts", "withdraw"}, "roles")
    withdraw = _concept_refs(ctx, roles, "withdraw", known, "roles") \
        if roles.get("withdraw") else ()
    return Roles(_concept_refs(ctx, roles, "concepts", known, "roles"), withdraw)


REVIEW_MODEL_FILE = "review_model.yaml"
"""The fitted review model, beside the rubrics it serves (``a2 rubric fit-review`` writes it)."""


def load_rubric(path: str | Path, with_neighbours: bool = True) -> Rubric:
    """Load, validate and compile a rubric YAML file; raises :class:`RubricError` on any problem.

    A review model file beside it (:data:`REVIEW_MODEL_FILE`) is loaded with it, and the marked
    answers the model compares with (``neighbours.NEIGHBOURS_FILE``) unless ``with_neighbours``
    is False (``a2 rubric fit-review``, which writes them anew)."""
    p = Path(path)
    rubric = parse_rubric(load_yaml_with_lines(p), p)
    model = load_review_model(p.parent / REVIEW_MODEL_FILE)
    if model is not None:
        rubric = replace(rubric, review_model=model)
    if not with_neighbours:
        return rubric
    try:
        near = neighbours.load(p.parent / neighbours.NEIGHBOURS_FILE, rubric.part)
    except ValueError as exc:
        raise RubricError(str(exc)) from exc
    return replace(rubric, neighbours=near) if near is not None else rubric


def load_review_model(path: Path) -> ReviewModel | None:
    """The review model in ``path``, or None when there is no such file."""
    if not path.is_file():
        return None
    try:
        return ReviewModel.from_dict(load_yaml_with_lines(path), str(path))
    except ValueError as exc:  # the file's own problems, named with file and fix
        raise RubricError(f"{exc}") from exc


__all__ = [
    "GUARD_DEFAULTS", "REVIEW_MODEL_FILE", "Award", "CalibrationTargets", "Concept", "Guard",
    "LDict", "LList", "LStr", "Phrasing", "Rubric", "RubricError", "Settings", "Slot", "Word",
    "line_of", "load_review_model", "load_rubric", "load_yaml_with_lines", "parse_rubric",
    "split_top",
]
