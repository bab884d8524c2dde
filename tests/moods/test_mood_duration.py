"""A mood's loop duration range: in every shipped file, derived from arousal where missing,
mixed by blends and mood_at, validated with one-line errors, round-tripped."""

from __future__ import annotations

import dataclasses

import pytest

import wiktoria
from wiktoria.colour.ramp import Palette
from wiktoria.moods.mood import (
    DURATION_LIMITS,
    Mood,
    MoodFileError,
    Motion,
    duration_for_arousal,
)
from wiktoria.moods.moodfile import parse_mood
from wiktoria.moods.userdirs import shipped_palette_dir

MINIMAL = """\
name = "dusk"
[affect]
valence = -0.2
arousal = {arousal}
[ramp]
stops = [{{ color = "#101020" }}, {{ color = "#c0a0b0" }}]
"""


def _shipped() -> list[Mood]:
    return [wiktoria.mood(p.stem) for p in sorted(shipped_palette_dir().glob("*.toml"))]


def test_every_shipped_mood_file_gives_its_duration() -> None:
    for path in sorted(shipped_palette_dir().glob("*.toml")):
        assert "\nduration" in path.read_text(encoding="utf-8"), path.name


def test_shipped_durations_follow_arousal() -> None:
    moods = sorted(_shipped(), key=lambda m: m.arousal)
    for m in moods:
        lo, hi = m.motion.duration
        assert DURATION_LIMITS[0] <= lo < hi <= DURATION_LIMITS[1], m.name
    middles = [sum(m.motion.duration) / 2 for m in moods]
    assert middles == sorted(middles, reverse=True)  # calmer loops last longer
    serene = wiktoria.mood("serene").motion.duration
    seething = wiktoria.mood("seething").motion.duration
    assert serene[0] >= 12 and serene[1] <= 20
    assert seething[0] >= 4 and seething[1] <= 6.5


def test_a_file_without_it_gets_the_one_of_its_arousal() -> None:
    mood = parse_mood(MINIMAL.format(arousal=0.3))
    assert mood.motion.duration == duration_for_arousal(0.3)
    assert duration_for_arousal(-1.0) == (16.0, 25.0)
    assert duration_for_arousal(1.0) == (4.0, 6.2)


def test_a_motion_made_without_it_gets_the_moods_arousal() -> None:
    base = Motion.for_affect(0.5, -0.5)
    values = {k: getattr(base, k) for k in ("speed", "octaves", "warp", "turbulence",
                                             "stroke_density", "stroke_length", "stroke_curl")}
    mood = Mood("x", 0.5, 0.9, Palette.from_colors(["#000", "#fff"]), Motion(**values))
    assert mood.motion.duration == duration_for_arousal(0.9)


def test_round_trip_and_scene_embedding() -> None:
    text = MINIMAL.format(arousal=0.1) + "[motion]\nduration = [3.5, 7.25]\n"
    mood = parse_mood(text)
    assert mood.motion.duration == (3.5, 7.25)
    assert "duration = [3.5, 7.25]" in mood.to_toml()
    assert parse_mood(mood.to_toml()) == mood
    scene = wiktoria.paint(mood, size=(8, 8), seed=1).scene
    assert wiktoria.Scene.from_toml(scene.to_toml()).mood == mood


def test_blends_and_points_mix_it() -> None:
    serene, seething = wiktoria.mood("serene"), wiktoria.mood("seething")
    assert wiktoria.blend(serene, seething, 0.0).motion.duration == pytest.approx(
        serene.motion.duration)
    lo, hi = wiktoria.blend(serene, seething, 0.5).motion.duration
    assert seething.motion.duration[0] < lo < serene.motion.duration[0]
    assert seething.motion.duration[1] < hi < serene.motion.duration[1]
    calm, wild = wiktoria.mood_at(0.5, -0.8), wiktoria.mood_at(-0.5, 0.9)
    assert calm.motion.duration[0] > wild.motion.duration[1]
    assert Motion.for_affect(0.0, 0.0).duration == duration_for_arousal(0.0)


@pytest.mark.parametrize("value", ["[20.0, 12.0]", "[0.5, 3.0]", "[2.0, 121.0]", '"long"',
                                   "[1.0, 2.0, 3.0]", "[true, 2.0]", "5.0", "[nan, 3.0]"])
def test_bad_durations_are_one_line_errors(value: str) -> None:
    text = MINIMAL.format(arousal=0.1) + f"[motion]\nduration = {value}\n"
    with pytest.raises(MoodFileError) as info:
        parse_mood(text, "dusk.toml")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("dusk.toml: motion.duration = ")
    assert "seconds of one loop, each from 1 to 120, shortest first" in message


def test_motion_checks_it_too() -> None:
    with pytest.raises(ValueError, match=r"motion.duration = \(9, 3\): expected"):
        dataclasses.replace(Motion.for_affect(0.0, 0.0), duration=(9, 3))


def test_a_duration_the_arousal_gives_is_not_written() -> None:
    # so moods and scenes are written as before the range existed, and older files reproduce
    serene = wiktoria.mood("serene")
    assert serene.motion.duration == duration_for_arousal(serene.arousal)
    assert "duration" not in serene.to_toml()
    assert parse_mood(serene.to_toml()) == serene
    scene = wiktoria.paint("serene", size=(8, 8), seed=1).scene
    assert "duration" not in scene.to_toml()
    blend = wiktoria.blend("serene", "seething", 0.5)
    assert "duration = [" in blend.to_toml()
    assert parse_mood(blend.to_toml()) == blend
