"""Validation building blocks and the rubric's self-contained sections.

:class:`RubricError` and :class:`ErrorContext` build every error message (file, line, what is
wrong, the fix); :func:`get_number` and :func:`check_keys` check values and keys; the
``settings``, ``guards`` and ``calibration`` sections of a rubric file are parsed here, with the
guards' defaults. ``schema.py`` validates the rest (synonyms, actors, concepts) and
``compiler.py`` compiles the patterns.

This module must not compile patterns, score answers or know about any particular assignment.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..yamlio import LDict, line_of
from .model import CalibrationTargets, Guard, Settings
from .text import normalise


class RubricError(Exception):
    """A rubric or calibration file is invalid; the message names the file, the line and the fix."""

    @property
    def errors(self) -> list[RubricError]:
        """Each problem found (one, unless several were collected: see :class:`RubricErrors`)."""
        return [self]


class RubricErrors(RubricError):
    """Several independent problems of one file, each with its own line and fix."""

    def __init__(self, errors: list[RubricError]):
        super().__init__("\n".join(str(e) for e in errors))
        self._errors = list(errors)

    @property
    def errors(self) -> list[RubricError]:
        return list(self._errors)


class ErrorContext:
    """Where we are in a file, to build error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, line: int, what: str, fix: str) -> RubricError:
        where = f"{self.path}, line {line}" if line else str(self.path)
        return RubricError(f"{where}: {what}; {fix}")


def is_multiple(value: float, step: float) -> bool:
    """``value`` is a whole multiple of ``step`` (up to rounding)."""
    return abs(value / step - round(value / step)) < 1e-9


def get_number(
    ctx: ErrorContext, mapping: LDict, key: str, *, minimum: float | None = None
) -> float:
    """``mapping[key]`` as a float: a number (not a boolean), at least ``minimum`` if given."""
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


def check_keys(ctx: ErrorContext, mapping: LDict, allowed: set[str], where: str) -> None:
    """Reject every key of ``mapping`` that is not in ``allowed`` (all of them at once)."""
    errors = [
        ctx.error(
            line_of(mapping, key),
            f"unknown key '{key}' in {where}",
            f"use one of: {', '.join(sorted(allowed))}",
        )
        for key in mapping
        if key not in allowed
    ]
    if errors:
        raise errors[0] if len(errors) == 1 else RubricErrors(errors)


def parse_header(
    ctx: ErrorContext, data: LDict, allowed: set[str]
) -> tuple[str, Settings, float, list[RubricError]]:
    """A rubric's top level: (part, settings, max_marks, the problems found).

    Only a missing required key stops here; every other problem is collected (with a stand-in
    value) so that lint goes on to report the concepts' problems too.
    """
    errors: list[RubricError] = []

    def collect(check: Any, fallback: Any) -> Any:
        try:
            return check()
        except RubricError as exc:
            errors.extend(exc.errors)
            return fallback

    collect(lambda: check_keys(ctx, data, allowed, "the rubric"), None)
    missing = [key for key in ("part", "max_marks", "concepts") if key not in data]
    if missing:
        errors += [ctx.error(data.line, f"missing required key '{key}'",
                             f"add '{key}:' at top level") for key in missing]
        raise errors[0] if len(errors) == 1 else RubricErrors(errors)
    part = data["part"]
    if not isinstance(part, str) or not part:
        errors.append(ctx.error(line_of(data, "part"), "'part' must be a part id such as q2",
                                "write part: q2"))
        part = ""
    settings = collect(lambda: parse_settings(ctx, data.get("settings")), Settings())
    max_marks = collect(lambda: get_number(ctx, data, "max_marks", minimum=0), 0.0)
    if max_marks and not is_multiple(max_marks, settings.step):
        errors.append(ctx.error(line_of(data, "max_marks"),
                                f"max_marks {max_marks} is not a multiple of step "
                                f"{settings.step}", "use a multiple of the step"))
    return part, settings, max_marks, errors


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
            "max_item_words": 4,
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
    "review",
}
_CALIBRATION_KEYS = {
    "max_mae",
    "min_exact",
    "min_within_half",
    "min_kappa",
    "traps_never_above_human",
}


def parse_settings(ctx: ErrorContext, data: Any) -> Settings:
    if data is None:
        return Settings()
    if not isinstance(data, LDict):
        raise ctx.error(
            line_of(data), "'settings' must be a mapping", "write settings: {window: 8}"
        )
    check_keys(ctx, data, _SETTINGS_KEYS, "settings")
    kwargs: dict[str, Any] = {}
    for key in ("window", "alt_gap", "max_chars"):
        if key in data:
            kwargs[key] = int(get_number(ctx, data, key, minimum=0 if key == "alt_gap" else 1))
    for key in ("review_below", "step"):
        if key in data:
            kwargs[key] = get_number(ctx, data, key, minimum=0)
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
        check_keys(ctx, fuzzy, {"min_length", "edits", "protect"}, "settings.fuzzy")
        if "min_length" in fuzzy:
            kwargs["fuzzy_min_length"] = int(get_number(ctx, fuzzy, "min_length", minimum=1))
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
        if not (isinstance(data["anonymous_actors"], bool) or data["anonymous_actors"] == "parts"):
            raise ctx.error(
                line_of(data, "anonymous_actors"),
                "'anonymous_actors' must be true, false or parts",
                "write anonymous_actors: true (any answer naming no actor) or anonymous_actors: "
                "parts (only an answer speaking of unnamed parts: 'one net ..., the other ...')",
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
        check_keys(ctx, neg, {"scope", "extra"}, "settings.negation")
        if "scope" in neg:
            kwargs["negation_scope"] = int(get_number(ctx, neg, "scope", minimum=1))
        if "extra" in neg:
            extra = neg["extra"]
            if not isinstance(extra, list) or not all(isinstance(p, str) for p in extra):
                raise ctx.error(
                    line_of(neg, "extra"), "'extra' must be a list of words", "write extra: [lacks]"
                )
            kwargs["extra_negators"] = tuple(normalise(p) for p in extra)
    review = data.get("review")
    if review is not None:
        kwargs.update(_parse_review(ctx, data, review))
    return Settings(**kwargs)


def _parse_review(ctx: ErrorContext, data: LDict, review: Any) -> dict[str, Any]:
    """``settings: review: {threshold: 0.5, weights: {near-miss: 0.5}}``."""
    from .review import DEFAULT_WEIGHTS

    if not isinstance(review, LDict):
        raise ctx.error(line_of(data, "review"), "'review' must be a mapping",
                        "write review: {threshold: 0.5, weights: {near-miss: 0.5}}")
    check_keys(ctx, review, {"threshold", "weights"}, "settings.review")
    out: dict[str, Any] = {}
    if "threshold" in review:
        out["review_threshold"] = get_number(ctx, review, "threshold", minimum=0)
    weights = review.get("weights")
    if weights is not None:
        if not isinstance(weights, LDict):
            raise ctx.error(line_of(review, "weights"), "'weights' must be a mapping",
                            "write weights: {near-miss: 0.5}")
        unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
        if unknown:
            raise ctx.error(line_of(weights, unknown[0]),
                            f"unknown review signal '{unknown[0]}'",
                            f"use one of: {', '.join(sorted(DEFAULT_WEIGHTS))}")
        out["review_weights"] = tuple((str(k), get_number(ctx, weights, k, minimum=0))
                                      for k in weights)
    return out


def parse_guards(ctx: ErrorContext, data: Any) -> tuple[Guard, ...]:
    if data is not None and not isinstance(data, LDict):
        raise ctx.error(
            line_of(data), "'guards' must be a mapping", f"use keys: {', '.join(GUARD_DEFAULTS)}"
        )
    data = data or LDict()
    check_keys(ctx, data, set(GUARD_DEFAULTS), "guards")
    guards: list[Guard] = []
    for name, defaults in GUARD_DEFAULTS.items():
        conf = data.get(name)
        merged = dict(defaults)
        if conf is not None:
            if isinstance(conf, bool):
                merged["enabled"] = conf
            elif isinstance(conf, LDict):
                check_keys(ctx, conf, set(defaults), f"guards.{name}")
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
                        merged[key] = get_number(ctx, conf, key, minimum=0)
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


def parse_calibration(ctx: ErrorContext, data: Any) -> CalibrationTargets:
    if data is None:
        return CalibrationTargets()
    if not isinstance(data, LDict):
        raise ctx.error(
            line_of(data),
            "'calibration' must be a mapping",
            "write calibration: {max_mae: 0.15, min_exact: 0.85}",
        )
    check_keys(ctx, data, _CALIBRATION_KEYS, "calibration")
    kwargs: dict[str, Any] = {}
    for key in ("max_mae", "min_exact", "min_within_half", "min_kappa"):
        if key in data:
            kwargs[key] = get_number(ctx, data, key)
    if "traps_never_above_human" in data:
        if not isinstance(data["traps_never_above_human"], bool):
            raise ctx.error(
                line_of(data, "traps_never_above_human"),
                "must be true or false",
                "write traps_never_above_human: true",
            )
        kwargs["traps_never_above_human"] = data["traps_never_above_human"]
    return CalibrationTargets(**kwargs)


__all__ = [
    "GUARD_DEFAULTS",
    "ErrorContext",
    "RubricError",
    "check_keys",
    "get_number",
    "is_multiple",
    "parse_calibration",
    "parse_guards",
    "parse_settings",
]
