"""Motion with a mood's character (issue 15): the wind carries the clouds (and the strokes in
the air) far without cross-fading them, it may rise; a pace may creep and stall; strokes may
sway to a beat; a rift or a bolt flickers along its length. Loops stay exact."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import wiktoria
from wiktoria.moods import mood as get_mood
from wiktoria.moods.mood import CHARACTER_FIELDS, MoodFileError, Motion
from wiktoria.moods.moodfile import parse_mood
from wiktoria.render import flowmap
from wiktoria.render.compositor import prepare
from wiktoria.render.strokes.motion import sway
from wiktoria.scene.scene import Loop


def scene_at(mood: str, n: int, frames: int, size=(96, 64), seed: int = 1, **over):  # type: ignore[no-untyped-def]
    s = wiktoria.paint(mood, size=(8, 8), seed=seed, **over).scene
    s = replace(s, canvas=wiktoria.Canvas(*size, seed))
    return replace(s, loop=Loop(frames=frames, fps=24.0, frame=n))


def renderer(scene, kind: str):  # type: ignore[no-untyped-def]
    frame, renderers = prepare(scene)
    return next(r for r in renderers if r.layer.type == kind), frame


# -- pace ----------------------------------------------------------------------------------

@pytest.mark.parametrize("stall", [0.0, 0.3, 0.85, 1.0])
@pytest.mark.parametrize("cycles", [1, 3])
def test_pace_keeps_the_loop_and_stalls(stall: float, cycles: int) -> None:
    p = np.linspace(0, 1, 2001)
    q = np.array([flowmap.pace(float(x), stall, cycles) for x in p])
    assert q[0] == 0.0 and abs(q[-1] - 1.0) < 1e-12
    rate = np.diff(q) / np.diff(p)
    assert rate.min() >= -1e-9  # never runs backwards
    assert abs(rate.min() - (1 - stall)) < 0.01 and abs(rate.max() - (1 + stall)) < 0.01


def test_stalls_come_every_few_seconds() -> None:
    assert flowmap.stalls(1.0) == 1 and flowmap.stalls(8.0) == 2 and flowmap.stalls(20.0) == 5


# -- wind ----------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_wind_is_near_level_and_rises_when_asked(seed: int) -> None:
    frame = renderer(wiktoria.paint("serene", size=(32, 32), seed=seed).scene, "air")[1]
    level = flowmap.wind(frame)
    assert min(abs(math.sin(level)), 1.0) <= math.sin(0.35) + 1e-9
    assert abs(flowmap.wind(frame, 1.0) + math.pi / 2) < 1e-9  # straight up (y down)
    assert abs(flowmap.wind(frame, -1.0) - math.pi / 2) < 1e-9
    half = flowmap.wind(frame, 0.5)
    assert -math.sin(half) > abs(math.sin(level))  # more upward than level


def _clouds(scene):  # type: ignore[no-untyped-def]
    r, _ = renderer(scene, "air")
    h, w = 40, 60
    x = np.linspace(0, 3, w).reshape(1, -1)
    y = np.linspace(0, 2, h).reshape(-1, 1)
    return r._clouds(x, y)[0]


def _shift_share(a: np.ndarray, b: np.ndarray, reach: int = 6) -> float:
    """Share of the change from ``a`` to ``b`` that the best whole-field shift removes."""
    m = reach
    core = b[m:-m, m:-m]
    base = np.abs(a[m:-m, m:-m] - core).mean()
    best = min(np.abs(a[m + dy:a.shape[0] - m + dy, m + dx:a.shape[1] - m + dx] - core).mean()
               for dy in range(-m, m + 1) for dx in range(-m, m + 1))
    return float((base - best) / base)


def test_the_wind_carries_the_clouds_rather_than_fading_them() -> None:
    # frames four apart differ by a shift, mostly (the rest is the slow cross-fade that
    # renews the texture once a loop; before the wind, the curl field and short generations
    # made it well under half)
    shares = []
    for n in (10, 30, 50, 70):
        a = _clouds(scene_at("seething", n, 96, air__speed=2.0))
        b = _clouds(scene_at("seething", n + 4, 96, air__speed=2.0))
        assert np.abs(a - b).mean() > 0.01  # it moves
        shares.append(_shift_share(a, b))
    assert np.median(shares) > 0.55


def test_a_loop_holds_one_generation_for_every_mood_at_its_length() -> None:
    for name in ("serene", "haunting", "dancing", "electric", "seething"):
        m = get_mood(name)
        air = next(x for x in wiktoria.paint(name, size=(8, 8)).scene.layers if x.type == "air")
        longest = m.motion.duration[1]  # type: ignore[index]
        assert flowmap.generations(0.25 * air.speed * longest) == 1


def test_a_stalling_sky_stops_at_its_stalls_and_hurries_between() -> None:
    n = 96  # 4 s at 24 fps: one stall, at phase 0
    kw = {"air__stall": 1.0, "air__speed": 2.0}

    def step(i: int) -> float:
        a, b = (_clouds(scene_at("serene", j, n, **kw)) for j in (i, i + 1))
        return float(np.abs(b - a).mean())

    assert step(0) < 0.1 * step(48)


@pytest.mark.parametrize("over", [{"air__stall": 0.8}, {"air__rise": 0.7},
                                  {"brush__stall": 0.9}, {"brush__rhythm": 2.0}])
def test_character_keeps_loops_exact_and_frame_0_the_still(over: dict) -> None:
    a = wiktoria.animate("electric", size=(64, 48), seed=2, frames=12, **over)
    assert np.array_equal(np.asarray(a.frame(12)), np.asarray(a.frame(0)))
    still = wiktoria.paint("electric", size=(64, 48), seed=2, **over)
    f0 = np.asarray(a.frame(0), dtype=np.int16)
    assert np.abs(f0 - np.asarray(still, dtype=np.int16)).mean() < 2.0


# -- rhythm ----------------------------------------------------------------------------------

def test_a_rhythm_swings_to_and_fro_in_time() -> None:
    W, H = 300, 200
    xs, ys = np.meshgrid(np.arange(0, W, 5.0), np.arange(0, H, 5.0))
    p = np.stack([xs.ravel(), ys.ravel()], 1)
    kw = {"frequency": 1.0, "seed": 4, "rhythm": 1.0}
    rest = sway(W, H, 0.0, 0.0, beat=0.0, **kw)(p)
    assert not np.any(rest[0]) and not np.any(rest[1])
    up = np.stack(sway(W, H, 0.0, 0.0, beat=math.pi / 2, **kw)(p))
    down = np.stack(sway(W, H, 0.0, 0.0, beat=3 * math.pi / 2, **kw)(p))
    assert np.abs(up).max() > 0.1
    assert np.allclose(up, -down, atol=1e-9)  # to and fro
    again = np.stack(sway(W, H, 0.0, 0.0, beat=2 * math.pi + math.pi / 2, **kw)(p))
    assert np.allclose(up, again, atol=1e-9)  # in time


def test_a_rhythm_moves_the_strokes_and_not_the_still() -> None:
    a = wiktoria.animate("dancing", size=(96, 64), seed=3, frames=24, brush__rhythm=0.0)
    b = wiktoria.animate("dancing", size=(96, 64), seed=3, frames=24)
    assert np.array_equal(np.asarray(a.frame(0)), np.asarray(b.frame(0)))
    assert not np.array_equal(np.asarray(a.frame(5)), np.asarray(b.frame(5)))


# -- flicker ---------------------------------------------------------------------------------

def _seam_scene(light: str, n: int, frames: int = 24, **over):  # type: ignore[no-untyped-def]
    return scene_at("seething", n, frames, size=(160, 120), seed=2,
                    composition__light=light, **over)


@pytest.mark.parametrize("light", ["rift", "lightning"])
def test_a_seam_flickers_along_its_length_and_the_frame_does_not_pulse(light: str) -> None:
    from wiktoria.render.compositor import render

    steady = render(_seam_scene(light, 9, light__speed=0.0)).astype(np.float32)
    lit = render(_seam_scene(light, 9)).astype(np.float32)
    d = np.abs(lit - steady)
    assert d.max() >= 3  # the seam's light changes
    assert d.mean() < 0.5  # and little else does
    rest = render(_seam_scene(light, 0)).astype(np.float32)
    rest0 = render(_seam_scene(light, 0, light__speed=0.0)).astype(np.float32)
    assert np.array_equal(rest, rest0)  # frame 0 is the still's light


# -- mood files ------------------------------------------------------------------------------

def test_character_reads_writes_and_defaults() -> None:
    m = get_mood("haunting")
    assert m.motion.stall > 0.5
    assert get_mood("seething").motion.rise > 0.3
    assert get_mood("dancing").motion.rhythm > 0
    assert get_mood("serene").motion.stall == 0.0
    text = m.to_toml()
    assert "\nstall = " in text and "\nrhythm = " not in text  # written only when set
    assert parse_mood(text).motion == m.motion
    assert "\nstall = " not in get_mood("serene").to_toml()


@pytest.mark.parametrize(("key", "value"), [("rise", 1.5), ("stall", -0.1), ("rhythm", 9.0)])
def test_character_out_of_range_is_one_line(key: str, value: float) -> None:
    text = get_mood("serene").to_toml().replace("[motion]\n", f"[motion]\n{key} = {value}\n")
    with pytest.raises(MoodFileError) as e:
        parse_mood(text)
    msg = str(e.value)
    assert "\n" not in msg and f"motion.{key}" in msg and str(value) in msg
    lo, hi, _ = CHARACTER_FIELDS[key]
    assert f"{lo:g}" in msg and f"{hi:g}" in msg


def test_character_blends() -> None:
    a = replace(Motion.for_affect(0, 0), stall=1.0, rhythm=2.0)
    b = Motion.for_affect(0, 0)
    mixed = Motion.mix([a, b], [1, 3])
    assert mixed.stall == pytest.approx(0.25) and mixed.rhythm == pytest.approx(0.5)


def test_styles_carry_the_character_into_the_scene() -> None:
    layers = {x.type: x for x in wiktoria.paint("haunting", size=(8, 8)).scene.layers}
    assert layers["air"].stall == get_mood("haunting").motion.stall
    assert layers["brush"].stall == get_mood("haunting").motion.stall
    layers = {x.type: x for x in wiktoria.paint("dancing", size=(8, 8)).scene.layers}
    assert layers["brush"].rhythm == get_mood("dancing").motion.rhythm


def test_the_flicker_changes_from_frame_to_frame_of_one_loop() -> None:
    # the light's still geometry is cached across a loop's frames; its flicker is not
    from wiktoria.render.compositor import render

    kw = {"air__speed": 0.0, "brush__opacity": 0.0, "land__speed": 0.0}
    frames = [render(_seam_scene("lightning", n, **kw)).astype(np.int16) for n in (6, 12, 6)]
    assert np.abs(frames[0] - frames[1]).max() >= 3
    assert np.array_equal(frames[0], frames[2])
