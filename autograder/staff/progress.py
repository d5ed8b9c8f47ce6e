"""Progress of a batch run: a bar with rate and time left on a terminal, plain lines otherwise.

Plain lines (one per finished submission) are what logs and CI keep; the bar redraws one line
and is only used when the stream is a terminal. This module only writes to the stream it is
given.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:0{2 if hours else 1}d}:{rest % 60:02d}"


class Progress:
    """Counts finished items of ``total`` and shows them."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False,
                 width: int = 24, tty: bool | None = None):
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.width = width
        self.tty = self.stream.isatty() if tty is None else tty
        self.started = time.monotonic()

    def line(self) -> str:
        """The bar's text: count, share, rate and time left."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        filled = int(self.width * self.done / self.total) if self.total else self.width
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        eta = _clock(left) + " left" if self.done < self.total and rate > 0 else \
            _clock(elapsed) if self.done >= self.total else "--:-- left"
        return (f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} "
                f"{rate:.2f}/s {eta}")

    def step(self, label: str) -> None:
        """One more item finished; ``label`` says which and how it went."""
        self.done += 1
        if self.quiet:
            return
        if self.tty:
            text = f"{self.line()}  {label}"[:200]
            self.stream.write("\r\x1b[2K" + text)
            if self.done >= self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {label}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line if it was left open (an interrupted run)."""
        if self.tty and not self.quiet and 0 < self.done < self.total:
            self.stream.write("\n")
            self.stream.flush()
