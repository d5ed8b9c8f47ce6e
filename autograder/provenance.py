"""Where a mark came from: hashes of the submission and of everything that graded it.

Every stored result (``a2 grade``'s ``results/*.json``) and every Gradescope results.json
(``extra_data.provenance``) carries this record, so a mark can be traced to the exact casebook,
rubrics and engine that gave it, and a batch re-run can tell which results are still current
(same submission bytes, same autograder) without grading again.

This module reads files and versions only; it never grades and never writes.
"""

from __future__ import annotations

import datetime
import hashlib
import platform
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE = "a2-autograder"
_ENGINE = Path(__file__).resolve().parent


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def submission_sha256(path: Path, limit: int = 64 << 20) -> str:
    """Hash of a submission file, or '' for a symlink, a special file or one over ``limit``
    bytes (the grading core refuses those; the grader never follows a student's link)."""
    import stat

    try:
        info = Path(path).lstat()
    except OSError:
        return ""
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return ""
    return sha256_file(path)


def _sha256_files(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def engine_sha256() -> str:
    """Hash of the grading engine's source (``autograder/``, without the staff-only tools)."""
    files = [p for p in _ENGINE.rglob("*.py") if "staff" not in p.relative_to(_ENGINE).parts]
    return _sha256_files(files, _ENGINE)


def package_version() -> str:
    """The installed package's version, or 'unknown' when run from a bare checkout."""
    from importlib import metadata

    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Autograder:
    """Hashes of what grades: a result is current only while all of them are unchanged."""

    casebook_sha256: str
    rubrics_sha256: str
    manifest_sha256: str
    engine_sha256: str

    @property
    def sha256(self) -> str:
        """One hash of all four (the autograder's hash)."""
        joined = "/".join([self.casebook_sha256, self.rubrics_sha256, self.manifest_sha256,
                           self.engine_sha256])
        return hashlib.sha256(joined.encode()).hexdigest()


def autograder_of(data_dir: Path, manifest_path: Path | None = None) -> Autograder:
    """The autograder's hashes for grading data written by ``casebook.write_grading_data``."""
    data_dir = Path(data_dir)
    rubrics = sorted((data_dir / "rubrics").glob("*.yaml"))
    return Autograder(
        casebook_sha256=sha256_file(data_dir / "casebook.json"),
        rubrics_sha256=_sha256_files(rubrics, data_dir) if rubrics else "",
        manifest_sha256=sha256_file(manifest_path) if manifest_path else "",
        engine_sha256=engine_sha256(),
    )


def provenance(submission_sha256: str, autograder: Autograder, *, stamp: bool = True) -> dict:
    """The record stored beside a result: what was graded, by what, on which versions, and
    (``stamp``) when. Gradescope's copy has no time: it has its own, and the same file graded
    twice must give the same results.json apart from the run's duration."""
    from importlib import metadata

    try:  # the installed version, without importing NumPy into the grader (0.1-0.2 s)
        numpy_version = metadata.version("numpy")
    except metadata.PackageNotFoundError:
        numpy_version = "not installed"
    record = {
        "submission_sha256": submission_sha256,
        "autograder_sha256": autograder.sha256,
        **asdict(autograder),
        "package_version": package_version(),
        "python": platform.python_version(),
        "numpy": numpy_version,
    }
    if stamp:
        record["graded_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return record
