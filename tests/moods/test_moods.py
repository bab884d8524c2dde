"""Moods as data: files, lookup, user folders, mood_at, blend, import/export (moods.registry)."""

from __future__ import annotations

import doctest
import importlib
import io
import itertools
import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from PIL.GimpPaletteFile import GimpPaletteFile

import wiktoria
from wiktoria.cli.palette import mood_table  # the terminal table is the CLI's
from wiktoria.colour.ramp import Palette, PaletteWarning
from wiktoria.moods.mood import MOTION_FIELDS, Mood, MoodFileError, MoodFileWarning, Motion
from wiktoria.moods.moodfile import load_mood, parse_mood
from wiktoria.moods.palettes import (
    arousal_cue,
    estimate_affect,
    export_palette,
    import_palette,
    save_palette_png,
)
from wiktoria.moods.registry import (
    MoodShadowWarning,
    UnknownMoodError,
    all_moods,
    blend,
    mood,
    mood_at,
    moods,
    resolve_mood,
)
from wiktoria.moods.userdirs import shipped_palette_dir, user_config_dir, user_palette_dirs

REPO = Path(__file__).resolve().parents[2]
PALETTE_FILES = sorted((REPO / "palettes").glob("*.toml"))
SHIPPED = [load_mood(p, check=False) for p in PALETTE_FILES]
REQUIRED = ["seething", "serene", "haunting", "electric", "melancholy", "euphoric", "enigmatic",
            "tender", "secretive", "vulnerable", "aloof", "labyrinthine", "writhing", "dancing"]

GOOD = """\
name = "dusk"
aliases = ["gloaming"]
description = "A test mood"

[affect]
valence = -0.2
arousal = 0.1
source = "made up for a test"

[ramp]
stops = [
  { color = "#101828", name = "night" },
  { color = "#5a6a8a" },
  { color = "#d8c8b0" },
]

[motion]
speed = 0.1
"""


@pytest.fixture(autouse=True)
def user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every user folder into tmp_path; returns the config palette folder (not created)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("WIKTORIA_PALETTES", raising=False)
    monkeypatch.delenv("APPDATA", raising=False)
    return tmp_path / "config" / "wiktoria" / "palettes"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def lightness(m: Mood) -> float:
    return float(m.palette.oklab_lut[:, 0].mean())


# --------------------------------------------------------------------------------------------
# the shipped moods


def test_required_moods_are_shipped() -> None:
    assert set(REQUIRED) <= {m.name for m in SHIPPED}
    assert set(REQUIRED) <= set(moods())
    assert moods() == sorted(moods())


def test_package_exports() -> None:
    assert wiktoria.moods is moods
    assert wiktoria.mood is mood and wiktoria.mood_at is mood_at and wiktoria.blend is blend
    assert wiktoria.Mood is Mood and wiktoria.Motion is Motion


def test_shipped_folder_matches_repository_palettes() -> None:
    shipped = shipped_palette_dir()
    assert sorted(p.name for p in shipped.glob("*.toml")) == [p.name for p in PALETTE_FILES]
    for path in PALETTE_FILES:
        assert (shipped / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("m", SHIPPED, ids=lambda m: m.name)
def test_shipped_mood_is_complete(m: Mood) -> None:
    path = REPO / "palettes" / f"{m.name}.toml"
    assert m.path == path
    assert m.description and m.source and m.aliases
    assert -1 <= m.valence <= 1 and -1 <= m.arousal <= 1
    text = path.read_text(encoding="utf-8")
    for key in MOTION_FIELDS:  # every motion parameter is explicit in the shipped files
        assert f"\n{key} " in text or f"\n{key}=" in text
    assert m.palette(np.linspace(0, 1, 7)).shape == (7, 3)
    assert m.motion.speed > 0


@pytest.mark.parametrize("m", SHIPPED, ids=lambda m: m.name)
def test_shipped_mood_round_trips_through_toml(m: Mood) -> None:
    again = parse_mood(m.to_toml(), "round trip")
    assert again == m
    assert hash(again) == hash(m)
    np.testing.assert_array_equal(again.palette.lut, m.palette.lut)


def test_names_and_aliases_are_unique() -> None:
    keys = [k for m in SHIPPED for k in m.keys]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", ["Serene", "SERENE", " serene ", "calm", "Tranquil"])
def test_lookup_is_case_insensitive_and_resolves_aliases(name: str) -> None:
    assert mood(name).name == "serene"


def test_mood_is_frozen_picklable_hashable() -> None:
    m = mood("seething")
    with pytest.raises(AttributeError):
        m.valence = 0.0  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(m))
    assert back == m and hash(back) == hash(m) and back.path == m.path
    assert {m, back, mood("rage")} == {m}
    ramp = np.linspace(0, 1, 9)
    np.testing.assert_array_equal(back.palette(ramp), m.palette(ramp))


# --------------------------------------------------------------------------------------------
# moods read as their names


def _pairs(attr: str) -> list[tuple[Mood, Mood]]:
    """(higher, lower) pairs whose ``attr`` differs by 0.8 or more."""
    out = []
    for a, b in itertools.combinations(SHIPPED, 2):
        if abs(getattr(a, attr) - getattr(b, attr)) >= 0.8 - 1e-9:
            out.append((a, b) if getattr(a, attr) > getattr(b, attr) else (b, a))
    return out


VALENCE_PAIRS = _pairs("valence")
AROUSAL_PAIRS = _pairs("arousal")


def test_there_are_many_contrasting_pairs() -> None:
    assert len(VALENCE_PAIRS) >= 30 and len(AROUSAL_PAIRS) >= 25


@pytest.mark.parametrize(("happy", "sad"), VALENCE_PAIRS, ids=lambda m: m.name)
def test_happier_mood_is_lighter(happy: Mood, sad: Mood) -> None:
    """Valence rides on lightness (Valdez & Mehrabian 1994): mean OKLab L of the table."""
    assert lightness(happy) > lightness(sad)


@pytest.mark.parametrize(("hot", "calm"), AROUSAL_PAIRS, ids=lambda m: m.name)
def test_more_aroused_mood_is_more_colourful_and_faster(hot: Mood, calm: Mood) -> None:
    """Arousal rides on chroma and contrast: mean OKLab chroma + (L max - L min) of the table;
    and on motion: speed and turbulence (Toet et al. 2011)."""
    assert arousal_cue(hot.palette) > arousal_cue(calm.palette)
    assert hot.motion.speed > calm.motion.speed
    assert hot.motion.turbulence > calm.motion.turbulence


def test_arousal_cue_definition() -> None:
    pal = Palette.from_colors(["#000000", "#ffffff"])
    assert arousal_cue(pal) == pytest.approx(1.0, abs=1e-6)  # no chroma, full lightness range


# --------------------------------------------------------------------------------------------
# unknown moods and bad files


def test_unknown_mood_suggests_the_nearest_and_lists_all() -> None:
    with pytest.raises(UnknownMoodError) as info:
        mood("seethin")
    message = str(info.value)
    assert message.startswith("unknown mood 'seethin'; did you mean 'seething'? valid moods: ")
    assert all(name in message for name in REQUIRED)
    assert "\n" not in message


def test_unknown_mood_alias_suggestion_names_the_mood() -> None:
    with pytest.raises(UnknownMoodError, match="did you mean 'serene'"):
        mood("tranquill")


def test_unknown_mood_without_a_close_match() -> None:
    with pytest.raises(LookupError, match=r"^unknown mood 'xyzzy'; valid moods: aloof, "):
        mood("xyzzy")


def test_mood_name_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="a mood name must be a string, got int 3"):
        mood(3)  # type: ignore[arg-type]


BAD_FILES = [
    # (old, new, expected fragment after "<path>: ")
    ("speed = 0.1", "speed = fast",
     "malformed TOML: Invalid value (at line 18, column 9): 'speed = fast'"),
    ('name = "dusk"\n', "", "missing key 'name': every mood file needs a name"),
    ("valence = -0.2\n", "", "missing key 'affect.valence': expected a number from -1 to 1"),
    ("valence = -0.2", 'valence = "high"',
     "affect.valence = 'high': expected a number from -1 to 1"),
    ("arousal = 0.1", "arousal = 1.5", "affect.arousal = 1.5: out of range, must be from -1 to 1"),
    ("arousal = 0.1", "arousal = true", "affect.arousal = True: expected a number from -1 to 1"),
    ('"#5a6a8a"', '"#5a6a8g"',
     "ramp.stops[1].color = '#5a6a8g': '#5a6a8g' is not a hex colour; expected '#RRGGBB' or "
     "'#RGB'"),
    ('{ color = "#5a6a8a" }', "{ color = 0x5a6a8a }",
     "ramp.stops[1].color = 5925514: expected a hex colour string like '#1a2b3c'"),
    ("speed = 0.1", "turbulance = 0.5",
     "motion.turbulance = 0.5: unknown key; did you mean 'turbulence'?"),
    ("[motion]", "[motoin]", "motoin = {'speed': 0.1}: unknown key; did you mean 'motion'?"),
    ('aliases = ["gloaming"]', 'aliases = ["gloaming", "gloaming"]',
     "aliases[1] = 'gloaming': duplicate name or alias in this file"),
    ('aliases = ["gloaming"]', 'aliases = ["dusk"]',
     "aliases[0] = 'dusk': duplicate name or alias in this file"),
    ('aliases = ["gloaming"]', 'aliases = "gloaming"',
     "aliases = 'gloaming': expected a list of names"),
    ('name = "dusk"', 'name = "Dusk Time"',
     "name = 'Dusk Time': not a valid mood name: use lowercase"),
    ('name = "dusk"', "name = 7", "name = 7: expected a string"),
    ("speed = 0.1", "speed = -1", "motion.speed = -1: out of range, must be from 0.001 to 4"),
    ("speed = 0.1", "octaves = 12", "motion.octaves = 12: out of range, must be from 1 to 10"),
    ('  { color = "#5a6a8a" },\n  { color = "#d8c8b0" },\n', "",
     "ramp.stops = [{'color': '#101828', 'name': 'night'}]: expected a list of 2 to 1024 colour "
     "stops"),
    ('{ color = "#101828", name = "night" }', '{ color = "#101828", oklch = [0.5, 0.1, 20] }',
     "ramp.stops[0] = {'color': '#101828', 'oklch': [0.5, 0.1, 20]}: a stop needs exactly one of "
     "color, oklch or oklab"),
    ('{ color = "#5a6a8a" }', "{ oklch = [0.5, 0.1] }",
     "ramp.stops[1].oklch = [0.5, 0.1]: expected 3 numbers"),
    ('{ color = "#5a6a8a" }', "{ oklch = [0.5, 0.9, 10] }",
     "ramp.stops[1].oklch = [0.5, 0.9, 10]: oklch chroma must be a number from 0 to 0.5, got 0.9"),
    ('{ color = "#5a6a8a" }', '{ color = "#5a6a8a", pos = 1.2 }',
     "ramp.stops[1].pos = 1.2: out of range, must be from 0 to 1"),
    ('name = "night"', "name = 3", "ramp.stops[0].name = 3: expected a string"),
    ('{ color = "#d8c8b0" }', '{ color = "#d8c8b0", pos = 0.0 }',
     "ramp.stops = [None, None, 0.0]: stop positions must increase strictly, got [0.0, None, 0.0]"),
    ("[ramp]\n", '[ramp]\nhue = "round"\n',
     "ramp.hue = 'round': expected one of shorter, longer, increasing, decreasing"),
    ("[ramp]\n", '[ramp]\nspace = "hsl"\n', "ramp.space = 'hsl': expected one of oklab, oklch"),
    ("[ramp]\n", '[ramp]\nshape = "spiral"\n',
     "ramp.shape = 'spiral': expected one of sequential, diverging, cyclic"),
    ("[ramp]\n", "[ramp]\nstop = 1\n", "ramp.stop = 1: unknown key; did you mean 'stops'?"),
    ("[affect]\n", "[affect]\nmood = 1\n",
     "affect.mood = 1: unknown key; allowed: valence, arousal, source"),
    ('source = "made up for a test"', "source = 1", "affect.source = 1: expected a string"),
    ('description = "A test mood"', "description = [1]", "description = [1]: expected a string"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_FILES,
                         ids=[f"{i:02d}-{case[1][:20]}" for i, case in enumerate(BAD_FILES)])
def test_bad_mood_file_gives_one_line_with_file_key_and_value(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, "bad.toml", GOOD.replace(old, new, 1))
    with pytest.raises(MoodFileError) as info:
        load_mood(path)
    message = str(info.value)
    assert message == f"{path}: {expected}" or message.startswith(f"{path}: {expected}")
    assert "\n" not in message
    assert isinstance(info.value, ValueError)


def test_missing_tables(tmp_path: Path) -> None:
    text = GOOD[: GOOD.index("[ramp]")]
    with pytest.raises(MoodFileError, match=r"missing key 'ramp': the file needs a \[ramp\] table"):
        load_mood(write(tmp_path, "a.toml", text))
    text = GOOD.replace("[affect]", "[feelings]")
    with pytest.raises(MoodFileError, match="unknown key; allowed: name, aliases"):
        load_mood(write(tmp_path, "b.toml", text))
    text = 'name = "x"\naffect = 3\n'
    with pytest.raises(MoodFileError, match=r"affect = 3: expected a table \(\[affect\]\)"):
        load_mood(write(tmp_path, "c.toml", text))


def test_not_utf8_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'name = "caf\xe9"\n')
    with pytest.raises(MoodFileError, match=r"latin\.toml: not UTF-8 text"):
        load_mood(path)
    with pytest.raises(FileNotFoundError, match=r"mood file '.*nope\.toml' does not exist"):
        load_mood(tmp_path / "nope.toml")


def test_good_file_loads_with_motion_defaults(tmp_path: Path) -> None:
    m = load_mood(write(tmp_path, "dusk.toml", GOOD))
    assert (m.name, m.aliases, m.valence, m.arousal) == ("dusk", ("gloaming",), -0.2, 0.1)
    assert m.motion.speed == 0.1
    default = Motion.for_affect(-0.2, 0.1)
    assert m.motion.octaves == default.octaves and m.motion.turbulence == default.turbulence


def test_oklch_and_oklab_stops_and_positions_round_trip(tmp_path: Path) -> None:
    text = GOOD.replace('{ color = "#5a6a8a" }', "{ oklch = [0.5, 0.08, 250], pos = 0.4 }")
    text = text.replace('{ color = "#d8c8b0" }', '{ oklab = [0.85, 0.01, 0.03], name = "end" }')
    text = text.replace("[ramp]\n", '[ramp]\nspace = "oklch"\nhue = "longer"\n')
    m = load_mood(write(tmp_path, "x.toml", text))
    assert m.palette.positions[1] == 0.4 and m.palette.space == "oklch"
    assert parse_mood(m.to_toml()) == m


def test_to_toml_escapes_strings() -> None:
    m = mood("tender")
    odd = Mood(m.name, m.valence, m.arousal, m.palette, m.motion,
               description='quote " backslash \\ newline \n tab \t del \x7f ünï 🌙',
               source="a\x01b")
    again = parse_mood(odd.to_toml())
    assert again.description == odd.description and again.source == odd.source


def test_save_writes_atomically(tmp_path: Path) -> None:
    path = mood("serene").save(tmp_path / "copy.toml")
    assert load_mood(path) == mood("serene")
    with pytest.raises(ValueError, match="does not exist"):
        mood("serene").save(tmp_path / "no" / "such" / "dir.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.toml", "home"]


# --------------------------------------------------------------------------------------------
# Mood and Motion records


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "Bad Name"}, ValueError, "name 'Bad Name' is not a valid mood name"),
        ({"name": "0day"}, ValueError, "not a valid mood name"),
        ({"valence": 1.2}, ValueError, r"valence must be a number from -1 to 1, got 1.2"),
        ({"arousal": float("nan")}, ValueError, "arousal must be a number from -1 to 1, got nan"),
        ({"arousal": "high"}, TypeError, "arousal must be a number from -1 to 1, got 'high'"),
        ({"palette": "#000"}, TypeError, "palette must be a Palette, got str"),
        ({"motion": {}}, TypeError, "motion must be a Motion, got dict"),
        ({"aliases": "calm"}, TypeError, "aliases must be a sequence of names"),
        ({"aliases": ("a", "a")}, ValueError, "alias 'a' of mood 'x' is a duplicate"),
        ({"description": 3}, TypeError, "description must be a string"),
    ],
)
def test_mood_validation(kwargs: dict, error: type[Exception], message: str) -> None:
    base = mood("serene")
    args = {"name": "x", "valence": 0.0, "arousal": 0.0, "palette": base.palette,
            "motion": base.motion, **kwargs}
    with pytest.raises(error, match=message):
        Mood(**args)


def test_motion_validation() -> None:
    good = Motion.for_affect(0.0, 0.0)
    values = {f: getattr(good, f) for f in MOTION_FIELDS}
    with pytest.raises(ValueError, match=r"motion.warp must be a number from 0 to 4, got 4.5"):
        Motion(**{**values, "warp": 4.5})
    with pytest.raises(TypeError, match=r"motion\.speed must be a number from 0.001 to 4"):
        Motion(**{**values, "speed": True})


@settings(max_examples=40, deadline=None)
@given(st.floats(-1, 1), st.floats(-1, 0.6))
def test_motion_from_affect_rises_with_arousal(valence: float, arousal: float) -> None:
    low, high = Motion.for_affect(valence, arousal), Motion.for_affect(valence, arousal + 0.4)
    for key in ("speed", "octaves", "turbulence", "warp", "stroke_density", "stroke_length"):
        assert getattr(high, key) > getattr(low, key)


def test_motion_mix_is_geometric_in_speed() -> None:
    a, b = Motion.for_affect(0.5, -1.0), Motion.for_affect(0.5, 1.0)
    mixed = Motion.mix([a, b], [1.0, 1.0])
    assert mixed.speed == pytest.approx((a.speed * b.speed) ** 0.5)
    assert mixed.octaves == pytest.approx((a.octaves + b.octaves) / 2)
    with pytest.raises(ValueError, match="as many positive-sum weights as motions"):
        Motion.mix([a], [0.0])


# --------------------------------------------------------------------------------------------
# resolve_mood, mood_at, blend


def test_resolve_mood_accepts_all_forms(tmp_path: Path) -> None:
    m = mood("aloof")
    assert resolve_mood(m) is m
    assert resolve_mood("Distant") == m
    path = write(tmp_path, "dusk.toml", GOOD)
    assert resolve_mood(str(path)).name == "dusk"
    at = resolve_mood(" 0.3 , -0.5 ")
    assert (at.valence, at.arousal) == (0.3, -0.5)
    assert resolve_mood("-.2,+1").arousal == 1.0


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [
        ("1.5,0", ValueError, r"^valence must be a number from -1 to 1, got 1.5$"),
        ("0,-1.01", ValueError, r"^arousal must be a number from -1 to 1, got -1.01$"),
        ("a,b", ValueError, "'a,b' is not a mood: give a name, a .toml file or 'valence,arousal'"),
        ("nope.toml", FileNotFoundError, "mood file 'nope.toml' does not exist"),
        ("dir/nope", FileNotFoundError, "mood file 'dir/nope' does not exist"),
        ("serine", UnknownMoodError, "did you mean 'serene'"),
        (3, TypeError, "a mood must be a name, path, 'valence,arousal' or Mood"),
    ],
)
def test_resolve_mood_errors(spec: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        resolve_mood(spec)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("valence", "arousal", "error", "message"),
    [
        (1.5, 0.0, ValueError, r"valence must be a number from -1 to 1, got 1.5"),
        (0.0, -3, ValueError, r"arousal must be a number from -1 to 1, got -3"),
        (float("nan"), 0.0, ValueError, "valence must be a number from -1 to 1, got nan"),
        (True, 0.0, TypeError, "valence must be a number from -1 to 1, got True"),
        ("0.1", 0.0, TypeError, "valence must be a number from -1 to 1, got '0.1'"),
    ],
)
def test_mood_at_rejects_bad_coordinates(valence: object, arousal: object,
                                         error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        mood_at(valence, arousal)  # type: ignore[arg-type]


def test_mood_at_makes_a_full_mood() -> None:
    m = mood_at(0.3, -0.5)
    assert (m.name, m.valence, m.arousal) == ("at+0.30-0.50", 0.3, -0.5)
    assert "serene" in m.description or "tender" in m.description
    assert m.palette(np.zeros((2, 2))).shape == (2, 2, 3)
    assert parse_mood(m.to_toml()) == m
    assert pickle.loads(pickle.dumps(m)) == m


def test_mood_at_a_moods_point_looks_like_that_mood() -> None:
    seething = mood("seething")
    near = mood_at(seething.valence, seething.arousal)
    diff = np.linalg.norm(near.palette.oklab_lut - seething.palette.oklab_lut, axis=1)
    assert diff.mean() < 0.03
    assert near.motion.speed == pytest.approx(seething.motion.speed, rel=0.1)


@settings(max_examples=25, deadline=None)
@given(st.floats(-0.999, 0.999), st.floats(-0.999, 0.999), st.floats(0, 2 * np.pi))
def test_mood_at_is_continuous(valence: float, arousal: float, angle: float) -> None:
    step = 1e-4
    a = mood_at(valence, arousal)
    b = mood_at(float(np.clip(valence + step * np.cos(angle), -1, 1)),
                float(np.clip(arousal + step * np.sin(angle), -1, 1)))
    assert np.abs(a.palette.oklab_lut - b.palette.oklab_lut).max() < 5e-3
    for key in MOTION_FIELDS:
        assert getattr(a.motion, key) == pytest.approx(getattr(b.motion, key), rel=1e-2, abs=1e-3)


def test_mood_at_moves_smoothly_across_the_plane() -> None:
    """Walk a line through the busiest region: quartering the step quarters the largest change
    between neighbouring points (a jump would stay the same size)."""

    def largest_step(n: int) -> float:
        luts = [mood_at(float(v), 0.8).palette.oklab_lut for v in np.linspace(-0.9, 0.9, n)]
        return max(float(np.abs(b - a).max()) for a, b in itertools.pairwise(luts))

    coarse, fine = largest_step(61), largest_step(241)
    assert fine < coarse / 2.5
    assert fine < 0.05


def test_blend_ends_and_middle() -> None:
    serene, seething = mood("serene"), mood("seething")
    assert blend("serene", "seething", 0.0) is serene
    assert blend(serene, "rage", 1) is seething
    mid = blend("serene", "seething", 0.5)
    assert mid.name == "serene+seething@0.5"
    assert mid.valence == pytest.approx(0.05) and mid.arousal == pytest.approx(0.175)
    assert mid.motion.speed == pytest.approx((serene.motion.speed * seething.motion.speed) ** 0.5)
    assert lightness(seething) < lightness(mid) < lightness(serene)
    assert parse_mood(mid.to_toml()) == mid


def test_blend_is_continuous_at_the_ends() -> None:
    a, b = mood("melancholy"), mood("euphoric")
    near_a = blend(a, b, 1e-6)
    assert np.abs(near_a.palette.lut.astype(int) - a.palette.lut.astype(int)).max() <= 1
    near_b = blend(a, b, 1 - 1e-6)
    assert np.abs(near_b.palette.lut.astype(int) - b.palette.lut.astype(int)).max() <= 1


@pytest.mark.parametrize("t", [-0.1, 1.01, float("nan")])
def test_blend_rejects_bad_t(t: float) -> None:
    with pytest.raises(ValueError, match=r"t must be a number from 0 to 1, got"):
        blend("serene", "seething", t)


# --------------------------------------------------------------------------------------------
# user folders


def test_user_folders_per_platform() -> None:
    assert user_config_dir("linux", {"XDG_CONFIG_HOME": "/x"}) == Path("/x/wiktoria")
    home = Path.home()
    assert user_config_dir("linux", {"XDG_CONFIG_HOME": "relative"}) == home / ".config/wiktoria"
    assert user_config_dir("linux", {}) == home / ".config" / "wiktoria"
    assert user_config_dir("darwin", {}) == home / "Library" / "Application Support" / "wiktoria"
    assert user_config_dir("win32", {"APPDATA": "C:/Users/a/AppData/Roaming"}) == Path(
        "C:/Users/a/AppData/Roaming/wiktoria")
    assert user_config_dir("win32", {}) == home / "AppData" / "Roaming" / "wiktoria"
    env = {"WIKTORIA_PALETTES": os.pathsep.join(["/a", "", "/b"]), "XDG_CONFIG_HOME": "/c"}
    assert user_palette_dirs("linux", env) == [Path("/a"), Path("/b"), Path("/c/wiktoria/palettes")]


def test_user_config_folder_moods_are_found(user_folder: Path) -> None:
    write(user_folder, "dusk.toml", GOOD)
    assert "dusk" in moods()
    assert mood("GLOAMING").path == user_folder / "dusk.toml"
    assert "(user)" in mood_table().splitlines()[[*moods()].index("dusk") + 1]


def test_env_folder_moods_are_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    write(mine, "dusk.toml", GOOD)
    monkeypatch.setenv("WIKTORIA_PALETTES", str(mine))
    assert mood("dusk").path == mine / "dusk.toml"


def test_user_mood_shadows_shipped_one_with_a_warning(user_folder: Path) -> None:
    write(user_folder, "serene.toml", GOOD.replace('name = "dusk"', 'name = "serene"'))
    with pytest.warns(MoodShadowWarning, match=r"user mood 'serene' \(.*serene\.toml\) shadows "
                      r"the shipped mood 'serene'"):
        found = mood("serene")
    assert found.path == user_folder / "serene.toml"
    with pytest.raises(UnknownMoodError):
        mood("calm")  # the shipped serene's aliases went with it (warned once per process)


def test_a_user_alias_never_hides_a_shipped_mood(user_folder: Path) -> None:
    write(user_folder, "dusk.toml", GOOD.replace('["gloaming"]', '["rage"]'))
    with pytest.warns(MoodShadowWarning, match=r"skipped user mood 'dusk' \(.*dusk\.toml\): its "
                      r"alias 'rage' belongs to the mood 'seething'; rename it"):
        names = moods()
    assert "seething" in names and "dusk" not in names
    assert mood("rage").name == "seething"


def test_a_user_mood_named_like_a_shipped_alias_never_hides_it(user_folder: Path) -> None:
    """The issue's case: a palette named ``calm`` made ``serene`` disappear."""
    write(user_folder, "calm.toml", GOOD.replace('name = "dusk"', 'name = "calm"'))
    with pytest.warns(MoodShadowWarning, match="its name 'calm' belongs to the mood 'serene'"):
        names = moods()
    assert "serene" in names and mood("calm").name == "serene"
    assert moods() == names  # warned once per process, not at every lookup


def test_import_refuses_names_and_aliases_other_moods_have(user_folder: Path) -> None:
    url = "https://coolors.co/03045e-0077b6-48cae4"
    with pytest.raises(ValueError, match=r"mood name 'calm' is already an alias of 'serene'; "
                                         r"choose another name$"):
        import_palette(url, "calm")
    with pytest.raises(ValueError, match=r"mood name 'serene' is a shipped mood's; choose "
                                         r"another name$"):
        import_palette(url, "serene", overwrite=True)
    import_palette(url, "sea")
    with pytest.raises(ValueError, match=r"'sea' is taken by your mood file .*sea\.toml'; choose "
                                         r"another name \(or overwrite it\)"):
        import_palette(url, "sea")
    assert import_palette(url, "sea", overwrite=True).name == "sea"
    assert not list(user_folder.glob("calm*")) and not list(user_folder.glob("serene*"))


def test_remove_a_user_palette_but_never_a_shipped_one(user_folder: Path) -> None:
    from wiktoria.moods import remove_palette

    import_palette("https://coolors.co/03045e-0077b6-48cae4", "sea")
    assert remove_palette("sea") == user_folder / "sea.toml"
    assert "sea" not in moods() and not (user_folder / "sea.toml").exists()
    with pytest.raises(ValueError, match=r"'serene' is a shipped mood; only your own palettes "):
        remove_palette("calm")
    with pytest.raises(UnknownMoodError):
        remove_palette("sea")


def test_env_folder_shadows_config_folder(tmp_path: Path, user_folder: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    write(user_folder, "dusk.toml", GOOD)
    mine = tmp_path / "mine"
    write(mine, "dusk.toml", GOOD.replace("valence = -0.2", "valence = -0.3"))
    monkeypatch.setenv("WIKTORIA_PALETTES", str(mine))
    with pytest.warns(MoodShadowWarning, match="shadows the user mood 'dusk'"):
        assert mood("dusk").valence == -0.3


def test_shipped_folder_as_user_folder_is_not_a_duplicate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_PALETTES", str(shipped_palette_dir()))
    assert len(moods()) == len(SHIPPED)  # no shadow warnings either (filterwarnings=error)


def test_duplicate_names_in_one_folder(user_folder: Path) -> None:
    write(user_folder, "a.toml", GOOD)
    write(user_folder, "b.toml", GOOD.replace('["gloaming"]', "[]"))
    with pytest.warns(MoodFileWarning, match=r"skipped .*b\.toml: name = 'dusk': duplicate: "
                      r"mood 'dusk' in .*a\.toml has it"):
        assert mood("dusk").path == user_folder / "a.toml"


def test_duplicate_alias_in_one_folder(user_folder: Path) -> None:
    write(user_folder, "a.toml", GOOD)
    write(user_folder, "b.toml", GOOD.replace('name = "dusk"', 'name = "other"'))
    with pytest.warns(MoodFileWarning, match=r"b\.toml: aliases\[0\] = 'gloaming': duplicate"):
        assert "other" not in moods()


def test_failing_user_palette_warns_but_loads(user_folder: Path) -> None:
    flat = GOOD.replace('"#101828"', '"#404040"').replace('"#5a6a8a"', '"#424242"')
    write(user_folder, "flat.toml", flat.replace('"#d8c8b0"', '"#454545"').replace(
        'name = "dusk"', 'name = "flat"'))
    with pytest.warns(PaletteWarning, match=r"flat\.toml: palette fails ramp checks: .*window_min"):
        assert mood("flat").name == "flat"


def test_a_malformed_user_file_is_skipped_with_one_warning(user_folder: Path) -> None:
    write(user_folder, "broken.toml", GOOD.replace("arousal = 0.1", "arousal = 9"))
    write(user_folder, "dusk.toml", GOOD)
    with pytest.warns(MoodFileWarning, match=r"skipped .*broken\.toml: affect\.arousal = 9: out "
                      r"of range") as caught:
        names = moods()
    assert len(caught) == 1
    assert "broken" not in names and "dusk" in names and len(names) == len(SHIPPED) + 1
    assert moods() == names  # no second warning in this process (filterwarnings=error)


@pytest.mark.parametrize("kind", ["folder", "loop", "dangling", "not-utf8", "huge", "fifo"])
def test_unreadable_user_entries_are_skipped(user_folder: Path, kind: str) -> None:
    path = user_folder / "odd.toml"
    user_folder.mkdir(parents=True, exist_ok=True)
    if kind == "folder":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(user_folder / "odd2.toml")
        (user_folder / "odd2.toml").symlink_to(path)
    elif kind == "dangling":
        path.symlink_to(user_folder / "nowhere.toml")
    elif kind == "not-utf8":
        path.write_bytes(b'name = "odd\xff"\n')
    elif kind == "huge":
        with path.open("wb") as fh:
            fh.truncate(2**31)  # sparse: a bounded read refuses it without reading it
    else:
        os.mkfifo(path)
    with pytest.warns(MoodFileWarning, match=r"skipped .*odd"):
        names = moods()
    assert {n for n in wiktoria.moods() if n in {m.name for m in SHIPPED}} == {
        m.name for m in SHIPPED}
    assert "odd" not in names


# --------------------------------------------------------------------------------------------
# importing and exporting


def test_import_coolors_url(user_folder: Path) -> None:
    url = "https://coolors.co/03045e-0077b6-48cae4-ade8f4"
    m = import_palette(url, "Sea")
    assert m.path == user_folder / "sea.toml"
    assert m.name == "sea" and "estimated" in m.source and url in m.description
    assert m.palette.stop_hexes() == ["#03045e", "#0077b6", "#48cae4", "#ade8f4"]
    assert mood("sea") == m
    assert -1 <= m.valence <= 1 and -1 <= m.arousal <= 1
    assert m.motion == Motion.for_affect(m.valence, m.arousal)


def test_import_sorts_dark_to_light_unless_asked(tmp_path: Path) -> None:
    url = "https://coolors.co/palette/264653-e9c46a-2a9d8f"
    with pytest.warns(PaletteWarning):
        m = import_palette(url, "a", folder=tmp_path)
    assert m.palette.stop_hexes() == ["#264653", "#2a9d8f", "#e9c46a"]
    with pytest.warns(PaletteWarning, match="lightness_flips"):
        kept = import_palette(url, "b", folder=tmp_path, sort=False)
    assert kept.palette.stop_hexes() == ["#264653", "#e9c46a", "#2a9d8f"]


def test_import_gpl_and_hex_files(tmp_path: Path) -> None:
    gpl = write(tmp_path, "in.gpl", "GIMP Palette\nName: x\nColumns: 3\n# comment\n\n"
                " 16  24  40\tnight\n 90 106 138 dusk\n216 200 176\n")
    m = import_palette(str(gpl), "from-gpl", folder=tmp_path / "out")
    assert m.palette.stop_hexes() == ["#101828", "#5a6a8a", "#d8c8b0"]
    assert [s.name for s in m.palette.stops] == ["night", "dusk", ""]
    hexfile = write(tmp_path, "in.hex", "101828\n#5A6A8A\n\nd8c8b0\n")
    h = import_palette(str(hexfile), "from_hex", folder=tmp_path / "out")
    assert h.palette.stop_hexes() == m.palette.stop_hexes()


def test_import_refuses_to_overwrite(tmp_path: Path) -> None:
    url = "https://coolors.co/03045e-0077b6-48cae4"
    import_palette(url, "sea", folder=tmp_path)
    with pytest.raises(FileExistsError, match=r"mood file '.*sea\.toml' already exists"):
        import_palette(url, "sea", folder=tmp_path)
    import_palette("https://coolors.co/0b132b-3a506b-5bc0be", "sea", folder=tmp_path,
                   overwrite=True)
    assert load_mood(tmp_path / "sea.toml").palette.stop_hexes()[0] == "#0b132b"


@pytest.mark.parametrize(
    ("source", "name", "error", "message"),
    [
        ("https://coolors.co/03045e-0077b6", "Sea Side", ValueError,
         "mood name 'Sea Side' is not usable as a file name"),
        ("https://coolors.co/03045e-0077b6", "a.b", ValueError, "not usable as a file name"),
        ("https://example.com/03045e-0077b6", "x", ValueError,
         "'https://example.com/03045e-0077b6' is not a coolors.co URL"),
        ("https://coolors.co/03045e", "x", ValueError, "expected the colours as RRGGBB-RRGGBB"),
        ("https://coolors.co/03045e-zzzzzz", "x", ValueError, "expected the colours as RRGGBB"),
        ("colours.ase", "x", ValueError,
         "'colours.ase': cannot import this kind of palette; give a .gpl or .hex file"),
        ("missing.gpl", "x", FileNotFoundError, "palette file 'missing.gpl' does not exist"),
    ],
)
def test_import_errors(tmp_path: Path, source: str, name: str, error: type[Exception],
                       message: str) -> None:
    with pytest.raises(error, match=message):
        import_palette(source, name, folder=tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


@pytest.mark.parametrize(
    ("filename", "text", "message"),
    [
        ("a.gpl", "JASC-PAL\n", r"a\.gpl: line 1 = 'JASC-PAL': a \.gpl file starts with"),
        ("b.gpl", "GIMP Palette\n 1 2\n", r"b\.gpl: line 2 = ' 1 2': expected 'R G B name'"),
        ("c.gpl", "GIMP Palette\n1 2 300 x\n", r"c\.gpl: line 2 = '1 2 300 x': expected 'R G B"),
        ("d.gpl", "GIMP Palette\n# only a comment\n", r"d\.gpl: no colours in this GIMP palette"),
        ("e.hex", "123456\nnot-hex\n", r"e\.hex: line 2 = 'not-hex': expected a hex colour"),
        ("f.hex", "\n\n", r"f\.hex: no colours in this \.hex file"),
        ("g.gpl", "GIMP Palette\n0 0 0\n", "a palette needs 2 to 1024 stops, got 1"),
    ],
)
def test_malformed_palette_files(tmp_path: Path, filename: str, text: str, message: str) -> None:
    path = write(tmp_path, filename, text)
    with pytest.raises(ValueError, match=message):
        import_palette(str(path), "x", folder=tmp_path / "out")
    assert not (tmp_path / "out" / "x.toml").exists()


def test_export_gpl_reads_back_with_pillow() -> None:
    text = export_palette("seething", "gpl")
    assert text.splitlines()[:3] == ["GIMP Palette", "Name: seething", "Columns: 4"]
    assert "\tash @0.000" in text
    colours, _ = GimpPaletteFile(io.BytesIO(text.encode())).getpalette()
    assert colours[:6] == bytes([22, 3, 4, 108, 9, 16])


def test_export_hex_and_css() -> None:
    assert export_palette("seething", "hex") == "160304\n6c0910\nc92516\nf37513\n"
    css = export_palette("seething", "css")
    assert css.startswith("linear-gradient(in oklab to right, #160304 0%, #6c0910 36.")
    assert css.rstrip().endswith("#f37513 100%)")
    assert export_palette("dancing", "css").startswith("linear-gradient(in oklch decreasing hue")
    assert len(export_palette("serene", "hex", samples=7).split()) == 7


def test_export_to_a_file(tmp_path: Path) -> None:
    text = export_palette("0.2,0.2", "css", output=tmp_path / "g.css")
    assert (tmp_path / "g.css").read_text() == text
    with pytest.raises(ValueError, match="unknown palette format 'ase'; choose one of gpl, hex"):
        export_palette("serene", "ase")


def test_save_palette_png(tmp_path: Path) -> None:
    path = save_palette_png("euphoric", tmp_path / "ramp.png", width=256)
    with Image.open(path) as img:
        assert img.size == (256, 320) and img.mode == "RGB"
    with pytest.raises(ValueError, match=r"width must be an integer from 64 to 8192, got 10"):
        save_palette_png("euphoric", tmp_path / "x.png", width=10)
    with pytest.raises(ValueError, match="does not exist; create it first"):
        save_palette_png("euphoric", tmp_path / "nope" / "x.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "ramp.png"]


def test_estimated_affect_follows_the_shipped_moods() -> None:
    def ranks(x: np.ndarray) -> np.ndarray:
        return np.argsort(np.argsort(x)).astype(float)

    est = np.array([estimate_affect(m.palette) for m in SHIPPED])
    given_v = np.array([m.valence for m in SHIPPED])
    given_a = np.array([m.arousal for m in SHIPPED])
    assert np.corrcoef(ranks(est[:, 0]), ranks(given_v))[0, 1] > 0.5
    assert np.corrcoef(ranks(est[:, 1]), ranks(given_a))[0, 1] > 0.5
    assert np.all(np.abs(est) <= 1)


def test_mood_table_plain_and_colour() -> None:
    plain = mood_table()
    assert plain.splitlines()[0].split() == ["name", "valence", "arousal", "colours"]
    assert "\x1b[" not in plain
    row = next(r for r in plain.splitlines() if r.startswith("seething"))
    assert "-0.70" in row and "+1.00" in row and "#160304" in row
    coloured = mood_table(color=True)
    assert "\x1b[48;2;22;3;4m" in coloured and coloured.count("\x1b[0m") == len(all_moods())


def test_moods_module_is_importable_despite_the_function_name() -> None:
    module = importlib.import_module("wiktoria.moods.registry")
    assert module.moods is moods


@pytest.mark.parametrize(
    "name",
    ["colour", "colour.ramp", "colour.formats", "moods.mood", "moods.moodfile", "moods.palettes",
     "moods.registry",
     "moods.userdirs"],
)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(f"wiktoria.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_palette_file_with_a_non_utf8_name_imports(user_folder: Path, tmp_path: Path) -> None:
    odd = os.fsdecode(bytes(tmp_path) + b"/d\xffsk.gpl")  # undecodable: a surrogate escape
    Path(odd).write_bytes((REPO / "examples" / "dusk.gpl").read_bytes())
    m = import_palette(odd, "dusky")
    assert m.name == "dusky" and "d\ufffdsk.gpl" in m.description
    assert mood("dusky") == m
