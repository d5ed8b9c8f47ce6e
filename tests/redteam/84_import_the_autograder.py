"""Red team 84_import_the_autograder.

Attack: Import the grader's own package (and read its files) to reach its casebook loader and
the grading data; shadow-import a module named 'autograder'. Then behave.

Deserves: full marks (12): the package is not readable, nothing is gained.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import importlib as _importlib
import importlib.util as _util
import sys as _sys

_loot = []
for _name in ("autograder", "autograder.casebook", "autograder.grade", "autograder.sandbox.runner"):
    try:
        _module = _importlib.import_module(_name)
        _loot.append(_module.__file__)
    except Exception:
        pass
try:
    _spec = _util.find_spec("autograder")
    if _spec and _spec.origin:
        with open(_spec.origin) as _handle:
            _loot.append(_handle.read())
except Exception:
    pass
_sys.modules["autograder"] = type(_sys)("autograder")
