"""Tests for :mod:`wiktoria.noise.compat` against the real ``noise`` package (the oracle)."""

from __future__ import annotations

import importlib.util
import inspect
import math
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable
from typing import Any

import noise
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiktoria import compat
from wiktoria.common import parallel
from wiktoria.noise import _compat_driver

N_POINTS = 10_000

FUNCS: dict[str, tuple[Callable[..., Any], Callable[..., Any], int]] = {
    "pnoise1": (compat.pnoise1, noise.pnoise1, 1),
    "pnoise2": (compat.pnoise2, noise.pnoise2, 2),
    "pnoise3": (compat.pnoise3, noise.pnoise3, 3),
    "snoise2": (compat.snoise2, noise.snoise2, 2),
    "snoise3": (compat.snoise3, noise.snoise3, 3),
    "snoise4": (compat.snoise4, noise.snoise4, 4),
}


def random_coords(seed: int, n: int, dims: int) -> list[np.ndarray]:
    """Coordinates mixing small, medium, large (1e4) and huge (1e6) magnitudes of both signs,
    plus exact lattice and half-lattice points."""
    rng = np.random.default_rng(seed)
    cols = []
    for _ in range(dims):
        kind = rng.integers(0, 6, n)
        v = np.select(
            [kind == 0, kind == 1, kind == 2, kind == 3, kind == 4],
            [
                rng.uniform(-300.0, 300.0, n),
                rng.uniform(-1e4, 1e4, n),
                rng.uniform(-1e6, 1e6, n),
                rng.uniform(-3.0, 3.0, n),
                rng.integers(-600, 600, n) + rng.choice([0.0, 0.5, 0.25, 0.75], n),
            ],
            rng.uniform(-40.0, 40.0, n),
        )
        cols.append(v)
    return cols


def oracle(func: Callable[..., float], cols: list[np.ndarray], kwargs: dict) -> np.ndarray:
    lists = [c.tolist() for c in cols]
    return np.array([func(*pt, **kwargs) for pt in zip(*lists, strict=True)])


def assert_bit_exact(got: np.ndarray, want: np.ndarray, cols: list[np.ndarray]) -> None:
    assert got.dtype == np.float64
    assert got.shape == want.shape
    got, want = got.ravel(), want.ravel()
    nan = np.isnan(want)
    assert np.array_equal(np.isnan(got), nan)  # NaN only where noise gives NaN (overflow cases)
    got, want = got[~nan], want[~nan]
    cols = [c[~nan] for c in cols]
    maxdiff = float(np.max(np.abs(got - want))) if got.size else 0.0
    bad = np.flatnonzero(got != want)
    if bad.size:
        k = bad[0]
        point = [float(c[k]) for c in cols]
        pytest.fail(
            f"{bad.size} of {got.size} points differ, max abs diff {maxdiff:.3g}; "
            f"first at {point}: got {got[k]!r}, noise gives {want[k]!r}"
        )
    assert maxdiff <= 1e-6


# ------------------------------------------------------------------------------------------
# Test vectors from the research note (values of the C extension)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: compat.pnoise1(0.5), 0.699999988079071),
        (lambda: compat.pnoise2(0.5, 0.5), -0.125),
        (lambda: compat.pnoise2(1.25, 3.75), -0.20895767211914062),
        (lambda: compat.pnoise2(10.1, -4.6), -0.4672246277332306),
        (lambda: compat.pnoise3(1.25, 3.75, 2.2), -0.0013003619387745857),
        (lambda: compat.pnoise3(-2.3, 7.1, 0.3), 0.2373579740524292),
        (lambda: compat.snoise2(0.5, 0.5), -0.307156503200531),
        (lambda: compat.snoise2(10.1, -4.6), -0.6187334060668945),
        (lambda: compat.snoise3(-2.3, 7.1, 0.3), -0.549245297908783),
        (lambda: compat.snoise4(0.3, 1.7, -2.2, 5.5), 0.45712924003601074),
        (lambda: compat.snoise2(1.3, 2.7, repeatx=1e6, repeaty=1e6), 0.25028786063194275),
    ],
)
def test_research_vectors(call: Callable[[], float], expected: float) -> None:
    assert call() == expected


# ------------------------------------------------------------------------------------------
# 10,000 random points per parameter combination against the oracle, point by point
# ------------------------------------------------------------------------------------------
FBM = [
    {},
    {"octaves": 2},
    {"octaves": 5, "persistence": 0.73, "lacunarity": 1.7},
    {"octaves": 8, "persistence": 0.35, "lacunarity": 3.0},  # int overflow at 1e6 * 3**7
    {"octaves": 3, "persistence": 0.9, "lacunarity": 0.5},
]

CASES: list[tuple[str, dict]] = [
    *[("pnoise1", kw) for kw in FBM],
    ("pnoise1", {"repeat": 10}),
    ("pnoise1", {"repeat": 16, "octaves": 4}),
    ("pnoise1", {"repeat": 7, "octaves": 3, "lacunarity": 2.5}),
    ("pnoise1", {"repeat": -300, "octaves": 2}),
    ("pnoise1", {"repeat": 2**31 - 1, "octaves": 2}),
    ("pnoise1", {"base": 1}),
    ("pnoise1", {"base": 37, "octaves": 3}),
    ("pnoise1", {"base": 256, "repeat": 300, "octaves": 6, "persistence": 0.6, "lacunarity": 2.2}),
    *[("pnoise2", kw) for kw in FBM],
    ("pnoise2", {"repeatx": 10.0, "repeaty": 16.0}),
    ("pnoise2", {"repeatx": 10.5, "repeaty": 7.25, "octaves": 3}),
    ("pnoise2", {"repeatx": 256.0, "repeaty": 512.0, "octaves": 6}),
    ("pnoise2", {"repeatx": -12.0, "repeaty": 1e30, "octaves": 2}),
    ("pnoise2", {"repeatx": math.inf, "repeaty": 3.3, "octaves": 4, "lacunarity": 2.1}),
    ("pnoise2", {"base": 1}),
    ("pnoise2", {"base": 1, "octaves": 4, "repeatx": 12.0, "persistence": 0.6}),
    *[("pnoise3", kw) for kw in FBM],
    ("pnoise3", {"repeatx": 10, "repeaty": 16, "repeatz": 5}),
    ("pnoise3", {"repeatx": 7, "repeaty": 300, "repeatz": -9, "octaves": 3, "lacunarity": 2.5}),
    ("pnoise3", {"repeatx": 256, "repeaty": 256, "repeatz": 2**31 - 1, "octaves": 6}),
    ("pnoise3", {"base": 1}),
    ("pnoise3", {"base": 1, "octaves": 4, "repeatz": 12, "persistence": 0.6}),
    *[("snoise2", kw) for kw in FBM],
    ("snoise2", {"base": 1.0}),
    ("snoise2", {"base": -3.7, "octaves": 3}),
    ("snoise2", {"base": 12.25, "octaves": 6, "lacunarity": 2.3}),
    ("snoise2", {"repeatx": 8.0}),
    ("snoise2", {"repeaty": 12.5, "base": 0.5}),
    ("snoise2", {"repeatx": 16.0, "repeaty": 16.0}),
    ("snoise2", {"repeatx": 10.0, "repeaty": 33.3, "octaves": 4, "base": 2.5}),
    ("snoise2", {"repeatx": -20.0, "octaves": 3, "persistence": 0.7}),
    ("snoise2", {"repeaty": 0.75, "octaves": 8, "lacunarity": 1.9, "persistence": 0.6}),
    ("snoise2", {"repeatx": 1e6, "repeaty": 1e6, "octaves": 2}),
    *[("snoise3", kw) for kw in FBM],
    # Degenerate but deterministic C behaviour: per-octave repeats that become 0 or tiny
    # (NaN lattice indices -> INT_MIN), frequencies beyond the int range, and float32 overflow.
    ("pnoise2", {"repeatx": 0.001, "repeaty": 0.37, "octaves": 2}),
    ("pnoise2", {"repeatx": 3.0, "octaves": 2, "lacunarity": 0.0}),
    ("pnoise3", {"repeatx": 3, "repeaty": 5, "octaves": 4, "lacunarity": 0.5}),
    *[(name, {"octaves": 3, "lacunarity": 1e10}) for name in FUNCS if name != "snoise4"],
    *[(name, {"octaves": 3, "lacunarity": 1e30}) for name in FUNCS if name != "snoise4"],
    ("snoise2", {"repeatx": 8.0, "repeaty": 9.0, "octaves": 3, "lacunarity": 1e30}),
    ("snoise2", {"repeatx": 8.0, "octaves": 3, "lacunarity": 1e10}),
    *[("snoise4", {k: v for k, v in kw.items() if k != "lacunarity"}) for kw in FBM],
]


# Both backends of compat against the oracle (the other tests run on the default backend, which
# is numba when it is installed; tests/test_compat_accel.py compares the two backends).
BACKENDS = [
    "numpy",
    pytest.param(
        "numba",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("numba") is None, reason="numba is not installed"
        ),
    ),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("name", "kwargs"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)]
)
def test_matches_oracle_on_random_points(
    name: str, kwargs: dict, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIKTORIA_BACKEND", backend)
    ours, theirs, dims = FUNCS[name]
    seed = zlib.crc32(f"{name}{sorted(kwargs.items())}".encode())
    cols = random_coords(seed, N_POINTS, dims)
    got = ours(*cols, **kwargs)
    assert_bit_exact(got, oracle(theirs, cols, kwargs), cols)


@pytest.mark.parametrize("octaves", [1, 3, 6])
def test_snoise4_ignores_lacunarity_like_noise(octaves: int) -> None:
    cols = random_coords(99, N_POINTS, 4)
    want = oracle(noise.snoise4, cols, {"octaves": octaves, "persistence": 0.6})
    for lac in (0.5, 2.0, 3.0):
        got = compat.snoise4(*cols, octaves=octaves, persistence=0.6, lacunarity=lac)
        assert_bit_exact(got, want, cols)


def test_snoise4_lacunarity_quirk_in_the_oracle_itself() -> None:
    # Passing lacunarity to noise.snoise4 makes the C parser write through a missing pointer
    # (undefined behaviour), so the oracle is only called with it in a throw-away process.
    code = (
        "import noise\n"
        "a = noise.snoise4(0.3, 1.7, -2.2, 5.5, octaves=4)\n"
        "print(all(noise.snoise4(0.3, 1.7, -2.2, 5.5, octaves=4, lacunarity=v) == a"
        " for v in (0.5, 3.0, 7.5)), repr(a))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    same, value = result.stdout.split()
    assert same == "True"
    assert compat.snoise4(0.3, 1.7, -2.2, 5.5, octaves=4, lacunarity=3.0) == float(value)


def test_pnoise1_every_in_bounds_base_matches_oracle() -> None:
    cols = random_coords(7, 2000, 1)
    for base in range(257):
        got = compat.pnoise1(cols[0], octaves=2, base=base)
        assert_bit_exact(got, oracle(noise.pnoise1, cols, {"octaves": 2, "base": base}), cols)


def test_grid_matches_oracle() -> None:
    xs = np.linspace(-7.3, 9.1, 97)
    ys = np.linspace(-3.0, 5.5, 61)
    gx, gy = np.meshgrid(xs, ys)
    cols = [gx.ravel(), gy.ravel()]
    for ours, theirs in ((compat.pnoise2, noise.pnoise2), (compat.snoise2, noise.snoise2)):
        got = ours(xs[None, :], ys[:, None], octaves=3)
        want = oracle(theirs, cols, {"octaves": 3}).reshape(gx.shape)
        assert_bit_exact(got, want, cols)


# ------------------------------------------------------------------------------------------
# Property tests: random single points (hypothesis)
# ------------------------------------------------------------------------------------------
coord = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
octaves_st = st.integers(min_value=1, max_value=8)
persistence_st = st.floats(min_value=0.05, max_value=1.0)
lacunarity_st = st.floats(min_value=0.5, max_value=3.5)


@settings(max_examples=150, deadline=None)
@given(
    x=coord,
    y=coord,
    z=coord,
    w=coord,
    octaves=octaves_st,
    persistence=persistence_st,
    lacunarity=lacunarity_st,
    base=st.integers(0, 1),
)
def test_property_single_points_match_oracle(
    x: float,
    y: float,
    z: float,
    w: float,
    octaves: int,
    persistence: float,
    lacunarity: float,
    base: int,
) -> None:
    fbm = {"octaves": octaves, "persistence": persistence, "lacunarity": lacunarity}
    assert compat.pnoise1(x, **fbm, base=base) == noise.pnoise1(x, **fbm, base=base)
    assert compat.pnoise2(x, y, **fbm, base=base) == noise.pnoise2(x, y, **fbm, base=base)
    assert compat.pnoise3(x, y, z, **fbm, base=base) == noise.pnoise3(x, y, z, **fbm, base=base)
    assert compat.snoise2(x, y, **fbm, base=z) == noise.snoise2(x, y, **fbm, base=z)
    assert compat.snoise3(x, y, z, **fbm) == noise.snoise3(x, y, z, **fbm)
    fbm4 = {"octaves": octaves, "persistence": persistence}
    assert compat.snoise4(x, y, z, w, **fbm4) == noise.snoise4(x, y, z, w, **fbm4)


repeat_st = st.floats(min_value=0.25, max_value=1e4).flatmap(
    lambda r: st.sampled_from([r, -r, float(round(r)) or 1.0])
)


@settings(max_examples=150, deadline=None)
@given(
    x=coord,
    y=coord,
    rx=st.one_of(st.none(), repeat_st),
    ry=st.one_of(st.none(), repeat_st),
    octaves=octaves_st,
    lacunarity=lacunarity_st,
    base=st.floats(-100, 100),
)
def test_property_tiled_snoise2_and_repeats_match_oracle(
    x: float,
    y: float,
    rx: float | None,
    ry: float | None,
    octaves: int,
    lacunarity: float,
    base: float,
) -> None:
    kw: dict[str, Any] = {"octaves": octaves, "lacunarity": lacunarity, "base": base}
    if rx is not None:
        kw["repeatx"] = rx
    if ry is not None:
        kw["repeaty"] = ry
    assert compat.snoise2(x, y, **kw) == noise.snoise2(x, y, **kw)
    rep = {"repeatx": rx or 1024.0, "repeaty": ry or 1024.0}
    fbm = {"octaves": octaves, "lacunarity": lacunarity}
    assert compat.pnoise2(x, y, **fbm, **rep) == noise.pnoise2(x, y, **fbm, **rep)
    irep = {k: int(v) or 1 for k, v in rep.items()}
    # pnoise1 with a per-octave integer repeat of 0 divides by zero in C (SIGFPE): keep
    # lacunarity >= 1 there.  pnoise3 merely computes from NaN lattice indices; compared as is.
    fbm1 = {"octaves": octaves, "lacunarity": max(lacunarity, 1.0), "repeat": irep["repeatx"]}
    assert compat.pnoise1(x, **fbm1) == noise.pnoise1(x, **fbm1)
    assert compat.pnoise3(x, y, 0.5, **fbm, **irep) == noise.pnoise3(x, y, 0.5, **fbm, **irep)


# ------------------------------------------------------------------------------------------
# Scalars, arrays, shapes and signatures
# ------------------------------------------------------------------------------------------
SAMPLE_ARGS = {
    "pnoise1": (0.3,),
    "pnoise2": (0.3, 1.7),
    "pnoise3": (0.3, 1.7, -2.2),
    "snoise2": (0.3, 1.7),
    "snoise3": (0.3, 1.7, -2.2),
    "snoise4": (0.3, 1.7, -2.2, 5.5),
}


@pytest.mark.parametrize("name", list(FUNCS))
def test_scalar_in_python_float_out(name: str) -> None:
    ours, theirs, _ = FUNCS[name]
    args = SAMPLE_ARGS[name]
    expected = theirs(*args)
    for variant in (args, tuple(np.float32(a) for a in args), tuple(np.array(a) for a in args)):
        result = ours(*variant)
        assert type(result) is float
        assert result == expected
    assert type(ours(*(1 for _ in args))) is float  # ints are fine, lattice points give 0 or so


@pytest.mark.parametrize("name", list(FUNCS))
def test_array_in_array_out_with_broadcast_shape(name: str) -> None:
    ours, theirs, dims = FUNCS[name]
    rng = np.random.default_rng(3)
    base = rng.uniform(-50, 50, (3, 4, 5))
    args = [base + k for k in range(dims)]
    result = ours(*args, octaves=2)
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.float64
    assert result.shape == (3, 4, 5)
    assert result.flags.writeable
    assert np.array_equal(result, np.vectorize(lambda *p: theirs(*p, octaves=2))(*args))
    # Scalars mixed with arrays, lists, and empty arrays.
    mixed = ours(*([list(range(6))] + [0.5] * (dims - 1)))
    assert mixed.shape == (6,)
    assert ours(*([np.empty((0, 3))] * dims)).shape == (0, 3)
    # float32 input gives the same values as float64 input (noise rounds to float32 anyway).
    assert np.array_equal(ours(*[a.astype(np.float32) for a in args], octaves=2), result)


@pytest.mark.parametrize("name", ["pnoise2", "pnoise3", "snoise2", "snoise3", "snoise4"])
def test_broadcasting_row_with_column(name: str) -> None:
    ours, _, dims = FUNCS[name]
    xs = np.linspace(-4.0, 12.0, 33)[None, :]
    ys = np.linspace(-2.5, 6.0, 17)[:, None]
    extra = [0.75, -1.25][: dims - 2]
    grid = ours(xs, ys, *extra, octaves=3)
    gx, gy = np.broadcast_arrays(xs, ys)
    full = ours(gx, gy, *[np.full(gx.shape, e) for e in extra], octaves=3)
    assert grid.shape == (17, 33)
    assert np.array_equal(grid, full)
    # Full-size x and y with the extra coordinates as (1, 1) arrays.
    assert np.array_equal(ours(gx, gy, *[np.full((1, 1), e) for e in extra], octaves=3), grid)


LARGE_CASES = [
    ("pnoise1", {"octaves": 3, "repeat": 10}),
    ("pnoise2", {"octaves": 4, "repeatx": 10.5}),
    ("pnoise3", {"octaves": 4}),
    ("snoise2", {"octaves": 3}),
    ("snoise2", {"octaves": 2, "repeatx": 16.0, "repeaty": 12.0}),
    ("snoise3", {"octaves": 3}),
    ("snoise4", {"octaves": 2}),
]


@pytest.mark.parametrize(("name", "kwargs"), LARGE_CASES)
def test_large_inputs_do_not_depend_on_blocking_or_threads(
    name: str, kwargs: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Big enough to be split into many blocks and run on the thread pool; with the extra
    # coordinates varying along a leading axis so that the split happens on several axes.
    ours, theirs, dims = FUNCS[name]
    rng = np.random.default_rng(11)
    xs = rng.uniform(-60.0, 60.0, (1, 1, 700))
    ys = rng.uniform(-60.0, 60.0, (1, 150, 1))
    extra = [rng.uniform(-60.0, 60.0, (3, 1, 1)), np.float64(2.5)][: dims - 2]
    coords = [xs, ys, *extra] if dims > 1 else [rng.uniform(-60.0, 60.0, (3, 150, 700))]
    result = ours(*coords, **kwargs)
    assert result.shape == np.broadcast_shapes(*(np.shape(c) for c in coords))
    full = [np.broadcast_to(c, result.shape).ravel() for c in coords]
    picks = rng.choice(result.size, 3000, replace=False)
    cols = [f[picks] for f in full]
    assert_bit_exact(result.ravel()[picks], oracle(theirs, cols, kwargs), cols)
    monkeypatch.setattr(_compat_driver, "_CHUNK", 4096)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "1")
    assert np.array_equal(ours(*coords, **kwargs), result)
    assert np.array_equal(ours(*full, **kwargs).reshape(result.shape), result)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["pnoise3", "snoise3", "snoise4"])
@pytest.mark.parametrize("n", [3, 2000])
def test_later_coordinates_may_add_broadcast_axes(
    name: str, n: int, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # z (and w) varying along an axis that x and y do not have (once crashed the numpy path).
    monkeypatch.setenv("WIKTORIA_BACKEND", backend)
    ours, theirs, dims = FUNCS[name]
    rng = np.random.default_rng(n)
    coords = [
        rng.uniform(-9, 9, (1, 1, 20)),
        rng.uniform(-9, 9, (1, 3, 1)),
        rng.uniform(-9, 9, (n, 1, 1)),
        rng.uniform(-9, 9, (n, 1, 1)),
    ][:dims]
    result = ours(*coords, octaves=2)
    assert result.shape == (n, 3, 20)
    full = [np.broadcast_to(c, result.shape).ravel()[:3000] for c in coords]
    assert_bit_exact(result.ravel()[:3000], oracle(theirs, full, {"octaves": 2}), full)


def test_tiled_snoise2_broadcasts_and_default_repeat_is_no_tiling() -> None:
    xs = np.linspace(0.0, 8.0, 16, endpoint=False)[None, :]
    ys = np.linspace(0.0, 8.0, 8, endpoint=False)[:, None]
    tiled = compat.snoise2(xs, ys, octaves=2, repeatx=8.0, repeaty=8.0)
    assert tiled.shape == (8, 16)
    gx, gy = np.broadcast_arrays(xs, ys)
    assert np.array_equal(compat.snoise2(gx, gy, octaves=2, repeatx=8.0, repeaty=8.0), tiled)
    assert compat.snoise2(1.3, 2.7, repeatx=compat.FLT_MAX) == compat.snoise2(1.3, 2.7)
    assert noise.snoise2(1.3, 2.7, repeatx=compat.FLT_MAX) == compat.snoise2(1.3, 2.7)


def test_signatures_match_noise() -> None:
    def params(f: Callable[..., Any]) -> list[tuple[str, Any]]:
        return [(p.name, p.default) for p in inspect.signature(f).parameters.values()]

    empty = inspect.Parameter.empty
    fbm = [("octaves", 1), ("persistence", 0.5), ("lacunarity", 2.0)]
    assert params(compat.pnoise1) == [("x", empty), *fbm, ("repeat", 1024), ("base", 0)]
    assert params(compat.pnoise2) == [
        ("x", empty), ("y", empty), *fbm, ("repeatx", 1024.0), ("repeaty", 1024.0), ("base", 0)
    ]  # fmt: skip
    assert params(compat.pnoise3) == [
        ("x", empty), ("y", empty), ("z", empty), *fbm,
        ("repeatx", 1024), ("repeaty", 1024), ("repeatz", 1024), ("base", 0),
    ]  # fmt: skip
    assert params(compat.snoise2) == [
        ("x", empty), ("y", empty), *fbm, ("repeatx", None), ("repeaty", None), ("base", 0.0)
    ]  # fmt: skip
    assert params(compat.snoise3) == [("x", empty), ("y", empty), ("z", empty), *fbm]
    assert params(compat.snoise4) == [
        ("x", empty), ("y", empty), ("z", empty), ("w", empty), *fbm
    ]  # fmt: skip


def test_positional_arguments_like_noise() -> None:
    assert compat.pnoise2(0.3, 1.7, 3, 0.6, 2.5, 10.0, 12.0, 1) == noise.pnoise2(
        0.3, 1.7, 3, 0.6, 2.5, 10.0, 12.0, 1
    )
    assert compat.snoise2(0.3, 1.7, 3, 0.6, 2.5, 10.0, 12.0, 1.5) == noise.snoise2(
        0.3, 1.7, 3, 0.6, 2.5, 10.0, 12.0, 1.5
    )
    assert compat.pnoise3(0.3, 1.7, 0.2, 2, 0.5, 2.0, 5, 6, 7, 1) == noise.pnoise3(
        0.3, 1.7, 0.2, 2, 0.5, 2.0, 5, 6, 7, 1
    )


# ------------------------------------------------------------------------------------------
# Documented quirks
# ------------------------------------------------------------------------------------------
def test_quirks() -> None:
    x = np.arange(-300.0, 300.0, 1 / 64)
    # Period 256 whatever the repeat.
    assert np.array_equal(compat.pnoise1(x + 256.0), compat.pnoise1(x))
    assert np.array_equal(compat.pnoise2(x + 256.0, 0.4), compat.pnoise2(x, 0.4))
    # pnoise1's base is an exact shift of the hash.
    assert np.array_equal(compat.pnoise1(x, base=5), compat.pnoise1(x + 5.0))
    # pnoise2 is pnoise3 at z = 0.
    assert np.array_equal(compat.pnoise2(x, x / 3), compat.pnoise3(x, x / 3, 0.0))
    # Perlin noise vanishes on the lattice.
    assert not np.any(compat.pnoise3(np.arange(-5.0, 5.0), 2.0, -7.0))
    # snoise2's base is a window shift.
    assert compat.snoise2(1.25, 2.5, base=5.0) == compat.snoise2(6.25, 7.5)
    # Tiled snoise2 is a different function.
    assert compat.snoise2(1.3, 2.7, repeatx=1e6, repeaty=1e6) != compat.snoise2(1.3, 2.7)


# ------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(FUNCS))
@pytest.mark.parametrize("octaves", [0, -3, 129, 10**6])
def test_octaves_must_be_from_1_to_128(name: str, octaves: int) -> None:
    ours, theirs, _ = FUNCS[name]
    with pytest.raises(ValueError, match=rf"^octaves must be from 1 to 128, got {octaves}$"):
        ours(*SAMPLE_ARGS[name], octaves=octaves)
    if octaves < 1:  # noise refuses these too; it loops through any number above
        with pytest.raises(ValueError, match="octaves"):
            theirs(*SAMPLE_ARGS[name], octaves=octaves)


@pytest.mark.parametrize("name", list(FUNCS))
def test_octaves_type_and_range(name: str) -> None:
    ours, _, _ = FUNCS[name]
    with pytest.raises(TypeError, match=r"^octaves must be an int, got float 2\.0$"):
        ours(*SAMPLE_ARGS[name], octaves=2.0)
    with pytest.raises(OverflowError, match="octaves must fit in a C int"):
        ours(*SAMPLE_ARGS[name], octaves=2**31)


@pytest.mark.parametrize(
    ("name", "base", "allowed"),
    [
        ("pnoise1", -1, "an integer in 0..256"),
        ("pnoise1", 257, "an integer in 0..256"),
        ("pnoise2", -1, "0 or 1"),
        ("pnoise2", 2, "0 or 1"),
        ("pnoise3", -5, "0 or 1"),
        ("pnoise3", 8898, "0 or 1"),
    ],
)
def test_out_of_bounds_base_is_refused(name: str, base: int, allowed: str) -> None:
    ours, _, _ = FUNCS[name]
    with pytest.raises(ValueError, match=rf"^base must be {allowed} for {name}, got {base}: ") as e:
        ours(*SAMPLE_ARGS[name], base=base)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("name", ["pnoise1", "pnoise2", "pnoise3"])
def test_float_base_is_a_type_error_for_pnoise(name: str) -> None:
    ours, theirs, _ = FUNCS[name]
    with pytest.raises(TypeError, match=r"^base must be an int, got float 1\.5$"):
        ours(*SAMPLE_ARGS[name], base=1.5)
    with pytest.raises(TypeError):
        theirs(*SAMPLE_ARGS[name], base=1.5)


@pytest.mark.parametrize("name", ["snoise3", "snoise4"])
def test_snoise3_snoise4_have_no_base(name: str) -> None:
    ours, theirs, _ = FUNCS[name]
    with pytest.raises(TypeError, match="base"):
        ours(*SAMPLE_ARGS[name], base=1)
    with pytest.raises(TypeError, match="base"):
        theirs(*SAMPLE_ARGS[name], base=1)


@pytest.mark.parametrize("name", list(FUNCS))
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e39])
def test_non_finite_coordinate_is_refused(name: str, bad: float) -> None:
    ours, _, dims = FUNCS[name]
    args = list(SAMPLE_ARGS[name])
    args[-1] = bad
    last = "xyzw"[dims - 1]
    with pytest.raises(ValueError, match=rf"^{last} must be finite \(as float32\), got "):
        ours(*args)
    args[-1] = np.array([[0.5, 1.5], [2.5, bad]])
    with pytest.raises(ValueError, match=rf"^{last} must be finite .* at index \(1, 1\)$"):
        ours(*args)


@pytest.mark.parametrize("name", list(FUNCS))
def test_wrong_types(name: str) -> None:
    ours, _, _ = FUNCS[name]
    args = SAMPLE_ARGS[name]
    with pytest.raises(TypeError, match=r"^x must be a real number or an array of real numbers"):
        ours("0.5", *args[1:])
    with pytest.raises(TypeError, match=r"^x must be a real number or an array"):
        ours(1 + 2j, *args[1:])
    with pytest.raises(TypeError, match=r"^persistence must be a real number, got str"):
        ours(*args, persistence="0.5")
    with pytest.raises(TypeError, match=r"^lacunarity must be a real number, got NoneType"):
        ours(*args, lacunarity=None)
    with pytest.raises(ValueError, match=r"^persistence must be finite \(as float32\), got nan"):
        ours(*args, persistence=math.nan)


def test_repeat_errors() -> None:
    with pytest.raises(ValueError, match=r"^repeat must be a non-zero int, got 0"):
        compat.pnoise1(0.5, repeat=0)
    with pytest.raises(TypeError, match=r"^repeat must be an int, got float 10\.0$"):
        compat.pnoise1(0.5, repeat=10.0)
    with pytest.raises(ValueError, match=r"^lacunarity=0\.0 makes the per-octave repeat"):
        compat.pnoise1(0.5, octaves=2, lacunarity=0.0)
    with pytest.raises(ValueError, match=r"^repeatx must be non-zero and not NaN, got 0\.0$"):
        compat.pnoise2(0.5, 0.5, repeatx=0.0)
    with pytest.raises(ValueError, match=r"^repeaty must be non-zero and not NaN, got nan$"):
        compat.pnoise2(0.5, 0.5, repeaty=math.nan)
    with pytest.raises(ValueError, match=r"^repeatz must be a non-zero int, got 0$"):
        compat.pnoise3(0.5, 0.5, 0.5, repeatz=0)
    with pytest.raises(TypeError, match=r"^repeaty must be an int, got float"):
        compat.pnoise3(0.5, 0.5, 0.5, repeaty=2.5)
    with pytest.raises(ValueError, match=r"^repeatx must be finite and non-zero"):
        compat.snoise2(0.5, 0.5, repeatx=0.0)
    with pytest.raises(ValueError, match=r"^repeaty must be finite and non-zero .* got inf$"):
        compat.snoise2(0.5, 0.5, repeaty=math.inf)
    with pytest.raises(ValueError, match=r"^base must be finite \(as float32\), got nan$"):
        compat.snoise2(0.5, 0.5, base=math.nan)
    with pytest.raises(TypeError, match=r"^repeatx must be a real number, got str"):
        compat.snoise2(0.5, 0.5, repeatx="8")


def test_shapes_that_do_not_broadcast() -> None:
    with pytest.raises(ValueError, match=r"^coordinate shapes do not broadcast together: x\(3,\)"):
        compat.pnoise2(np.zeros(3), np.zeros(4))


# ------------------------------------------------------------------------------------------
# Threads: compat runs on the engine's one pool (wiktoria.common.parallel)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(FUNCS))
def test_threads_follow_wiktoria_num_threads(
    name: str, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, _, dims = FUNCS[name]
    monkeypatch.setenv("WIKTORIA_BACKEND", backend)
    monkeypatch.setattr(_compat_driver, "_CHUNK", 4096)  # many blocks at a small size
    pts = np.random.default_rng(7).uniform(-40.0, 40.0, (dims, 60, 400))
    pools: list[int] = []
    threads: set[str] = set()
    get_pool, mark_inside = parallel._get_pool, parallel._mark_inside

    def spy_pool(n: int) -> Any:
        pools.append(n)
        return get_pool(n)

    def spy_task(task: Callable[[], None]) -> None:
        threads.add(threading.current_thread().name)
        mark_inside(task)

    monkeypatch.setattr(parallel, "_get_pool", spy_pool)
    monkeypatch.setattr(parallel, "_mark_inside", spy_task)
    results = {}
    for n in (1, 3):
        monkeypatch.setenv("WIKTORIA_NUM_THREADS", str(n))
        pools.clear()
        threads.clear()
        results[n] = ours(*pts, octaves=2)
        if n == 1:  # inline, in this thread: no pool at all
            assert pools == [] and threads == set()
        else:  # the one pool, sized by the variable; tasks only on its threads
            assert pools == [3]
            assert threads and all(t.startswith("wiktoria") for t in threads)
            assert len(threads) <= 3
    assert np.array_equal(results[1], results[3])
