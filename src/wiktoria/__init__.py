"""Wiktoria: generative abstract landscapes that shift and writhe.

The public API is small and flat:

* noise: :func:`wiktoria.noise.perlin`, :func:`wiktoria.noise.simplex`, fractal sums,
  domain warping and curl fields (module :mod:`wiktoria.noise`);
* :mod:`wiktoria.compat`: the ``noise`` package's functions, vectorised.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("wiktoria")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
