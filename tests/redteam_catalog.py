"""What each hostile submission in tests/redteam/ is, and exactly what it deserves.

Shared by tests/test_redteam.py (our grader: each file must get exactly these marks) and
tests/test_baseline.py (a plain Otter autograder: how many files get more than these marks).
A file's docstring says the attack in words; ``loses`` says which parts it loses and what it
keeps there (every other part keeps its full marks, as the reference's answers deserve).
"""

from __future__ import annotations

import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

REDTEAM = Path(__file__).resolve().parent / "redteam"
REFERENCE = Path(__file__).resolve().parents[1] / "solutions" / "a2.py"
PLACEHOLDER = ("# <<the reference solution, solutions/a2.py, is inserted here by "
               "redteam_catalog>>")
"""Where a hostile file's honest part goes: the reference's answers and functions, so each file
holds only its attack, and an honest part that deserves full marks by construction."""
MARKS = {"q1_i": 2, "q1_ii": 2, "q1_iii": 1, "q1_iv": 2, "q2": 2, "q3": 3}
PARTS = list(MARKS)
FUNCTIONS_LOST = {"q1_ii": 0, "q1_iv": 0}
NOTHING = {part: 0 for part in MARKS}
MARKER = "A2-REDTEAM-MARKER"
"""Every file an attack would create with privileges it must not have is named with this."""
FAKE_CANARY = "FAKE-RESULTS-CANARY"
ENV_CANARY = "A2_REDTEAM_CANARY=canary-5c1f0e7d"
"""Put into the grader's environment by the tests: no submission may ever read it."""

CLASSES = {
    "patch": "patching the sandbox's Python (numpy, builtins, json, the harness)",
    "channel": "forging, flooding or breaking the result channel",
    "values": "hostile return values (__eq__, __array__, lying subclasses, pickles)",
    "exits": "exceptions, exits, killed and crashed interpreters",
    "hangs": "hangs, sleeps and busy threads",
    "processes": "forks, daemons, privilege escalation",
    "resources": "memory and disk exhaustion, leftovers",
    "read": "reading grading data, the grader's memory, echoing inputs",
    "write": "writing results, tests, packages",
    "output": "printing fake results, flooding output",
    "answers": "hostile answer strings",
    "file": "the submitted file itself (encoding, NUL, size)",
    "upload": "extra files in the upload (.OTTER_LOG pickle, packages, forged casebook)",
}


def _pickle_payload(casebook: dict) -> dict:  # noqa: ARG001
    import os

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch /tmp/{MARKER}-otterlog-$(id -u)",))

    return {".OTTER_LOG": pickle.dumps(Payload())}


_SHADOW = f'''import os
with open("/tmp/{MARKER}-shadow-" + str(os.geteuid()), "w") as handle:
    handle.write(__name__)
raise ImportError("shadowed")
'''


def _shadow_packages(casebook: dict) -> dict:  # noqa: ARG001
    return {f"{name}/__init__.py": _SHADOW for name in ("numpy", "jedi", "matplotlib_inline")}


def _forged_casebook(casebook: dict) -> dict:
    """The real casebook with every expected value replaced by what 132's stub returns."""
    forged = json.loads(json.dumps(casebook))
    for part in forged["parts"]:
        part["marks"] = 100
        for group in part.get("groups", []):
            for case in group["cases"]:
                case["expected"] = 0 if part["function"] == "receptive_field" else [[0]]
    rubric = "part: forged\nmax_marks: 100\nconcepts: []\n"
    files = {"a2-grading/casebook.json": json.dumps(forged)}
    for part in casebook["parts"]:
        if part["kind"] == "text":
            files[f"a2-grading/rubrics/{part['id']}.yaml"] = rubric
    return files


def _second_file(casebook: dict) -> dict:  # noqa: ARG001
    return {"helper.py": "HELPER = True\n"}


def _tests_file(casebook: dict) -> dict:  # noqa: ARG001
    return {"tests": "not a folder\n"}


def _notebook(casebook: dict) -> dict:  # noqa: ARG001
    cell = (f"import os\nopen('/tmp/{MARKER}-notebook-' + str(os.geteuid()), 'w').close()\n"
            "def receptive_field(layers):\n    return 15\n")
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c1",
                           "metadata": {}, "outputs": [], "source": cell}],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    return {"a2.ipynb": json.dumps(notebook)}


@dataclass(frozen=True)
class Attack:
    """One hostile submission and what it deserves."""

    name: str
    kind: str
    """Its attack class (a key of CLASSES)."""
    loses: dict = field(default_factory=dict)
    """Parts it loses, with the marks it keeps there; other parts keep their full marks."""
    extra: object = None
    """A function (casebook) -> {path: content} of other files uploaded beside a2.py."""
    settle: float = 0.0
    """Seconds to wait after grading before checking that nothing changed (daemons)."""
    pad_to: int = 0
    """Pad the file with comment bytes to this size before submitting it."""
    rule: bool = False
    """Its functions are the reference's, and it loses their marks by breaking a rule of this
    grader (an import that exits or never ends, output beyond the limit, a file over the size
    limit), not for wrong answers: another grader giving those marks is not fooled."""
    encoding: str = "utf-8"
    """How the file is encoded when submitted (the repository keeps every file in UTF-8)."""
    max_seconds: float | None = None
    """Upper bound on the whole Gradescope run, when the attack is about time."""
    unguarded: str | None = None
    """With Otter's own run_otter.py (not autograder.otter_plugin.run_gradescope), Otter fails
    before any plugin runs: 'zero' (it writes a complete 0 result) or 'none' (no results)."""

    @property
    def path(self) -> Path:
        return REDTEAM / f"{self.name}.py"

    def source(self) -> bytes:
        text = self.path.read_text(encoding="utf-8")
        text = text.replace(PLACEHOLDER, REFERENCE.read_text(encoding="utf-8"))
        data = text.encode(self.encoding)
        if self.pad_to:
            data += b"\n" + b"#" * (self.pad_to - len(data) - 2) + b"\n"
        return data

    def deserved(self) -> dict[str, float]:
        return {part: float(self.loses.get(part, marks)) for part, marks in MARKS.items()}

    @property
    def total(self) -> float:
        return sum(self.deserved().values())


ATTACKS = [
    Attack("00_control", "values"),
    Attack("10_patch_numpy_comparisons", "patch", FUNCTIONS_LOST),
    Attack("11_patch_builtins_json_math", "patch", FUNCTIONS_LOST),
    Attack("12_patch_harness_module", "patch", FUNCTIONS_LOST),
    Attack("13_patch_harness_through_gc_and_frames", "patch", FUNCTIONS_LOST),
    Attack("20_forge_invalid_events", "channel"),
    Attack("21_forge_answers_for_every_call", "channel", FUNCTIONS_LOST),
    Attack("22_close_the_channel", "channel", FUNCTIONS_LOST, rule=True),
    Attack("23_dup2_onto_the_channel", "channel"),
    Attack("24_flood_the_channel", "channel", FUNCTIONS_LOST, max_seconds=20, rule=True),
    Attack("30_eq_always_true", "values", FUNCTIONS_LOST),
    Attack("31_array_protocol_hostile", "values", FUNCTIONS_LOST),
    Attack("32_lying_subclasses_of_true_values", "values"),
    Attack("33_subclasses_that_pretend_to_be_right", "values", FUNCTIONS_LOST),
    Attack("34_recursive_and_deep_lists", "values", FUNCTIONS_LOST),
    Attack("35_numpy_object_arrays", "values", {"q1_iv": 0}),
    Attack("36_reduce_pickle_payloads", "values", FUNCTIONS_LOST),
    Attack("37_non_number_answers", "values", FUNCTIONS_LOST),
    Attack("38_huge_numpy_views", "values", {"q1_iv": 0}),
    Attack("40_base_exceptions_in_calls", "exits", FUNCTIONS_LOST),
    Attack("41_systemexit_at_import", "exits", FUNCTIONS_LOST, rule=True),
    Attack("42_systemexit_in_a_call", "exits", {"q1_ii": 0}),
    Attack("43_os_exit_at_import", "exits", FUNCTIONS_LOST, rule=True),
    Attack("44_os_exit_in_the_public_call", "exits"),
    Attack("45_kill_the_launcher", "exits"),
    Attack("46_kill_every_process", "exits"),
    Attack("47_segfault_in_the_public_call", "exits"),
    Attack("48_deep_recursion", "exits"),
    Attack("50_infinite_loop_at_import", "hangs", FUNCTIONS_LOST, rule=True),
    Attack("51_infinite_loop_in_one_call", "hangs"),
    Attack("52_sleep_in_one_call", "hangs"),
    Attack("53_hang_everywhere_ignoring_signals", "hangs", FUNCTIONS_LOST, max_seconds=35),
    Attack("54_busy_threads", "hangs"),
    Attack("60_fork_bomb", "processes"),
    Attack("61_daemon_rewrites_results", "processes", FUNCTIONS_LOST, settle=1.0),
    Attack("62_hidden_daemon", "processes", settle=1.0),
    Attack("63_daemon_holds_the_pipes", "processes", max_seconds=15),
    Attack("64_regain_privileges", "processes"),
    Attack("70_memory_bombs_at_import", "resources"),
    Attack("71_memory_touched_until_refused", "resources"),
    Attack("72_memory_fork_army", "resources"),
    Attack("73_disk_filling", "resources"),
    Attack("74_leave_things_behind", "resources"),
    Attack("80_read_the_casebook", "read", FUNCTIONS_LOST),
    Attack("81_read_the_grader_through_proc", "read", FUNCTIONS_LOST),
    Attack("82_exfiltrate_what_it_read", "read", {**FUNCTIONS_LOST, "q2": 0}),
    Attack("83_echo_hidden_inputs", "read", FUNCTIONS_LOST),
    Attack("84_import_the_autograder", "read"),
    Attack("85_send_inputs_over_the_network", "read"),
    Attack("86_hard_code_the_question", "values", FUNCTIONS_LOST),
    Attack("90_write_everywhere", "write", FUNCTIONS_LOST),
    Attack("100_print_fake_results", "output"),
    Attack("101_flood_stdout", "output", FUNCTIONS_LOST, rule=True),
    Attack("110_megabyte_answer", "answers", {"q1_i": 0}),
    Attack("111_answers_of_wrong_types", "answers", {"q1_i": 0, "q1_iii": 0, "q2": 0}),
    Attack("112_unicode_garbage_answer", "answers", {"q1_iii": 0}),
    Attack("120_non_utf8_source", "file", FUNCTIONS_LOST, encoding="latin-1"),
    Attack("121_nul_byte_source", "file", NOTHING),
    Attack("122_enormous_source", "file", NOTHING, pad_to=2_000_000, rule=True),
    Attack("130_otter_log_pickle", "upload", extra=_pickle_payload),
    Attack("131_shadowing_packages", "upload", extra=_shadow_packages),
    Attack("132_forged_casebook", "upload", NOTHING, extra=_forged_casebook),
    Attack("133_second_python_file", "upload", extra=_second_file, unguarded="zero"),
    Attack("134_file_named_tests", "upload", extra=_tests_file, unguarded="none"),
    Attack("135_notebook_beside_a2", "upload", extra=_notebook),
]

BY_NAME = {attack.name: attack for attack in ATTACKS}


WORLD_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")


def files_owned_by(uids) -> list[str]:
    """Paths owned by any of ``uids`` in world-writable folders (the only places an
    unprivileged sandbox user can create entries), searched independently of the grader's own
    clean-up so the tests do not trust the code they check."""
    found = []
    pending = [folder for folder in WORLD_WRITABLE if os.path.isdir(folder)]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if info.st_uid in uids:
                found.append(entry.path)
            elif entry.is_dir(follow_symlinks=False) and info.st_mode & 0o002:
                pending.append(entry.path)
    return found
