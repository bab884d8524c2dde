"""Scenes: validation, overrides, TOML round trip, one-line errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiktoria.render.painting import build_scene
from wiktoria.scene import LAYER_TYPES, Canvas, Scene, SkyLayer, StrataLayer, check_size
from wiktoria.scene.styles import STYLES


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("mood", ["seething", "serene", "0.3,-0.5"])
def test_scene_round_trips_through_toml(style: str, mood: str) -> None:
    scene, _ = build_scene(mood, (320, 200), 11, style)
    text = scene.to_toml()
    assert Scene.from_toml(text) == scene
    assert 'wiktoria = "' in text


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 9), horizon=st.floats(0.05, 0.95), seed=st.integers(0, 2**63 - 1))
def test_round_trip_property(count: int, horizon: float, seed: int) -> None:
    scene = Scene(Canvas(10, 20, seed), "serene", "landscape",
                  (SkyLayer(), StrataLayer(count=count, horizon=horizon)))
    assert Scene.from_toml(scene.to_toml()) == scene


def test_every_override_key_is_accepted_and_validated() -> None:
    scene, _ = build_scene("seething", (64, 48), 1, "landscape")
    for key in scene.override_keys():
        layer, param = key.split(".")
        current = getattr(scene.layer(layer), param)
        same = scene.override({key: current})
        assert getattr(same.layer(layer), param) == current
        # Far outside every range: rejected with a message naming the key.
        with pytest.raises(ValueError, match=rf"{layer}\.{param} must be"):
            scene.override({key: 1e12})


def test_override_keys_cover_every_layer_parameter() -> None:
    for style in STYLES:
        scene, _ = build_scene("serene", (64, 48), 1, style)
        for layer in scene.layers:
            assert set(LAYER_TYPES[layer.type].params()) == set(layer.params())


@pytest.mark.parametrize(("overrides", "message"), [
    ({"strata.cuont": 3}, r"unknown strata parameter 'cuont' \(did you mean 'count'\?\); "
                          r"valid: count, horizon"),
    ({"strta.count": 3}, r"unknown layer 'strta' in override 'strta.count' \(did you mean "
                         r"'strata'\?\); this landscape scene has layers: sky, strata, strokes"),
    ({"count": 3}, r"override key 'count' must be layer.param"),
    ({"strata.count": 2.5}, r"strata.count must be an integer from 1 to 9, got 2.5"),
    ({"strata.count": 0}, r"strata.count must be an integer from 1 to 9, got 0"),
    ({"sky.warp": "lots"}, r"sky.warp must be a number from 0 to 20, got 'lots'"),
    ({"sky.warp": float("nan")}, r"sky.warp must be a number"),
])
def test_override_errors(overrides: dict, message: str) -> None:
    scene, _ = build_scene("seething", (64, 48), 1, "landscape")
    with pytest.raises(ValueError, match=message):
        scene.override(overrides)


@pytest.mark.parametrize(("size", "message"), [
    ((0, 10), "size must be 1 to 16384 pixels per side, got 0x10"),
    ((-5, 10), "got -5x10"),
    ((16385, 10), "got 16385x10"),
    ((10.5, 10), "size must be whole pixels"),
    ("1920x1080", "size must be"),
    ((1, 2, 3), "size must be (width, height) in pixels"),
])
def test_size_errors(size, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_size(size)


@pytest.mark.parametrize(("text", "message"), [
    ("mood = 'x'\nstyle = 'flow'\nlayers = []\n", "missing key 'canvas'"),
    ("wiktoria = 1\nmood='x'\nstyle='flow'\nlayers=[]\n[canvas]\nwidth=1\nheight=1\n",
     "missing key 'canvas.seed'"),
    ("mood='x'\nstyle='flow'\nlayers=[{type='cloud'}]\n[canvas]\nwidth=1\nheight=1\nseed=0\n",
     r"layers\[0\]: unknown layer type 'cloud'; valid types: sky, strata"),
    ("mood='x'\nstyle='flow'\nlayers=[{type='sky', hue=3}]\n[canvas]\nwidth=1\nheight=1\n"
     "seed=0\n", r"layers\[0\]: unknown sky parameter 'hue'"),
    ("mood='x'\nstyle='flow'\nlayers=[]\n[canvas]\nwidth=0\nheight=1\nseed=0\n",
     "size must be 1 to 16384"),
    ("mood = [", "malformed TOML"),
    ("mood='x'\nstyle='flow'\nlayers=[]\nextra=1\n[canvas]\nwidth=1\nheight=1\nseed=0\n",
     "unknown key 'extra'"),
])
def test_scene_file_errors_are_one_line_and_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        Scene.from_toml(text, origin="s.toml")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("s.toml")


def test_duplicate_layers_rejected() -> None:
    with pytest.raises(ValueError, match="layer types must be unique"):
        Scene(Canvas(4, 4, 0), "serene", "landscape", (SkyLayer(), SkyLayer()))


@pytest.mark.parametrize("seed", [-1, 2**63, 1.5, True])
def test_canvas_seed_errors(seed) -> None:
    with pytest.raises(ValueError, match="seed must be an integer from 0 to 2\\*\\*63-1"):
        Canvas(4, 4, seed)
