"""Build what each audience receives: the Otter autograder zip and the student bundle.

``build`` materialises the casebook from the manifest (SymPy references, seeded cases), grades the
manifest's examples with it (reference, stub, the seed's answers ...) and refuses to write
anything if one of them scores off. Then it writes:

* ``dist/autograder.zip`` with ``otter generate``: Otter's own ``run_autograder``/``run_otter.py``,
  an ``otter_config.json`` naming our plugin, one placeholder test file per part, a wheel of this
  package (installed into Gradescope's image from ``environment.yml``) and the grading data;
* ``dist/student/`` and ``dist/a2-student.zip`` (written by ``student_bundle.py``): the stub,
  the questions, a README, a public casebook, a ``check.py`` that runs the same grading core on
  the public cases, and Otter public tests.

This module may run pip and otter as subprocesses; it never imports a submission.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .casebook import CASEBOOK_FILE, materialise, public_view, write_grading_data
from .grade import GradeResult, grade_file
from .manifest import Manifest, load_manifest
from .student_bundle import CHECK_PY, public_otter_tests, write_student_folder  # noqa: F401
from .upload import DATA_FOLDER

PLUGIN = "autograder.otter_plugin.IsolatedGrading"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
GRADESCOPE_PYTHON = "3.13"


class BuildError(Exception):
    """The build refused to write its output; the message says why and what to fix."""


@dataclass
class BuildReport:
    """What a build checked and wrote."""

    checks: list[tuple[str, GradeResult, list[str]]] = field(default_factory=list)
    """(example name, its result, problems) for every example graded."""
    zip_path: Path | None = None
    student_zip: Path | None = None


def _say(progress, message: str) -> None:
    if progress:
        progress(message)


def require_clean_rubrics(manifest_path: Path, progress=None) -> None:
    """Lint every rubric the manifest names; raise BuildError on errors, show warnings.

    A rubric that ``a2 rubric lint`` rejects (marks above the part's, a phrasing that cannot
    match) must never reach a zip or mark a class: instructors' commands stop here first.
    """
    from .rubric.lint import lint_manifest

    issues = lint_manifest(manifest_path)
    for issue in issues:
        if issue.level != "error":
            _say(progress, str(issue))
    errors = [str(issue) for issue in issues if issue.level == "error"]
    if errors:
        raise BuildError("the rubrics have errors; fix them (a2 rubric lint shows the same):\n"
                         + "\n".join(f"  {e}" for e in errors))


def check_examples(manifest: Manifest, casebook: dict, data_dir: Path,
                   progress=None) -> list[tuple[str, GradeResult, list[str]]]:
    """Grade each example of the manifest; return results with the problems found."""
    checks = []
    with tempfile.TemporaryDirectory(prefix="a2-examples-") as tmp:
        for example in manifest.examples:
            path = Path(tmp) / example.name / manifest.submission
            path.parent.mkdir()
            path.write_bytes(example.source())
            result = grade_file(path, casebook, data_dir)
            result.submission = example.name
            problems = []
            if example.total is not None and abs(result.score - example.total) > 1e-9:
                problems.append(f"scored {result.score:g}, expected {example.total:g}")
            if example.min_total is not None and result.score < example.min_total - 1e-9:
                problems.append(f"scored {result.score:g}, expected at least "
                                f"{example.min_total:g}")
            for part_id, want in example.parts.items():
                got = result.part(part_id).score
                if abs(got - float(want)) > 1e-9:
                    problems.append(f"{part_id} scored {got:g}, expected {float(want):g}")
            if problems:
                # Say where the marks went, not only the total: the part and its feedback.
                expected = example.parts
                for part in result.parts:
                    if part.id in expected or part.score >= part.marks:
                        continue
                    why = " ".join(part.feedback.split())[:160]
                    problems.append(f"{part.id} {part.score:g}/{part.marks:g} ({why})")
            checks.append((example.name, result, problems))
            status = "ok" if not problems else "OFF: " + "; ".join(problems)
            _say(progress, f"  example {example.name:<12} {result.score:g}/"
                           f"{result.possible:g}  {status}")
    return checks


def _placeholder_tests(manifest: Manifest, folder: Path) -> None:
    """One Otter test file per part, so Otter's own summary lists every part.

    Their bodies never look at the submission (which is not in the kernel); the plugin
    replaces the scores Otter would compute from them.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for part in manifest.parts:
        (folder / f"{part.id}.py").write_text(
            "OK_FORMAT = False\n\n"
            "from otter.test_files import test_case\n\n"
            f"name = {part.id!r}\n"
            f"points = {part.marks!r}\n\n\n"
            f"@test_case(points={part.marks!r}, hidden=True)\n"
            "def graded_in_sandbox(env):\n"
            "    \"\"\"Scored by autograder.otter_plugin from the sandboxed run.\"\"\"\n",
            encoding="utf-8")


def build_wheel(out: Path) -> Path:
    """A wheel of this package (engine only: no solutions, cases or rubrics inside)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.whl"):
        old.unlink()
    # Built from a private copy of the package's sources: setuptools writes its egg-info and
    # build folders beside the sources, and two builds from one checkout at once (two staff,
    # two test workers) would otherwise write the same files.
    with tempfile.TemporaryDirectory(prefix="a2-wheel-") as tmp:
        source = Path(tmp) / "src"
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(PACKAGE_ROOT / name, source / name)
        shutil.copytree(PACKAGE_ROOT / "autograder", source / "autograder",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
             "-w", str(out), str(source)],
            capture_output=True, text=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(FIXED_EPOCH)})
    wheels = list(out.glob("a2_autograder-*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        raise BuildError(f"building the wheel failed:\n{done.stdout}\n{done.stderr}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        leaked = [n for n in wheel.namelist() if n.endswith((".yaml", CASEBOOK_FILE))]
    if leaked:
        raise BuildError(f"the wheel would carry grading data: {leaked}")
    return wheels[0]


def build(manifest_path: Path, out: Path, *, progress=None, student: bool = True) -> BuildReport:
    """Check the examples, then write the autograder zip (and the student bundle)."""
    manifest = load_manifest(manifest_path)
    require_clean_rubrics(manifest_path, progress)
    report = BuildReport()
    out = Path(out).resolve()
    _say(progress, f"deriving references and cases from {manifest.path.parent.name}/ ...")
    casebook = materialise(manifest)
    with tempfile.TemporaryDirectory(prefix="a2-build-") as tmp:
        stage = Path(tmp)
        data_dir = write_grading_data(manifest, casebook, stage / "files" / DATA_FOLDER)
        _say(progress, "grading the manifest's examples ...")
        report.checks = check_examples(manifest, casebook, data_dir, progress)
        off = [(name, problems) for name, _, problems in report.checks if problems]
        if off:
            lines = "\n".join(f"  {name}: {'; '.join(problems)}" for name, problems in off)
            raise BuildError("refusing to write a zip: these examples score off\n" + lines +
                             "\nfix the reference, the rubric or the example's expectation in "
                             f"{manifest.path}")
        _say(progress, "building the wheel ...")
        wheel = build_wheel(stage / "files")
        files = stage / "files"
        _placeholder_tests(manifest, files / "tests")
        (files / "otter_config.json").write_text(json.dumps({
            "plugins": [PLUGIN],
            "print_summary": True,
            "show_stdout": False,
        }, indent=2), encoding="utf-8")
        (files / "requirements.txt").write_text(
            "".join(f"{pin}\n" for pin in pinned_requirements())
            + f"/autograder/source/files/{wheel.name}\n", encoding="utf-8")
        # otter generate packs FILES from the folder it runs in; keep its own inputs out.
        inputs = stage / "inputs"
        inputs.mkdir()
        for name in ("tests", "otter_config.json", "requirements.txt"):
            shutil.move(files / name, inputs / name)
        out.mkdir(parents=True, exist_ok=True)
        zip_path = out / "autograder.zip"
        _say(progress, "running otter generate ...")
        _generate_from(inputs, files, zip_path)
        report.zip_path = zip_path
    if student:
        report.student_zip = build_student_bundle(manifest, casebook, out)
    return report


def _generate_from(inputs: Path, files: Path, zip_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "otter", "generate",
         "-t", str(inputs / "tests"), "-o", str(zip_path),
         "-c", str(inputs / "otter_config.json"), "-r", str(inputs / "requirements.txt"),
         "--no-environment", "--python-version", GRADESCOPE_PYTHON,
         *sorted(p.name for p in files.iterdir())],
        cwd=files, capture_output=True, text=True)
    if done.returncode != 0 or not zip_path.is_file():
        raise BuildError(f"otter generate failed:\n{done.stdout}\n{done.stderr}")
    _guard_entry_point(zip_path)
    normalise_zip(zip_path)
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
    top_py = [n for n in names if n.startswith("files/") and n.count("/") == 1
              and n.endswith(".py")]
    if top_py or "run_otter.py" not in names:
        raise BuildError(f"the zip is malformed (top-level .py support files {top_py} break "
                         "Otter's submission pickup)")


RUN_OTTER = '''"""Runs Otter-Grader's autograding process (Otter's template, guarded by a2).

Otter's own run_autograder grades, with the a2 plugin. The guard around it first moves aside
uploads that would crash Otter before any plugin runs (a file named 'tests', a second .py file,
a notebook), and writes a complete results.json if Otter still ends without one.
"""

try:
    from autograder.otter_plugin import run_gradescope
except ImportError:  # the a2 package did not install: Otter's template, unguarded
    run_gradescope = None

if __name__ == "__main__":
    if run_gradescope is not None:
        run_gradescope({directory!r})
    else:
        from otter.run.run_autograder import main as run_autograder

        run_autograder({directory!r})
'''


FIXED_EPOCH = 315532800
"""1980-01-01, the earliest time a zip can hold: every entry of what the build writes carries it,
so the same sources give the same bytes."""
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def normalise_zip(zip_path: Path) -> None:
    """Rewrite a zip with entries sorted by name, fixed times and fixed modes (executables keep
    their execute bits; Otter writes none, and Gradescope runs its scripts as they come):
    byte-reproducible from the same contents."""
    with zipfile.ZipFile(zip_path) as zf:
        entries = sorted(((info, zf.read(info)) for info in zf.infolist()
                          if not info.is_dir()), key=lambda item: item[0].filename)
    staging = zip_path.with_name(f".{zip_path.name}.{os.getpid()}")
    with zipfile.ZipFile(staging, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            executable = (info.external_attr >> 16) & 0o111
            fixed.external_attr = (0o100755 if executable else 0o100644) << 16
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            zf.writestr(fixed, data, compresslevel=9)
    os.replace(staging, zip_path)


def pinned_requirements() -> list[str]:
    """The grading-time dependencies at the versions this build ran and checked its examples
    with: an image rebuilt months later installs the same ones."""
    from importlib import metadata

    pins = []
    for requirement in metadata.requires("a2-autograder") or []:
        if "extra ==" in requirement:
            continue
        name = re.split(r"[<>=!~; \[]", requirement, maxsplit=1)[0]
        pins.append(f"{name}=={metadata.version(name)}")
    return sorted(pins, key=str.lower)


def _guard_entry_point(zip_path: Path) -> None:
    """Replace the zip's run_otter.py with the guarded one, keeping Otter's autograder folder."""
    with zipfile.ZipFile(zip_path) as zf:
        entries = [(info, zf.read(info)) for info in zf.infolist()]
    original = next(data for info, data in entries if info.filename == "run_otter.py").decode()
    match = re.search(r"""run_autograder\((['"])(?P<dir>[^'"]+)\1\)""", original)
    if not match:
        raise BuildError("run_otter.py from otter generate has an unexpected form; "
                         "this build knows Otter-Grader 7.0.0's")
    guarded = RUN_OTTER.format(directory=match.group("dir"))
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, guarded.encode() if info.filename == "run_otter.py" else data)


def build_student_bundle(manifest: Manifest, casebook: dict, out: Path) -> Path:
    """Write ``out/student`` and ``out/a2-student.zip``; return the zip's path."""
    folder = out / "student"
    write_student_folder(casebook, public_view(casebook), manifest.path.parent.parent /
                         "assignment", Path(__file__).resolve().parent, folder)
    zip_path = out / "a2-student.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    normalise_zip(zip_path)
    return zip_path
