"""Red team 21_forge_answers_for_every_call.

Attack: Pretend the import is over, steal the cases from the harness's stdin, answer every case
itself on the result channel (with values it cannot know: zeros) and say it is done.

Deserves: the short answers only (8): forged answers are only as good as their values.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import json as _json
import os as _os
import sys as _sys

_fd = getattr(_sys.modules["__main__"], "_channel", [3])[0]


def _w(event):
    _os.write(_fd, (_json.dumps(event) + "\n").encode())


_w({"event": "imported"})
_data = b""
while not _data.endswith(b"\n"):
    _chunk = _os.read(0, 65536)
    if not _chunk:
        break
    _data += _chunk
for _call in _json.loads(_data or b"[]"):
    _w({"event": "call_start", "id": _call["id"]})
    _w({"event": "call_end", "id": _call["id"], "status": "ok",
        "value": 0 if _call["function"] == "receptive_field" else [[0]]})
_w({"event": "done"})
_os._exit(0)


def receptive_field(layers):
    raise NotImplementedError


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    raise NotImplementedError
