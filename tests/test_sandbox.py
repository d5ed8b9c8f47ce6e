"""The sandbox runner's guarantees, checked directly (tests/test_redteam.py checks them end to end).

What comes back is validated and reduced to safe words; what was printed after the cases' inputs
were sent never reaches students; the sandbox user cannot read the grader's files; a failure
inside the grader costs one part; the guarded Gradescope entry survives uploads that crash Otter.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from autograder.grade import grade_file
from autograder.sandbox import folders, hardening, processes, protocol
from autograder.sandbox.outcomes import Call, Limits, SubmissionFileError
from autograder.sandbox.runner import run_submission

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "solutions" / "a2.py").read_text()
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="the uid drop needs root")


def _event(text: str):
    return protocol._parse_event(text.encode())


def test_forged_numbers_never_reach_the_comparison():
    start = '{"event": "call_end", "id": "x", "status": "ok", "value": '
    for value in ("NaN", "Infinity", "-Infinity", "1e999", "9" * 40, "true", '"15"', "null",
                  "[" * 50 + "1" + "]" * 50, '{"value": 15}'):
        assert _event(start + value + "}") is None, value
    assert _event(start + "15}")["value"] == 15
    assert _event(start + '{"$float": "nan"}}')["value"] == {"$float": "nan"}
    assert _event('{"event": "x"}') is None and _event('  {"event": "done"}') is None


def test_feedback_names_only_standard_types_and_reasons():
    marker = _event('{"event": "call_end", "id": "x", "status": "ok", "value": '
                    '{"$type": ["root:x:0:0", "ValueError", "object"], "$why": "secret"}}')
    assert marker["value"] == {"$type": "ValueError"}
    assert protocol._safe_type(["MyList", "list", "object"]) == "list"
    assert protocol._safe_type(["Anything"]) == "object"
    message, detail = protocol._error_message(
        {"types": ["Leak_root_x", "KeyError", "Exception"], "line": 10**6, "message": "root:x:0"},
        lines=100)
    assert message == "KeyError" and "root:x:0" in detail


def test_answers_are_bounded_and_valid_unicode():
    text = protocol._clean_answer("\udcff\x00ok" + "x" * 100_000)
    assert len(text) == protocol.MAX_ANSWER_CHARS
    assert text.encode("utf-8") and "\x00" not in text


def test_show_output_never_shows_what_was_printed_after_the_inputs_were_sent(casebook,
                                                                             grading_data,
                                                                             tmp_path):
    shown = dict(casebook, show_output=True)
    path = tmp_path / "a2.py"
    path.write_text(REFERENCE + "\nprint('PRINTED-AT-IMPORT')\n_rf = receptive_field\n\n"
                    "def receptive_field(layers):\n    print('INPUT', layers)\n"
                    "    return _rf(layers)\n")
    result = grade_file(path, shown, grading_data)
    assert result.score == 12
    assert "PRINTED-AT-IMPORT" in result.output and "INPUT" not in result.output
    from autograder.casebook import public_view

    local = grade_file(path, public_view(shown))
    assert "INPUT" in local.output  # a local check holds no hidden inputs: all of it is shown


def test_exception_messages_reach_only_a_local_check(casebook, grading_data, tmp_path):
    from autograder.casebook import public_view

    path = tmp_path / "a2.py"
    path.write_text(REFERENCE + "\ndef receptive_field(layers):\n"
                    "    raise ValueError('MESSAGE-TEXT')\n")
    graded = grade_file(path, casebook, grading_data).part("q1_ii").groups[0].feedback
    local = grade_file(path, public_view(casebook)).part("q1_ii").groups[0].feedback
    assert "raised ValueError (line" in graded and "MESSAGE-TEXT" not in graded
    assert "MESSAGE-TEXT" in local


def test_a_raising_call_carries_the_exception_type_and_line(tmp_path):
    path = tmp_path / "a2.py"
    path.write_text("class Leak_root_x(KeyError):\n    pass\n\n\n"
                    "def lookup(d):\n    return d['missing']\n\n\n"
                    "def leak():\n    raise Leak_root_x('secret')\n\n\n"
                    "fine = abs\n")
    outcome = run_submission(path, [], [Call("a", "lookup", [{}], {}), Call("b", "leak", [], {}),
                                        Call("c", "fine", ["x"], {}), Call("d", "fine", [-2], {})])
    lookup, leak, builtin, ok = (outcome.calls[c] for c in "abcd")
    assert (lookup.status, lookup.error_type, lookup.error_line) == ("error", "KeyError", 6)
    assert lookup.message == "KeyError (line 6)"  # the words students see, as before
    # A class of its own is named by its first standard base, never by its own name.
    assert (leak.error_type, leak.error_line, leak.message) == ("KeyError", 10,
                                                                "KeyError (line 10)")
    assert "secret" in leak.detail and "secret" not in leak.message
    # Raised outside the submission's file: the type, and no line.
    assert (builtin.error_type, builtin.error_line, builtin.message) == ("TypeError", None,
                                                                         "TypeError")
    assert (ok.status, ok.value, ok.error_type, ok.error_line) == ("ok", 2, None, None)


def test_a_forged_error_names_no_type_or_line_the_submission_could_not_cause(tmp_path):
    path = tmp_path / "a2.py"
    forged = {"event": "call_end", "id": "a", "status": "error", "types": ["root:x:0:0"],
              "line": 10**6, "message": "secret"}
    path.write_text("import json, os, sys\n\n\ndef forge(event):\n"
                    "    fd = sys.modules['__main__']._channel[0]\n"
                    "    os.write(fd, (json.dumps(event) + '\\n').encode())\n"
                    "    return 1\n")
    calls = [Call("a", "forge", [forged], {}),
             Call("b", "forge", [dict(forged, id="b", types=["ValueError"], line=True)], {}),
             Call("c", "forge", [dict(forged, id="c", types=["KeyError"], line=2)], {})]
    outcome = run_submission(path, [], calls)
    a, b, c = (outcome.calls[c] for c in "abc")
    assert (a.status, a.error_type, a.error_line, a.message) == ("error", "object", None,
                                                                 "object")
    assert (b.error_type, b.error_line) == ("ValueError", None)
    # A standard type at a line of its own file: no more than raising it there would say.
    assert (c.error_type, c.error_line, c.message) == ("KeyError", 2, "KeyError (line 2)")


def test_a_symlinked_submission_is_refused(tmp_path):
    link = tmp_path / "a2.py"
    link.symlink_to("/etc/passwd")
    with pytest.raises(SubmissionFileError, match="symbolic link"):
        run_submission(link, [], [])


@root_only
def test_the_sandbox_user_reads_none_of_the_graders_files(grading_data, tmp_path):
    secrets = [grading_data / "casebook.json", ROOT / "solutions" / "a2.py",
               ROOT / "solutions" / "manifest.yaml", folders.PACKAGE_DIR / "grade.py"]
    path = tmp_path / "a2.py"
    path.write_text("import os\nREAD = ''\n"
                    f"for p in {[str(s) for s in secrets]!r}:\n"
                    "    try:\n        open(p).read(1)\n        READ += p + ';'\n"
                    "    except OSError:\n        pass\n"
                    "WHO = str(os.getuid())\n")
    outcome = run_submission(path, ["READ", "WHO"], [], protect=[grading_data])
    assert outcome.isolation == "user"
    assert int(outcome.variables["WHO"]) in range(hardening.UID_BASE,
                                                  hardening.UID_BASE + hardening.UID_SLOTS)
    assert outcome.variables["READ"] == ""


def test_a_part_whose_marking_fails_costs_only_that_part(casebook, grading_data, tmp_path,
                                                         monkeypatch):
    import autograder.rubric

    real = autograder.rubric.score_answer

    def flaky(rubric, answer):
        if "VQ-VAE" in answer:
            raise RuntimeError("rubric engine broke")
        return real(rubric, answer)

    monkeypatch.setattr(autograder.rubric, "score_answer", flaky)
    path = tmp_path / "a2.py"
    path.write_text(REFERENCE)
    result = grade_file(path, casebook, grading_data)
    assert result.part("q2").score == 0 and result.part("q2").review
    assert result.score == 10


def test_limits_stop_a_hang_within_the_submission_time(tmp_path):
    path = tmp_path / "a2.py"
    path.write_text("def f():\n    while True:\n        pass\n")
    limits = Limits(call_seconds=0.5, submission_seconds=2)
    outcome = run_submission(path, [], [Call(str(i), "f") for i in range(20)], limits)
    statuses = {c.status for c in outcome.calls.values()}
    assert statuses <= {"timeout", "not-run"} and "timeout" in statuses
    assert "submission time limit reached" in outcome.notes


@root_only
@pytest.mark.slow
def test_the_guarded_entry_grades_uploads_that_crash_otter(built, tmp_path):
    """autograder.otter_plugin.run_gradescope, which the zip's run_otter.py should call."""
    root = tmp_path / "autograder"
    for sub in ("source", "submission", "results"):
        (root / sub).mkdir(parents=True)
    with zipfile.ZipFile(built.zip_path) as zf:
        zf.extractall(root / "source")
    (root / "submission" / "a2.py").write_text(REFERENCE)
    (root / "submission" / "tests").write_text("a file where Otter expects a folder\n")
    (root / "submission" / "helper.py").write_text("HELPER = 1\n")
    (root / "submission_metadata.json").write_text("{}")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from autograder.otter_plugin import run_gradescope; "
                               "run_gradescope(sys.argv[1])", str(root)],
        cwd=root / "source", capture_output=True, text=True, timeout=120)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 12, done.stdout[-2000:] + done.stderr[-2000:]


@root_only
def test_other_submissions_beside_the_file_are_unreadable(casebook, grading_data):
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="a2-batch-"))
    try:
        os.chmod(folder, 0o755)
        (folder / "bob.py").write_text(REFERENCE)
        os.chmod(folder / "bob.py", 0o644)
        (folder / "alice.py").write_text(
            f"try:\n    Q1_I = open({str(folder / 'bob.py')!r}).read()[:40]\n"
            "except OSError:\n    Q1_I = ''\n")
        result = grade_file(folder / "alice.py", casebook, grading_data)
        assert result.part("q1_i").score == 0
        assert "is empty" in result.part("q1_i").feedback
    finally:
        shutil.rmtree(folder)


@pytest.mark.slow  # writes and removes a flood of files (make test runs it)
@root_only
def test_a_flood_of_files_is_stopped_and_removed(tmp_path):
    path = tmp_path / "a2.py"
    path.write_text("import os\n\ndef f():\n    for i in range(10**7):\n"
                    "        open(f'/dev/shm/a2-flood-{i}', 'w').close()\n")
    outcome = run_submission(path, [], [Call("x", "f")], Limits(call_seconds=25))
    assert outcome.calls["x"].status == "crashed"
    assert "files" in outcome.calls["x"].message
    assert not list(Path("/dev/shm").glob("a2-flood-*"))


@pytest.mark.slow  # fills the disk beside a running submission (make test runs it)
@root_only
def test_a_submission_is_charged_only_for_what_it_writes_itself(tmp_path):
    # Another program filling the same disk while a submission runs (a parallel grader, a build)
    # is not the submission's doing: the call that was running must not "crash" for it.
    import threading

    path = tmp_path / "a2.py"
    path.write_text("import time\n\ndef f():\n    time.sleep(1.5)\n    return 1\n")
    big = tmp_path / "someone-elses.bin"
    block = b"\0" * (1 << 20)

    def write_others() -> None:
        time.sleep(0.3)
        with open(big, "wb") as out:
            for _ in range(96):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())

    writer = threading.Thread(target=write_others)
    writer.start()
    try:
        outcome = run_submission(path, [], [Call("x", "f")],
                                 Limits(call_seconds=5, disk_mb=32))
    finally:
        writer.join()
        big.unlink()
    assert outcome.calls["x"].status == "ok", outcome.calls["x"].message


@root_only
def test_a_deleted_file_kept_open_still_counts_against_the_disk_limit(tmp_path):
    path = tmp_path / "a2.py"
    path.write_text(
        "import os, tempfile, time\n\ndef f():\n"
        "    kept = []\n"
        "    for _ in range(6):\n"                      # each file under the size limit
        "        handle = tempfile.TemporaryFile()\n"   # unlinked at once, kept open
        "        for _ in range(16):\n"
        "            handle.write(b'\\0' * (1 << 20))\n"
        "        handle.flush(); os.fsync(handle.fileno())\n"
        "        kept.append(handle)\n"
        "    time.sleep(3)\n")
    outcome = run_submission(path, [], [Call("x", "f")], Limits(call_seconds=10, disk_mb=32))
    assert outcome.calls["x"].status == "crashed"
    assert "MiB of disk" in outcome.calls["x"].message


def test_no_network_from_the_sandbox(tmp_path):
    """Where the sandbox could install its network filter (the runner reads that from the
    sandbox's /proc), a connection attempt fails; elsewhere this test is skipped, never
    passed without checking."""
    path = tmp_path / "a2.py"
    path.write_text("import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), 2)\n"
                    "    NET = 'yes'\nexcept OSError:\n    NET = 'no'\n")
    outcome = run_submission(path, ["NET"], [])
    if not outcome.network.startswith("denied"):
        pytest.skip(f"the network filter could not be installed here ({outcome.network!r})")
    assert outcome.variables["NET"] == "no"


@root_only
def test_grading_a_file_in_a_shared_folder_leaves_the_folder_open(casebook, grading_data,
                                                                  tmp_path):
    # A lone file graded from /tmp once made /tmp owner-only: shared and structural folders
    # (sticky or world-writable, '/', the way to the interpreter) are never closed.
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    (shared / "a2.py").write_text(REFERENCE)
    result = grade_file(shared / "a2.py", casebook, grading_data)
    assert result.score == 12
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE(Path(tempfile.gettempdir()).stat().st_mode) & 0o1777 == 0o1777


@pytest.mark.slow  # waits out forked children (make test runs it)
@root_only
def test_a_submission_that_forks_leaves_nothing_that_breaks_the_next_one(tmp_path):
    """Children of a killed sandbox are collected, not left as zombies of the sandbox uid, where
    they would count against the process limit of the next run on that uid (seen in a batch:
    the next student's file 'stopped the interpreter while being imported')."""
    forker = tmp_path / "forker.py"
    forker.write_text("import os, time\n"
                      "def f():\n"
                      "    for _ in range(40):\n"
                      "        try:\n"
                      "            if os.fork() == 0:\n"
                      "                time.sleep(60)\n"
                      "                os._exit(0)\n"
                      "        except OSError:\n"
                      "            break\n"
                      "    time.sleep(60)\n")
    honest = tmp_path / "honest.py"
    honest.write_text("import numpy\ndef f():\n    return 1\n")
    limits = Limits(call_seconds=1, processes=48, submission_seconds=5)
    sandbox_uids = set(range(hardening.UID_BASE, hardening.UID_BASE + hardening.UID_SLOTS))
    for _ in range(3):
        forked = run_submission(forker, [], [Call("c", "f", [], {})], limits)
        assert forked.calls["c"].status in ("timeout", "crashed")
        zombies = [pid for pid, fields in
                   [(name, processes._status(name)) for name in os.listdir("/proc")
                    if name.isdigit()]
                   if fields and fields.get("State", "").startswith("Z")
                   and set(processes._uids(fields)) & sandbox_uids
                   # ours: left to init (which never reaps here) or to this grader; another
                   # grader's sandboxes on this machine (a parallel test worker) reap their own
                   and fields.get("PPid", "").strip() in ("1", str(os.getpid()))]
        assert not zombies
        after = run_submission(honest, [], [Call("c", "f", [], {})], limits)
        assert after.import_error is None and after.calls["c"].value == 1


def test_the_network_is_denied_without_namespaces_and_nothing_arrives(casebook, grading_data,
                                                                      tmp_path, monkeypatch):
    """The red-team file that sends its inputs over TCP, UDP and DNS reaches no listener on
    127.0.0.1, loses no marks, and the runner (not the submission) records that the filter
    took effect. Without root the submission runs as this user, and the filter still holds."""
    import socket
    import threading

    from redteam_catalog import BY_NAME

    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    port = tcp.getsockname()[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", port))
    received: list[bytes] = []

    def listen(sock, stream):
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                if stream:
                    conn, _ = sock.accept()
                    received.append(conn.recv(4096) or b"(connected)")
                else:
                    received.append(sock.recv(4096))
            except OSError:
                continue

    stop = threading.Event()
    threads = [threading.Thread(target=listen, args=(tcp, True), daemon=True),
               threading.Thread(target=listen, args=(udp, False), daemon=True)]
    for thread in threads:
        thread.start()
    source = BY_NAME["85_send_inputs_over_the_network"].source().decode()
    path = tmp_path / "a2.py"
    path.write_text(source.replace('"47185"', f'"{port}"'))
    try:
        result = grade_file(path, casebook, grading_data)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=2)
        tcp.close()
        udp.close()
    assert received == []
    assert result.score == 12, [(p.id, p.score) for p in result.parts]
    assert result.network.startswith("denied: seccomp")
    # The listener itself works: this process, outside the sandbox, can reach it.
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    assert probe.connect_ex(("127.0.0.1", 9)) in (0, 111)
    probe.close()


def test_a_grader_can_be_given_its_own_sandbox_uids_and_never_others():
    """A2_SANDBOX_UIDS gives a grader a range of the sandbox uids (two graders on one machine,
    such as the test suite's workers, then never see each other's sandbox users); a value that
    is malformed or reaches outside the sandbox uids is refused, never widened or ignored."""
    every = range(hardening.UID_BASE, hardening.UID_BASE + hardening.UID_SLOTS)
    assert hardening.uid_range({}) == every
    assert hardening.uid_range({"A2_SANDBOX_UIDS": " "}) == every
    assert hardening.uid_range({"A2_SANDBOX_UIDS": "64100-64109"}) == range(64100, 64110)
    for bad in ("64100", "abc-def", "0-100", "64000-70000", "63999-64010", "64010-64000"):
        with pytest.raises(RuntimeError, match="A2_SANDBOX_UIDS"):
            hardening.uid_range({"A2_SANDBOX_UIDS": bad})
