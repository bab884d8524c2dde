"""Fields built on fBm: domain warping (:func:`warp`) and divergence-free curl noise
(:func:`curl`), re-exported by :mod:`wiktoria.noise`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from wiktoria.common import validate
from wiktoria.noise._lattice import seed_key
from wiktoria.noise._octaves import prepare
from wiktoria.noise._types import ArrayLike, Kind
from wiktoria.noise.fractal import fbm

__all__ = ["curl", "warp"]


def _sub_seed(key: int, *stream: int) -> int:
    return int(np.random.SeedSequence([key, 0x57A4, *stream]).generate_state(2, np.uint64)[0])



def warp(
    *coords: ArrayLike,
    depth: int = 2,
    strength: float = 4.0,
    kind: Kind = "perlin",
    octaves: int = 5,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
    return_offsets: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Domain-warped fBm (Inigo Quilez): ``fbm(p + k * q)`` with ``q = fbm(p + k * fbm(p))``.

    The first two coordinates are displaced; further coordinates (depth, time) pass through
    unchanged. Each level's displacement is a pair of fBm fields with their own seeds.

    Parameters
    ----------
    *coords : array_like
        Two to four coordinate arrays (x, y and optionally z/time), broadcasting together.
    depth : int, optional
        Number of nested displacements, 0 to 4 (0 is plain fBm). Default 2.
    strength : float, optional
        Displacement factor ``k`` in coordinate units per unit of fBm, in [0, 100]. Default 4.
    kind, octaves, lacunarity, gain, frequency, seed, period, dtype
        As :func:`fbm`; every level uses them. Periodic axes stay periodic.
    return_offsets : bool, optional
        Also return the last displacement ``(qx, qy)``, which artists use to colour the folds.

    Returns
    -------
    value : ndarray
        The broadcast shape, values in [-1, 1].
    qx, qy : ndarray
        Only with ``return_offsets``: the last displacement field, values in [-1, 1] (zeros
        when ``depth`` is 0).

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import warp
    >>> x = np.linspace(0, 3, 64).reshape(1, -1); y = np.linspace(0, 2, 32).reshape(-1, 1)
    >>> v, qx, qy = warp(x, y, depth=2, strength=2.0, seed=5, return_offsets=True)
    >>> v.shape, qx.shape
    ((32, 64), (32, 64))
    """
    arrs, shape, _, dt, _ = prepare(coords, "warp", kind, period, dtype)
    if len(arrs) < 2:
        raise ValueError(f"warp takes 2 to 4 coordinate arrays, got {len(arrs)}")
    depth = validate.integer(depth, "depth", 0, 4)
    strength = validate.number(strength, "strength", 0.0, 100.0)
    key = seed_key(seed)
    opts: dict[str, Any] = {"kind": kind, "octaves": octaves, "lacunarity": lacunarity,
                            "gain": gain, "frequency": frequency, "period": period, "dtype": dt}
    x = np.broadcast_to(arrs[0], shape)
    y = np.broadcast_to(arrs[1], shape)
    rest = arrs[2:]
    qx: np.ndarray | None = None
    qy: np.ndarray | None = None
    for level in range(depth):
        px = x if qx is None else x + strength * qx.astype(np.float64)
        py = y if qy is None else y + strength * qy.astype(np.float64)
        qx = fbm(px, py, *rest, seed=_sub_seed(key, level, 0), **opts)
        qy = fbm(px, py, *rest, seed=_sub_seed(key, level, 1), **opts)
    px = x if qx is None else x + strength * qx.astype(np.float64)
    py = y if qy is None else y + strength * qy.astype(np.float64)
    value = fbm(px, py, *rest, seed=_sub_seed(key, 99), **opts)
    if return_offsets:
        zeros = np.zeros(shape, dtype=dt)
        return value, (qx if qx is not None else zeros), (qy if qy is not None else zeros)
    return value


def curl(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 3,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """2D curl noise: the divergence-free velocity ``(dψ/dy, -dψ/dx)`` of an fBm potential ψ.

    The potential is ``fbm(x, y, *rest)``; extra coordinates (time) let the field evolve
    without creating sources or sinks. Derivatives are central differences of a float64
    potential with a step of 1e-4 coordinate units.

    Parameters
    ----------
    *coords : array_like
        x, y and optionally one or two more coordinates (e.g. time), broadcasting together.
    kind, octaves, lacunarity, gain, frequency, seed, period, dtype
        As :func:`fbm` (default 3 octaves).

    Returns
    -------
    u, v : ndarray
        Velocity components, the broadcast shape. Magnitudes are in potential units per
        coordinate unit: typically 0 to 3 for Perlin fBm at frequency 1.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import curl
    >>> u, v = curl(np.linspace(0, 2, 5), 0.5, seed=2)
    >>> u.shape, v.dtype
    ((5,), dtype('float32'))
    """
    arrs, shape, _, dt, _ = prepare(coords, "curl", kind, period, dtype)
    if len(arrs) < 2:
        raise ValueError(f"curl takes 2 to 4 coordinate arrays, got {len(arrs)}")
    h = 1e-4
    opts: dict[str, Any] = {"kind": kind, "octaves": octaves, "lacunarity": lacunarity,
                            "gain": gain, "frequency": frequency, "seed": seed, "period": period,
                            "dtype": np.float64}
    if isinstance(seed, np.random.Generator):
        opts["seed"] = seed_key(seed)
    x, y, rest = arrs[0], arrs[1], arrs[2:]
    dpdx = fbm(x + h, y, *rest, **opts)
    dpdx -= fbm(x - h, y, *rest, **opts)
    dpdy = fbm(x, y + h, *rest, **opts)
    dpdy -= fbm(x, y - h, *rest, **opts)
    scale = 1.0 / (2 * h)
    u = (dpdy * scale).astype(dt)
    v = (dpdx * -scale).astype(dt)
    return np.broadcast_to(u, shape).copy(), np.broadcast_to(v, shape).copy()


