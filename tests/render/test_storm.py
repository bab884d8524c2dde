"""The storm style: a vortex of mist and light around a luminous core at the composition's
light, over calm, low land."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

import wiktoria
from wiktoria.colour import srgb_to_oklab
from wiktoria.render.layers.vortex import VortexRenderer, streak_scale
from wiktoria.render.painting import paint
from wiktoria.scene.layers import AirLayer, VortexLayer
from wiktoria.scene.scene import Loop
from wiktoria.scene.styles import style_layouts

MOODS = list(wiktoria.moods())
AGITATED = ("seething", "electric", "euphoric", "dancing")
W, H = 192, 108
SEEDS = (1, 2)


@cache
def _painting(mood: str, seed: int) -> wiktoria.Painting:
    return paint(mood, size=(W, H), seed=seed, style="storm")


def _lightness(p: wiktoria.Painting) -> np.ndarray:
    return srgb_to_oklab(np.asarray(p).astype(np.float32) / 255.0)[..., 0]


def _blur(a: np.ndarray, k: int) -> np.ndarray:
    """Three passes of a box of ``k`` pixels along each axis, edges held."""
    for axis in (0, 1):
        for _ in range(3):
            pad = [(0, 0), (0, 0)]
            pad[axis] = (k // 2, k // 2)
            c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis, dtype=np.float64)
            c = np.concatenate([np.zeros_like(np.take(c, [0], axis=axis)), c], axis=axis)
            n = c.shape[axis]
            a = (np.take(c, range(k, n), axis=axis) - np.take(c, range(0, n - k), axis=axis)) / k
    return a


def test_same_seed_same_bytes_and_seeds_differ() -> None:
    a = paint("writhing", size=(W, H), seed=4, style="storm")
    b = paint("writhing", size=(W, H), seed=4, style="storm")
    c = paint("writhing", size=(W, H), seed=5, style="storm")
    assert a.image.tobytes() == b.image.tobytes()
    assert np.abs(np.asarray(a, np.int16) - np.asarray(c, np.int16)).mean() > 5


def test_the_stack_and_the_layouts() -> None:
    p = _painting("seething", 1)
    assert [layer.type for layer in p.scene.layers] == ["vortex", "land", "light", "paper"]
    allowed = style_layouts("storm")
    assert allowed is not None and "enclosure" not in allowed
    for mood in MOODS:
        assert _painting(mood, 1).scene.composition.layout in allowed


@pytest.mark.parametrize("mood", MOODS)
def test_every_mood_spans_its_values(mood: str) -> None:
    for seed in SEEDS:
        L = _lightness(_painting(mood, seed))
        span = float(np.percentile(L, 98) - np.percentile(L, 2))
        assert span >= (0.6 if mood in AGITATED else 0.35), (mood, seed, span)


@pytest.mark.parametrize("mood", MOODS)
def test_the_light_is_the_core_of_the_storm(mood: str) -> None:
    """The brightest region (blurred lightness) lies within 0.15 of the diagonal of the
    composition's light, and the core is brighter than the periphery."""
    diag = float(np.hypot(W, H))
    for seed in SEEDS:
        p = _painting(mood, seed)
        c = p.scene.composition
        L = _lightness(p)
        blurred = _blur(L, 7)
        iy, ix = np.unravel_index(int(np.argmax(blurred)), blurred.shape)
        lx, ly = c.light_x * W, c.light_y * H
        assert np.hypot(ix + 0.5 - lx, iy + 0.5 - ly) <= 0.15 * diag, (mood, seed)
        yy, xx = np.mgrid[0:H, 0:W]
        d = np.hypot(xx + 0.5 - lx, yy + 0.5 - ly) / diag
        core, periphery = L[d < 0.06].mean(), L[d > 0.4].mean()
        assert core > periphery + 0.15, (mood, seed, core, periphery)


def test_a_loop_starts_on_the_still_and_turns() -> None:
    still = _painting("seething", 2)
    frames = [np.asarray(paint_frame(still, i, 12), np.int16) for i in (0, 1, 6, 11)]
    assert np.array_equal(frames[0], np.asarray(still, np.int16))
    steps = [np.abs(frames[1] - frames[0]).mean(), np.abs(frames[0] - frames[3]).mean()]
    assert min(steps) > 0 and max(steps) < 2.5 * min(steps) + 1  # no jump at the seam
    assert np.abs(frames[2] - frames[0]).mean() > max(steps)  # it travels


def paint_frame(p: wiktoria.Painting, frame: int, frames: int) -> wiktoria.Painting:
    return wiktoria.paint_scene(replace(p.scene, loop=Loop(frames, 4.0, frame=frame)))


def test_the_vortex_over_the_air_blends_in_value() -> None:
    p = _painting("serene", 1)
    vortex, *rest = p.scene.layers
    half = replace(p.scene, layers=(AirLayer(), replace(vortex, opacity=0.5), *rest))
    air = replace(p.scene, layers=(AirLayer(), *rest))
    a, b, c = (np.asarray(wiktoria.paint_scene(s), np.int16) for s in (half, air, p.scene))
    assert np.abs(a - b).mean() > 1 and np.abs(a - c).mean() > 1


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"arms": 0}, "vortex.arms must be an integer from 1 to 6, got 0"),
    ({"twist": 7.0}, "vortex.twist must be a number from 0 to 6"),
    ({"core": 0.0}, "vortex.core must be a number from 0.02 to 0.4"),
    ({"squash": 0.5}, "vortex.squash must be a number from 1 to 3"),
    ({"streaks": 1.5}, "vortex.streaks must be an integer"),
])
def test_bad_parameters_are_one_line_errors(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        VortexLayer(**kwargs)  # type: ignore[arg-type]


def test_overrides_reach_the_vortex() -> None:
    p = paint("serene", size=(W, H), seed=1, style="storm", vortex__arms=5, vortex__twist=0.0)
    vortex = p.scene.layers[0]
    assert isinstance(vortex, VortexLayer) and vortex.arms == 5 and vortex.twist == 0.0
    assert VortexRenderer.__doc__ and streak_scale(1080) == 0.4
