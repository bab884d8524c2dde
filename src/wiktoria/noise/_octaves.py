"""Internal: the arguments of a fractal sum, checked and turned into a plan of octaves.

:func:`fractal` is the one entry point of :func:`~wiktoria.noise.perlin`,
:func:`~wiktoria.noise.simplex`, :func:`~wiktoria.noise.fbm`, :func:`~wiktoria.noise.ridged`
and :func:`~wiktoria.noise.turbulence`: it checks coordinates, seed, periods, dtype and the
fractal parameters (with :mod:`wiktoria.common.validate`), plans every octave's frequencies,
periods and amplitude, refuses coordinates that an octave would take beyond ``MAX_LATTICE``, and
hands the plan to :func:`wiktoria.noise._evaluate.evaluate`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from wiktoria.common import validate
from wiktoria.noise._evaluate import Octave, evaluate
from wiktoria.noise._lattice import (
    AXIS_NAMES,
    as_coords,
    check_dtype,
    normalise_periods,
    seed_key,
    tables,
)

__all__ = ["KINDS", "MAX_LATTICE", "check_kind", "fractal", "octave_specs", "prepare"]

KINDS = ("perlin", "simplex")

#: Farthest lattice coordinate (coordinate times octave frequency) the kernels accept: lattice
#: indices are int64, and simplex noise's skew adds up to 1.24x before the split.
MAX_LATTICE = 2.0**61


def check_kind(kind: Any) -> str:
    """The base noise ``kind``: ``"perlin"`` or ``"simplex"``."""
    return validate.choice(kind, "kind", KINDS)


def octave_specs(
    key: int,
    octaves: int,
    lacunarity: float,
    gain: float,
    periods: tuple[int | None, ...],
    frequency: float,
) -> list[Octave]:
    specs = []
    amp = 1.0
    for k in range(octaves):
        base = frequency * lacunarity**k
        freqs: list[float] = []
        pers: list[int | None] = []
        for p in periods:
            if p is None:
                freqs.append(base)
                pers.append(None)
            else:
                # The octave's lattice period must be a whole number of cells: round it and
                # adjust this axis's frequency to match, so the sum stays exactly periodic.
                pk = max(1, round(p * base))
                freqs.append(pk / p)
                pers.append(pk)
        specs.append(Octave(tables(key, k), tuple(freqs), tuple(pers), amp))
        amp *= gain
    return specs



def prepare(
    coords: tuple[npt.ArrayLike, ...],
    func: str,
    kind: str,
    period: Any,
    dtype: Any,
) -> tuple[list[np.ndarray], tuple[int, ...], tuple[int | None, ...], np.dtype[Any],
           tuple[float, ...]]:
    """Validated coordinates, output shape, periods, dtype and each coordinate's magnitude."""
    kind = check_kind(kind)
    dims = range(1, 5) if kind == "perlin" else range(2, 5)
    arrs, shape, extents = as_coords(coords, dims, func)
    dt = check_dtype(dtype)
    periods = normalise_periods(period, len(arrs))
    if kind == "simplex":
        n_per = sum(p is not None for p in periods)
        if len(arrs) + n_per > 4:
            raise ValueError(
                f"{func}: simplex noise with {len(arrs)} dimensions can have at most "
                f"{4 - len(arrs)} periodic axes (each costs one extra dimension, 4 at most), got "
                f"period={period!r}; use kind='perlin' for more periodic axes"
            )
    return arrs, shape, periods, dt, extents



def fractal(
    coords: tuple[npt.ArrayLike, ...],
    func: str,
    kind: str,
    octaves: Any,
    lacunarity: Any,
    gain: Any,
    frequency: Any,
    seed: Any,
    period: Any,
    dtype: Any,
    transform: Callable[[np.ndarray], np.ndarray] | None,
) -> np.ndarray:
    arrs, shape, periods, dt, extents = prepare(coords, func, kind, period, dtype)
    octaves = validate.integer(octaves, "octaves", 1, 32)
    lacunarity = validate.number(lacunarity, "lacunarity", 1.0, 16.0)
    gain = validate.number(gain, "gain", 0.0, 4.0, lo_open=True)
    frequency = validate.number(frequency, "frequency", 0.0, 1e9, lo_open=True)
    key = seed_key(seed)
    specs = octave_specs(key, octaves, lacunarity, gain, periods, frequency)
    _check_extent(func, kind, extents, specs, periods)
    return evaluate(arrs, shape, kind, specs, periods, transform, dt)



def _check_extent(func: str, kind: str, extents: tuple[float, ...], specs: list[Octave],
                  periods: tuple[int | None, ...]) -> None:
    """Refuse coordinates (largest magnitudes ``extents``) that some octave would take beyond
    ``MAX_LATTICE``."""
    for a, (far, p) in enumerate(zip(extents, periods, strict=True)):
        name = AXIS_NAMES[a]
        if kind == "simplex" and p is not None:
            # Sampled on a circle of circumference period * frequency (in lattice cells).
            reach = max(oc.periods[a] or 0 for oc in specs) / (2 * math.pi)
            if reach > MAX_LATTICE:
                what = f"the period {p} of axis {name} makes a circle of radius {reach:.3g} cells"
                break
        else:
            top = max(oc.freqs[a] for oc in specs)
            reach = far * top
            if reach > MAX_LATTICE:
                what = (f"coordinate {name} reaches {far:g} and the highest octave (frequency "
                        f"{top:.3g}) puts it {reach:.3g} lattice cells from the origin")
                break
    else:
        return
    raise ValueError(
        f"{func}: {what}; at most {MAX_LATTICE:.3g} cells are allowed (use smaller "
        f"coordinates or periods, fewer octaves or a lower frequency or lacunarity)"
    )

