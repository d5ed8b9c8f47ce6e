"""The staff commands: ``a2 grade``, ``a2 review`` and ``a2 export``.

Each parses nothing itself (``register`` adds the parsers to ``a2``), loads what it needs, calls
the modules of this package and prints what it did. No grading or rendering logic lives here.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..files import write_atomic


def _error(message: str) -> int:
    print(f"a2: error: {message}", file=sys.stderr)
    return 2


def _manifest(path: Path | None):
    from ..manifest import default_manifest_path, load_manifest

    return load_manifest(path or default_manifest_path())


def _grading_data(manifest):
    from ..casebook import cached_grading_data, load_casebook

    data_dir = cached_grading_data(manifest)
    return data_dir, load_casebook(data_dir)


def write_views(grades: Path, records: list, overrides: list, autograder_sha256: str = "",
                skipped: list | None = None):
    """Write grades.csv and report.html from stored results (``store.Stored``) and overrides;
    return the ``overrides.Applied`` they were rendered from. ``skipped`` (the inputs not
    graded) defaults to what the last ``a2 grade`` kept in ``not_graded.json``."""
    from .export import grades_csv
    from .overrides import apply_overrides
    from .report_html import report_html
    from .store import load_not_graded

    applied = apply_overrides(sorted(records, key=lambda r: r.name), overrides)
    if skipped is None:
        skipped = load_not_graded(grades)
    write_atomic(grades / "grades.csv", grades_csv(applied, autograder_sha256))
    write_atomic(grades / "report.html", report_html(applied, skipped))
    return applied


# ---------------------------------------------------------------- grade


def cmd_grade(args: argparse.Namespace) -> int:
    from ..build import BuildError, require_clean_rubrics
    from ..provenance import autograder_of
    from ..render import score_table
    from .batch import grade_submissions
    from .export import grades_csv
    from .inputs import InputError, open_inputs
    from .overrides import OverrideError, apply_overrides, load_overrides
    from .progress import Progress
    from .store import write_not_graded

    manifest = _manifest(args.manifest)
    try:
        require_clean_rubrics(manifest.path, progress=lambda m: print(m, file=sys.stderr))
    except BuildError as exc:
        return _error(f"{exc}\nnothing was graded")
    out: Path = args.output
    try:
        overrides = load_overrides(out)
    except OverrideError as exc:
        return _error(f"{exc}\nnothing was graded")
    data_dir, casebook = _grading_data(manifest)
    autograder = autograder_of(data_dir, manifest.path)
    try:
        with open_inputs(args.paths, manifest.submission) as inputs:
            for skipped in inputs.skipped:
                print(f"a2: not graded: {skipped.path}: {skipped.reason}", file=sys.stderr)
            if inputs.submissions:
                write_not_graded(out, inputs.skipped)
            else:
                return _error("no submissions found; pass .py files, folders of them, or "
                              "Gradescope's export (the zip or its folder)")
            protect = [*inputs.folders, data_dir, out.resolve()]
            if os.geteuid() == 0:
                from ..sandbox.folders import closed_while_grading

                closing = closed_while_grading(protect)
                if closing:
                    print("a2: grading as root: " + ", ".join(str(p) for p in closing)
                          + " are closed to other users while submissions run; their modes "
                          "are restored afterwards", file=sys.stderr)

            def publish(records) -> None:
                applied = apply_overrides(sorted(records, key=lambda r: r.name), overrides)
                write_atomic(out / "grades.csv", grades_csv(applied, autograder.sha256))

            progress = Progress(0, quiet=args.quiet)
            try:
                records, summary = grade_submissions(
                    inputs.submissions, casebook, data_dir, autograder, out, jobs=args.jobs,
                    protect=protect, progress=progress, publish=publish)
            except KeyboardInterrupt:
                print(f"\na2: interrupted; every result finished so far is kept in "
                      f"{out / 'results'} and {out / 'grades.csv'}; run the same command "
                      "to grade the rest", file=sys.stderr)
                return 130
            skipped = list(inputs.skipped)
    except InputError as exc:
        return _error(str(exc))
    applied = write_views(out, records, overrides, autograder.sha256, skipped)
    if summary.removed:
        print(f"a2: removed {len(summary.removed)} result(s) of an earlier run from "
              f"{out / 'results'} (not among this run's submissions)", file=sys.stderr)
    print(score_table([r.result for r in applied.records]))
    print(f"\n{len(records)} submission(s): {summary.graded} file(s) graded, {summary.reused} "
          f"result(s) current and kept; {len(skipped)} input(s) not graded; "
          f"{len(applied.applied)} override(s) applied")
    if applied.stale:
        print(f"a2: {len(applied.stale)} override(s) are stale (their answer changed); see "
              f"{out / 'report.html'}", file=sys.stderr)
    print(f"wrote {out / 'grades.csv'}, {out / 'report.html'} and {out / 'results'}/")
    return 0


# ---------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace) -> int:
    from .export import write_exports
    from .overrides import load_overrides
    from .store import load_grades

    grades: Path = args.grades
    try:
        records = load_grades(grades)
        overrides = load_overrides(grades)
        applied = write_views(grades, records, overrides)
    except (FileNotFoundError, ValueError) as exc:  # OverrideError is a ValueError
        return _error(str(exc))
    final, folder, count = write_exports(applied, args.output or grades)
    print(f"wrote {final} and {count} feedback file(s) in {folder}/; rewrote "
          f"{grades / 'grades.csv'} and {grades / 'report.html'} "
          f"({len(applied.applied)} override(s) applied)")
    if applied.stale:
        print(f"a2: {len(applied.stale)} override(s) are stale and were not applied; "
              f"see {grades / 'report.html'}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- review


def cmd_review(args: argparse.Namespace) -> int:
    try:
        from .review_app import ReviewServer
    except ImportError as exc:
        return _error(f"a2 review needs the staff tools ({exc.name} is missing); install "
                      "them with: pip install -e '.[staff]'")
    from .overrides import OverrideError, load_overrides
    from .store import load_grades

    grades: Path = args.grades
    try:
        records = load_grades(grades)
        load_overrides(grades)
    except (FileNotFoundError, OverrideError) as exc:
        return _error(str(exc))
    manifest = _manifest(args.manifest)
    data_dir, _ = _grading_data(manifest)
    if args.export_calibration:
        from .calibration import export_calibration

        folder = args.calibration_dir or manifest.path.parent / "calibration"
        written = export_calibration(grades, records, folder)
        for path, added in written:
            print(f"wrote {path} (+{added} reviewed answer(s))")
        if not written:
            print("no reviewed short answers to export (set or confirm marks in a2 review "
                  "first)")
        return 0
    try:
        server = ReviewServer(grades, data_dir, port=args.port, reviewer=args.by)
    except OSError as exc:
        return _error(f"cannot listen on 127.0.0.1:{args.port} ({exc.strerror or exc}); pass "
                      "another --port, or none to take any free one")
    print(f"a2 review: {server.url}\n(only this URL works: it holds the access token; "
          "Ctrl-C to stop)", flush=True)
    if not args.no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


# ---------------------------------------------------------------- parsers


def register(sub, manifest_arg) -> None:
    """Add ``grade``, ``review`` and ``export`` to the ``a2`` parser's subcommands."""
    p = sub.add_parser("grade", help="grade submissions (files, folders, Gradescope's export) "
                       "into grades.csv, report.html and results/",
                       description="Grade every submission on every case. PATHS are .py files, "
                       "folders of .py files or of per-student folders, or Gradescope's 'Export "
                       "Submissions' zip or its unpacked folder (names from "
                       "submission_metadata.yml). Only what changed since the last run into "
                       "the same folder is graded again.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("-o", "--output", type=Path, default=Path("grades"),
                   help="folder for grades.csv, report.html, results/ and overrides.yaml "
                   "(default: grades)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="submissions graded at once (default: number of CPUs)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    manifest_arg(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("review", help="review flagged short answers (and numeric parts) in "
                       "a local web page and set marks (overrides.yaml)",
                       description="Serve a review page on 127.0.0.1 with an access token in "
                       "its URL: short answers with flagged ones first and similar ones "
                       "together, then numeric parts grouped by outcome; marks you set or "
                       "confirm are saved at once to GRADES/overrides.yaml.")
    p.add_argument("grades", nargs="?", type=Path, default=Path("grades"), metavar="GRADES_DIR",
                   help="the folder 'a2 grade' wrote (default: grades)")
    p.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    p.add_argument("--no-browser", action="store_true", help="only print the URL")
    p.add_argument("--by", default=os.environ.get("USER") or "staff",
                   help="your name, stored with each mark you set (default: $USER)")
    p.add_argument("--export-calibration", action="store_true",
                   help="instead of serving: append the reviewed answers with their marks to "
                   "calibration sets of kind 'review'")
    p.add_argument("--calibration-dir", type=Path, default=None,
                   help="where those sets go (default: the manifest's calibration/ folder)")
    manifest_arg(p)
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("export", help="final.csv (one row per student) and feedback files",
                       description="Write final.csv (one row per student, marks after "
                       "overrides) and feedback/<student>.txt (only what students see after "
                       "publication).")
    p.add_argument("grades", nargs="?", type=Path, default=Path("grades"), metavar="GRADES_DIR")
    p.add_argument("-o", "--output", type=Path, default=None,
                   help="folder to write into (default: GRADES_DIR)")
    p.set_defaults(func=cmd_export)
