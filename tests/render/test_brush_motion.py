"""The brush in loops (issue 15): strokes are persistent, gliding along their streamlines,
born and dying gently, so a stroke keeps its identity from frame to frame; stills unchanged."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import wiktoria
import wiktoria.render.layers.brush as brush_module
from wiktoria.render.compositor import prepare, render
from wiktoria.render.strokes.motion import Glide, sway
from wiktoria.render.strokes.raster import StrokeSet
from wiktoria.render.strokes.streamlines import Streamlines
from wiktoria.scene.scene import Loop

SIZE = (192, 108)
FRAMES = 24


def base(mood: str, style: str, seed: int = 1):  # type: ignore[no-untyped-def]
    scene = wiktoria.paint(mood, size=(8, 8), seed=seed, style=style).scene
    return replace(scene, canvas=wiktoria.Canvas(*SIZE, seed))


def at(scene, n: int, frames: int = FRAMES):  # type: ignore[no-untyped-def]
    return replace(scene, loop=Loop(frames=frames, fps=24.0, frame=n))


def brush_of(scene):  # type: ignore[no-untyped-def]
    frame, renderers = prepare(scene)
    return next(r for r in renderers if r.layer.type == "brush"), frame


def ink(points, offsets, widths, alphas) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The strokes' union coverage painted alone (times their alphas)."""
    H = SIZE[1]
    buf = np.zeros((H, SIZE[0], 3), np.float32)
    n = len(widths)
    if n:
        StrokeSet(points, offsets, widths).paint(buf, np.ones((n, 3), np.float32),
                                                 np.asarray(alphas, np.float32))
    return buf[..., 0]


def change(a: np.ndarray, b: np.ndarray) -> float:
    """How much the ink changes between two frames, of the ink: 0 for the same strokes in
    the same places, about 1 or more for strokes in new places."""
    return float(np.abs(b - a).mean() / max(a.mean(), 1e-9))


@pytest.mark.parametrize(("mood", "style"), [("haunting", "landscape"), ("seething", "flow")])
def test_the_last_frame_runs_into_the_first_exactly(mood: str, style: str) -> None:
    scene = base(mood, style)
    brush_module._CACHE.clear()
    first = render(at(scene, 0))  # a fresh process paints frame 0 first
    for n in (FRAMES - 2, FRAMES - 1):
        render(at(scene, n))
    assert np.array_equal(render(at(scene, 0)), first)  # frame `frames` is frame 0
    g = brush_of(at(scene, 3))[0]._rest().glide
    for a, b in zip(g.at(0.0), g.at(1.0), strict=True):
        assert np.array_equal(a, b)


def test_frames_are_deterministic_and_independent_of_order() -> None:
    scene = base("seething", "landscape")
    brush_module._CACHE.clear()
    a = render(at(scene, 7))
    render(at(scene, 2))
    brush_module._CACHE.clear()
    assert np.array_equal(render(at(scene, 7)), a)


@pytest.mark.parametrize(("mood", "style"), [("haunting", "flow"), ("seething", "flow"),
                                             ("haunting", "landscape"),
                                             ("seething", "landscape")])
def test_strokes_keep_their_identity_between_frames(mood: str, style: str) -> None:
    """The brush's ink changes little between consecutive frames; placing the streamlines
    again in every frame's field (as before issue 15) changes it wholesale."""
    scene = base(mood, style)
    now, before = [], []
    for n in (5, 6, 7):
        b, frame = brush_of(at(scene, n))
        now.append(ink(b.points, b.offsets, b.widths, b.fade))
        placed = b._place(frame, b.layer, glide=False)  # this frame's field, placed afresh
        before.append(ink(placed.points, placed.offsets, placed.widths,
                          np.ones(len(placed.widths))))
    moving = max(change(now[0], now[1]), change(now[1], now[2]))
    replaced = min(change(before[0], before[1]), change(before[1], before[2]))
    assert moving < 0.4 < replaced, (moving, replaced)


def test_stills_place_as_before_and_frame_0_has_their_strokes() -> None:
    scene = base("haunting", "landscape")
    still, _ = brush_of(scene)
    assert still.fade is None  # a still never glides
    first, _ = brush_of(at(scene, 0))
    rest = first._rest()
    assert np.array_equal(rest.points, still.points)
    assert np.array_equal(rest.widths, still.widths)
    # Frame 0: the still's strokes in the still's places (those being born or dying at that
    # phase are fainter, and those nearly gone are left out).
    g = rest.glide
    _, _, fade, keep = g.at(0.0)
    assert len(keep) > 0.9 * len(still.widths) and np.median(fade) > 0.9
    heads = first.points[first.offsets[:-1]]
    assert np.allclose(heads, still.points[still.offsets[:-1][keep]], atol=1e-3)


def test_strokes_as_data_per_frame() -> None:
    p = wiktoria.paint("seething", size=SIZE, seed=2, style="flow")
    b, _ = brush_of(at(p.scene, 5))
    s = b.strokes()
    assert len(s) == len(b.widths) > 50
    assert np.isfinite(s.points).all() and s.colours.dtype == np.uint8


def test_strokes_glide_along_their_lines_and_fade_gently() -> None:
    x = np.arange(0, 400, 2.0)
    line = np.stack([x, 10 + 0 * x], 1).astype(np.float32)
    g = Glide(Streamlines(line, np.array([0, len(x)])), np.array([0, 0]), np.array([20, 80]),
              np.array([25, 25]), rng=np.random.default_rng(3), travel=150.0, angle=0.0)
    prev = None
    for p in np.arange(0, 1, 1 / 48):
        pts, off, fade, keep = g.at(p)
        assert np.allclose(pts[:, 1], 10)  # on the line
        assert ((fade >= 0) & (fade <= 1)).all()
        if prev is not None:
            ok = np.intersect1d(prev[1], keep)
            a = prev[0][np.searchsorted(prev[1], ok)]
            b = pts[off[:-1]][np.searchsorted(keep, ok)][:, 0]
            step = (b - a)[(a > 1) & (b > 1)]  # (not growing out of the line's start)
            # Forward by one 48th of a life, or back by a life at a rebirth (while faint).
            assert ((np.abs(step - 150 / 48) < 0.5) | (step < -0.5 * 150 / g.lives)).all()
            reborn = np.isin(keep, ok[(b - a) < -0.5 * 150 / g.lives])
            assert (fade[reborn] < 0.15).all()  # faint: a 48th of a life from birth
        prev = (pts[off[:-1]][:, 0], keep, fade)


def test_the_sway_is_smooth_small_and_zero_at_rest() -> None:
    W, H = 400, 200
    xs, ys = np.meshgrid(np.arange(0, W, 2.0), np.arange(0, H, 2.0))
    p = np.stack([xs.ravel(), ys.ravel()], 1)
    still = sway(W, H, 0.0, 0.0, frequency=1.2, seed=1)(p)
    assert not np.any(still[0]) and not np.any(still[1])
    dx, dy = sway(W, H, -0.3, 0.6, frequency=1.2, seed=1)(p)
    assert 0.1 < np.hypot(dx, dy).max() < 2.0
    # Slope per pixel at unit amplitude, within the bound the brush's amplitude relies on.
    slope = max(np.abs(np.gradient(dx.reshape(xs.shape), 2.0)).max(),
                np.abs(np.gradient(dy.reshape(xs.shape), 2.0)).max())
    assert slope * H < 9.5 * 1.2
