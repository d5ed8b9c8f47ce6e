"""Line-aware YAML: parse a file into mappings, sequences and strings that remember their lines.

Validators use these lines to name the place of every problem (``line_of(mapping, key)``). The
loader is PyYAML's SafeLoader with three constructors replaced; it also rejects duplicate keys and
keys that are not plain words, which plain ``yaml.safe_load`` silently accepts.

Problems reading or parsing a file raise :class:`YamlError`, whose message names the file, the
line and the fix; callers map it to their own error type. This module must not know what any
file means (rubrics, calibration sets, manifests): it only reads YAML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class YamlError(ValueError):
    """A YAML file cannot be read or parsed; the message names the file, the line and the fix."""


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


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader, in C (libyaml) where PyYAML was built with it: the calibration sets
are large, and the pure-Python parser spent seconds on every run of the suite."""


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` through :data:`SAFE_LOADER`."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


# A top-level key of a block-style document: a line starting at its first column with a plain
# word and a colon (not a comment, a list item or a document marker).
_TOP_LEVEL_KEY_RE = re.compile(r"^(?=[A-Za-z_][\w-]*:(?:\s|$))", re.MULTILINE)


def safe_load_without(text: str, key: str) -> Any:
    """The document's top-level mapping without the block of ``key``, which is never parsed: a
    calibration set's header (part, kind, wave, first score) without its hundreds of answers.
    Any document that is not a block-style mapping holding ``key`` is read whole, and ``key``
    dropped from it."""
    blocks = _TOP_LEVEL_KEY_RE.split(text)
    kept = [block for block in blocks if not block.startswith(f"{key}:")]
    data: Any = None
    if len(kept) < len(blocks):
        try:
            data = safe_load("".join(kept))
        except yaml.YAMLError:
            data = None
    if not isinstance(data, dict):
        data = safe_load(text)
        if isinstance(data, dict):
            data.pop(key, None)
    return data


class _LineLoader(SAFE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, whose mappings, sequences and strings carry 1-based line numbers."""


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
    """Parse a YAML file into LDict/LList/LStr values; read and syntax errors become YamlError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlError(f"{path}: cannot read the file ({exc.strerror}); check the path.") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(
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


__all__ = ["LDict", "LList", "LStr", "YamlError", "line_of", "load_yaml_with_lines",
           "safe_load", "safe_load_without"]
