"""Textures that travel: advection by a flow map, two phases cross-faded, loops exact.

The flow is a prevailing wind (:func:`wind`), uniform, which carries the texture without
distorting it however far it goes, plus a slowly turning curl field (:func:`velocity`) whose
reach is capped, so features curl without tearing. A generation may therefore be long
(:data:`GENERATION_TRAVEL` cells of wind): most loops hold one, and the cross-fade that
renews the texture is slow. :func:`pace` lets the motion creep and stall while the loop stays
exact.

A texture that changes in time by evaluating noise at a later time dissolves and re-forms
where it stands (a cross-fade). Here a texture's *coordinates* are carried along a slowly
evolving, divergence-free flow instead (Neyret's advected textures, in the stateless form of a
flow map): each of two layers samples the texture at ``p - a * L * v(p)``, ``a`` its age in
``[-1/2, 1/2)`` of a generation and ``L`` the travel of a generation, so its features travel,
stretch and curl along ``v``. A layer is re-drawn (a fresh offset of the texture) when its
age wraps, at the moment its weight ``1 - |2 (a + 1/2) - 1|`` is zero; the other layer, half a
generation apart, carries the picture meanwhile. The two are blended so the variance stays
that of one texture (``(w_a A + w_b B) / sqrt(w_a^2 + w_b^2)`` for zero-mean noise), so the
contrast does not breathe with the generations.

Everything is a function of the loop's phase, so frames render independently and frame
``frames`` is frame 0 exactly: a loop holds a whole number ``k`` of generations and the flow
itself moves on the loop's time circle (:class:`~wiktoria.render.layer.Clock`). At phase 0 the
first layer is at age 0 (no displacement, offset 0) with all the weight: a loop's frame 0 is
its still.

Examples
--------
>>> [(round(w, 2), round(a, 2), g) for w, a, g in phases(0.0, 2)]
[(1.0, 0.0, 0), (0.0, -0.5, 0)]
>>> round(sum(w for w, _, _ in phases(0.3, 2)), 12)
1.0
"""

from __future__ import annotations

import math

import numpy as np

from wiktoria import noise
from wiktoria.render.layer import Frame, stream_rng

__all__ = ["CURL_REACH", "GENERATION_TRAVEL", "STALL_PERIOD", "blend", "generations", "offset",
           "pace", "phases", "stalls", "velocity", "wind"]

F32 = np.float32

#: Wind travel of one generation, in noise cells of the texture (the uniform wind does not
#: distort the texture: only the cross-fade limits it).
GENERATION_TRAVEL = 4.0
#: The farthest the curl field carries a feature in a generation, cells (more tears it).
CURL_REACH = 0.15
#: Seconds between two stalls of a motion that stalls (:func:`pace`).
STALL_PERIOD = 4.0


def wind(frame: Frame, rise: float = 0.0) -> float:
    """The prevailing wind of a painting, radians in the noise plane (0: to the right, y
    down): within 0.35 rad of level, either way, drawn from the canvas seed and the
    composition's variant, then turned up by ``rise`` (1: straight up, -1: down). The sky's
    clouds travel along it and the strokes glide with it.
    """
    variant, seed = frame.composition.variant, frame.seed
    angle = float(stream_rng(seed, "air-wind", variant).uniform(-0.35, 0.35))
    if stream_rng(seed, "air-wind-side", variant).random() < 0.5:
        angle += math.pi
    if rise:
        r = max(-1.0, min(1.0, float(rise)))
        x = (1.0 - abs(r)) * math.cos(angle)
        y = (1.0 - abs(r)) * math.sin(angle) - r
        angle = math.atan2(y, x)
    return angle


def pace(phase: float, stall: float, cycles: int) -> float:
    """A loop's ``phase`` (0 .. 1) as a motion that stalls lives it: ``cycles`` times a loop
    the pace falls to ``1 - stall`` of its mean (0: it stops) and rises to ``1 + stall``;
    phase 0 and 1 stay where they are, so the loop is still exact, and ``stall`` 0 is the
    phase itself.

    Examples
    --------
    >>> pace(0.3, 0.0, 2), pace(0.0, 1.0, 3), pace(1.0, 1.0, 3)
    (0.3, 0.0, 1.0)
    >>> [round(pace(p, 1.0, 1), 3) for p in (0.1, 0.5, 0.9)]
    [0.006, 0.5, 0.994]
    """
    if stall <= 0.0:
        return phase
    w = 2.0 * math.pi * max(1, int(cycles))
    return phase - stall * math.sin(w * phase) / w


def stalls(duration: float) -> int:
    """How many times a loop of ``duration`` seconds stalls (about every
    :data:`STALL_PERIOD` seconds, at least once)."""
    return max(1, round(duration / STALL_PERIOD))


def generations(travel: float) -> int:
    """Generations in a loop whose texture travels ``travel`` cells: each travels at most
    about :data:`GENERATION_TRAVEL`."""
    return max(1, math.ceil(abs(travel) / GENERATION_TRAVEL))


def phases(phase: float, k: int) -> list[tuple[float, float, int]]:
    """The two layers at loop ``phase`` (0 .. 1) with ``k`` generations per loop: for each,
    ``(weight, age, generation)``; weights sum to 1, ages lie in [-1/2, 1/2) of a
    generation, generations count from 0 (use them modulo ``k``)."""
    out = []
    for shift in (0.5, 0.0):
        g, frac = divmod(phase * k + shift, 1.0)
        out.append((1.0 - abs(2.0 * frac - 1.0), frac - 0.5, int(g) % k))
    return out


def offset(generation: int, layer: int) -> tuple[float, float]:
    """Where the texture of a layer's generation is taken from (0, 0 for the first layer's
    generation 0: a loop's frame 0 is its still)."""
    if generation == 0 and layer == 0:
        return 0.0, 0.0
    n = generation * 2 + layer
    return 37.13 * n, 11.71 * n


def velocity(x: np.ndarray, y: np.ndarray, u: float, v: float, *, seed: int, curl: float,
             wind: float, angle: float, frequency: float = 0.7) -> tuple[np.ndarray, np.ndarray]:
    """A divergence-free flow on the grid of noise coordinates ``x`` (a row, shape (1, w))
    by ``y`` (a column, (h, 1)), each evenly spaced: a uniform wind of speed ``wind`` along
    ``angle`` radians plus curl noise of a stream function that moves on the loop's time
    circle (``u, v``), of speed ``curl`` on average (about 3 times that at most).
    float32, shape (h, w)."""
    xs, ys = np.asarray(x, np.float64).ravel(), np.asarray(y, np.float64).ravel()
    f = frequency
    psi = noise.fbm((xs * f).reshape(1, -1), (ys * f).reshape(-1, 1), u, v, octaves=2,
                    seed=seed, dtype=np.float64)
    # central differences of the stream function: (dpsi/dy, -dpsi/dx) has no divergence
    dpy, dpx = np.gradient(psi, ys if len(ys) > 1 else 1.0, xs if len(xs) > 1 else 1.0)
    norm = 1.0 / (0.9 * f)  # fbm's gradient is about f per cell
    return ((wind * math.cos(angle) + curl * norm * dpy).astype(F32),
            (wind * math.sin(angle) - curl * norm * dpx).astype(F32))


def blend(a: np.ndarray, b: np.ndarray, wa: float, wb: float) -> np.ndarray:
    """Zero-mean fields ``a`` and ``b`` mixed by weights ``wa + wb = 1`` with the variance of
    one (a lone weight returns its field unchanged)."""
    if wb == 0.0:
        return a
    if wa == 0.0:
        return b
    s = F32(1.0 / math.sqrt(wa * wa + wb * wb))
    return ((F32(wa) * a + F32(wb) * b) * s).astype(a.dtype)
