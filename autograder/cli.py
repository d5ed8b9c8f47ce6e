"""The ``a2`` command: thin front doors over the grading core.

    a2 check a2.py            students: the public cases, in seconds
    a2 grade SUBMISSIONS/     instructors: every case, to a CSV and a report
    a2 build                  instructors: the Otter autograder zip and the student bundle
    a2 demo                   build, then grade the examples through the zip as Gradescope would
    a2 results a2.py          one file's Gradescope results.json, printed
    a2 rubric ...             rubric authors: lint, score an answer, calibrate

Each command parses its arguments, calls one function of the package and renders the result;
no grading logic lives here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .files import write_atomic


def _manifest_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--manifest", type=Path, default=None,
                        help="grading manifest (default: solutions/manifest.yaml)")


def _load_manifest(path: Path | None):
    from .manifest import default_manifest_path, load_manifest

    return load_manifest(path or default_manifest_path())


def _error(message: str) -> int:
    print(f"a2: error: {message}", file=sys.stderr)
    return 2


# ---------------------------------------------------------------- check


def cmd_check(args: argparse.Namespace) -> int:
    from .casebook import load_casebook, public_view
    from .student_check import run_check

    if args.casebook:
        casebook = load_casebook(args.casebook)
    else:
        from .casebook import cached_grading_data

        casebook = load_casebook(cached_grading_data(_load_manifest(args.manifest)))
    return run_check(args.files, public_view(casebook), as_json=args.json, colour=args.color)


# ---------------------------------------------------------------- grade


def _find_submissions(paths: list[Path], filename: str) -> list[tuple[str, Path]]:
    """(name, file) pairs: .py files given or found in folders, or folders holding one."""
    found = []
    for path in paths:
        if path.is_file():
            found.append((path.stem, path))
        elif path.is_dir():
            for entry in sorted(path.iterdir()):
                if entry.is_file() and entry.suffix == ".py":
                    found.append((entry.stem, entry))
                elif entry.is_dir():
                    candidates = [entry / filename] if (entry / filename).is_file() else \
                        sorted(entry.glob("*.py"))
                    if len(candidates) == 1:
                        found.append((entry.name, candidates[0]))
                    else:
                        print(f"a2: skipping {entry}: expected one {filename} in it, found "
                              f"{len(candidates)} .py files", file=sys.stderr)
        else:
            print(f"a2: skipping {path}: no such file or folder", file=sys.stderr)
    return _unique_names(found)


def _unique_names(found: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """Give every input its own name: where two share one (a/a2.py and b/a2.py), name each by
    as many of its parent folders as it takes to tell them apart ("a__a2", "b__a2")."""
    names = [name for name, _ in found]
    depth = {i: 0 for i in range(len(found))}
    for _ in range(64):
        clashes = {n for n in names if names.count(n) > 1}
        if not clashes:
            break
        for i, (name, path) in enumerate(found):
            if names[i] in clashes:
                depth[i] += 1
                parents = path.resolve().parts[:-1]
                prefix = parents[-depth[i]:] if depth[i] <= len(parents) else parents
                names[i] = "__".join([*prefix, name]).lstrip("/_") or name
    return [(name, path) for name, (_, path) in zip(names, found)]


def cmd_grade(args: argparse.Namespace) -> int:
    from .casebook import cached_grading_data, load_casebook
    from .grade import grade_file
    from .render import score_table, to_csv, to_report

    manifest = _load_manifest(args.manifest)
    from .build import BuildError, require_clean_rubrics

    try:
        require_clean_rubrics(manifest.path, progress=lambda m: print(m, file=sys.stderr))
    except BuildError as exc:
        return _error(f"{exc}\nnothing was graded")
    data_dir = cached_grading_data(manifest)
    casebook = load_casebook(data_dir)
    submissions = _find_submissions(args.paths, manifest.submission)
    if not submissions:
        return _error("no submissions found; pass .py files or folders of them")
    out = args.output
    (out / "results").mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results = [None] * len(submissions)

    from .sandbox.outcomes import Limits

    folders = [p.resolve() for p in args.paths if p.is_dir()]
    if os.geteuid() == 0:
        from .sandbox.folders import closed_while_grading

        closing = closed_while_grading([*folders, data_dir])
        if closing:
            print("a2: grading as root: " + ", ".join(str(p) for p in closing)
                  + " are closed to other users while submissions run; their modes are "
                  "restored afterwards", file=sys.stderr)
    staging = Path(tempfile.mkdtemp(prefix="a2-grade-"))

    def work(index: int):
        name, path = submissions[index]
        # Each file is graded from a folder of its own that the grader made; the folders it
        # came from hold other students' files and stay closed to the sandbox while it runs.
        copy = path
        limit = Limits(**casebook["limits"]).max_source_bytes
        # A symlink, a special file or an oversized one is left where it is, for the grading
        # core to refuse with its own message: copying it as root would read what it points at.
        if not path.is_symlink() and path.is_file() and path.stat().st_size <= limit:
            copy = staging / str(index) / manifest.submission
            copy.parent.mkdir(mode=0o700)
            shutil.copyfile(path, copy, follow_symlinks=False)
        result = grade_file(copy, casebook, data_dir, protect=folders)
        result.submission = name
        return index, result

    done = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for index, result in pool.map(work, range(len(submissions))):
            results[index] = result
            done += 1
            write_atomic(out / "results" / f"{result.submission}.json",
                          json.dumps(result.to_dict(), indent=1))
            if not args.quiet:
                print(f"[{done}/{len(submissions)}] {result.submission}: "
                      f"{result.score:g}/{result.possible:g}"
                      + ("  (review)" if result.review else ""), file=sys.stderr)
    shutil.rmtree(staging, ignore_errors=True)
    write_atomic(out / "grades.csv", to_csv(results))
    write_atomic(out / "report.md", to_report(results))
    # results/ describes this run, as grades.csv does: results of an earlier run into the same
    # folder for submissions not graded now are removed, and said so.
    kept = {f"{r.submission}.json" for r in results}
    stale = [p for p in (out / "results").glob("*.json") if p.name not in kept]
    for path in stale:
        path.unlink()
    if stale:
        print(f"a2: removed {len(stale)} result(s) of an earlier run from {out / 'results'} "
              "(not among this run's submissions)", file=sys.stderr)
    print(score_table(results))
    print(f"\n{len(results)} submission(s) in {time.monotonic() - started:.1f} s; wrote "
          f"{out / 'grades.csv'} and {out / 'report.md'}")
    return 0


# ---------------------------------------------------------------- results (one file)


def cmd_results(args: argparse.Namespace) -> int:
    from .casebook import cached_grading_data, load_casebook
    from .grade import grade_file
    from .render import to_gradescope

    manifest = _load_manifest(args.manifest)
    data_dir = cached_grading_data(manifest)
    started = time.monotonic()
    result = grade_file(args.file, load_casebook(data_dir), data_dir)
    print(json.dumps(to_gradescope(result, time.monotonic() - started), indent=2))
    return 0


# ---------------------------------------------------------------- build and demo


def cmd_build(args: argparse.Namespace) -> int:
    from .build import BuildError, build
    from .manifest import default_manifest_path

    try:
        report = build(args.manifest or default_manifest_path(), args.output,
                       progress=print, student=not args.no_student)
    except BuildError as exc:
        return _error(str(exc))
    print(f"wrote {report.zip_path}")
    if report.student_zip:
        folder = report.student_zip.parent / "student"
        print(f"wrote {report.student_zip} (and its folder {folder})")
    return 0


def gradescope_part_scores(results: dict, part_ids: list[str]) -> dict[str, tuple[float, float]]:
    """Sum results.json entries per part: an entry belongs to the part its name starts with."""
    scores = {pid: [0.0, 0.0] for pid in part_ids}
    for test in results.get("tests", []):
        name = test.get("name", "")
        for pid in part_ids:
            if name == pid or name.startswith(pid + " "):
                scores[pid][0] += float(test.get("score", 0) or 0)
                scores[pid][1] += float(test.get("max_score", 0) or 0)
    return {pid: (s, m) for pid, (s, m) in scores.items()}


def cmd_demo(args: argparse.Namespace) -> int:
    from .build import BuildError, build
    from .manifest import default_manifest_path

    manifest = _load_manifest(args.manifest)
    print("== a2 build ==")
    try:
        report = build(args.manifest or default_manifest_path(), args.output, progress=print)
    except BuildError as exc:
        return _error(str(exc))
    print(f"wrote {report.zip_path} and {report.student_zip}")
    print("\n== grading the examples through the zip with 'otter run' (as Gradescope would) ==")
    part_ids = [p.id for p in manifest.parts]
    rows = [["submission", *part_ids, "total"]]
    status = 0
    with tempfile.TemporaryDirectory(prefix="a2-demo-") as tmp:
        for example in manifest.examples:
            folder = Path(tmp) / example.name
            (folder / "out").mkdir(parents=True)
            submission = folder / manifest.submission
            submission.write_bytes(example.source())
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "otter", "run", "-a", str(report.zip_path), "-o",
                 str(folder / "out"), "--no-logo", str(submission)],
                capture_output=True, text=True)
            results_path = folder / "out" / "results.json"
            if done.returncode != 0 or not results_path.is_file():
                print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
                return _error(f"otter run failed on example {example.name}")
            results = json.loads(results_path.read_text())
            scores = gradescope_part_scores(results, part_ids)
            rows.append([example.name, *[f"{s:g}/{m:g}" for s, m in scores.values()],
                         f"{results['score']:g}/{sum(m for _, m in scores.values()):g}"])
            print(f"  {example.name}: {results['score']:g} "
                  f"({time.monotonic() - started:.1f} s)")
            if example.total is not None and abs(results["score"] - example.total) > 1e-9:
                status = 1
            if example.min_total is not None and results["score"] < example.min_total:
                status = 1
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print()
    for index, row in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))
    if status:
        print("\nsome example scored off its expectation through Otter", file=sys.stderr)
    return status


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="a2", description="Grade AI6126 Assignment 2: isolated runs of a2.py, exact "
        "references, YAML rubrics, an Otter-Grader zip for Gradescope.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("check", help="check a2.py on the public cases (what students run)",
                       description="Run a2.py in a sandbox on the public cases and say what is "
                       "right and wrong. Hidden cases and short answers are not shown. Exit "
                       "status: 0 when every public check passes, 1 when one fails, 2 for a "
                       "usage error (an empty short answer is only a warning).")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="your a2.py")
    p.add_argument("--casebook", type=Path, help="folder of a public casebook (the student "
                   "bundle's public/); default: derived from the manifest")
    p.add_argument("--json", action="store_true", help="print each file's result as JSON, "
                   "one object per line")
    p.add_argument("--color", "--colour", choices=("auto", "always", "never"), default="auto",
                   help="colour the output (default: on a terminal, unless NO_COLOR is set)")
    _manifest_arg(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("grade", help="grade a folder of submissions into a CSV and a report",
                       description="Grade every submission on every case. PATHS are .py files, "
                       "folders of .py files, or folders of per-student folders each holding "
                       "one a2.py (a Gradescope export).")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("-o", "--output", type=Path, default=Path("grades"),
                   help="folder for grades.csv, report.md and results/ (default: grades)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: number of CPUs)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    _manifest_arg(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("build", help="build the Otter autograder zip and the student bundle",
                       description="Derive the references, grade the manifest's examples, and "
                       "write dist/autograder.zip (for Gradescope) and dist/a2-student.zip. "
                       "Refuses to write anything if an example scores off.")
    p.add_argument("-o", "--output", type=Path, default=Path("dist"), help="default: dist")
    p.add_argument("--no-student", action="store_true", help="skip the student bundle")
    _manifest_arg(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("demo", help="build, then grade the examples through the zip with "
                       "'otter run' and print scores per part")
    p.add_argument("-o", "--output", type=Path, default=Path("dist"), help="default: dist")
    _manifest_arg(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("results", help="print one file's Gradescope results.json")
    p.add_argument("file", type=Path)
    _manifest_arg(p)
    p.set_defaults(func=cmd_results)

    try:
        from .rubric import cli as rubric_cli
    except ImportError:  # the student bundle may lack the rubric tools' dependencies
        rubric_cli = None
    if rubric_cli is not None and hasattr(rubric_cli, "register"):
        rubric_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``a2`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from .manifest import ManifestError

    try:
        return int(args.func(args) or 0)
    except ManifestError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
