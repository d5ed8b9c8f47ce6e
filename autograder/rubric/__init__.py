"""Short-answer rubric engine: YAML rubrics of concepts, phrasings and guards, marked like a careful
human (stems, typos, synonyms, proximity, negation, actor/action roles, contradictions).

The engine is generic: everything about an assignment lives in its YAML rubrics and calibration
files. This package must not import the grading core or any assignment code.

Public API::

    rubric = load_rubric("solutions/rubrics/q2.yaml")
    result = score_answer(rubric, "VQ-VAE's latent is discrete ...")
    result.score, result.flags, result.student_feedback(), result.staff_feedback()
"""

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

_HOMES = {
    "CalibrationEntry": "calibrate", "CalibrationReport": "calibrate", "calibrate": "calibrate",
    "load_calibration": "calibrate", "quadratic_weighted_kappa": "calibrate",
    "ConceptResult": "engine", "RubricResult": "engine", "score_answer": "engine",
    "Concept": "schema", "Phrasing": "schema", "Rubric": "schema", "RubricError": "schema",
    "load_rubric": "schema",
}
"""Where each public name lives: imported on first use, so that importing one module of the
package (the command line, the engine) does not load the others (calibration needs NumPy)."""

if TYPE_CHECKING:
    from .calibrate import (
        CalibrationEntry,
        CalibrationReport,
        calibrate,
        load_calibration,
        quadratic_weighted_kappa,
    )
    from .engine import ConceptResult, RubricResult, score_answer
    from .schema import Concept, Phrasing, Rubric, RubricError, load_rubric


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


class _Package(ModuleType):
    """This package, keeping ``calibrate`` the function when its module of the same name loads.

    Importing a submodule sets the package's attribute of that name to the module; the public
    name ``calibrate`` has always been the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "calibrate" and isinstance(value, ModuleType):
            value = value.calibrate
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "CalibrationEntry",
    "CalibrationReport",
    "Concept",
    "ConceptResult",
    "Phrasing",
    "Rubric",
    "RubricError",
    "RubricResult",
    "calibrate",
    "load_calibration",
    "load_rubric",
    "quadratic_weighted_kappa",
    "score_answer",
]
