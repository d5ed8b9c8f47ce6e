"""Red team 13_patch_harness_through_gc_and_frames.

Attack: Find the harness's functions and data through the garbage collector and the call stack,
and a trace hook that rewrites every event dict the harness builds into a success.

Deserves: the short answers only (8).
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import gc
import sys
import types

for _obj in gc.get_objects():
    if isinstance(_obj, types.FunctionType) and _obj.__name__ in ("to_plain", "_number"):
        _obj.__code__ = (lambda *a, **k: 0).__code__
    if isinstance(_obj, dict) and {"channel_fd", "submission"} <= set(_obj):
        _obj["variables"] = []

_frame = sys._getframe()
while _frame is not None:
    for _key, _value in list(_frame.f_locals.items()):
        if isinstance(_value, list) and _value and isinstance(_value[0], dict) \
                and "function" in _value[0]:
            _value.clear()
    _frame = _frame.f_back


def _tracer(frame, event, arg):
    if event == "call" and frame.f_code.co_name in ("_emit", "emit"):
        for _value in frame.f_locals.values():
            if isinstance(_value, dict) and _value.get("event") == "call_end":
                _value.update(status="ok", value=0)
    return None


sys.settrace(_tracer)
sys.setprofile(lambda *a: None)


def receptive_field(layers):
    raise NotImplementedError


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    raise NotImplementedError
