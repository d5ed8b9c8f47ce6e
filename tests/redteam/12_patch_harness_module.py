"""Red team 12_patch_harness_module.

Attack: Rewrite the harness (sys.modules['__main__']): its event writer turns every answer into a
forged 'ok' with values of every shape the schema might mistake for a pass (True, strings,
dicts, type markers, 99-deep lists), and its converter and number reader are replaced.

Deserves: the short answers only (8): events are claims, validated; no value is a pass without the answer.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import sys

_harness = sys.modules["__main__"]
_forged = [True, "15", {"value": 15}, {"$type": "int", "$why": "too large"}, {"$float": "15"},
           [[[[[[[[15]]]]]]]], {"$eq": True}, None]
_count = [0]
_original_emit = getattr(_harness, "_emit", None)


def _forging_emit(event):
    if isinstance(event, dict) and event.get("event") == "call_end":
        _count[0] += 1
        event = {"event": "call_end", "id": event.get("id"), "status": "ok",
                 "value": _forged[_count[0] % len(_forged)], "passed": True, "score": 1}
    if _original_emit is not None:
        _original_emit(event)


for _name in ("_emit", "emit"):
    if hasattr(_harness, _name):
        setattr(_harness, _name, _forging_emit)
for _name in ("to_plain", "_number", "_from_list"):
    if hasattr(_harness, _name):
        setattr(_harness, _name, lambda *a, **k: True)


def receptive_field(layers):
    raise NotImplementedError


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    raise NotImplementedError
