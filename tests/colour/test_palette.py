"""Colour ramps, lookup tables, the ramp checks and mixing (wiktoria.colour.ramp)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from wiktoria.colour import (
    delta_e,
    hex_to_srgb,
    in_gamut,
    linear_to_srgb,
    oklab_to_linear,
    oklab_to_oklch,
    srgb_to_oklab,
    srgb_to_uint8,
)
from wiktoria.colour import ramp as palette_mod
from wiktoria.colour.ramp import (
    LUT_SIZE,
    Palette,
    PaletteWarning,
    Stop,
    check,
    mix,
    ramp_image,
    sine_ramp,
    warn_if_failing,
)
from wiktoria.moods.moodfile import load_mood

REPO = Path(__file__).resolve().parents[2]
PALETTE_FILES = sorted((REPO / "palettes").glob("*.toml"))
ALL_CHECKS = {
    "stop_gamut", "sample_gamut", "speed_ratio", "window_ratio", "window_min", "lightness_flips",
    "lightness_range", "kink_angle", "cvd_protan", "cvd_deutan", "cvd_tritan",
}

EMBER = ["#160304", "#6c0910", "#c92516", "#f37513"]


@pytest.fixture(scope="module")
def ember() -> Palette:
    return Palette.from_colors(EMBER)


# --------------------------------------------------------------------------------------------
# every shipped palette passes every check


def test_there_are_shipped_palettes() -> None:
    assert len(PALETTE_FILES) >= 14


@pytest.mark.parametrize("path", PALETTE_FILES, ids=lambda p: p.stem)
def test_shipped_palette_passes_all_checks(path: Path) -> None:
    m = load_mood(path, check=False)
    report = check(m.palette, arousal=m.arousal)
    assert set(report.names) >= ALL_CHECKS
    assert report.ok, f"{path.name} fails:\n{report}"


@pytest.mark.parametrize("path", PALETTE_FILES, ids=lambda p: p.stem)
def test_shipped_palette_lut_is_in_gamut_and_monotone_in_lightness(path: Path) -> None:
    pal = load_mood(path, check=False).palette
    assert bool(np.all(in_gamut(pal.linear_lut.astype(np.float64), tol=1e-6)))
    assert np.all(np.diff(pal.oklab_lut[:, 0]) >= -1e-6)


# --------------------------------------------------------------------------------------------
# lookup


@settings(max_examples=50, deadline=None)
@given(
    hnp.arrays(
        st.sampled_from([np.float32, np.float64, np.float16]),
        hnp.array_shapes(min_dims=0, max_dims=4, max_side=5),
        elements=st.one_of(st.floats(-2.0, 3.0, width=16), st.just(float("nan"))),
    )
)
def test_output_shape_and_dtype_for_any_shape(values: np.ndarray) -> None:
    pal = Palette.from_colors(EMBER)
    out = pal(values)
    assert out.shape == (*values.shape, 3)
    assert out.dtype == np.uint8
    lin = pal.linear(values)
    assert lin.shape == (*values.shape, 3)
    assert lin.dtype == np.float32


def test_integer_and_list_input(ember: Palette) -> None:
    assert ember([0, 1]).tolist() == [[22, 3, 4], [243, 117, 19]]
    assert ember(0.5).shape == (3,)


def test_ends_are_the_end_stops(ember: Palette) -> None:
    np.testing.assert_array_equal(ember(0.0), srgb_to_uint8(hex_to_srgb(EMBER[0])))
    np.testing.assert_array_equal(ember(1.0), srgb_to_uint8(hex_to_srgb(EMBER[-1])))


def test_out_of_range_and_nan_are_clipped(ember: Palette) -> None:
    out = ember(np.array([-5.0, np.nan, -np.inf, 7.0, np.inf], dtype=np.float32))
    low, high = ember(0.0), ember(1.0)
    for row, expected in zip(out, [low, low, low, high, high], strict=True):
        np.testing.assert_array_equal(row, expected)


def test_index_rounds_to_nearest_entry(ember: Palette) -> None:
    step = 1.0 / (LUT_SIZE - 1)
    assert ember.index([0.0, 0.49 * step, 0.51 * step, 1.0]).tolist() == [0, 0, 1, LUT_SIZE - 1]


def test_tables(ember: Palette) -> None:
    assert ember.lut.shape == (LUT_SIZE, 3) and ember.lut.dtype == np.uint8
    assert ember.linear_lut.shape == (LUT_SIZE, 3) and ember.linear_lut.dtype == np.float32
    assert ember.oklab_lut.shape == (LUT_SIZE, 3) and ember.oklab_lut.dtype == np.float32
    for table in (ember.lut, ember.linear_lut, ember.oklab_lut):
        assert not table.flags.writeable
    # the three tables describe the same colours
    srgb = linear_to_srgb(ember.linear_lut.astype(np.float64))
    assert np.abs(srgb_to_uint8(srgb).astype(int) - ember.lut.astype(int)).max() == 0
    lin = np.clip(oklab_to_linear(ember.oklab_lut.astype(np.float64)), 0, 1)
    np.testing.assert_allclose(lin, ember.linear_lut, atol=1e-5)


def test_a_4k_frame_is_one_gather(ember: Palette) -> None:
    frame = np.random.default_rng(0).random((2160, 3840), dtype=np.float32)
    out = ember(frame)
    assert out.shape == (2160, 3840, 3)
    np.testing.assert_array_equal(out[100, 200], ember.lut[round(float(frame[100, 200]) * 1023)])


# --------------------------------------------------------------------------------------------
# building ramps


def test_default_positions_are_even_in_perceptual_distance(ember: Palette) -> None:
    lab = np.array([s.lab for s in ember.stops])
    seg = delta_e(lab[1:], lab[:-1])
    expected = np.concatenate([[0.0], np.cumsum(seg) / seg.sum()])
    np.testing.assert_allclose(ember.positions, expected, atol=1e-12)
    assert check(ember)["speed_ratio"].value == pytest.approx(1.0, abs=0.02)


def test_given_positions_are_kept_and_gaps_filled() -> None:
    pal = Palette.from_colors(["#000000", "#444444", "#888888", "#ffffff"],
                              positions=[None, 0.5, None, None])
    assert pal.positions[0] == 0.0 and pal.positions[1] == 0.5 and pal.positions[-1] == 1.0
    lab = np.array([s.lab for s in pal.stops])
    d1, d2 = delta_e(lab[2], lab[1]), delta_e(lab[3], lab[2])
    assert pal.positions[2] == pytest.approx(0.5 + 0.5 * d1 / (d1 + d2))


def test_positions_must_increase() -> None:
    with pytest.raises(ValueError, match=r"positions must increase strictly, got \[0.0, 0.6, 0.4"):
        Palette.from_colors(["#000", "#444", "#888", "#fff"], positions=[0.0, 0.6, 0.4, 1.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "a stop needs exactly one of 'color', 'oklch' or 'oklab'$"),
        ({"color": "#000", "oklch": (0.5, 0.1, 0)}, "got color and oklch"),
        ({"color": "#00"}, "'#00' is not a hex colour"),
        ({"oklch": (1.5, 0.1, 0)}, r"^oklch lightness must be a number from 0 to 1, got 1\.5$"),
        ({"oklch": (0.5, 0.9, 0)}, r"^oklch chroma must be a number from 0 to 0\.5, got 0\.9$"),
        ({"oklch": (0.5, 0.1)}, r"oklch must be 3 numbers, got \(0.5, 0.1\)"),
        ({"oklab": (0.5, 0.1, float("nan"))},
         r"^oklab b must be a number from -0\.5 to 0\.5, got nan$"),
        ({"oklab": (0.5, "0.1", 0.0)}, r"^oklab must be 3 numbers, got \(0\.5, '0\.1', 0\.0\)$"),
        ({"oklab": (0.5, 0.9, 0.0)}, r"^oklab a must be a number from -0\.5 to 0\.5, got 0\.9$"),
        ({"color": "#000", "pos": 1.5}, r"^pos must be a number from 0 to 1, got 1\.5$"),
        ({"color": "#000", "pos": "1"}, r"^pos must be a number from 0 to 1, got '1'$"),
    ],
)
def test_stop_validation(kwargs: dict, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        Stop(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stops": (Stop(color="#000"),)}, "a palette needs 2 to 1024 stops, got 1"),
        ({"space": "hsv"}, "^unknown space 'hsv'; valid: oklab, oklch$"),
        ({"hue": "round"}, "^unknown hue 'round'; valid: shorter, longer, increasing, decreasing$"),
        ({"shape": "spiral"}, "^unknown shape 'spiral'; valid: sequential, diverging, cyclic$"),
    ],
)
def test_palette_validation(kwargs: dict, message: str) -> None:
    args = {"stops": (Stop(color="#000"), Stop(color="#fff")), **kwargs}
    with pytest.raises(ValueError, match=message):
        Palette(**args)


def _mid_hue(hue: str) -> float:
    pal = Palette((Stop(oklch=(0.6, 0.12, 30.0)), Stop(oklch=(0.6, 0.12, 264.0))),
                  space="oklch", hue=hue)  # type: ignore[arg-type]
    return float(oklab_to_oklch(pal.curve(0.5))[2])


@pytest.mark.parametrize(
    ("hue", "expected"),
    [("shorter", 327.0), ("longer", 147.0), ("increasing", 147.0), ("decreasing", 327.0)],
)
def test_oklch_hue_paths(hue: str, expected: float) -> None:
    assert _mid_hue(hue) == pytest.approx(expected, abs=1e-6)


def test_oklch_keeps_chroma_where_oklab_would_go_grey() -> None:
    stops = (Stop(color="#1a0b2e"), Stop(color="#f2c14e"))
    lab_mid = Palette(stops).curve(0.5)
    lch_mid = Palette(stops, space="oklch").curve(0.5)
    assert np.hypot(*lch_mid[1:]) > 2 * np.hypot(*lab_mid[1:])


def test_achromatic_stop_takes_neighbours_hue() -> None:
    pal = Palette((Stop(color="#000000"), Stop(oklch=(0.7, 0.1, 200.0))), space="oklch")
    assert float(oklab_to_oklch(pal.curve(0.5))[2]) == pytest.approx(200.0)


def test_lut_is_gamut_mapped() -> None:
    vivid = Palette((Stop(oklch=(0.5, 0.35, 150.0)), Stop(oklch=(0.8, 0.35, 150.0))))
    assert bool(np.all(in_gamut(vivid.linear_lut.astype(np.float64), tol=1e-6)))
    report = check(vivid)
    assert not report["stop_gamut"].passed
    assert report["stop_gamut"].value > 0.02


def test_from_colors_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="colors, positions and names must have the same length"):
        Palette.from_colors(["#000", "#fff"], names=["a"])
    with pytest.raises(TypeError, match="stops must be Stop objects"):
        Palette(("#000", "#fff"))  # type: ignore[arg-type]


def test_samples_and_stop_hexes(ember: Palette) -> None:
    assert ember.stop_hexes() == EMBER
    assert ember.sample_hexes(2) == [EMBER[0], EMBER[-1]]
    with pytest.raises(ValueError, match="samples must be an integer from 2 to 1024, got 1"):
        ember.sample_hexes(1)


# --------------------------------------------------------------------------------------------
# identity, hashing, pickling, determinism


def test_equality_hash_pickle(ember: Palette) -> None:
    same = Palette.from_colors(list(EMBER))
    assert same == ember and hash(same) == hash(ember)
    assert Palette.from_colors(EMBER[::-1]) != ember
    back = pickle.loads(pickle.dumps(ember))
    assert back == ember
    np.testing.assert_array_equal(back.lut, ember.lut)
    assert len(pickle.dumps(ember)) < 2000  # the description, not the tables


def test_lut_is_deterministic(ember: Palette) -> None:
    assert Palette.from_colors(EMBER).lut_sha256 == ember.lut_sha256 == check(ember).lut_sha256


def test_palette_is_frozen(ember: Palette) -> None:
    with pytest.raises(AttributeError):
        ember.space = "oklch"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# the checks catch bad ramps


def _report_for(colors: list[str], **kwargs: object) -> palette_mod.PaletteReport:
    return check(Palette.from_colors(colors, **kwargs))  # type: ignore[arg-type]


def test_check_catches_rainbow_lightness_flips() -> None:
    jet = ["#00007f", "#0000ff", "#007fff", "#00ffff", "#7fff7f", "#ffff00", "#ff7f00", "#ff0000",
           "#7f0000"]
    report = check(Palette.from_colors(jet, positions=list(np.linspace(0, 1, 9))))
    assert report["lightness_flips"].value >= 2 and not report["lightness_flips"].passed
    assert not report.ok


def test_check_catches_uneven_speed() -> None:
    report = _report_for(["#000000", "#777777", "#ffffff"], positions=[0.0, 0.1, 1.0])
    assert report["speed_ratio"].value > 2.0
    assert not report["speed_ratio"].passed


def test_check_catches_flat_ramps() -> None:
    report = _report_for(["#404040", "#454545"])
    assert report["window_min"].value < 0.02 and not report["window_min"].passed
    assert not report["lightness_range"].passed


def test_check_catches_kinks() -> None:
    report = _report_for(["#000000", "#ff0000", "#ffffff"])
    assert report["kink_angle"].value > 45 and not report["kink_angle"].passed


def test_check_catches_red_green_confusion() -> None:
    # isoluminant red to green: fine for most, a flat spot for deutans
    pal = Palette((Stop(oklch=(0.62, 0.12, 30.0)), Stop(oklch=(0.62, 0.12, 140.0))))
    report = check(pal)
    assert not report["cvd_deutan"].passed
    assert report["cvd_deutan"].value < report["window_min"].value


def test_check_diverging_and_cyclic_shapes() -> None:
    div = Palette.from_colors(["#3b4cc0", "#dddddd", "#b40426"], shape="diverging")
    report = check(div)
    assert report["lightness_flips"].value == 1 and report["lightness_flips"].passed
    assert report["turn_position"].passed and report["end_balance"].passed
    cyc = Palette((Stop(oklch=(0.7, 0.1, 0.0)), Stop(oklch=(0.7, 0.1, 180.0)),
                   Stop(oklch=(0.7, 0.1, 359.0))), space="oklch", hue="increasing",
                  shape="cyclic")
    creport = check(cyc)
    assert "closure" in creport and creport["closure"].passed
    assert "lightness_flips" not in creport


def test_calm_contrast_band_only_for_calm_moods() -> None:
    pal = Palette.from_colors(["#000000", "#ffffff"])
    assert "calm_contrast" not in check(pal)
    assert "calm_contrast" not in check(pal, arousal=0.5)
    assert not check(pal, arousal=-0.6)["calm_contrast"].passed


def test_report_access_and_text(ember: Palette) -> None:
    report = check(ember)
    assert report.ok and report.failures == ()
    assert set(report.values()) == set(report.names)
    assert "speed_ratio" in str(report)
    with pytest.raises(KeyError, match="no check named 'nope'"):
        report["nope"]


def test_warn_if_failing_warns_with_specific_class() -> None:
    with pytest.warns(PaletteWarning, match=r"^my\.toml: palette fails ramp checks: .*window_min"):
        warn_if_failing(Palette.from_colors(["#404040", "#454545"]), "my.toml")


def test_warn_if_failing_is_silent_for_good_ramps(ember: Palette) -> None:
    assert warn_if_failing(ember, "ember").ok  # filterwarnings=error would fail on a warning


# --------------------------------------------------------------------------------------------
# mixing


def test_mix_with_one_weight_reproduces_the_palette(ember: Palette) -> None:
    other = Palette.from_colors(["#0e2440", "#e6bbbd"])
    mixed = mix([ember, other], [1.0, 0.0])
    assert np.abs(mixed.lut.astype(int) - ember.lut.astype(int)).max() <= 1
    np.testing.assert_allclose(mixed.oklab_lut, ember.oklab_lut, atol=2e-3)


def test_mix_is_continuous_in_weights(ember: Palette) -> None:
    other = Palette.from_colors(["#0e2440", "#4e517c", "#e6bbbd"])
    a = mix([ember, other], [0.5, 0.5])
    b = mix([ember, other], [0.5 + 1e-4, 0.5 - 1e-4])
    assert np.abs(a.oklab_lut - b.oklab_lut).max() < 1e-3


def test_mix_keeps_chroma_from_collapsing() -> None:
    red = Palette.from_colors(["#300000", "#ff3030"])
    teal = Palette.from_colors(["#002020", "#00c0c0"])
    mixed = mix([red, teal], [0.5, 0.5])
    plain = 0.5 * (red.oklab_lut + teal.oklab_lut)
    chroma_mixed = np.hypot(mixed.oklab_lut[:, 1], mixed.oklab_lut[:, 2]).mean()
    chroma_plain = np.hypot(plain[:, 1], plain[:, 2]).mean()
    assert chroma_mixed > 1.5 * chroma_plain
    np.testing.assert_allclose(mixed.oklab_lut[:, 0], plain[:, 0], atol=1e-3)  # lightness kept


@pytest.mark.parametrize(
    ("weights", "message"),
    [([1.0], "as many weights as palettes"), ([0.0, 0.0], "not all zero"),
     ([1.0, -1.0], "non-negative"), ([float("nan"), 1.0], "finite")],
)
def test_mix_rejects_bad_weights(ember: Palette, weights: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mix([ember, ember], weights)


# --------------------------------------------------------------------------------------------
# test images


def test_sine_ramp_follows_kovesi() -> None:
    img = sine_ramp(64, 256)
    assert img.shape == (64, 256)
    np.testing.assert_allclose(img.min(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(img.max(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(img[-1], np.linspace(0, 1, 256), atol=1e-12)  # pure ramp
    wiggle = img[0] - np.linspace(img[0, 0], img[0, -1], 256)
    assert wiggle.max() - wiggle.min() > 0.09  # about 10 % of the range peak to trough
    with pytest.raises(ValueError, match=r"^height must be an integer of at least 2, got 1$"):
        sine_ramp(1, 10)
    with pytest.raises(ValueError, match=r"^width must be an integer of at least 16, got 10$"):
        sine_ramp(2, 10)
    with pytest.raises(TypeError, match=r"^height must be an integer of at least 2, got '2'$"):
        sine_ramp("2", 10)  # type: ignore[arg-type]


def test_ramp_image(ember: Palette) -> None:
    img = ramp_image(ember, width=128, ramp_height=10, sine_height=20)
    assert img.shape == (30, 128, 3) and img.dtype == np.uint8
    np.testing.assert_array_equal(img[0, 0], ember(0.0))
    np.testing.assert_array_equal(img[0, -1], ember(1.0))


def test_hex_stops_convert_exactly(ember: Palette) -> None:
    np.testing.assert_allclose(ember.stops[0].lab, srgb_to_oklab(hex_to_srgb(EMBER[0])))
