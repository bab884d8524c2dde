"""Tests of the noise core: shapes, dtypes, ranges, seeds, periods, grid path, fractal sums."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiktoria import noise
from wiktoria.noise._lattice import seed_key, tables
from wiktoria.noise._perlin import perlin_points

BASES = [("perlin", 1), ("perlin", 2), ("perlin", 3), ("perlin", 4),
         ("simplex", 2), ("simplex", 3), ("simplex", 4)]


def base(kind: str):
    return noise.perlin if kind == "perlin" else noise.simplex


def random_coords(rng: np.random.Generator, d: int, n: int, lo: float = -50, hi: float = 50):
    return [rng.uniform(lo, hi, n) for _ in range(d)]


# --------------------------------------------------------------------------- shapes and dtypes


@pytest.mark.parametrize(("kind", "d"), BASES)
def test_shape_dtype_and_range(kind: str, d: int) -> None:
    rng = np.random.default_rng(d)
    coords = random_coords(rng, d, 20_000)
    v = base(kind)(*coords, seed=3)
    assert v.shape == (20_000,)
    assert v.dtype == np.float32
    assert np.all(np.abs(v) <= 1)
    # The scale reaches well into the range: not squashed near zero.
    assert 0.12 < v.std() < 0.6
    assert np.abs(v).max() > 0.6
    v64 = base(kind)(*coords, seed=3, dtype=np.float64)
    assert v64.dtype == np.float64
    np.testing.assert_allclose(v, v64, atol=2e-5)


def test_broadcasting_shapes() -> None:
    x = np.linspace(0, 3, 7).reshape(1, 7)
    y = np.linspace(0, 2, 5).reshape(5, 1)
    assert noise.perlin(x, y).shape == (5, 7)
    assert noise.simplex(x, y, 0.3).shape == (5, 7)
    assert noise.fbm(x, y, np.zeros((2, 1, 1)), octaves=3).shape == (2, 5, 7)
    assert noise.perlin(0.5, 0.25).shape == ()
    assert noise.simplex(0.5, 0.25).shape == ()
    assert noise.perlin(np.zeros((0, 3)), 1.0).shape == (0, 3)


def test_scalar_result_is_a_zero_dim_array_of_the_dtype() -> None:
    v = noise.perlin(0.3, 0.7, 1.1)
    assert isinstance(v, np.ndarray) and v.dtype == np.float32 and v.ndim == 0


def test_perlin_is_zero_on_lattice_points() -> None:
    g = np.arange(-5, 6, dtype=np.float64)
    assert np.all(noise.perlin(g.reshape(1, -1), g.reshape(-1, 1), 3.0) == 0)


# --------------------------------------------------------------------------- determinism and seeds


@pytest.mark.parametrize(("kind", "d"), BASES)
def test_same_seed_same_values_and_fixed_reference(kind: str, d: int) -> None:
    rng = np.random.default_rng(0)
    coords = random_coords(rng, d, 1000)
    a = base(kind)(*coords, seed=42)
    b = base(kind)(*coords, seed=42)
    assert np.array_equal(a, b)


def test_values_do_not_change_between_releases() -> None:
    # Frozen reference values: the hash comes from PCG64's raw stream, which numpy guarantees,
    # so these must hold on every platform and numpy version.
    pts = (np.array([0.3, -12.75, 1000.5]), np.array([0.6, 3.25, -7.125]), 0.5)
    got = noise.perlin(*pts, seed=7, dtype=np.float64)
    expected = np.array(REFERENCE_PERLIN)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    got = noise.simplex(*pts, seed=7, dtype=np.float64)
    np.testing.assert_allclose(got, np.array(REFERENCE_SIMPLEX), atol=1e-12)


REFERENCE_PERLIN = [-0.12797249215999992, -0.41536855697631836, 0.34625816345214844]
REFERENCE_SIMPLEX = [0.3135467013888892, -0.6116638183593744, -0.7352374518911039]


def test_permutation_tables_are_permutations() -> None:
    for key in (0, 1, 2**63 + 5):
        perm = tables(key).perm
        assert sorted(perm[:1024].tolist()) == list(range(1024))
        assert np.array_equal(perm[:1024], perm[1024:])


@pytest.mark.parametrize(("kind", "d"), BASES)
def test_different_seeds_are_uncorrelated(kind: str, d: int) -> None:
    rng = np.random.default_rng(1)
    span = 5000 if d == 1 else 200
    coords = random_coords(rng, d, 20_000, -span, span)
    fields = [base(kind)(*coords, seed=s).astype(np.float64) for s in (0, 1, 2, 12345)]
    for i in range(len(fields)):
        for j in range(i + 1, len(fields)):
            r = np.corrcoef(fields[i], fields[j])[0, 1]
            # 1D has only 1024 independent cells before the table repeats: r's spread is wider.
            assert abs(r) < (0.12 if d == 1 else 0.05), (i, j, r)


def test_generator_seed_is_accepted_and_consumes_the_generator() -> None:
    x = np.linspace(0, 4, 50)
    a = noise.perlin(x, 0.5, seed=np.random.default_rng(9))
    b = noise.perlin(x, 0.5, seed=np.random.default_rng(9))
    assert np.array_equal(a, b)
    g = np.random.default_rng(9)
    c = noise.perlin(x, 0.5, seed=g)
    d = noise.perlin(x, 0.5, seed=g)
    assert np.array_equal(a, c) and not np.array_equal(c, d)


def test_seeds_span_0_to_2_64_and_others_are_refused() -> None:
    x = np.linspace(0, 4, 50)
    top = noise.perlin(x, 0.5, seed=2**64 - 1)
    assert not np.array_equal(top, noise.perlin(x, 0.5, seed=0))
    assert not np.array_equal(top, noise.perlin(x, 0.5, seed=1))
    for bad in (-1, 2**64, 2**80):
        with pytest.raises(ValueError, match=r"seed must be an integer from 0 to 2\*\*64-1 "
                                             rf"\(or a numpy.random.Generator\), got {bad}$"):
            noise.perlin(x, 0.5, seed=bad)


@pytest.mark.parametrize("period", [0, -1, 2**61 + 1, 2**70])
def test_periods_out_of_range_are_one_line_errors(period: int) -> None:
    with pytest.raises(ValueError, match=rf"period must be an integer from 1 to {2**61}, "
                                         rf"got {period}$"):
        noise.perlin(np.linspace(0, 4, 5), 0.5, period=period)


# --------------------------------------------------------------------------- precision


@pytest.mark.parametrize(("kind", "d"), [("perlin", 2), ("perlin", 3), ("simplex", 2),
                                         ("simplex", 3)])
def test_far_coordinates_keep_their_detail(kind: str, d: int) -> None:
    # The same local pattern around 1e6 as around the origin's statistics: steps of 1e-3
    # must still change the value smoothly (float32 before the split would freeze them).
    x = 1e6 + np.arange(200) * 1e-3
    rest = [np.full(200, 0.37)] * (d - 1)
    v = base(kind)(x, *rest, dtype=np.float64)
    steps = np.diff(v)
    assert np.count_nonzero(steps) == len(steps)
    assert np.abs(np.diff(steps)).max() < 1e-4  # smooth: no staircase
    v32 = base(kind)(x, *rest)
    np.testing.assert_allclose(v32, v, atol=1e-5)


# --------------------------------------------------------------------------- periods


@settings(max_examples=60, deadline=None)
@given(
    p=st.integers(1, 40),
    x=st.floats(-1e4, 1e4, allow_nan=False),
    y=st.floats(-100, 100, allow_nan=False),
    k=st.integers(-3, 3),
    d=st.integers(1, 4),
)
def test_perlin_period_property(p: int, x: float, y: float, k: int, d: int) -> None:
    coords = [x, y, 0.3, -1.7][:d]
    shifted = [x + k * p, *coords[1:]]
    period = (p,) + (None,) * (d - 1)
    a = noise.perlin(*coords, seed=5, period=period, dtype=np.float64)
    b = noise.perlin(*shifted, seed=5, period=period, dtype=np.float64)
    assert abs(float(a) - float(b)) < 1e-9 * (1 + abs(x) + abs(k * p))


@pytest.mark.parametrize(("kind", "d", "period"), [
    ("perlin", 2, 7), ("perlin", 3, (5, None, 3)), ("perlin", 4, (None, None, None, 6)),
    ("simplex", 2, (6, None)), ("simplex", 2, 9), ("simplex", 3, (None, None, 4)),
])
def test_periodic_axes_for_negative_coordinates_too(kind: str, d: int, period) -> None:
    rng = np.random.default_rng(2)
    coords = random_coords(rng, d, 4000, -60, 60)
    per = (period,) * d if isinstance(period, int) else period
    ref = base(kind)(*coords, seed=11, period=period, dtype=np.float64)
    for a, p in enumerate(per):
        if p is None:
            continue
        for k in (-3, -1, 1, 2):
            moved = list(coords)
            moved[a] = coords[a] + k * p
            got = base(kind)(*moved, seed=11, period=period, dtype=np.float64)
            np.testing.assert_allclose(got, ref, atol=1e-9)


def test_periodic_fbm_tiles_seamlessly() -> None:
    # A 64x64 tile with period 4 cells: the left and right edges continue each other.
    n = 64
    x = (np.arange(2 * n) * 4 / n).reshape(1, -1)
    y = (np.arange(n) * 4 / n).reshape(-1, 1)
    for kind in ("perlin", "simplex"):
        img = noise.fbm(x, y, kind=kind, octaves=5, period=(4, 4), seed=1, dtype=np.float64)
        np.testing.assert_allclose(img[:, :n], img[:, n:], atol=1e-9)


def test_fbm_period_with_non_integer_lacunarity_stays_periodic() -> None:
    x = np.linspace(-10, 10, 301)
    a = noise.fbm(x, 0.4, octaves=5, lacunarity=2.3, period=(6, None), dtype=np.float64)
    b = noise.fbm(x + 6, 0.4, octaves=5, lacunarity=2.3, period=(6, None), dtype=np.float64)
    np.testing.assert_allclose(a, b, atol=1e-9)


# --------------------------------------------------------------------------- grid path


@pytest.mark.parametrize("d", [1, 2, 3, 4])
@pytest.mark.parametrize("octaves", [1, 4])
def test_grid_path_equals_elementwise_path(d: int, octaves: int) -> None:
    rng = np.random.default_rng(d)
    shape = (37, 53, 3, 2)[: max(d, 1)]
    axes_vals = [np.sort(rng.uniform(-30, 30, s)) for s in shape]
    coords = []
    for a, v in enumerate(axes_vals):
        s = [1] * len(shape)
        s[a] = -1
        coords.append(v.reshape(s))
    grid = noise.fbm(*coords, octaves=octaves, seed=4)
    full = [np.ascontiguousarray(np.broadcast_to(c, grid.shape)) + 0 for c in coords]
    # Adding a zero-sized perturbation defeats separability detection: element-wise path.
    full[0] = full[0] + np.zeros(grid.shape)
    flat = noise.fbm(*[f.reshape(-1) for f in full], octaves=octaves, seed=4).reshape(grid.shape)
    np.testing.assert_allclose(grid, flat, atol=2e-6)


def test_grid_path_with_transposed_axes_and_scalars() -> None:
    x = np.linspace(-3, 3, 40).reshape(-1, 1)  # x varies along rows this time
    y = np.linspace(5, 9, 30).reshape(1, -1)
    t = 2.5
    grid = noise.perlin(x, y, t, seed=2, period=(None, 8, None))
    X, Y = np.broadcast_arrays(x, y)
    flat = noise.perlin(X.ravel(), Y.ravel(), np.full(X.size, t), seed=2, period=(None, 8, None))
    np.testing.assert_allclose(grid, flat.reshape(grid.shape), atol=2e-6)


def test_large_grid_is_banded_and_threaded_without_changing_values(monkeypatch) -> None:
    x = np.linspace(0, 40, 700).reshape(1, -1)
    y = np.linspace(0, 30, 600).reshape(-1, 1)
    a = noise.fbm(x, y, 0.25, octaves=3, seed=8)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "1")
    b = noise.fbm(x, y, 0.25, octaves=3, seed=8)
    assert np.array_equal(a, b)
    pts = np.random.default_rng(0).uniform(0, 30, (3, 300_000))
    c = noise.simplex(*pts, seed=1)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "3")
    assert np.array_equal(c, noise.simplex(*pts, seed=1))


# --------------------------------------------------------------------------- fractal sums


@pytest.mark.parametrize("kind", ["perlin", "simplex"])
def test_fractal_ranges(kind: str) -> None:
    rng = np.random.default_rng(3)
    pts = random_coords(rng, 3, 30_000, -20, 20)
    f = noise.fbm(*pts, kind=kind, octaves=6)
    r = noise.ridged(*pts, kind=kind, octaves=6)
    t = noise.turbulence(*pts, kind=kind, octaves=6)
    assert np.abs(f).max() <= 1 and f.std() > 0.05
    assert r.min() >= 0 and r.max() <= 1 and r.std() > 0.03
    assert t.min() >= 0 and t.max() <= 1 and t.std() > 0.03


def test_fbm_one_octave_is_the_base_noise() -> None:
    x = np.linspace(-3, 3, 101)
    assert np.array_equal(noise.fbm(x, 0.5, octaves=1, seed=6), noise.perlin(x, 0.5, seed=6))
    assert np.array_equal(noise.fbm(x, 0.5, kind="simplex", octaves=1, seed=6),
                          noise.simplex(x, 0.5, seed=6))


def test_fbm_matches_a_manual_sum_of_octaves() -> None:
    x = np.linspace(-3, 3, 101)
    y = np.full_like(x, 0.7)
    total = np.zeros_like(x)
    for k in range(4):
        f = 2.0**k
        octave = perlin_points([x * f, y * f], tables(seed_key(6), k), (None, None),
                               np.dtype(np.float64))
        total += 0.5**k * octave
    total /= sum(0.5**k for k in range(4))
    got = noise.fbm(x, 0.7, octaves=4, seed=6, dtype=np.float64)
    np.testing.assert_allclose(got, total, atol=1e-12)


# --------------------------------------------------------------------------- warp and curl


def test_warp_shapes_ranges_and_depth_zero_is_fbm() -> None:
    x = np.linspace(0, 3, 64).reshape(1, -1)
    y = np.linspace(0, 2, 32).reshape(-1, 1)
    v, qx, qy = noise.warp(x, y, depth=2, strength=3.0, seed=5, return_offsets=True)
    assert v.shape == qx.shape == qy.shape == (32, 64)
    assert np.abs(v).max() <= 1 and np.abs(qx).max() <= 1
    v0 = noise.warp(x, y, depth=0, seed=5)
    assert v0.shape == (32, 64) and np.abs(v0).max() <= 1
    assert not np.allclose(v, v0)


def test_warp_keeps_periodic_axes_periodic() -> None:
    x = np.linspace(-4, 4, 81).reshape(1, -1)
    y = np.linspace(0, 2, 9).reshape(-1, 1)
    t = 0.75
    opts = {"depth": 2, "strength": 2.0, "seed": 3, "period": (None, None, 4), "octaves": 3,
            "dtype": np.float64}
    a = noise.warp(x, y, t, **opts)
    b = noise.warp(x, y, t + 4, **opts)
    np.testing.assert_allclose(a, b, atol=1e-9)


def test_curl_is_divergence_free() -> None:
    n = 200
    h = 1 / 64
    x = (np.arange(n) * h).reshape(1, -1)
    y = (np.arange(n) * h).reshape(-1, 1)
    u, v = noise.curl(x, y, 0.5, octaves=2, seed=9, dtype=np.float64)
    du_dx = np.gradient(u, h, axis=1)
    dv_dy = np.gradient(v, h, axis=0)
    div = (du_dx + dv_dy)[2:-2, 2:-2]
    # Compare with the size of the derivatives themselves.
    scale = np.abs(np.gradient(u, h, axis=0)).mean()
    assert np.abs(div).mean() < 0.01 * scale
    assert np.hypot(u, v).mean() > 0.1


def test_curl_periodic_in_time() -> None:
    x = np.linspace(0, 2, 30)
    u1, v1 = noise.curl(x, 0.3, 0.2, period=(None, None, 3), dtype=np.float64)
    u2, v2 = noise.curl(x, 0.3, 3.2, period=(None, None, 3), dtype=np.float64)
    np.testing.assert_allclose(u1, u2, atol=1e-6)
    np.testing.assert_allclose(v1, v2, atol=1e-6)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("call", "exc", "match"), [
    (lambda: noise.perlin(), ValueError, r"perlin takes 1 to 4 coordinate arrays .*got 0"),
    (lambda: noise.perlin(1, 2, 3, 4, 5), ValueError, r"takes 1 to 4 .*got 5"),
    (lambda: noise.simplex(1.0), ValueError, r"simplex takes 2 to 4 coordinate arrays.*got 1"),
    (lambda: noise.perlin(np.array([0.0, np.nan])), ValueError,
     r"coordinate x contains non-finite values"),
    (lambda: noise.perlin(0.0, np.inf), ValueError, r"coordinate y contains non-finite"),
    (lambda: noise.perlin(np.zeros(3), np.zeros(4)), ValueError,
     r"coordinate shapes do not broadcast together: x\(3,\), y\(4,\)"),
    (lambda: noise.perlin("a"), TypeError, r"coordinate x must hold real numbers"),
    (lambda: noise.perlin(np.array([1 + 2j])), TypeError, r"coordinate x must hold real numbers"),
    (lambda: noise.fbm(0.5, 0.5, octaves=0), ValueError,
     r"octaves must be an integer from 1 to 32, got 0"),
    (lambda: noise.fbm(0.5, 0.5, octaves=2.5), ValueError, r"octaves must be an integer .*2\.5"),
    (lambda: noise.fbm(0.5, 0.5, octaves="2"), TypeError, r"^octaves must be an integer .*'2'$"),
    (lambda: noise.fbm(0.5, 0.5, octaves=33), ValueError, r"octaves .* got 33"),
    (lambda: noise.fbm(0.5, 0.5, lacunarity=0.5), ValueError,
     r"^lacunarity must be a number from 1 to 16, got 0\.5$"),
    (lambda: noise.fbm(0.5, 0.5, gain=0), ValueError,
     r"^gain must be a number in \(0, 4\], got 0$"),
    (lambda: noise.fbm(0.5, 0.5, gain="1"), TypeError,
     r"^gain must be a number in \(0, 4\], got '1'$"),
    (lambda: noise.fbm(0.5, 0.5, gain=float("nan")), ValueError, r"gain must be a number in"),
    (lambda: noise.perlin(0.5, period=2.5), ValueError,
     r"^period must be an integer from 1 to 2305843009213693952, got 2\.5$"),
    (lambda: noise.perlin(0.5, period=0), ValueError, r"period .* got 0"),
    (lambda: noise.perlin(0.5, 0.5, period=(3, -2)), ValueError,
     r"^period for axis y must be an integer from 1 to 2305843009213693952, got -2$"),
    (lambda: noise.perlin(0.5, 0.5, period=(3,)), ValueError,
     r"period must give one entry per axis \(2\), got 1"),
    (lambda: noise.perlin(0.5, period="4"), TypeError,
     r"^period must be an integer from 1 to 2305843009213693952"),
    (lambda: noise.perlin(0.5, 0.5, period=(None, "4")), TypeError,
     r"^period for axis y must be an integer from 1 to 2305843009213693952, got '4'$"),
    (lambda: noise.simplex(0.5, 0.5, 0.5, period=(2, 2, None)), ValueError,
     r"simplex noise with 3 dimensions can have at most 1 periodic axes"),
    (lambda: noise.fbm(0.5, 0.5, kind="value"), ValueError,
     r"^unknown kind 'value'; valid: perlin, simplex$"),
    (lambda: noise.fbm(0.5, 0.5, kind=None), TypeError,
     r"^unknown kind None; valid: perlin, simplex$"),
    (lambda: noise.perlin(0.5, seed=1.5), TypeError,
     r"seed must be an int or a numpy.random.Generator, got 1\.5"),
    (lambda: noise.perlin(0.5, seed=True), TypeError, r"seed must be an int"),
    (lambda: noise.perlin(0.5, dtype=np.int32), ValueError,
     r"dtype must be float32 or float64, got int32"),
    (lambda: noise.warp(0.5, 0.5, depth=5), ValueError,
     r"^depth must be an integer from 0 to 4, got 5$"),
    (lambda: noise.warp(0.5, 0.5, strength=-1), ValueError,
     r"^strength must be a number from 0 to 100, got -1$"),
    (lambda: noise.warp(0.5), ValueError, r"takes 2 to 4 coordinate arrays, got 1"),
    (lambda: noise.curl(0.5), ValueError, r"takes 2 to 4 coordinate arrays, got 1"),
    (lambda: noise.fbm(np.array([0.0, -1e19]), 0.5), ValueError,
     r"^fbm: coordinate x reaches 1e\+19 and the highest octave \(frequency 32\) puts it 3\.2e\+20 "
     r"lattice cells from the origin; at most 2\.31e\+18 cells are allowed"),
    (lambda: noise.simplex(0.5, 1e300), ValueError, r"^simplex: coordinate y reaches 1e\+300"),
    (lambda: noise.fbm(1.0, octaves=32, lacunarity=16), ValueError,
     r"frequency 2\.13e\+37\)"),
    (lambda: noise.fbm(0.5, 0.5, period=(2**61, None), octaves=8, kind="simplex"), ValueError,
     r"^fbm: the period 2305843009213693952 of axis x makes a circle of radius 4\.7e\+19"),
])
def test_error_messages(call, exc, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()
