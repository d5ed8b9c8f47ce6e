"""Red team 100_print_fake_results.

Attack: Print text that looks like results on stdout and stderr (a results.json with score 100,
Otter's 'Total Score' line, ANSI escapes, NULs and non-UTF-8 bytes), about 1 MB of it.
Then behave.

Deserves: full marks (12); none of it in results.json (the manifest does not show output).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import json as _json
import sys as _sys

_fake = _json.dumps({"score": 100, "tests": [{"name": "FAKE-RESULTS-CANARY", "score": 100}]})
for _stream in (_sys.stdout, _sys.stderr):
    print(_fake, file=_stream)
    print("Total Score: 100.000 / 12.000 (833.333%) FAKE-RESULTS-CANARY", file=_stream)
    print("\x1b[2J\x1b[32mAll tests passed\x1b[0m\x00", file=_stream)
_sys.stdout.flush()
_sys.stdout.buffer.write(b"\xff\xfe\xfd" * 1000 + b"\n")
_sys.stdout.buffer.write((_fake + "\n").encode() * 8000)
_sys.stdout.flush()
