"""The compositor: renders a :class:`~wiktoria.scene.Scene` into an sRGB image.

Each layer of the scene gets its registered renderer (:mod:`wiktoria.render.layer`); the
compositor runs every renderer's ``layout``, then every ``prepare`` (whatever depends on the
whole frame: ridgelines, the low-resolution sky field, the stroke density), then paints the
frame band by band, bottom layer first, in linear light, and encodes each band to sRGB once,
with a fraction of a code value of triangular dither so smooth skies do not band. When every
layer's renderer says its bands are independent (``concurrent_bands``), the bands are painted
on threads (:func:`band_workers`). A 7680x4320 painting needs a few hundred MB beyond its
output. Bands have a fixed height and each band its own dither stream, so the pixels never
depend on the machine or the number of threads. The compositor names no layer type.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

from wiktoria.colour import encode_srgb8_dithered
from wiktoria.colour.roles import Roles, TwoAxis, roles
from wiktoria.common import memory, parallel
from wiktoria.common.cache import LoopCache
from wiktoria.common.memory import MemoryLimit, available_memory, estimate_memory
from wiktoria.moods.mood import Mood
from wiktoria.render.layer import BAND, F32, Band, Frame, LayerRenderer, renderer_for, stream_rng
from wiktoria.scene.scene import Scene

__all__ = ["BAND", "BAND_WORKERS", "Cancelled", "available_memory", "band_workers", "check_memory",
           "estimate_memory", "prepare", "render", "render_layers"]


#: The most bands painted at once (on threads), whatever the number of CPUs: memory stays
#: bounded.
BAND_WORKERS = 4

#: A painting's two-axis colour table (~60 ms to build, 1 MB) and its palette's roles (1 ms):
#: the same in every frame of a loop that keeps its palette and composition.
_TABLES = LoopCache("two-axis", groups=4, max_bytes=16 * 2**20)


#: A loop's dither: the two uniform draws of each band's 8-bit encoding, the same in every
#: frame (the dither holds still), ~24 bytes a pixel: 6 MB at 512x512, 50 MB at 1920x1080
#: (beyond 48 MB a painting's first bands are kept).
_DITHER = LoopCache("dither", groups=2, max_bytes=48 * 2**20)


def _dither(seed: int, index: int, shape: tuple[int, ...], keep: bool
            ) -> tuple[np.ndarray, np.ndarray]:
    """Band ``index``'s dither draws: ``encode_srgb8``'s two from its own seeded stream (kept
    for a loop's next frames when ``keep``)."""
    def draw() -> tuple[np.ndarray, np.ndarray]:
        rng = stream_rng(seed, "dither", index)
        return rng.random(shape, dtype=F32), rng.random(shape, dtype=F32)

    return _DITHER.get((seed, shape[1:]), (index, shape), draw, keep=keep)


def _colours(frame: Frame) -> tuple[TwoAxis, Roles]:
    """``frame``'s :class:`~wiktoria.colour.roles.TwoAxis` table and roles, from the loop
    cache (what :meth:`Frame.colour` and :attr:`Frame.roles` would build: the table depends
    on the palette, key, contrast and hue, the roles on the palette)."""
    c = frame.composition
    key = (frame.palette, c.key, c.contrast, c.hue)
    return (_TABLES.get(key, "table", lambda: TwoAxis(frame.palette, c.key, c.contrast, c.hue)),
            _TABLES.get(key, "roles", lambda: roles(frame.palette)))


def check_memory(width: int, height: int, workers: int = 1) -> None:
    """Raise ValueError before any allocation when ``workers`` renders of this size at once
    would not fit in memory (:func:`wiktoria.common.memory.check_memory`: MemAvailable, the
    cgroup limit, ``RLIMIT_AS``/``RLIMIT_DATA``)."""
    if available_memory is memory.available_memory:
        memory.check_memory(width, height, workers=workers)
        return
    have = available_memory()  # replaced (tests): one limit, shared by the workers
    limits = [] if have is None else [MemoryLimit(have, "available memory")]
    memory.check_memory(width, height, workers=workers, limits=limits)


class Cancelled(Exception):
    """A render given up because its ``cancel`` said so (see :func:`render`)."""


def _check(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled("the render was cancelled")


def render(scene: Scene, mood: Mood | None = None, *,
           cancel: Callable[[], bool] | None = None) -> np.ndarray:
    """Render ``scene``: the mood and layers of its frame (:meth:`Scene.frame_state`), or
    ``mood`` instead of the frame's mood when given.

    ``cancel``, when given, is asked before each layer's ``prepare`` and each band: once it
    answers true the render stops with :class:`Cancelled` (the live page gives up a frame
    whose state has changed instead of finishing it).

    Returns
    -------
    ndarray of uint8, shape (height, width, 3)
        sRGB pixels.

    Raises
    ------
    ValueError
        The render would not fit in the available memory, or a layer type has no renderer.
    Cancelled
        ``cancel`` answered true.
    """
    return render_layers(scene, mood, cancel=cancel)[0]


def prepare(scene: Scene, mood: Mood | None = None, *,
            cancel: Callable[[], bool] | None = None) -> tuple[Frame, list[LayerRenderer]]:
    """The frame of ``scene`` and a renderer per layer (bottom first), after every renderer's
    ``layout``, then every ``begin`` and then every ``prepare``: everything a render does
    before the bands (and ``cancel`` as :func:`render`)."""
    W, H = scene.size
    painted_mood, layers = scene.frame_state()
    frame = Frame(scene=scene, mood=painted_mood if mood is None else mood, width=W, height=H,
                  seed=scene.seed)
    frame.shared["two-axis"], frame.shared["roles"] = _colours(frame)
    counts: dict[str, int] = {}
    renderers = []
    for layer in layers:
        occurrence = counts.get(layer.type, 0)
        counts[layer.type] = occurrence + 1
        renderers.append(renderer_for(layer)(layer, frame, occurrence))
    for r in renderers:
        r.layout()
    for r in renderers:
        r.begin()
    for r in renderers:
        _check(cancel)
        r.prepare()
    return frame, renderers


def render_layers(scene: Scene, mood: Mood | None = None, *,
                  cancel: Callable[[], bool] | None = None
                  ) -> tuple[np.ndarray, list[LayerRenderer]]:
    """:func:`render`, and the prepared renderers (whose strokes a painting can then ask for
    without preparing them again)."""
    W, H = scene.size
    check_memory(W, H)
    _, renderers = prepare(scene, mood, cancel=cancel)
    out = np.empty((H, W, 3), dtype=np.uint8)
    count = -(-H // BAND)

    def paint(index: int) -> None:
        _check(cancel)
        r0 = index * BAND
        rows = np.arange(r0, min(H, r0 + BAND))
        band = Band(index, rows, np.zeros((len(rows), W, 3), dtype=F32))
        for r in renderers:
            r.band(band)
        up, down = _dither(scene.seed, index, band.rgb.shape, scene.loop is not None)
        out[r0 : r0 + len(rows)] = encode_srgb8_dithered(band.rgb, up, down)

    workers = band_workers(count, renderers)
    if workers == 1:
        for index in range(count):
            paint(index)
    else:
        queue = itertools.count()  # next() is atomic: each band is painted once, by any worker

        def worker() -> None:
            for index in iter(queue.__next__, None):
                if index >= count:
                    return
                paint(index)

        parallel.run([worker] * workers)
    return out, renderers


def band_workers(count: int, renderers: list[LayerRenderer]) -> int:
    """How many threads paint the ``count`` bands of a render: one when any layer's
    :attr:`~wiktoria.render.layer.LayerRenderer.concurrent_bands` is false, otherwise
    :func:`wiktoria.common.parallel.num_threads` (``WIKTORIA_NUM_THREADS``), at most
    :data:`BAND_WORKERS` (each band in flight holds its own working arrays: ~100 MB at 7680
    pixels wide) and at most ``count``.

    Every band is painted by the same arithmetic whichever thread paints it, and its dither by
    its own seeded stream, so the pixels are the same for any number of threads.

    >>> from wiktoria.render.layer import LayerRenderer
    >>> band_workers(9, [LayerRenderer.__new__(LayerRenderer)])  # a layer of one's own
    1
    """
    if count <= 1 or not all(r.concurrent_bands for r in renderers):
        return 1
    return max(1, min(parallel.num_threads(), BAND_WORKERS, count))
