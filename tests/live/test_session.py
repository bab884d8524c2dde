"""The state of a live session and the sources it reads, without a server."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

import wiktoria
from tests.live.conftest import write_atomic, write_sketch
from wiktoria.live.session import Session, check_name, preview_size
from wiktoria.live.source import load_scene, module_name, watched
from wiktoria.render.painting import build_scene
from wiktoria.scene import Scene, layer_types


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def session(tmp_path: Path, **kw) -> Session:
    base, _ = build_scene("serene", (96, 64), 1, "landscape")
    return Session(base, tmp_path, preview=48, **kw)


def test_preview_size_keeps_the_aspect_and_never_enlarges() -> None:
    assert preview_size((1920, 1080), 384) == (384, 216)
    assert preview_size((64, 48), 384) == (64, 48)
    assert preview_size((10, 4000), 100) == (1, 100)


@pytest.mark.parametrize("name", ["../x.png", "/tmp/x.png", "a/b.png", ".hidden.png", "x.exe",
                                  "", None, "x" * 300 + ".png"])
def test_save_names_are_plain_names_in_the_folder(name: object) -> None:
    with pytest.raises(ValueError, match="cannot save the still as"):
        check_name(name, (".png",), "still")


def test_the_scene_gets_a_loop_and_the_preview_its_own_size(tmp_path: Path) -> None:
    s = session(tmp_path)
    scene = s.scene()
    assert scene.loop is not None and scene.size == (96, 64)
    assert s.preview_scene(scene).size == (48, 32)
    assert s.preview_scene(scene).seed == scene.seed


def test_set_changes_parameters_seed_mood_style_and_duration(tmp_path: Path) -> None:
    s = session(tmp_path)
    v = s.version
    s.set({"air.warp": 0.5, "seed": 7})
    assert s.version == v + 1
    assert s.scene().layer("air").warp == 0.5 and s.scene().seed == 7
    s.set({"mood": "seething"})
    assert s.scene().mood.name == "seething"
    assert s.scene().layer("air").warp == 0.5  # the page's change holds
    s.set({"mood": wiktoria.blend("serene", "aloof", 0.5)})
    assert s.scene().mood == wiktoria.blend("serene", "aloof", 0.5)
    s.set({"mood": [0.3, -0.5]})
    assert (s.scene().mood.valence, s.scene().mood.arousal) == (0.3, -0.5)
    s.set({"duration": 2.0})
    assert s.scene().loop.frames == 48
    s.set({"style": "flow"})
    assert s.scene().style == "flow" and s.controls()["style"] == "flow"
    s.set({"air.warp": "0.25"})  # text, as a script may send it
    assert s.scene().layer("air").warp == 0.25


@pytest.mark.parametrize(("change", "message"), [
    ({"air.warp": 99}, "air.warp"),
    ({"nope.x": 1}, "unknown layer 'nope'"),
    ({"seed": -1}, "seed"),
    ({"style": "cubist"}, "unknown style 'cubist'"),
    ({"mood": "grumpy-nonexistent"}, "grumpy-nonexistent"),
    ({"duration": 0}, "duration"),
    ({}, "at least one change"),
])
def test_a_bad_change_changes_nothing(tmp_path: Path, change: dict, message: str) -> None:
    s = session(tmp_path)
    before, version = s.scene(), s.version
    with pytest.raises((ValueError, TypeError, LookupError), match=message):
        s.set({"seed": 9, **change} if change else change)
    assert s.scene() == before and s.version == version


def test_play_pause_and_scrub_follow_the_clock(tmp_path: Path) -> None:
    clock = Clock()
    s = session(tmp_path, clock=clock)
    fps = s.scene().loop.fps
    clock.now = 10 / fps + 1e-6
    assert s.frame() == 10
    s.set({"playing": False})
    clock.now += 5
    assert s.frame() == 10
    s.set({"frame": 3})
    assert s.frame() == 3 and not s.snapshot().playing
    s.set({"playing": True})
    clock.now += 2 / fps + 1e-6
    assert s.frame() == 5


def test_controls_carry_every_parameter_with_its_range(tmp_path: Path) -> None:
    s = session(tmp_path)
    c = s.controls()
    groups = {g["prefix"]: g for g in c["layers"]}
    assert "composition" in groups and "air" in groups
    warp = next(p for p in groups["air"]["params"] if p["name"] == "warp")
    assert warp["kind"] == "float" and warp["lo"] < warp["value"] <= warp["hi"]
    assert any(m["name"] == "serene" for m in c["moods"])
    assert c["preview"] == [48, 32] and c["frames"] == s.scene().loop.frames


def test_saving_writes_in_the_folder_with_the_scene(tmp_path: Path) -> None:
    s = session(tmp_path)
    s.set({"air.warp": 0.5, "playing": False, "frame": 2, "duration": 0.25})
    still = s.save_still("still.png")
    assert still == tmp_path / "still.png"
    from wiktoria.io.metadata import read_scene

    scene, _ = read_scene(still)
    assert scene.layer("air").warp == 0.5 and scene.loop.frame == 2
    loop = s.save_loop("loop.gif")
    assert read_scene(loop)[0].loop.frames == 6
    text = s.save_scene().read_text()
    assert Scene.from_toml(text).layer("air").warp == 0.5
    assert tomllib.loads(text)["canvas"]["seed"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["still.png", "loop.gif", "wiktoria-serene-1.toml"])


def test_saving_refuses_links_and_folders(tmp_path: Path) -> None:
    s = session(tmp_path)
    (tmp_path / "dir.toml").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.toml"
    (tmp_path / "link.toml").symlink_to(outside)
    for name in ("dir.toml", "link.toml"):
        with pytest.raises(ValueError, match="link or a folder"):
            s.save_scene(name)
    assert not outside.exists()


def test_saving_the_scene_writes_back_to_its_file(tmp_path: Path) -> None:
    base, _ = build_scene("serene", (96, 64), 1, "landscape")
    path = tmp_path / "scene.toml"
    path.write_text(base.to_toml())
    s = Session(load_scene(path), tmp_path, preview=48, source=path)
    s.set({"seed": 5})
    assert s.save_scene() == path
    assert Scene.from_toml(path.read_text()).seed == 5


def test_reload_keeps_the_choices_the_new_scene_still_has(tmp_path: Path) -> None:
    s = session(tmp_path)
    s.set({"air.warp": 0.5, "seed": 3})
    other, _ = build_scene("serene", (96, 64), 1, "flow")
    dropped = s.reload(other)
    assert s.scene().seed == 3
    assert s.scene().layer("air").warp == 0.5 or dropped == ["air.warp"]
    s.set_error("boom")
    assert s.controls()["error"]["message"] == "boom"
    s.reload(other)
    assert s.controls()["error"] is None


def test_a_sketch_is_read_afresh_with_its_helpers(tmp_path: Path) -> None:
    path = write_sketch(tmp_path, 0.1)
    assert load_scene(path).layers[-1].position == 0.1
    write_atomic(tmp_path / "helper.py", "POSITION = 0.7\n")
    assert load_scene(path).layers[-1].position == 0.7
    assert module_name(path) in sys.modules
    assert "helper" not in sys.modules or Path(sys.modules["helper"].__file__).parent == tmp_path


def test_a_broken_sketch_keeps_the_last_layer_types(tmp_path: Path) -> None:
    path = write_sketch(tmp_path, 0.1)
    good = load_scene(path)
    spec = layer_types()["live-tint"]
    write_atomic(path, path.read_text() + "\nthis is not python(\n")
    with pytest.raises(SyntaxError):
        load_scene(path)
    assert layer_types()["live-tint"] is spec
    from wiktoria.render import render

    assert render(good).shape == (64, 96, 3)


def test_a_sketch_without_a_scene_says_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "empty.py"
    path.write_text("x = 1\n")
    with pytest.raises(TypeError, match="must define scene"):
        load_scene(path)


def test_what_is_watched(tmp_path: Path) -> None:
    sketch, scene = tmp_path / "s.py", tmp_path / "a.toml"
    assert watched(sketch, tmp_path / "s.py")
    assert watched(sketch, tmp_path / "sub" / "helper.py")
    assert not watched(sketch, tmp_path / ".s.py.tmp")
    assert not watched(sketch, tmp_path / "out.png")
    assert watched(scene, tmp_path / "a.toml")
    assert not watched(scene, tmp_path / "b.toml")
    assert not watched(scene, tmp_path / "x.py")


def test_a_sketchs_own_layers_stay_through_style_and_mood_changes(tmp_path: Path) -> None:
    from dataclasses import replace

    path = write_sketch(tmp_path, position=0.3)
    s = Session(load_scene(path), tmp_path, preview=48, source=path)
    base = s.scene()
    assert base.layers[-1].type == "live-tint"
    s.set({"live-tint.amount": 0.25})
    s.set({"style": "flow"})
    flow = s.scene()
    assert flow.style == "flow"
    from wiktoria.scene.styles import layers_for

    assert flow.layers[:-1] == layers_for(flow.mood, "flow")
    assert flow.layers[-1].type == "live-tint"  # on top, as before, and as it was set
    assert flow.layers[-1] == replace(base.layers[-1], amount=0.25)
    # A new mood retargets the style's layers (they follow the mood) and keeps the tint.
    s.set({"style": "landscape"})
    serene = s.scene()
    s.set({"mood": "seething"})
    seething = s.scene()
    assert seething.layers[-1] == serene.layers[-1]
    assert seething.layer("air") != serene.layer("air")
    assert seething.layers[:-1] == layers_for(seething.mood, "landscape")
