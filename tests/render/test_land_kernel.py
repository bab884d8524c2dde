"""The land's compiled geometry (``land._geometry``) gives the very bits of the numpy path:
``Form.distance``, ``Form.rim_distance`` and the arguments of the land's two ``exp``, for
every kind of range and wall; and whole paintings and loop frames are byte-identical on the
numpy and numba backends."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria.noise import _accel
from wiktoria.render.forms import Form
from wiktoria.render.layers import land

F32 = np.float32
pytestmark = pytest.mark.skipif(not _accel._numba_available(), reason="needs numba")


def numpy_terms(form: Form, rows: np.ndarray, width: int, dome: np.float32,
                rim_w: np.float32) -> list[np.ndarray]:
    """What the numpy path computes: distance, and the two exp arguments."""
    d, inside, gx, gy = form.distance(rows, width)
    rim_d = np.maximum(form.rim_distance(rows, width), 0)
    return [d, inside, gx, gy, -inside / dome, -rim_d / rim_w]


def kernel_terms(form: Form, rows: np.ndarray, width: int, dome: np.float32,
                 rim_w: np.float32) -> list[np.ndarray]:
    geometry = _accel.compiled(land._geometry)
    assert geometry is not None
    ln = form.lines()
    out = [np.empty((len(rows), width), F32) for _ in range(6)]
    geometry(ln.across, ln.sign, rows.astype(F32) + F32(0.5),
             np.arange(width, dtype=F32) + F32(0.5), np.clip(rows, 0, len(form.outline) - 1),
             ln.outline, ln.n, ln.so, ln.ns, ln.gx, ln.gy, ln.rim, dome, rim_w, *out)
    return out


@pytest.fixture(autouse=True)
def numba_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["bottom", "top", "left", "right"]),
       w=st.integers(1, 70), h=st.integers(1, 50), first=st.integers(0, 40),
       seed=st.integers(0, 2**32 - 1), jagged=st.floats(0.0, 40.0))
def test_geometry_is_the_numpy_paths_bits(kind: str, w: int, h: int, first: int, seed: int,
                                         jagged: float) -> None:
    rng = np.random.default_rng(seed)
    length = w if kind in ("bottom", "top") else max(1, h + first + int(rng.integers(-20, 4)))
    outline = (rng.uniform(-5, h + 5) + np.cumsum(rng.normal(0, jagged, length))).astype(F32)
    form = Form(kind, outline, float(rng.uniform()))
    rows = np.arange(first, first + h)  # a wall's rows may run past its outline (clipped)
    dome, rim_w = F32(rng.uniform(0.5, 40)), F32(rng.uniform(0.5, 9))
    for want, got in zip(numpy_terms(form, rows, w, dome, rim_w),
                         kernel_terms(form, rows, w, dome, rim_w), strict=True):
        want = np.broadcast_to(want, got.shape)
        assert want.dtype == got.dtype == F32
        np.testing.assert_array_equal(want.view(np.uint32), got.view(np.uint32))


def test_a_ring_has_no_lines() -> None:
    with pytest.raises(ValueError, match="a ring has no lines"):
        Form("ring", np.ones(8, F32), 0.5, cx=3, cy=3).lines()


@pytest.mark.parametrize(("mood", "style", "seed"), [
    ("seething", "landscape", 3), ("serene", "landscape", 8), ("labyrinthine", "landscape", 2),
    ("aloof", "landscape", 5), ("haunting", "marble", 1)])
def test_loop_frames_are_byte_identical_on_both_backends(
        monkeypatch: pytest.MonkeyPatch, mood: str, style: str, seed: int) -> None:
    from wiktoria.common import cache

    frames = {}
    for backend in ("numpy", "numba"):
        monkeypatch.setenv("WIKTORIA_BACKEND", backend)
        anim = wiktoria.animate(mood, size=(96, 72), seed=seed, style=style)
        with cache.caching(False):
            frames[backend] = [anim.frame_array(i) for i in (0, 7)]
    for a, b in zip(frames["numpy"], frames["numba"], strict=True):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["bottom", "top", "left", "right"]), w=st.integers(1, 60),
       h=st.integers(1, 60), seed=st.integers(0, 2**32 - 1))
def test_covered_at_some_columns_is_along_at_those_columns(kind: str, w: int, h: int,
                                                          seed: int) -> None:
    """``covered`` evaluates a range's or a wall's depth at the asked columns only."""
    from wiktoria.render.forms import covered

    rng = np.random.default_rng(seed)
    length = w if kind in ("bottom", "top") else int(rng.integers(1, h + 10))
    form = Form(kind, rng.uniform(-5, max(w, h) + 5, length).astype(F32), 0.3)
    rows = np.sort(rng.integers(0, h + 5, int(rng.integers(1, 20))))
    cols = np.sort(rng.integers(0, w, int(rng.integers(1, 20))))
    want = np.broadcast_to(form.along(rows, w)[0], (len(rows), w))[:, cols] > 0
    np.testing.assert_array_equal(covered([form], rows, cols, w), want)


@settings(max_examples=80, deadline=None)
@given(kind=st.sampled_from(["bottom", "top"]), w=st.integers(1, 60), h=st.integers(1, 60),
       first=st.integers(0, 80), seed=st.integers(0, 2**32 - 1),
       jagged=st.floats(0.0, 30.0))
def test_a_range_covers_nothing_beyond_its_reach(kind: str, w: int, h: int, first: int,
                                                 seed: int, jagged: float) -> None:
    """The rows of a band the land's kernels skip for a range (``land._reach``) are those
    where its cover, ``clip(d + 0.5, 0, 1)`` of the numpy path's distance, is 0 throughout,
    and the rows kept are contiguous (a slice)."""
    rng = np.random.default_rng(seed)
    outline = (rng.uniform(-5, first + h + 5) + np.cumsum(rng.normal(0, jagged, w))).astype(F32)
    form = Form(kind, outline, 0.5)
    rows = np.arange(first, first + h)
    part = land._reach(form.lines(), rows.astype(F32) + F32(0.5))
    assert 0 <= part.start <= part.stop <= h and part.step is None
    cover = np.clip(form.distance(rows, w)[0] + F32(0.5), 0, 1)
    outside = np.ones(h, bool)
    outside[part] = False
    assert not cover[outside].any()
