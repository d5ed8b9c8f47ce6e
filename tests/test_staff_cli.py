"""Small things a new user of the `a2` command hit: options after the part, answers starting with
'-', lint stopping at the first error, differing error prefixes, README commands that fail."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
from pathlib import Path

from autograder.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's own errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_rubric_score_takes_options_after_the_part():
    code, out, err = run("rubric", "score", "q2", "--json", "VQ-VAE uses a codebook")
    assert code == 0, err
    assert json.loads(out)["part"] == "q2"


def test_an_answer_beginning_with_a_dash_is_scored():
    code, out, err = run("rubric", "score", "q2", "-codebook", "--student")
    assert code == 0, err and out.startswith("q2: ")
    code, out, _ = run("rubric", "score", "q2", "--", "-codebook")
    assert code == 0 and out.startswith("q2: ")


def test_two_answers_are_refused_with_the_a2_prefix():
    code, _, err = run("rubric", "score", "q2", "one answer", "two")
    assert code == 2 and "a2: error: unrecognized arguments: two" in err


def test_every_command_error_starts_with_a2_error():
    for argv in (["rubric", "score", "nope", "text"], ["review", "/no/such/grades"],
                 ["export", "/no/such/grades"], ["check", "/no/such/a2.py"]):
        code, _, err = run(*argv)
        assert code == 2 and err.strip().splitlines()[-1].startswith("a2: error: "), argv
        assert not re.search(r"^error:", err, re.M), argv
    # Usage mistakes too, with the command named after the prefix (argparse's own would be
    # 'a2 grade: error:').
    for argv, said in ((["grade"], "a2: error: grade: the following arguments are required"),
                       (["review", "--port", "x"], "a2: error: review: argument --port"),
                       (["rubric", "score"], "a2: error: rubric score: the following")):
        code, _, err = run(*argv)
        assert code == 2 and err.strip().splitlines()[-1].startswith(said), (argv, err)


def test_lint_reports_every_error_of_a_rubric_not_only_the_first(tmp_path):
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    shutil.copytree(ROOT / "assignment", tmp_path / "assignment")
    rubric = tmp_path / "solutions" / "rubrics" / "q2.yaml"
    text = rubric.read_text()
    broken = text.replace("  - id: vqvae_discrete\n    marks: 1\n",
                          "  - id: vqvae_discrete\n    marks: one\n", 1)
    broken = broken.replace("  - id: vae_continuous\n    marks: 1\n",
                            "  - id: vae_continuous\n    marks: two\n", 1)
    assert broken.count("marks: one") == broken.count("marks: two") == 1
    rubric.write_text(broken)
    code, _, err = run("rubric", "lint", "--manifest",
                       str(tmp_path / "solutions" / "manifest.yaml"))
    assert code == 1
    assert "'marks' must be a number, got 'one'" in err
    assert "'marks' must be a number, got 'two'" in err
    # Problems at the top of the file are reported with the concepts', not instead of them.
    rubric.write_text(broken.replace("max_marks: 2\n", "max_marks: 2x\ncolour: 1\nsize: 2\n",
                                     1))
    code, _, err = run("rubric", "lint", "--manifest",
                       str(tmp_path / "solutions" / "manifest.yaml"))
    assert code == 1
    for problem in ("unknown key 'colour'", "unknown key 'size'", "'max_marks' must be a number",
                    "got 'one'", "got 'two'"):
        assert problem in err, problem


def test_output_cut_short_by_its_reader_ends_quietly():
    class GoneReader(io.StringIO):  # ``a2 rubric score q2 ... | head -1`` after head exits
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    with contextlib.redirect_stdout(GoneReader()), contextlib.redirect_stderr(err):
        code = main(["rubric", "score", "q2", "--json", "VQ-VAE uses a codebook"])
    assert code == 141 and "Traceback" not in err.getvalue()


def _readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = re.split(r"\s+#\s", line)[0].strip()
            if line.startswith((".venv/bin/a2 ", "a2 ")):
                commands.append(shlex.split(line))
    return commands


def test_readme_commands_name_paths_that_exist_from_the_repository_root():
    commands = _readme_commands()
    assert len(commands) >= 8
    for argv in commands:
        # The README is read from the repository root, where the command is .venv/bin/a2
        # (bare 'a2' is only on the PATH of an activated virtual environment).
        assert argv[0] == ".venv/bin/a2", f"README: {' '.join(argv)}: write .venv/bin/a2"
        sub = argv[1:]
        for arg in sub[1:]:
            if arg.startswith("-") or " " in arg or "/" not in arg and "." not in arg:
                continue
            if arg.startswith(("dist/", "grades")):
                continue  # written by an earlier command of the same walk-through
            assert (ROOT / arg).exists(), f"README: {' '.join(argv)}: {arg} does not exist"
