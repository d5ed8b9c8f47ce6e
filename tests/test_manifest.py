"""The manifest: the assignment's facts live in data, and mistakes in it are named clearly."""

from pathlib import Path

import pytest

from autograder.manifest import ManifestError, load_manifest

ROOT = Path(__file__).resolve().parents[1]


def test_the_assignment_has_six_parts_and_twelve_marks(manifest):
    assert [p.id for p in manifest.parts] == ["q1_i", "q1_ii", "q1_iii", "q1_iv", "q2", "q3"]
    assert [p.marks for p in manifest.parts] == [2, 2, 1, 2, 2, 3]
    assert manifest.marks == 12


def test_function_parts_check_the_question_in_public_and_mark_it_on_hidden_siblings(manifest):
    for part_id in ("q1_ii", "q1_iv"):
        part = manifest.part(part_id)
        assert [g.visibility for g in part.groups] == ["public", "hidden", "hidden"]
        assert [g.id for g in part.groups] == ["question", "siblings", "general"]
        # The question's own case carries no mark: its answer is printed in the question.
        assert [g.marks for g in part.groups] == [0, 1, 1]


def _write(tmp_path, text):
    path = tmp_path / "manifest.yaml"
    path.write_text(text)
    return path


def test_group_marks_must_add_up_to_the_part(tmp_path):
    text = (ROOT / "solutions" / "manifest.yaml").read_text().replace(
        "        visibility: hidden\n        marks: 1\n        generator: receptive_field_general",
        "        visibility: hidden\n        marks: 2\n        generator: receptive_field_general")
    path = _write(tmp_path, text.replace("examples/", str(ROOT / "solutions/examples") + "/")
                  .replace("files: [a2.py", f"files: [{ROOT / 'solutions/a2.py'}")
                  .replace("../assignment", str(ROOT / "assignment")))
    with pytest.raises(ManifestError, match=r"q1_ii.*add up to 3.*has 2"):
        load_manifest(path)


def test_unknown_kind_and_missing_entries_are_named(tmp_path):
    with pytest.raises(ManifestError, match="needs a 'parts' entry"):
        load_manifest(_write(tmp_path, "assignment: x\n"))
    with pytest.raises(ManifestError, match="kind must be one of"):
        load_manifest(_write(tmp_path, "references: r.py\ncases: c.py\nparts:\n"
                                       "  - {id: a, kind: essay, marks: 1}\n"))


def test_bad_limits_are_rejected(tmp_path):
    with pytest.raises(ManifestError, match="unknown limit"):
        load_manifest(_write(tmp_path, "references: r.py\ncases: c.py\nparts: []\n"
                                       "limits: {call_secs: 3}\n"))


def test_missing_manifest_says_what_to_do(tmp_path):
    with pytest.raises(ManifestError, match="--manifest"):
        load_manifest(tmp_path / "nope.yaml")


def test_every_problem_is_named_at_once_with_its_line_and_fix(tmp_path):
    text = (ROOT / "solutions" / "manifest.yaml").read_text()
    text = (text.replace("compare: {kind: integer}", "compare: {kind: integer, tol: 2}")
                .replace("seed: 6126", "seed: yes")
                .replace("        visibility: hidden\n        marks: 1\n        generator: "
                         "receptive_field_general",
                         "        visiblity: hidden\n        marks: 1\n        generator: "
                         "receptive_field_general"))
    path = _write(tmp_path, text + "\nshow_outptu: true\n")
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    lines = str(caught.value).splitlines()
    numbered = text.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, line in enumerate(numbered, 1) if fragment in line)

    expected = {
        f"manifest.yaml:{line_of('seed: yes')}: seed:",
        f"manifest.yaml:{line_of('tol: 2')}: part q1_ii, compare: unknown key 'tol'",
        f"manifest.yaml:{line_of('visiblity: hidden')}: part q1_ii, groups[2]: unknown key "
        "'visiblity'",
        "part q1_ii, groups[2]: needs a 'visibility' entry",
        "the manifest: unknown key 'show_outptu'; remove it or fix its spelling",
    }
    for fragment in expected:
        assert any(fragment in line for line in lines), (fragment, lines)
    assert "known: id, title, visibility, marks, generator, step" in str(caught.value)


def test_a_valid_manifest_with_an_unknown_top_level_key_is_refused(tmp_path):
    path = _write(tmp_path, "references: r.py\ncases: c.py\nparts: []\nrubrics_dir: x\n")
    with pytest.raises(ManifestError, match=r"manifest.yaml:4: the manifest: unknown key "
                                            r"'rubrics_dir'"):
        load_manifest(path)
