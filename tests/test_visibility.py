"""What students see at once on Gradescope depends on nothing they cannot see.

Gradescope shows a student, before grades are published, exactly the fields marked visible: the
top-level ``output`` (when the top-level ``visibility`` is visible), each test whose
``visibility`` is ``visible``, ``execution_time``, and stdout when ``stdout_visibility`` is
visible. If any of these moved with a hidden case or a short answer, a student could probe the
hidden cases or the rubric by resubmitting. The tests here are differential: files that differ
only in hidden behaviour or in their short answers must give byte-identical visible fields.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.grade import grade_file
from autograder.render import to_gradescope

EXAMPLES = ["reference", "stub", "seed", "q1_iv_wrong"]


def visible_fields(results: dict) -> str:
    """Everything in a results.json that a student sees before publication, as one string
    (the rule is Gradescope's specification, written out here independently of render.py)."""
    view = {"execution_time": results.get("execution_time"),
            "tests": [test for test in results.get("tests", [])
                      if test.get("visibility", "visible") == "visible"]}
    if results.get("visibility", "visible") == "visible":
        view["output"] = results.get("output")
    if results.get("stdout_visibility") == "visible":
        view["stdout_visibility"] = "visible"
    return json.dumps(view, sort_keys=True)


def _public_args(casebook: dict) -> dict[str, list]:
    """The inputs of each function's public cases, as [args, kwargs] pairs."""
    found: dict[str, list] = {}
    for part in casebook["parts"]:
        for group in part.get("groups", []):
            if group["visibility"] == "public":
                found.setdefault(part["function"], []).extend(
                    [case["args"], case["kwargs"]] for case in group["cases"])
    return found


def hidden_variant(casebook: dict, behaviour: str) -> bytes:
    """Code appended to a file: every function keeps its behaviour on the public inputs and
    changes it on every other input ('wrong': a wrong value; 'hang': never returns). It uses
    no library and no patchable builtin, so files that patch them still get a faithful
    variant."""
    act = {"wrong": "return 0", "hang": "while True:\n                pass"}[behaviour]
    return f'''

def _vis_plain(value):
    if getattr(value, "tolist", None) is not None:
        value = value.tolist()
    if type(value) in (list, tuple):
        return [_vis_plain(item) for item in value]
    return value

def _vis_wrap(name, public):
    original = globals().get(name)
    def wrapped(*args, **kwargs):
        if [_vis_plain(args), {{k: _vis_plain(v) for k, v in kwargs.items()}}] not in public:
            {act}
        return original(*args, **kwargs)
    if original is not None:
        globals()[name] = wrapped

for _vis_name, _vis_public in {_public_args(casebook)!r}.items():
    _vis_wrap(_vis_name, _vis_public)
'''.encode()


def answers_variant(casebook: dict) -> bytes:
    """Code appended to a file: every short answer replaced by a different one."""
    lines = ["\n"]
    for index, part in enumerate(p for p in casebook["parts"] if p["kind"] == "text"):
        text = ["", "Downsampling and upsampling.", "The discriminator generates images "
                "and the generator judges them in a minimax game.", "I do not know."][index % 4]
        lines.append(f"{part['variable']} = {text!r}\n")
    return "".join(lines).encode()


def _fast(casebook: dict) -> dict:
    """The casebook with shorter time limits, for files whose only slow part is a hang (hang
    variants would otherwise take minutes). Memory attacks keep the real limits: under short
    ones, whether memory or time runs out first changes from run to run."""
    fast = dict(casebook)
    fast["limits"] = {**casebook["limits"], "call_seconds": 1.5, "import_seconds": 3,
                      "submission_seconds": 5}
    return fast


def _roomy(casebook: dict) -> dict:
    """The casebook with long time limits, for files that exhaust memory or disk: whatever the
    load beside them, the memory or the disk runs out first, never the time (under the real
    limits a loaded machine turned 71_memory_touched_until_refused's refusal into a timeout in
    one of its two runs). None of them reaches a time limit when the machine is idle."""
    roomy = dict(casebook)
    roomy["limits"] = {**casebook["limits"], "call_seconds": 20, "import_seconds": 20,
                       "submission_seconds": 60}
    return roomy


def _visible(source: bytes, casebook: dict, grading_data, folder) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "a2.py"
    path.write_bytes(source)
    return visible_fields(to_gradescope(grade_file(path, casebook, grading_data), 1.0))


def test_the_visible_summary_shows_no_total(grade_source, example_source):
    results = to_gradescope(grade_source(example_source("q1_iv_wrong")), 2.5)
    assert results["visibility"] == "visible"
    assert "/ 12" not in results["output"] and "10" not in results["output"]
    assert "q1_ii right" in results["output"] and "q1_iv wrong" in results["output"]
    assert "execution_time" not in results
    assert results["extra_data"]["execution_time"] == 2.5


def test_public_calls_run_before_hidden_ones(casebook):
    from autograder.grade import plan_calls

    _, calls = plan_calls(casebook)
    kinds = ["public" if "/question/" in call.id else "hidden" for call in calls]
    assert kinds == sorted(kinds, key=lambda kind: kind != "public")
    assert kinds.count("public") >= 2


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_differing_only_in_hidden_behaviour_or_answers_look_the_same(
        name, casebook, grading_data, example_source, tmp_path):
    fast = _fast(casebook)
    base = example_source(name)
    sources = {"base": base, "answers": base + answers_variant(casebook),
               "wrong": base + hidden_variant(casebook, "wrong"),
               "hang": base + hidden_variant(casebook, "hang")}
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        seen = dict(zip(sources, pool.map(
            lambda label: _visible(sources[label], fast, grading_data, tmp_path / label),
            sources), strict=True))
    for label, view in seen.items():
        assert view == seen["base"], f"{name}: the {label} variant changes what students see"


@pytest.mark.slow
def test_the_hang_variant_really_changes_hidden_marks(casebook, grading_data, example_source,
                                                      tmp_path):
    """The differential test above only means something if the variants change hidden marks."""
    path = tmp_path / "a2.py"
    path.write_bytes(example_source("reference") + hidden_variant(casebook, "hang"))
    result = grade_file(path, _fast(casebook), grading_data)
    # The public cases stay right (and carry no marks); every hidden mark is lost.
    assert result.part("q1_ii").score == 0 and result.part("q1_iv").score == 0
    assert result.part("q1_ii").groups[0].passed == 1 and result.part("q1_iv").groups[0].passed == 1


@pytest.mark.slow
def test_red_team_files_differing_only_in_hidden_behaviour_or_answers_look_the_same(
        casebook, grading_data, tmp_path):
    from redteam_catalog import ATTACKS

    # The manifest's own limits, except for hangs (which only need some limit to be hit):
    # shorter ones make attacks that race two limits (memory against time) end differently
    # from run to run, whatever the variant.
    # One variant per attack changes both its hidden behaviour and every short answer (the
    # examples above change them one at a time): a visible field that moved with either moves
    # here, and the catalogue's runs stay two per attack, not three.
    def view(attack, label: str) -> str:
        base = attack.source()
        source = {"base": base, "hidden and answers": base + hidden_variant(casebook, "wrong")
                  + answers_variant(casebook)}[label]
        book = {"hangs": _fast, "resources": _roomy}.get(attack.kind, dict)(casebook)
        return _visible(source, book, grading_data, tmp_path / attack.name / label.split()[0])

    labels = ["base", "hidden and answers"]
    # Where a file that hangs everywhere, ignoring signals, runs out of its time budget depends
    # on the load (seen once under a loaded make test): it runs alone. So do the memory and
    # disk attacks: run four at a time beside the others, 71_memory_touched_until_refused once
    # looked different in its two variants (a fresh clone's make test, 2026-12-02; not
    # reproduced in 30 runs after), and the sandbox's memory budget counts proportional
    # resident memory, which depends on the processes sharing its pages.
    alone = [attack for attack in ATTACKS if attack.kind == "resources"
             or attack.name == "53_hang_everywhere_ignoring_signals"]
    together = [(a, label) for a in ATTACKS if a not in alone for label in labels]
    with ThreadPoolExecutor(max_workers=4) as pool:
        views = dict(zip([(a.name, label) for a, label in together],
                         pool.map(lambda job: view(*job), together), strict=True))
    views.update({(a.name, label): view(a, label) for a in alone for label in labels})
    problems = []
    for attack in ATTACKS:
        changed = [label for label in labels
                   if views[attack.name, label] != views[attack.name, "base"]]
        if changed:
            problems.append(f"{attack.name}: {', '.join(changed)}")
    assert not problems, "visible fields change with hidden behaviour or answers:\n" + \
        "\n".join(problems)
