"""Stroke layers, stage 0: the parameters (:class:`StrokeParams`), checked on construction, the
result (:class:`StrokeLayer`), and the distances both the field and the seeding derive from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np

from wiktoria.common import validate

__all__ = ["MAX_SIDE", "StrokeLayer", "StrokeParams", "ToneMode", "life_travel", "seed_margin"]

ToneMode = Literal["stroke", "along", "speed"]

_TONE_MODES = ("stroke", "along", "speed")
MAX_SIDE = 16384
_MAX_COUNT = 10_000_000
_MAX_CYCLES = 100_000

#: Every numeric parameter: (whole number?, lowest, highest, lowest excluded?).
_RANGES: dict[str, tuple[bool, float, float, bool]] = {
    "count": (True, 1, _MAX_COUNT, False),
    "length": (False, 0.0, 10_000.0, True),
    "length_spread": (False, 0.0, 2.0, False),
    "step": (False, 0.25, 16.0, False),
    "opacity": (False, 0.0, 1.0, True),
    "opacity_spread": (False, 0.0, 2.0, False),
    "curl": (False, 0.0, 1.0, False),
    "direction": (False, -2 * math.pi, 2 * math.pi, False),
    "frequency": (False, 0.0, 64.0, True),
    "octaves": (True, 1, 8, False),
    "gain": (False, 0.0, 100.0, True),
    "seed": (True, 0, 2**64 - 1, False),
    "t": (False, -1e6, 1e6, False),
    "period": (True, 1, 1_000_000, False),
    "phase": (False, -1e6, 1e6, False),
    "cycles": (True, 0, _MAX_CYCLES, False),
    "travel": (False, 0.0, 100_000.0, False),
}
_OPTIONAL = ("period", "travel")  # None is allowed


def _check_width(w: Any) -> tuple[float, float]:
    allowed = ("width must be a pair (min, max) with 0.25 <= min <= max <= 32, "
               f"got {validate.show(w)}")
    if not (isinstance(w, tuple | list) and len(w) == 2):
        raise TypeError(allowed)
    lo = validate.number(w[0], "width[0]", 0.25, 32.0)
    hi = validate.number(w[1], "width[1]", 0.25, 32.0)
    if lo > hi:
        raise ValueError(allowed)
    return lo, hi


@dataclass(frozen=True)
class StrokeParams:
    """Parameters of a stroke layer; validated on construction.

    A value of the wrong type raises ``TypeError``, a value out of range ``ValueError``, with
    one line naming the parameter, the allowed range and the value. Numbers are stored as
    Python ``int`` and ``float`` (numpy scalars are accepted).

    Attributes
    ----------
    count : int
        Number of strokes seeded, 1 to 10,000,000. Default 50,000. Seeds cover the canvas
        plus a margin of one median ``length`` (at most half the canvas's longer side), so
        that strokes can enter from outside; some of them never reach the canvas. In an
        animation the margin is wider by half the ``travel`` and proportionally more strokes
        are seeded, so that the canvas holds as many.
    length : float
        Median stroke length in pixels, (0, 10000]. Default 60. Lengths are lognormal.
    length_spread : float
        Standard deviation of log length, [0, 2]. Default 0.6. Lengths are clipped to
        ``length * exp(±2.5 * length_spread)``.
    step : float
        Integration step in pixels, [0.25, 16]. Default 2. Strokes are splatted as continuous
        lines whatever the step; a smaller step follows the field's tight curls more
        faithfully and costs more tracing time.
    width : (float, float)
        Smallest and largest stroke width in pixels, ``0.25 <= min <= max <= 32``. Default
        (0.7, 5.0). Widths are ``min * (max / min) ** (u * u)`` with ``u`` uniform: most strokes
        are fine lines and a few are broad accents. They are drawn as up to four width classes
        (box-blur radius ``round((w - 1) / 2)``). A stroke's ink per pixel of length is
        ``opacity * w``, so strokes thinner than a pixel are fainter rather than thinner, and a
        stroke is at least ``8 w`` long (a short broad stroke is a blob).
    opacity : float
        Median stroke opacity, (0, 1]. Default 0.25. Opacities are lognormal, clipped to 1.
    opacity_spread : float
        Standard deviation of log opacity, [0, 2]. Default 0.5.
    curl : float
        From nearly laminar (0: strokes follow ``direction``, gently bent by fBm) to tightly
        curled (1: pure curl noise, strokes swirl around its eddies), [0, 1]. Default 0.5.
    direction : float
        Mean direction of the laminar part in radians (0 is +x, to the right; pi/2 is +y,
        down the image), [-2 pi, 2 pi]. Default 0.
    frequency : float
        Noise cells per canvas height of the field's first octave, (0, 64]. Default 2.
    octaves : int
        Octaves of the field's fBm, 1 to 8. Default 3.
    gain : float
        Tone-map gain ``k`` of ``1 - exp(-k * density)``, (0, 100]. Default 1.2. With the
        defaults, 50,000 strokes at 1920x1080 cover about 40 % of the canvas.
    tone : {'stroke', 'along', 'speed'}
        What the tone channel averages: a value per stroke ('stroke', the default; uniform in
        (0, 1), from low-frequency fBm at the stroke's seed plus random jitter, so nearby strokes
        share a family of values and dense areas keep the whole range instead of averaging to
        0.5), the position along the stroke from 0 at its tail to 1 at its head ('along'), or
        the field's local speed relative to its 99th percentile, clipped to 1 ('speed').
    seed : int
        Seed of everything random, 0 to 2**64 - 1. Default 0.
    t : float
        Time: the field's third noise coordinate, in noise cells, [-1e6, 1e6]. Default 0.
        The field changes smoothly with ``t`` and decorrelates over about one unit.
    period : int or None
        Period of the field along ``t`` (exactly periodic: ``t`` and ``t + period`` give the
        same field), 1 to 1,000,000, or None. Default None. Used for seamless loops.
    phase : float
        Position in an animation loop, [-1e6, 1e6], taken modulo 1: ``phase`` and ``phase + 1``
        are the same frame. Default 0. Only used when ``cycles`` is at least 1. For a seamless
        loop pass ``t = phase * period`` as well.
    cycles : int
        Lifetimes per loop, 0 to 100,000. Default 0: a still, every stroke drawn from its seed
        at full opacity. From 1 on, strokes are particles that live finite, staggered lives
        (see :func:`render_strokes`), so frames of a loop crawl and flow instead of morphing,
        and everything is exactly periodic in ``phase``.
    travel : float or None
        Pixels a stroke slides along the field in one life, [0, 100000], or None (default):
        derived from the field's evolution during a life, ``period / cycles`` noise cells (one
        noise cell of travel per cell the field evolves), or one median ``length`` when there
        is no ``period``. Only used when ``cycles`` is at least 1.
    """

    count: int = 50_000
    length: float = 60.0
    length_spread: float = 0.6
    step: float = 2.0
    width: tuple[float, float] = (0.7, 5.0)
    opacity: float = 0.25
    opacity_spread: float = 0.5
    curl: float = 0.5
    direction: float = 0.0
    frequency: float = 2.0
    octaves: int = 3
    gain: float = 1.2
    tone: ToneMode = "stroke"
    seed: int = 0
    t: float = 0.0
    period: int | None = None
    phase: float = 0.0
    cycles: int = 0
    travel: float | None = None

    def __post_init__(self) -> None:
        # Every value is checked and stored as the Python number it stands for (numpy scalars
        # and whole floats for integers are accepted), in field order.
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "width":
                value = _check_width(value)
            elif f.name == "tone":
                value = validate.choice(value, "tone", _TONE_MODES)
            elif value is None and f.name in _OPTIONAL:
                continue
            else:
                whole, lo, hi, lo_open = _RANGES[f.name]
                value = (validate.integer(value, f.name, lo, hi) if whole  # type: ignore[arg-type]
                         else validate.number(value, f.name, lo, hi, lo_open=lo_open))
            object.__setattr__(self, f.name, value)


@dataclass(frozen=True, eq=False)
class StrokeLayer:
    """A rendered stroke layer.

    Attributes
    ----------
    density : ndarray of float32, shape (height, width)
        Tone-mapped ink density in [0, 1]: ``1 - exp(-gain * raw)``.
    tone : ndarray of float32, shape (height, width)
        Density-weighted mean of the per-sample tone value (see ``StrokeParams.tone``), in
        [0, 1]; 0 where there is no ink. Map it through a colour ramp and composite with
        ``density`` as alpha.
    coverage : float
        Mean of ``density`` over the canvas, in [0, 1]: the fraction of the canvas the ink
        would cover if it were gathered up.
    n_strokes : int
        Number of strokes that left ink on the canvas (before the weight map), at most
        ``count`` (in an animation, at most the number of strokes seeded over its wider
        margin).
    """

    density: np.ndarray
    tone: np.ndarray
    coverage: float
    n_strokes: int


def life_travel(width: int, height: int, params: StrokeParams) -> float:
    """Pixels a stroke slides along the field in one life (``cycles >= 1``)."""
    if params.travel is not None:
        travel = params.travel
    elif params.period is not None:
        # One noise cell of travel per noise cell the field evolves during a life: strokes and
        # field move at commensurate rates, so neither the flow nor the morphing dominates.
        travel = params.period / max(params.cycles, 1) * height / params.frequency
    else:
        travel = params.length
    return min(travel, 2.0 * max(width, height))


def seed_margin(width: int, height: int, params: StrokeParams) -> float:
    """How far outside the canvas strokes are seeded: one median length (plus half the travel
    in an animation, since a stroke slides up to that far back or on), at most half a side."""
    m = params.length
    if params.cycles:
        m += 0.5 * life_travel(width, height, params)
    return min(m, 0.5 * max(width, height))
