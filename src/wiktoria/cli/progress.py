"""A tiny progress bar for stderr, without dependencies.

It draws one line, rewritten in place with ``\\r``, on a terminal only and only once the work
has taken more than ``delay`` seconds (a quick render shows nothing); ``quiet=True`` hides it
altogether. It writes to stderr, never stdout, so stdout stays machine-readable.

A :class:`ProgressBar` follows :class:`wiktoria.common.progress.Progress`, the ``progress``
argument of :func:`wiktoria.run.batch.render_frames`, :func:`wiktoria.run.batch.render_sweep`,
:func:`wiktoria.run.batch.write_loop` and :func:`wiktoria.io.encode.write_animation`: they call
``start(total)`` once and then the bar itself with the number of items just finished.
``update`` is thread-safe.

Examples
--------
>>> import io
>>> from wiktoria.cli.progress import ProgressBar
>>> with ProgressBar(3, "frames", file=io.StringIO()) as bar:   # not a terminal: silent
...     for _ in range(3):
...         bar.update()
>>> bar.done
3
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

__all__ = ["ProgressBar"]


def _seconds(s: float) -> str:
    s = max(0.0, s)
    if s < 60:
        return f"{s:4.1f}s"
    m, sec = divmod(round(s), 60)
    if m < 60:
        return f"{m}:{sec:02d}"
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{sec:02d}"


class ProgressBar:
    """A one-line progress bar on stderr.

    Parameters
    ----------
    total : int, optional
        Number of items; may be given later with :meth:`start`.
    label : str
        Shown before the bar, e.g. ``"frames"``.
    quiet : bool
        Never show anything.
    file : text stream, optional
        Where to draw; stderr by default. Nothing is drawn unless ``file.isatty()``.
    delay : float
        Seconds of work before the bar appears (so quick jobs print nothing).
    width : int
        Characters of the bar itself.
    min_interval : float
        Least seconds between redraws (the last item always redraws).

    Attributes
    ----------
    done : int
        Items finished so far.
    total : int or None
    shown : bool
        Whether the bar has been drawn at least once.
    """

    def __init__(self, total: int | None = None, label: str = "", *, quiet: bool = False,
                 file: TextIO | None = None, delay: float = 1.0, width: int = 28,
                 min_interval: float = 0.1) -> None:
        if total is not None and (isinstance(total, bool) or not isinstance(total, int)
                                  or total < 0):
            raise ValueError(f"total must be a whole number of at least 0, got {total!r}")
        self.total = total
        self.label = label
        self.quiet = quiet
        self.file = file
        self.delay = delay
        self.width = width
        self.min_interval = min_interval
        self.done = 0
        self.shown = False
        self._lock = threading.Lock()
        self._t0 = time.monotonic()
        self._last_draw = float("-inf")
        self._closed = False
        self._line_len = 0

    # ---- callback protocol ------------------------------------------------------------------

    def start(self, total: int) -> None:
        """Set the number of items and restart the clock (called by the library first)."""
        with self._lock:
            self.total = int(total)
            self.done = 0
            self._t0 = time.monotonic()
            self._closed = False

    def update(self, n: int = 1) -> None:
        """Count ``n`` more items as finished and redraw if due. Thread-safe."""
        with self._lock:
            self.done += n
            now = time.monotonic()
            final = self.total is not None and self.done >= self.total
            if final or now - self._last_draw >= self.min_interval:
                self._draw(now)
            if final:
                self._finish()

    __call__ = update

    def close(self) -> None:
        """End the bar's line (if it was drawn); further updates are still counted."""
        with self._lock:
            self._finish()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # ---- drawing ----------------------------------------------------------------------------

    def _stream(self) -> TextIO | None:
        stream = self.file if self.file is not None else sys.stderr
        if self.quiet or stream is None:
            return None
        try:
            return stream if stream.isatty() else None
        except (AttributeError, ValueError):  # closed or odd streams
            return None

    def line(self, now: float | None = None) -> str:
        """The text of the bar as it would be drawn now."""
        elapsed = (time.monotonic() if now is None else now) - self._t0
        head = f"{self.label} " if self.label else ""
        if not self.total:
            return f"{head}{self.done}  {_seconds(elapsed)}"
        frac = min(1.0, self.done / self.total)
        filled = round(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        tail = _seconds(elapsed)
        if 0 < self.done < self.total:
            tail += f", {_seconds(elapsed / self.done * (self.total - self.done))} left"
        return (f"{head}[{bar}] {self.done}/{self.total} {frac * 100:3.0f}%  {tail}")

    def _draw(self, now: float) -> None:
        if self._closed or now - self._t0 < self.delay:
            return
        stream = self._stream()
        if stream is None:
            return
        text = self.line(now)
        pad = " " * max(0, self._line_len - len(text))
        try:
            stream.write("\r" + text + pad)
            stream.flush()
        except (OSError, ValueError):
            return
        self._line_len = len(text)
        self._last_draw = now
        self.shown = True

    def _finish(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.shown:
            stream = self._stream()
            if stream is not None:
                try:
                    stream.write("\n")
                    stream.flush()
                except (OSError, ValueError):
                    pass
