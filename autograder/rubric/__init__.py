"""Short-answer rubric engine: YAML rubrics of concepts, phrasings and guards, marked like a careful
human (stems, typos, synonyms, proximity, negation, actor/action roles, contradictions).

The engine is generic: everything about an assignment lives in its YAML rubrics and calibration
files. This package must not import the grading core or any assignment code.

Public API::

    rubric = load_rubric("solutions/rubrics/q2.yaml")
    result = score_answer(rubric, "VQ-VAE's latent is discrete ...")
    result.score, result.flags, result.student_feedback(), result.staff_feedback()
"""

from .calibrate import (
    CalibrationEntry,
    CalibrationReport,
    calibrate,
    load_calibration,
    quadratic_weighted_kappa,
)
from .engine import ConceptResult, RubricResult, score_answer
from .schema import Concept, Phrasing, Rubric, RubricError, load_rubric

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
