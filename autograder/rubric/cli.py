"""Command line for rubrics: ``rubric lint``, ``score``, ``calibrate`` and ``fit-review``.

``register(subparsers)`` adds the ``rubric`` command to another argparse program (the ``a2``
CLI); ``main(argv)`` runs the same subcommands standalone (``python -m autograder.rubric.cli``).
Each handler is stored as ``args.func`` and returns the exit code. This module only parses
arguments and renders results: the logic lives in the engine, calibrate and lint modules.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calibrate import CalibrationReport
    from .schema import Rubric

# The engine, lint and calibration modules are imported by the commands that use them: every
# ``a2`` command (a student's check among them) registers these subcommands.

_EPILOG = """\
examples:
  rubric lint
  rubric score q2 "VQ-VAE's latent is discrete; the VAE's is a continuous Gaussian."
  rubric score q3 --file answer.txt --json
  rubric calibrate solutions/calibration/q2.yaml
  rubric calibrate --all
  rubric fit-review
"""


def _manifest(args: argparse.Namespace) -> Path:
    from .lint import default_manifest

    return Path(args.manifest) if args.manifest else default_manifest()


def _rubric_for(args: argparse.Namespace, part: str | None) -> Rubric:
    from .lint import find_part
    from .schema import RubricError, load_rubric

    if getattr(args, "rubric", None):
        return load_rubric(args.rubric)
    if not part:
        raise RubricError(
            "cannot tell which part this is: give the calibration file a 'part:' key "
            "or pass --rubric PATH"
        )
    return load_rubric(find_part(_manifest(args), part).rubric_path)


def _cmd_lint(args: argparse.Namespace) -> int:
    from .lint import lint_manifest

    manifest = _manifest(args)
    issues = lint_manifest(manifest)
    for issue in issues:
        print(issue, file=sys.stderr if issue.level == "error" else sys.stdout)
    errors = sum(1 for i in issues if i.level == "error")
    warnings = len(issues) - errors
    print(f"rubric lint: {errors} error(s), {warnings} warning(s) ({manifest})")
    return 1 if errors else 0


def _read_answer(args: argparse.Namespace) -> str:
    from .schema import RubricError

    if args.file is not None and args.answer is not None:
        raise RubricError("give the answer either as text or with --file, not both")
    if args.file is None:
        if args.answer is None:
            raise RubricError("no answer: pass it as text, or --file F (use '-' for stdin)")
        return str(args.answer)
    if args.file == "-":
        return sys.stdin.read()
    try:
        return Path(args.file).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise RubricError(f"{args.file}: cannot read ({exc.strerror}); check the path") from exc


def answer_from_extras(args: argparse.Namespace, extras: list[str]) -> str | None:
    """Take words argparse could not place as the answer: one given after an option
    (``score q2 --json "text"``) or beginning with '-' (``score q2 "-codebook"``).

    Returns an error message when the answer was already given, else None.
    """
    if args.answer is None and args.file is None:
        args.answer = " ".join(extras)
        return None
    return f"unrecognized arguments: {' '.join(extras)} (quote the answer as one argument)"


def _cmd_score(args: argparse.Namespace) -> int:
    from .engine import score_answer

    rubric = _rubric_for(args, args.part)
    text = _read_answer(args)
    result = score_answer(rubric, text)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return 0
    if args.student:
        print(result.student_feedback())
        return 0
    print(result.staff_feedback())
    for c in result.concepts:
        for start, end in c.spans:
            print(f"    {c.id} [{start}:{end}] {text[start:end]!r}")
    return 0


def _print_report(report: CalibrationReport, args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.format(show_answers=not args.quiet))


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from .calibrate import calibrate, load_calibration
    from .lint import read_manifest
    from .schema import RubricError

    if args.all == bool(args.file):
        raise RubricError("give one calibration FILE, or --all for every set of every part")
    if args.rescore and not args.all:
        raise RubricError("--rescore goes with --all (one FILE is always marked afresh)")
    if args.all:
        from .suite import SCORES_FILE, run_suite

        parts = read_manifest(_manifest(args))
        folders = sorted({tp.calibration_path.parent for tp in parts})
        missing = [tp for tp in parts if not tp.calibration_path.is_file()]
        if missing:
            raise RubricError(
                f"{missing[0].calibration_path}: missing calibration file for "
                f"'{missing[0].id}'; add human-marked answers there"
            )
        rubric_paths = {tp.id: tp.rubric_path for tp in parts}
        code = 0
        for folder in folders:
            scores = folder / SCORES_FILE
            if args.rescore and scores.exists():
                scores.unlink()
            suite = run_suite(folder, rubric_paths, scores, store=True)
            if not args.json:
                total = sum(len(s.report.outcomes) for s in suite.sets)
                print(f"every answer marked ({total}); marks stored in {scores.name}"
                      if suite.marked == total else
                      f"{total - suite.marked} of {total} marks read from {scores.name} (stored "
                      "under this checkout's fingerprint; --rescore marks everything again)")
            if args.json:
                print(json.dumps(suite.to_dict(), indent=2))
            else:
                print(suite.format(detail=not args.quiet))
            code = code or (0 if suite.passed else 1)
        return code
    part, entries = load_calibration(args.file)
    if part is None and not args.rubric:
        stem = Path(args.file).stem
        part = args.part or stem.removeprefix("heldout_").removeprefix("review_")
    rubric = _rubric_for(args, args.part or part)
    report = calibrate(rubric, entries, str(args.file))
    _print_report(report, args)
    if args.record:
        from .suite import record_first_score

        commit = _git_commit(Path(args.file))
        if record_first_score(Path(args.file), report, commit):
            print(f"first score recorded in {args.file}")
        else:
            print(f"{args.file} already holds its first score; left as it was")
    return 0 if report.passed else 1


def _cmd_fit_review(args: argparse.Namespace) -> int:
    from ..files import write_atomic
    from . import fit, neighbours
    from .lint import read_manifest
    from .schema import REVIEW_MODEL_FILE, RubricError, load_review_model

    parts = read_manifest(_manifest(args))
    folders = sorted({tp.calibration_path.parent for tp in parts})
    homes = sorted({tp.rubric_path.parent for tp in parts})
    if len(folders) != 1 or len(homes) != 1:
        raise RubricError("fit-review needs the calibration sets in one folder and the rubrics "
                          "in one folder; the manifest names several")
    rubric_paths = {tp.id: tp.rubric_path for tp in parts}
    index = fit.build_index(folders[0], rubric_paths)
    out = Path(args.out) if args.out else homes[0] / REVIEW_MODEL_FILE
    near_out = out.parent / neighbours.NEIGHBOURS_FILE
    near_text = neighbours.dumps(index)
    if args.check and (not near_out.is_file()
                       or near_out.read_text(encoding="utf-8") != near_text):
        # The model is fitted on features of these marked answers: no need to refit to know.
        print(f"  drift: {near_out.name}: the marked answers differ from the calibration sets'")
        print(f"{out}: refit differs; run 'a2 rubric fit-review' and commit the model, "
              f"{near_out.name} and {fit.FIRST_ROWS_FILE}")
        return 1
    rows = fit.training_rows(folders[0], rubric_paths, index)
    rows_file = out.parent / fit.FIRST_ROWS_FILE
    first = fit.first_score_rows(folders[0], rubric_paths, index, cache=rows_file,
                                 write_cache=not args.check)
    if first.missing:
        print(f"note: {len(first.missing)} set(s) keep a first score whose rubrics are not in "
              "this clone's git history; they train the model as marked today only: "
              + ", ".join(first.missing[:6]) + (" ..." if len(first.missing) > 6 else ""))
    result = fit.fit(rows + first.rows)
    print(fit.summary(result))
    if args.check and not first.stored:
        print(f"note: {rows_file.name} was missing or computed under other sources, sets or "
              "library versions, so every wave was marked again as first scored; "
              "'a2 rubric fit-review' stores them (a time saving only)")
    if args.check:
        stored = load_review_model(out)
        if stored is None:
            print(f"{out}: no review model; fit one with 'a2 rubric fit-review'")
            return 1
        changes = fit.drift(stored, result.model)
        for change in changes:
            print(f"  drift: {change}")
        print(f"{out}: " + ("refit differs; run 'a2 rubric fit-review' and commit the model, "
                            f"{near_out.name} and {rows_file.name}"
                            if changes else "refit reproduces the stored model"))
        return 1 if changes else 0
    write_atomic(near_out, near_text)
    fit.write_model(out, result, _git_commit(out.parent))
    print(f"written: {near_out}")
    print(f"written: {rows_file}")
    print(f"written: {out}")
    return 0


def _git_commit(path: Path) -> str:
    import subprocess

    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=path.parent,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _add_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="rubric_command", metavar="COMMAND")
    sub.required = True

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--manifest",
            metavar="PATH",
            help="grading manifest (default: solutions/manifest.yaml here, else in the repository)",
        )

    p = sub.add_parser(
        "lint",
        help="check every rubric named by the manifest",
        description="Check the rubrics of all text parts: schema, marks against the "
        "manifest, phrasings that can never match, phrasings shared by two "
        "concepts, feedback that gives answers away. Exits 1 on any error.",
    )
    common(p)
    p.set_defaults(func=_safe(_cmd_lint))

    p = sub.add_parser(
        "score",
        help="mark one answer with a part's rubric",
        description="Mark one answer and show the concepts matched (with character "
        "spans), the flags and the confidence.",
    )
    p.add_argument("part", metavar="PART", help="text part id from the manifest, e.g. q2")
    p.add_argument("answer", nargs="?", metavar="ANSWER", help="the answer text (or use --file)")
    p.add_argument("--file", "-f", metavar="F", help="read the answer from a file ('-' for stdin)")
    p.add_argument(
        "--rubric", metavar="PATH", help="use this rubric file instead of the manifest's"
    )
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--student", action="store_true", help="print only what a student would see")
    common(p)
    p.set_defaults(func=_safe(_cmd_score), absorb_extras=answer_from_extras)

    p = sub.add_parser(
        "calibrate",
        help="compare a rubric with human marks",
        description="Mark every answer of a calibration file (YAML or CSV) and "
        "compare with the human marks: MAE, exact and within-0.5 agreement, "
        "quadratic weighted kappa, per-concept precision/recall, disagreements "
        "worst first. Exits 1 when the rubric's calibration thresholds are not met.",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="calibration file (YAML or CSV)")
    p.add_argument(
        "--all",
        action="store_true",
        help="every calibration set of every text part (tuned, held-out and review sets "
        "reported apart; held-out sets pooled and held to the held-out targets). The marks "
        "are kept in the calibration folder's current_scores.json.gz under a fingerprint of "
        "the engine, the rubrics, the review model and every set, and read back while none "
        "of these has changed",
    )
    p.add_argument("--rescore", action="store_true",
                   help="with --all: mark every answer again, whatever marks are stored")
    p.add_argument("--part", metavar="PART", help="part id when the file does not say")
    p.add_argument(
        "--rubric", metavar="PATH", help="use this rubric file instead of the manifest's"
    )
    p.add_argument("--json", action="store_true", help="print reports as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="do not print disagreeing answers")
    p.add_argument("--record", action="store_true",
                   help="append this set's first score to FILE (only if it has none): do this "
                        "the first time a new blind set is scored, before changing anything")
    common(p)
    p.set_defaults(func=_safe(_cmd_calibrate))

    p = sub.add_parser(
        "fit-review",
        help="refit the review flag's model on the human-marked calibration sets",
        description="Index the answers of every calibration set the flag may learn from (all "
        "but held-out sets without 'flag_training: true') as the marked answers new ones are "
        "compared with (neighbours.json: word stems and marks), mark them, fit a logistic "
        "model of 'off by half a mark or more' on the answers' features, choose its L2 "
        "strength and threshold by leave-one-wave-out cross-validation (highest recall at a "
        "flag rate kept under the target of fit.TARGET_RATE), and write both beside the "
        "rubrics (review_model.yaml, neighbours.json).",
    )
    p.add_argument("--out", metavar="PATH", help="model file (default: beside the rubrics)")
    p.add_argument("--check", action="store_true",
                   help="do not write: exit 1 if a refit differs from the stored model or "
                        "the stored marked answers")
    common(p)
    p.set_defaults(func=_safe(_cmd_fit_review))


def _safe(handler: Any) -> Any:
    """Wrap a handler so that rubric errors print one clear line and exit with 2."""

    def run(args: argparse.Namespace) -> int:
        from .schema import RubricError

        try:
            return int(handler(args))
        except RubricError as exc:
            for error in exc.errors:
                print(f"a2: error: {error}", file=sys.stderr)
            return 2

    run.__name__ = handler.__name__
    return run


def register(subparsers: Any) -> None:
    """Add the ``rubric`` command (lint, score, calibrate) to an argparse subparsers object.

    The parsed namespace's ``func`` runs the chosen subcommand and returns its exit code.
    """
    parser = subparsers.add_parser(
        "rubric",
        help="lint, try and calibrate the short-answer rubrics",
        description="Short-answer rubrics: lint them, score an answer, calibrate against human "
        "marks.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_commands(parser)


def main(argv: list[str] | None = None) -> int:
    """Run ``lint``, ``score`` or ``calibrate`` standalone; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m autograder.rubric.cli",
        description="Short-answer rubrics: lint them, score an answer, calibrate against human "
        "marks.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_commands(parser)
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "rubric":
        args_list = args_list[1:]
    args, extras = parser.parse_known_args(args_list)
    if extras:
        absorb = getattr(args, "absorb_extras", None)
        problem = absorb(args, extras) if absorb else f"unrecognized arguments: {extras}"
        if problem:
            parser.error(problem)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
