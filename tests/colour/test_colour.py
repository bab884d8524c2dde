"""Colour conversions, gamut mapping, CVD simulation and hex parsing (wiktoria.colour)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from wiktoria import colour
from wiktoria.colour import (
    delta_e,
    gamut_map,
    hex_to_srgb,
    in_gamut,
    linear_to_oklab,
    linear_to_srgb,
    oklab_to_linear,
    oklab_to_oklch,
    oklab_to_srgb,
    oklch_to_oklab,
    simulate_cvd,
    spaces,
    srgb_to_hex,
    srgb_to_linear,
    srgb_to_oklab,
    srgb_to_uint8,
)

unit = st.floats(0.0, 1.0, allow_nan=False, width=64)
colour_arrays = hnp.arrays(
    np.float64,
    st.tuples(st.integers(0, 4), st.integers(1, 5)).map(lambda s: (*s, 3)),
    elements=unit,
)


# --------------------------------------------------------------------------------------------
# reference values


def test_white_is_l1_and_achromatic() -> None:
    lab = srgb_to_oklab([1.0, 1.0, 1.0])
    np.testing.assert_allclose(lab, [1.0, 0.0, 0.0], atol=1e-7)


def test_black_is_zero() -> None:
    np.testing.assert_allclose(srgb_to_oklab([0.0, 0.0, 0.0]), [0.0, 0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize(
    ("srgb", "lab"),
    [
        # Ottosson's blog / CSS Color 4 sample values for the sRGB primaries
        ([1.0, 0.0, 0.0], [0.627955, 0.224863, 0.125846]),
        ([0.0, 1.0, 0.0], [0.866440, -0.233888, 0.179498]),
        ([0.0, 0.0, 1.0], [0.452014, -0.032457, -0.311528]),
    ],
)
def test_primaries_match_published_oklab(srgb: list[float], lab: list[float]) -> None:
    np.testing.assert_allclose(srgb_to_oklab(srgb), lab, atol=2e-6)


def test_matrices_are_inverse_pairs() -> None:
    np.testing.assert_allclose(spaces._M1 @ spaces._M1_INV, np.eye(3), atol=1e-7)
    np.testing.assert_allclose(spaces._M2 @ spaces._M2_INV, np.eye(3), atol=1e-7)


def test_srgb_transfer_known_points() -> None:
    assert float(srgb_to_linear(0.04045)) == pytest.approx(0.04045 / 12.92)
    assert float(srgb_to_linear(1.0)) == pytest.approx(1.0)
    assert float(linear_to_srgb(0.0031308)) == pytest.approx(0.0031308 * 12.92)
    # sign-symmetric extension outside [0, 1]
    assert float(srgb_to_linear(-0.5)) == pytest.approx(-float(srgb_to_linear(0.5)))


# --------------------------------------------------------------------------------------------
# properties


@settings(max_examples=60, deadline=None)
@given(colour_arrays)
def test_srgb_oklab_round_trip(rgb: np.ndarray) -> None:
    back = oklab_to_srgb(srgb_to_oklab(rgb))
    assert back.shape == rgb.shape
    np.testing.assert_allclose(back, rgb, atol=1e-5)


@settings(max_examples=60, deadline=None)
@given(colour_arrays)
def test_linear_oklab_round_trip(rgb: np.ndarray) -> None:
    np.testing.assert_allclose(oklab_to_linear(linear_to_oklab(rgb)), rgb, atol=1e-5)


@settings(max_examples=40, deadline=None)
@given(colour_arrays)
def test_float32_stays_float32_and_round_trips(rgb: np.ndarray) -> None:
    rgb32 = rgb.astype(np.float32)
    lab = srgb_to_oklab(rgb32)
    assert lab.dtype == np.float32
    np.testing.assert_allclose(oklab_to_srgb(lab), rgb32, atol=1e-4)


@settings(max_examples=60, deadline=None)
@given(colour_arrays)
def test_oklch_round_trip_and_ranges(rgb: np.ndarray) -> None:
    lab = srgb_to_oklab(rgb)
    lch = oklab_to_oklch(lab)
    assert np.all(lch[..., 1] >= 0)
    assert np.all((lch[..., 2] >= 0) & (lch[..., 2] < 360))
    np.testing.assert_allclose(oklch_to_oklab(lch), lab, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, (16,), elements=unit))
def test_transfer_functions_are_inverse_and_monotone(x: np.ndarray) -> None:
    # 1e-7, not exact: the standard's two thresholds (0.04045 and 0.0031308) disagree by 3e-8
    np.testing.assert_allclose(linear_to_srgb(srgb_to_linear(x)), x, atol=1e-7)
    order = np.argsort(x)
    assert np.all(np.diff(srgb_to_linear(x)[order]) >= 0)


def test_integer_input_is_converted_to_float() -> None:
    assert srgb_to_oklab(np.array([1, 1, 1], dtype=np.uint8)).dtype == np.float32
    assert srgb_to_oklab([1, 1, 1]).dtype == np.float64


@pytest.mark.parametrize(
    "func", [linear_to_oklab, oklab_to_linear, oklab_to_oklch, oklch_to_oklab, in_gamut]
)
def test_last_axis_must_be_three(func) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"last axis of length 3, got shape \(2, 4\)"):
        func(np.zeros((2, 4)))


def test_delta_e_is_euclidean() -> None:
    assert float(delta_e([0.5, 0.0, 0.0], [0.5, 0.03, 0.04])) == pytest.approx(0.05)
    assert delta_e(np.zeros((4, 5, 3)), np.ones(3)).shape == (4, 5)


# --------------------------------------------------------------------------------------------
# gamut mapping


def test_gamut_map_leaves_in_gamut_colours_alone() -> None:
    rgb = np.random.default_rng(1).random((200, 3))
    lab = srgb_to_oklab(rgb)
    np.testing.assert_array_equal(gamut_map(lab), lab)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0.02, 0.98),
    st.floats(0.0, 0.45),
    st.floats(0.0, 359.9),
)
def test_gamut_map_reduces_chroma_only(light: float, chroma: float, hue: float) -> None:
    lab = oklch_to_oklab([light, chroma, hue])
    mapped = gamut_map(lab)
    assert bool(in_gamut(oklab_to_linear(mapped), tol=1e-7))
    lch = oklab_to_oklch(mapped)
    assert lch[0] == pytest.approx(light, abs=1e-12)
    assert lch[1] <= chroma + 1e-12
    if lch[1] > 1e-6:
        assert abs((lch[2] - hue + 180) % 360 - 180) < 1e-6
    if lch[1] < chroma - 1e-9:
        # maximal: a little more chroma would leave the gamut
        more = oklch_to_oklab([light, lch[1] * 1.001 + 1e-6, hue])
        assert not bool(in_gamut(oklab_to_linear(more), tol=1e-9))


def test_gamut_map_extremes() -> None:
    out = gamut_map([[1.2, 0.1, 0.0], [-0.1, 0.0, 0.1], [1.0, 0.0, 0.0]])
    np.testing.assert_array_equal(out, [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])


def test_gamut_map_keeps_shape() -> None:
    lab = oklch_to_oklab(np.full((2, 3, 3), [0.7, 0.4, 140.0]))
    assert gamut_map(lab).shape == (2, 3, 3)


# --------------------------------------------------------------------------------------------
# colour-vision deficiency


@pytest.mark.parametrize("kind", ["protan", "deutan", "tritan"])
def test_cvd_keeps_greys(kind: str) -> None:
    greys = np.linspace(0, 1, 5)[:, None].repeat(3, axis=1)
    np.testing.assert_allclose(simulate_cvd(greys, kind), greys, atol=1e-5)  # type: ignore[arg-type]


def test_cvd_collapses_red_green_for_deutans() -> None:
    red, green = srgb_to_linear([0.8, 0.3, 0.3]), srgb_to_linear([0.45, 0.55, 0.3])
    normal = float(delta_e(linear_to_oklab(red), linear_to_oklab(green)))
    seen = float(delta_e(linear_to_oklab(simulate_cvd(red, "deutan")),
                         linear_to_oklab(simulate_cvd(green, "deutan"))))
    assert seen < normal / 2


def test_cvd_unknown_kind() -> None:
    with pytest.raises(ValueError, match=r"unknown colour-vision deficiency 'tetra'"):
        simulate_cvd([0.5, 0.5, 0.5], "tetra")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# hex


@pytest.mark.parametrize(
    ("text", "expected"),
    [("#ff8000", [255, 128, 0]), ("FF8000", [255, 128, 0]), ("#f80", [255, 136, 0]),
     ("  #0a0B0c ", [10, 11, 12])],
)
def test_hex_to_srgb(text: str, expected: list[int]) -> None:
    np.testing.assert_array_equal(srgb_to_uint8(hex_to_srgb(text)), expected)


@pytest.mark.parametrize("text", ["#12345", "#gg0000", "", "#1234567", "red", "##123456"])
def test_bad_hex_names_the_value(text: str) -> None:
    with pytest.raises(ValueError, match=rf"^'{text}' is not a hex colour; expected '#RRGGBB'"):
        hex_to_srgb(text)


def test_hex_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="a hex colour must be a string, got int 255"):
        hex_to_srgb(255)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(st.tuples(*[st.integers(0, 255)] * 3))
def test_hex_round_trip(codes: tuple[int, int, int]) -> None:
    text = "#{:02x}{:02x}{:02x}".format(*codes)
    assert srgb_to_hex(hex_to_srgb(text)) == text


def test_srgb_to_hex_clips_and_checks_shape() -> None:
    assert srgb_to_hex([1.2, -0.1, 0.5]) == "#ff0080"
    with pytest.raises(ValueError, match=r"one colour of shape \(3,\), got shape \(2, 3\)"):
        srgb_to_hex(np.zeros((2, 3)))


# --------------------------------------------------------------------------------------------
# the renderer's 8-bit encoder


def _compositor_encode_srgb(buf: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Frozen copy of ``wiktoria.render.compositor.encode_srgb`` as of 0.2 (before it moved to
    :func:`wiktoria.colour.encode_srgb8`): the bytes of every golden image come from it."""
    F32 = np.float32
    lin = np.clip(buf, 0, 1)
    low = lin <= F32(0.0031308)
    s = np.power(lin, F32(1 / 2.4))
    s *= F32(1.055 * 255)
    s -= F32(0.055 * 255)
    s = np.where(low, lin * F32(12.92 * 255), s)
    s += rng.random(s.shape, dtype=F32)
    s -= rng.random(s.shape, dtype=F32)
    s += F32(0.5)
    np.clip(s, 0, 255, out=s)
    return s.astype(np.uint8)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_encode_srgb8_is_bit_identical_to_the_compositors_encoder(
        seed: int, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same codes on both backends (the compiled encoder after numpy's power)."""
    monkeypatch.setenv("WIKTORIA_BACKEND", backend)
    rng = np.random.default_rng(seed)
    lin = rng.uniform(-0.1, 1.1, (97, 131, 3)).astype(np.float32)
    lin[0, :8] = [[0.0] * 3, [1.0] * 3, [0.0031308] * 3, [0.0031309] * 3, [1e-9] * 3,
                  [np.inf] * 3, [-np.inf] * 3, [0.5] * 3]
    lin[1] = rng.uniform(0, 0.004, (131, 3))  # around the knee of the transfer function
    expected = _compositor_encode_srgb(lin, np.random.default_rng(seed + 100))
    got = colour.encode_srgb8(lin, np.random.default_rng(seed + 100))
    assert got.dtype == np.uint8 and got.shape == lin.shape
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 300), lo=st.floats(-2, 0.5),
       span=st.floats(0, 3))
def test_compiled_encoder_gives_the_numpy_codes(seed: int, n: int, lo: float,
                                                span: float) -> None:
    rng = np.random.default_rng(seed)
    lin = rng.uniform(lo, lo + span, (n, 3)).astype(np.float32)
    up, down = rng.random(lin.shape, np.float32), rng.random(lin.shape, np.float32)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WIKTORIA_BACKEND", "numpy")
        want = colour.encode_srgb8_dithered(lin, up, down)
        mp.setenv("WIKTORIA_BACKEND", "numba")
        got = colour.encode_srgb8_dithered(lin, up, down)
    np.testing.assert_array_equal(got, want)


def test_encode_srgb8_matches_linear_to_srgb_without_dither() -> None:
    # The same transfer function as linear_to_srgb, up to float32 rounding and the dither.
    lin = np.linspace(0.0, 1.0, 4097, dtype=np.float32)
    codes = colour.encode_srgb8(lin, np.random.default_rng(5)).astype(np.float64)
    exact = colour.linear_to_srgb(lin.astype(np.float64)) * 255
    assert np.abs(codes - exact).max() <= 1.5
