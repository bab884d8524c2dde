"""Tests of the flow-field strokes layer: determinism, shapes, anti-aliasing, continuity, clipping,
the bilinear field sampler, curl versus laminar paths and every error message."""

from __future__ import annotations

import doctest
import math
import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from wiktoria.render import strokes
from wiktoria.render.strokes import (
    StrokeLayer,
    StrokeParams,
    VectorField,
    flow_field,
    params,
    render_strokes,
    sample_bilinear,
    seeding,
    trace,
    tracing,
)
from wiktoria.render.strokes.seeding import make_swarm

W, H = 160, 90


def uniform_field(angle: float, width: int = W, height: int = H) -> VectorField:
    """A constant unit velocity at ``angle``, covering the canvas and a margin."""
    rows, cols = height // 4 + 40, width // 4 + 40
    return VectorField(
        np.full((rows, cols), math.cos(angle)),
        np.full((rows, cols), math.sin(angle)),
        origin=(-80.0, -80.0),
        spacing=4.0,
    )


def single_stroke(angle: float, **kw: object) -> tuple[StrokeLayer, float, float, StrokeParams]:
    """Render one straight stroke that lies well inside the canvas; return it and its start.

    A weight map of ones seeds on the canvas and clips nothing; the seed is searched so that
    the whole stroke (start to end) stays 6 px inside the canvas.
    """
    weight = np.ones((H, W), np.float32)
    kw = {"count": 1, "length": 60.0, "length_spread": 0.0, "opacity_spread": 0.0,
          "width": (1.0, 1.0), "opacity": 1.0, **kw}
    dx, dy = math.cos(angle), math.sin(angle)
    for seed in range(2000):
        p = StrokeParams(seed=seed, **kw)  # type: ignore[arg-type]
        sw = make_swarm(W, H, p, weight)
        x0, y0 = float(sw.x0[0]), float(sw.y0[0])
        x1, y1 = x0 + p.length * dx, y0 + p.length * dy
        if min(x0, x1) > 6 and max(x0, x1) < W - 7 and min(y0, y1) > 6 and max(y0, y1) < H - 7:
            layer = render_strokes(W, H, p, weight=weight, field=uniform_field(angle))
            return layer, x0, y0, p
    raise AssertionError("no seed puts the stroke inside the canvas")  # pragma: no cover


# ---------------------------------------------------------------------------- outputs, seeds


def test_shapes_dtypes_and_ranges() -> None:
    layer = render_strokes(W, H, StrokeParams(count=2000, seed=1))
    assert isinstance(layer, StrokeLayer)
    for a in (layer.density, layer.tone):
        assert a.shape == (H, W)
        assert a.dtype == np.float32
        assert np.isfinite(a).all()
        assert a.min() >= 0 and a.max() <= 1
    assert isinstance(layer.coverage, float) and 0.05 < layer.coverage < 0.95
    assert layer.coverage == pytest.approx(float(layer.density.mean()), rel=1e-6)
    assert isinstance(layer.n_strokes, int) and 0 < layer.n_strokes <= 2000
    # Both sparse and dense regions keep structure: nothing is burnt flat.
    assert np.mean(layer.density > 0.98) < 0.01
    assert np.all(layer.tone[layer.density == 0] == 0)
    assert layer.tone[layer.density > 0.2].std() > 0.1


def test_same_seed_same_arrays_whatever_the_thread_count(monkeypatch: pytest.MonkeyPatch) -> None:
    p = StrokeParams(count=3000, curl=0.7, seed=11, t=0.4, period=3)
    # A field grid of ~580k nodes: the noise core splits it into blocks on its thread pool.
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "1")
    f1 = flow_field(640, 360, p, spacing=1.0)
    a = render_strokes(240, 135, p)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "2")
    f2 = flow_field(640, 360, p, spacing=1.0)
    assert f1.u.size > 500_000
    assert np.array_equal(f1.u, f2.u) and np.array_equal(f1.v, f2.v)
    b = render_strokes(240, 135, p)
    c = render_strokes(240, 135, p)
    for other in (b, c):
        assert np.array_equal(a.density, other.density)
        assert np.array_equal(a.tone, other.tone)
        assert a.coverage == other.coverage and a.n_strokes == other.n_strokes
    # An animation frame too.
    q = replace(p, cycles=2, phase=0.7)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "1")
    d = render_strokes(240, 135, q)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "2")
    e = render_strokes(240, 135, q)
    assert np.array_equal(d.density, e.density) and np.array_equal(d.tone, e.tone)


def test_different_seeds_differ() -> None:
    a = render_strokes(W, H, StrokeParams(count=1500, seed=1))
    b = render_strokes(W, H, StrokeParams(count=1500, seed=2))
    assert np.abs(a.density - b.density).mean() > 0.05
    # The field itself changes with the seed, not only the stroke positions.
    fa = flow_field(W, H, StrokeParams(seed=1))
    fb = flow_field(W, H, StrokeParams(seed=2))
    assert np.abs(fa.u - fb.u).mean() > 0.1


def test_raising_count_keeps_the_existing_strokes() -> None:
    small = make_swarm(W, H, StrokeParams(count=100, seed=5), None)
    big = make_swarm(W, H, StrokeParams(count=300, seed=5), None)
    for name in ("x0", "y0", "n_steps", "ink", "value", "radius"):
        assert np.array_equal(getattr(small, name), getattr(big, name)[:100]), name


def test_more_strokes_more_ink_and_gain_darkens() -> None:
    few = render_strokes(W, H, StrokeParams(count=500, seed=3))
    many = render_strokes(W, H, StrokeParams(count=4000, seed=3))
    strong = render_strokes(W, H, StrokeParams(count=500, seed=3, gain=4.0))
    assert few.coverage < many.coverage
    assert few.coverage < strong.coverage
    assert np.all(strong.density >= few.density)


@pytest.mark.parametrize("tone", ["stroke", "along", "speed"])
def test_tone_modes(tone: str) -> None:
    layer = render_strokes(W, H, StrokeParams(count=1500, seed=4, curl=0.8, tone=tone))  # type: ignore[arg-type]
    inked = layer.tone[layer.density > 0.05]
    assert inked.size > 1000
    assert inked.min() >= 0 and inked.max() <= 1
    assert inked.max() - inked.min() > 0.4


def test_along_tone_runs_from_tail_to_head() -> None:
    layer, *_ = single_stroke(0.0, tone="along", gain=1.0)
    rows = layer.density.sum(axis=1)
    row = int(np.argmax(rows))
    xs = np.flatnonzero(layer.density[row] > 0.05)
    tone = layer.tone[row, xs]
    assert tone[0] < 0.2 and tone[-1] > 0.8
    assert np.all(np.diff(tone) > -1e-3)


def test_stroke_tones_are_uniform_and_spatially_coherent() -> None:
    sw = make_swarm(480, 270, StrokeParams(count=20_000, seed=8), None)
    hist, _ = np.histogram(sw.value, bins=10, range=(0, 1))
    assert hist.min() > 0.6 * hist.max()
    # Neighbouring strokes share a family of values: nearest neighbours correlate.
    order = np.lexsort((sw.x0 // 20, sw.y0 // 20))
    v = sw.value[order]
    assert np.corrcoef(v[:-1], v[1:])[0, 1] > 0.3


# ------------------------------------------------------------------ anti-aliasing, continuity


def test_a_single_diagonal_stroke_is_anti_aliased() -> None:
    layer, *_ = single_stroke(0.55, gain=3.0)
    d = layer.density
    ink = d[d > 0]
    assert ink.size > 100
    levels = np.unique(np.round(ink, 4))
    assert levels.size > 40  # many intermediate levels, not a hard 0/1 line
    assert np.mean(ink < 0.8 * ink.max()) > 0.3
    assert layer.n_strokes == 1


@pytest.mark.parametrize("angle", [0.0, 0.55, 1.2, 2.4])
def test_a_stroke_is_continuous_without_beading(angle: float) -> None:
    layer, x0, y0, p = single_stroke(angle, gain=0.05)
    raw = -np.log1p(-layer.density.astype(np.float64)) / p.gain
    dx, dy = math.cos(angle), math.sin(angle)
    # Ink per unit of length, measured across the stroke's middle (where the taper is 1):
    # sum the ink in the columns (or rows, for steep strokes) it crosses there.
    if abs(dx) >= abs(dy):
        lo, hi = sorted((x0 + 0.3 * p.length * dx, x0 + 0.7 * p.length * dx))
        per = raw.sum(axis=0)[math.ceil(lo):math.floor(hi) + 1] * abs(dx)
    else:
        lo, hi = sorted((y0 + 0.3 * p.length * dy, y0 + 0.7 * p.length * dy))
        per = raw.sum(axis=1)[math.ceil(lo):math.floor(hi) + 1] * abs(dy)
    assert per.size > 15
    assert per.min() > 0  # no gaps
    # Every column (row) gets exactly the ink of the length crossing it: no dots or beads.
    np.testing.assert_allclose(per, 1.0, rtol=1e-3)  # opacity 1, width 1: one unit per px


def test_wide_strokes_are_wide_with_the_same_peak() -> None:
    def profile(width: float) -> np.ndarray:
        layer, x0, _, p = single_stroke(0.0, width=(width, width), gain=0.05)
        return layer.density[:, round(x0 + 0.5 * p.length)]  # across the stroke's middle

    t, w = profile(1.0), profile(5.0)
    assert np.sum(w > 0.5 * w.max()) >= 4 > np.sum(t > 0.5 * t.max())
    # The same peak: ink is proportional to width, spread over the width.
    assert w.max() == pytest.approx(1 - math.exp(-0.05), rel=0.25)
    assert w.sum() == pytest.approx(5 * t.sum(), rel=0.02)


def test_traced_paths_are_continuous() -> None:
    field = flow_field(W, H, StrokeParams(curl=1.0, seed=2))
    rng = np.random.default_rng(0)
    xs, ys = trace(field, rng.uniform(0, W, 500), rng.uniform(0, H, 500), steps=60, step=1.5)
    assert xs.shape == ys.shape == (61, 500) and xs.dtype == np.float32
    d = np.hypot(np.diff(xs, axis=0), np.diff(ys, axis=0))
    assert d.max() <= 1.5 * (1 + 1e-4)
    assert np.median(d) == pytest.approx(1.5, rel=1e-3)


def test_trace_without_normalising_follows_the_velocity() -> None:
    f = VectorField(np.full((4, 4), 2.0), np.full((4, 4), -1.0))
    xs, ys = trace(f, 1.0, 2.0, steps=2, step=0.25, normalize=False)
    assert xs[:, 0].tolist() == [1.0, 1.5, 2.0]
    assert ys[:, 0].tolist() == [2.0, 1.75, 1.5]


def test_zero_field_leaves_particles_still() -> None:
    f = VectorField(np.zeros((3, 3)), np.zeros((3, 3)))
    xs, ys = trace(f, [0.5, 1.0], [0.5, 2.0], steps=3, step=1.0)
    assert np.all(xs == xs[0]) and np.all(ys == ys[0])


# ---------------------------------------------------------------------------- weight map


def test_weight_map_clips_and_seeds() -> None:
    weight = np.zeros((H, W), np.float32)
    weight[:, 80:] = 1.0
    weight[30:60, 100:140] = 0.25
    p = StrokeParams(count=3000, seed=6, curl=0.9, width=(0.7, 9.0))
    layer = render_strokes(W, H, p, weight=weight)
    assert np.all(layer.density[:, :80] == 0)
    assert np.all(layer.tone[:, :80] == 0)
    assert layer.density[:, 80:].mean() > 0.1

    p = StrokeParams(count=40_000, length=20.0, seed=6)
    sw = make_swarm(W, H, p, weight)
    col = np.round(sw.x0).astype(int)
    row = np.round(sw.y0).astype(int)
    # Seeds cover the canvas and a margin of one median length, where the weight is the
    # nearest edge pixel's: no seed where that weight is 0.
    assert col.min() >= 80 - 1 and col.max() <= W - 1 + 20 and row.min() >= -20
    assert col.max() > W + 10 and row.min() < -10 and row.max() > H + 10
    assert np.all(weight[np.clip(row, 0, H - 1), np.clip(col, 0, W - 1)] > 0)
    # Seed density is proportional to the weight: 1 against 0.25 per pixel.
    on = (col < W) & (row >= 0) & (row < H)
    w_at = weight[row[on], col[on]]
    full = np.sum(w_at == 1.0) / np.sum(weight == 1.0)
    quarter = np.sum(w_at == 0.25) / np.sum(weight == 0.25)
    assert full / quarter == pytest.approx(4.0, rel=0.15)


def test_soft_weight_scales_the_ink() -> None:
    p = StrokeParams(count=2000, seed=9, gain=0.05)
    ones = render_strokes(W, H, p, weight=np.ones((H, W), np.float32))
    half = render_strokes(W, H, p, weight=np.full((H, W), 0.5, np.float32))
    # Same seeds (the weights are proportional), half the raw ink, the same tones.
    raw_ones = -np.log1p(-ones.density.astype(np.float64)) / p.gain
    raw_half = -np.log1p(-half.density.astype(np.float64)) / p.gain
    np.testing.assert_allclose(raw_half, raw_ones * 0.5, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(half.tone, ones.tone, atol=1e-4)


# --------------------------------------------------------------------------- field and sampler


@st.composite
def grids(draw: st.DrawFn) -> np.ndarray:
    shape = (draw(st.integers(1, 6)), draw(st.integers(1, 6)))
    elements = st.floats(-1000, 1000, width=32, allow_nan=False, allow_infinity=False)
    return draw(hnp.arrays(np.float32, shape, elements=elements))


@settings(max_examples=60, deadline=None)
@given(grids())
def test_sampler_is_exact_on_nodes(grid: np.ndarray) -> None:
    rows, cols = grid.shape
    jj, ii = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    out = sample_bilinear(grid, ii.astype(np.float32), jj.astype(np.float32))
    assert out.dtype == np.float32
    assert np.array_equal(out, grid)


@settings(max_examples=60, deadline=None)
@given(grids(), st.data())
def test_sampler_is_linear_between_nodes(grid: np.ndarray, data: st.DataObject) -> None:
    rows, cols = grid.shape
    j = data.draw(st.integers(0, rows - 1))
    i = data.draw(st.integers(0, cols - 1))
    t = data.draw(st.floats(0, 1))
    scale = float(np.abs(grid).max()) + 1
    if i + 1 < cols:  # along x
        got = float(sample_bilinear(grid, np.float32(i + t), np.float32(j)))
        want = (1 - t) * float(grid[j, i]) + t * float(grid[j, i + 1])
        assert got == pytest.approx(want, abs=2e-6 * scale)
    if j + 1 < rows:  # along y
        got = float(sample_bilinear(grid, np.float32(i), np.float32(j + t)))
        want = (1 - t) * float(grid[j, i]) + t * float(grid[j + 1, i])
        assert got == pytest.approx(want, abs=2e-6 * scale)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(-5, 5), st.floats(-5, 5), st.floats(-5, 5),
    st.lists(st.tuples(st.floats(-3, 10), st.floats(-3, 10)), min_size=1, max_size=20),
)
def test_sampler_reproduces_affine_fields_and_clamps(
    a: float, b: float, c: float, points: list[tuple[float, float]]
) -> None:
    rows, cols = 6, 8
    jj, ii = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    grid = a + b * ii + c * jj  # float64
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    got = sample_bilinear(grid, xs, ys)
    cx, cy = np.clip(xs, 0, cols - 1), np.clip(ys, 0, rows - 1)  # clamped to the edge
    np.testing.assert_allclose(got, a + b * cx + c * cy, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 9), cols=st.integers(1, 9), n=st.integers(1, 50),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2**32 - 1))
def test_compiled_sampler_gives_the_numpy_bits(rows: int, cols: int, n: int, dtype: type,
                                              seed: int) -> None:
    rng = np.random.default_rng(seed)
    grid = rng.normal(0, 3, (rows, cols)).astype(dtype)
    xs = rng.uniform(-3, cols + 2, n).astype(dtype)
    ys = rng.uniform(-3, rows + 2, n).astype(dtype)
    xs[: n // 4] = np.round(xs[: n // 4])  # on nodes and edges too
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WIKTORIA_BACKEND", "numpy")
        want = sample_bilinear(grid, xs, ys)
        mp.setenv("WIKTORIA_BACKEND", "numba")
        got = sample_bilinear(grid, xs, ys)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_array_equal(got, want)
    other = rng.normal(0, 3, (rows, cols)).astype(dtype)
    both = strokes.field.sample_stack([grid, other], xs, ys)
    np.testing.assert_array_equal(both[0], want)
    np.testing.assert_array_equal(both[1], sample_bilinear(other, xs, ys))
    stacked = strokes.field.sample_stack(np.stack([grid, other]), xs, ys)  # as it is
    for a, b in zip(stacked, both, strict=True):
        np.testing.assert_array_equal(a, b)


def test_sampler_handles_complex_and_degenerate_grids() -> None:
    g = np.array([[1 + 2j, 3 - 1j]], dtype=np.complex64)
    out = sample_bilinear(g, [0.5], [7.0])
    assert out.dtype == np.complex64 and out[0] == pytest.approx(2 + 0.5j)
    assert sample_bilinear([[4]], 3.5, -2.0) == 4.0
    assert sample_bilinear(np.arange(6, dtype=np.int64).reshape(2, 3), 0.5, 0.5) == 2.0


def test_vector_field_sample_and_attributes() -> None:
    u = np.arange(12, dtype=np.float32).reshape(3, 4)
    f = VectorField(u, -u, origin=(10.0, 20.0), spacing=2.0)
    su, sv = f.sample([10.0, 13.0], [20.0, 22.0])
    assert su.tolist() == [0.0, 5.5] and sv.tolist() == [-0.0, -5.5]
    assert f.shape == (3, 4) and f.origin == (10.0, 20.0) and f.spacing == 2.0
    assert not f.u.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        f.u[0, 0] = 1


def test_flow_field_grid_covers_canvas_and_margin() -> None:
    p = StrokeParams(length=30.0, seed=3)
    f = flow_field(W, H, p, spacing=4.0)
    margin = -f.origin[0]
    assert margin >= 2 * p.length and f.origin[0] == f.origin[1]
    assert f.origin[0] + (f.shape[1] - 1) * f.spacing >= W - 1 + margin
    assert f.origin[1] + (f.shape[0] - 1) * f.spacing >= H - 1 + margin
    # Magnitudes around 1 for both parts of the blend.
    for curl in (0.0, 1.0):
        g = flow_field(W, H, StrokeParams(curl=curl, seed=3))
        rms = float(np.sqrt(np.mean(g.u**2 + g.v**2)))
        assert 0.6 < rms < 1.6
    laminar = flow_field(W, H, StrokeParams(curl=0.0, direction=0.0, seed=3))
    assert np.mean(laminar.u > 0) > 0.99  # nearly laminar: (almost) everything flows right
    assert np.allclose(np.hypot(laminar.u, laminar.v), 1, atol=1e-5)


def test_flow_field_is_periodic_in_time() -> None:
    a = flow_field(W, H, StrokeParams(curl=0.6, t=0.3, period=2, seed=4))
    b = flow_field(W, H, StrokeParams(curl=0.6, t=2.3, period=2, seed=4))
    c = flow_field(W, H, StrokeParams(curl=0.6, t=1.3, period=2, seed=4))
    np.testing.assert_allclose(a.u, b.u, atol=2e-4)
    np.testing.assert_allclose(a.v, b.v, atol=2e-4)
    assert np.abs(a.u - c.u).mean() > 0.05


def mean_turning(curl: float) -> float:
    field = flow_field(W, H, StrokeParams(curl=curl, seed=12))
    rng = np.random.default_rng(1)
    xs, ys = trace(field, rng.uniform(0, W, 400), rng.uniform(0, H, 400), steps=40, step=2.0)
    heading = np.unwrap(np.arctan2(np.diff(ys, axis=0), np.diff(xs, axis=0)), axis=0)
    return float(np.abs(np.diff(heading, axis=0)).mean())


def test_curl_zero_is_straighter_than_curl_one() -> None:
    straight, mid, curly = mean_turning(0.0), mean_turning(0.5), mean_turning(1.0)
    assert straight < mid < curly
    assert straight < 0.4 * curly


# --------------------------------------------------------------------- lifetimes (animations)

LOOP = {"count": 1500, "curl": 0.8, "seed": 21, "period": 2, "cycles": 3}


def test_lifetimes_are_exactly_periodic_and_deterministic() -> None:
    a = render_strokes(W, H, StrokeParams(**LOOP, phase=0.0))  # type: ignore[arg-type]
    b = render_strokes(W, H, StrokeParams(**LOOP, phase=1.0))  # type: ignore[arg-type]
    c = render_strokes(W, H, StrokeParams(**LOOP, phase=-2.0))  # type: ignore[arg-type]
    for other in (b, c):
        assert np.array_equal(a.density, other.density)
        assert np.array_equal(a.tone, other.tone)
    d = render_strokes(W, H, StrokeParams(**LOOP, phase=0.3, t=0.6))  # type: ignore[arg-type]
    e = render_strokes(W, H, StrokeParams(**LOOP, phase=2.3, t=0.6))  # type: ignore[arg-type]
    assert np.array_equal(d.density, e.density) and np.array_equal(d.tone, e.tone)
    assert np.abs(a.density - d.density).mean() > 0.02


def test_cycles_zero_is_the_still_whatever_the_phase() -> None:
    still = render_strokes(W, H, StrokeParams(count=1500, seed=21))
    same = render_strokes(W, H, StrokeParams(count=1500, seed=21, phase=0.37, travel=50.0))
    assert np.array_equal(still.density, same.density) and np.array_equal(still.tone, same.tone)
    assert still.n_strokes == same.n_strokes


def test_ink_is_steady_over_a_loop_and_matches_the_still() -> None:
    # A frozen field isolates the lifetimes: staggered ages keep the ink steady.
    n = 24
    loop = {**LOOP, "count": 6000, "length": 20.0, "t": 0.5}
    cov = np.array([
        render_strokes(W, H, StrokeParams(**loop, phase=k / n)).coverage  # type: ignore[arg-type]
        for k in range(n)
    ])
    assert np.ptp(cov) < 0.05 * cov.mean(), cov
    # No empty start, and as much ink as the still (more strokes seeded, envelope compensated).
    still = render_strokes(W, H, StrokeParams(**{**loop, "cycles": 0}))  # type: ignore[arg-type]
    assert cov[0] > 0.95 * still.coverage
    assert cov.mean() == pytest.approx(still.coverage, rel=0.04)


def test_no_pop_at_the_wrap_or_at_births() -> None:
    n = 16
    frames = []
    for k in range(n + 1):
        phase = (k % n) / n
        p = StrokeParams(**LOOP, phase=phase, t=phase * LOOP["period"])  # type: ignore[arg-type]
        frames.append(render_strokes(W, H, p).density)
    assert np.array_equal(frames[0], frames[n])
    steps = [np.abs(frames[k + 1] - frames[k]) for k in range(n)]
    inner = max(float(s.max()) for s in steps[:-1])
    assert float(steps[-1].max()) <= inner * 1.05 + 0.02
    mean_steps = [float(s.mean()) for s in steps]
    assert mean_steps[-1] <= max(mean_steps[:-1]) * 1.1
    # A stroke is born (and dies) invisible: across its birth, a tiny phase step changes no
    # pixel by more than a trace of ink.
    angle, travel = 0.4, 30.0
    p, mid = lone_stroke(angle, travel, cycles=2, width=(2.0, 2.0))
    weight = np.ones((H, W), np.float32)
    birth = mid - 0.25  # half a life before mid-life
    before, after, middle = (
        render_strokes(W, H, replace(p, phase=ph), weight=weight, field=uniform_field(angle))
        for ph in (birth - 1e-4, birth + 1e-4, mid)
    )
    assert before.density.max() < 0.01 and after.density.max() < 0.01
    assert middle.density.max() > 0.5


def lone_stroke(angle: float, travel: float, **kw: object) -> tuple[StrokeParams, float]:
    """A single animated stroke (straight, in ``uniform_field(angle)``) that stays 8 px inside
    the canvas for the middle 40 % of its life, and the phase at which it is half-life old."""
    weight = np.ones((H, W), np.float32)
    kw = {"count": 1, "length": 30.0, "length_spread": 0.0, "opacity": 1.0,
          "opacity_spread": 0.0, "width": (1.0, 1.0), "cycles": 1, "travel": travel, **kw}
    dx, dy = math.cos(angle), math.sin(angle)
    for seed in range(500):
        p = StrokeParams(seed=seed, **kw)  # type: ignore[arg-type]
        age0, *_ = seeding._lives(np.zeros(1), p)
        mid = (0.5 - float(age0[0])) / p.cycles % (1.0 / p.cycles)  # phase at half its life
        p = replace(p, phase=mid)
        sw = make_swarm(W, H, p, weight)
        assert sw.x0.size == 1
        x0, y0 = float(sw.x0[0]), float(sw.y0[0])  # at mid-life the stroke starts at its seed
        ends = [(x0 + s * dx, y0 + s * dy) for s in (-0.2 * travel, 0.2 * travel + p.length)]
        if all(8 < x < W - 9 and 8 < y < H - 9 for x, y in ends):
            return p, mid
    raise AssertionError("no seed keeps the stroke inside the canvas")  # pragma: no cover


@pytest.mark.parametrize("angle", [0.0, 2.2])
def test_strokes_flow_along_the_field(angle: float) -> None:
    travel = 40.0
    p, mid = lone_stroke(angle, travel)
    weight = np.ones((H, W), np.float32)
    field = uniform_field(angle)

    def centroid(phase: float) -> tuple[float, float]:
        d = render_strokes(W, H, replace(p, phase=phase), weight=weight, field=field).density
        rows, cols = np.mgrid[0:H, 0:W]
        return float((d * cols).sum() / d.sum()), float((d * rows).sum() / d.sum())

    (xa, ya), (xb, yb) = centroid(mid - 0.1), centroid(mid + 0.1)
    # Two tenths of a life later the stroke has slid 0.2 * travel along the flow, unchanged.
    dx, dy = math.cos(angle), math.sin(angle)
    assert xb - xa == pytest.approx(0.2 * travel * dx, abs=0.3)
    assert yb - ya == pytest.approx(0.2 * travel * dy, abs=0.3)


def test_sliding_start_moves_continuously_with_the_distance() -> None:
    # Near saddles of a curly field, re-dividing the slide into equal steps used to throw a
    # stroke's start across the separatrix; fixed steps and a partial one keep it continuous.
    field = flow_field(W, H, StrokeParams(curl=1.0, frequency=3.0, seed=3))
    rng = np.random.default_rng(0)
    x0 = rng.uniform(0, W, 400).astype(np.float32)
    y0 = rng.uniform(0, H, 400).astype(np.float32)
    ends = [tracing.advance(field, x0, y0, np.full(400, d, np.float32), 2.0)
            for d in np.arange(-30.0, 30.05, 0.1)]
    xs = np.array([e[0] for e in ends])
    ys = np.array([e[1] for e in ends])
    moves = np.hypot(np.diff(xs, axis=0), np.diff(ys, axis=0))  # per 0.1 px more slide
    assert np.median(moves) == pytest.approx(0.1, rel=0.02)
    assert moves.max() < 1.0  # (equal steps: jumps of tens of pixels)
    # Whole steps follow trace() exactly; a slide of 0 leaves the points where they are.
    tx, ty = trace(field, x0, y0, steps=5, step=2.0)
    ax, ay = tracing.advance(field, x0, y0, np.full(400, 10.0, np.float32), 2.0)
    assert np.array_equal(ax, tx[-1]) and np.array_equal(ay, ty[-1])
    bx, by = tracing.advance(field, x0, y0, np.zeros(400, np.float32), 2.0)
    assert np.array_equal(bx, x0) and np.array_equal(by, y0)


def test_default_travel_follows_the_field_speed() -> None:
    p = StrokeParams(count=10, length=20.0, period=4, cycles=2, frequency=2.0)
    assert params.life_travel(W, H, p) == pytest.approx(4 / 2 * H / 2.0)  # 2 cells of H / 2 px
    assert params.life_travel(W, H, replace(p, period=None)) == p.length
    assert params.life_travel(W, H, replace(p, travel=12.5)) == 12.5
    # Strokes slide up to half the travel back or on: the seeding margin grows by as much.
    assert params.seed_margin(W, H, p) == pytest.approx(20.0 + 0.5 * 90.0)
    assert params.seed_margin(W, H, replace(p, cycles=0)) == 20.0


# ------------------------------------------------------------------------------ errors

BAD_PARAMS = [
    ("count", 0, ValueError, "an integer from 1 to 10000000"),
    ("count", 1.5, ValueError, "an integer from 1 to 10000000"),
    ("count", True, TypeError, "an integer from 1 to 10000000"),
    ("count", "10", TypeError, "an integer from 1 to 10000000"),
    ("length", 0.0, ValueError, "a number in (0, 10000]"),
    ("length", math.nan, ValueError, "a number in (0, 10000]"),
    ("length_spread", -0.1, ValueError, "a number from 0 to 2"),
    ("step", 0.1, ValueError, "a number from 0.25 to 16"),
    ("step", "2", TypeError, "a number from 0.25 to 16"),
    ("opacity", 0.0, ValueError, "a number in (0, 1]"),
    ("opacity", 1.5, ValueError, "a number in (0, 1]"),
    ("opacity_spread", 3.0, ValueError, "a number from 0 to 2"),
    ("curl", 1.5, ValueError, "a number from 0 to 1"),
    ("curl", -0.1, ValueError, "a number from 0 to 1"),
    ("direction", 7.0, ValueError, "a number from -6.28319 to 6.28319"),
    ("frequency", 0.0, ValueError, "a number in (0, 64]"),
    ("octaves", 0, ValueError, "an integer from 1 to 8"),
    ("octaves", 9, ValueError, "an integer from 1 to 8"),
    ("gain", 0.0, ValueError, "a number in (0, 100]"),
    ("gain", math.inf, ValueError, "a number in (0, 100]"),
    ("seed", -1, ValueError, "an integer from 0 to 18446744073709551615"),
    ("seed", 2**64, ValueError, "an integer from 0 to 18446744073709551615"),
    ("t", math.inf, ValueError, "a number from -1000000 to 1000000"),
    ("period", 0, ValueError, "an integer from 1 to 1000000"),
    ("period", 1.5, ValueError, "an integer from 1 to 1000000"),
    ("phase", math.nan, ValueError, "a number from -1000000 to 1000000"),
    ("phase", 2e6, ValueError, "a number from -1000000 to 1000000"),
    ("phase", "0.5", TypeError, "a number from -1000000 to 1000000"),
    ("cycles", -1, ValueError, "an integer from 0 to 100000"),
    ("cycles", 1.5, ValueError, "an integer from 0 to 100000"),
    ("cycles", True, TypeError, "an integer from 0 to 100000"),
    ("cycles", 100_001, ValueError, "an integer from 0 to 100000"),
    ("travel", -1.0, ValueError, "a number from 0 to 100000"),
    ("travel", math.inf, ValueError, "a number from 0 to 100000"),
]


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern matching the whole (one-line) message."""
    assert "\n" not in message
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(("name", "value", "error", "allowed"), BAD_PARAMS)
def test_bad_params_raise_one_line_errors(
    name: str, value: object, error: type[Exception], allowed: str
) -> None:
    # A wrong type is a TypeError, a value out of range a ValueError (wiktoria.common.validate).
    with pytest.raises(error, match=exactly(f"{name} must be {allowed}, got {value!r}")):
        StrokeParams(**{name: value})  # type: ignore[arg-type]


def test_bad_tone() -> None:
    message = "unknown tone 'blue'; valid: stroke, along, speed"
    with pytest.raises(ValueError, match=exactly(message)):
        StrokeParams(tone="blue")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^unknown tone 3; valid: "):
        StrokeParams(tone=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "error", "name", "allowed", "shown"),
    [
        ((3.0, 1.0), ValueError, "width", "a pair (min, max) with 0.25 <= min <= max <= 32",
         "(3.0, 1.0)"),
        (5.0, TypeError, "width", "a pair (min, max) with 0.25 <= min <= max <= 32", "5.0"),
        ((1, 2, 3), TypeError, "width", "a pair (min, max) with 0.25 <= min <= max <= 32",
         "(1, 2, 3)"),
        ((0.1, 1.0), ValueError, "width[0]", "a number from 0.25 to 32", "0.1"),
        ((1.0, 40.0), ValueError, "width[1]", "a number from 0.25 to 32", "40.0"),
    ],
)
def test_bad_widths(
    value: object, error: type[Exception], name: str, allowed: str, shown: str
) -> None:
    with pytest.raises(error, match=exactly(f"{name} must be {allowed}, got {shown}")):
        StrokeParams(width=value)  # type: ignore[arg-type]


def test_numpy_scalars_are_stored_as_python_numbers() -> None:
    p = StrokeParams(count=np.int64(300), length=np.float32(30.0), octaves=np.float64(2.0),
                     seed=np.uint64(5), width=(np.float32(1.0), np.int32(3)))
    assert p == StrokeParams(count=300, length=30.0, octaves=2, seed=5, width=(1.0, 3.0))
    assert type(p.count) is int and type(p.length) is float and type(p.octaves) is int
    layer = render_strokes(W, H, p)
    same = render_strokes(W, H, StrokeParams(count=300, length=30.0, octaves=2, seed=5,
                                             width=(1.0, 3.0)))
    np.testing.assert_array_equal(layer.density, same.density)


def test_width_list_is_stored_as_a_tuple() -> None:
    p = StrokeParams(width=[1, 3])  # type: ignore[arg-type]
    assert p.width == (1, 3)
    assert hash(p) == hash(StrokeParams(width=(1, 3)))


def test_render_strokes_errors() -> None:
    p = StrokeParams(count=10)
    cases: list[tuple[dict[str, object], str]] = [
        ({"width": 0}, "width must be an integer from 1 to 16384, got 0"),
        ({"height": 20000}, "height must be an integer from 1 to 16384, got 20000"),

        ({"weight": np.ones((H, W + 1))},
         f"weight must be a ({H}, {W}) array of finite values in [0, 1], got shape ({H}, {W + 1})"),
        ({"weight": np.full((H, W), np.nan)},
         f"weight must be a ({H}, {W}) array of finite values in [0, 1], "
         "got NaN or infinite values"),
        ({"weight": np.full((H, W), 2.0)},
         f"weight must be a ({H}, {W}) array of finite values in [0, 1], got values from 2 to 2"),
        ({"weight": np.zeros((H, W))},
         f"weight must be a ({H}, {W}) array of finite values in [0, 1] and not all zero, "
         "got all zeros"),
    ]
    for kw, message in cases:
        args = {"width": W, "height": H, "params": p, **kw}
        width, height, params = args.pop("width"), args.pop("height"), args.pop("params")
        with pytest.raises(ValueError, match=exactly(message)):
            render_strokes(width, height, params, **args)  # type: ignore[arg-type]
    type_cases: list[tuple[dict[str, object], str]] = [
        ({"params": {"count": 3}}, "params must be a StrokeParams, got {'count': 3}"),
        ({"field": np.zeros((30, 30))},
         "field must be a VectorField, got ndarray of shape (30, 30)"),
        ({"weight": "abc"},
         f"weight must be a ({H}, {W}) array of finite values in [0, 1], got str"),
        ({"width": "160"}, "width must be an integer from 1 to 16384, got '160'"),
    ]
    for kw, message in type_cases:
        args = {"width": W, "height": H, "params": p, **kw}
        width, height, params = args.pop("width"), args.pop("height"), args.pop("params")
        with pytest.raises(TypeError, match=exactly(message)):
            render_strokes(width, height, params, **args)  # type: ignore[arg-type]


def test_field_and_sampler_errors() -> None:
    ok = np.zeros((3, 4))
    cases: list[tuple[object, str]] = [
        (lambda: VectorField(ok, np.zeros((4, 3))),
         "u and v must be non-empty 2D arrays of one shape, got (3, 4) and (4, 3)"),
        (lambda: VectorField(np.zeros(5), np.zeros(5)),
         "u and v must be non-empty 2D arrays of one shape, got (5,) and (5,)"),
        (lambda: VectorField(np.full((3, 4), np.inf), ok),
         "u and v must be finite, got NaN or infinite values"),
        (lambda: VectorField(ok, ok, origin=(math.nan, 0.0)),
         "origin must be a pair of finite numbers (x, y), got (nan, 0.0)"),
        (lambda: VectorField(ok, ok, spacing=0.0),
         "spacing must be a number in (0, 1000000], got 0.0"),
        (lambda: VectorField(ok, ok).sample(math.nan, 1.0),
         "x and y must be finite numbers, got NaN or infinite values"),
        (lambda: sample_bilinear(np.zeros(4), 0.0, 0.0),
         "grid must be a non-empty 2D array, got shape (4,)"),
        (lambda: sample_bilinear(np.zeros((2, 0)), 0.0, 0.0),
         "grid must be a non-empty 2D array, got shape (2, 0)"),
        (lambda: sample_bilinear(ok, [0.0, math.inf], 0.0),
         "xs and ys must be finite numbers, got NaN or infinite values"),
        (lambda: trace(VectorField(ok, ok), 0.0, 0.0, -1, 1.0),
         "steps must be an integer from 0 to 100000, got -1"),
        (lambda: trace(VectorField(ok, ok), 0.0, 0.0, 3, 0.0),
         "step must be a number in (0, 1000], got 0.0"),
        (lambda: trace(VectorField(ok, ok), [0.0, math.nan], 0.0, 3, 1.0),
         "x0 and y0 must be finite numbers, got NaN or infinite values"),
        (lambda: flow_field(W, H, spacing=0.5),
         "spacing must be a number from 1 to 64, got 0.5"),
        (lambda: flow_field(W, H, margin=-1.0),
         "margin must be a number from 0 to 16384, got -1.0"),
        (lambda: flow_field(0, H), "width must be an integer from 1 to 16384, got 0"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=exactly(message)):
            call()  # type: ignore[operator]
    type_cases: list[tuple[object, str]] = [
        (lambda: VectorField(ok, ok, origin=("a", 1)),
         "origin must be a pair of finite numbers (x, y), got ('a', 1)"),
        (lambda: trace(ok, 0.0, 0.0, 3, 1.0),  # type: ignore[arg-type]
         "field must be a VectorField, got ndarray of shape (3, 4)"),
        (lambda: flow_field(W, H, "calm"),  # type: ignore[arg-type]
         "params must be a StrokeParams, got 'calm'"),
        (lambda: trace(VectorField(ok, ok), 0.0, 0.0, "3", 1.0),  # type: ignore[arg-type]
         "steps must be an integer from 0 to 100000, got '3'"),
    ]
    for call, message in type_cases:
        with pytest.raises(TypeError, match=exactly(message)):
            call()  # type: ignore[operator]


def test_long_strokes_keep_the_default_margin_valid() -> None:
    p = StrokeParams(count=20, length=10_000.0, length_spread=0.0, seed=1)
    f = flow_field(64, 36, p)
    assert -f.origin[0] <= 2 * 32 + 16
    layer = render_strokes(64, 36, StrokeParams(count=20, length=300.0, seed=1))
    assert layer.n_strokes > 0


def test_docstring_examples() -> None:
    result = doctest.testmod(strokes, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
