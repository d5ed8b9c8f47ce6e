"""Red team 80_read_the_casebook.

Attack: Look for the grader's data everywhere it might be (the zip's casebook, rubrics and tests,
the submission folder's copy, the installed package, a source checkout's solutions and
cache) and answer from whatever it can read; else answer -1.

Deserves: the short answers only (8): none of it is readable.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import glob as _glob
import json as _json
import os as _os

_found = {}
_places = ["/autograder/source/files/a2-grading/casebook.json",
           "/autograder/submission/a2-grading/casebook.json",
           "/autograder/source/tests/q1_ii.py", "/autograder/source/files/a2-grading/rubrics"]
_places += _glob.glob("/work/*/solutions/*.py") + _glob.glob("/work/*/.a2cache/*/casebook.json")
_places += _glob.glob("/tmp/pytest-of-*/*/*/a2-grading/casebook.json")
for _path in _places:
    try:
        with open(_path) as _handle:
            _found[_path] = _handle.read()
    except OSError:
        pass
_answers = {}
for _text in _found.values():
    try:
        for _part in _json.loads(_text)["parts"]:
            for _group in _part.get("groups", []):
                for _case in _group["cases"]:
                    _answers[repr(_case["args"])] = _case["expected"]
    except (ValueError, KeyError, TypeError):
        pass


def receptive_field(layers):
    return _answers.get(repr([[list(l) for l in layers]]), -1)


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return _answers.get(repr([[list(r) for r in x], [list(r) for r in kernel]]), [[-1]])
