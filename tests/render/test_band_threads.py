"""Bands painted on threads: the same bytes for any number of threads, and only when every
layer says its bands are independent (``LayerRenderer.concurrent_bands``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
import pytest

import wiktoria
from wiktoria.common import cache
from wiktoria.render import Band, LayerRenderer, compositor, register_layer, unregister_layer
from wiktoria.render.painting import paint, paint_scene
from wiktoria.scene import Layer, param
from wiktoria.scene.styles import LEGACY_STYLES, STYLES

#: Tall enough for eight bands, so several threads each paint a few.
SIZE = (72, 8 * compositor.BAND - 17)


def _pixels_per_thread_count(monkeypatch: pytest.MonkeyPatch, make, counts=("1", "2", "3")):
    got = []
    for n in counts:
        monkeypatch.setenv("WIKTORIA_NUM_THREADS", n)
        with cache.caching(False):
            got.append(np.asarray(make()))
    return got


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("mood", ["serene", "electric"])
def test_every_style_same_bytes_whatever_the_thread_count(
        style: str, mood: str, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two, three = _pixels_per_thread_count(
        monkeypatch, lambda: paint(mood, size=SIZE, seed=4, style=style))
    assert np.array_equal(one, two) and np.array_equal(one, three)


@pytest.mark.parametrize("style", list(LEGACY_STYLES))
def test_legacy_stacks_same_bytes_whatever_the_thread_count(
        style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    scene = paint("haunting", size=(8, 8), seed=2).scene
    scene = replace(scene, canvas=replace(scene.canvas, width=SIZE[0], height=SIZE[1]),
                    layers=LEGACY_STYLES[style](scene.mood))
    one, two, three = _pixels_per_thread_count(monkeypatch, lambda: paint_scene(scene))
    assert np.array_equal(one, two) and np.array_equal(one, three)


def test_loop_frames_same_bytes_whatever_the_thread_count(
        monkeypatch: pytest.MonkeyPatch) -> None:
    anim = wiktoria.animate("seething", size=SIZE, seed=3, frames=6)
    for n in ("1", "2"):
        monkeypatch.setenv("WIKTORIA_NUM_THREADS", n)
        frames = [anim.frame_array(i) for i in (0, 3)]  # the loop caches are warm for 3
        if n == "1":
            first = frames
        else:
            assert all(np.array_equal(a, b) for a, b in zip(first, frames, strict=True))


def test_bands_run_on_several_threads_when_every_layer_allows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "2")
    seen: set[str] = set()
    original = compositor.encode_srgb8_dithered

    def spy(rgb, up, down):
        seen.add(threading.current_thread().name)
        return original(rgb, up, down)

    monkeypatch.setattr(compositor, "encode_srgb8_dithered", spy)
    with cache.caching(False):
        paint("tender", size=SIZE, seed=1)
    assert len(seen) == 2 and all(name.startswith("wiktoria") for name in seen)


@dataclass(frozen=True)
class Stripe(Layer):
    """A horizontal stripe, painted by a function (so its bands are not declared
    independent)."""

    type: ClassVar[str] = "test-band-stripe"
    position: float = param(0.7, 0.0, 1.0, "ramp position")


def _stripe(layer: Stripe, frame, band: Band) -> None:
    band.rgb[:, ::7] = np.float32(layer.position)


class StripeRenderer(LayerRenderer):
    concurrent_bands = True

    def band(self, band: Band) -> None:
        _stripe(self.layer, self.frame, band)


@pytest.mark.parametrize(("renderer", "workers"), [(_stripe, 1), (StripeRenderer, 2)])
def test_a_layer_of_ones_own_is_painted_in_order_unless_it_says_otherwise(
        renderer, workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "2")
    register_layer(Stripe, renderer)
    try:
        scene = paint("tender", size=(8, 8), seed=1).scene
        scene = replace(scene, canvas=replace(scene.canvas, width=SIZE[0], height=SIZE[1]),
                        layers=(*scene.layers, Stripe()))
        _, renderers = compositor.prepare(scene)
        assert compositor.band_workers(8, renderers) == workers
        a = np.asarray(paint_scene(scene))
        monkeypatch.setenv("WIKTORIA_NUM_THREADS", "1")
        assert np.array_equal(a, np.asarray(paint_scene(scene)))
    finally:
        unregister_layer(Stripe.type)


def test_strata_without_a_sky_paint_their_bands_in_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Their haze is the colour of the first band they reach when there is no sky."""
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "2")
    scene = paint("haunting", size=(8, 8), seed=2).scene
    stack = [x for x in LEGACY_STYLES["landscape"](scene.mood) if x.type != "sky"]
    scene = replace(scene, canvas=replace(scene.canvas, width=SIZE[0], height=SIZE[1]),
                    layers=tuple(stack))
    _, renderers = compositor.prepare(scene)
    assert compositor.band_workers(8, renderers) == 1
    with_sky = replace(scene, layers=LEGACY_STYLES["landscape"](scene.mood))
    _, renderers = compositor.prepare(with_sky)
    assert compositor.band_workers(8, renderers) == 2


def test_band_workers_are_bounded() -> None:
    ok = [LayerRenderer.__new__(StripeRenderer)]
    assert compositor.band_workers(1, ok) == 1
    assert 1 <= compositor.band_workers(1000, ok) <= compositor.BAND_WORKERS


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_render_is_given_up_when_its_cancel_says_so(
        threads: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", threads)
    scene = paint("electric", size=(8, 8), seed=3).scene
    scene = replace(scene, canvas=replace(scene.canvas, width=SIZE[0], height=SIZE[1]))
    asked = []

    def after(n: int):
        def cancel() -> bool:
            asked.append(1)
            return len(asked) > n
        return cancel

    whole = compositor.render(scene)
    assert np.array_equal(compositor.render(scene, cancel=lambda: False), whole)
    for n in (0, 2, 8):  # before the first prepare, between two, among the bands
        asked.clear()
        with pytest.raises(compositor.Cancelled, match="cancelled"):
            compositor.render(scene, cancel=after(n))
    assert np.array_equal(compositor.render(scene), whole)  # nothing half-kept
