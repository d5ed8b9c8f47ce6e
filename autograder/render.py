"""Render a ``GradeResult``: Gradescope's results.json, a terminal table, CSV rows, a report.

Rendering decides only what each audience sees: students see public cases at once and hidden
cases and short-answer marks after grades are published; staff also see review entries. Nothing
here changes a score. Gradescope's format: gradescope/autograder_samples ``docs/specs.md``.
"""

from __future__ import annotations

import csv
import io

from .grade import GradeResult

VISIBLE = "visible"
AFTER_PUBLISHED = "after_published"
HIDDEN = "hidden"


def to_gradescope(result: GradeResult, execution_time: float | None = None,
                  provenance: dict | None = None) -> dict:
    """results.json for Gradescope: per part, entries named '<part id> <what>'.

    ``provenance`` (``autograder.provenance.provenance``) goes to ``extra_data``, which students
    never see."""
    tests = []
    review = []
    for part in result.parts:
        if part.kind == "function":
            for group in part.groups:
                public = group.visibility == "public"
                tests.append({
                    "name": f"{part.id} {group.visibility}: {group.title}",
                    "score": group.score,
                    "max_score": group.marks,
                    # From the cases, not the marks: a public check of the question's own case
                    # carries no marks (they come from its unseen siblings) but is right or not.
                    "status": "passed" if group.total and group.passed == group.total
                    else "failed",
                    "output": _with_problem(group.feedback, result, part),
                    "visibility": VISIBLE if public else AFTER_PUBLISHED,
                })
        else:
            tests.append({
                "name": f"{part.id} short answer: {part.title}",
                "score": part.score,
                "max_score": part.marks,
                "status": "passed" if part.score >= part.marks else "failed",
                "output": part.feedback,
                "visibility": AFTER_PUBLISHED,
            })
            if part.staff or part.review:
                tests.append({
                    "name": f"{part.id} staff: rubric details"
                            + (" (REVIEW)" if part.review else ""),
                    "score": 0,
                    "max_score": 0,
                    "output": part.staff or "",
                    "visibility": HIDDEN,
                })
            if part.review:
                review.append({"part": part.id, "flags": part.flags, "reasons": part.reasons})
    data = {
        "score": result.score,
        "output": visible_summary(result),
        "output_format": "text",
        "visibility": VISIBLE,
        "stdout_visibility": HIDDEN,
        "tests": tests,
        "extra_data": {"review": review, "isolation": result.isolation,
                       "network": result.network,
                       "notes": result.notes,
                       "misconceptions": {p.id: p.misconceptions for p in result.parts
                                          if p.misconceptions}},
    }
    if provenance is not None:
        data["extra_data"]["provenance"] = provenance
    if execution_time is not None:
        # Not the top-level execution_time, which students see at once: a hidden case that
        # hangs would show there as a long run.
        data["extra_data"]["execution_time"] = round(execution_time, 3)
    return data


def visible_summary(result: GradeResult) -> str:
    """The top-level text students see at once on Gradescope.

    It may depend only on what is visible anyway (public cases, a file-level problem found
    before any case ran, what was printed at import): a total, or anything else that moves with
    hidden cases or short answers, would let a student probe them by resubmitting.
    """
    public = [(part.id, group.passed == group.total) for part in result.parts
              for group in part.groups if group.visibility == "public" and group.total]
    lines = [f"{result.assignment}: your file was received and graded."]
    if public:
        lines.append(f"Public checks: {sum(ok for _, ok in public)} of {len(public)} right ("
                     + ", ".join(f"{part} {'right' if ok else 'wrong'}" for part, ok in public)
                     + ").")
    lines.append("Hidden cases and short answers are marked now; their marks, your total and "
                 "their feedback appear when grades are published.")
    summary = [" ".join(lines)]
    if result.problem:
        summary.append(result.problem)
    if result.output:
        summary.append("What your submission printed:\n" + result.output)
    return "\n\n".join(summary)


def _with_problem(feedback: str, result: GradeResult, part) -> str:
    return feedback


def _public_checks(result: GradeResult) -> tuple[int, int]:
    """(right, all) over the groups of public cases that were run."""
    public = [g for p in result.parts for g in p.groups if g.visibility == "public" and g.total]
    return sum(g.passed == g.total for g in public), len(public)


def to_text(result: GradeResult, detail: bool = True) -> str:
    """A plain-text report of one result, for terminals."""
    if result.public_only:
        right, checks = _public_checks(result)
        lines = [f"{result.submission}: {right} of {checks} public checks right  (marks for "
                 "the question's cases come from unseen cases of the same shape, after you "
                 "submit)"]
    else:
        lines = [f"{result.submission}: {result.score:g} / {result.possible:g}"]
    if result.problem:
        lines.append(f"  problem: {result.problem}")
    for part in result.parts:
        score = f"{part.score:g}/{part.marks:g}" if part.marked else "not marked here"
        if part.marked and part.kind == "function" and not part.marks:
            ran = [g for g in part.groups if g.total]
            score = "right" if all(g.passed == g.total for g in ran) else "wrong"
        flag = "  [review]" if part.review else ""
        lines.append(f"  {part.id:<8} {score:<16} {part.title}{flag}")
        if detail:
            for line in part.feedback.splitlines():
                if result.problem and line == result.problem:
                    continue
                lines.append(f"             {line}")
    if result.output:
        lines.append("  printed output:")
        lines.extend(f"    | {line}" for line in result.output.splitlines())
    return "\n".join(lines)


def score_table(results: list[GradeResult]) -> str:
    """A table of scores per part, one row per submission."""
    if not results:
        return "(no submissions)"
    part_ids = [p.id for p in results[0].parts]
    header = ["submission", *part_ids, "total", "review"]
    rows = [header]
    for result in results:
        cells = [result.submission]
        for part in result.parts:
            cells.append(f"{part.score:g}/{part.marks:g}" if part.marked else "-")
        cells.append(f"{result.score:g}/{result.possible:g}")
        cells.append("yes" if result.review else "")
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    out = []
    for index, row in enumerate(rows):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def to_csv(results: list[GradeResult]) -> str:
    """CSV: one row per submission, a column per part, total, review flag and problem."""
    buffer = io.StringIO()
    if not results:
        return ""
    part_ids = [p.id for p in results[0].parts]
    writer = csv.writer(buffer)
    writer.writerow(["submission", *part_ids, "total", "possible", "review", "review_parts",
                     "review_reasons", "problem"])
    for result in results:
        writer.writerow([
            result.submission, *[f"{p.score:g}" for p in result.parts],
            f"{result.score:g}", f"{result.possible:g}", "yes" if result.review else "no",
            " ".join(f"{p.id}:{'+'.join(p.flags) or 'review'}"
                     for p in result.parts if p.review),
            " | ".join(f"{p.id}: {'; '.join(p.reasons)}" for p in result.parts
                       if p.review and p.reasons),
            result.problem or "",
        ])
    return buffer.getvalue()


def misconception_counts(results: list[GradeResult]) -> dict[str, int]:
    """How many submissions each catalogued misconception was found in, as
    ``{"part id: misconception id": count}``, most frequent first."""
    counts: dict[str, int] = {}
    for result in results:
        for part in result.parts:
            for name in part.misconceptions:
                key = f"{part.id}: {name}"
                counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def to_report(results: list[GradeResult]) -> str:
    """A Markdown report for staff: the score table, then each submission in detail."""
    lines = ["# Grading report", "", "```", score_table(results), "```", ""]
    counts = misconception_counts(results)
    if counts:
        lines += ["Misconceptions across the class (submissions): " + ", ".join(
            f"{name} ({count})" for name, count in counts.items()), ""]
    for result in results:
        lines += [f"## {result.submission}: {result.score:g} / {result.possible:g}", ""]
        if result.problem:
            lines += [f"**Problem:** {result.problem}", ""]
        for part in result.parts:
            lines.append(f"### {part.id} ({part.score:g}/{part.marks:g})"
                         + (" - needs review" if part.review else ""))
            if part.review and part.reasons:
                lines += ["", "Why review: " + "; ".join(part.reasons)]
            lines += ["", "```", part.feedback, "```"]
            if part.staff:
                lines += ["", "Staff:", "```", part.staff, "```"]
            lines.append("")
        if result.notes:
            lines += ["Notes: " + "; ".join(result.notes), ""]
    return "\n".join(lines)
