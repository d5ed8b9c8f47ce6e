"""`a2 review`: the page staff use to read answers and set marks (Flask's test client; the real
browser test is tests/test_staff_browser.py)."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from gradescope_export import HOSTILE, HOSTILE_NAME

pytest.importorskip("flask")

from autograder.rubric.calibrate import load_calibration  # noqa: E402
from autograder.staff.calibration import export_calibration  # noqa: E402
from autograder.staff.overrides import load_overrides  # noqa: E402
from autograder.staff.review_app import create_app, segments  # noqa: E402
from autograder.staff.store import load_grades  # noqa: E402

TOKEN = "t0k3n-unguessable-for-tests"


@pytest.fixture
def grades(graded_export, tmp_path):
    out = tmp_path / "grades"
    shutil.copytree(graded_export[1], out)
    return out


@pytest.fixture
def client(grades):
    app = create_app(grades, {"q1_i": 0.5, "q1_iii": 0.5, "q2": 0.5, "q3": 0.5}, TOKEN, "ta1")
    return app.test_client()


@pytest.mark.parametrize("path", ["/", "/wrong/", f"/{TOKEN[:-1]}/", "/static/x.js",
                                  f"/x{TOKEN}/"])
def test_without_the_token_nothing_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.data == b""
    assert client.post(path.rstrip("/") + "/mark", json={}).status_code == 404


def test_the_page_escapes_every_answer_and_allows_only_its_own_script(client):
    response = client.get(f"/{TOKEN}/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert HOSTILE[:30] not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;document.title=" in page and "{{ 7*7 }}" in page
    assert HOSTILE_NAME not in page and "Zoë &lt;img src=x onerror=alert(3)&gt;" in page
    assert page.count("<script") == 1
    nonce = re.search(r'<script nonce="([^"]+)">', page).group(1)
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'nonce-{nonce}'" in policy and "default-src 'none'" in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_flagged_answers_come_first_and_similar_answers_sit_together(client):
    page = client.get(f"/{TOKEN}/").get_data(as_text=True)
    q3 = page[page.index('id="part-q3"'):]
    first_item = q3[q3.index('class="item'):]
    assert first_item.startswith('class="item flagged"')
    assert "flagged: " in first_item[:3000]
    q2 = page[page.index('id="part-q2"'):page.index('id="part-q3"')]
    assert "4 near-identical answers" in q2  # the four copies of the hostile answer
    assert '<mark title="vqvae_discrete">' in q2


def test_a_mark_is_saved_at_once_with_who_when_and_the_answer_hash(client, grades):
    record = next(r for r in load_grades(grades) if r.result.part("q2").score == 0.5)
    response = client.post(f"/{TOKEN}/mark", json={"submission": record.name, "part": "q2",
                                                    "mark": 1.5, "comment": "codebook <ok>"})
    assert response.status_code == 200, response.get_data(as_text=True)
    [override] = load_overrides(grades)
    assert (override.submission, override.part, override.old, override.new, override.by) == \
        (record.name, "q2", 0.5, 1.5, "ta1")
    assert override.at and len(override.answer_sha256) == 64
    assert override.students == [p.sid for p in record.submitters]
    page = client.get(f"/{TOKEN}/").get_data(as_text=True)
    assert "now 1.5 (set by ta1)" in page and 'value="codebook &lt;ok&gt;"' in page


@pytest.mark.parametrize("body, why", [
    ({"submission": "nobody", "part": "q2", "mark": 1}, "no such submission"),
    ({"part": "q2", "mark": 1}, "no such submission"),
    ("mark=2", "send JSON"),
])
def test_bad_marks_are_refused_and_nothing_is_saved(client, grades, body, why):
    if isinstance(body, str):
        response = client.post(f"/{TOKEN}/mark", data=body,
                               content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(f"/{TOKEN}/mark", json=body)
    assert response.status_code == 400 and why in response.get_json()["error"]
    assert not (grades / "overrides.yaml").exists()


def test_a_mark_off_the_parts_steps_is_refused(client, grades):
    name = load_grades(grades)[0].name
    for mark in (0.25, 2.5, -1, "x"):
        response = client.post(f"/{TOKEN}/mark", json={"submission": name, "part": "q2",
                                                        "mark": mark})
        assert response.status_code == 400
    assert not (grades / "overrides.yaml").exists()


def test_reviewed_answers_become_a_review_calibration_set(client, grades, tmp_path):
    record = next(r for r in load_grades(grades) if r.result.part("q2").score == 0.5)
    client.post(f"/{TOKEN}/mark", json={"submission": record.name, "part": "q2", "mark": 1})
    folder = tmp_path / "calibration"
    folder.mkdir()
    [(path, added)] = export_calibration(grades, load_grades(grades), folder)
    assert added == 1 and path.name.startswith("review_") and path.name.endswith("_q2.yaml")
    part, entries = load_calibration(path)
    assert part == "q2" and entries[0].human == 1
    assert entries[0].answer == record.result.part("q2").answer
    assert yaml.safe_load(path.read_text())["kind"] == "review"
    assert record.submitters[0].sid not in path.read_text()
    assert export_calibration(grades, load_grades(grades), folder) == []  # never twice


def test_segments_cover_the_whole_answer_in_order():
    text = "VQ-VAE uses a codebook"
    pieces = segments(text, [{"id": "a", "spans": [[0, 6], [14, 22]]}, {"id": "b",
                                                                       "spans": [[4, 10]]}])
    assert "".join(t for t, _ in pieces) == text
    assert pieces[0] == ("VQ-VAE", "a") and pieces[-1] == ("codebook", "a")


def test_a2_review_export_calibration_from_the_command_line(client, grades, tmp_path, capsys):
    from autograder.cli import main

    record = next(r for r in load_grades(grades) if r.result.part("q3").review)
    client.post(f"/{TOKEN}/mark", json={"submission": record.name, "part": "q3", "mark": 1})
    folder = tmp_path / "calibration"
    folder.mkdir()
    assert main(["review", str(grades), "--export-calibration", "--calibration-dir",
                 str(folder)]) == 0
    assert "(+1 reviewed answer(s))" in capsys.readouterr().out
    [path] = folder.glob("review_*_q3.yaml")
    assert load_calibration(path)[1][0].human == 1


def test_marks_are_offered_in_each_rubrics_own_steps(grading_data):
    from autograder.rubric import load_rubric
    from autograder.staff.review_app import rubric_steps

    steps = rubric_steps(grading_data)
    rubrics = [grading_data / "rubrics" / f"{part}.yaml" for part in ("q1_i", "q1_iii", "q2", "q3")]
    assert steps == {p.stem: load_rubric(p).settings.step for p in rubrics}


def test_a_broken_overrides_file_is_named_with_the_entry_and_nothing_is_served(grades):
    (grades / "overrides.yaml").write_text("- submission: s1\n  part: q2\n  new: 1\n"
                                           "- submission: s2\n  part: q2\n")
    import contextlib
    import io

    from autograder.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["review", str(grades), "--no-browser"]) == 2
    assert "overrides.yaml: entry 2: missing new" in err.getvalue()


def test_numeric_parts_are_listed_by_outcome_and_marked_in_quarter_steps(client, grades):
    page = client.get(f"/{TOKEN}/").get_data(as_text=True)
    q1_iv = page[page.index('id="part-q1_iv"'):]
    records = load_grades(grades)
    wrong = next(r for r in records if r.result.part("q1_iv").score == 0 and r.submitters)
    item = q1_iv[q1_iv.index(f'data-submission="{wrong.name}"'):]
    item = item[:item.index('class="status"')]
    assert "autograder 0/2" in item and "confirm autograder's 0" in item
    assert 'value="0.25"' in item and 'value="1.75"' in item  # the manifest's quarter marks
    assert "0 of 30 cases correct" in item  # the cases it failed, as the student sees them
    # Lowest marks first, each group named by what failed.
    labels = re.findall(r"<h3>([^<]*)</h3>", q1_iv)
    assert labels[0].startswith("0/2; failing: ") and "stride" in labels[0]
    assert labels[-1].startswith("2/2; all cases right")
    assert re.search(r"q1_ii \(\d+ below full\)", page)
    response = client.post(f"/{TOKEN}/mark", json={"submission": wrong.name, "part": "q1_iv",
                                                    "mark": 0.75, "comment": "sign slip"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert client.post(f"/{TOKEN}/mark", json={"submission": wrong.name, "part": "q1_iv",
                                               "mark": 0.8}).status_code == 400
    [override] = load_overrides(grades)
    assert (override.part, override.old, override.new) == ("q1_iv", 0, 0.75)
    assert override.answer_sha256 == wrong.provenance["submission_sha256"]  # the file judged
    page = client.get(f"/{TOKEN}/").get_data(as_text=True)
    item = page[page.index('id="part-q1_iv"'):]
    item = item[item.index(f'data-submission="{wrong.name}"'):]
    assert "now 0.75 (set by ta1)" in item[:item.index('class="status"')]


def test_numeric_parts_are_offered_in_the_manifests_steps(grading_data, manifest):
    from autograder.staff.review_app import part_steps

    steps = part_steps(grading_data)
    for part in manifest.parts:
        if part.kind == "function":
            assert steps[part.id] == min(g.step for g in part.groups if g.marks), part.id


def test_a_stale_mark_is_shown_beside_the_new_answer_and_re_setting_replaces_it(client, grades):
    import json

    from autograder.staff.overrides import apply_overrides

    record = next(r for r in load_grades(grades) if r.result.part("q2").score == 0.5
                  and r.submitters)
    client.post(f"/{TOKEN}/mark", json={"submission": record.name, "part": "q2", "mark": 1.5})
    # The student resubmits: a new submission id, a new answer.
    old = grades / "results" / f"{record.name}.json"
    data = json.loads(old.read_text())
    next(p for p in data["parts"] if p["id"] == "q2")["answer"] = "A rewritten answer."
    (grades / "results" / "submission_999999.json").write_text(json.dumps(data))
    old.unlink()
    page = client.get(f"/{TOKEN}/").get_data(as_text=True)
    item = page[page.index('id="part-q2"'):]
    item = item[item.index('data-submission="submission_999999"'):]
    item = item[:item.index('class="status"')]
    assert f"stale mark, not applied: 1.5 by ta1 on {record.name}: the answer changed" in item
    response = client.post(f"/{TOKEN}/mark", json={"submission": "submission_999999",
                                                    "part": "q2", "mark": 1})
    assert response.status_code == 200
    [override] = load_overrides(grades)
    assert (override.submission, override.new) == ("submission_999999", 1)
    assert not apply_overrides(load_grades(grades), load_overrides(grades)).stale
    # Resubmitted again with the same answer: the mark follows the student; re-setting it
    # leaves one entry, not two.
    (grades / "results" / "submission_999999.json").rename(
        grades / "results" / "submission_999998.json")
    assert client.post(f"/{TOKEN}/mark", json={"submission": "submission_999998", "part": "q2",
                                               "mark": 2}).status_code == 200
    [override] = load_overrides(grades)
    assert (override.submission, override.new) == ("submission_999998", 2)
