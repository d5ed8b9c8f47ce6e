"""The only code that runs beside a submission, inside the sandbox.

It reads a job header (one JSON line on stdin), imports the submission, reads its answer
variables, then reads the calls (a second JSON line, sent by the runner only once the import is
over, so nothing the submission does while being imported can see the cases' inputs), calls its
functions, and writes one JSON event per line to the result channel (a file descriptor named in
the header). It must not import anything from the ``autograder`` package: it is copied alone into
the sandbox folder, where the rest of the engine, the references and the rubrics are unreadable.

Nothing here is trusted by the grader. The submission shares this process and can rewrite any of
it; the grader therefore treats every event as a claim, validates it against a schema and only
ever compares plain JSON values with its references. This file only aims to convert honest but
odd answers (numpy arrays, ``numpy.matrix``, tuples, numpy scalars, integral floats, subclasses
of the built-in types) faithfully, and to keep working when a submission patches common modules:
it binds what it needs before the submission runs and reads values through the built-in types'
own methods, never through methods a submission's class may override.
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
MAX_INT = 2**63

# Bound before the submission runs: patching json, os or builtins later does not reach these.
from builtins import (  # noqa: E402, I001, UP029 - module globals shadow patchable builtins
    BaseException, Exception, MemoryError, NotImplementedError, OSError, RecursionError,
    SyntaxError, ValueError, bool, callable, compile, dict, float, getattr, int, isinstance, len,
    list, open, reversed, slice, str, tuple, type,
)

_quote = json.encoder.encode_basestring_ascii  # C code: no Python builtins involved
_scan = json.JSONDecoder().scan_once  # likewise
_bytes_decode = bytes.decode
_int_repr = int.__repr__
_float_repr = float.__repr__
_join = ", ".join
_write = os.write
_read = os.read
_exit = os._exit
_isnan = math.isnan
_isinf = math.isinf
_isinstance = isinstance
_type = type
_len = len
_str_str = str.__str__
_int_int = int.__int__
_float_float = float.__float__
_list_copy = list.copy
_tuple_slice = tuple.__getitem__
_Integral = numbers.Integral
_Real = numbers.Real

_stdin_buffer = bytearray()
_channel = [-1]


class _Unconvertible(Exception):
    """A returned value that is not a number or a nested sequence of numbers."""


def _encode(value) -> str:
    """JSON for the harness's own plain values, with nothing a submission can patch."""
    kind = _type(value)
    if kind is str:
        return _quote(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return _int_repr(value)
    if kind is float:
        return _float_repr(value)  # finite: NaN and infinities travel as markers
    if kind is list:
        return "[" + _join([_encode(item) for item in value]) + "]"
    if kind is dict:
        return "{" + _join([_quote(key) + ": " + _encode(item)
                            for key, item in value.items()]) + "}"
    return "null"


def _decode(data: bytes):
    return _scan(_bytes_decode(data, "utf-8"), 0)[0]


def _emit(event: dict) -> None:
    data = (_encode(event) + "\n").encode("ascii")
    try:
        while data:
            data = data[_write(_channel[0], data):]
    except OSError:
        _exit(3)  # the channel is gone: nothing more can be reported


def _read_line() -> bytes:
    while b"\n" not in _stdin_buffer:
        try:
            chunk = _read(0, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            break
        _stdin_buffer.extend(chunk)
    line, _, rest = bytes(_stdin_buffer).partition(b"\n")
    _stdin_buffer[:] = rest
    return line


def _mro_names(value) -> list[str]:
    try:
        return [str(_type.__getattribute__(k, "__name__"))[:60]
                for k in _type(value).__mro__][:16]
    except BaseException:  # noqa: BLE001
        return ["object"]


def _number(value):
    if _isinstance(value, bool):
        raise _Unconvertible("bool")
    if _isinstance(value, int):
        value = _int_int(value)  # the value itself, whatever a subclass says it is
    elif _isinstance(value, float):
        value = _float_float(value)
    elif _isinstance(value, _Integral):
        value = int(value)  # numpy integers
    elif _isinstance(value, _Real):
        value = float(value)  # numpy floats
    else:
        raise _Unconvertible("not a number")
    if _type(value) is int:
        if not -MAX_INT <= value <= MAX_INT:
            raise _Unconvertible("integer too large")
        return value
    if _type(value) is not float:
        raise _Unconvertible("not a number")
    if _isnan(value):
        return {"$float": "nan"}
    if _isinf(value):
        return {"$float": "inf" if value > 0 else "-inf"}
    return value


def to_plain(value, depth: int = 0, budget: list | None = None):
    """Convert a returned value to nested lists of ints / floats, or raise _Unconvertible."""
    if budget is None:
        budget = [MAX_ITEMS]
    if depth > MAX_DEPTH:
        raise _Unconvertible("nested too deeply")
    numpy = sys.modules.get("numpy")
    if numpy is not None and _isinstance(value, (numpy.ndarray, numpy.generic)):
        array = numpy.asarray(value)
        if _isinstance(array, numpy.ndarray) and _type(array) is not numpy.ndarray:
            array = numpy.ndarray.view(array, numpy.ndarray)
        kind = array.dtype.kind
        if kind == "b":
            raise _Unconvertible("array of bool")
        if kind == "c":
            raise _Unconvertible("array of complex numbers")
        if kind not in "iufO":
            raise _Unconvertible("array of non-numbers")
        if array.size > budget[0]:
            raise _Unconvertible("too large")
        if array.ndim > MAX_DEPTH + 1 - depth:
            raise _Unconvertible("nested too deeply")
        budget[0] -= array.size
        items = numpy.ndarray.tolist(array)
        if kind != "O":
            return _from_list(items)
        value = items
    if _isinstance(value, list):
        value = _list_copy(value)
    elif _isinstance(value, tuple):
        value = list(_tuple_slice(value, slice(None)))
    else:
        return _number(value)
    if _len(value) > budget[0]:
        raise _Unconvertible("too large")
    budget[0] -= _len(value)
    return [to_plain(item, depth + 1, budget) for item in value]


def _from_list(value):
    if _type(value) is list:
        return [_from_list(item) for item in value]
    return _number(value)


def _static_strings(source: str, names: list[str]) -> dict:
    """Answer strings assigned as plain literals, read without running the submission."""
    found: dict = {}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # A syntax error elsewhere must not cost the prose: read the assignments token by token.
        return _token_strings(source, names)
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
                except Exception:  # noqa: BLE001
                    found.pop(name, None)
                    continue
                if isinstance(value, str):
                    found[name] = value[:MAX_TEXT]
                else:
                    found.pop(name, None)
    return found


def _token_strings(source: str, names: list[str]) -> dict:
    """Top-level ``NAME = "literal" "literal"...`` (or ``NAME: str = ...``) statements, found
    by the tokenizer, which reads a file whose syntax error lies elsewhere; later assignments
    win, as they would at run time. A statement that is not only string literals is skipped."""
    import io
    import tokenize

    found: dict = {}
    line: list = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                _take_assignment(line, names, found)
                line = []
            elif tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT,
                                  tokenize.DEDENT):
                line.append(tok)
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    return found


def _take_assignment(line: list, names: list[str], found: dict) -> None:
    import tokenize

    if len(line) < 3 or line[0].type != tokenize.NAME or line[0].start[1] != 0:
        return
    name = line[0].string
    if name not in names:
        return
    rest = line[1:]
    if rest[0].string == ":" and len(rest) >= 3 and rest[1].string == "str":
        rest = rest[2:]
    if rest[0].string != "=" or len(rest) < 2:
        return
    parts = rest[1:]
    if parts[0].string == "(" and parts[-1].string == ")":
        parts = parts[1:-1]
    if not parts or any(t.type != tokenize.STRING for t in parts):
        return
    try:
        value = "".join(ast.literal_eval(t.string) for t in parts)
    except Exception:  # noqa: BLE001 - f-strings, bytes: not a plain answer
        return
    if isinstance(value, str):
        found[name] = value[:MAX_TEXT]


def _error(exc: BaseException, filename: str) -> dict:
    """What the grader is told about an exception: its classes, line and message (all
    untrusted there; the runner keeps only standard class names for feedback)."""
    try:
        message = _str_str(str(exc))[:MAX_MESSAGE]
    except BaseException:  # noqa: BLE001 - a hostile __str__
        message = ""
    line = None
    try:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename == filename:
                line = frame.lineno
                break
    except BaseException:  # noqa: BLE001
        pass
    return {"types": _mro_names(exc), "line": line, "message": message}


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass


def main() -> None:
    header = _decode(_read_line())
    _channel[0] = header["channel_fd"]
    path = header["submission"]
    variables = header.get("variables", [])

    with open(path, encoding="utf-8", errors="replace") as handle:
        source = handle.read()
    _emit({"event": "static", "values": _static_strings(source, variables)})

    try:
        compile(source, path, "exec")
    except (SyntaxError, ValueError) as exc:
        _emit({"event": "import_error", "kind": "syntax", "line": getattr(exc, "lineno", None),
               "message": str(getattr(exc, "msg", "") or "")[:120]})
        _exit(0)

    _emit({"event": "import_start"})
    spec = importlib.util.spec_from_file_location("submission", path)
    module = importlib.util.module_from_spec(spec)
    namespace = module.__dict__  # read directly: module-level __getattr__ is never consulted
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - the submission may raise anything
        _emit({"event": "import_error", "kind": "exception", **_error(exc, path)})
        _flush_output()
        _exit(0)
    _flush_output()  # what was printed while importing reaches the grader before this event
    _emit({"event": "imported"})

    for name in variables:
        missing = name not in namespace
        value = namespace.get(name)
        try:
            text = _str_str(value)[:MAX_TEXT] if _isinstance(value, str) else None
        except BaseException:  # noqa: BLE001 - an object pretending to be a str
            text = None
        if text is not None:
            _emit({"event": "variable", "name": name, "value": text})
        else:
            _emit({"event": "variable", "name": name, "missing": missing,
                   "types": _mro_names(value)})

    calls = _decode(_read_line() or b"[]")
    for call in calls:
        _emit({"event": "call_start", "id": call["id"]})
        function = namespace.get(call["function"])
        if not callable(function):
            _emit({"event": "call_end", "id": call["id"], "status": "missing"})
            continue
        try:
            result = function(*call.get("args", []), **call.get("kwargs", {}))
        except NotImplementedError:
            _emit({"event": "call_end", "id": call["id"], "status": "not-implemented"})
            continue
        except BaseException as exc:  # noqa: BLE001
            _emit({"event": "call_end", "id": call["id"], "status": "error", **_error(exc, path)})
            continue
        try:
            value = to_plain(result)
        except _Unconvertible as exc:
            value = {"$type": _mro_names(result), "$why": str(exc.args[0])[:80]}
        except BaseException:  # noqa: BLE001 - hostile __array__, __float__ and friends
            value = {"$type": "unconvertible", "$why": "conversion failed"}
        _emit({"event": "call_end", "id": call["id"], "status": "ok", "value": value})
    _emit({"event": "done"})
    _flush_output()
    _exit(0)  # no interpreter shutdown: the submission's atexit hooks and threads never run


if __name__ == "__main__":
    main()
