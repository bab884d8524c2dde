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

import sys
import warnings
from typing import Any, Protocol, runtime_checkable

__all__ = ["Counter", "Progress", "TqdmProgress", "check_progress", "in_notebook",
           "notebook_progress", "started"]


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


def in_notebook() -> bool:
    """Whether this code runs in a Jupyter kernel (IPython with a kernel attached); IPython is
    never imported here, only looked up if already loaded."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    return shell is not None and getattr(shell, "kernel", None) is not None


class TqdmProgress:
    """A :class:`Progress` shown as a ``tqdm`` bar (``tqdm.auto``: a widget in Jupyter when
    ipywidgets is installed, else text); the bar closes when all items are done.

    Parameters
    ----------
    label : str
        The bar's description.
    factory : callable, optional
        Makes the bar: ``factory(total=..., desc=..., leave=False)`` (default
        ``tqdm.auto.tqdm``; tests pass a fake).
    """

    def __init__(self, label: str, factory: Any = None) -> None:
        if factory is None:
            from tqdm.auto import tqdm as factory
        self.label = label
        self._factory = factory
        self._bar: Any = None
        self._left = 0

    def start(self, total: int) -> None:
        self.close()
        self._left = int(total)
        with warnings.catch_warnings():  # tqdm.auto without ipywidgets: a text bar, no warning
            warnings.simplefilter("ignore")
            self._bar = self._factory(total=int(total), desc=self.label, leave=False)

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(int(n))
            self._left -= int(n)
            if self._left <= 0:
                self.close()

    def close(self) -> None:
        """Close the bar (also done when the last item is counted)."""
        bar, self._bar = self._bar, None
        if bar is not None:
            bar.close()


def notebook_progress(label: str) -> TqdmProgress | None:
    """A :class:`TqdmProgress` when running in a Jupyter kernel and ``tqdm`` and
    ``ipywidgets`` are installed (the ``notebook`` extra), else None: no bar, silently.

    Examples
    --------
    >>> notebook_progress("frames") is None  # not in a notebook
    True
    """
    if not in_notebook():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import ipywidgets  # noqa: F401  (without it tqdm.auto writes text to stderr)
            import tqdm.auto  # noqa: F401
    except ImportError:
        return None
    return TqdmProgress(label)
