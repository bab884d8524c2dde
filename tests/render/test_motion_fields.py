"""Motion of the fields in loops: the sky travels by a flow map, the land holds still apart
from a slow sway, loops are exact and frame 0 is the still."""

from __future__ import annotations

import numpy as np
import pytest

import wiktoria
from wiktoria.render import flowmap
from wiktoria.render.forms import Form, swayed
from wiktoria.render.layer import Clock


@pytest.mark.parametrize("k", [1, 2, 5])
def test_phases_weights_and_wrap(k: int) -> None:
    for p in np.linspace(0, 1, 97, endpoint=False):
        ph = flowmap.phases(float(p), k)
        assert abs(sum(w for w, _, _ in ph) - 1) < 1e-12
        for w, age, g in ph:
            assert -0.5 <= age < 0.5 and 0 <= g < k and 0 <= w <= 1
    assert flowmap.phases(0.0, k)[0] == (1.0, 0.0, 0)
    # just before the loop ends the layers are where frame 0 has them
    end = flowmap.phases(1 - 1e-9, k)
    assert end[0][2] == 0 and abs(end[0][0] - 1) < 1e-6 and end[1][0] < 1e-6


def test_velocity_has_no_divergence() -> None:
    x = np.linspace(0, 3, 160).reshape(1, -1)
    y = np.linspace(0, 2, 110).reshape(-1, 1)
    vx, vy = flowmap.velocity(x, y, 0.2, -0.1, seed=4, curl=1.0, wind=0.3, angle=0.5)
    div = (np.gradient(vx.astype(float), x.ravel(), axis=1)
           + np.gradient(vy.astype(float), y.ravel(), axis=0))
    assert np.abs(div).max() < 1e-3 * np.hypot(vx, vy).mean()


def test_blend_keeps_the_variance() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((2, 200, 200)).astype(np.float32)
    for wa in (0.2, 0.5, 0.8):
        assert abs(flowmap.blend(a, b, wa, 1 - wa).std() - 1) < 0.02
    assert flowmap.blend(a, b, 1.0, 0.0) is a


def test_land_sways_a_little_and_not_at_rest() -> None:
    form = Form("bottom", np.linspace(60, 80, 200).astype(np.float32), 0.5)
    rest = swayed([form], Clock(0.0, 0.0, 0.0, 0.3), 120, seed=3)[0]
    assert np.array_equal(rest.outline, form.outline)
    moved = swayed([form], Clock(-0.3, 0.3, 0.25, 0.3), 120, seed=3)[0]
    d = np.abs(moved.outline - form.outline)
    assert 0 < d.max() <= 0.006 * 120 * 2


@pytest.mark.parametrize("mood", ["serene", "electric"])
def test_loop_is_exact_and_starts_at_the_still(mood: str) -> None:
    a = wiktoria.animate(mood, size=(64, 48), seed=2, frames=12)
    still = wiktoria.paint(mood, size=(64, 48), seed=2)
    assert np.array_equal(np.asarray(a.frame(12)), np.asarray(a.frame(0)))
    # the sky and the land of frame 0 are the still's (strokes being born are fainter)
    f0 = np.asarray(a.frame(0), dtype=np.int16)
    assert np.abs(f0 - np.asarray(still, dtype=np.int16)).mean() < 2.0


def test_sky_travels_without_a_pulse() -> None:
    # the brush off: the air and the land; the mean luma moves by little over the loop
    a = wiktoria.animate("electric", size=(128, 128), seed=1, frames=24, brush__opacity=0.0)
    lum = np.stack([np.asarray(p).astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722],
                                                                np.float32) for p in a])
    means = lum.mean(axis=(1, 2))
    assert means.max() - means.min() < 3.0
    assert np.abs(np.diff(lum, axis=0)).mean() > 0.05  # and it does move


def test_sky_textures_are_shared_and_give_the_same_frames() -> None:
    # a process keeps the generations' textures; a frame rendered afresh is the same
    import wiktoria.render.layers.air as air

    a = wiktoria.animate("seething", size=(96, 64), seed=5, frames=16)
    later = np.asarray(a.frame(9))
    air._TEXTURES.clear()
    again = wiktoria.animate("seething", size=(96, 64), seed=5, frames=16)
    assert np.array_equal(np.asarray(again.frame(9)), later)
    assert 0 < len(air._TEXTURES) <= 8
