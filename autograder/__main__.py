"""python -m autograder: the a2 command."""
import sys

from .cli import main

sys.exit(main())
