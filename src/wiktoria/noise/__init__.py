"""Vectorised gradient noise: Perlin and simplex noise, fractal sums, domain warping and curl.

Every function takes one coordinate array per dimension. Coordinates are numpy arrays (or
scalars) of any shapes that broadcast together, for example ``x`` of shape (1, W), ``y`` of
shape (H, 1) and a scalar time ``t``; the result has the broadcast shape.

* Dtype: float32 by default, float64 with ``dtype=np.float64``. The lattice split always runs in
  float64, so coordinates far from the origin (|x| up to 1e6 and beyond) keep their detail.
* Seeds: an int from 0 to 2**64 - 1, or a :class:`numpy.random.Generator` (one integer is
  drawn from it). The same seed gives the same values on every platform; different seeds give
  uncorrelated fields; other integers are a one-line ValueError (they are not wrapped around).
  There is no global state.
* Periods: ``period`` is an int (every axis), or one int or None per axis. The field is then
  exactly periodic along that axis, negative coordinates included: ``f(x + p) == f(x)`` up to
  float rounding. Perlin noise wraps its lattice. Simplex noise's skewed lattice cannot wrap, so
  a periodic simplex axis is sampled on a circle through one extra dimension (as the ``noise``
  package does for tiled ``snoise2``); this needs ``dims + periodic axes <= 4``.
* Regular grids: when every coordinate varies along at most one axis of the result, and no two
  along the same one (``x`` (1, W), ``y`` (H, 1), scalars), Perlin noise hashes each lattice
  cell once and expands rows and columns instead of gathering per element. The result equals the
  element-wise path up to float rounding; the choice is automatic.
* Large arrays are evaluated in cache-sized blocks on a small thread pool (one thread per CPU,
  ``WIKTORIA_NUM_THREADS`` to override). Blocks never change values.
* Backends: the kernels are numpy; with numba installed (``pip install 'wiktoria[fast]'``)
  compiled kernels run instead, which do the same float operations in the same order and give
  **bit-identical** results, 2 to 3 times faster for simplex noise and scattered points (the
  separable Perlin grid path is numpy on both). ``WIKTORIA_BACKEND=numpy`` (or ``numba``, or the
  default ``auto``) chooses; ``auto`` loads numba (about 0.4 s) only for a call of at least a
  million point-octaves, and uses it for every call once loaded.

Ranges: ``perlin`` and ``simplex`` lie in [-1, 1] (scaled so that their extremes reach about ±1,
then clipped; standard deviation about 0.2 to 0.35 depending on kind and dimension). ``fbm`` is
normalised by the sum of octave amplitudes and lies in [-1, 1]; ``ridged`` and ``turbulence`` lie
in [0, 1].

Examples
--------
>>> import numpy as np
>>> from wiktoria import noise
>>> x = np.linspace(0, 8, 640).reshape(1, -1)
>>> y = np.linspace(0, 4.5, 360).reshape(-1, 1)
>>> field = noise.fbm(x, y, 0.5, octaves=5, seed=7)
>>> field.shape, field.dtype
((360, 640), dtype('float32'))
>>> bool(np.abs(field).max() <= 1)
True
"""

from __future__ import annotations

from wiktoria.noise._octaves import MAX_LATTICE as MAX_LATTICE
from wiktoria.noise._types import ArrayLike as ArrayLike
from wiktoria.noise._types import Kind as Kind
from wiktoria.noise.flow import curl, warp
from wiktoria.noise.fractal import fbm, perlin, ridged, simplex, turbulence

__all__ = ["curl", "fbm", "perlin", "ridged", "simplex", "turbulence", "warp"]
