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

Kernel modules that need numba are imported lazily (importing numba takes a few tenths of a
second), so ``import wiktoria`` stays light. Compiled kernels are cached on disk by numba.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
from types import ModuleType

__all__ = ["BACKENDS", "backend", "kernels"]

BACKENDS = ("auto", "numpy", "numba")


@functools.cache
def _numba_available() -> bool:
    return importlib.util.find_spec("numba") is not None


def backend() -> str:
    """The backend in use for this call: ``"numba"`` or ``"numpy"``.

    Raises
    ------
    ValueError
        If ``WIKTORIA_BACKEND`` is set to something other than auto, numpy or numba, or to
        numba when numba is not installed.
    """
    want = os.environ.get("WIKTORIA_BACKEND", "").strip().lower() or "auto"
    if want not in BACKENDS:
        raise ValueError(
            f"WIKTORIA_BACKEND must be one of {', '.join(BACKENDS)}, got "
            f"{os.environ['WIKTORIA_BACKEND']!r}"
        )
    if want == "numpy":
        return "numpy"
    if _numba_available():
        return "numba"
    if want == "numba":
        raise ValueError(
            "WIKTORIA_BACKEND is 'numba' but numba is not installed; install the fast extra "
            "(pip install 'wiktoria[fast]') or set WIKTORIA_BACKEND=auto"
        )
    return "numpy"


def kernels(name: str) -> ModuleType | None:
    """The numba kernel module ``wiktoria.<name>`` if the numba backend is in use, else None."""
    if backend() != "numba":
        return None
    return importlib.import_module(f"wiktoria.{name}")
