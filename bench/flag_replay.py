"""Replay the blind waves as they were first marked, to measure the review flag on new cohorts.

A blind wave is scored once (``a2 rubric calibrate FILE --record``) with the rubrics of the day,
then read and tuned on: today's marks of a tuned wave say little about what a new cohort meets.
Its ``first_score:`` records the commit it was scored at, so this script marks each wave again
with *that* commit's engine and rubrics (a git worktree per commit; every first mark is checked
to be reproduced) and asks how today's flag would have ranked those fresh mis-marks:

* each wave's answers get the engine features of their day, plus today's neighbour features
  (``autograder/rubric/neighbours.py``) computed from the waves written before it only;
* the review model is fitted as ``a2 rubric fit-review`` fits it (today's training rows, L2 from
  the stored model), without the replayed wave, and its threshold kept at ``fit.TARGET_RATE``
  of those rows;
* reported: mis-marks caught and answers flagged, against the flags of the day.

Not a test and not part of ``make bench`` (it takes a few minutes):
``.venv/bin/python -m bench.flag_replay`` from the repository. docs/rubric-calibration.md (rounds
31, 35 and 36) quotes its figures. Worktrees go to a temporary folder and are removed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CALIBRATION = REPO / "solutions" / "calibration"

# Run inside a worktree of an old commit: mark the given files with that commit's engine.
_MARK_AT_COMMIT = r"""
import json, sys
from pathlib import Path
root = Path(sys.argv[1]); sys.path.insert(0, str(root))
from autograder.rubric import score_answer
from autograder.rubric.schema import load_rubric
import yaml
rows, rubrics = [], {}
for name in sys.argv[2:]:
    data = yaml.safe_load(open(name, encoding="utf-8"))
    part = data["part"]
    if part not in rubrics:
        rubrics[part] = load_rubric(root / "solutions" / "rubrics" / f"{part}.yaml")
    first = data["first_score"]["marks"]
    for a in data["answers"]:
        r = score_answer(rubrics[part], a["answer"] or "")
        rows.append({"id": a["id"], "part": part, "wave": int(data["wave"]),
                     "human": float(a["human"]), "score": float(r.score),
                     "first": float(first[a["id"]]), "flagged": bool(r.needs_review),
                     "features": {k: float(v) for k, v in r.features.items()},
                     "earned": {c.id: float(c.earned) for c in r.concepts}})
print(json.dumps(rows))
"""


def _waves() -> dict[str, list[Path]]:
    """Blind waves with a first score, by the commit they were scored at."""
    import yaml

    by_commit: dict[str, list[Path]] = {}
    for path in sorted(CALIBRATION.glob("wave*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        first = data.get("first_score") or {}
        if first.get("commit") and first.get("marks"):
            by_commit.setdefault(str(first["commit"]), []).append(path)
    return by_commit


def _has_features(commit: str) -> bool:
    """Whether the engine at ``commit`` exposes the features the review model reads."""
    done = subprocess.run(["git", "show", f"{commit}:autograder/rubric/engine.py"], cwd=REPO,
                          capture_output=True, text=True)
    return done.returncode == 0 and "features=" in done.stdout


def replay_rows(scratch: Path, say) -> list[dict]:
    """Every replayable wave's answers, marked by the engine of the day they were scored."""
    rows: list[dict] = []
    for commit, paths in sorted(_waves().items()):
        if not _has_features(commit):
            say(f"  {commit}: its engine predates the review model's features; skipped")
            continue
        tree = scratch / commit
        subprocess.run(["git", "worktree", "add", "-f", "--detach", str(tree), commit],
                       cwd=REPO, check=True, capture_output=True)
        try:
            done = subprocess.run([sys.executable, "-c", _MARK_AT_COMMIT, str(tree),
                                   *map(str, paths)], capture_output=True, text=True,
                                  check=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO,
                           capture_output=True)
        marked = json.loads(done.stdout)
        differ = sum(1 for r in marked if abs(r["score"] - r["first"]) > 1e-9)
        say(f"  {commit}: {len(marked)} answers of {len(paths)} files, "
            f"{differ} differing from their first marks")
        rows += marked
    subprocess.run(["git", "worktree", "prune"], cwd=REPO, capture_output=True)
    return rows


def evaluate(rows: list[dict], say) -> None:
    """Today's flag on the replayed answers (see the module docstring)."""
    import yaml

    from autograder.rubric import fit
    from autograder.rubric import neighbours as nb
    from autograder.rubric.schema import REVIEW_MODEL_FILE

    rubric_paths = {p: REPO / "solutions" / "rubrics" / f"{p}.yaml"
                    for p in ("q1_i", "q1_iii", "q2", "q3")}
    today = fit.training_rows(CALIBRATION, rubric_paths)
    stored = yaml.safe_load((REPO / "solutions" / "rubrics" / REVIEW_MODEL_FILE).read_text())
    l2 = float(stored["fitted"]["l2"])
    names = sorted({n for r in today for n, v in r.values.items() if v} | set(nb.FEATURES))
    x_today = fit._matrix(today, names)
    y_today = np.array([r.off for r in today], dtype=float)
    groups = np.array([r.group for r in today])

    answers = {}
    for path in sorted(CALIBRATION.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for a in data.get("answers") or []:
            answers[a["id"]] = (data["part"], int(data.get("wave") or 0), path.name, a)

    y = np.array([abs(r["score"] - r["human"]) >= fit.OFF for r in rows])
    probs = np.zeros(len(rows))
    flagged = np.zeros(len(rows), dtype=bool)
    for wave in sorted({r["wave"] for r in rows}):
        earlier = [(part, name, a["human"], a["answer"], a.get("concept_marks"))
                   for part, w, name, a in answers.values() if w < wave]
        index = nb.build(earlier)
        near = {p: nb.from_data(index, p) for p in rubric_paths}
        mine = [i for i, r in enumerate(rows) if r["wave"] == wave]
        x = []
        for i in mine:
            r = rows[i]
            values = dict(r["features"])
            if near[r["part"]] is not None:
                text = answers[r["id"]][3]["answer"] or ""
                values.update(near[r["part"]].features(text, r["score"], r["earned"])[0])
            x.append([values.get(n, 0.0) for n in names])
        keep = groups != f"wave{wave}"
        w, scales = fit._fit_matrix(x_today[keep], y_today[keep], l2)
        threshold = fit.choose_threshold(fit._predict(w, scales, x_today[keep]))
        probs[mine] = fit._predict(w, scales, np.array(x))
        flagged[mine] = probs[mine] >= threshold
    then = np.array([r["flagged"] for r in rows])
    n, off = len(rows), int(y.sum())
    say(f"replayed: {n} answers of {len({r['wave'] for r in rows})} waves, {off} mis-marks")
    say(f"  the flags of the day: caught {int((then & y).sum())}/{off} "
        f"({(then & y).sum() / off:.1%}), flagged {int(then.sum())}/{n} ({then.mean():.1%})")
    say(f"  today's flag (target {fit.TARGET_RATE}): caught {int((flagged & y).sum())}/{off} "
        f"({(flagged & y).sum() / off:.1%}), flagged {int(flagged.sum())}/{n} "
        f"({flagged.mean():.1%})")
    for rate in (0.20, 0.22, 0.24, 0.25):
        t = fit.choose_threshold(probs, rate)
        caught = int(((probs >= t) & y).sum())
        say(f"  today's ranking, exactly {rate:.0%} flagged: caught {caught}/{off} "
            f"({caught / off:.1%})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.flag_replay",
        description="Mark every blind wave again as it was first scored (a git worktree of the "
        "commit in its first_score) and measure today's review flag on those fresh mis-marks.")
    parser.add_argument("--rows", metavar="JSON", help="reuse marked rows saved by --save")
    parser.add_argument("--save", metavar="JSON", help="save the marked rows for --rows")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))

    def say(line: str) -> None:
        print(line, flush=True)

    if args.rows:
        rows = json.loads(Path(args.rows).read_text(encoding="utf-8"))
    else:
        say("marking the blind waves with the engines of their day ...")
        scratch = Path(tempfile.mkdtemp(prefix="a2-replay-"))
        try:
            rows = replay_rows(scratch, say)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if args.save:
            Path(args.save).write_text(json.dumps(rows), encoding="utf-8")
    evaluate(rows, say)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
