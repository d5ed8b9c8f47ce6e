"""`a2 grade` and `a2 export` on a generated Gradescope export, as an instructor runs them."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from gradescope_export import FORMULA_NAME, HOSTILE, HOSTILE_NAME

from autograder.cli import main
from autograder.grade import GradeResult, PartResult
from autograder.provenance import Autograder
from autograder.staff.batch import grade_submissions
from autograder.staff.inputs import Submission
from autograder.staff.overrides import (
    apply_overrides,
    load_overrides,
    make_override,
    save_override,
)
from autograder.staff.store import load_grades

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def graded(graded_export):
    return graded_export


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def copy_grades(graded, tmp_path) -> Path:
    out = tmp_path / "grades"
    shutil.copytree(graded[1], out)
    return out


def test_every_submitter_gets_a_row_with_name_email_and_sid(graded):
    export, out, _, _ = graded
    table = rows(out / "grades.csv")
    people = [(r["submission"], r["sid"]) for r in table]
    expected = [(sub, p[":sid"]) for sub, ps in export.submissions.items()
                if sub not in export.no_python for p in ps]
    assert sorted(p for p in people if p[1]) == sorted(expected)
    assert len(expected) >= 50
    by_sub = {}
    for row in table:
        by_sub.setdefault(row["submission"], []).append(row)
    for group in export.groups:
        assert len(by_sub[group]) > 1 and len({r["total"] for r in by_sub[group]}) == 1
    totals = {"reference": "12", "stub": "0", "q1_iv_wrong": "10"}
    for sub, kind in export.kinds.items():
        if kind in totals:
            assert by_sub[sub][0]["total"] == totals[kind], sub
    for sub in export.misnamed:
        assert "A2_final.py" in by_sub[sub][0]["notes"]
    assert by_sub[export.unlisted[0]][0]["sid"] == ""
    assert {r["current"] for r in table} == {"yes"}


def test_non_submissions_are_reported_once_and_not_graded(graded):
    export, out, stdout, stderr = graded
    assert stderr.count(f"{export.no_python[0]}: no .py file") == 1
    assert stderr.count("README.txt") == 1
    assert f"not graded: {export.zip_path}: " in stderr
    assert not re.search(r"not graded: \S*a2-export-", stderr)  # never the temporary folder
    assert ".DS_Store" not in stderr and "submission_metadata" not in stderr
    assert not (out / "results" / f"{export.no_python[0]}.json").exists()
    assert "53 submission(s)" in stdout


def test_each_distinct_file_is_graded_once(graded):
    _, _, stdout, _ = graded
    assert "7 file(s) graded" in stdout  # 53 submissions, 7 distinct files


def test_every_result_carries_its_provenance(graded):
    export, out, _, _ = graded
    sub = next(iter(export.kinds))
    data = json.loads((out / "results" / f"{sub}.json").read_text())
    prov = data["provenance"]
    source = next((export.root / sub).glob("*.py")).read_bytes()
    assert prov["submission_sha256"] == hashlib.sha256(source).hexdigest()
    for key in ("casebook_sha256", "rubrics_sha256", "manifest_sha256", "engine_sha256",
                "autograder_sha256", "package_version", "python", "numpy", "graded_at"):
        assert prov[key], key
    assert data["identity"]["submitters"][0]["sid"] == export.submissions[sub][0][":sid"]


def test_a_rerun_grades_only_what_changed(graded, tmp_path):
    export, _, _, _ = graded
    out = copy_grades(graded, tmp_path)
    folder = tmp_path / "export"
    shutil.copytree(export.root, folder)
    changed = next(s for s, k in export.kinds.items() if k == "stub")
    (folder / changed / "a2.py").write_text((folder / changed / "a2.py").read_text()
                                            + "\n# resubmitted\n")
    code, stdout, _ = run("grade", str(folder), "-o", str(out), "-q")
    assert code == 0 and "1 file(s) graded, 52 result(s) current" in stdout


def _result(name: str, q2: float = 1.0, answer: str = "an answer") -> GradeResult:
    return GradeResult(name, "A2", [PartResult("q2", "Q2", "text", 2.0, q2, "fb",
                                               answer=answer)])


def test_an_interrupted_run_keeps_every_result_written_and_the_csv_matches(tmp_path):
    files = []
    for index in range(4):
        path = tmp_path / "in" / f"s{index}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"Q2 = 'answer {index}'\n")
        files.append(Submission(f"s{index}", path))
    calls = []

    def grade(path, casebook, data_dir, protect=None):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return _result("x")

    published = []
    autograder = Autograder("c", "r", "m", "e")
    casebook = {"limits": {}, "submission": "a2.py"}
    with pytest.raises(KeyboardInterrupt):
        grade_submissions(files, casebook, tmp_path, autograder, tmp_path / "grades",
                          grade=grade, publish=lambda records: published.append(
                              sorted(r.name for r in records)))
    on_disk = sorted(p.stem for p in (tmp_path / "grades" / "results").glob("*.json"))
    assert on_disk == ["s0", "s1"] and published[-1] == on_disk
    calls.clear()
    stored, summary = grade_submissions(files, casebook, tmp_path, autograder,
                                        tmp_path / "grades", grade=grade)
    assert summary.graded == 2 and summary.reused == 2 and len(stored) == 4


def test_overrides_survive_a_regrade_and_go_stale_when_the_answer_changes(graded, tmp_path):
    out = copy_grades(graded, tmp_path)
    records = load_grades(out)
    target = next(r for r in records if r.result.part("q2").score == 0.5)
    save_override(out, make_override(target, "q2", 1.5, "ta1", "said codebook: half more"))
    text = (out / "overrides.yaml").read_text()
    assert "ta1" in text and "answer_sha256" in text and "old: 0.5" in text
    # A regrade that changes the rubric's mark but not the answer keeps the override.
    regraded = load_grades(out)
    next(r for r in regraded if r.name == target.name).result.part("q2").score = 1.0
    applied = apply_overrides(regraded, load_overrides(out))
    assert next(r for r in applied.records if r.name == target.name) \
        .result.part("q2").score == 1.5 and not applied.stale
    # The answer changed: not applied, listed as stale, never dropped.
    changed = load_grades(out)
    next(r for r in changed if r.name == target.name).result.part("q2").answer = "new words"
    applied = apply_overrides(changed, load_overrides(out))
    assert [s.override.submission for s in applied.stale] == [target.name]
    assert len(load_overrides(out)) == 1


def test_export_writes_final_csv_feedback_and_a_self_contained_report(graded, tmp_path):
    out = copy_grades(graded, tmp_path)
    records = load_grades(out)
    target = next(r for r in records if r.result.part("q3").review)
    save_override(out, make_override(target, "q3", 1, "ta2", "SECRET staff comment"))
    changed = next(r for r in records if r.result.part("q2").score == 0.5)
    save_override(out, make_override(changed, "q2", 2, "ta", ""))
    (out / "overrides.yaml").write_text((out / "overrides.yaml").read_text().replace(
        f"answer_sha256: {hashlib.sha256(changed.result.part('q2').answer.encode()).hexdigest()}",
        "answer_sha256: " + "f" * 64))  # as if that answer had changed since it was judged
    code, stdout, stderr = run("export", str(out))
    assert code == 0 and "1 override(s) applied" in stdout and "1 override(s) are stale" in stderr
    # final.csv: one row per student, marks after overrides.
    final = rows(out / "final.csv")
    assert len(final) == len({r["sid"] or r["submission"] for r in final}) >= 50
    row = next(r for r in final if r["submission"] == target.name)
    assert row["q3"] == "1" and "overridden:q3" in row["flags"]
    assert rows(out / "grades.csv")[0].keys() >= {"name", "email", "sid", "overridden"}
    # A name that would run as a spreadsheet formula is kept as text.
    formula = next(r for r in final if r["sid"] == "U2600006")
    assert formula["name"] == "'" + FORMULA_NAME
    assert not any(v.startswith("=") for r in final for v in r.values())
    # Feedback: what the student sees after publication, no staff entries.
    sid = target.submitters[0].sid
    feedback = (out / "feedback" / f"{sid}.txt").read_text()
    assert "marked by the course staff after review" in feedback
    for staff_only in ("SECRET", "risk", "Why review", "flagged", "ta2", "confidence"):
        assert staff_only not in feedback
    assert len(list((out / "feedback").glob("*.txt"))) == len(final)
    # The report: plots embedded, nothing fetched, answers escaped, the stale override listed.
    page = (out / "report.html").read_text()
    for figure in ("distribution of totals", "distribution of each part",
                   "share failing each kind of hidden case", "share missing each concept"):
        assert re.search(f'<img src="data:image/png;base64,[A-Za-z0-9+/=]{{500,}}" '
                         f'alt="{figure}">', page), figure
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)|url\(|@import""", page, re.I)
    assert "<script" not in page  # nothing to run, nothing fetched: it opens offline
    assert "<details>" in page and "Stale overrides" in page
    stale = page[page.index("Stale overrides"):page.index("<h2>", page.index("Stale overrides"))]
    assert changed.name in stale and "the answer changed" in stale and target.name not in stale
    assert HOSTILE[:20] not in page and "&lt;script&gt;document.title" in page
    assert HOSTILE_NAME not in page and "Zoë &lt;img src=x" in page
    assert "submissions failing" in page and "missed or partial" in page
    # The inputs a2 grade did not grade stay listed, named inside the zip they came from.
    not_graded = page[page.index("<h2>Inputs not graded"):page.index("<h2>Submissions")]
    zip_name = graded[0].zip_path.name
    for name in ("README.txt", graded[0].no_python[0]):
        assert re.search(rf"<td>[^<]*{re.escape(zip_name)}: [\w/]*{name}</td>", not_graded), name
    assert "a2-export-" not in page  # never the temporary folder the zip was unpacked into
    failing = re.findall(r"<tr><td>(\w[\w-]*)</td><td class=num>(\d+) of (\d+)</td>", page)
    kinds = {kind: (int(f), int(n)) for kind, f, n in failing}
    failing_q1_iv = sum(r.result.part("q1_iv").score < 2 for r in records)  # stubs, wrong ones
    assert failing_q1_iv >= 12
    assert kinds["stride"] == kinds["float"] == (failing_q1_iv, len(records))
    no_dilation = sum("dilation-ignored" in r.result.part("q1_ii").misconceptions
                      for r in records)
    assert no_dilation == 4  # the generated class's receptive fields without dilation
    assert "<td>misconception: dilation-ignored</td><td class=num>4 of 53</td>" in page


@pytest.mark.slow  # regrades a class with changed rubrics (make test runs it)
def test_overrides_survive_a_real_regrade_with_new_rubrics_until_the_answer_changes(
        tmp_path, example_source, monkeypatch):
    from autograder.casebook import cached_grading_data
    from autograder.manifest import load_manifest

    monkeypatch.setattr("autograder.staff.report_html._matplotlib", lambda: None)  # tables do
    # A copy of the course's solutions whose rubrics can change, with the cases already built.
    for folder in ("solutions", "assignment"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    cases = cached_grading_data(load_manifest(ROOT / "solutions" / "manifest.yaml"))
    shutil.copytree(cases, tmp_path / ".a2cache" / cases.name)
    manifest = str(tmp_path / "solutions" / "manifest.yaml")
    subs, out = tmp_path / "subs", tmp_path / "grades"
    for student, tail in (("alice", b""), ("bob", b"\n# mine\n")):
        (subs / student).mkdir(parents=True)
        (subs / student / "a2.py").write_bytes(example_source("reference") + tail)
    code, stdout, err = run("grade", str(subs), "-o", str(out), "-q", "-j", "2",
                            "--manifest", manifest)
    assert code == 0 and "2 file(s) graded" in stdout, err
    before = {r.name: r for r in load_grades(out)}
    assert before["alice"].result.part("q2").score == before["bob"].result.part("q2").score == 2
    save_override(out, make_override(before["alice"], "q2", 1.5, "ta1", "vague on the prior"))
    save_override(out, make_override(before["bob"], "q2", 1, "ta1", "copied"))
    # New rubrics (the autograder's hash changes: every file is regraded), and bob resubmits.
    rubric = tmp_path / "solutions" / "rubrics" / "q2.yaml"
    rubric.write_text(rubric.read_text().replace("feedback: >-\n", "feedback: >-\n      Note:\n",
                                                 1))
    source = (subs / "bob" / "a2.py").read_text()
    (subs / "bob" / "a2.py").write_text(source.replace("The key difference is the latent",
                                                       "Bob's own words: the latent", 1))
    code, stdout, err = run("grade", str(subs), "-o", str(out), "-q", "-j", "2",
                            "--manifest", manifest)
    assert code == 0 and "2 file(s) graded, 0 result(s) current" in stdout, err
    after = {r.name: r for r in load_grades(out)}
    assert after["alice"].provenance["rubrics_sha256"] != \
        before["alice"].provenance["rubrics_sha256"]
    assert "1 override(s) applied" in stdout and "1 override(s) are stale" in err
    table = {r["submission"]: r for r in rows(out / "grades.csv")}
    assert table["alice"]["q2"] == "1.5" and table["alice"]["overridden"] == "q2:2->1.5"
    assert table["bob"]["q2"] == f"{after['bob'].result.part('q2').score:g}" != "1"
    assert table["bob"]["overridden"] == ""
    # Bob's override is listed as stale, not applied, and still in the file.
    page = (out / "report.html").read_text()
    stale = page[page.index("<h2>Stale overrides"):page.index("<h2>", page.index("Stale ov"))]
    assert "<td>bob</td><td>q2</td><td>1</td>" in stale and "the answer changed" in stale
    assert "alice" not in stale
    assert [(o.submission, o.new) for o in load_overrides(out)] == [("alice", 1.5), ("bob", 1)]


def test_a_killed_run_s_copies_of_submissions_are_swept_by_the_next(tmp_path):
    # A run killed with SIGKILL never reaches its clean-up; the next run removes what it left.
    import subprocess
    import sys

    from autograder.staff.batch import STAGING_PREFIX, sweep_stale_staging

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = tmp_path / f"{STAGING_PREFIX}{gone.stdout.strip()}-abc"
    (dead / "0").mkdir(parents=True)
    (dead / "0" / "a2.py").write_text("Q2 = 'a student answer'\n")
    alive = tmp_path / f"{STAGING_PREFIX}{os.getpid()}-def"
    alive.mkdir()
    unknown = tmp_path / f"{STAGING_PREFIX}xyz"
    unknown.mkdir()
    older = tmp_path / f"{STAGING_PREFIX}12345678"     # an older version's name: no pid in it
    older.mkdir()
    assert sweep_stale_staging(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and unknown.exists() and older.exists()
