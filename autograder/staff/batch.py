"""Grade a class incrementally: only what changed, each result kept the moment it is done.

A submission is graded when no current result exists for it (same bytes, same autograder); a
file graded once in a run serves every other submission with the same bytes. Each result is
written atomically as soon as it is finished and ``publish`` is called with the results on disk,
so an interrupted run loses nothing already written and whatever is built from the results
(grades.csv) always matches ``results/``.

This module decides what to grade and keeps results; grading is ``grade.grade_file`` in the
sandbox. It copies each submission into a folder of its own first, so the folders it came from
(other students' files) stay closed to the sandbox.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..grade import GradeResult, grade_file
from ..provenance import Autograder, provenance, submission_sha256
from ..sandbox.outcomes import Limits
from .inputs import Submission
from .progress import Progress
from .store import ResultStore, Stored, identity_of


@dataclass
class RunSummary:
    """What one run did."""

    graded: int = 0
    """Distinct files graded in this run."""
    reused: int = 0
    """Submissions whose current result was kept or shared."""
    removed: list[str] = field(default_factory=list)
    """Results of an earlier run for submissions not in this one (removed)."""
    interrupted: bool = False


STAGING_PREFIX = "a2-grade-"
"""Copies of the submissions being graded live in ``<tmp>/a2-grade-<pid>-*`` while a run lasts."""


def sweep_stale_staging(folder: Path | None = None) -> list[Path]:
    """Remove the staging folders of runs whose process is gone (killed with SIGKILL, the
    machine's power cut): they hold copies of students' files. A folder of a live process, of
    another user's process, or with a name this module did not give is left alone."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    for path in folder.glob(f"{STAGING_PREFIX}*"):
        pid, dash, _ = path.name[len(STAGING_PREFIX):].partition("-")
        if not (pid.isdigit() and dash) or not path.is_dir() or path.is_symlink():
            continue
        try:
            os.kill(int(pid), 0)
            continue                      # still running (or a reused pid): not ours to touch
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError):
            continue
        if path.stat().st_uid != os.geteuid():
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _label(stored: Stored) -> str:
    result = stored.result
    return (f"{stored.name}: {result.score:g}/{result.possible:g}"
            + ("  (review)" if result.review else ""))


def grade_submissions(submissions: list[Submission], casebook: dict, data_dir: Path,
                      autograder: Autograder, grades: Path, *, jobs: int = 1,
                      protect: list[Path] | None = None, progress: Progress | None = None,
                      publish: Callable[[list[Stored]], None] | None = None,
                      grade: Callable[..., GradeResult] = grade_file,
                      ) -> tuple[list[Stored], RunSummary]:
    """Bring ``grades/results`` up to date with ``submissions``; return their results in order.

    ``grade`` is the grading function (``grade_file``'s signature), replaceable in tests.
    """
    store = ResultStore(grades)
    summary = RunSummary()
    names = {s.name for s in submissions}
    summary.removed = [n for n in store.names_on_disk() if n not in names]
    store.remove(summary.removed)
    on_disk = store.load()
    ag = autograder.sha256
    hashes = {s.name: submission_sha256(s.path) for s in submissions}
    by_hash: dict[str, Stored] = {}
    for stored in on_disk.values():
        sha = stored.provenance.get("submission_sha256", "")
        if sha and stored.provenance.get("autograder_sha256") == ag:
            by_hash.setdefault(sha, stored)

    def keep(submission: Submission, source: Stored) -> Stored:
        result = copy.deepcopy(source.result)
        result.submission = submission.name
        stored = Stored(submission.name, result, identity_of(submission), source.provenance)
        if on_disk.get(submission.name) is None or \
                on_disk[submission.name].to_json() != stored.to_json():
            store.write(stored)
        on_disk[submission.name] = stored
        return stored

    todo: dict[str, list[Submission]] = {}
    for submission in submissions:
        sha = hashes[submission.name]
        if sha and sha in by_hash:
            keep(submission, by_hash[sha])
            summary.reused += 1
        else:
            todo.setdefault(sha or f"\0{submission.name}", []).append(submission)
    if publish:
        publish(list(on_disk.values()))

    progress = progress or Progress(0, quiet=True)
    progress.total = sum(len(v) for v in todo.values())
    sweep_stale_staging()
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-"))
    limit = Limits(**casebook["limits"]).max_source_bytes

    def work(index: int, group: list[Submission]) -> GradeResult:
        path = group[0].path
        # A symlink, a special file or an oversized one is left where it is, for the grading
        # core to refuse with its own message: copying it as root would read what it points at.
        if not path.is_symlink() and path.is_file() and path.stat().st_size <= limit:
            target = staging / str(index) / casebook["submission"]
            target.parent.mkdir(mode=0o700)
            shutil.copyfile(path, target, follow_symlinks=False)
            path = target
        return grade(path, casebook, data_dir, protect=list(protect or []))

    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = {pool.submit(work, i, group): group
                   for i, group in enumerate(todo.values())}
        for future in as_completed(futures):
            group = futures[future]
            result = future.result()
            summary.graded += 1
            record = provenance(hashes[group[0].name], autograder)
            for submission in group:
                stored = Stored(submission.name, copy.deepcopy(result), identity_of(submission),
                                record)
                stored.result.submission = submission.name
                store.write(stored)
                on_disk[submission.name] = stored
                progress.step(_label(stored))
            if publish:
                publish(list(on_disk.values()))
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        pool.shutdown(wait=not summary.interrupted, cancel_futures=True)
        progress.close()
        shutil.rmtree(staging, ignore_errors=True)
    return [on_disk[s.name] for s in submissions], summary
