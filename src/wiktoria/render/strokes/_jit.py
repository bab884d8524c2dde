"""Internal: the two backends of the stroke kernels, and compiling a kernel module with numba.

The stroke kernels (:mod:`._streamlines_kernel`, :mod:`._raster_kernel`) are plain Python on
flat buffers. :func:`compiled` compiles a kernel module's functions with
``njit(cache=True, nogil=True)``: the very same source as the pure-Python backend, so both do
the same float operations in the same order and give bit-identical results. Each function is
rebuilt with its own copy of the module's globals, in which the helper names point at the
compiled helpers (numba resolves globals when it compiles). numba is imported only when a
kernel is first compiled.
"""

from __future__ import annotations

import functools
import threading
import types
from collections.abc import Callable
from typing import Any

from wiktoria.noise import _accel

__all__ = ["backend", "compiled", "warm_up"]


def backend(choice: str | None) -> str:
    """``"numba"`` or ``"python"`` for a ``backend=`` argument: None follows
    ``WIKTORIA_BACKEND`` (as :mod:`wiktoria.noise` does), ``"python"``/``"numpy"`` and
    ``"numba"`` force one."""
    if choice is None:
        return "numba" if _accel.backend() == "numba" else "python"
    if choice in ("python", "numpy"):
        return "python"
    if choice == "numba":
        if not _accel._numba_available():
            raise ValueError("backend 'numba' needs numba, which is not importable")
        return "numba"
    raise ValueError(f"backend must be None, 'numba' or 'python', got {choice!r}")


_LOCK = threading.Lock()
_WARMING: list[threading.Thread] = []


def compiled(core: types.ModuleType, functions: tuple[str, ...],
             entry: str = "run") -> Callable[..., Any]:
    """The compiled ``entry`` of kernel module ``core``, whose ``functions`` call each other
    (one set of dispatchers per kernel, whichever thread asks first)."""
    with _LOCK:
        return _compiled(core, functions, entry)


def warm_up() -> None:
    """Compile the stroke kernels in a background thread, once per process (numba backend
    only), so that the first painting's other layers are prepared meanwhile: numba compiles
    while numpy works with the GIL released. A kernel's first caller waits for its compile
    (numba's compiler lock), and the results are the same either way."""
    with _LOCK:
        if _WARMING or backend(None) != "numba":
            return
        thread = threading.Thread(target=_compile_all, name="wiktoria-warm-up", daemon=True)
        _WARMING.append(thread)
    thread.start()


def _compile_all() -> None:
    import numpy as np

    from wiktoria.render.strokes.raster import paint_strokes
    from wiktoria.render.strokes.streamlines import evenly_spaced

    y, x = np.mgrid[0:8, 0:8].astype(np.float64)
    evenly_spaced(x - 4.0, y - 4.0, 2.0, backend="numba")
    paint_strokes(np.array([[1, 1], [5, 5]], np.float32), np.array([0, 2]),
                  np.ones(1, np.float32), np.ones((1, 3), np.float32), np.ones(1, np.float32),
                  np.zeros((8, 8, 3), np.float32), backend="numba")


@functools.cache
def _compiled(core: types.ModuleType, functions: tuple[str, ...],
              entry: str = "run") -> Callable[..., Any]:
    import numba as nb

    namespace = dict(vars(core))
    for name in functions:
        f = getattr(core, name)
        g = types.FunctionType(f.__code__, namespace, f.__name__, f.__defaults__, f.__closure__)
        g.__qualname__ = f.__qualname__
        g.__module__ = f.__module__
        namespace[name] = nb.njit(cache=True, nogil=True)(g)
    return namespace[entry]  # type: ignore[no-any-return]
