"""Stroke layers, the swarm (with stage 4, lifetimes): where every stroke starts, how long, wide
and opaque it is, its tone value and, in an animation, its age and life (:func:`make_swarm`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from wiktoria import noise
from wiktoria.render.strokes.field import fbm_rms_scale, field_seeds
from wiktoria.render.strokes.params import StrokeParams, life_travel, seed_margin

__all__ = ["Swarm", "make_swarm"]

_MAX_CLASSES = 4
_MIN_ASPECT = 8.0  # shortest stroke length in widths
_FADE = 0.3  # fraction of a stroke's life over which it fades in (and out) in an animation
# Roberts' R3 low-discrepancy sequence: 1 / g ** k, g the real root of x ** 4 = x + 1.
_R3 = (0.8191725133961645, 0.6710436067037893, 0.5497004779019703)


@dataclass(frozen=True)
class Swarm:
    x0: np.ndarray  # float32 (n,)
    y0: np.ndarray
    n_steps: np.ndarray  # int64 (n,): steps of each stroke
    ink: np.ndarray  # float32 (n,): opacity * width (ink per pixel of line), times the envelope
    value: np.ndarray  # float32 (n,): per-stroke tone value
    radius: np.ndarray  # int64 (n,): blur radius of the width class
    shift: np.ndarray | None = None  # float32 (n,): pixels to slide along the field (animations)


def _envelope(age: np.ndarray) -> np.ndarray:
    """Opacity over a life: 0 at birth and death, fading over ``_FADE`` of the life at each end.

    Its mean over a life is ``1 - _FADE`` (a smoothstep's mean is one half).
    """
    e = np.clip(age / _FADE, 0.0, 1.0)
    f = np.clip((1.0 - age) / _FADE, 0.0, 1.0)
    return e * e * (3.0 - 2.0 * e) * f * f * (3.0 - 2.0 * f)


def _lives(
    index: np.ndarray, params: StrokeParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Age in [0, 1), life index in ``[0, cycles)`` and base point of strokes at ``phase``.

    A stroke of sequence index ``i`` (distinct integers) is born ``offset_i`` of a life early.
    Offsets and base points (in the unit square) are the three coordinates of Roberts' R3
    sequence ``frac(s + i * alpha)``, a low-discrepancy sequence: at every phase the strokes
    are at all ages, and the strokes of any range of ages are evenly spread over the canvas,
    so the ink stays steady. Exactly periodic: ``phase`` is reduced modulo 1 first.

    Returns
    -------
    age : float64 (n,)
    life : uint64 (n,)
    base : float64 (2, n)
    """
    ss = np.random.SeedSequence([params.seed, 0x4C49])  # 'LI'
    shift = np.random.default_rng(ss).random(3)
    i = np.asarray(index, dtype=np.float64)
    offset, bx, by = ((s + i * a) % 1.0 for s, a in zip(shift, _R3, strict=True))
    x = (params.phase % 1.0) * params.cycles + offset
    c = np.floor(x)
    age = x - c
    life = c.astype(np.int64) % params.cycles
    return age, life.astype(np.uint64), np.stack([bx, by])


def _life_uniforms(
    index: np.ndarray, params: StrokeParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Age and seed coordinates of each stroke's current life: ``u``, ``v`` in [0, 1) spread
    evenly (the base point, moved by a random offset per life and jittered by about the
    points' spacing, so no lattice shows) and sub-pixel jitters ``jx``, ``jy`` in [0, 1)."""
    n = index.size
    age, life, base = _lives(index, params)
    key = int(np.random.SeedSequence([params.seed, 0x5345]).generate_state(1, np.uint64)[0])
    slot = np.arange(n, dtype=np.uint64)
    spacing = 1.0 / math.sqrt(n)
    zero = np.zeros(n, np.uint64)
    out = []
    for k in range(2):
        rot = _hash_uniform(key, zero, life, 4 + k)  # one offset per life, shared by all
        jit = _hash_uniform(key, slot, life, k) - 0.5
        out.append((base[k] + rot + jit * spacing) % 1.0)
    jx, jy = (_hash_uniform(key, slot, life, 2 + k) for k in range(2))
    return age, out[0], out[1], jx, jy


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array (wrapping arithmetic), in place."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _hash_uniform(key: int, i: np.ndarray, life: np.ndarray, k: int) -> np.ndarray:
    """Uniform [0, 1) float64 per ``(stroke i, life, quantity k)``: a counter-based hash, so
    any life of any stroke is drawn directly, without drawing the lives before it."""
    x = i.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x += np.uint64(key)
    _mix64(x)
    x ^= life * np.uint64(0xD1B54A32D192ED03) + np.uint64((k + 1) * 0x8CB92BA72F3D8DD7 % 2**64)
    _mix64(x)
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)


def make_swarm(
    width: int, height: int, params: StrokeParams, weight: np.ndarray | None
) -> Swarm:
    n = params.count
    # One stream per quantity: the first n strokes of a larger swarm are the n of a smaller.
    s_a, s_b, s_c, s_len, s_wid, s_op, s_val = np.random.SeedSequence(
        [params.seed, 0x5357]
    ).spawn(7)
    m = seed_margin(width, height, params)
    if params.cycles:
        # The seeding area is wider than a still's (strokes slide back and on by half the
        # travel), so proportionally more strokes: the canvas holds as many as in the still.
        m0 = seed_margin(width, height, replace(params, cycles=0))
        n = max(1, round(n * _seed_measure(width, height, m, weight)
                         / _seed_measure(width, height, m0, weight)))
    sig = params.length_spread
    log_len = np.random.default_rng(s_len).normal(0.0, 1.0, n)
    length = params.length * np.exp(sig * np.clip(log_len, -2.5, 2.5))
    wmin, wmax = params.width
    # Log-width is skewed towards thin (the square of a uniform): most strokes are fine lines,
    # a few are broad accents (about 6 % in the top eighth of the log range).
    uw = np.random.default_rng(s_wid).random(n)
    wid = wmin * (wmax / wmin) ** (uw * uw)
    # A short, broad stroke is a blob: strokes are at least _MIN_ASPECT times their width long.
    length = np.maximum(length, _MIN_ASPECT * wid)
    n_steps = np.maximum(1, np.ceil(length / params.step)).astype(np.int64)
    radius = _class_radii(wid, wmin, wmax)
    osig = params.opacity_spread
    op = params.opacity * np.exp(osig * np.random.default_rng(s_op).normal(0.0, 1.0, n))
    op = np.minimum(op, 1.0)
    ink = op * wid
    age = None
    if params.cycles:
        # Lives: strokes ranked by their ink take the points of a low-discrepancy sequence in
        # turn, so that strokes of every weight are spread evenly over ages and over the canvas.
        rank = np.empty(n, np.int64)
        rank[np.argsort(-(ink * length), kind="stable")] = np.arange(n)
        age, ua, ub, jx, jy = _life_uniforms(rank, params)
        if weight is None:
            x0 = (-0.5 - m) + ua * (width + 2 * m)
            y0 = (-0.5 - m) + ub * (height + 2 * m)
        else:
            x0, y0 = _weighted_seeds(weight, m, ua, ub, jx, jy)
    elif weight is None:
        x0 = np.random.default_rng(s_a).uniform(-0.5 - m, width - 0.5 + m, n)
        y0 = np.random.default_rng(s_b).uniform(-0.5 - m, height - 0.5 + m, n)
    else:
        # Seed pixels in proportion to the weight, over the canvas and the margin (where the
        # weight is its nearest edge pixel's), so that regions touching an edge are not
        # starved of the strokes that would flow in from outside.
        mi = math.ceil(m)
        padded = np.pad(weight, mi, mode="edge") if mi else weight
        pw = padded.shape[1]
        cdf = np.cumsum(padded.reshape(-1), dtype=np.float64)
        del padded
        u = np.random.default_rng(s_a).random(n) * cdf[-1]
        jx = np.random.default_rng(s_b).random(n) - 0.5
        jy = np.random.default_rng(s_c).random(n) - 0.5
        flat = np.minimum(np.searchsorted(cdf, u, side="right"), cdf.size - 1)
        del cdf
        x0 = flat % pw - mi + jx * 0.999
        y0 = flat // pw - mi + jy * 0.999
    value = _stroke_values(x0, y0, height, params, np.random.default_rng(s_val))
    shift = None
    if age is not None:
        # Fade in and out over the life; the mean ink over a life is the still's.
        ink *= _envelope(age) * (1.0 / (1.0 - _FADE))
        # The stroke slides along the field as it ages: it starts half the travel behind its
        # seed and ends half the travel past it (at mid-life it is the still's stroke).
        shift = ((age - 0.5) * life_travel(width, height, params)).astype(np.float32)
    return Swarm(
        x0.astype(np.float32),
        y0.astype(np.float32),
        n_steps,
        ink.astype(np.float32),
        value.astype(np.float32),
        radius,
        shift,
    )


def _weighted_seeds(
    weight: np.ndarray, m: float, u: np.ndarray, v: np.ndarray, jx: np.ndarray, jy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Seeds with density proportional to the weight (over the canvas and a margin of ``m``
    where it is the nearest edge pixel's), from evenly spread ``u``, ``v``: the row by the
    inverse CDF of the row sums at ``v``, the column by that row's inverse CDF at ``u``, so
    evenly spread points stay evenly spread."""
    mi = math.ceil(m)
    padded = np.pad(weight, mi, mode="edge") if mi else weight
    ph, pw = padded.shape
    cdf = np.cumsum(padded.reshape(-1), dtype=np.float64)
    row_end = cdf[pw - 1 :: pw]
    row_start = np.concatenate([[0.0], row_end[:-1]])
    row = np.minimum(np.searchsorted(row_end, v * cdf[-1], side="right"), ph - 1)
    target = row_start[row] + u * (row_end[row] - row_start[row])
    flat = np.searchsorted(cdf, target, side="right")
    flat = np.clip(flat, row * pw, row * pw + pw - 1)
    x0 = flat - row * pw - mi + (jx - 0.5) * 0.999
    y0 = row - mi + (jy - 0.5) * 0.999
    return x0, y0


def _seed_measure(width: int, height: int, m: float, weight: np.ndarray | None) -> float:
    """Area (or total weight) that strokes are seeded over with a margin of ``m`` pixels."""
    if weight is None:
        return (width + 2 * m) * (height + 2 * m)
    mi = math.ceil(m)
    w = weight.astype(np.float64)
    # The padded map's sum without building it: edge rows and columns repeat mi times.
    total = w.sum() + mi * (w[0].sum() + w[-1].sum() + w[:, 0].sum() + w[:, -1].sum())
    total += mi * mi * (w[0, 0] + w[0, -1] + w[-1, 0] + w[-1, -1])
    return max(float(total), 1e-30)


def _stroke_values(
    x0: np.ndarray, y0: np.ndarray, height: int, params: StrokeParams, rng: np.random.Generator
) -> np.ndarray:
    """Per-stroke tone values in (0, 1), uniformly distributed and spatially coherent.

    Independent random values would average to a flat 0.5 wherever strokes overlap; instead a
    value is low-frequency fBm at the stroke's seed plus a random jitter, pushed through the
    normal CDF, so neighbouring strokes share a family of values (colour regions that keep
    their range in dense areas) while still differing from one another.
    """
    scale = params.frequency / height
    _, _, tone_seed = field_seeds(params.seed)
    f = noise.fbm(x0 * scale, y0 * scale, params.t, octaves=2, seed=tone_seed,
                  period=(None, None, params.period), dtype=np.float64)
    _, fbm_std = fbm_rms_scale(2)
    jitter = 0.8
    score = (f / fbm_std + jitter * rng.normal(0.0, 1.0, x0.size)) / math.hypot(1.0, jitter)
    # Normal CDF (Page's tanh approximation, within 2e-4).
    return 0.5 * (1.0 + np.tanh(0.7978845608 * (score + 0.044715 * score**3)))


def _class_radii(wid: np.ndarray, wmin: float, wmax: float) -> np.ndarray:
    """Blur radius per stroke: ``round((w - 1) / 2)`` snapped to at most ``_MAX_CLASSES``."""
    rmin = max(0, round((wmin - 1) / 2))
    rmax = max(0, round((wmax - 1) / 2))
    if rmax - rmin + 1 <= _MAX_CLASSES:
        levels = np.arange(rmin, rmax + 1)
    else:
        levels = np.unique(np.round(np.geomspace(rmin + 1, rmax + 1, _MAX_CLASSES)) - 1)
    want = np.clip(np.round((wid - 1) / 2), rmin, rmax)
    nearest = np.abs(want[:, None] - levels[None, :]).argmin(axis=1)
    return levels[nearest].astype(np.int64)
