"""Small helpers every front door shares: atomic writes and rounding marks.

Kept here so that there is one way to write a file nobody may see half-written (results.json on
Gradescope, grades.csv, a rubric's calibration record) and one way to round a mark to the steps a
part is marked in. This module imports nothing from the rest of the package and touches only the
paths it is given.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

DIGITS = 6
"""Marks are kept to this many decimals, so sums of halves and thirds compare exactly."""


def write_atomic(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader sees the old file or the new one, never half of either; if writing fails the
    temporary file is removed and ``path`` is untouched.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out" / "grades.csv"
    >>> write_atomic(target, "id,score\\n")
    >>> target.read_text()
    'id,score\\n'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def round_marks(value: float) -> float:
    """A mark as stored and shown: rounded to :data:`DIGITS` decimals.

    >>> round_marks(0.1 + 0.2)
    0.3
    """
    return round(value, DIGITS)


def floor_to_step(value: float, step: float) -> float:
    """The largest multiple of ``step`` not above ``value`` (``value`` itself when step <= 0).

    A part marked in half marks never shows 0.75: it is floored to 0.5, so partial credit is
    never rounded up past what was earned.

    >>> floor_to_step(0.75, 0.5), floor_to_step(1.0, 0.5), floor_to_step(0.3, 0)
    (0.5, 1.0, 0.3)
    """
    if step <= 0:
        return round_marks(value)
    return round_marks(math.floor(value / step + 1e-9) * step)
