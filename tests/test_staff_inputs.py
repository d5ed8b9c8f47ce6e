"""What `a2 grade` finds in its inputs: Gradescope's export, folders, files (nothing is graded)."""

import zipfile

import pytest
from gradescope_export import make_export

from autograder.staff.inputs import (
    METADATA,
    InputError,
    Submission,
    main_file,
    open_inputs,
    read_metadata,
    unique_names,
)


def test_metadata_with_ruby_keys_tags_and_timestamps_reads_as_plain_data(tmp_path):
    path = tmp_path / METADATA
    path.write_text(
        "submission_17:\n"
        "  :submitters:\n"
        "  - :name: Ada Lovelace\n    :sid: '0042'\n    :email: ada@example.edu\n"
        "  - :name: Alan Turing\n    :sid: 43\n    :email: alan@example.edu\n"
        "  :created_at: 2026-11-20 23:58:01.123456000 +08:00\n"
        "  :zone: !ruby/object:ActiveSupport::TimeZone\n    name: Asia/Singapore\n"
        "  :score: 12.0\n")
    record = read_metadata(path)["submission_17"]
    assert [p["sid"] for p in record["submitters"]] == ["0042", 43]
    assert record["created_at"].startswith("2026-11-20 23:58:01")
    assert record["zone"] == {"name": "Asia/Singapore"}


def test_unreadable_metadata_names_the_file_and_what_to_do(tmp_path):
    path = tmp_path / METADATA
    path.write_text("submission_1: [unclosed\n")
    with pytest.raises(InputError, match="(?s)submission_metadata.yml.*Re-download"):
        read_metadata(path)


@pytest.mark.parametrize("files, chosen, note", [
    (["a2.py", "helper.py"], "a2.py", ""),
    (["A2_final.py"], "A2_final.py", "main file named A2_final.py, graded as a2.py"),
    (["a2_v2.py", "utils.py"], "a2_v2.py", "main file named a2_v2.py"),
    (["src/a2.py"], "src/a2.py", ""),
])
def test_the_main_file_is_a2_py_or_the_one_obvious_candidate(tmp_path, files, chosen, note):
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("X = 1\n")
    path, said = main_file(tmp_path, "a2.py")
    assert path == tmp_path / chosen and note in said and (said == "") == (note == "")


def test_a_folder_without_one_obvious_file_says_what_it_found(tmp_path):
    (tmp_path / "one.py").write_text("")
    (tmp_path / "two.py").write_text("")
    path, why = main_file(tmp_path, "a2.py")
    assert path is None and "found 2 .py files (one.py, two.py)" in why
    assert "rename" in why


def test_the_export_gives_names_groups_notes_and_reports_non_submissions_once(
        tmp_path, example_source):
    export = make_export(tmp_path / "in", example_source)
    for given in (export.zip_path, export.root, export.root.parent):
        if given == export.root.parent:
            export.zip_path.unlink()  # the folder holding the unpacked export
        with open_inputs([given], "a2.py") as inputs:
            names = {s.name: s for s in inputs.submissions}
            assert len(names) == 53  # 54 folders, one holds no Python file
            for sub, people in export.submissions.items():
                if sub in export.no_python:
                    continue
                assert [p.sid for p in names[sub].submitters] == [p[":sid"] for p in people]
            assert all(len(names[g].submitters) > 1 for g in export.groups)
            for sub in export.misnamed:
                assert "A2_final.py" in " ".join(names[sub].notes)
            unlisted = names[export.unlisted[0]]
            assert not unlisted.submitters and "not in submission_metadata.yml" in \
                unlisted.notes[0]
            skipped = {s.path.rsplit("/", 1)[-1]: s.reason for s in inputs.skipped}
            assert set(skipped) == {export.no_python[0], "README.txt"}
            assert "no .py file" in skipped[export.no_python[0]]
    # The zip was unpacked into a temporary folder, removed after the block.
    assert not any(p.exists() for p in inputs.folders if "a2-export-" in str(p))


def test_a_zip_cannot_write_outside_its_folder(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../escaped.py", "X = 1\n")
        zf.writestr("/abs.py", "X = 1\n")
        zf.writestr("ok/a2.py", "X = 1\n")
        zf.writestr("ok/a2.py/inner.py", "X = 2\n")  # clashes with the file: skipped
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("ok/a2.py", "X = 3\n")  # a second entry never overwrites the first
    with open_inputs([archive], "a2.py") as inputs:
        assert inputs.submissions[0].path.read_text() == "X = 1\n"
        assert [s.name for s in inputs.submissions] == ["ok"]
    assert not (tmp_path / "escaped.py").exists()


def test_a_corrupt_zip_is_an_error_naming_it(tmp_path):
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InputError, match="export.zip"), open_inputs([archive], "a2.py"):
        pass


def test_same_names_are_told_apart_by_their_folders(tmp_path):
    found = [Submission("a2", tmp_path / "alice" / "a2.py", origin=str(tmp_path / "alice/a2.py")),
             Submission("a2", tmp_path / "bob" / "a2.py", origin=str(tmp_path / "bob/a2.py")),
             Submission("x y/..", tmp_path / "z.py")]
    names = [s.name for s in unique_names(found)]
    assert names[:2] == ["alice__a2", "bob__a2"] and "/" not in names[2]
