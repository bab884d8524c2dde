"""The painter: renders a :class:`~wiktoria.scene.Scene` into an sRGB image.

Layers are composited in linear light into fixed bands of rows, then encoded to sRGB once, with
a fraction of a code value of triangular dither so smooth skies do not band. Whatever depends
on the whole frame (ridgelines, the low-resolution sky field, the stroke density) is prepared
first; everything else is computed band by band, so a 7680x4320 painting needs a few hundred
MB beyond its output. Bands have a fixed height, so the pixels never depend on the machine.
"""

from __future__ import annotations

import math
import os
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from wiktoria import noise
from wiktoria.colour.ramp import Palette
from wiktoria.moods.mood import Mood
from wiktoria.scene import (
    GrainLayer,
    MarbleLayer,
    Scene,
    SkyLayer,
    StrataLayer,
    StrokesLayer,
    WashLayer,
)

__all__ = ["BAND", "estimate_memory", "render"]

#: Rows per band. Fixed: grain and dither are drawn per band, so it must not depend on size.
BAND = 128
#: The sky is smooth: it is computed at this fraction of the resolution, then interpolated.
SKY_SCALE = 0.5

F32 = np.float32


def _stream(seed: int, name: str, *extra: int) -> int:
    """A seed for one named purpose, derived from the canvas seed (stable across versions)."""
    ss = np.random.SeedSequence([seed, zlib.crc32(name.encode()), *extra])
    return int(ss.generate_state(2, np.uint64)[0] >> np.uint64(1))


def _rng(seed: int, name: str, *extra: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(name.encode()), *extra]))


def ramp(palette: Palette, pos: np.ndarray) -> np.ndarray:
    """Linear-light colours of ramp positions, interpolated between lookup-table entries.

    Parameters
    ----------
    pos : ndarray of float32, any shape
        Ramp positions; clipped to [0, 1].

    Returns
    -------
    ndarray of float32, shape ``pos.shape + (3,)``
    """
    lut = palette.linear_lut
    n = lut.shape[0] - 1
    p = np.clip(pos, 0.0, 1.0).astype(F32, copy=False) * F32(n)
    i = np.minimum(p.astype(np.intp), n - 1)
    f = (p - i)[..., None]
    a = np.take(lut, i, axis=0)
    b = np.take(lut, i + 1, axis=0)
    b -= a
    b *= f
    a += b
    return a


def estimate_memory(width: int, height: int) -> int:
    """Bytes a render of this size needs at its peak (a little above what was measured).

    Measured peak RSS (benchmarks/paint_bench.py): 0.25 GB at 1920x1080, 0.50 GB at
    3840x2160, 1.61 GB at 7680x4320, i.e. about 48 bytes per pixel plus ~150 MB: the output,
    the stroke buffers (density, tone, weight, splat classes) and the low-resolution sky.
    """
    return int(width * height * 52 + 200 * 2**20)


def available_memory() -> int | None:
    """Memory available to this process in bytes (Linux), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(width: int, height: int) -> None:
    """Raise ValueError before any allocation when a render would not fit in memory."""
    need = estimate_memory(width, height)
    have = available_memory()
    if have is not None and need > have:
        raise ValueError(
            f"a {width}x{height} painting needs about {need / 2**30:.1f} GiB but only "
            f"{have / 2**30:.1f} GiB is available; choose a smaller size"
        )


@dataclass
class _Ctx:
    scene: Scene
    mood: Mood
    width: int
    height: int
    seed: int
    horizon: float = 0.62
    ridges: np.ndarray | None = None  # (n, W) rows of each ridgeline, far to near
    depths: np.ndarray | None = None  # (n,) 0 far .. 1 near
    sky: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # low-res pos, row & col coords
    strokes: tuple[np.ndarray, np.ndarray] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def palette(self) -> Palette:
        return self.mood.palette

    def time(self, speed: float) -> tuple[float, int | None]:
        """Time coordinate and its period for a layer evolving at ``speed`` cells per second.

        A still is time 0 without a period, which equals frame 0 of any loop exactly (the
        time corners' weights vanish at t = 0). In a loop the period is the whole number of
        cells nearest to ``speed * duration`` (at least 1), so frame ``frames`` equals frame 0.
        """
        loop = self.scene.loop
        if loop is None:
            return 0.0, None
        period = max(1, round(speed * loop.duration))
        return loop.phase * period, period


# --------------------------------------------------------------------------- helpers


def _xy(ctx: _Ctx, rows: np.ndarray, cols: np.ndarray, freq: float) -> tuple[np.ndarray, ...]:
    """Noise coordinates of pixel centres: ``freq`` cells per canvas height."""
    s = freq / ctx.height
    return ((cols + 0.5) * s).reshape(1, -1), ((rows + 0.5) * s).reshape(-1, 1)


def _interp_rows_cols(grid: np.ndarray, gy: np.ndarray, gx: np.ndarray, rows: np.ndarray,
                      cols: np.ndarray) -> np.ndarray:
    """Bilinear interpolation of ``grid`` sampled at pixel coordinates ``gy`` x ``gx``."""
    def locate(g: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i = np.clip(np.searchsorted(g, p, side="right") - 1, 0, len(g) - 2)
        t = np.clip((p - g[i]) / (g[i + 1] - g[i]), 0, 1).astype(F32)
        return i, t

    iy, ty = locate(gy, rows.astype(np.float64))
    ix, tx = locate(gx, cols.astype(np.float64))
    top = grid[iy]
    bot = grid[iy + 1]
    band = top + (bot - top) * ty[:, None]
    left = band[:, ix]
    right = band[:, ix + 1]
    return left + (right - left) * tx[None, :]


def _smooth(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = np.clip((a - lo) / (hi - lo), 0, 1)
    return t * t * (3 - 2 * t)


# --------------------------------------------------------------------------- sky


def _prepare_sky(ctx: _Ctx, layer: SkyLayer) -> None:
    w = max(8, math.ceil(ctx.width * SKY_SCALE) + 2)
    h = max(8, math.ceil(ctx.height * SKY_SCALE) + 2)
    # Sample positions in full-resolution pixel units, covering the frame with a margin.
    gx = np.linspace(-1.0, ctx.width, w)
    gy = np.linspace(-1.0, ctx.height, h)
    x, y = _xy(ctx, gy, gx, layer.frequency)
    t, period = ctx.time(layer.speed)
    value, qx, qy = noise.warp(x, y, t, depth=layer.depth, strength=layer.warp,
                               octaves=layer.octaves, seed=_stream(ctx.seed, "sky"),
                               period=(None, None, period), return_offsets=True)
    yy = ((gy + 0.5) / ctx.height).reshape(-1, 1)
    hz = ctx.horizon
    # Brightest at the horizon, darkening upwards; the warp's folds move the ramp position.
    glow = np.exp(-(((yy - hz) / 0.3) ** 2)).astype(F32)
    glow = np.where(yy > hz, F32(1.0), glow)
    t = F32(0.5 * (1 - layer.glow)) + F32(layer.glow) * glow
    fold = np.hypot(qx, qy) if layer.depth else np.zeros_like(value)
    pos = (F32(layer.low) + F32(layer.high - layer.low) * t
           + F32(layer.contrast) * (F32(1.6) * value + F32(0.5) * (fold - fold.mean())))
    ctx.sky = (np.clip(pos, 0, 1).astype(F32), gy, gx)


def _band_sky(ctx: _Ctx, layer: SkyLayer, rows: np.ndarray, buf: np.ndarray) -> None:
    assert ctx.sky is not None
    pos, gy, gx = ctx.sky
    p = _interp_rows_cols(pos, gy, gx, rows, np.arange(ctx.width))
    ctx.extra["band_pos"] = p
    buf[...] = ramp(ctx.palette, p)


# --------------------------------------------------------------------------- strata


def _prepare_strata(ctx: _Ctx, layer: StrataLayer) -> None:
    n = layer.count
    W, H = ctx.width, ctx.height
    depths = np.linspace(0.0, 1.0, n) if n > 1 else np.ones(1)
    hz = layer.horizon
    cols = np.arange(W, dtype=np.float64)
    ridges = np.empty((n, W), dtype=F32)
    t, period = ctx.time(layer.speed)
    per = (None, None, period)
    for i, d in enumerate(depths):
        base = H * (hz + layer.spread * (1 - hz) * d**1.35)
        freq = layer.frequency * (1.0 + 0.5 * d)
        x = (cols + 0.5) / W * freq
        seed = _stream(ctx.seed, "strata", i)
        # A gentle sideways warp keeps the ridges from looking like audio waveforms.
        xw = x + layer.warp * 0.35 * noise.fbm(x * 0.7, 0.37 + i, t, octaves=3, seed=seed + 1,
                                               period=per, dtype=np.float64)
        octaves = max(2, layer.octaves - (n - 1 - i))
        # Time moves the ridges gently: they breathe rather than slide.
        rolling = noise.fbm(xw, 0.5 + 3.1 * i, t, octaves=octaves, seed=seed, period=per,
                            dtype=np.float64)
        peaks = noise.ridged(xw * 0.8, 7.3 + i, t, octaves=octaves, seed=seed + 2,
                             period=per, dtype=np.float64)
        height = 1.6 * rolling + 0.9 * (peaks - 0.45)
        amp = layer.roughness * H * (0.05 + 0.07 * d)
        ridges[i] = base - amp * height
    ctx.ridges = ridges
    ctx.depths = depths.astype(F32)
    ctx.horizon = hz


def _haze_colour(ctx: _Ctx, buf: np.ndarray) -> np.ndarray:
    """The colour of the air: the sky at the horizon, smoothed along it, shape (1, W, 3).

    Without a sky layer the mean colour of what lies below is used.
    """
    if "haze" not in ctx.extra:
        if ctx.sky is not None:
            pos, gy, gx = ctx.sky
            row = _interp_rows_cols(pos, gy, gx, np.array([ctx.horizon * ctx.height]),
                                    np.arange(ctx.width))[0]
            k = max(3, ctx.width // 6) | 1
            pad = np.pad(row, k // 2, mode="edge")
            smooth = np.convolve(pad, np.ones(k, dtype=F32) / F32(k), mode="valid")
            ctx.extra["haze"] = ramp(ctx.palette, smooth.astype(F32))[None]
        else:
            ctx.extra["haze"] = buf.mean(axis=(0, 1), keepdims=True)
    return ctx.extra["haze"]


def _band_strata(ctx: _Ctx, layer: StrataLayer, rows: np.ndarray, buf: np.ndarray) -> None:
    assert ctx.ridges is not None and ctx.depths is not None
    W, H = ctx.width, ctx.height
    r = rows.astype(F32).reshape(-1, 1)
    if r[-1, 0] + 1 < ctx.ridges.min():
        return  # the whole band is sky
    haze_col = _haze_colour(ctx, buf)
    x, y = _xy(ctx, rows, np.arange(W), 3.0)
    t, period = ctx.time(layer.speed)
    tex = noise.fbm(x * 0.6, y * 1.8, t, octaves=5, seed=_stream(ctx.seed, "strata-texture"),
                    period=(None, None, period))
    n = len(ctx.depths)
    ink = _band_ink(ctx, rows)
    covered = np.zeros((len(rows), W), dtype=F32)
    for i, d in enumerate(ctx.depths):
        ridge = ctx.ridges[i].reshape(1, -1)
        below = r - ridge  # rows below the ridge line
        cover = np.clip(below + F32(0.5), 0, 1)
        if not cover.any():
            continue
        pos = F32(layer.far + (layer.near - layer.far) * d) + F32(layer.texture) * (
            F32(0.4 + 0.8 * d) * tex)
        # A lighter rim along the ridge line: small bright accents carry the shape.
        rim = np.exp(-np.maximum(below, 0) / F32(0.006 * H + 1.0))
        pos = pos + F32(0.18 * (1 - 0.5 * d)) * rim
        # Deeper in a stratum it darkens a little (the valley before the next ridge).
        pos = pos - F32(0.06) * _smooth(below, 0, 0.2 * H)
        if ink is not None:
            # Strokes are part of the stratum's surface: they pull its ramp position towards
            # their own (in a perceptual ramp, so no mud), before the haze of distance.
            lift, alpha = ink
            pos = pos + lift * alpha
        col = ramp(ctx.palette, pos)
        haze = F32(layer.haze * (1 - d) ** 1.3)
        if n > 1 and haze > 0:
            col += (haze_col - col) * haze
        a = cover[..., None]
        buf += (col - buf) * a
        np.maximum(covered, cover, out=covered)
    ctx.extra["band_cover"] = covered


# --------------------------------------------------------------------------- strokes


def _prepare_strokes(ctx: _Ctx, layer: StrokesLayer) -> None:
    from wiktoria.render.strokes import StrokeParams, render_strokes

    W, H = ctx.width, ctx.height
    weight = None
    if layer.clip > 0 and ctx.ridges is not None:
        rows = np.arange(H, dtype=F32).reshape(-1, 1)
        inside = np.clip(rows - ctx.ridges[0].reshape(1, -1) + F32(0.5), 0, 1)
        weight = (F32(layer.clip) * inside + F32(1 - layer.clip)).astype(F32)
    scale = H / 1080
    # The same strokes at any resolution: count per megapixel at 1080 lines; lengths and
    # widths scale with the height. A 4K render is the 1080p painting, sharper. Below 270
    # lines (thumbnails, tests) the count falls with the area instead: strokes there are
    # thinner than a pixel and tens of thousands of them would cost time for nothing.
    count = max(1, round(layer.density * W * H / 1e6 / max(scale, 0.25) ** 2))
    t, period = ctx.time(layer.speed)
    loop = ctx.scene.loop
    # In a loop strokes live staggered lives of about ``layer.life`` seconds (a whole number
    # per loop, so the loop stays seamless), fading in and out while they slide along the flow
    # at the field's speed (``speed`` cells per second, a cell is ``H / frequency`` pixels).
    cycles, travel = 0, None
    if loop is not None:
        cycles = min(100_000, max(1, round(loop.duration / layer.life)))
        travel = min(1e5, layer.speed * loop.duration / cycles * H / layer.frequency)
    w = layer.width * scale
    params = StrokeParams(
        count=count,
        length=max(1.0, layer.length * scale),
        width=(min(32.0, max(0.25, 0.6 * w)), min(32.0, max(0.25, 3.5 * w))),
        curl=layer.curl,
        frequency=layer.frequency,
        octaves=layer.octaves,
        gain=layer.gain,
        seed=_stream(ctx.seed, "strokes"),
        t=t,
        period=period,
        phase=0.0 if loop is None else loop.phase,
        cycles=cycles,
        travel=travel,
    )
    out = render_strokes(W, H, params, weight=weight)
    ctx.strokes = (out.density, out.tone)


def _band_ink(ctx: _Ctx, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Ramp lift and opacity of the strokes in a band, or None without strokes.

    A stroke moves the ramp position of the surface below by ``lift`` (scaled by its tone),
    so strokes on a far, pale stratum stay pale and strokes on a near, dark one stay dark:
    the landscape's depth survives the texture.
    """
    layer = ctx.scene.layer("strokes")
    if ctx.strokes is None or not isinstance(layer, StrokesLayer):
        return None
    density, tone = ctx.strokes
    d = density[rows[0] : rows[-1] + 1]
    t = tone[rows[0] : rows[-1] + 1]
    lift = F32(layer.lift) * (F32(1 - layer.contrast) + F32(layer.contrast) * t)
    return lift, F32(layer.opacity) * d


def _band_strokes(ctx: _Ctx, layer: StrokesLayer, rows: np.ndarray, buf: np.ndarray) -> None:
    """Strokes outside the strata (inside them the strata layer has drawn them)."""
    ink = _band_ink(ctx, rows)
    if ink is None:
        return
    lift, alpha = ink
    if not alpha.any():
        return
    cover = ctx.extra.get("band_cover")
    free = F32(1) - cover if cover is not None else np.ones_like(alpha)
    base = ctx.extra.get("band_pos")
    if base is not None:
        # Over a ramp-coloured ground, move along the ramp (perceptual, no mud).
        col = ramp(ctx.palette, base + lift * alpha)
        buf += (col - buf) * (free * (alpha > 0))[..., None]
    else:
        col = ramp(ctx.palette, F32(0.5) + lift)
        buf += (col - buf) * (alpha * free)[..., None]


# --------------------------------------------------------------------------- wash and marble


def _band_wash(ctx: _Ctx, layer: WashLayer, rows: np.ndarray, buf: np.ndarray) -> None:
    x, y = _xy(ctx, rows, np.arange(ctx.width), layer.frequency)
    t, period = ctx.time(layer.speed)
    v = noise.fbm(x, y, t, octaves=3, seed=_stream(ctx.seed, "wash"), period=(None, None, period))
    p = F32(layer.position) + F32(layer.variation) * F32(2) * v
    ctx.extra["band_pos"] = p
    buf[...] = ramp(ctx.palette, p)


def _band_marble(ctx: _Ctx, layer: MarbleLayer, rows: np.ndarray, buf: np.ndarray) -> None:
    x, y = _xy(ctx, rows, np.arange(ctx.width), layer.frequency)
    seed = _stream(ctx.seed, "marble")
    t, period = ctx.time(layer.speed)
    value, qx, qy = noise.warp(x, y, t, depth=layer.depth, strength=layer.warp,
                               octaves=layer.octaves, seed=seed, period=(None, None, period),
                               return_offsets=True)
    fold = np.hypot(qx, qy)
    # Fine veins where the warp folds: ridged noise sampled in the warped domain.
    vx = x + F32(layer.warp) * qx
    vy = y + F32(layer.warp) * qy
    veins = noise.ridged(vx * 1.7, vy * 1.7, t, octaves=3, seed=seed + 7,
                         period=(None, None, period))
    veins = _smooth(veins, 0.8, 0.99) * F32(layer.veins)
    span = F32(layer.high - layer.low)
    base = F32(layer.low) + span * np.clip(F32(0.5) + F32(1.8) * value, 0, 1)
    alt = F32(layer.low) + span * np.clip(F32(0.25) + F32(1.2) * qx + F32(0.6) * fold, 0, 1)
    mix = np.clip(F32(1.4) * fold, 0, 1)[..., None]
    col = ramp(ctx.palette, base)
    col += (ramp(ctx.palette, alt) - col) * mix
    col += (ramp(ctx.palette, F32(layer.high) * np.ones_like(base)) - col) * veins[..., None]
    buf[...] = col


# --------------------------------------------------------------------------- grain and encode


def _band_grain(ctx: _Ctx, layer: GrainLayer, rows: np.ndarray, buf: np.ndarray,
                band: int) -> None:
    W, H = ctx.width, ctx.height
    if layer.amount > 0:
        g = _rng(ctx.seed, "grain", band).standard_normal((len(rows), W), dtype=F32)
        g *= F32(layer.amount)
        g += F32(1)
        buf *= g[..., None]
    if layer.vignette > 0:
        yy = ((rows + 0.5) / H - 0.5).astype(F32).reshape(-1, 1)
        xx = ((np.arange(W) + 0.5) / W - 0.5).astype(F32).reshape(1, -1)
        aspect = F32(W / H)
        r2 = (xx * aspect) ** 2 + yy**2
        r2 /= F32(0.25 * aspect**2 + 0.25)
        v = F32(1) - F32(layer.vignette) * _smooth(r2, 0.25, 1.1)
        buf *= v[..., None]


def encode_srgb(buf: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Linear-light float32 (..., 3) to sRGB uint8, with triangular dither of one code value."""
    lin = np.clip(buf, 0, 1)
    low = lin <= F32(0.0031308)
    s = np.power(lin, F32(1 / 2.4))
    s *= F32(1.055 * 255)
    s -= F32(0.055 * 255)
    s = np.where(low, lin * F32(12.92 * 255), s)
    s += rng.random(s.shape, dtype=F32)
    s -= rng.random(s.shape, dtype=F32)
    s += F32(0.5)
    np.clip(s, 0, 255, out=s)
    return s.astype(np.uint8)


_PREPARE = {"sky": _prepare_sky, "strata": _prepare_strata, "strokes": _prepare_strokes}
_BAND = {"sky": _band_sky, "strata": _band_strata, "strokes": _band_strokes,
         "wash": _band_wash, "marble": _band_marble}


def render(scene: Scene, mood: Mood) -> np.ndarray:
    """Render ``scene`` with the resolved ``mood``.

    Returns
    -------
    ndarray of uint8, shape (height, width, 3)
        sRGB pixels.
    """
    W, H = scene.size
    check_memory(W, H)
    ctx = _Ctx(scene=scene, mood=mood, width=W, height=H, seed=scene.seed)
    strata = scene.layer("strata")
    if isinstance(strata, StrataLayer):
        ctx.horizon = strata.horizon
    # Strata before the sky: the sky's glow sits on the horizon the strata define.
    order = sorted(scene.layers, key=lambda layer: 0 if layer.type == "strata" else 1)
    for layer in order:
        prep = _PREPARE.get(layer.type)
        if prep is not None:
            prep(ctx, layer)  # type: ignore[operator]
    out = np.empty((H, W, 3), dtype=np.uint8)
    for band, r0 in enumerate(range(0, H, BAND)):
        rows = np.arange(r0, min(H, r0 + BAND))
        buf = np.zeros((len(rows), W, 3), dtype=F32)
        ctx.extra.pop("band_pos", None)
        ctx.extra.pop("band_cover", None)
        for layer in scene.layers:
            if isinstance(layer, GrainLayer):
                _band_grain(ctx, layer, rows, buf, band)
            else:
                _BAND[layer.type](ctx, layer, rows, buf)  # type: ignore[operator]
        out[r0 : r0 + len(rows)] = encode_srgb(buf, _rng(scene.seed, "dither", band))
    return out
