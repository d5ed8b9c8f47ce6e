"""The only code that runs beside a submission, inside the sandbox.

It reads a job (JSON on stdin), imports the submission, reads its answer variables, calls its
functions, and writes one JSON event per line to the result channel (a file descriptor named in
the job). It must not import anything from the ``autograder`` package: it is copied alone into
the sandbox folder, where the rest of the engine, the references and the rubrics are unreadable.

Nothing here is trusted by the grader. The submission shares this process and can rewrite any of
it; the grader therefore treats every event as a claim, validates it against a schema and only
ever compares plain JSON values with its references. This file only aims to convert honest but
odd answers (numpy arrays, ``numpy.matrix``, tuples, numpy scalars, integral floats) faithfully.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import numbers
import os
import sys
import traceback

MAX_ITEMS = 100_000  # numbers in one returned value
MAX_DEPTH = 4
MAX_TEXT = 200_000  # characters of an answer string sent back
MAX_MESSAGE = 300  # characters of an exception message sent back


class _Unconvertible(Exception):
    """A returned value that is not a number or a nested sequence of numbers."""


def _emit(channel, event: dict) -> None:
    channel.write(json.dumps(event, allow_nan=False, ensure_ascii=True) + "\n")
    channel.flush()


def _number(value):
    if isinstance(value, bool):
        raise _Unconvertible("bool")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        as_float = float(value)
        if math.isnan(as_float):
            return {"$float": "nan"}
        if math.isinf(as_float):
            return {"$float": "inf" if as_float > 0 else "-inf"}
        return as_float
    raise _Unconvertible(type(value).__name__)


def to_plain(value, depth: int = 0, budget: list | None = None):
    """Convert a returned value to nested lists of ints / floats, or raise _Unconvertible."""
    if budget is None:
        budget = [MAX_ITEMS]
    if depth > MAX_DEPTH:
        raise _Unconvertible("nested too deeply")
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        array = numpy.asarray(value)
        if array.dtype.kind in "biuf":
            if array.dtype.kind == "b":
                raise _Unconvertible("array of bool")
            if array.size > budget[0]:
                raise _Unconvertible("too large")
            budget[0] -= array.size
            return _from_list(array.tolist())
        if array.dtype.kind == "c":
            raise _Unconvertible("array of complex numbers")
        if array.dtype.kind != "O":
            raise _Unconvertible(f"array of dtype {array.dtype}")
        value = array.tolist()
    if isinstance(value, (list, tuple)):
        if len(value) > budget[0]:
            raise _Unconvertible("too large")
        budget[0] -= len(value)
        return [to_plain(item, depth + 1, budget) for item in value]
    return _number(value)


def _from_list(value):
    if isinstance(value, list):
        return [_from_list(item) for item in value]
    return _number(value)


def _describe(value) -> dict:
    name = type(value).__name__
    return {"$type": name[:60]}


def _static_strings(source: str, names: list[str]) -> dict:
    """Answer strings assigned as plain literals, read without running the submission."""
    found: dict = {}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return found
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            value_node = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
            value_node = node.value
        for name in targets:
            if name in names and value_node is not None:
                try:
                    value = ast.literal_eval(value_node)
                except Exception:
                    found.pop(name, None)
                    continue
                if isinstance(value, str):
                    found[name] = value[:MAX_TEXT]
    return found


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:MAX_MESSAGE]


def _where(exc: BaseException, filename: str) -> int | None:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == filename:
            return frame.lineno
    return None


def main() -> None:
    job = json.loads(sys.stdin.read())
    channel = os.fdopen(job["channel_fd"], "w", encoding="ascii", buffering=1)
    path = job["submission"]
    variables = job.get("variables", [])

    with open(path, encoding="utf-8", errors="replace") as handle:
        source = handle.read()
    _emit(channel, {"event": "static", "values": _static_strings(source, variables)})

    try:
        compile(source, path, "exec")
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        _emit(channel, {"event": "import_error", "kind": "syntax", "line": line,
                        "message": _short(exc)})
        return

    _emit(channel, {"event": "import_start"})
    spec = importlib.util.spec_from_file_location(job.get("module", "submission"), path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - the submission may raise anything
        _emit(channel, {"event": "import_error", "kind": "exception",
                        "line": _where(exc, path), "message": _short(exc)})
        return
    _emit(channel, {"event": "imported"})

    for name in variables:
        value = getattr(module, name, None)
        if isinstance(value, str):
            _emit(channel, {"event": "variable", "name": name, "value": str(value)[:MAX_TEXT]})
        else:
            _emit(channel, {"event": "variable", "name": name,
                            "missing": not hasattr(module, name), "type": type(value).__name__})

    for call in job.get("calls", []):
        _emit(channel, {"event": "call_start", "id": call["id"]})
        function = getattr(module, call["function"], None)
        if not callable(function):
            _emit(channel, {"event": "call_end", "id": call["id"], "status": "missing"})
            continue
        try:
            result = function(*call.get("args", []), **call.get("kwargs", {}))
        except NotImplementedError:
            _emit(channel, {"event": "call_end", "id": call["id"], "status": "not-implemented"})
            continue
        except BaseException as exc:  # noqa: BLE001
            _emit(channel, {"event": "call_end", "id": call["id"], "status": "error",
                            "line": _where(exc, path), "message": _short(exc)})
            continue
        try:
            plain = to_plain(result)
        except _Unconvertible as exc:
            _emit(channel, {"event": "call_end", "id": call["id"], "status": "ok",
                            "value": _describe(result) | {"$why": str(exc)[:80]}})
            continue
        except BaseException as exc:  # noqa: BLE001 - hostile __float__ and friends
            _emit(channel, {"event": "call_end", "id": call["id"], "status": "ok",
                            "value": {"$type": "unconvertible", "$why": _short(exc)}})
            continue
        _emit(channel, {"event": "call_end", "id": call["id"], "status": "ok", "value": plain})
    _emit(channel, {"event": "done"})


if __name__ == "__main__":
    main()
