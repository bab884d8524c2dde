"""Internal: the numba backend of the stroke rasteriser (the ``fast`` extra).

:func:`kernel` compiles the functions of :mod:`._raster_kernel` with
``njit(cache=True)``: the very same source as the pure-Python backend, so both do the same float
operations in the same order and give bit-identical pixels. Each function is rebuilt with its
own copy of the module's globals, in which the helper names point at the compiled helpers
(numba resolves globals when it compiles). numba is imported only when :func:`kernel` is
first called, so importing this module never needs numba.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

from wiktoria.render.strokes import _raster_kernel as _core

__all__ = ["kernel"]

_FUNCTIONS = ("segment", "run")


@functools.cache
def kernel() -> Callable[..., Any]:
    """The compiled ``run`` (numba is imported on the first call)."""
    import numba as nb

    namespace = dict(vars(_core))
    for name in _FUNCTIONS:
        f = getattr(_core, name)
        g = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__, f.__closure__)
        g.__qualname__ = f.__qualname__
        g.__module__ = f.__module__
        namespace[name] = nb.njit(cache=True, nogil=True)(g)
    return namespace["run"]  # type: ignore[no-any-return]
