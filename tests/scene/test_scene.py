"""Scenes: validation, overrides, self-contained TOML round trips, one-line errors."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria.colour.ramp import PaletteWarning
from wiktoria.moods import Mood
from wiktoria.render.painting import build_scene
from wiktoria.scene import (
    Canvas,
    GrainLayer,
    Loop,
    Scene,
    SkyLayer,
    StrataLayer,
    StrokesLayer,
    UnknownLayerError,
    WashLayer,
    check_size,
    layer_types,
)
from wiktoria.scene.styles import LEGACY_STYLES, STYLES

MOODS = wiktoria.moods()


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("mood", ["seething", "serene", "0.3,-0.5"])
def test_scene_round_trips_through_toml(style: str, mood: str) -> None:
    scene, _ = build_scene(mood, (320, 200), 11, style)
    text = scene.to_toml()
    assert Scene.from_toml(text) == scene
    assert 'wiktoria = "' in text
    assert isinstance(scene.mood, Mood)


@pytest.mark.parametrize("mood", MOODS)
def test_every_mood_embeds_and_reads_back_equal(mood: str) -> None:
    scene, _ = build_scene(mood, (64, 48), 1, "landscape")
    data = tomllib.loads(scene.to_toml())
    assert data["mood"]["name"] == mood
    assert data["mood"]["ramp"]["stops"]
    back = Scene.from_toml(scene.to_toml())
    assert back.mood == wiktoria.mood(mood)
    assert np.array_equal(back.mood.palette.linear_lut, scene.mood.palette.linear_lut)


layer_strategy = st.one_of(
    st.builds(SkyLayer, frequency=st.floats(0.05, 40), octaves=st.integers(1, 10),
              warp=st.floats(0, 20), depth=st.integers(0, 3)),
    st.builds(StrataLayer, count=st.integers(1, 9), horizon=st.floats(0.05, 0.95)),
    st.builds(StrokesLayer, density=st.floats(0, 400000), curl=st.floats(0, 1)),
    st.builds(WashLayer, position=st.floats(0, 1)),
    st.builds(GrainLayer, amount=st.floats(0, 0.5), vignette=st.floats(0, 1)),
)


@settings(max_examples=60, deadline=None)
@given(layers=st.lists(layer_strategy, min_size=0, max_size=6),
       seed=st.integers(0, 2**63 - 1),
       a=st.sampled_from(MOODS), b=st.sampled_from(MOODS), t=st.floats(0, 1),
       frames=st.none() | st.integers(1, 100))
def test_round_trip_property(layers: list, seed: int, a: str, b: str, t: float,
                             frames: int | None) -> None:
    mood = wiktoria.blend(a, b, t)
    loop = None
    if frames is not None:
        loop = Loop(frames=frames, fps=24, frame=frames - 1, to=wiktoria.mood(b),
                    to_layers=tuple(layers))
    scene = Scene(Canvas(10, 20, seed), mood, "landscape", tuple(layers), loop)
    back = Scene.from_toml(scene.to_toml())
    assert back == scene
    assert back.to_toml() == scene.to_toml()


def test_blended_scene_reproduces_without_the_moods_it_came_from() -> None:
    """The issue's case: a painting of a blend round-trips and reproduces."""
    p = wiktoria.paint(wiktoria.blend("serene", "seething", 0.5), size=(64, 48), seed=2)
    again = wiktoria.paint_scene(Scene.from_toml(p.scene.to_toml()))
    assert np.array_equal(np.asarray(again), np.asarray(p))


def _write_user_mood(folder: Path, name: str, valence: float, arousal: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(
        f'name = "{name}"\n[affect]\nvalence = {valence}\narousal = {arousal}\n'
        '[ramp]\nstops = [{ color = "#00ff00" }, { color = "#ff00ff" }]\n', encoding="utf-8")


def test_scene_reproduces_on_a_machine_without_the_user_palette(tmp_path: Path,
                                                                monkeypatch) -> None:
    mine = tmp_path / "mine"
    _write_user_mood(mine, "gloaming", -0.1, -0.2)
    monkeypatch.setenv("WIKTORIA_PALETTES", str(mine))
    with pytest.warns(PaletteWarning):
        p = wiktoria.paint("gloaming", size=(64, 48), seed=4)
    text = p.scene.to_toml()
    monkeypatch.setenv("WIKTORIA_PALETTES", str(tmp_path / "empty"))
    with pytest.raises(LookupError):
        wiktoria.mood("gloaming")
    again = wiktoria.paint_scene(Scene.from_toml(text))
    assert np.array_equal(np.asarray(again), np.asarray(p))


def test_mood_at_scene_ignores_a_user_palette_that_appears_later(tmp_path: Path,
                                                                 monkeypatch) -> None:
    monkeypatch.setenv("WIKTORIA_PALETTES", str(tmp_path / "empty"))
    p = wiktoria.paint("0.2,-0.3", size=(64, 48), seed=5)
    text = p.scene.to_toml()
    _write_user_mood(tmp_path / "near", "nearby", 0.2, -0.3)
    monkeypatch.setenv("WIKTORIA_PALETTES", str(tmp_path / "near"))
    with pytest.warns(PaletteWarning):
        assert wiktoria.mood_at(0.2, -0.3) != p.scene.mood  # the plane changed...
    again = wiktoria.paint_scene(Scene.from_toml(text))
    assert np.array_equal(np.asarray(again), np.asarray(p))  # ...the scene did not


def test_a_scene_never_names_a_mood_file(tmp_path: Path) -> None:
    mood_file = tmp_path / "dusk.toml"
    wiktoria.mood("serene").save(mood_file)
    text = (f"mood = {str(mood_file)!r}\nstyle = 'flow'\nlayers = []\n"
            "[canvas]\nwidth = 4\nheight = 4\nseed = 0\n")
    with pytest.raises(ValueError, match=r"is a path; a scene names a registered mood or "
                                         r"embeds the mood's data, never a file"):
        Scene.from_toml(text, origin="s.toml")


def test_version_0_1_scene_text_still_loads() -> None:
    marble, grain = LEGACY_STYLES["marble"](wiktoria.mood("serene"))
    text = ("wiktoria = '0.1.0'\nmood = 'serene'\nstyle = 'marble'\n"
            "[canvas]\nwidth = 8\nheight = 8\nseed = 1\n"
            "[loop]\nframes = 4\nfps = 8.0\nframe = 0\nto = 'seething'\npingpong = true\n"
            f"[[layers]]\ntype = 'marble'\nveins = 0.3\nwarp = {marble.warp}\n"
            f"depth = {marble.depth}\nfrequency = {marble.frequency}\n"
            f"octaves = {marble.octaves}\nspeed = {marble.speed}\n"
            f"[[layers]]\ntype = 'grain'\namount = {grain.amount}\n"
            f"vignette = {grain.vignette}\n")
    scene = Scene.from_toml(text)
    assert scene.mood == wiktoria.mood("serene")
    assert scene.loop is not None and scene.loop.to == wiktoria.mood("seething")
    # The target layers are the style's defaults for the target, with this scene's changes.
    assert scene.loop.to_layers is not None
    assert scene.loop.to_layers[0].veins == 0.3
    legacy = LEGACY_STYLES["marble"](wiktoria.mood("seething"))
    assert scene.loop.to_layers[0].warp == legacy[0].warp


def test_every_parameter_is_dumped_with_its_range_and_meaning() -> None:
    scene, _ = build_scene("seething", (64, 48), 1, "landscape")
    lines = scene.to_toml().splitlines()
    for layer in scene.layers:
        for info in layer.describe():
            assert any(line.startswith(f"{info.name} = ") and f"# {info.range}: {info.doc}"
                       in line for line in lines), (layer.type, info.name)


def test_every_override_key_is_accepted_and_validated() -> None:
    scene, _ = build_scene("seething", (64, 48), 1, "landscape")
    assert scene.override_keys()[0] == "composition.layout"
    for key in scene.override_keys():
        layer, param = key.split(".")

        def get(s: Scene, layer: str = layer, param: str = param) -> object:
            owner = s.composition if layer == "composition" else s.layer(layer)
            return getattr(owner, param)

        current = get(scene)
        same = scene.override({key: current})
        assert get(same) == current
        if isinstance(current, str):  # a choice: another word is rejected, listing the valid
            with pytest.raises(ValueError, match=rf"unknown {layer}\.{param} 'nowhere'"):
                scene.override({key: "nowhere"})
            continue
        # Far outside every range: rejected with a message naming the key.
        with pytest.raises(ValueError, match=rf"{layer}\.{param} must be"):
            scene.override({key: 1e12})


def test_numpy_scalars_are_accepted_everywhere() -> None:
    canvas = Canvas(np.int64(64), np.float32(48.0), np.uint32(3))
    assert (canvas.width, canvas.height, canvas.seed) == (64, 48, 3)
    assert type(canvas.height) is int
    sky = SkyLayer(frequency=np.float32(2.0), octaves=np.int64(3), depth=np.float64(1.0))
    assert (sky.frequency, sky.octaves, sky.depth) == (2.0, 3, 1)
    assert type(sky.frequency) is float and type(sky.octaves) is int
    loop = Loop(frames=np.int64(8), fps=np.float32(12.0), frame=np.int8(2))
    assert (loop.frames, loop.fps, loop.frame) == (8, 12.0, 2)
    scene, _ = build_scene("serene", (np.int64(40), np.float32(30)), np.int64(2), "flow")
    assert scene.override({"air.clouds": np.float32(0.25)}).layer("air").clouds == 0.25
    assert scene.override({"composition.horizon": np.float64(0.5)}).composition.horizon == 0.5


def test_override_keys_cover_every_layer_parameter() -> None:
    for style in STYLES:
        scene, _ = build_scene("serene", (64, 48), 1, style)
        for layer in scene.layers:
            assert set(layer_types()[layer.type].params()) == set(layer.params())


def test_two_layers_of_one_type() -> None:
    scene = Scene(Canvas(32, 24, 1), "serene", "flow",
                  (WashLayer(), StrokesLayer(), StrokesLayer(density=1000.0), GrainLayer()))
    keys = scene.override_keys()
    assert "strokes[0].density" in keys and "strokes[1].density" in keys
    assert "wash.position" in keys
    changed = scene.override({"strokes[1].density": 2000.0, "strokes[0].width": 2.0})
    assert changed.layer("strokes", 1).density == 2000.0
    assert changed.layer("strokes", 0).width == 2.0
    assert changed.layer("strokes", 0).density == StrokesLayer().density
    with pytest.raises(ValueError, match=r"override key 'strokes.density' is ambiguous: this "
                                         r"scene has several strokes layers; use "
                                         r"strokes\[0\].density, strokes\[1\].density"):
        scene.override({"strokes.density": 1.0})
    with pytest.raises(ValueError, match=r"unknown layer 'strokes\[2\]'"):
        scene.override({"strokes[2].density": 1.0})
    assert Scene.from_toml(changed.to_toml()) == changed


@pytest.mark.parametrize(("overrides", "error", "message"), [
    ({"land.octavs": 3}, ValueError, r"unknown land parameter 'octavs' \(did you mean "
                                      r"'octaves'\?\); valid: roughness, frequency"),
    ({"lnd.relief": 3}, ValueError, r"unknown layer 'lnd' in override 'lnd.relief' \(did "
                                    r"you mean 'land'\?\); this landscape scene has layers: "
                                    r"air, land, brush, light, paper"),
    ({"composition.layot": "valley"}, ValueError, r"unknown composition parameter 'layot' "
                                                  r"\(did you mean 'layout'\?\)"),
    ({"composition.layout": "cave"}, ValueError, r"unknown composition.layout 'cave'; valid: "
                                                 r"low, high, tilted, valley"),
    ({"composition.horizon": 2}, ValueError, r"composition.horizon must be a number from "
                                             r"0.05 to 0.95, got 2"),
    ({"count": 3}, ValueError, r"override key 'count' must be layer.param"),
    ({"land.octaves": 2.5}, ValueError, r"land.octaves must be an integer from 1 to 10, got 2.5"),
    ({"land.octaves": 0}, ValueError, r"land.octaves must be an integer from 1 to 10, got 0"),
    ({"land.octaves": True}, TypeError, r"land.octaves must be an integer from 1 to 10, got True"),
    ({"air.warp": "lots"}, TypeError, r"air.warp must be a number from 0 to 20, got 'lots'"),
    ({"air.warp": float("nan")}, ValueError, r"air.warp must be a number"),
])
def test_override_errors(overrides: dict, error: type, message: str) -> None:
    scene, _ = build_scene("seething", (64, 48), 1, "landscape")
    with pytest.raises(error, match=message):
        scene.override(overrides)


@pytest.mark.parametrize(("size", "error", "message"), [
    ((0, 10), ValueError, "size must be 1 to 16384 pixels per side, got 0x10"),
    ((-5, 10), ValueError, "got -5x10"),
    ((16385, 10), ValueError, "got 16385x10"),
    ((10.5, 10), ValueError, "size must be whole pixels"),
    ("1920x1080", TypeError, "size must be"),
    ((1, 2, 3), TypeError, "size must be (width, height) in pixels"),
    (("a", 2), TypeError, "size must be (width, height) in pixels"),
])
def test_size_errors(size, error: type, message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_size(size)


_CANVAS = "[canvas]\nwidth=1\nheight=1\nseed=0\n"


@pytest.mark.parametrize(("text", "message"), [
    ("mood = 'serene'\nstyle = 'flow'\nlayers = []\n", "missing key 'canvas'"),
    ("wiktoria = 1\nmood='serene'\nstyle='flow'\nlayers=[]\n[canvas]\nwidth=1\nheight=1\n",
     "missing key 'canvas.seed'"),
    ("mood='serene'\nstyle='flow'\nlayers=[{type='cloud'}]\n" + _CANVAS,
     r"layers\[0\]: unknown layer type 'cloud'; registered types: air, land, light, paper, "
     r"[a-z, ]*grain"),
    ("mood='serene'\nstyle='flow'\nlayers=[{type='sky', hue=3}]\n" + _CANVAS,
     r"layers\[0\]: unknown sky parameter 'hue'"),
    ("mood='serene'\nstyle='flow'\nlayers=[{type='sky', octaves=0}]\n" + _CANVAS,
     r"layers\[0\]: sky.octaves must be an integer from 1 to 10, got 0"),
    ("mood='serene'\nstyle='flow'\nlayers=[]\n[canvas]\nwidth=0\nheight=1\nseed=0\n",
     "size must be 1 to 16384"),
    ("mood = [", "malformed TOML"),
    ("mood='serene'\nstyle='flow'\nlayers=[]\nextra=1\n" + _CANVAS, "unknown key 'extra'"),
    ("mood='nosuchmood'\nstyle='flow'\nlayers=[]\n" + _CANVAS, "unknown mood 'nosuchmood'"),
    ("style='flow'\nlayers=[]\n" + _CANVAS + "[mood]\nname='x'\n",
     r"\[mood\]: missing key 'affect'"),
    ("mood='serene'\nstyle='flow'\nlayers=[]\n" + _CANVAS + "[loop]\nframes=0\nfps=1\n",
     "loop.frames must be an integer from 1 to 100000, got 0"),
    ("mood='serene'\nstyle='flow'\nlayers=[]\n" + _CANVAS + "[loop]\nfps=1\n",
     "missing key 'loop.frames'"),
    ("mood='serene'\nstyle='flow'\nlayers=[]\n" + _CANVAS + "[loop]\nframes=2\nfps=1\nbpm=3\n",
     "unknown loop key 'bpm'"),
    ("mood='serene'\nstyle='flow'\nlayers=[]\n" + _CANVAS
     + "[loop]\nframes=2\nfps=1\n[[loop.layers]]\ntype='wash'\n",
     "loop.layers must hold 0 layers"),
])
def test_scene_file_errors_are_one_line_and_name_the_key(text: str, message: str) -> None:
    _assert_one_line(text, message)


def _assert_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        Scene.from_toml(text, origin="s.toml")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("s.toml")


def test_unknown_layer_type_is_its_own_error() -> None:
    text = "mood='serene'\nstyle='flow'\nlayers=[{type='cloud'}]\n" + _CANVAS
    with pytest.raises(UnknownLayerError):
        Scene.from_toml(text)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), (2**63, ValueError),
                                             (1.5, ValueError), (True, TypeError),
                                             ("3", TypeError)])
def test_canvas_seed_errors(seed, error: type) -> None:
    with pytest.raises(error, match=r"seed must be an integer from 0 to 2\*\*63-1"):
        Canvas(4, 4, seed)


def test_frame_state_moves_mood_and_layers() -> None:
    anim = wiktoria.animate("serene", size=(32, 24), frames=4, fps=8, seed=1, to="seething")
    scene = anim.scene
    assert scene.frame_state() == (scene.mood, scene.layers)  # frame 0 is the start
    half = replace(scene, loop=replace(scene.loop, frame=2))
    mood, layers = half.frame_state()
    assert mood == wiktoria.blend("serene", "seething", 1.0)  # pingpong: the far end
    for now, start, end in zip(layers, scene.layers, scene.loop.to_layers, strict=True):
        for name in now.params():
            a, b, c = getattr(now, name), getattr(start, name), getattr(end, name)
            stays = name in ("speed", "life") or isinstance(b, int)
            assert a == (b if stays else pytest.approx(c)), (now.type, name)


@pytest.mark.parametrize(("text", "message"), [
    ("a = " + "[" * 50_000 + "]" * 50_000, "arrays and tables nest deeper than 16 levels"),
    ("a = " + "{b = " * 40 + "1" + "}" * 40, "arrays and tables nest deeper than 16 levels"),
    ("# " + "x" * 2**20, "1048578 bytes is too large for this file; at most 1048576 bytes"),
    ("style='flow'\nmood='serene'\n" + "[[layers]]\ntype='wash'\n" * 300 + _CANVAS,
     "a scene holds at most 256 layers, got 300"),
    ("mood='serene'\nstyle='flow'\nlayers=[]\n" + _CANVAS + "[loop]\nframes=2\nfps=1e-310\n",
     "loop.fps must be a number from 0.001 to 100, got 1e-310"),
])
def test_costly_scene_files_are_refused_quickly(text: str, message: str) -> None:
    _assert_one_line(text, message)


def test_a_scene_of_many_layers_is_refused_without_quadratic_work() -> None:
    with pytest.raises(ValueError, match="a scene holds at most 256 layers, got 200000"):
        Scene(Canvas(4, 4, 0), "serene", "flow", (WashLayer(),) * 200_000)
    scene = Scene(Canvas(4, 4, 0), "serene", "flow", (WashLayer(),) * 256)
    assert len(scene.override_keys()) == 256 * len(WashLayer.params())
