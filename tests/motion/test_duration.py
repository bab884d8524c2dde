"""A loop's length: the mood's duration range chosen by seed, or ``duration=`` seconds, or
``frames=``; recorded in the scene as frames and fps."""

from __future__ import annotations

import dataclasses

import pytest

import wiktoria
from wiktoria.motion.animation import default_duration, loop_frames, with_loop


def test_the_default_loop_lasts_a_time_in_the_moods_range_chosen_by_the_seed() -> None:
    serene = wiktoria.mood("serene")
    lo, hi = serene.motion.duration
    seconds = {default_duration(serene, seed) for seed in range(20)}
    assert all(lo <= s <= hi for s in seconds)
    assert len(seconds) == 20  # the seed chooses
    assert default_duration(serene, 7) == default_duration(serene, 7)
    anim = wiktoria.animate("serene", size=(16, 8), fps=10, seed=7)
    assert len(anim) == round(default_duration(serene, 7) * 10)
    assert lo - 0.05 <= anim.scene.loop.duration <= hi + 0.05
    again = wiktoria.animate("serene", size=(16, 8), fps=10, seed=7)
    assert again.scene.to_toml() == anim.scene.to_toml()


def test_calm_moods_loop_longer_than_aroused_ones() -> None:
    calm = wiktoria.animate("serene", size=(8, 8), seed=3)
    wild = wiktoria.animate("seething", size=(8, 8), seed=3)
    assert calm.scene.loop.duration > 2 * wild.scene.loop.duration


def test_the_duration_choice_moves_no_other_choice() -> None:
    short = wiktoria.animate("tender", size=(24, 16), duration=0.5, fps=8, seed=5)
    default = wiktoria.animate("tender", size=(24, 16), fps=8, seed=5)
    assert dataclasses.replace(short.scene, loop=None) == dataclasses.replace(default.scene,
                                                                             loop=None)


def test_duration_gives_round_duration_times_fps_frames() -> None:
    anim = wiktoria.animate("serene", size=(16, 8), duration=2.5, fps=24, seed=1)
    assert len(anim) == 60
    assert anim.scene.loop.duration == 2.5
    text = anim.scene.to_toml()
    assert "frames = 60" in text and "fps = 24.0" in text
    assert len(wiktoria.animate("serene", size=(8, 8), duration=0.01, fps=24, seed=1)) == 1
    assert loop_frames(wiktoria.mood("serene"), 1, 12, duration=1.04) == 12


def test_frames_still_work() -> None:
    assert len(wiktoria.animate("serene", size=(8, 8), frames=5, seed=1)) == 5


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"frames": 4, "duration": 1.0}, r"give frames or duration, not both \(got frames=4, "
                                     r"duration=1.0\)"),
    ({"duration": 0}, r"duration must be a number of seconds above 0 and at most 4166.67 "
                      r"\(at 24 fps, 100000 frames\), got 0"),
    ({"duration": -2.0}, "got -2.0"),
    ({"duration": float("inf")}, "got inf"),
    ({"duration": 10_000, "fps": 24}, "at most 4166.67"),
    ({"duration": 2000, "fps": 100}, r"at most 1000 \(at 100 fps"),
    ({"duration": "3"}, "got '3'"),
    ({"duration": True}, "got True"),
    ({"duration": 2.0, "fps": 0}, "fps must be a number from 0.001 to 100, got 0"),
])
def test_bad_durations(kwargs: dict, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message) as info:
        wiktoria.animate("serene", size=(8, 8), seed=1, **kwargs)
    assert "\n" not in str(info.value)


def test_with_loop_takes_a_duration_and_keeps_an_existing_length() -> None:
    scene = wiktoria.paint("seething", size=(8, 8), seed=2).scene
    assert with_loop(scene, duration=2.0, fps=12).loop.frames == 24
    looped = with_loop(scene, frames=9)
    assert with_loop(looped).loop.frames == 9
    assert with_loop(looped, fps=12).loop.frames == 9  # a new rate keeps the frame count
    assert with_loop(looped, duration=1.0).loop.frames == 24
    fresh = with_loop(scene)
    lo, hi = scene.mood.motion.duration
    assert lo - 0.05 <= fresh.loop.duration <= hi + 0.05
    with pytest.raises(ValueError, match="give frames or duration, not both"):
        with_loop(scene, frames=3, duration=1.0)


def test_loop_from_duration() -> None:
    assert wiktoria.Loop.from_duration(1.5, 12).frames == 18
    loop = wiktoria.Loop.from_duration(2.0, 10, frame=3, pingpong=False)
    assert (loop.frames, loop.frame, loop.pingpong, loop.duration) == (20, 3, False, 2.0)
    with pytest.raises(ValueError, match=r"duration must be a number of seconds above 0 and "
                                         r"at most 1000 \(at 100 fps, 100000 frames\), got -1"):
        wiktoria.Loop.from_duration(-1, 100)


def _scene_text(loop_lines: str) -> str:
    scene = wiktoria.paint("serene", size=(8, 8), seed=1).scene
    return scene.to_toml() + "\n[loop]\n" + loop_lines + "\n"


def test_a_scene_file_may_give_the_loop_in_seconds() -> None:
    scene = wiktoria.Scene.from_toml(_scene_text("duration = 1.5\nfps = 12.0"))
    assert (scene.loop.frames, scene.loop.fps) == (18, 12.0)
    assert "frames = 18" in scene.to_toml()  # written as what is painted


@pytest.mark.parametrize(("lines", "message"), [
    ("duration = 1.5\nframes = 4\nfps = 12.0", "give loop.frames or loop.duration, not both "
                                               r"\(got frames = 4, duration = 1.5\)"),
    ("fps = 12.0", r"missing key 'loop.frames' \(or 'loop.duration', seconds\)"),
    ("duration = 0\nfps = 12.0", "loop.duration must be a number of seconds above 0"),
    ('duration = "long"\nfps = 12.0', "loop.duration must be a number of seconds .* got 'long'"),
])
def test_bad_loop_durations_in_a_scene_file(lines: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        wiktoria.Scene.from_toml(_scene_text(lines))
    assert "\n" not in str(info.value)
