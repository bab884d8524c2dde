"""The progress protocol: how long-running library calls report how far they are.

Renderers and encoders (:func:`wiktoria.run.batch.render_frames`,
:func:`wiktoria.run.batch.render_sweep`, :func:`wiktoria.io.encode.write_animation`,
:func:`wiktoria.run.batch.write_loop`) take ``progress=``, an object that follows
:class:`Progress`:

* ``progress.start(total)`` once, before the work, with the number of items to do;
* ``progress(n)`` after each step, with the number of items just finished (usually 1), in the
  calling thread.

A plain function ``f(n)`` also works (it just never learns the total).
:class:`wiktoria.cli.progress.ProgressBar` is the terminal implementation; :class:`Counter`
is the simplest one.

Examples
--------
>>> from wiktoria.common.progress import Counter, started
>>> c = Counter()
>>> bar = started(c, 3)
>>> for _ in range(3):
...     bar(1)
>>> c.done, c.total
(3, 3)
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["Counter", "Progress", "check_progress", "started"]


@runtime_checkable
class Progress(Protocol):
    """What the library calls to report progress: ``start(total)``, then ``progress(n)``."""

    def start(self, total: int) -> None:
        """Called once, before the work, with the number of items to do."""

    def __call__(self, n: int) -> None:
        """Called after each step with the number of items just finished."""


class Counter:
    """A :class:`Progress` that only counts (for tests and for polling from another thread).

    Attributes
    ----------
    total : int or None
    done : int
    """

    def __init__(self) -> None:
        self.total: int | None = None
        self.done = 0

    def start(self, total: int) -> None:
        self.total = int(total)
        self.done = 0

    def __call__(self, n: int) -> None:
        self.done += int(n)


def check_progress(progress: Any) -> Progress | None:
    """``progress`` if it is None or callable, else a one-line ``TypeError``.

    Examples
    --------
    >>> check_progress(None) is None
    True
    >>> check_progress(3)
    Traceback (most recent call last):
    TypeError: progress must be a callable taking a count, got int
    """
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a callable taking a count, got "
                        f"{type(progress).__name__}")
    return progress  # type: ignore[no-any-return]


def started(progress: Progress | None, total: int) -> Progress | None:
    """Call ``progress.start(total)`` if ``progress`` has it; return ``progress``.

    Examples
    --------
    >>> started(None, 5) is None
    True
    """
    if progress is not None:
        start = getattr(progress, "start", None)
        if callable(start):
            start(int(total))
    return progress
