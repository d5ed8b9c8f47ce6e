"""What ``a2 grade`` was given, as a list of submissions with the people who made them.

Inputs are ``.py`` files, folders of them, folders of per-student folders, and Gradescope's
"Export Submissions" (the zip or its unpacked folder): one ``submission_<id>/`` folder per
submission and ``submission_metadata.yml`` naming the submitters (a list: a group submission has
several). Gradescope writes that file from Ruby, so its keys carry a leading colon
(``:submitters:``, ``:name:``, ``:sid:``, ``:email:``) and values may carry Ruby tags; both are
read here as plain data.

Files that are not submissions (a metadata file, a README, an empty folder) are listed once in
``Inputs.skipped`` and never graded. A submission whose main file is misnamed (``A2_final.py``)
is graded, with a note saying so.

This module reads and unpacks inputs only: it never runs or imports a submission, and it
extracts a zip into a temporary folder of its own with every member's path checked.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

METADATA = "submission_metadata.yml"
EXPORT_FOLDER = re.compile(r"^submission_\d+$")
IGNORED = {"__MACOSX", "__pycache__", ".DS_Store", ".ipynb_checkpoints", METADATA}
MAX_ZIP_BYTES = 2 << 30
"""An export larger than this once unpacked is refused (a zip bomb, or not an export)."""
MAX_MEMBERS = 200_000
"""An export with more files than this is refused likewise."""


@dataclass(frozen=True)
class Submitter:
    """One person named on a submission."""

    name: str = ""
    email: str = ""
    sid: str = ""
    """Student id as Gradescope has it (may be empty)."""


@dataclass
class Submission:
    """One file to grade and who submitted it."""

    name: str
    """Unique within a run: the result's file name (``results/<name>.json``) and row key."""
    path: Path
    submitters: list[Submitter] = field(default_factory=list)
    """Empty when the input named nobody (a loose file); several for a group submission."""
    notes: list[str] = field(default_factory=list)
    """For staff: what was unusual about this input (a misnamed file, no metadata entry)."""
    created_at: str = ""
    origin: str = ""
    """Where the file came from, as given (for messages)."""


@dataclass(frozen=True)
class Skipped:
    """An input that is not a submission, and why."""

    path: str
    reason: str


@dataclass
class Inputs:
    """Everything found in the inputs of one run."""

    submissions: list[Submission]
    skipped: list[Skipped]
    folders: list[Path]
    """Folders holding students' files (closed to the sandbox while grading)."""


class InputError(ValueError):
    """An input cannot be read at all (a corrupt zip, unreadable metadata)."""


# ---------------------------------------------------------------- metadata


class _MetadataLoader(yaml.SafeLoader):
    """SafeLoader that reads Ruby-tagged nodes as plain data and timestamps as text."""


def _plain(loader: _MetadataLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_MetadataLoader.add_multi_constructor("!", _plain)
_MetadataLoader.add_multi_constructor("tag:yaml.org,2002:ruby", _plain)
_MetadataLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                lambda loader, node: loader.construct_scalar(node))


def _key(value: Any) -> str:
    return str(value).lstrip(":")


def _normalise(value: Any) -> Any:
    """Keys without Ruby's leading colon, all the way down."""
    if isinstance(value, dict):
        return {_key(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def read_metadata(path: Path) -> dict[str, dict]:
    """``submission_metadata.yml`` as {folder name: record}, keys without their colons.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / METADATA
    >>> _ = p.write_text("submission_1:\\n  :submitters:\\n  - :name: Ada\\n    :sid: '7'\\n")
    >>> read_metadata(p)["submission_1"]["submitters"][0]["name"]
    'Ada'
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8", errors="replace"),
                         Loader=_MetadataLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not readable as YAML ({exc}); is this Gradescope's "
                         "export? Re-download it, or grade the folders without it") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of submission_<id> to records, found "
                         f"{type(data).__name__}")
    return {str(k): _normalise(v) if isinstance(v, dict) else {} for k, v in data.items()}


def submitters_of(record: dict) -> list[Submitter]:
    """The people a metadata record names, in its order."""
    people = record.get("submitters") or []
    if isinstance(people, dict):
        people = [people]
    out = []
    for person in people:
        if isinstance(person, dict):
            out.append(Submitter(name=str(person.get("name") or ""),
                                 email=str(person.get("email") or ""),
                                 sid=str(person.get("sid") or "")))
    return out


# ---------------------------------------------------------------- zips


def extract_export(archive: Path, into: Path) -> Path:
    """Unpack a zip into ``into``: regular files only, every path kept inside ``into``."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_ZIP_BYTES or len(members) > MAX_MEMBERS:
                raise InputError(f"{archive}: unpacks to more than {MAX_ZIP_BYTES >> 30} GiB "
                                 f"or {MAX_MEMBERS} files; not a Gradescope export of this "
                                 "assignment")
            for member in members:
                if (member.external_attr >> 16) & 0o170000 not in (0, 0o100000):
                    continue  # a symlink or device entry: never recreated
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                if not parts or parts[0] == "/" or ".." in parts:
                    continue
                target = into.joinpath(*parts)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(member) as source, open(target, "xb") as sink:
                        shutil.copyfileobj(source, sink)
                except (OSError, zipfile.BadZipFile, NotImplementedError):
                    continue  # a clashing or unreadable member: the rest of the export stands
    except zipfile.BadZipFile as exc:
        raise InputError(f"{archive}: not a readable zip ({exc}); download the export again") \
            from exc
    return into


# ---------------------------------------------------------------- folders


def _visible(path: Path) -> bool:
    return path.name not in IGNORED and not path.name.startswith(".")


def _python_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        relative = path.relative_to(folder).parts
        if path.name == "__init__.py" or not all(_visible(Path(p)) for p in relative):
            continue
        if path.is_file() or path.is_symlink():
            found.append(path)
    return found


def main_file(folder: Path, filename: str) -> tuple[Path | None, str]:
    """The file to grade in one submission's folder, and a note (or why there is none).

    ``filename`` anywhere in the folder wins; else the only ``.py`` file; else the only one whose
    name contains the expected stem (``A2_final.py`` for ``a2.py``).
    """
    files = _python_files(folder)
    exact = [p for p in files if p.name == filename]
    if len(exact) == 1:
        return exact[0], ""
    stem = Path(filename).stem.lower()
    if not exact:
        named = [p for p in files if stem in p.stem.lower()]
        for choice in (files if len(files) == 1 else [], named if len(named) == 1 else []):
            if choice:
                found = choice[0].relative_to(folder).as_posix()
                return choice[0], f"main file named {found}, graded as {filename}"
    if not files:
        return None, f"no .py file in it (expected {filename})"
    listed = ", ".join(p.relative_to(folder).as_posix() for p in files[:5])
    return None, (f"expected one {filename} in it, found {len(files)} .py files ({listed}); "
                  f"rename the one to grade to {filename}")


def _export_root(folder: Path) -> Path | None:
    """The folder holding an export's metadata (the folder or its only subfolder)."""
    if (folder / METADATA).is_file():
        return folder
    children = [c for c in folder.iterdir() if _visible(c)]
    if len(children) == 1 and children[0].is_dir() and (children[0] / METADATA).is_file():
        return children[0]
    return None


def _from_export(root: Path, filename: str, found: list[Submission],
                 skipped: list[Skipped]) -> None:
    metadata = read_metadata(root / METADATA)
    for entry in sorted(root.iterdir()):
        if not _visible(entry):
            continue
        if not (entry.is_dir() and EXPORT_FOLDER.match(entry.name)):
            skipped.append(Skipped(str(entry), "not a submission folder of the export"))
            continue
        record = metadata.get(entry.name)
        path, note = main_file(entry, filename)
        if path is None:
            skipped.append(Skipped(str(entry), note))
            continue
        notes = [note] if note else []
        if record is None:
            notes.append(f"not in {METADATA}: graded without names")
        found.append(Submission(entry.name, path, submitters_of(record or {}), notes,
                                str((record or {}).get("created_at") or ""), str(entry)))
    for name in sorted(set(metadata) - {s.name for s in found}
                       - {Path(s.path).name for s in skipped}):
        if not (root / name).is_dir():
            skipped.append(Skipped(f"{root / METADATA}: {name}",
                                   "named in the metadata, no folder in the export"))


def _from_folder(folder: Path, filename: str, found: list[Submission],
                 skipped: list[Skipped]) -> None:
    root = _export_root(folder)
    if root is not None:
        _from_export(root, filename, found, skipped)
        return
    for entry in sorted(folder.iterdir()):
        if not _visible(entry):
            continue
        if entry.is_file() and entry.suffix == ".py":
            found.append(Submission(entry.stem, entry, origin=str(entry)))
        elif entry.is_dir() and _export_root(entry) is not None:
            _from_export(_export_root(entry), filename, found, skipped)
        elif entry.is_dir():
            path, note = main_file(entry, filename)
            if path is None:
                skipped.append(Skipped(str(entry), note))
            else:
                found.append(Submission(entry.name, path, notes=[note] if note else [],
                                        origin=str(entry)))
        else:
            skipped.append(Skipped(str(entry), "not a .py file or a folder" + (
                "; pass a zip on its own to grade what it holds" if entry.suffix == ".zip"
                else "")))


def _in_zip(archive: Path, unpacked: Path, text: str) -> str:
    """``text`` (a path under the temporary folder a zip was unpacked into) as the zip's
    member, ``export.zip: folder/README.txt``: the temporary folder is gone after the run."""
    prefix = str(unpacked) + "/"
    return f"{archive}: {text[len(prefix):]}" if text.startswith(prefix) else text


def _name_by_zip(archive: Path, unpacked: Path, found: list[Submission],
                 skipped: list[Skipped], start: int) -> None:
    for submission in found:
        submission.origin = _in_zip(archive, unpacked, submission.origin)
    skipped[start:] = [Skipped(_in_zip(archive, unpacked, s.path), s.reason)
                       for s in skipped[start:]]


@contextmanager
def open_inputs(paths: list[Path], filename: str) -> Iterator[Inputs]:
    """Find every submission in ``paths``; zips are unpacked for the duration of the block."""
    found: list[Submission] = []
    skipped: list[Skipped] = []
    folders: list[Path] = []
    temporary: list[Path] = []
    try:
        for path in paths:
            if path.is_file() and path.suffix == ".py":
                found.append(Submission(path.stem, path, origin=str(path)))
            elif path.is_file() and (path.suffix.lower() == ".zip" or zipfile.is_zipfile(path)):
                unpacked = Path(tempfile.mkdtemp(prefix="a2-export-"))
                temporary.append(unpacked)
                first, start = len(found), len(skipped)
                _from_folder(extract_export(path, unpacked), filename, found, skipped)
                folders.append(unpacked)
                _name_by_zip(path, unpacked, found[first:], skipped, start)
            elif path.is_file() and path.name == METADATA:
                skipped.append(Skipped(str(path), "Gradescope's metadata: pass the folder "
                                                  "that holds it to use it"))
            elif path.is_file() or path.is_symlink():
                found.append(Submission(path.stem, path, origin=str(path)))
            elif path.is_dir():
                _from_folder(path, filename, found, skipped)
                folders.append(path.resolve())
            else:
                skipped.append(Skipped(str(path), "no such file or folder"))
        yield Inputs(unique_names(found), skipped, folders)
    finally:
        for folder in temporary:
            shutil.rmtree(folder, ignore_errors=True)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def unique_names(found: list[Submission]) -> list[Submission]:
    """Give every submission its own safe name: where two share one (a/a2.py and b/a2.py),
    name each by as many of its parent folders as it takes to tell them apart ("a__a2")."""
    names = [_UNSAFE.sub("_", s.name).strip("._") or "submission" for s in found]
    depth = [0] * len(found)
    for _ in range(64):
        clashes = {n for n in names if names.count(n) > 1}
        if not clashes:
            break
        for i, submission in enumerate(found):
            if names[i] in clashes:
                depth[i] += 1
                parents = Path(submission.origin or submission.path).resolve().parts[:-1]
                prefix = parents[-depth[i]:] if depth[i] <= len(parents) else parents
                if depth[i] > len(parents):
                    prefix = (*parents, str(i))
                name = "__".join([*prefix, submission.name])
                names[i] = _UNSAFE.sub("_", name).strip("._") or f"submission_{i}"
    for submission, name in zip(found, names):
        submission.name = name
    return found
