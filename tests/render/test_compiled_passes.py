"""Compiled passes give the numpy paths' very bits: ``interp_grid``, the paper's grain."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiktoria.noise import _accel
from wiktoria.render import layer

F32 = np.float32
pytestmark = pytest.mark.skipif(not _accel._numba_available(), reason="needs numba")


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), gh=st.integers(2, 30), gw=st.integers(2, 30),
       h=st.integers(1, 90), w=st.integers(1, 120), first=st.integers(-5, 40))
def test_the_kernel_is_the_numpy_paths_bits(seed: int, gh: int, gw: int, h: int, w: int,
                                            first: int) -> None:
    rng = np.random.default_rng(seed)
    grid = rng.normal(0, 1, (gh, gw)).astype(F32)
    gy = np.linspace(-1.0, h + first + 3, gh)
    gx = np.linspace(-1.0, w + 2, gw)
    rows, cols = np.arange(first, first + h), np.arange(w)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(layer, "_INTERP_MIN", 0)  # the kernel whatever the size
        mp.setenv("WIKTORIA_BACKEND", "numba")
        got = layer.interp_grid(grid, gy, gx, rows, cols)
        mp.setenv("WIKTORIA_BACKEND", "numpy")
        want = layer.interp_grid(grid, gy, gx, rows, cols)
    assert got.dtype == want.dtype == F32 and got.shape == want.shape == (h, w)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


def test_other_grids_stay_on_numpy() -> None:
    """A float64 grid takes the numpy path, in float64."""
    gy, gx = np.array([0.0, 10.0]), np.array([0.0, 5.0, 10.0])
    g64 = np.arange(6, dtype=np.float64).reshape(2, 3)
    out = layer.interp_grid(g64, gy, gx, np.arange(3), np.arange(4))
    assert out.dtype == np.float64 and out[0, 2] == pytest.approx(0.4)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), h=st.integers(1, 40), w=st.integers(1, 60),
       grain=st.booleans(), vig=st.booleans())
def test_the_paper_kernel_is_the_numpy_paths_bits(seed: int, h: int, w: int, grain: bool,
                                                  vig: bool) -> None:
    """The paper's compiled pass (``paper._apply``) gives the bits of its numpy path: the
    tooth's factor plus the grain scaled by the value under it, times the vignette."""
    from wiktoria.render.layers import paper

    rng = np.random.default_rng(seed)
    base = rng.uniform(0.9, 1.1, (h, w)).astype(F32)
    g = rng.standard_normal((h, w), dtype=F32)
    v = rng.uniform(0.5, 1.0, (h, w)).astype(F32)
    buf = rng.uniform(0, 1, (h, w, 3)).astype(F32)
    amount = F32(rng.uniform(0, 0.3))
    factor = base.copy()  # the numpy path, as PaperRenderer.band writes it
    if grain:
        lum = F32(0.2126) * buf[..., 0] + F32(0.7152) * buf[..., 1] + F32(0.0722) * buf[..., 2]
        factor += amount * (F32(4) * np.sqrt(lum) * (F32(1) - np.sqrt(lum))) * g
    if vig:
        factor *= v
    want = buf * factor[..., None]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WIKTORIA_BACKEND", "numba")
        kernel = _accel.compiled(paper._apply)
    assert kernel is not None
    got = buf.copy()
    kernel(layer.kernel_array(base, base.shape), grain, layer.kernel_array(g, base.shape),
           amount, vig, layer.kernel_array(v, base.shape), got)
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))
