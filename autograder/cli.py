"""The ``a2`` command: thin front doors over the grading core.

    a2 check a2.py            students: the public cases, in seconds
    a2 grade SUBMISSIONS/     instructors: every case, to a CSV and a report (staff/)
    a2 review, a2 export      instructors: review marks, export the final CSV (staff/)
    a2 build                  instructors: the Otter autograder zip and the student bundle
    a2 demo                   build, then grade the examples through the zip as Gradescope would
    a2 results a2.py          one file's Gradescope results.json, printed
    a2 rubric ...             rubric authors: lint, score an answer, calibrate

Each command parses its arguments, calls one function of the package and renders the result;
no grading logic lives here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


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


class _Parser(argparse.ArgumentParser):
    """argparse with every usage error as ``a2: error: <command>: ...``, the prefix of every
    other error of ``a2`` (argparse would say ``a2 grade: error:``). Subcommands inherit it."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        command = self.prog.split(" ", 1)[1] + ": " if " " in self.prog else ""
        self.exit(2, f"a2: error: {command}{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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

    from .staff.commands import register as register_staff

    register_staff(sub, _manifest_arg)

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
    args, extras = parser.parse_known_args(argv)
    if extras:
        # Only a command that says how (``a2 rubric score``: the answer) takes stray words.
        absorb = getattr(args, "absorb_extras", None)
        problem = absorb(args, extras) if absorb else \
            f"unrecognized arguments: {' '.join(extras)}"
        if problem:
            parser.error(problem)
    from .manifest import ManifestError

    try:
        return int(args.func(args) or 0)
    except ManifestError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``a2 rubric score ... | head``): stop quietly, as cat does.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit either
        return 141


if __name__ == "__main__":
    sys.exit(main())
