"""The a2 command as students and instructors use it."""

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_check_shows_public_results_and_hides_the_rest(capsys):
    assert main(["check", str(ROOT / "solutions" / "a2.py")]) == 0
    out = capsys.readouterr().out
    # The question's own cases carry no marks of their own (their answers are printed in the
    # question): the check says whether each is right, and where the marks come from.
    assert "2 of 2 public checks right" in out and "unseen cases of the same shape" in out
    assert "q1_ii    right" in out and "q1_iv    right" in out
    assert "hidden cases: marked when you submit" in out
    assert "answer received" in out  # short answers are not marked locally


def test_check_json_output_is_machine_readable(capsys):
    # The stub fails its public checks: exit 1, and the JSON says so too.
    assert main(["check", "--json", str(ROOT / "assignment" / "a2.py")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["score"] == 0 and data["public_only"] is True
    assert data["public_checks"] == {"right": 0, "of": 2} and data["exit"] == 1


def test_check_on_a_missing_file_says_what_to_pass(capsys, tmp_path):
    assert main(["check", str(tmp_path / "a2.py")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow  # grades a folder of examples through the terminal command (make test runs it)
def test_grade_writes_a_csv_a_report_and_one_json_per_submission(tmp_path, example_source):
    folder = tmp_path / "submissions"
    for name in ("reference", "stub", "q1_iv_wrong"):
        (folder / name).mkdir(parents=True)
        (folder / name / "a2.py").write_bytes(example_source(name))
    (folder / "loose.py").write_text("Q2 = 'VAE'\n")
    out = tmp_path / "grades"
    assert main(["grade", str(folder), "-o", str(out), "-q"]) == 0
    rows = {r["submission"]: r for r in csv.DictReader((out / "grades.csv").open())}
    assert set(rows) == {"reference", "stub", "q1_iv_wrong", "loose"}
    assert rows["reference"]["total"] == "12" and rows["stub"]["total"] == "0"
    assert rows["q1_iv_wrong"]["q1_iv"] == "0" and rows["q1_iv_wrong"]["total"] == "10"
    report = (out / "report.html").read_text()
    assert "grading report</h1>" in report and "<b>q1_iv_wrong</b> no names: 10/12" in report
    assert not (out / "report.md").exists()
    assert json.loads((out / "results" / "stub.json").read_text())["score"] == 0


def test_help_lists_every_command():
    done = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True,
                          text=True)
    for command in ("check", "grade", "build", "demo", "results", "rubric"):
        assert command in done.stdout


@pytest.mark.slow  # grades a folder through the terminal command (make test runs it)
def test_same_file_names_get_their_own_rows_and_results(tmp_path, example_source):
    for folder in ("alice", "bob"):
        (tmp_path / "in" / folder).mkdir(parents=True)
    (tmp_path / "in" / "alice" / "a2.py").write_bytes(example_source("reference"))
    (tmp_path / "in" / "bob" / "a2.py").write_bytes(example_source("q1_iv_wrong"))
    out = tmp_path / "grades"
    code = main(["grade", str(tmp_path / "in" / "alice" / "a2.py"),
                 str(tmp_path / "in" / "bob" / "a2.py"), "-o", str(out), "-q"])
    assert code == 0
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert len(rows) == 2 and len({r["submission"] for r in rows}) == 2
    totals = sorted(float(r["total"]) for r in rows)
    assert totals == [10, 12]
    assert len(list((out / "results").glob("*.json"))) == 2


@pytest.mark.slow  # grades a folder twice (make test runs it)
def test_regrading_into_the_same_folder_never_mixes_runs(tmp_path, example_source, capsys):
    first = tmp_path / "first"
    first.mkdir()
    (first / "old.py").write_bytes(example_source("stub"))
    (first / "kept.py").write_bytes(example_source("reference"))
    out = tmp_path / "grades"
    assert main(["grade", str(first), "-o", str(out), "-q"]) == 0
    (first / "old.py").unlink()
    assert main(["grade", str(first), "-o", str(out), "-q"]) == 0
    names = sorted(p.stem for p in (out / "results").glob("*.json"))
    rows = [r["submission"] for r in csv.DictReader((out / "grades.csv").open())]
    assert names == rows == ["kept"]
    assert "removed 1 result(s) of an earlier run" in capsys.readouterr().err


def _open_mode(path: Path) -> int:
    """A folder's mode when no grading run holds it closed: the mode a closing run recorded,
    or its mode now."""
    import hashlib
    import stat

    from autograder.sandbox.folders import _sandbox_root

    record = _sandbox_root() / ".closed" / hashlib.sha256(str(path).encode()).hexdigest()[:32]
    try:
        text = record.read_text().strip()
    except OSError:
        text = ""
    return int(text, 8) if text else stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow  # grades a folder as root through the terminal command (make test runs it)
def test_grading_as_root_restores_the_modes_of_the_folders_it_closed(tmp_path, example_source,
                                                                    capsys):
    import os
    import stat

    if os.geteuid() != 0:
        import pytest

        pytest.skip("folders are closed only when grading as root")
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "alice.py").write_bytes(example_source("reference"))
    os.chmod(folder, 0o755)
    solutions = Path(__file__).resolve().parents[1] / "solutions"
    # Other tests grade at the same time and close the same folder; a closing run records its
    # open mode, and the last run to finish gives it back.
    before = _open_mode(solutions)
    assert main(["grade", str(folder), "-o", str(tmp_path / "grades"), "-q"]) == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    deadline = time.monotonic() + 300
    while stat.S_IMODE(solutions.stat().st_mode) != before and time.monotonic() < deadline:
        time.sleep(0.5)                  # still held closed by another test's run
    assert stat.S_IMODE(solutions.stat().st_mode) == before
    err = capsys.readouterr().err
    assert err.count("closed to other users while submissions run") == 1
    assert str(folder) in err


def test_closed_paths_are_restored_after_an_interrupt(tmp_path):
    import os
    import stat

    from autograder.sandbox.folders import _Closed

    folder = tmp_path / "open"
    folder.mkdir()
    os.chmod(folder, 0o755)
    try:
        with _Closed([folder]):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
            with _Closed([folder]):
                pass
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700   # still held by the outer run
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
