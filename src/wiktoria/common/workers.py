"""Internal: how a lower layer reaches the process pools of :mod:`wiktoria.run`.

``Animation.save(jobs=N)`` (in :mod:`wiktoria.motion`) renders its frames in worker processes
with :class:`wiktoria.run.ahead.FramesAhead`, but ``motion`` may not import ``run``: the
sub-packages import one way (``tests/test_architecture.py``). So the provider is registered
here by the package facade, ``wiktoria/__init__.py``, which runs before any sub-module is
imported; the provider it registers imports ``run`` only when first called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["frames_ahead", "register_frames_ahead"]

_provider: Callable[[Any, int | None], Any] | None = None


def register_frames_ahead(provider: Callable[[Any, int | None], Any]) -> None:
    """Set ``provider(source, jobs)``: a context manager whose ``frame_array(i)`` renders the
    frames of ``source`` (an Animation or FramePlan) in ``jobs`` processes."""
    global _provider
    _provider = provider


def frames_ahead(source: Any, jobs: int | None) -> Any:
    """What the registered provider returns for ``source`` and ``jobs``."""
    if _provider is None:
        raise RuntimeError("no parallel frame renderer is registered: import wiktoria first")
    return _provider(source, jobs)
