"""The grading core: one submission file and a casebook in, one ``GradeResult`` out.

Every front door (``a2 check`` for students, ``a2 grade`` for a folder, the Otter plugin on
Gradescope) calls ``grade_file``; they differ only in the casebook they pass (public or full) and
in how they render the result. The submission runs in the sandbox (``sandbox/runner.py``); this
module only sees the plain values that come back, compares them with exact references
(``compare.py``) and marks short answers with the YAML rubrics (``rubric/``).

Feedback written here never contains a hidden input, a hidden case's expected value, a rubric
phrasing or anything the submission printed (that is ``GradeResult.output``, shown only if
allowed). A wrong answer on a public case (the question's own, printed in the question) is
explained with its right values (``explain.py``), and wrong answers that equal a known wrong
method are named by it (``misconceptions.py``) on public and hidden cases alike.
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .compare import Verdict, compare
from .explain import explain_case
from .files import floor_to_step, round_marks
from .misconceptions import Diagnosis, describe, diagnose, part_misconceptions
from .sandbox.outcomes import Call, CallOutcome, Limits, SubmissionFileError
from .sandbox.runner import run_submission


@dataclass
class GroupResult:
    """The marks one case group earned."""

    id: str
    title: str
    visibility: str
    """'public' or 'hidden' (as in the manifest)."""
    marks: float
    score: float
    passed: int
    total: int
    feedback: str
    tags: dict[str, list[int]] = field(default_factory=dict)
    """For staff: per kind of case (the casebook's tags), [passed, total]."""


@dataclass
class PartResult:
    """The marks one question part earned, with the feedback students and staff see."""

    id: str
    title: str
    kind: str
    marks: float
    score: float
    feedback: str
    """For students: what is wrong, never the answer."""
    groups: list[GroupResult] = field(default_factory=list)
    staff: str = ""
    """For staff only: matched rubric spans, flags, confidence."""
    review: bool = False
    """Whether a person should look at this part's marking."""
    flags: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """For staff only: why a person should look at this part's mark, in words."""
    marked: bool = True
    """False when this run could not mark the part (a short answer in the public check)."""
    misconceptions: list[str] = field(default_factory=list)
    """Ids of the catalogued misconceptions the part's wrong answers match (``misconceptions.
    part_misconceptions``: a method another group rules out is dropped)."""
    warning: str = ""
    """For students: something to fix that this run does not mark (an empty short answer)."""
    answer: str = ""
    """For staff only: a short answer's text as the rubric marked it (review pages, overrides)."""
    concepts: list[dict] = field(default_factory=list)
    """For staff only: per rubric concept its id, marks, earned and matched character spans."""


@dataclass
class GradeResult:
    """Everything one grading run decided about one submission."""

    submission: str
    assignment: str
    parts: list[PartResult]
    problem: str | None = None
    """A file-level problem (missing, not importable) in words for the student."""
    output: str = ""
    """What the submission printed, cut to the configured length."""
    isolation: str = "process"
    network: str = ""
    """Whether the sandbox was denied the network (seccomp), as the runner read it."""
    notes: list[str] = field(default_factory=list)
    public_only: bool = False

    @property
    def score(self) -> float:
        """Marks earned over the marked parts."""
        return round_marks(sum(p.score for p in self.parts if p.marked))

    @property
    def possible(self) -> float:
        """Marks available over the marked parts."""
        return round_marks(sum(p.marks for p in self.parts if p.marked))

    @property
    def review(self) -> bool:
        """Whether any part asks for a person's review."""
        return any(p.review for p in self.parts)

    def part(self, part_id: str) -> PartResult:
        """The result of one part by id."""
        return next(p for p in self.parts if p.id == part_id)

    def to_dict(self) -> dict:
        """A JSON-able dict of the whole result."""
        data = asdict(self)
        data.update(score=self.score, possible=self.possible, review=self.review)
        return data


def _call_problem(outcome: CallOutcome, function: str, public: bool,
                  local: bool = False) -> Verdict:
    status = outcome.status
    if status == "missing":
        return Verdict(False, "missing", f"{function} is not defined as a function")
    if status == "not-implemented":
        return Verdict(False, "not-implemented", "not implemented yet (raises "
                                                 "NotImplementedError)")
    if status == "error":
        if public:
            # The exception's own text (chosen by the submission) only in a local public check.
            text = outcome.detail if local and outcome.detail else outcome.message
            return Verdict(False, "error", f"raised {text}")
        kind = outcome.error_type or "an exception"
        line = f" at line {outcome.error_line}" if outcome.error_line else ""
        return Verdict(False, "error", f"raised {kind}{line}")
    return Verdict(False, status, outcome.message)


def _group_feedback(group: dict, verdicts: list[Verdict], public: bool,
                    explained: list[list[str]] | None = None,
                    diagnosed: list[str] | None = None) -> str:
    total = len(verdicts)
    passed = sum(v.passed for v in verdicts)
    if total == 0:
        return "hidden cases: marked when you submit"
    if passed == total:
        return "correct" if total == 1 else f"all {total} cases correct"
    lines = [f"{passed} of {total} case{'s' if total > 1 else ''} correct"]
    if public:
        for index, (case, verdict) in enumerate(zip(group["cases"], verdicts)):
            if not verdict.passed:
                lines.append(f"- {case['description']}: {verdict.detail}")
                if explained:
                    lines.extend(f"  {line}" for line in explained[index])
        lines.extend(diagnosed or [])
        return "\n".join(lines)
    # Hidden cases: say which kinds of case fail and how, never the values.
    by_tag: dict[str, list[bool]] = {}
    problems: dict[str, int] = {}
    for case, verdict in zip(group["cases"], verdicts):
        for tag in case.get("tags") or ["general"]:
            by_tag.setdefault(tag, []).append(verdict.passed)
        if not verdict.passed:
            label = verdict.detail if verdict.problem in ("error", "missing", "not-implemented",
                                                          "timeout", "crashed", "not-run",
                                                          "invalid") else verdict.problem
            problems[label] = problems.get(label, 0) + 1
    for tag in sorted(by_tag):
        results = by_tag[tag]
        mark = "ok" if all(results) else "FAIL"
        lines.append(f"- {tag}: {sum(results)} of {len(results)} correct [{mark}]")
    lines.append("what went wrong: " + "; ".join(
        f"{label.replace('-', ' ')} ({count})" for label, count in sorted(problems.items())))
    lines.extend(diagnosed or [])
    return "\n".join(lines)


def _grade_function_part(part: dict, run_calls: dict[str, CallOutcome],
                         problem: str | None, local: bool = False) -> PartResult:
    groups = []
    named: list[list[Diagnosis]] = []
    for group in part["groups"]:
        public = group["visibility"] == "public"
        verdicts = []
        values = []
        for index, case in enumerate(group["cases"]):
            outcome = run_calls.get(f"{part['id']}/{group['id']}/{index}")
            values.append(outcome.value if outcome is not None and outcome.status == "ok"
                          else None)
            if outcome is None:
                verdicts.append(Verdict(False, "not-run", problem or "not run"))
            elif outcome.status == "ok":
                verdicts.append(compare(part["compare"], case["expected"], outcome.value,
                                        exact=case["exact"]))
            else:
                verdicts.append(_call_problem(outcome, part["function"], public, local))
        diagnoses = diagnose(part, group["cases"], values, verdicts)
        named.append(diagnoses)
        explained = [explain_case(part["compare"], case, value, verdict) if public else []
                     for case, value, verdict in zip(group["cases"], values, verdicts)]
        total = len(verdicts)
        passed = sum(v.passed for v in verdicts)
        score = floor_to_step(group["marks"] * passed / total, group.get("step", 0.25)) \
            if total else 0.0
        tags: dict[str, list[int]] = {}
        for case, verdict in zip(group["cases"], verdicts):
            for tag in case.get("tags") or ["general"]:
                counts = tags.setdefault(tag, [0, 0])
                counts[0] += verdict.passed
                counts[1] += 1
        groups.append(GroupResult(group["id"], group["title"], group["visibility"],
                                  group["marks"], score, passed, total,
                                  _group_feedback(group, verdicts, public, explained,
                                                  describe(diagnoses, public)), tags))
    marked_groups = [g for g in groups if g.total]
    score = round_marks(sum(g.score for g in marked_groups))
    marks = part["marks"] if all(g.total for g in groups) else sum(g.marks for g in
                                                                    marked_groups)
    lines = [f"{g.title}: {g.score:g}/{g.marks:g} - {g.feedback}" if g.total and g.marks else
             f"{g.title}: {g.feedback}" for g in groups]
    if problem:
        lines.insert(0, problem)
    return PartResult(part["id"], part["title"], "function", marks, score, "\n".join(lines),
                      groups, marked=bool(marked_groups),
                      misconceptions=part_misconceptions(named))


def _grade_text_part(part: dict, answer: str | None, why_missing: str | None,
                     data_dir: Path | None, public_only: bool, problem: str | None) -> PartResult:
    variable = part["variable"]
    if answer is not None:
        # Lone surrogates and control characters would break UTF-8 reports and CSVs later.
        answer = answer.encode("utf-8", "replace").decode("utf-8")
        answer = "".join(ch for ch in answer if ch.isprintable() or ch in "\n\t")
    if answer is None or not answer.strip():
        why = why_missing or ("is empty" if answer is not None else "is not defined")
        note = f"{variable} {why}: no answer to mark"
        if problem and answer is None:
            note = f"{problem}\n{note}"
        return PartResult(part["id"], part["title"], "text", part["marks"], 0.0, note,
                          marked=not public_only,
                          warning=f"{variable} {why}: write your answer before you submit")
    if public_only or "rubric" not in part:
        words = len(answer.split())
        return PartResult(part["id"], part["title"], "text", part["marks"], 0.0,
                          f"answer received ({words} word{'s' if words != 1 else ''}); short "
                          "answers are marked by the rubric when you submit", marked=False)
    from .rubric import score_answer  # needs the rubric data: full casebooks only

    rubric = compiled_rubric(data_dir / part["rubric"])
    result = score_answer(rubric, answer)
    feedback = result.student_feedback().strip() or "all the points the question asks for"
    return PartResult(part["id"], part["title"], "text", part["marks"],
                      min(float(result.score), part["marks"]), feedback,
                      staff=result.staff_feedback(), review=bool(result.needs_review),
                      flags=list(result.flags),
                      reasons=list(result.reasons) if result.needs_review else [],
                      answer=answer,
                      concepts=[{"id": c.id, "marks": c.marks, "earned": c.earned,
                                 "spans": [list(s) for s in c.spans]} for c in result.concepts])


def _unmarked_part(part: dict, exc: Exception) -> PartResult:
    """A part whose marking failed inside the grader: 0 for now, flagged for staff review."""
    note = "this part could not be marked automatically; the course staff will mark it"
    groups = [GroupResult(g["id"], g["title"], g["visibility"], g["marks"], 0.0, 0,
                          len(g["cases"]), note) for g in part.get("groups", [])]
    return PartResult(part["id"], part["title"], part["kind"], part["marks"], 0.0, note, groups,
                      staff=f"internal error while marking: {type(exc).__name__}: {exc}"[:2000],
                      review=True, flags=["internal-error"])


_RUBRICS: dict[tuple, Future] = {}
_RUBRICS_LOCK = threading.Lock()


def _version(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_size, info.st_mtime_ns


def compiled_rubric(path: Path):
    """The compiled rubric of a YAML file, compiled once per process and file version.

    Compiling a rubric costs more than marking an answer with it; a batch marks hundreds of
    answers with the same four. Keyed by the path and the size and modification time of the
    rubric and of the review model and marked answers beside it (all read by ``load_rubric``),
    so an edited file is compiled again. Compiled rubrics are immutable (frozen dataclasses).
    """
    from .rubric.neighbours import NEIGHBOURS_FILE
    from .rubric.schema import REVIEW_MODEL_FILE, load_rubric

    path = Path(path)
    if _version(path) is None:
        return load_rubric(path)  # raises the rubric engine's own error for a missing file
    beside = (path.parent / REVIEW_MODEL_FILE, path.parent / NEIGHBOURS_FILE)
    key = (str(path.resolve()), _version(path), *(_version(p) for p in beside))
    with _RUBRICS_LOCK:
        future = _RUBRICS.get(key)
        owner = future is None
        if owner:
            future = _RUBRICS[key] = Future()
    if owner:
        try:
            future.set_result(_compiled_by_content(path, beside))
        except BaseException as exc:
            with _RUBRICS_LOCK:
                _RUBRICS.pop(key, None)  # an error is raised once, never remembered
            future.set_exception(exc)
    return future.result()


_BY_CONTENT: dict[str, object] = {}


def _compiled_by_content(path: Path, beside: tuple[Path, ...]):
    """The rubric compiled from these very bytes, when this process compiled them before
    under another path or file time (the same grading data unpacked again: each Gradescope
    layout of one zip, a regrade from a fresh copy), else compiled now. The rubric comes back
    under its new path; its marked answers' search index, built on first use, is shared."""
    from dataclasses import replace

    from .rubric.schema import load_rubric

    digest = hashlib.sha256()
    for part in (path, *beside):
        try:
            data = part.read_bytes()
        except FileNotFoundError:
            data = None
        digest.update(b"-" if data is None else b"%d:" % len(data) + data)
    key = digest.hexdigest()
    with _RUBRICS_LOCK:
        known = _BY_CONTENT.get(key)
    if known is not None and known.path.name == path.name:
        model = known.review_model
        if model is not None:
            model = replace(model, source=str(beside[0]))
        return replace(known, path=path, review_model=model)
    rubric = load_rubric(path)
    with _RUBRICS_LOCK:
        _BY_CONTENT[key] = rubric
    return rubric


def cut_output(printed: str, chars: int, lines: int = 60, width: int = 200) -> str:
    r"""What a submission printed, cut to ``chars`` characters and ``lines`` lines, each line
    to ``width`` characters (a debug print of a long row stays readable in a terminal).

    >>> cut_output("abcdef\nend", 2000, width=3)
    'abc [... line cut]\nend'
    """
    kept = printed[:chars].splitlines()[:lines]
    text = "\n".join(kept)
    shown = "\n".join(line if len(line) <= width else line[:width] + " [... line cut]"
                      for line in kept)
    return shown + ("\n[... output cut]" if len(text) < len(printed.rstrip("\n")) else "")


def plan_calls(casebook: dict) -> tuple[list[str], list[Call]]:
    """The variables to read and the calls to make for this casebook."""
    variables, public, hidden = [], [], []
    for part in casebook["parts"]:
        if part["kind"] == "text":
            variables.append(part["variable"])
            continue
        for group in part["groups"]:
            for index, case in enumerate(group["cases"]):
                call = Call(f"{part['id']}/{group['id']}/{index}", part["function"],
                            case["args"], case["kwargs"])
                (public if group["visibility"] == "public" else hidden).append(call)
    # Every public call runs before any hidden one: what students see at once (public cases)
    # must not depend on hidden behaviour, such as a hidden case using up the time limit.
    return variables, public + hidden


def grade_file(path: Path, casebook: dict, data_dir: Path | None = None,
               protect: list[Path] | None = None, spent: float = 0.0) -> GradeResult:
    """Grade one submission file against a casebook (public or full).

    ``data_dir`` holds the rubrics of a full casebook; ``protect`` lists paths the submission
    must not be able to read (they are made owner-only when grading as root); ``spent``, time
    already used of the submission's time limit (the Gradescope plugin's start-up).
    """
    path = Path(path)
    limits = Limits(**casebook["limits"])
    public_only = bool(casebook.get("public_only"))
    variables, calls = plan_calls(casebook)
    problem = None
    try:
        # With a full casebook, the folder the file came from is protected too: in a batch it
        # holds other students' submissions, which a submission could otherwise copy from.
        run = run_submission(path, variables, calls, limits,
                             protect=[*(protect or []), *([data_dir] if data_dir else []),
                                      *([] if public_only else [path.parent])],
                             spent=spent)
    except SubmissionFileError as exc:
        run = None
        problem = f"{exc}"
    if run is not None and run.import_error:
        why = run.import_detail if public_only and run.import_detail else run.import_error
        problem = f"{casebook['submission']} could not be imported: {why}"
    parts = []
    for part in casebook["parts"]:
        try:
            if part["kind"] == "function":
                parts.append(_grade_function_part(part, run.calls if run else {}, problem,
                                                  local=public_only))
            else:
                answer = run.variables.get(part["variable"]) if run else None
                why = run.variable_problems.get(part["variable"]) if run else None
                parts.append(_grade_text_part(part, answer, why, data_dir, public_only,
                                              problem))
        except Exception as exc:  # noqa: BLE001 - one part's failure never costs the others
            parts.append(_unmarked_part(part, exc))
    output = ""
    # A public casebook is the student's own check on their own machine: what their functions
    # print is shown there whatever the manifest says for Gradescope.
    if run is not None and (casebook.get("show_output") or public_only):
        # With hidden cases, only what was printed before any input was sent: output printed
        # during the calls may carry the hidden inputs.
        printed = run.output if public_only else run.import_output
        output = cut_output(printed, int(casebook.get("output_chars", 2000)))
    return GradeResult(
        submission=path.name, assignment=casebook["assignment"], parts=parts, problem=problem,
        output=output, isolation=run.isolation if run else "none",
        network=run.network if run else "",
        notes=list(run.notes) if run else [], public_only=public_only,
    )
