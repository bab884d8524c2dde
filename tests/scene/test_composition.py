"""The composition planner, the composition in scenes, and the moods' priors."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria.moods import all_moods, mood, parse_mood
from wiktoria.moods.mood import MoodFileError
from wiktoria.moods.prior import LAYOUTS, LIGHTS, Prior
from wiktoria.render.painting import build_scene
from wiktoria.scene import Scene
from wiktoria.scene.composition import POWER_POINTS, Composition, plan

MOODS = [m.name for m in all_moods()]


@pytest.mark.parametrize("name", MOODS)
def test_plan_is_deterministic_and_follows_the_priors(name: str) -> None:
    m = mood(name)
    plans = [plan(s, m) for s in range(120)]
    assert plans == [plan(s, m) for s in range(120)]
    drawn = Counter(p.layout for p in plans)
    liked = {k for k, w in m.prior.layouts if w > 0}
    assert set(drawn) <= liked  # never a layout the mood gives no weight
    total = sum(w for _, w in m.prior.layouts)
    for layout, w in m.prior.layouts:  # shares follow the weights (within sampling error)
        assert abs(drawn[layout] / len(plans) - w / total) < 0.15, (layout, drawn)
    assert {p.light for p in plans} <= {k for k, w in m.prior.lights if w > 0}
    # Seeds give different compositions: several layouts when the mood allows them.
    assert len(drawn) == min(len(liked), len(drawn)) and len(drawn) >= min(2, len(liked))


@pytest.mark.parametrize("name", MOODS)
def test_the_light_is_never_centred(name: str) -> None:
    for s in range(150):
        c = plan(s, mood(name))
        assert math.hypot(c.light_x - 0.5, c.light_y - 0.5) >= 0.1, (s, c)


def test_focal_points_sit_on_power_points() -> None:
    near = 0
    plans = [plan(s, mood("haunting")) for s in range(200)]
    for c in plans:
        near += min(abs(c.focus_x - p) for p in POWER_POINTS) < 0.08
    assert near / len(plans) > 0.8


def test_mood_priors_shape_the_layouts() -> None:
    def share(name: str, layout: str) -> float:
        return sum(plan(s, mood(name)).layout == layout for s in range(200)) / 200

    assert share("labyrinthine", "enclosure") > 0.5
    assert share("serene", "low") > 0.4
    assert share("dancing", "rhythm") > 0.4
    assert share("aloof", "monolith") + share("vulnerable", "monolith") > 1.0
    assert share("writhing", "vortex") > 0.4
    assert share("seething", "high") > 0.3


def test_style_layouts_restrict_the_draw() -> None:
    for s in range(50):
        assert plan(s, mood("labyrinthine"), layouts=("low", "valley")).layout in ("low",
                                                                                   "valley")


@given(seed=st.integers(0, 2**63 - 1), name=st.sampled_from(MOODS),
       layout=st.sampled_from([None, *LAYOUTS]))
@settings(max_examples=60, deadline=None)
def test_any_seed_plans_a_valid_composition(seed: int, name: str, layout: str | None) -> None:
    c = plan(seed, mood(name), layout=layout)
    # Every value is in its declared range (the constructor checks), and rebuilds equal.
    assert c == Composition(**{k: getattr(c, k) for k in c.params()})
    assert c == plan(seed, mood(name), layout=layout)
    assert layout is None or c.layout == layout


def test_scene_carries_and_round_trips_its_composition() -> None:
    scene, _ = build_scene("seething", (64, 48), 5, "landscape")
    assert scene.composition == plan(5, mood("seething"))
    text = scene.to_toml()
    assert "[composition]" in text and 'layout = "' in text
    assert "# one of low, high, tilted, valley, monolith, enclosure, vortex, rhythm" in text
    assert Scene.from_toml(text) == scene


def test_layout_override_replans_the_rest_and_other_overrides_hold() -> None:
    scene, _ = build_scene("serene", (64, 48), 3, "landscape")
    valley = scene.override({"composition.layout": "valley"})
    assert valley.composition == plan(3, mood("serene"), layout="valley")
    both = scene.override({"composition.layout": "valley", "composition.horizon": 0.8})
    assert both.composition.layout == "valley" and both.composition.horizon == 0.8
    assert both.composition.light_x == valley.composition.light_x
    # Keyword form, through paint.
    p = wiktoria.paint("serene", size=(48, 32), seed=3, composition__horizon=0.2)
    assert p.scene.composition.horizon == 0.2


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("light", list(LIGHTS))
def test_every_layout_with_every_light_paints(layout: str, light: str) -> None:
    p = wiktoria.paint("haunting", size=(72, 40), seed=2, composition__layout=layout,
                       composition__light=light)
    assert p.scene.composition.layout == layout and p.scene.composition.light == light
    assert p.image.size == (72, 40)


def test_with_seed_replans_and_keeps_composition_overrides() -> None:
    scene, _ = build_scene("electric", (32, 24), 1, "landscape",
                           {"composition.layout": "valley"})
    other = scene.with_seed(9, {"composition.layout": "valley"})
    assert other.seed == 9 and other.composition == plan(9, mood("electric"), layout="valley")


def test_scenes_before_0_3_have_no_composition_and_still_paint() -> None:
    scene, _ = build_scene("serene", (32, 24), 1, "landscape")
    old = Scene(scene.canvas, scene.mood, "flow", (wiktoria.scene.layers.WashLayer(),))
    assert old.composition is None and "[composition]" not in old.to_toml()
    assert "composition.layout" not in old.override_keys()
    assert wiktoria.paint_scene(old).image.size == (32, 24)


# ---- the moods' priors ----------------------------------------------------------------------


def test_prior_round_trips_through_the_mood_file() -> None:
    m = mood("labyrinthine")
    assert parse_mood(m.to_toml()) == m
    assert "[composition]" in m.to_toml()
    assert m.prior.weight("enclosure") == 5.0


def test_prior_defaults_follow_affect_and_blends_mix() -> None:
    text = "\n".join(line for line in mood("serene").to_toml().splitlines())
    head = text.split("[composition]")[0]
    bare = parse_mood(head)
    assert bare.prior == Prior.for_affect(bare.valence, bare.arousal)
    b = wiktoria.blend("serene", "seething", 0.5)
    assert b.prior.key == pytest.approx((mood("serene").prior.key
                                         + mood("seething").prior.key) / 2, abs=1e-6)
    assert wiktoria.mood_at(0.2, 0.2).prior.weight("valley") > 0


@pytest.mark.parametrize(("table", "message"), [
    ("layouts = { cave = 1 }", r"composition.layouts.cave = 1: unknown key; allowed: low, high"),
    ("layouts = { low = -1 }", r"composition.layouts.low = -1: out of range, must be from 0"),
    ("layouts = { low = 0 }", r"composition.layouts = \{'low': 0\}: needs at least one "
                              r"positive weight"),
    ("lights = 3", r"composition.lights = 3: expected a table of weights"),
    ("key = 2", r"composition.key = 2: out of range, must be from 0 to 1"),
    ("contrast = 0.1", r"composition.contrast = 0.1: out of range, must be from 0.35"),
    ("colour = 1", r"composition.colour = 1: unknown key"),
])
def test_bad_priors_are_one_line_errors(table: str, message: str) -> None:
    base = mood("serene").to_toml().split("[composition]")[0]
    with pytest.raises(MoodFileError, match=message) as err:
        parse_mood(base + "\n[composition]\n" + table + "\n", origin="x.toml")
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("x.toml: ")


def test_composition_errors_name_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"unknown composition.layout 'valey' \(did you mean "
                                         r"'valley'\?\); valid: low, high"):
        Composition(layout="valey")
    with pytest.raises(ValueError, match=r"composition.light_x must be a number from -0.5 to "
                                         r"1.5, got 9"):
        Composition(light_x=9)
    with pytest.raises(TypeError, match=r"composition.ranges must be an integer"):
        Composition(ranges="many")


def test_the_variant_reshapes_the_forms_and_only_them() -> None:
    def paint(variant: int) -> bytes:
        return wiktoria.paint("writhing", size=(64, 36), seed=4, composition__layout="vortex",
                              composition__variant=variant).png_bytes()

    assert paint(1) == paint(1)
    assert paint(1) != paint(2)
    # One seed, two moods: each plans its own variant, so their shapes differ too.
    a = plan(4, mood("electric"), layout="vortex")
    b = plan(4, mood("enigmatic"), layout="vortex")
    assert a.variant != b.variant


def test_a_loop_between_moods_keeps_its_composition() -> None:
    loop = wiktoria.animate("serene", size=(32, 18), frames=4, fps=4, seed=2, to="seething")
    compositions = {loop.frame(i).scene.composition for i in range(4)}
    assert len(compositions) == 1 and None not in compositions
