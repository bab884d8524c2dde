"""Internal: how the layer registry (in :mod:`wiktoria.scene`) finds the built-in layers.

The built-in layers register themselves, spec and renderer, when :mod:`wiktoria.render.layers`
is imported; but ``scene`` may not import ``render`` (the sub-packages import one way,
``tests/test_architecture.py``), and ``import wiktoria`` imports neither (it stays light).
So the package facade, ``wiktoria/__init__.py``, which runs before any sub-module is
imported, registers a loader here; the registry calls :func:`load` before it answers or
changes anything, so the built-ins are always there, and always first.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["load", "register_loader"]

_loader: Callable[[], object] | None = None
_loaded = False


def register_loader(loader: Callable[[], object]) -> None:
    """Set the function that registers the built-in layers (it imports their renderers)."""
    global _loader
    _loader = loader


def load() -> None:
    """Register the built-in layers, once.

    The loader imports a module, so the import system's own lock makes another thread wait
    until the built-ins are all registered; within the import (the built-ins registering
    themselves call the registry, which calls this again) the half-imported module is returned
    at once.
    """
    global _loaded
    if _loaded or _loader is None:
        return
    _loader()
    _loaded = True
