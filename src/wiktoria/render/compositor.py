"""The compositor: renders a :class:`~wiktoria.scene.Scene` into an sRGB image.

Each layer of the scene gets its registered renderer (:mod:`wiktoria.render.layer`); the
compositor runs every renderer's ``layout``, then every ``prepare`` (whatever depends on the
whole frame: ridgelines, the low-resolution sky field, the stroke density), then paints the
frame band by band, bottom layer first, in linear light, and encodes each band to sRGB once,
with a fraction of a code value of triangular dither so smooth skies do not band. A
7680x4320 painting needs a few hundred MB beyond its output. Bands have a fixed height, so the
pixels never depend on the machine. The compositor names no layer type.
"""

from __future__ import annotations

import os

import numpy as np

from wiktoria.colour import encode_srgb8
from wiktoria.moods.mood import Mood
from wiktoria.render.layer import BAND, F32, Band, Frame, renderer_for, stream_rng
from wiktoria.scene.scene import Scene

__all__ = ["BAND", "available_memory", "check_memory", "estimate_memory", "render"]



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


def render(scene: Scene, mood: Mood | None = None) -> np.ndarray:
    """Render ``scene``: the mood and layers of its frame (:meth:`Scene.frame_state`), or
    ``mood`` instead of the frame's mood when given.

    Returns
    -------
    ndarray of uint8, shape (height, width, 3)
        sRGB pixels.

    Raises
    ------
    ValueError
        The render would not fit in the available memory, or a layer type has no renderer.
    """
    W, H = scene.size
    check_memory(W, H)
    painted_mood, layers = scene.frame_state()
    frame = Frame(scene=scene, mood=painted_mood if mood is None else mood, width=W, height=H,
                  seed=scene.seed)
    counts: dict[str, int] = {}
    renderers = []
    for layer in layers:
        occurrence = counts.get(layer.type, 0)
        counts[layer.type] = occurrence + 1
        renderers.append(renderer_for(layer)(layer, frame, occurrence))
    for r in renderers:
        r.layout()
    for r in renderers:
        r.prepare()
    out = np.empty((H, W, 3), dtype=np.uint8)
    for index, r0 in enumerate(range(0, H, BAND)):
        rows = np.arange(r0, min(H, r0 + BAND))
        band = Band(index, rows, np.zeros((len(rows), W, 3), dtype=F32))
        for r in renderers:
            r.band(band)
        out[r0 : r0 + len(rows)] = encode_srgb8(band.rgb, stream_rng(scene.seed, "dither", index))
    return out
