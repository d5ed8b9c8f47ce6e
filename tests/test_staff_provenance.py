"""Where a mark came from (results.json on Gradescope), progress output, and the review server's
address: small pieces of the staff tools that users rely on."""

from __future__ import annotations

import hashlib
import io
import urllib.error
import urllib.request

import pytest

from autograder.otter_plugin import _provenance
from autograder.provenance import autograder_of
from autograder.render import to_gradescope
from autograder.staff.progress import Progress


def test_gradescope_results_carry_provenance_students_never_see(graded_export, grading_data,
                                                                tmp_path, example_source):
    from autograder.staff.store import load_grades

    source = example_source("reference")
    path = tmp_path / "a2.py"
    path.write_bytes(source)
    record = _provenance(path, grading_data)
    assert record["submission_sha256"] == hashlib.sha256(source).hexdigest()
    assert record["casebook_sha256"] == hashlib.sha256(
        (grading_data / "casebook.json").read_bytes()).hexdigest()
    assert record["rubrics_sha256"] and record["python"] and record["numpy"]
    assert "graded_at" not in record  # the same file twice gives the same results.json
    assert _provenance(path, grading_data) == record
    result = load_grades(graded_export[1])[0].result
    data = to_gradescope(result, 1.0, record)
    assert data["extra_data"]["provenance"] == record
    visible = data["output"] + "".join(t["output"] for t in data["tests"])
    assert record["casebook_sha256"] not in visible


def test_a_symlinked_submission_is_never_followed_to_hash_it(grading_data, tmp_path):
    (tmp_path / "secret").write_text("not the student's")
    link = tmp_path / "a2.py"
    link.symlink_to(tmp_path / "secret")
    assert _provenance(link, grading_data)["submission_sha256"] == ""


def test_the_autograder_hash_changes_with_a_rubric(grading_data, tmp_path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(grading_data, copy)
    before = autograder_of(copy).sha256
    rubric = next((copy / "rubrics").glob("*.yaml"))
    rubric.write_text(rubric.read_text() + "\n# edited\n")
    assert autograder_of(copy).sha256 != before


def test_progress_is_plain_lines_in_a_log_and_a_bar_with_rate_and_time_left_on_a_terminal():
    log = io.StringIO()
    progress = Progress(3, stream=log, tty=False)
    for name in ("a", "b", "c"):
        progress.step(f"{name}: 12/12")
    assert log.getvalue().splitlines() == ["[1/3] a: 12/12", "[2/3] b: 12/12", "[3/3] c: 12/12"]
    screen = io.StringIO()
    progress = Progress(4, stream=screen, tty=True)
    progress.step("a: 1/12")
    assert "\r" in screen.getvalue() and "1/4" in screen.getvalue()
    assert "/s" in screen.getvalue() and "left" in screen.getvalue()
    quiet = io.StringIO()
    Progress(2, stream=quiet, quiet=True).step("a")
    assert quiet.getvalue() == ""


def test_the_review_server_listens_on_localhost_behind_a_long_token(graded_export):
    pytest.importorskip("flask")
    from autograder.staff.review_app import ReviewServer

    server = ReviewServer(graded_export[1], None, steps={})
    server.start()
    try:
        assert server.server.server_address[0] == "127.0.0.1"
        assert server.url.startswith("http://127.0.0.1:") and len(server.token) >= 32
        root = server.url.rsplit("/", 2)[0] + "/"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(root, timeout=10)
        assert refused.value.code == 404 and refused.value.read() == b""
        with urllib.request.urlopen(server.url, timeout=10) as page:
            assert page.status == 200 and b"a2 review" in page.read()
    finally:
        server.stop()
    other = ReviewServer(graded_export[1], None, steps={})
    other.server.server_close()
    assert other.token != server.token


def test_a_port_in_use_is_an_a2_error_naming_it(graded_export, capsys):
    pytest.importorskip("flask")
    import socket

    from autograder.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code = main(["review", str(graded_export[1]), "--no-browser", "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"a2: error: cannot listen on 127.0.0.1:{port} ")
    assert "--port" in err


def test_the_staff_tools_are_an_extra_gradescope_and_students_never_install():
    import tomllib
    from pathlib import Path

    from autograder.build import pinned_requirements

    pins = " ".join(pinned_requirements()).lower()
    for tool in ("flask", "matplotlib", "playwright"):
        assert tool not in pins
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml")
                            .read_text())["project"]
    staff = " ".join(project["optional-dependencies"]["staff"]).lower()
    assert all(tool in staff for tool in ("flask", "matplotlib", "playwright"))
    assert not any(tool in " ".join(project["dependencies"]).lower()
                   for tool in ("flask", "matplotlib", "playwright"))


@pytest.mark.slow
def test_results_json_on_gradescope_names_the_submission_it_graded(gradescope, example_source):
    source = example_source("reference")
    run = gradescope(source)
    record = run.results["extra_data"]["provenance"]
    assert record["submission_sha256"] == hashlib.sha256(source).hexdigest()
    assert record["casebook_sha256"] and record["rubrics_sha256"] and record["engine_sha256"]
    assert run.results["score"] == 12
