"""What a live change recomputes (issue 16): the loop caches are keyed by exactly what their
values are made of, so a change of something they do not read (the clouds' amount) keeps
them, a change of something they do read (the brush, the mood, the land's layout, the wind,
the seed) makes them afresh, and either way the frame is the same bytes as a fresh process
paints."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

import wiktoria
import wiktoria.render.layers.air as air_module
import wiktoria.render.layers.brush as brush_module
from wiktoria.common import cache as loop_cache
from wiktoria.common.cache import caching, fingerprint
from wiktoria.moods.registry import resolve_mood
from wiktoria.render.compositor import prepare, render
from wiktoria.scene.scene import Loop

SIZE = (160, 96)


def base(seed: int = 1) -> Any:
    scene = wiktoria.paint("seething", size=(8, 8), seed=seed, style="landscape").scene
    return replace(scene, canvas=wiktoria.Canvas(*SIZE, seed))


def at(scene: Any, n: int) -> Any:
    return replace(scene, loop=Loop(frames=24, fps=24.0, frame=n))


def rest_of(scene: Any) -> Any:
    _, renderers = prepare(scene)
    return next(r for r in renderers if r.layer.type == "brush")._rest()


def fresh(scene: Any) -> bytes:
    """The frame as a fresh process paints it: every cache empty and bypassed."""
    brush_module._CACHE.clear()
    air_module._TEXTURES.clear()
    with caching(False):
        return render(scene).tobytes()


@pytest.fixture
def placements(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the brush's placements of a loop (each call of ``_place`` with ``glide``)."""
    calls: list[int] = []
    place = brush_module.BrushRenderer._place

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("glide"):
            calls.append(1)
        return place(self, *args, **kwargs)

    monkeypatch.setattr(brush_module.BrushRenderer, "_place", counted)
    brush_module._CACHE.clear()
    brush_module._PLACED.clear()
    return calls


@pytest.mark.parametrize("change", [{"air.clouds": 0.9}, {"air.glow": 0.1},
                                    {"land.tone": 0.2}, {"land.rim": 0.1},
                                    {"light.bloom": 0.1}, {"paper.grain": 0.0}])
def test_a_change_placement_does_not_read_keeps_the_strokes(
        placements: list[int], change: dict[str, float]) -> None:
    scene = base()
    before = rest_of(at(scene, 3))
    assert len(placements) == 1
    changed = scene.override(change)
    assert rest_of(at(changed, 4)) is before
    assert len(placements) == 1
    warm = render(at(changed, 5)).tobytes()
    assert warm == fresh(at(changed, 5))


@pytest.mark.parametrize("change", [
    {"brush.spacing": 12.0}, {"brush.opacity": 0.5}, {"land.roughness": 0.9},
    {"land.frequency": 3.0}, {"air.rise": 0.5}, {"air.speed": 0.05},
    {"composition.horizon": 0.6}, {"composition.light_x": 0.2}, "mood", "seed", "size",
    "duration"])
def test_a_change_placement_reads_places_the_strokes_again(
        placements: list[int], change: Any) -> None:
    scene = base()
    before = rest_of(at(scene, 3))
    if change == "mood":
        changed = replace(scene, mood=resolve_mood("serene"))
    elif change == "seed":
        changed = replace(scene, canvas=wiktoria.Canvas(*SIZE, 2))
    elif change == "size":
        changed = replace(scene, canvas=wiktoria.Canvas(SIZE[0] + 16, SIZE[1], 1))
    else:
        changed = scene if change == "duration" else scene.override(change)
    frame = (replace(changed, loop=Loop(frames=36, fps=24.0, frame=4))
             if change == "duration" else at(changed, 4))
    again = rest_of(frame)
    assert again is not before
    assert len(placements) == 2
    warm = render(frame).tobytes()
    assert warm == fresh(frame)


def test_the_wind_moves_the_strokes_glide() -> None:
    """The air's rise is read by the placement (through the wind the air publishes): keyed
    by the scene alone it would keep a wrong glide; it must glide as a fresh one does."""
    scene = base()
    render(at(scene, 6))
    turned = scene.override({"air.rise": -0.6})
    assert render(at(turned, 6)).tobytes() == fresh(at(turned, 6))


@pytest.mark.parametrize("change", [{"air.clouds": 0.9}, {"land.rim": 0.1},
                                    {"land.shade": 0.2}, {"land.fog": 0.1},
                                    {"paper.grain": 0.01}, {"light.bloom": 0.1}])
def test_a_change_of_how_it_is_painted_keeps_every_loop_cache(change: dict[str, float]
                                                                ) -> None:
    """What holds still in a loop does not read these: none of it is made again."""
    scene = base()
    with caching(True):
        render(at(scene, 2))
        render(at(scene, 3))
        misses = {c.name: c.misses for c in loop_cache.caches()}
        textures = set(air_module._TEXTURES)
        changed = scene.override(change)
        warm = render(at(changed, 3)).tobytes()
        assert {c.name: c.misses for c in loop_cache.caches()} == misses
        assert set(air_module._TEXTURES) == textures
    assert warm == fresh(at(changed, 3))


@pytest.mark.parametrize("change", [{"land.relief": 0.9}, {"land.tone": 0.2},
                                    {"paper.tooth": 0.0}, {"paper.vignette": 0.0}])
def test_a_change_the_still_terms_read_makes_them_again(change: dict[str, float]) -> None:
    scene = base()
    with caching(True):
        render(at(scene, 3))
        misses = sum(c.misses for c in loop_cache.caches())
        changed = scene.override(change)
        warm = render(at(changed, 3)).tobytes()
        assert sum(c.misses for c in loop_cache.caches()) > misses
    assert warm == fresh(at(changed, 3))


def test_going_back_finds_the_first_placement(placements: list[int]) -> None:
    scene = base()
    first = rest_of(at(scene, 1))
    rest_of(at(scene.override({"brush.spacing": 12.0}), 1))
    assert rest_of(at(scene.override({"air.clouds": 0.1}), 1)) is first
    assert len(placements) == 2


def test_the_sky_keeps_its_textures_when_the_clouds_change() -> None:
    scene = base()
    air_module._TEXTURES.clear()
    render(at(scene, 5))
    kept = dict(air_module._TEXTURES)
    assert kept
    changed = scene.override({"air.clouds": 0.95})
    warm = render(at(changed, 5)).tobytes()
    assert set(air_module._TEXTURES) == set(kept)  # no texture made again
    assert all(air_module._TEXTURES[k] is v for k, v in kept.items())
    assert warm == fresh(at(changed, 5))


@pytest.mark.parametrize("change", [{"air.warp": 1.0}, {"air.octaves": 3},
                                    {"air.frequency": 2.5}, {"air.stretch": 1.5}])
def test_the_sky_makes_new_textures_when_they_change(change: dict[str, float]) -> None:
    scene = base()
    air_module._TEXTURES.clear()
    render(at(scene, 5))
    kept = set(air_module._TEXTURES)
    changed = scene.override(change)
    warm = render(at(changed, 5)).tobytes()
    assert set(air_module._TEXTURES) - kept
    assert warm == fresh(at(changed, 5))


def test_a_loop_after_changes_is_the_same_bytes_as_a_fresh_one() -> None:
    """Warm after a run of changes, in any order, each frame is a fresh process's."""
    scene = base()
    for n, change in enumerate([{"air.clouds": 0.1}, {"brush.spacing": 8.0},
                                {"air.clouds": 0.7}, {"land.tone": 0.3}, {}]):
        scene = scene.override(change) if change else scene
        frames = [render(at(scene, i)).tobytes() for i in (n, 2 * n + 1)]
        assert frames == [fresh(at(scene, i)) for i in (n, 2 * n + 1)]


def test_fingerprint_tells_data_apart() -> None:
    a = {"forms": [np.arange(3.0)], "wind": (0.5, 2.0)}
    assert fingerprint(a) == fingerprint({"wind": (0.5, 2.0), "forms": [np.arange(3.0)]})
    assert fingerprint(a) != fingerprint({"forms": [np.arange(3.0) + 1e-9],
                                          "wind": (0.5, 2.0)})
    assert fingerprint(np.zeros(2, np.float32)) != fingerprint(np.zeros(2, np.float64))
    assert fingerprint(np.zeros((2, 1))) != fingerprint(np.zeros((1, 2)))
    assert fingerprint(0.0) != fingerprint(-0.0)
    assert fingerprint((1,)) != fingerprint([1]) != fingerprint([True])
    with pytest.raises(TypeError):
        fingerprint(object())
    with pytest.raises(TypeError):
        fingerprint({"x": {1, 2}})
