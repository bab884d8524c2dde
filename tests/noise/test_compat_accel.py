"""The numba backend of :mod:`wiktoria.noise.compat` (``wiktoria.noise._compat_jit``): bit-identity.

The compiled kernels promise the same bits as compat's numpy path, and so as the ``noise`` C
extension, so everything here compares exactly (``assert_array_equal``: equal values, NaN in
the same places), never with a tolerance.  ``tests/test_compat.py`` runs its main oracle test
on both backends; the other tests there run on the default backend (numba when installed).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from typing import Any

import noise
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.noise.test_compat import FUNCS, random_coords  # the same coordinates as the oracle tests
from wiktoria import compat
from wiktoria.noise import _compat_driver

pytest.importorskip("numba")

N_POINTS = 20_000

def both(monkeypatch: pytest.MonkeyPatch, func: Callable[..., Any], *args: Any, **kw: Any):
    """``func(*args, **kw)`` on the numpy backend, then on the numba backend."""
    monkeypatch.setenv("WIKTORIA_BACKEND", "numpy")
    ref = func(*args, **kw)
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    got = func(*args, **kw)
    return ref, got


def assert_same(ref: Any, got: Any) -> None:
    if isinstance(ref, float):
        assert type(got) is float
        assert got == ref or (math.isnan(got) and math.isnan(ref))
        return
    assert got.dtype == ref.dtype == np.float64
    assert got.shape == ref.shape
    np.testing.assert_array_equal(got, ref, strict=True)


def oracle(func: Callable[..., float], cols: list[np.ndarray], kwargs: dict) -> np.ndarray:
    lists = [c.tolist() for c in cols]
    return np.array([func(*pt, **kwargs) for pt in zip(*lists, strict=True)])


# Parameter sets per function: 1-8 octaves, odd persistence / lacunarity, repeats, bases, and
# the degenerate per-octave repeats (0, tiny, inf) and overflowing frequencies of the C code.
CASES: list[tuple[str, dict]] = [
    ("pnoise1", {}),
    ("pnoise1", {"octaves": 8, "persistence": 0.35, "lacunarity": 3.0}),
    ("pnoise1", {"octaves": 5, "persistence": 0.73, "lacunarity": 1.7, "repeat": 7}),
    ("pnoise1", {"repeat": 10, "base": 37}),
    ("pnoise1", {"repeat": -300, "octaves": 2, "base": 256}),
    ("pnoise1", {"repeat": 2**31 - 1, "octaves": 3, "persistence": 1.3}),
    ("pnoise1", {"repeat": 512, "octaves": 6, "lacunarity": 2.0, "base": 255}),
    ("pnoise1", {"octaves": 3, "lacunarity": 1e30}),
    ("pnoise2", {}),
    ("pnoise2", {"octaves": 8, "persistence": 0.35, "lacunarity": 3.0, "base": 1}),
    ("pnoise2", {"octaves": 6, "repeatx": 256.0, "repeaty": 512.0}),
    ("pnoise2", {"octaves": 3, "repeatx": 10.5, "repeaty": 7.25}),
    ("pnoise2", {"octaves": 4, "repeatx": 1024.0, "repeaty": 3.3, "lacunarity": 2.1}),
    ("pnoise2", {"octaves": 2, "repeatx": -12.0, "repeaty": 1e30}),
    ("pnoise2", {"octaves": 4, "repeatx": math.inf, "repeaty": 0.001, "persistence": 0.6}),
    ("pnoise2", {"octaves": 2, "repeatx": 3.0, "lacunarity": 0.0}),
    ("pnoise2", {"octaves": 3, "lacunarity": 1e10}),
    ("pnoise3", {}),
    ("pnoise3", {"octaves": 7, "persistence": 0.55, "lacunarity": 1.9, "base": 1}),
    ("pnoise3", {"repeatx": 10, "repeaty": 16, "repeatz": 5}),
    ("pnoise3", {"octaves": 3, "repeatx": 7, "repeaty": 300, "repeatz": -9, "lacunarity": 2.5}),
    ("pnoise3", {"octaves": 6, "repeatx": 256, "repeaty": 256, "repeatz": 2**31 - 1}),
    ("pnoise3", {"octaves": 4, "repeatx": 3, "repeaty": 5, "lacunarity": 0.5}),
    ("pnoise3", {"octaves": 3, "lacunarity": 1e30}),
    ("snoise2", {}),
    ("snoise2", {"octaves": 8, "persistence": 0.35, "lacunarity": 3.0}),
    ("snoise2", {"octaves": 6, "lacunarity": 2.3, "base": 12.25}),
    ("snoise2", {"octaves": 3, "base": -3.7, "persistence": 0.9, "lacunarity": 0.5}),
    ("snoise2", {"repeatx": 8.0}),
    ("snoise2", {"repeaty": 12.5, "base": 0.5, "octaves": 5, "persistence": 0.7}),
    ("snoise2", {"repeatx": 10.0, "repeaty": 33.3, "octaves": 4, "base": 2.5}),
    ("snoise2", {"repeatx": -20.0, "repeaty": 1e6, "octaves": 2}),
    ("snoise2", {"repeaty": 0.75, "octaves": 8, "lacunarity": 1.9, "persistence": 0.6}),
    ("snoise2", {"repeatx": 8.0, "repeaty": 9.0, "octaves": 3, "lacunarity": 1e30}),
    ("snoise2", {"octaves": 3, "lacunarity": 1e30}),
    ("snoise3", {}),
    ("snoise3", {"octaves": 8, "persistence": 0.35, "lacunarity": 3.0}),
    ("snoise3", {"octaves": 5, "persistence": 0.73, "lacunarity": 1.7}),
    ("snoise3", {"octaves": 3, "lacunarity": 1e30}),
    ("snoise4", {}),
    ("snoise4", {"octaves": 8, "persistence": 0.35}),
    ("snoise4", {"octaves": 5, "persistence": 0.73, "lacunarity": 1.7}),
    ("snoise4", {"octaves": 3, "persistence": 1.25}),
]
IDS = [f"{n}-{i}" for i, (n, _) in enumerate(CASES)]


def seed_of(name: str, kwargs: dict) -> int:
    return zlib.crc32(f"accel {name}{sorted(kwargs.items())}".encode())


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=IDS)
def test_scattered_points_identical(
    monkeypatch: pytest.MonkeyPatch, name: str, kwargs: dict
) -> None:
    ours, _, dims = FUNCS[name]
    cols = random_coords(seed_of(name, kwargs), N_POINTS, dims)
    assert_same(*both(monkeypatch, ours, *cols, **kwargs))


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=IDS)
def test_grids_identical(monkeypatch: pytest.MonkeyPatch, name: str, kwargs: dict) -> None:
    # (1, W) / (H, 1) axis vectors (with scalars or a third axis for the other coordinates),
    # the same grid expanded to full arrays, and a 3-D broadcast.
    ours, _, dims = FUNCS[name]
    rng = np.random.default_rng(seed_of(name, kwargs))
    xs = np.concatenate([rng.uniform(-60, 60, 150), rng.uniform(-1e6, 1e6, 30)])[None, :]
    ys = np.concatenate([rng.uniform(-60, 60, 100), rng.uniform(-1e4, 1e4, 20)])[:, None]
    extra: list[Any] = [np.float64(-2.75), rng.uniform(-30, 30, (1, 1))][: max(0, dims - 2)]
    args = [xs[0]] if dims == 1 else [xs, ys, *extra]
    grid, grid_numba = both(monkeypatch, ours, *args, **kwargs)
    assert_same(grid, grid_numba)
    full = [np.broadcast_to(a, grid.shape) for a in args]
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    assert_same(grid, ours(*full, **kwargs))
    if dims >= 2:
        cube = [
            rng.uniform(-50, 50, (1, 1, 90)),
            rng.uniform(-50, 50, (1, 40, 1)),
            rng.uniform(-5e5, 5e5, (3, 1, 1)),
            np.float64(0.5),
        ][:dims]
        assert_same(*both(monkeypatch, ours, *cube, **kwargs))


def test_scalars_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    # Scalar input (Python, NumPy or 0-d) also goes through the kernels and returns a float.
    rng = np.random.default_rng(12)
    for name, kwargs in CASES:
        ours, _, dims = FUNCS[name]
        for point in rng.uniform(-1e3, 1e3, (5, dims)):
            for args in (
                point.tolist(),
                [np.float32(v) for v in point],
                [np.array(v) for v in point],
            ):
                assert_same(*both(monkeypatch, ours, *args, **kwargs))


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize(("name", "kwargs"), CASES[::3], ids=IDS[::3])
def test_both_backends_match_oracle_including_sign_of_zero(
    monkeypatch: pytest.MonkeyPatch, name: str, kwargs: dict, backend: str
) -> None:
    monkeypatch.setenv("WIKTORIA_BACKEND", backend)
    ours, theirs, dims = FUNCS[name]
    cols = random_coords(seed_of(name, kwargs) + 1, 3000, dims)
    cols[0][:300] = np.round(cols[0][:300])  # lattice points: noise is +-0 there
    if dims > 1:
        cols[1][:200] = np.round(cols[1][:200])
    got = ours(*cols, **kwargs)
    want = oracle(theirs, cols, kwargs)
    np.testing.assert_array_equal(got, want, strict=True)
    # The kernels follow the C code to the sign of zero (C's pnoise fBm sums start at 0.0f).
    ok = np.isnan(want) | (np.signbit(got) == np.signbit(want))
    assert ok.all(), f"sign of zero differs at {np.flatnonzero(~ok)[:5]}"


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("octaves", [2, 3, 6])
def test_pnoise_fbm_zero_is_positive_like_c(
    monkeypatch: pytest.MonkeyPatch, octaves: int, backend: str
) -> None:
    # At integers pnoise1 is +-0 in every octave.  C sums 0.0f + n0 * amp + ..., which turns a
    # -0.0 first octave into +0.0; both backends do the same.
    monkeypatch.setenv("WIKTORIA_BACKEND", backend)
    xs = np.arange(-300.0, 300.0)
    got = compat.pnoise1(xs, octaves=octaves)
    want = oracle(noise.pnoise1, [xs], {"octaves": octaves})
    np.testing.assert_array_equal(got, want, strict=True)
    assert np.array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("name", list(FUNCS))
def test_blocks_threads_and_layouts_do_not_matter(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Big enough for many blocks on the thread pool; the result must not depend on the block
    # size, the threads, or the memory layout and dtype of the coordinates.
    ours, _, dims = FUNCS[name]
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    rng = np.random.default_rng(3)
    pts = rng.uniform(-200, 200, (dims, 300, 700))
    ref = ours(*pts, octaves=3, persistence=0.6)
    monkeypatch.setattr(_compat_driver, "_CHUNK", 3000)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "1")
    assert_same(ref, ours(*pts, octaves=3, persistence=0.6))
    monkeypatch.undo()
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    variants = [
        [p.astype(np.float32) for p in pts],
        [np.asfortranarray(p) for p in pts],
        [p.T.copy().T for p in pts],  # non-contiguous views
        [p.astype(">f8") for p in pts],
    ]
    for args in variants:
        assert_same(ref, ours(*args, octaves=3, persistence=0.6))
    sub = [p[::3, 1::2] for p in pts]  # strided
    assert_same(ref[::3, 1::2], ours(*sub, octaves=3, persistence=0.6))
    assert ours(*([np.empty((0, 4))] * dims)).shape == (0, 4)


def test_one_compiled_signature_per_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the input (dtype, layout, scalar, read-only), the kernels see one type
    # signature: each further one would cost seconds of compilation.
    from wiktoria.noise import _compat_jit

    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    ro = np.linspace(-5, 5, 33)
    ro.flags.writeable = False
    for ours, _, dims in FUNCS.values():
        for args in ([0.5] * dims, [ro] * dims, [np.arange(7)] * dims, [np.ones((3, 4))] * dims):
            ours(*args, octaves=2)
    compat.snoise2(ro, ro, repeatx=4.0)
    for name in _compat_jit.__all__:
        kernel = getattr(_compat_jit, name)
        if hasattr(kernel, "signatures"):
            assert len(kernel.signatures) <= 1, (name, kernel.signatures)


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(-1e6, 1e6),
    y=st.floats(-1e6, 1e6),
    z=st.floats(-1e6, 1e6),
    octaves=st.integers(1, 8),
    persistence=st.floats(0.05, 1.5),
    lacunarity=st.floats(0.25, 4.0),
    repeat=st.one_of(st.none(), st.floats(0.25, 1e4), st.integers(1, 4096)),
    base=st.integers(0, 1),
)
def test_property_patches_identical(
    x: float,
    y: float,
    z: float,
    octaves: int,
    persistence: float,
    lacunarity: float,
    repeat: float | int | None,
    base: int,
) -> None:
    # Around a drawn point, a small patch: hypothesis picks the place, the patch the detail.
    offs = np.linspace(-1.3, 1.3, 11)
    px, py, pz = x + offs, y + np.roll(offs, 3), z + np.roll(offs, 7)
    fbm = {"octaves": octaves, "persistence": persistence, "lacunarity": lacunarity}
    fbm1 = {**fbm, "lacunarity": max(lacunarity, 1.0)}  # pnoise1: no per-octave repeat of 0
    calls: list[tuple[Callable[..., Any], tuple, dict]] = [
        (compat.pnoise1, (px,), {**fbm1, "base": base}),
        (compat.pnoise2, (px, py), {**fbm, "base": base}),
        (compat.pnoise3, (px, py, pz), {**fbm, "base": base}),
        (compat.snoise2, (px, py), {**fbm, "base": z / 1e3}),
        (compat.snoise3, (px, py, pz), fbm),
        (compat.snoise4, (px, py, pz, px - py), fbm),
    ]
    if repeat is not None:
        r = float(repeat)
        ir = max(1, int(repeat))
        calls += [
            (compat.pnoise1, (px,), {**fbm1, "repeat": ir}),
            (compat.pnoise2, (px, py), {**fbm, "repeatx": r, "repeaty": r * 0.7}),
            (compat.pnoise3, (px, py, pz), {**fbm, "repeatx": ir, "repeaty": ir + 3}),
            (compat.snoise2, (px, py), {**fbm, "repeatx": r}),
            (compat.snoise2, (px, py), {**fbm, "repeaty": r, "base": 1.5}),
            (compat.snoise2, (px, py), {**fbm, "repeatx": r, "repeaty": r + 1.0}),
        ]
    with pytest.MonkeyPatch.context() as mp:
        for func, args, kwargs in calls:
            assert_same(*both(mp, func, *args, **kwargs))
