"""``a2 review``: a local page for staff to read answers and set or confirm their marks.

The server listens on 127.0.0.1 only, and every URL starts with an unguessable token: any other
path is a 404 with an empty body, so another local user or a web page guessing ports learns
nothing. Marks are posted as JSON (a cross-site form cannot send that without a preflight the
server never grants) and saved at once to ``overrides.yaml``.

Per short-answer part, answers are grouped so that similar ones sit together (near-duplicates
by fuzzy ratio, else the same set of credited concepts); groups holding a flagged answer come
first, flagged answers first within a group. Numeric parts follow, each submission's result
(cases passed per group, the kinds of hidden case failed, misconceptions) grouped by outcome,
lowest marks first, with the same controls in the part's own steps (the manifest's).

Answers are hostile text: the page is rendered by Jinja2 with autoescaping, highlights are
built from escaped segments, and a Content-Security-Policy allows only the page's own script
(by nonce).

This module serves and saves overrides; it never changes ``results/``.
"""

from __future__ import annotations

import hmac
import secrets
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, abort, jsonify, render_template_string, request
from rapidfuzz import fuzz, process
from werkzeug.serving import make_server

from .overrides import (
    apply_overrides,
    load_overrides,
    make_override,
    save_override,
    stale_for,
)
from .store import Stored, load_grades

NEAR_DUPLICATE = 90
"""Fuzzy token-sort ratio (0-100) at which two answers count as near-duplicates."""
DEFAULT_STEP = {"text": 0.5, "function": 0.25}
"""A part's mark step when its rubric or casebook does not say (by the part's kind)."""


@dataclass
class Item:
    """One answer as the page shows it."""

    name: str
    people: str
    segments: list[tuple[str, str]]
    """(text, concept id or '') pieces of the answer; concept pieces are highlighted."""
    score: float
    rubric: float
    marks: float
    flagged: bool
    reasons: list[str]
    credited: list[str]
    override: dict | None
    search: str
    stale: list[str] = field(default_factory=list)
    """Marks set on an earlier answer of this submission (or of its students), not applied."""


@dataclass
class Group:
    """Answers that sit together: near-duplicates, or the same credited concepts."""

    label: str
    items: list[Item] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """Whether any answer of the group is flagged."""
        return any(i.flagged for i in self.items)


@dataclass
class PartView:
    """One short-answer part of the page."""

    id: str
    title: str
    marks: float
    steps: list[float]
    groups: list[Group]
    kind: str = "text"
    """'text' (marked by a rubric) or 'function' (by the autograder's cases)."""

    @property
    def below_full(self) -> int:
        """Answers marked below the part's full marks."""
        return sum(i.score < i.marks for g in self.groups for i in g.items)

    @property
    def marker(self) -> str:
        """Who gave the mark a person confirms or changes."""
        return "rubric" if self.kind == "text" else "autograder"

    @property
    def flagged(self) -> int:
        """Flagged answers in this part."""
        return sum(i.flagged for g in self.groups for i in g.items)


def segments(text: str, concepts: list[dict]) -> list[tuple[str, str]]:
    """Split ``text`` into plain and matched pieces by the concepts' character spans.

    >>> segments("a codebook here", [{"id": "vq", "spans": [[2, 10]]}])
    [('a ', ''), ('codebook', 'vq'), (' here', '')]
    """
    marks: list[str] = [""] * len(text)
    for concept in concepts:
        for start, end in concept.get("spans", []):
            for i in range(max(0, start), min(len(text), end)):
                marks[i] = marks[i] or str(concept["id"])
    out: list[tuple[str, str]] = []
    for ch, mark in zip(text, marks):
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + ch, mark)
        else:
            out.append((ch, mark))
    return out


def _steps(marks: float, step: float) -> list[float]:
    count = int(round(marks / step)) if step > 0 else 0
    return [round(k * step, 6) for k in range(count + 1)] if count else [0.0, marks]


def _group(items: list[Item], answers: list[str]) -> list[Group]:
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    answered = [i for i, a in enumerate(answers) if a.strip()]
    if len(answered) > 1:
        texts = [answers[i] for i in answered]
        scores = process.cdist(texts, texts, scorer=fuzz.token_sort_ratio,
                               score_cutoff=NEAR_DUPLICATE)
        for a, b in zip(*scores.nonzero()):
            if a < b:
                parent[find(answered[b])] = find(answered[a])
    clusters: dict[int, list[int]] = {}
    for i in range(len(items)):
        clusters.setdefault(find(i), []).append(i)
    groups: dict[str, Group] = {}
    for members in clusters.values():
        if len(members) > 1:
            label = f"{len(members)} near-identical answers"
            key = f"dup:{members[0]}"
        else:
            credited = items[members[0]].credited
            label = "credited: " + (", ".join(credited) if credited else "no concept")
            key = label
        group = groups.setdefault(key, Group(label))
        group.items += [items[i] for i in members]
    for group in groups.values():
        group.items.sort(key=lambda i: (not i.flagged, i.name))
    return sorted(groups.values(), key=lambda g: (not g.flagged, g.label.startswith("credited"),
                                                  g.label))


def _stale(applied, stored: Stored, part_id: str) -> list[str]:
    return [f"{s.override.new:g} by {s.override.by or 'someone'} on {s.override.submission}: "
            f"{s.reason}" for s in stale_for(applied, stored, part_id)]


def step_of(steps: dict[str, float], part_id: str, kind: str) -> float:
    """The mark step of a part: its rubric's or casebook's, else the default for its kind."""
    return steps.get(part_id, DEFAULT_STEP.get(kind, 0.5))


def outcome(part, problem: str | None) -> str:
    """A numeric part's result in a few words: what failed, the misconceptions found."""
    failing = [tag for g in part.groups for tag, (passed, total) in g.tags.items()
               if passed < total] or [g.title for g in part.groups if g.passed < g.total]
    words = [f"{part.score:g}/{part.marks:g}"]
    if problem and part.score < part.marks:
        words.append("file problem")
    words.append("failing: " + ", ".join(dict.fromkeys(failing)) if failing else "all cases right")
    if part.misconceptions:
        words.append("misconceptions: " + ", ".join(part.misconceptions))
    return "; ".join(words)


def _numeric(applied, original: dict, part, steps: dict[str, float]) -> PartView:
    """A numeric part's view: each submission's result, grouped by outcome, lowest first."""
    groups: dict[str, tuple[float, Group]] = {}
    for stored in applied.records:
        p = stored.result.part(part.id)
        rubric = original[stored.name].result.part(p.id)
        override = applied.applied.get((stored.name, p.id))
        people = "; ".join(f"{s.name} {s.sid}".strip() for s in stored.submitters)
        problem = stored.result.problem
        text = "\n".join(([f"file problem: {problem}"] if problem else []) + [p.feedback])
        label = outcome(rubric, problem)
        item = Item(name=stored.name, people=people or stored.name, segments=[(text, "")],
                    score=p.score, rubric=rubric.score, marks=p.marks, flagged=p.review,
                    reasons=list(p.reasons), credited=[],
                    override=override.to_yaml() if override else None,
                    search=f"{stored.name} {people} {label} {text}".lower(),
                    stale=_stale(applied, stored, p.id))
        groups.setdefault(label, (rubric.score, Group(label)))[1].items.append(item)
    ordered = [g for _, g in sorted(groups.values(), key=lambda sg: (sg[0], sg[1].label))]
    return PartView(part.id, part.title, part.marks,
                    _steps(part.marks, step_of(steps, part.id, part.kind)), ordered,
                    kind=part.kind)


def build_view(grades: Path, steps: dict[str, float]) -> list[PartView]:
    """The page's content: short-answer parts with their answers grouped, then numeric parts
    with each submission's result grouped by outcome."""
    records = load_grades(grades)
    applied = apply_overrides(records, load_overrides(grades))
    original = {r.name: r for r in records}
    views, numeric = [], []
    for part in applied.records[0].result.parts:
        if part.kind != "text":
            numeric.append(_numeric(applied, original, part, steps))
            continue
        items, answers = [], []
        for stored in applied.records:
            p = stored.result.part(part.id)
            override = applied.applied.get((stored.name, p.id))
            people = "; ".join(f"{s.name} {s.sid}".strip() for s in stored.submitters)
            items.append(Item(
                name=stored.name, people=people or stored.name,
                segments=segments(p.answer, p.concepts), score=p.score,
                rubric=original[stored.name].result.part(p.id).score, marks=p.marks,
                flagged=p.review, reasons=list(p.reasons),
                credited=[c["id"] for c in p.concepts if c["earned"] > 0],
                override=override.to_yaml() if override else None,
                search=f"{stored.name} {people} {p.answer}".lower(),
                stale=_stale(applied, stored, p.id)))
            answers.append(p.answer)
        views.append(PartView(part.id, part.title, part.marks,
                              _steps(part.marks, step_of(steps, part.id, part.kind)),
                              _group(items, answers)))
    return views + numeric


def _template() -> str:
    return (Path(__file__).parent / "review.html").read_text(encoding="utf-8")


def create_app(grades: Path, steps: dict[str, float], token: str, reviewer: str) -> Flask:
    """The Flask app serving the page and saving marks for ``grades``."""
    app = Flask(__name__)
    grades = Path(grades)

    @app.before_request
    def _guard():
        first = request.path.strip("/").split("/", 1)[0]
        if not hmac.compare_digest(first.encode(), token.encode()):
            abort(404)

    @app.after_request
    def _headers(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        nonce = getattr(request, "csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
            f"script-src 'nonce-{nonce}'; connect-src 'self'; form-action 'none'; "
            "frame-ancestors 'none'; base-uri 'none'")
        return response

    @app.errorhandler(404)
    def _not_found(_):
        return "", 404

    @app.get("/<token_>/")
    def page(token_: str):
        request.csp_nonce = secrets.token_urlsafe(16)
        return render_template_string(_template(), parts=build_view(grades, steps),
                                      token=token, nonce=request.csp_nonce, reviewer=reviewer)

    @app.post("/<token_>/mark")
    def mark(token_: str):
        data = request.get_json(silent=True) if request.is_json else None
        if not isinstance(data, dict):
            return jsonify(error="send JSON: submission, part, mark, comment"), 400
        records = {r.name: r for r in load_grades(grades)}
        stored: Stored | None = records.get(str(data.get("submission", "")))
        part_id = str(data.get("part", ""))
        if stored is None or part_id not in [p.id for p in stored.result.parts]:
            return jsonify(error="no such submission or part"), 400
        part = stored.result.part(part_id)
        try:
            value = float(data.get("mark"))
        except (TypeError, ValueError):
            return jsonify(error="mark must be a number"), 400
        allowed = _steps(part.marks, step_of(steps, part_id, part.kind))
        if not any(abs(value - a) < 1e-9 for a in allowed):
            return jsonify(error=f"mark must be one of {allowed}"), 400
        override = make_override(stored, part_id, value, reviewer,
                                 str(data.get("comment", ""))[:2000])
        # The new mark replaces whatever was set on this answer before, also under an earlier
        # submission id of the same students, applied or stale.
        applied = apply_overrides(list(records.values()), load_overrides(grades))
        earlier = [s.override for s in stale_for(applied, stored, part_id)]
        if (stored.name, part_id) in applied.applied:
            earlier.append(applied.applied[(stored.name, part_id)])
        save_override(grades, override, replaces=earlier)
        return jsonify(saved=override.to_yaml())

    return app


class ReviewServer:
    """The review app on 127.0.0.1 in a werkzeug server (threaded), with its URL."""

    def __init__(self, grades: Path, data_dir: Path | None, port: int = 0,
                 reviewer: str = "staff", steps: dict[str, float] | None = None):
        self.token = secrets.token_urlsafe(24)
        self.app = create_app(grades, steps if steps is not None else
                              part_steps(data_dir), self.token, reviewer)
        # Bind here, not in werkzeug: a port in use is then an OSError for the command to name
        # (werkzeug prints its own words and exits).
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", port))
            listener.listen(128)
            self.server = make_server("127.0.0.1", port, self.app, threaded=True,
                                      fd=listener.fileno())
        self.url = f"http://127.0.0.1:{self.server.port}/{self.token}/"
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        """Serve until interrupted."""
        self.server.serve_forever()

    def start(self) -> None:
        """Serve in a background thread (tests, screenshots)."""
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop a server started with :meth:`start`."""
        self.server.shutdown()
        if self._thread:
            self._thread.join(5)


def part_steps(data_dir: Path | None) -> dict[str, float]:
    """Each part's mark step: a short answer's from its rubric, a numeric part's the finest
    step of its marked case groups (the manifest's ``step``), from the casebook."""
    steps = rubric_steps(data_dir)
    if data_dir is not None:
        from ..casebook import load_casebook

        try:
            parts = load_casebook(Path(data_dir))["parts"]
        except Exception:  # noqa: BLE001 - without a casebook the defaults stand
            parts = []
        for part in parts:
            marked = [float(g["step"]) for g in part.get("groups", [])
                      if g.get("marks") and g.get("step")]
            if part.get("kind") == "function" and marked:
                steps[part["id"]] = min(marked)
    return steps


def rubric_steps(data_dir: Path | None) -> dict[str, float]:
    """Each short-answer part's mark step, from its rubric (0.5 when unknown)."""
    if data_dir is None:
        return {}
    from ..casebook import load_casebook
    from ..rubric import load_rubric

    # The rubrics the casebook's text parts name (the folder also holds the review model).
    steps = {}
    try:
        parts = load_casebook(Path(data_dir))["parts"]
    except Exception:  # noqa: BLE001 - unreadable grading data: no steps, the default applies
        return steps
    for part in parts:
        if part.get("kind") != "text" or "rubric" not in part:
            continue
        try:
            steps[part["id"]] = float(load_rubric(Path(data_dir) / part["rubric"]).settings.step)
        except Exception:  # noqa: BLE001 - a broken rubric only loses its step here
            continue
    return steps
