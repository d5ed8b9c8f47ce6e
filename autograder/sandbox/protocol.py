"""The JSON-lines protocol from the harness to the grader, and what untrusted text may say.

Every line the sandbox writes on its result channel goes through ``_parse_event`` before it is
used: it is decoded only if it fits the event schema, and answers are reduced to plain numbers,
lists and type markers naming standard types; anything else is discarded. Free text that comes
back (exception messages, type names) is untrusted: it is reduced to a fixed vocabulary for
feedback (``_safe_type``, ``_error_origin``, ``_error_message``), and kept verbatim only in
``detail`` fields meant for the student's own local check.

Runs in the grader on bytes the submission chose: pure functions only. It starts no process,
opens no file, keeps no state, never evaluates what it reads, and bounds all it keeps.
"""

from __future__ import annotations

import builtins
import json
import math
import re

MAX_EVENT_BYTES = 2_000_000
"""Longest event line read; a longer one is dropped whole."""
MAX_ANSWER_CHARS = 50_000
"""Characters of one answer string kept; a short answer is a few hundred words."""
MAX_INT = 2**63
"""Integers beyond this magnitude are not accepted as answers (they could not be compared)."""


# ---------------------------------------------------------------- what untrusted text may say


_SAFE_NAMES = frozenset(
    {name for name, obj in vars(builtins).items() if isinstance(obj, type)}
    | {"NoneType", "function", "builtin_function_or_method", "method", "module", "generator",
       "coroutine", "ndarray", "matrix", "generic", "number", "integer", "floating",
       "complexfloating", "bool_", "str_", "bytes_", "object_", "void", "datetime64",
       "timedelta64", "complex64", "complex128", "clongdouble", "longdouble", "float16",
       "Fraction", "Decimal", "range", "unconvertible", "AxisError", "LinAlgError"}
)
"""Type names that may appear in feedback: Python's and NumPy's own, never a class the
submission named (a class name could carry anything the submission read)."""

_SAFE_REASONS = frozenset({
    "bool", "too large", "nested too deeply", "array of bool", "array of complex numbers",
    "array of non-numbers", "integer too large", "not a number", "conversion failed",
})

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")


def _safe_type(names) -> str:
    """The first standard type name in ``names`` (a name or a list of names, most derived
    first), else 'object'."""
    if isinstance(names, str):
        names = [names]
    if isinstance(names, list):
        for name in names[:64]:
            if isinstance(name, str) and name in _SAFE_NAMES:
                return name
    return "object"


def _printable(text, limit: int) -> str:
    """Untrusted text made printable, bounded, and free of memory addresses (determinism)."""
    if not isinstance(text, str):
        return ""
    text = _ADDRESS.sub("0x?", text[: limit * 2])
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:limit]


def _clean_answer(text: str) -> str:
    """An answer string: bounded, valid Unicode (no lone surrogates), no NULs."""
    text = text[:MAX_ANSWER_CHARS]
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\0", " ")


def _clean_output(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return "".join(ch if ch.isprintable() or ch in "\n\t" else "?" for ch in text)


# ---------------------------------------------------------------- event validation


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def _valid_value(value, depth: int = 0) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_INT <= value <= MAX_INT
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return depth < 5 and all(_valid_value(item, depth + 1) for item in value)
    if isinstance(value, dict):
        if set(value) == {"$float"}:
            return value["$float"] in ("nan", "inf", "-inf")
        return "$type" in value and set(value) <= {"$type", "$why"}
    return False


def _normalise(value):
    """Replace type markers by ones naming only standard types and fixed reasons."""
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, dict) and "$type" in value:
        why = value.get("$why")
        marker = {"$type": _safe_type(value["$type"])}
        if why in _SAFE_REASONS:
            marker["$why"] = why
        return marker
    return value


def _count_numbers(value) -> int:
    if isinstance(value, list):
        return sum(_count_numbers(item) for item in value)
    return 1


_CALL_STATUSES = {"ok", "error", "missing", "not-implemented"}
_EVENT_PREFIX = b'{"event": "'  # how the harness's json.dumps starts every event


def _parse_event(line: bytes) -> dict | None:
    """Decode one line into an event dict if, and only if, it fits the schema."""
    if len(line) > MAX_EVENT_BYTES or not line.startswith(_EVENT_PREFIX):
        return None  # cheap: a flood of junk lines costs no JSON parsing
    try:
        event = json.loads(line.decode("ascii"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        return None
    kind = event["event"]
    if kind == "static":
        values = event.get("values")
        if isinstance(values, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            return event
    elif kind in ("import_start", "imported", "done"):
        return event
    elif kind == "import_error":
        if event.get("kind") in ("syntax", "exception"):
            return event
    elif kind == "variable":
        if isinstance(event.get("name"), str) and (
            isinstance(event.get("value"), str) or "value" not in event
        ):
            return event
    elif kind == "call_start":
        if isinstance(event.get("id"), str):
            return event
    elif kind == "call_end":
        if isinstance(event.get("id"), str) and event.get("status") in _CALL_STATUSES:
            if event["status"] != "ok":
                return event
            value = event.get("value")
            if _valid_value(value) and _count_numbers(value) <= 100_000:
                event["value"] = _normalise(value)
                return event
    return None


def _line_of(event: dict, lines: int) -> int | None:
    """The event's line if it is a line of the submission's file (1 to ``lines``), else None."""
    line = event.get("line")
    if isinstance(line, int) and not isinstance(line, bool) and 1 <= line <= lines:
        return line
    return None


def _error_origin(event: dict, lines: int) -> tuple[str, int | None]:
    """(standard type name, line in the submission's file or None) of an exception reported
    by the harness: only what ``_safe_type`` and ``_line_of`` let through.

    >>> _error_origin({"types": ["Leak", "KeyError"], "line": 3}, lines=10)
    ('KeyError', 3)
    >>> _error_origin({"types": ["Leak"], "line": 11}, lines=10)
    ('object', None)
    """
    return _safe_type(event.get("types", event.get("type"))), _line_of(event, lines)


def _error_message(event: dict, lines: int) -> tuple[str, str]:
    """(safe message, local-only detail) of an exception reported by the harness."""
    name, line = _error_origin(event, lines)
    where = f" (line {line})" if line else ""
    text = _printable(event.get("message"), 300)
    detail = f"{name}: {text}{where}" if text else f"{name}{where}"
    return f"{name}{where}", detail
