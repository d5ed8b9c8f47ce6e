"""a2 build: it checks the examples first, then writes a zip Otter and Gradescope can use."""

import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from autograder.build import BuildError, build

ROOT = Path(__file__).resolve().parents[1]


def test_build_checks_every_example_before_writing(built):
    names = {name: (result.score, problems) for name, result, problems in built.checks}
    assert names["reference"] == (12, [])
    assert names["stub"] == (0, [])
    assert names["seed"][0] >= 11.5 and names["seed"][1] == []
    assert names["q1_iv_wrong"] == (10, [])


def test_zip_has_otters_entry_points_our_plugin_and_no_top_level_py(built):
    with zipfile.ZipFile(built.zip_path) as zf:
        names = set(zf.namelist())
        config = json.loads(zf.read("otter_config.json"))
        environment = zf.read("environment.yml").decode()
    assert {"run_autograder", "run_otter.py", "setup.sh", "environment.yml"} <= names
    with zipfile.ZipFile(built.zip_path) as zf:
        run_otter = zf.read("run_otter.py").decode()
    # Otter's run_autograder still grades; the guard only keeps results complete.
    assert "run_gradescope('/autograder')" in run_otter
    assert "from otter.run.run_autograder import main" in run_otter
    assert config["plugins"] == ["autograder.otter_plugin.IsolatedGrading"]
    assert {f"tests/{p}.py" for p in ("q1_i", "q1_ii", "q1_iii", "q1_iv", "q2", "q3")} <= names
    assert not [n for n in names if n.startswith("files/") and n.count("/") == 1
                and n.endswith(".py")]
    wheel = next(n for n in names if n.endswith(".whl"))
    # The image installs our wheel from the zip: this project is on no package index.
    assert f"/autograder/source/files/{Path(wheel).name}" in environment
    assert "python=3.13" in environment
    assert "files/a2-grading/casebook.json" in names
    assert {f"files/a2-grading/rubrics/{p}.yaml" for p in ("q1_i", "q1_iii", "q2", "q3")} \
        <= names


def test_the_wheel_installs_alone_and_carries_no_grading_data(built, tmp_path):
    with zipfile.ZipFile(built.zip_path) as zf:
        wheel_name = next(n for n in zf.namelist() if n.endswith(".whl"))
        zf.extract(wheel_name, tmp_path)
        with zipfile.ZipFile(tmp_path / wheel_name) as wheel:
            contents = wheel.namelist()
    assert "autograder/sandbox/harness.py" in contents
    assert "autograder/otter_plugin.py" in contents
    assert not [n for n in contents if n.endswith((".yaml", "casebook.json"))]
    assert not [n for n in contents if n.startswith("solutions/")]
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    done = subprocess.run([env / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps",
                           "--no-index", tmp_path / wheel_name], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([env / "bin" / "python", "-c",
                           "import autograder.sandbox.runner, autograder.casebook"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_student_bundle_holds_public_cases_only(built, casebook):
    folder = built.student_zip.parent / "student"
    with zipfile.ZipFile(built.student_zip) as zf:
        names = set(zf.namelist())
        everything = b"".join(zf.read(n) for n in names)
    assert {"a2.py", "QUESTIONS.md", "check.py", "public/casebook.json"} <= names
    public = json.loads((folder / "public" / "casebook.json").read_text())
    for part in public["parts"]:
        assert "rubric" not in part
        for group in part.get("groups", []):
            assert group["visibility"] == "public" or group["cases"] == []
    assert not [n for n in names if "rubric" in n and n.endswith(".yaml")]
    # No hidden expected value travels in the bundle.
    hidden = [json.dumps(c["expected"]) for p in casebook["parts"] for g in p.get("groups", [])
              if g["visibility"] == "hidden" for c in g["cases"]]
    long_ones = [h for h in hidden if len(h) > 40]
    assert long_ones and not any(h.encode() in everything for h in long_ones)


def test_student_check_runs_from_the_bundle(built):
    folder = built.student_zip.parent / "student"
    done = subprocess.run([sys.executable, "check.py", "a2.py"], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # the stub fails its public checks
    assert "0 of 2 public checks right" in done.stdout and "not implemented yet" in done.stdout
    assert "marked after you submit" in done.stdout


def _copy_solutions(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    shutil.copytree(ROOT / "assignment", tmp_path / "assignment")
    return tmp_path / "solutions" / "manifest.yaml"


@pytest.mark.slow  # derives the references and grades the examples
def test_build_refuses_a_broken_reference(tmp_path):
    manifest = _copy_solutions(tmp_path)
    derivations = manifest.parent / "derivations.py"
    derivations.write_text(derivations.read_text() + "\n\n_right = receptive_field\n\n"
                           "def receptive_field(layers):\n"
                           "    return _right(layers) + (len(layers) > 3)\n")
    with pytest.raises(BuildError, match="reference: .*expected 12"):
        build(manifest, tmp_path / "dist")
    assert not (tmp_path / "dist" / "autograder.zip").exists()


@pytest.mark.slow  # derives the references and grades the examples
def test_build_refuses_a_rubric_that_fails_the_seed(tmp_path):
    manifest = _copy_solutions(tmp_path)
    example = manifest.parent / "examples" / "seed_answers.py"
    example.write_text(example.read_text() + "\nQ3 = 'GANs are neural networks.'\n")
    with pytest.raises(BuildError, match="seed: scored"):
        build(manifest, tmp_path / "dist", student=False)


@pytest.mark.slow
def test_students_can_check_with_otter_itself(built, tmp_path):
    folder = built.student_zip.parent / "student"
    otter = [sys.executable, "-m", "otter", "check"]
    good = tmp_path / "good" / "a2.py"
    good.parent.mkdir()
    good.write_text((ROOT / "solutions" / "a2.py").read_text())
    done = subprocess.run([*otter, str(good), "-t", str(folder / "tests")], cwd=good.parent,
                          capture_output=True, text=True, timeout=300)
    assert "All tests passed!" in done.stdout, done.stdout + done.stderr
    stub = tmp_path / "stub" / "a2.py"
    stub.parent.mkdir()
    stub.write_text((folder / "a2.py").read_text())
    done = subprocess.run([*otter, str(stub), "-t", str(folder / "tests")], cwd=stub.parent,
                          capture_output=True, text=True, timeout=300)
    assert "NotImplementedError" in done.stdout and "All tests passed!" not in done.stdout


def _break_q2_rubric(manifest: Path) -> Path:
    """Give Q2's first concept 1.5 marks: the rubric's concepts then add up to 2.5 on a 2-mark
    part, which a2 rubric lint rejects."""
    rubric = manifest.parent / "rubrics" / "q2.yaml"
    text = rubric.read_text()
    rubric.write_text(text.replace("  - id: vqvae_discrete\n    marks: 1\n",
                                   "  - id: vqvae_discrete\n    marks: 1.5\n", 1))
    assert rubric.read_text() != text
    return rubric


@pytest.mark.slow  # derives the references and grades the examples
def test_build_refuses_a_rubric_that_lint_rejects_and_names_the_file(tmp_path):
    manifest = _copy_solutions(tmp_path)
    rubric = _break_q2_rubric(manifest)
    with pytest.raises(BuildError, match="rubrics have errors") as caught:
        build(manifest, tmp_path / "dist", student=False)
    assert str(rubric) in str(caught.value) and ".a2cache" not in str(caught.value)
    assert not (tmp_path / "dist" / "autograder.zip").exists()


def test_grade_refuses_to_mark_anyone_with_a_broken_rubric(tmp_path):
    manifest = _copy_solutions(tmp_path)
    _break_q2_rubric(manifest)
    submission = tmp_path / "subs" / "a2.py"
    submission.parent.mkdir()
    submission.write_text((ROOT / "solutions" / "a2.py").read_text())
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submission.parent),
                           "--manifest", str(manifest), "-o", str(tmp_path / "grades")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode != 0
    assert "rubrics have errors" in done.stderr and "nothing was graded" in done.stderr
    assert not (tmp_path / "grades" / "grades.csv").exists()


@pytest.mark.slow  # derives the references and grades the examples
def test_an_example_that_scores_off_names_the_part_and_why(tmp_path):
    manifest = _copy_solutions(tmp_path)
    example = manifest.parent / "examples" / "seed_answers.py"
    example.write_text(example.read_text() + "\nQ3 = 'GANs are neural networks.'\n")
    with pytest.raises(BuildError, match=r"q3 0(\.5)?/3 \(") as caught:
        build(manifest, tmp_path / "dist", student=False)
    assert "q1_i" not in str(caught.value).split("examples score off")[1].split("fix")[0]


def test_check_py_on_an_older_python_blames_the_python_not_the_file(built):
    folder = built.student_zip.parent / "student"
    pretend = ("import sys; sys.version_info = (3, 10, 12, 'final', 0); "
               "sys.argv = ['check.py', 'a2.py']; "
               f"exec(compile(open({str(folder / 'check.py')!r}).read(), 'check.py', 'exec'), "
               "{'__name__': '__main__', '__file__': " + repr(str(folder / "check.py")) + "})")
    done = subprocess.run([sys.executable, "-c", pretend], cwd=folder, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "needs Python 3.11 or newer" in done.stderr and "3.10.12" in done.stderr
    assert "submission" not in done.stderr


@pytest.mark.slow
def test_the_same_sources_build_the_same_bytes_with_pinned_versions(built, tmp_path):
    from importlib import metadata

    again = build(ROOT / "solutions" / "manifest.yaml", tmp_path / "again")
    assert again.zip_path.read_bytes() == built.zip_path.read_bytes()
    assert again.student_zip.read_bytes() == built.student_zip.read_bytes()
    with zipfile.ZipFile(built.zip_path) as zf:
        environment = zf.read("environment.yml").decode()
        modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in zf.infolist()}
    for name in ("numpy", "pyyaml", "rapidfuzz", "snowballstemmer"):
        assert f"{name}=={metadata.version(name)}" in environment, environment
    assert set(modes.values()) <= {0o644, 0o755}
