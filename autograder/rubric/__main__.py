"""``python -m autograder.rubric``: the rubric command line (see :mod:`autograder.rubric.cli`)."""

from .cli import main

raise SystemExit(main())
