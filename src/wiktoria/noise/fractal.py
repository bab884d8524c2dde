"""Gradient noise and its fractal sums: :func:`perlin`, :func:`simplex`, :func:`fbm`,
:func:`ridged` and :func:`turbulence` (re-exported by :mod:`wiktoria.noise`, which describes
coordinates, seeds, periods, dtypes, backends and ranges).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from wiktoria.noise._evaluate import ridge
from wiktoria.noise._octaves import fractal
from wiktoria.noise._types import ArrayLike, Kind

__all__ = ["fbm", "perlin", "ridged", "simplex", "turbulence"]


def perlin(
    *coords: ArrayLike,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Improved gradient (Perlin) noise in 1 to 4 dimensions.

    Parameters
    ----------
    *coords : array_like
        One coordinate array per dimension (1 to 4), of shapes that broadcast together. Lattice
        cells have unit size.
    seed : int or numpy.random.Generator, optional
        Selects the permutation table. Default 0.
    period : int or sequence of (int or None), optional
        Makes the noise exactly periodic along the given axes.
    dtype : {float32, float64}, optional
        Result dtype (and arithmetic precision). Default float32.

    Returns
    -------
    ndarray
        The broadcast shape of the coordinates, values in [-1, 1]. Zero at lattice points.

    Raises
    ------
    ValueError
        Unsupported number of coordinates, non-finite coordinates, shapes that do not
        broadcast, bad period or dtype.
    TypeError
        Coordinates that are not real numbers, a seed that is not an int or Generator.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import perlin
    >>> perlin(np.linspace(0, 4, 5), 2.0).round(3).tolist()  # lattice points
    [0.0, 0.0, 0.0, 0.0, 0.0]
    >>> v = perlin(np.arange(8) + 0.3, 0.6, seed=1, period=(8, None))
    >>> bool(np.allclose(v, perlin(np.arange(8) + 8.3, 0.6, seed=1, period=(8, None)), atol=1e-5))
    True
    """
    return fractal(coords, "perlin", "perlin", 1, 2.0, 0.5, 1.0, seed, period, dtype, None)


def simplex(
    *coords: ArrayLike,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Simplex noise in 2 to 4 dimensions.

    Parameters
    ----------
    *coords : array_like
        One coordinate array per dimension (2 to 4), of shapes that broadcast together.
    seed : int or numpy.random.Generator, optional
        Selects the permutation table. Default 0.
    period : int or sequence of (int or None), optional
        Periodic axes. Each is sampled on a circle of circumference ``period`` through one
        extra dimension, so ``dims + periodic axes`` must be at most 4.
    dtype : {float32, float64}, optional
        Result dtype. Default float32.

    Returns
    -------
    ndarray
        The broadcast shape of the coordinates, values in [-1, 1].

    Raises
    ------
    ValueError, TypeError
        As :func:`perlin`; also too many periodic axes.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import simplex
    >>> simplex(np.zeros((2, 3)), np.ones(3), seed=4).shape
    (2, 3)
    """
    return fractal(coords, "simplex", "simplex", 1, 2.0, 0.5, 1.0, seed, period, dtype, None)



def fbm(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 6,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Fractal Brownian motion: a sum of noise octaves.

    Octave ``k`` samples the base noise at frequency ``frequency * lacunarity**k`` with its own
    seed stream and amplitude ``gain**k``; the sum is divided by the sum of amplitudes.

    Parameters
    ----------
    *coords : array_like
        One coordinate array per dimension, broadcasting together.
    kind : {'perlin', 'simplex'}, optional
        Base noise. Default 'perlin'.
    octaves : int, optional
        Number of octaves, 1 to 32. Default 6.
    lacunarity : float, optional
        Frequency ratio between octaves, in [1, 16]. Default 2.
    gain : float, optional
        Amplitude ratio between octaves, in (0, 4]. Default 0.5.
    frequency : float, optional
        Frequency of the first octave. Default 1.
    seed : int or numpy.random.Generator, optional
        Default 0.
    period : int or sequence of (int or None), optional
        Periods in coordinate units. Each octave's lattice period is ``period * frequency *
        lacunarity**k`` rounded to a whole number of cells (the octave's frequency along that axis
        is adjusted to match), so the sum is exactly periodic.
    dtype : {float32, float64}, optional
        Default float32.

    Returns
    -------
    ndarray
        The broadcast shape, values in [-1, 1]. With ``octaves=1`` equal to the base noise.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import fbm, perlin
    >>> x, y = np.linspace(0, 3, 7), 0.25
    >>> bool(np.allclose(fbm(x, y, octaves=1, seed=3), perlin(x, y, seed=3)))
    True
    """
    return fractal(coords, "fbm", kind, octaves, lacunarity, gain, frequency, seed, period,
                    dtype, None)



def ridged(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 6,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Ridged fractal noise: octaves of ``(1 - |noise|)**2``, sharp crests where noise crosses 0.

    Parameters are those of :func:`fbm`.

    Returns
    -------
    ndarray
        The broadcast shape, values in [0, 1] (1 on the ridges).

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import ridged
    >>> r = ridged(np.linspace(0, 5, 50), 0.5, octaves=4)
    >>> bool(r.min() >= 0 and r.max() <= 1)
    True
    """
    return fractal(coords, "ridged", kind, octaves, lacunarity, gain, frequency, seed, period,
                    dtype, ridge)


def turbulence(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 6,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Perlin's turbulence: octaves of ``|noise|``, billowy creases where noise crosses 0.

    Parameters are those of :func:`fbm`.

    Returns
    -------
    ndarray
        The broadcast shape, values in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import turbulence
    >>> bool(turbulence(np.linspace(0, 5, 50), 0.5).min() >= 0)
    True
    """
    return fractal(coords, "turbulence", kind, octaves, lacunarity, gain, frequency, seed,
                    period, dtype, np.abs)

