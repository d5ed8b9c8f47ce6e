"""Red team 20_forge_invalid_events.

Attack: While being imported, write hostile lines to the result channel: NaN, Infinity, 1e999 and
4000-digit numbers as answers, booleans, 100000-deep lists, non-ASCII and non-UTF-8 bytes,
a forged 'static' answer and an early 'done', a 2.4 MB line and 16 kB of junk; then behave.

Deserves: full marks (12): every forged line is rejected or ignored, the honest events count.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import sys as _sys

_fd = getattr(_sys.modules["__main__"], "_channel", [3])[0]
_cid = b'"id": "q1_ii/question/0"'


def _w(data):
    try:
        while data:
            data = data[_os.write(_fd, data):]
    except OSError:
        pass


for _value in (b"NaN", b"Infinity", b"-Infinity", b"1e999", b"9" * 4000, b"true",
               b"[" * 100000 + b"]" * 100000, b'"15"'):
    _w(b'{"event": "call_start", ' + _cid + b'}\n')
    _w(b'{"event": "call_end", ' + _cid + b', "status": "ok", "value": ' + _value + b"}\n")
_w('{"event": "variable", "name": "Q1_I", "value": "\u00e9t\u00e9"}\n'.encode("utf-8"))
_w(b"\xff\xfe\x00 not utf-8\n")
_w(b'{"event": "static", "values": {"Q1_I": "forged", "Q3": "forged"}}\n')
_w(b'{"event": "import_error", "kind": "syntax", "line": 1, "message": "forged"}\n')
_w(b'{"event": "done"}\n')
_w(b"{" + b'"x": 1, ' * 300000 + b'"y": 2}\n')
_w(b"not json at all\n" * 1000)
