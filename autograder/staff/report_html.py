"""``report.html``: one self-contained page on how the class did, for staff.

Plots are drawn with matplotlib and embedded as base64 PNG, styles are inline, there is no
script: the page opens from disk without a network. It shows the distribution of totals and of
each part; for numeric parts the share of students failing each kind of hidden case (the cases'
tags, else the groups' titles) and each catalogued misconception found; for short answers how
often each concept was missed and how many answers were flagged and overridden; stale
overrides and inputs not graded; then every submission, collapsed. Without matplotlib (the
staff extra not installed) the same page is written with tables only and says so.

Everything a submission wrote (answers, names from metadata, printed output) is escaped. This
module renders only; it never grades and never edits overrides.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
from collections import Counter

from .overrides import Applied
from .store import Stored

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .5em;
text-align:left;vertical-align:top}th{background:#f4f4f4}.num{text-align:right}
img{max-width:100%}.muted{color:#666}.flag{color:#a40}.stale{background:#fff3e0}
details{border:1px solid #ddd;border-radius:4px;margin:.3em 0;padding:.3em .6em}
summary{cursor:pointer}pre{white-space:pre-wrap;background:#f8f8f8;padding:.5em;margin:.3em 0}
.figs{display:flex;flex-wrap:wrap;gap:1em}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _g(value: float) -> str:
    return f"{value:g}"


def _matplotlib():
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def _plot_png(draws: list, columns: int = 1, width: float = 6.0,
              height: float = 3.0) -> str | None:
    """One figure of panels, ``draw(ax)`` each, as a data: URI (None without matplotlib)."""
    plt = _matplotlib()
    if plt is None or not draws:
        return None
    rows = -(-len(draws) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows), dpi=80,
                             squeeze=False)
    try:
        for ax, draw in zip(axes.flat, draws):
            draw(ax)
        for ax in list(axes.flat)[len(draws):]:
            ax.set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _img(uri: str | None, alt: str) -> str:
    return f'<img src="{uri}" alt="{_e(alt)}">' if uri else ""


def _histogram(values: list[float], maximum: float, title: str):
    def draw(ax):
        counts = Counter(values)
        xs = sorted(counts)
        ax.bar(xs, [counts[x] for x in xs], width=max(maximum / 40, 0.2), color="#4477aa")
        ax.set_xlim(-maximum * 0.05 - 0.3, maximum * 1.05 + 0.3)
        ax.set_title(title)
        ax.set_xlabel("marks")
        ax.set_ylabel("submissions")
    return draw


def _bars(labels: list[str], shares: list[float], title: str, color: str,
          unit: str = "submissions"):
    def draw(ax):
        ys = list(range(len(labels)))[::-1]
        ax.barh(ys, [100 * s for s in shares], color=color)
        ax.set_yticks(ys, labels)
        ax.set_xlim(0, 100)
        ax.set_xlabel(f"% of {unit}")
        ax.set_title(title)
    return draw


def _students(records: list[Stored]) -> int:
    return sum(max(1, len(r.submitters)) for r in records)


def _hidden_kinds(parts: list) -> list[tuple[str, int, int]]:
    """(kind, submissions failing it, submissions that ran it) over the hidden groups: kinds are
    the cases' tags (stride, padding, ...), else the groups' titles."""
    counts: dict[str, list[int]] = {}
    for part in parts:
        seen: dict[str, bool] = {}
        for group in part.groups:
            if group.visibility != "hidden" or not group.total:
                continue
            kinds = {t: c for t, c in group.tags.items()} or {
                group.title: [group.passed, group.total]}
            for kind, (passed, total) in kinds.items():
                seen[kind] = seen.get(kind, False) or passed < total
        for kind, failed in seen.items():
            entry = counts.setdefault(kind, [0, 0])
            entry[0] += failed
            entry[1] += 1
    return [(kind, f, n) for kind, (f, n) in counts.items()]


def _part_section(applied: Applied, part_id: str, panels: dict[str, list]) -> str:
    """The part's figures go to ``panels`` (by figure); its text and tables are returned."""
    records = applied.records
    parts = [r.result.part(part_id) for r in records]
    first = parts[0]
    scores = [p.score for p in parts]
    mean = sum(scores) / len(scores)
    out = [f"<h3>{_e(part_id)}: {_e(first.title)} ({_g(first.marks)} marks)</h3>",
           f"<p>mean {mean:.2f}; full marks {sum(s >= first.marks for s in scores)} of "
           f"{len(scores)}; zero {sum(s == 0 for s in scores)}</p>"]
    panels["parts"].append(_histogram(scores, first.marks, f"{part_id} marks"))
    if first.kind == "function":
        kinds = _hidden_kinds(parts)
        found = Counter(m for p in parts for m in dict.fromkeys(getattr(p, "misconceptions", [])))
        kinds += [(f"misconception: {m}", n, len(parts)) for m, n in found.most_common()]
        if kinds:
            panels["hidden"].append(_bars([k for k, _, _ in kinds],
                                          [f / n if n else 0.0 for _, f, n in kinds],
                                          f"{part_id}: failing each kind of hidden case",
                                          "#cc6677"))
        out.append("<table><tr><th>kind of hidden case, or misconception found</th>"
                   "<th>submissions failing</th></tr>"
                   + "".join(f"<tr><td>{_e(k)}</td><td class=num>{f} of {n}</td></tr>"
                             for k, f, n in kinds) + "</table>")
        return "\n".join(out)
    concepts: dict[str, list[int]] = {}
    for p in parts:
        for c in p.concepts:
            missed = concepts.setdefault(c["id"], [0, 0])
            missed[0] += c["earned"] < c["marks"]
            missed[1] += 1
    flagged = sum(p.review for p in parts)
    overridden = sum((r.name, part_id) in applied.applied for r in records)
    names = list(concepts)
    if names:
        panels["concepts"].append(_bars(names, [concepts[n][0] / concepts[n][1] for n in names],
                                        f"{part_id}: concept missed or partial", "#ddaa33",
                                        "answers marked"))
    rows = [f"<tr><td>{_e(n)}</td><td class=num>{concepts[n][0]} of {concepts[n][1]}"
            "</td></tr>" for n in names]
    out.append(f"<p>flagged for review: {flagged}; overridden by staff: {overridden}; "
               f"no answer: {sum(not p.answer.strip() for p in parts)}</p>"
               "<table><tr><th>concept</th><th>missed or partial</th></tr>" + "".join(rows)
               + "</table>")
    return "\n".join(out)


def _submission(applied: Applied, stored: Stored) -> str:
    result = stored.result
    people = ", ".join(f"{p.name} ({p.sid or p.email})" for p in stored.submitters) or \
        "no names"
    flagged = [p.id for p in result.parts if p.review and (stored.name, p.id)
               not in applied.applied]
    head = (f"<summary><b>{_e(stored.name)}</b> {_e(people)}: {_g(result.score)}/"
            f"{_g(result.possible)}" + (f' <span class="flag">review {_e(" ".join(flagged))}'
                                        '</span>' if flagged else "") + "</summary>")
    body = []
    if result.problem:
        body.append(f"<p><b>Problem:</b> {_e(result.problem)}</p>")
    if stored.notes:
        body.append(f"<p class=muted>Notes: {_e('; '.join(stored.notes))}</p>")
    for part in result.parts:
        override = applied.applied.get((stored.name, part.id))
        line = f"<h4>{_e(part.id)} {_g(part.score)}/{_g(part.marks)}"
        if override:
            line += (f" <span class=muted>(set by {_e(override.by)} at {_e(override.at)}, "
                     f"was {_g(override.old)}: {_e(override.comment)})</span>")
        body.append(line + "</h4>")
        if part.review and part.reasons:
            body.append(f'<p class="flag">Why review: {_e("; ".join(part.reasons))}</p>')
        if part.answer:
            body.append(f"<p class=muted>Answer:</p><pre>{_e(part.answer)}</pre>")
        body.append(f"<pre>{_e(part.feedback)}</pre>")
        if part.staff:
            body.append(f"<p class=muted>Staff:</p><pre>{_e(part.staff)}</pre>")
    prov = stored.provenance
    if prov:
        body.append(f"<p class=muted>graded {_e(prov.get('graded_at', ''))} by autograder "
                    f"{_e(str(prov.get('autograder_sha256', ''))[:12])}; file "
                    f"{_e(str(prov.get('submission_sha256', ''))[:12])}</p>")
    return f"<details>{head}{''.join(body)}</details>"


def report_html(applied: Applied, skipped: list | None = None) -> str:
    """The whole page (a str of HTML), from results with overrides applied."""
    records = applied.records
    title = records[0].result.assignment if records else "Grading report"
    totals = [r.result.score for r in records]
    possible = max((r.result.possible for r in records), default=0)
    part_ids = [p.id for p in records[0].result.parts] if records else []
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_e(title)}: "
           f"grading report</title><style>{_STYLE}</style></head><body>",
           f"<h1>{_e(title)}: grading report</h1>",
           f"<p class=muted>{len(records)} submissions, {_students(records)} students; "
           f"written {stamp}. Marks are after overrides.</p>"]
    if _matplotlib() is None:
        out.append("<p class=flag>Plots need matplotlib: pip install -e '.[staff]'</p>")
    if records:
        mean = sum(totals) / len(totals)
        ordered = sorted(totals)
        out += ["<h2>Totals</h2>",
                f"<p>mean {mean:.2f} of {_g(possible)}; median {ordered[len(ordered) // 2]:g}; "
                f"flagged for review: {sum(r.result.review for r in records)}; overrides "
                f"applied: {len(applied.applied)}</p>",
                _img(_plot_png([_histogram(totals, possible, "total marks")], 1, 7, 3),
                     "distribution of totals")]
        panels: dict[str, list] = {"parts": [], "hidden": [], "concepts": []}
        sections = [_part_section(applied, pid, panels) for pid in part_ids]
        out += ["<h2>Parts</h2>",
                _img(_plot_png(panels["parts"], 3, 3.6, 2.4), "distribution of each part"),
                "<h3>Numeric parts: hidden cases failed</h3>",
                _img(_plot_png(panels["hidden"], 2, 4.8, 2.6),
                     "share failing each kind of hidden case"),
                "<h3>Short answers: concepts missed</h3>",
                _img(_plot_png(panels["concepts"], 2, 4.8, 2.2), "share missing each concept"),
                *sections]
    out.append("<h2>Stale overrides</h2>")
    if applied.stale:
        out.append("<p>These marks were set on an answer that has since changed; they are not "
                   "applied. Re-set them in <code>a2 review</code> or delete them from "
                   "overrides.yaml.</p><table><tr><th>submission</th><th>part</th><th>mark"
                   "</th><th>by</th><th>why stale</th></tr>")
        out += [f"<tr class=stale><td>{_e(s.override.submission)}</td><td>{_e(s.override.part)}"
                f"</td><td>{_g(s.override.new)}</td><td>{_e(s.override.by)}</td>"
                f"<td>{_e(s.reason)}</td></tr>" for s in applied.stale]
        out.append("</table>")
    else:
        out.append("<p>none</p>")
    if skipped:
        out.append("<h2>Inputs not graded</h2><table><tr><th>input</th><th>why</th></tr>")
        out += [f"<tr><td>{_e(s.path)}</td><td>{_e(s.reason)}</td></tr>" for s in skipped]
        out.append("</table>")
    out.append("<h2>Submissions</h2>")
    order = sorted(records, key=lambda r: (not r.result.review, r.name))
    out += [_submission(applied, r) for r in order]
    out.append("</body></html>")
    return "\n".join(out)
