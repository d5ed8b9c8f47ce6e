"""The red team: hostile submissions, graded exactly as Gradescope would grade them.

Each file in tests/redteam/ is a complete a2.py with one attack (most of them on top of the
reference's answers, so the marks they deserve are exact, not just 0). Each is graded through
the built zip in Gradescope's layout (``gradescope`` in conftest.py: Otter's run_otter.py as
root; attacks on the sandbox and the grading core in the same layout with the plugin's grading
but without Otter's kernel, see THROUGH_OTTER), and afterwards:

* results.json exists, is valid JSON with ``score`` and ``tests``, and gives exactly the marks
  the file deserves, part by part (tests/redteam_catalog.py);
* nothing it started is still running (no process of a sandbox uid, none carrying a run token),
  nothing it wrote is left in world-writable places, no System V IPC object of it survives;
* no marker exists that only an escaped or privileged process could have written, and
  results.json does not change while its daemons would still be trying;
* what students see holds none of the hidden cases' inputs or values, no rubric phrasing, no
  grader environment, nothing the submission read or printed;
* the same file graded twice gives the same results.json apart from the run's time, and a hang
  is cut off within the submission's time limit plus 5 s, the whole Otter run included.
"""

from __future__ import annotations

import difflib
import glob
import json
import os
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import OTHER_UIDS, RED_TEAM_UIDS
from redteam_catalog import ATTACKS, BY_NAME, ENV_CANARY, FAKE_CANARY, MARKER, PARTS, files_owned_by

pytestmark = pytest.mark.slow

SANDBOX_UIDS = RED_TEAM_UIDS
"""The red team's own sandbox uids (conftest.machine_lock): a parallel test worker grades under
OTHER_UIDS meanwhile, and what its sandboxes do is not the red team's to judge."""
RESULTS = Path("/autograder/results/results.json")


@pytest.fixture(scope="module")
def guarded(built) -> bool:
    """Whether the zip's run_otter.py is this project's guarded entry point."""
    with zipfile.ZipFile(built.zip_path) as zf:
        return "run_gradescope" in zf.read("run_otter.py").decode()


@pytest.fixture(scope="module")
def secrets(casebook, grading_data) -> list[str]:
    """Strings no student may see: hidden inputs and values, rubric phrasings, canaries."""
    found = {casebook["fingerprint"], ENV_CANARY.split("=")[1], FAKE_CANARY, "A2_SANDBOX_RUN",
             "root:x:0:0"}
    for part in casebook["parts"]:
        for group in part.get("groups", []):
            if group["visibility"] != "hidden":
                continue
            for case in group["cases"]:
                for value in [*case["args"], *case["kwargs"].values(), case["expected"]]:
                    if isinstance(value, list):
                        for text in (json.dumps(value), json.dumps(value, separators=(",", ":")),
                                     repr(value)):
                            if len(text) >= 10:
                                found.add(text)
    for rubric in sorted((grading_data / "rubrics").glob("*.yaml")):
        for concept in (yaml.safe_load(rubric.read_text()) or {}).get("concepts", []):
            for phrasing in concept.get("phrasings", []) or []:
                for key in ("does", "match"):
                    if isinstance(phrasing, dict) and len(str(phrasing.get(key, ""))) >= 10:
                        found.add(str(phrasing[key]))
    return sorted(found)


def _sandbox_processes() -> list[str]:
    """Live processes of a sandbox uid (real, effective or saved) or carrying a run token that
    no grader owns any more: orphans, whose ancestry reaches init without passing a process
    outside the sandbox. (Other graders may be running sandboxes on this machine meanwhile;
    theirs hang from their grader.) A leak is reported only if it is still there a second
    later, so another grader's sandbox caught while being torn down is not one."""
    leaked = _orphans()
    if leaked:
        time.sleep(1)
        again = set(_orphans())
        leaked = [entry for entry in leaked if entry in again]
    return leaked


def _orphans() -> list[str]:
    table = {}
    for status in glob.glob("/proc/[0-9]*/status"):
        pid = int(status.split("/")[2])
        try:
            text = Path(status).read_text()
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("State", "").strip()[:1] in ("Z", "X"):
            continue
        uids = [int(u) for u in fields.get("Uid", "").split()[:3]]
        others = all(u in OTHER_UIDS for u in uids)   # a parallel worker's sandbox
        sandbox = any(u in SANDBOX_UIDS for u in uids) or (
            b"A2_SANDBOX_RUN=" in environ and pid != os.getpid() and not others)
        table[pid] = (int(fields.get("PPid", "0")), sandbox,
                      f"{pid} {fields.get('Name', '').strip()} uids={uids}")
    found = []
    for parent, sandbox, label in table.values():
        if not sandbox:
            continue
        seen = set()
        while parent > 1 and parent in table and parent not in seen and table[parent][1]:
            seen.add(parent)
            parent = table[parent][0]
        if parent <= 1 or parent not in table:
            found.append(label)
    return found


def _leftovers() -> list[str]:
    """Files of sandbox uids in world-writable places, and their System V IPC objects, that are
    still there five seconds later: a run's leftovers stay for ever, while another grader's
    sandbox on this machine (a parallel test worker) is removing its own files as it ends."""
    found = _owned_now()
    for _ in range(5):
        if not found:
            break
        time.sleep(1)
        found = sorted(set(found) & set(_owned_now()))
    return found


def _owned_now() -> list[str]:
    found = files_owned_by(SANDBOX_UIDS)
    for kind in ("shm", "msg", "sem"):
        header, *rows = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()
        columns = header.split()
        for row in rows:
            values = row.split()
            if any(int(values[columns.index(c)]) in SANDBOX_UIDS for c in ("uid", "cuid")):
                found.append(f"sysv {kind} {values[1]}")
    return found


def _markers() -> list[str]:
    folders = ["/tmp", "/autograder", "/autograder/results", "/autograder/source",
               "/autograder/source/tests", "/root", "/etc",
               "/root/.ipython/profile_default/startup",
               *(folder for folder in sys.path if folder)]
    patterns = [f"{folder}/*{MARKER}*" for folder in folders]
    # A marker a parallel worker's sandbox user may write in /tmp (its own run removes it) is
    # not an escape of the red team's; one owned by anyone else is.
    return sorted({path for pattern in patterns for path in glob.glob(pattern)
                   if _owner(path) not in OTHER_UIDS})


def _owner(path: str) -> int:
    try:
        return os.lstat(path).st_uid
    except OSError:
        return -1


def _student_visible(results: dict) -> str:
    parts = [str(results.get("output", ""))]
    for test in results.get("tests", []):
        if test.get("visibility", "visible") != "hidden":
            parts += [str(test.get("name", "")), str(test.get("output", ""))]
    return "\n".join(parts)


def _without_timing(results: dict) -> dict:
    """results.json without the run's time (Otter's top-level one, and ours in extra_data)."""
    data = {key: value for key, value in results.items() if key != "execution_time"}
    if isinstance(data.get("extra_data"), dict):
        data["extra_data"] = {key: value for key, value in data["extra_data"].items()
                              if key != "execution_time"}
    return data


@pytest.fixture(scope="module", autouse=True)
def _exclusive(machine_lock):
    """One red team at a time on this machine (see conftest.machine_lock)."""
    yield


@pytest.fixture(autouse=True)
def _canary(monkeypatch):
    name, value = ENV_CANARY.split("=")
    monkeypatch.setenv(name, value)


def _with_limits(built, folder: Path, limits: dict) -> Path:
    """The built zip with ``limits`` written over those of its casebook."""
    path = folder / "autograder.zip"
    with zipfile.ZipFile(built.zip_path) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("a2-grading/casebook.json"):
                casebook = json.loads(data)
                casebook["limits"].update(limits)
                data = json.dumps(casebook).encode()
            target.writestr(item, data)
    return path


@pytest.fixture(scope="module")
def quick_zip(built, tmp_path_factory) -> Path:
    """The built zip with shorter call and import limits in its casebook, for the attacks that
    only need some limit to be hit."""
    return _with_limits(built, tmp_path_factory.mktemp("quick"), QUICK_LIMITS)


@pytest.fixture(scope="module")
def hang_zip(built, tmp_path_factory) -> Path:
    """The built zip with a shorter budget for the whole submission too, for the file that
    hangs everywhere: its bound (the budget plus 5 s, over the whole Otter run) holds at any
    budget, and the real limits' bound is measured by make bench (bench/gradescope.py), not
    waited out here for 30 s."""
    return _with_limits(built, tmp_path_factory.mktemp("hang"), HANG_LIMITS)


QUICK_LIMITS = {"call_seconds": 1.5, "import_seconds": 3}
HANG_LIMITS = {**QUICK_LIMITS, "submission_seconds": 8}
HANG = "53_hang_everywhere_ignoring_signals"
HANG_MARGIN = 5.0
"""Seconds a hang may take beyond the submission's budget, Otter's run included (the
catalogue's max_seconds for the hang is the real budget plus this)."""
QUICK = {"50_infinite_loop_at_import", "51_infinite_loop_in_one_call", "52_sleep_in_one_call"}
DETERMINISM = {"44_os_exit_in_the_public_call", "82_exfiltrate_what_it_read"}
"""Graded twice in a row (the grader's code may be edited between tests of a long session)."""
THROUGH_OTTER = {attack.name for attack in ATTACKS if attack.kind == "upload"} | {
    "00_control", "53_hang_everywhere_ignoring_signals", "61_daemon_rewrites_results",
    "100_print_fake_results"}
"""Attacks run through Otter's own run_otter.py: those on Otter's layer (uploads beside a2.py:
the pickle log, shadowing packages, files named like Otter's or the grading data), a daemon that
rewrites results.json after the plugin wrote it, printed fake results, the control, and the
hang under the real limits, whose bound covers the whole Otter run. Every other attack is on the
sandbox and the grading core, tried in the same layout with the plugin's grading as root
without Otter's kernel (``gradescope_core``), which is what makes the suite fast."""
TIME_MARGIN = 10.0
"""Seconds allowed above an attack's ``max_seconds`` in the suite, so a loaded machine does not
fail it; ``make bench`` measures the tight bound."""


def _judge(attack, run, secrets, *, outcome: str | None = None,
           max_seconds: float | None = None) -> None:
    # 1. Results: complete, valid, exactly deserved.
    assert run.results is not None, f"no valid results.json\n{run.stdout[-3000:]}"
    assert isinstance(run.results.get("score"), (int, float))
    assert isinstance(run.results.get("tests"), list) and run.results["tests"]
    if outcome == "zero":
        assert run.results["score"] == 0  # Otter's own refusal, complete and valid
    else:
        assert run.part_scores(PARTS) == attack.deserved(), \
            json.dumps(run.results, indent=1)[:6000]
        assert run.results["score"] == attack.total
        assert "internal error" not in run.raw

    # 2. Nothing it started outlives the run; nothing it wrote is left.
    assert _sandbox_processes() == []
    assert _leftovers() == []

    # 3. Nothing escaped: no marker, results.json unchanged while daemons would try.
    if attack.settle:
        time.sleep(attack.settle)
        assert _sandbox_processes() == []
    assert _markers() == []
    assert RESULTS.read_text() == run.raw

    # 4. Nothing secret reaches students.
    visible = _student_visible(run.results)
    leaked = [secret for secret in secrets if secret in visible]
    assert leaked == [], visible[:3000]

    # 5. Time, with a margin for a loaded machine.
    bound = max_seconds if max_seconds is not None else attack.max_seconds
    if bound is not None:
        assert run.seconds <= bound + TIME_MARGIN, f"took {run.seconds:.1f} s"


def _clear_markers() -> None:
    for path in _markers():
        os.unlink(path)  # from an earlier failed run: each test checks its own


@pytest.mark.parametrize("name", [a.name for a in ATTACKS if a.name not in THROUGH_OTTER])
def test_hostile_submission_gets_exactly_what_it_deserves(name, gradescope_core, casebook,
                                                          secrets):
    attack = BY_NAME[name]
    _clear_markers()
    limits = QUICK_LIMITS if name in QUICK else None
    extra = attack.extra(casebook) if attack.extra else None
    run = gradescope_core(attack.source(), extra=extra, limits=limits)
    _judge(attack, run, secrets)

    # The same file again: the same results, byte for byte apart from the timing.
    if name in DETERMINISM:
        again = gradescope_core(attack.source(), extra=extra, limits=limits)
        assert _without_timing(again.results) == _without_timing(run.results), "\n".join(
            difflib.unified_diff(json.dumps(run.results, indent=1).splitlines(),
                                 json.dumps(again.results, indent=1).splitlines(), lineterm=""))


@pytest.mark.parametrize("name", sorted(THROUGH_OTTER))
def test_attacks_on_otters_layer_get_exactly_what_they_deserve_through_otter(
        name, gradescope, casebook, guarded, secrets, built, quick_zip, hang_zip, monkeypatch):
    attack = BY_NAME[name]
    _clear_markers()
    max_seconds = None
    if name in QUICK:
        monkeypatch.setattr(built, "zip_path", quick_zip)
    if name == HANG:
        monkeypatch.setattr(built, "zip_path", hang_zip)
        max_seconds = HANG_LIMITS["submission_seconds"] + HANG_MARGIN
    extra = attack.extra(casebook) if attack.extra else None
    run = gradescope(attack.source(), extra=extra)
    outcome = attack.unguarded if not guarded else None
    if outcome == "none":
        pytest.xfail("Otter's own run_otter.py crashes on an upload with a file named 'tests' "
                     "before any plugin runs; the zip needs otter_plugin.run_gradescope")
    _judge(attack, run, secrets, outcome=outcome, max_seconds=max_seconds)


def test_the_red_teams_runs_take_their_own_sandbox_uids(gradescope_core, tmp_path):
    """The checks above look at RED_TEAM_UIDS alone: a run here must really take one of them
    (and a parallel worker's runs, OTHER_UIDS, never may), or the checks would see nothing."""
    from autograder.sandbox import hardening
    from autograder.sandbox.runner import run_submission

    assert hardening.uid_range() == RED_TEAM_UIDS
    assert set(RED_TEAM_UIDS).isdisjoint(OTHER_UIDS)
    assert hardening.uid_range({"A2_SANDBOX_UIDS": "64000-64127"}) == OTHER_UIDS
    path = tmp_path / "a2.py"
    path.write_text("import os\nWHO = str(os.getuid())\n")
    outcome = run_submission(path, ["WHO"], [])
    assert outcome.isolation == "user"
    assert int(outcome.variables["WHO"]) in RED_TEAM_UIDS


def test_a_hang_is_cut_off_within_the_submission_limit_plus_five_seconds(manifest):
    """53_hang_everywhere_ignoring_signals runs through Otter with a budget of its own for the
    whole submission (HANG_LIMITS), bound by that budget plus HANG_MARGIN; the catalogue's
    bound for the real limits follows the same rule, and make bench measures it tightly (the
    suite allows TIME_MARGIN more on a loaded machine)."""
    attack = BY_NAME[HANG]
    assert attack.max_seconds <= manifest.limits.submission_seconds + HANG_MARGIN
    assert HANG_LIMITS["submission_seconds"] < manifest.limits.submission_seconds
    assert attack.name not in QUICK and attack.name in THROUGH_OTTER
