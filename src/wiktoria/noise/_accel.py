"""Internal: the optional compiled backend (numba), and the switch that selects it.

Wiktoria's noise kernels are written twice: in numpy (always available) and as numba kernels
(``pip install 'wiktoria[fast]'``) that do the same float operations in the same order, so both
backends give **bit-identical** results (``tests/test_accel.py`` checks this). The numba kernels
are several times faster because they keep each point in registers instead of streaming
temporaries through memory.

The backend is chosen per call from the environment variable ``WIKTORIA_BACKEND``:

* ``auto`` (default, or unset): numba when it can be imported, numpy otherwise;
* ``numpy``: always numpy;
* ``numba``: numba, and an error if it is not installed.

Kernel modules that need numba are imported lazily, so ``import wiktoria`` stays light.
Importing numba and loading the cached kernels costs about 0.4 s once per process, more than
the kernels save on small work (a 640x360 painting took 0.54 s on numpy and 0.99 s with numba).
So ``auto`` imports numba only for a call with at least ``MIN_WORK`` point-octaves; once numba
is imported (by these kernels or any other: the land, the light and the strokes use it), every
call uses them. Either way the bits are the same. ``numba`` uses the
kernels for every call. Compiled kernels are cached on disk by numba.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

__all__ = ["BACKENDS", "MIN_WORK", "backend", "compiled", "kernels"]

BACKENDS = ("auto", "numpy", "numba")
#: Point-octaves of one call from which ``auto`` loads the compiled kernels (about 15 ns saved
#: per point-octave against ~0.4 s of loading: worth it for one big call or many medium ones).
MIN_WORK = 1 << 20


@functools.cache
def _numba_available() -> bool:
    return importlib.util.find_spec("numba") is not None


def _choose() -> tuple[str, bool]:
    """The backend for this call, and whether it was chosen by ``auto`` (read from
    ``WIKTORIA_BACKEND`` at every call: tests and a notebook may change it)."""
    return _choice(os.environ.get("WIKTORIA_BACKEND"), _numba_available())


@functools.lru_cache(maxsize=8)
def _choice(raw: str | None, numba: bool) -> tuple[str, bool]:
    want = (raw or "").strip().lower() or "auto"
    if want not in BACKENDS:
        raise ValueError(
            f"WIKTORIA_BACKEND must be one of {', '.join(BACKENDS)}, got {raw!r}"
        )
    if want == "numpy":
        return "numpy", False
    if numba:
        return "numba", want == "auto"
    if want == "numba":
        raise ValueError(
            "WIKTORIA_BACKEND is 'numba' but numba is not installed; install the fast extra "
            "(pip install 'wiktoria[fast]') or set WIKTORIA_BACKEND=auto"
        )
    return "numpy", True


def backend() -> str:
    """The backend in use for this call: ``"numba"`` or ``"numpy"``.

    Raises
    ------
    ValueError
        If ``WIKTORIA_BACKEND`` is set to something other than auto, numpy or numba, or to
        numba when numba is not installed.
    """
    return _choose()[0]


def kernels(name: str, work: int | None = None) -> ModuleType | None:
    """The numba kernel module ``wiktoria.<name>`` if this call should use it, else None.

    Parameters
    ----------
    name : str
        Module name inside the package, e.g. ``"_jit"``.
    work : int, optional
        Size of the call in point-octaves. With ``WIKTORIA_BACKEND=auto``, a call below
        ``MIN_WORK`` runs on numpy unless the module is already loaded. None: no threshold.
    """
    chosen, auto = _choose()
    if chosen != "numba":
        return None
    full = f"wiktoria.noise.{name}"
    if full in sys.modules:
        # Through the import system, not sys.modules: a module another thread is still
        # importing is there half made, and import_module waits for it.
        return importlib.import_module(full)
    if auto and work is not None and work < MIN_WORK and "numba" not in sys.modules:
        return None  # numba's start-up would cost more than the kernels save
    return importlib.import_module(full)


_COMPILED: dict[Callable[..., Any], Any] = {}
_COMPILE_LOCK = threading.Lock()


def compiled(function: Callable[..., Any]) -> Any:
    """``function`` (a pixel loop written as numba-compatible Python, the numpy path's
    operations in its order) compiled with ``numba.njit(cache=True, nogil=True,
    error_model="numpy")``, once per process; None under the numpy backend
    (``WIKTORIA_BACKEND``) or without numba, when the caller's numpy path paints.

    ``error_model="numpy"``: a float division by zero gives numpy's inf or nan, not Python's
    ZeroDivisionError, and the divisions need no check, which kept numba from vectorising
    loops that divide (the land's geometry ran 1.5x slower with the check)."""
    if backend() != "numba":
        return None
    with _COMPILE_LOCK:
        kernel = _COMPILED.get(function)
        if kernel is None:
            import numba

            kernel = _COMPILED[function] = numba.njit(cache=True, nogil=True,
                                                       error_model="numpy")(function)
    return kernel
