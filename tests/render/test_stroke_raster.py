"""Stroke rasteriser (wiktoria.render.strokes.raster): coverage rules (no beading, tapers, blunt
ends), over-compositing, painting by bands, culling, errors, and the numba / pure-Python
backends being bit-identical."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from wiktoria.render.strokes.raster import paint_strokes, strokes_in_rows

HAS_NUMBA = importlib.util.find_spec("numba") is not None
BACKENDS = ["python"] + (["numba"] if HAS_NUMBA else [])
ONE = np.array([1.0], np.float32)
WHITE = np.ones((1, 3), np.float32)


def _walks(n: int = 60, pts: int = 30, size: int = 80, seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    lens = rng.integers(1, pts, n)
    offs = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    steps = rng.normal(0, 1.5, (int(offs[-1]), 2))
    starts = np.repeat(rng.uniform(-5, size + 5, (n, 2)), lens, axis=0)
    points = starts + np.cumsum(steps, 0) - np.repeat(np.cumsum(steps, 0)[offs[:-1]], lens, 0)
    widths = rng.uniform(0, 7, n).astype(np.float32)
    widths[::9] = 0.0
    colours = rng.random((n, 3)).astype(np.float32)
    alphas = rng.random(n).astype(np.float32)
    return points.astype(np.float32), offs, widths, colours, alphas


def _line(x0: float, y0: float, x1: float, y1: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0, 1, n)
    pts = np.stack([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t], 1).astype(np.float32)
    return pts, np.array([0, n], np.int64)


def _paint(pts, offs, width, shape=(30, 60), ends="round", backend=None, **kw):  # type: ignore[no-untyped-def]
    img = np.zeros((*shape, 3), np.float32)
    w = np.full(len(offs) - 1, width, np.float32)
    col = np.ones((len(offs) - 1, 3), np.float32)
    al = np.ones(len(offs) - 1, np.float32)
    cov = paint_strokes(pts, offs, w, col, al, img, ends=ends, backend=backend, **kw)
    return cov, img


@pytest.mark.skipif(not HAS_NUMBA, reason="numba not installed")
@pytest.mark.parametrize("ends", ["taper", "round", "blunt"])
def test_backends_bit_identical(ends: str) -> None:
    pts, offs, wid, col, al = _walks()
    out = {}
    for backend in ("python", "numba"):
        img = np.full((50, 90, 3), 0.25, np.float32)
        cov = paint_strokes(pts, offs, wid, col, al, img, row0=17, ends=ends, backend=backend)
        out[backend] = (img, cov)
    assert np.array_equal(out["python"][0], out["numba"][0])
    assert np.array_equal(out["python"][1], out["numba"][1])
    assert out["numba"][1].max() == 1.0 and (out["numba"][1] == 0).any()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("y", [12.0, 12.3, 12.5])
def test_horizontal_width_4_no_beading(backend: str, y: float) -> None:
    pts, offs = _line(5.0, y, 55.0, y, 137)  # many short collinear segments (0.37 px)
    cov, img = _paint(pts, offs, 4.0, backend=backend)
    mid = cov[:, 15:45]
    assert np.allclose(mid.sum(0), 4.0, atol=0.1)
    assert 4 <= (mid[:, 0] > 0).sum() <= 5 and (mid[:, 0] == 1).sum() >= 3
    assert np.abs(mid - mid[:, :1]).max() < 1e-3  # constant along the axis
    assert np.array_equal(img[..., 0], cov)  # white, opaque over black


@pytest.mark.parametrize("backend", BACKENDS)
def test_diagonal_polyline_no_beading(backend: str) -> None:
    pts, offs = _line(4.0, 3.0, 50.0, 27.0, 101)
    cov, _ = _paint(pts, offs, 3.0, backend=backend)
    j, i = np.mgrid[0:30, 0:60]
    d = np.abs((i - 4.0) * 24.0 - (j - 3.0) * 46.0) / np.hypot(46.0, 24.0)
    want = np.clip(1.5 - d + 0.5, 0, 1)
    inner = (i > 12) & (i < 42)
    assert np.abs(cov[inner] - want[inner]).max() < 1e-3


def test_taper_ends_thinner() -> None:
    pts, offs = _line(5.0, 15.0, 55.0, 15.0, 51)
    cov, _ = _paint(pts, offs, 6.0, ends="taper", taper=0.3)
    col = cov.sum(0)
    assert abs(col[30] - 6.0) < 0.1
    assert col[7] < col[12] < col[17] < col[30] - 0.5 and col[20] == pytest.approx(6.0, abs=0.1)
    assert col[53] < col[48] < col[43] < col[30] - 0.5
    assert 0 < col[5] < 1.5 and col[5] == pytest.approx(col[55], abs=1e-4)
    thin, _ = _paint(pts, offs, 0.5, ends="taper")
    assert 0 < thin.max() < 1  # a thin stroke stays visible but faint


def test_blunt_ends_stop_at_end_points() -> None:
    pts, offs = _line(10.0, 15.0, 30.0, 15.0, 11)
    blunt, _ = _paint(pts, offs, 4.0, ends="blunt")
    rnd, _ = _paint(pts, offs, 4.0, ends="round")
    assert blunt[:, :10].max() == 0 and blunt[:, 31:].max() == 0
    assert blunt[:, 10].max() == 0.5 and blunt[:, 30].max() == 0.5
    assert np.array_equal(blunt[:, 11:30], rnd[:, 11:30])
    assert rnd[:, 32].max() > 0 and rnd[:, 8].max() > 0
    # a tiny first segment (and a repeated point) must not let the next segment's cap protrude
    pts2 = np.array([[10, 15], [10, 15], [10.2, 15], [20, 15], [30, 15]], np.float32)
    b2, _ = _paint(pts2, np.array([0, 5]), 4.0, ends="blunt")
    assert b2[:, :10].max() == 0 and b2[:, 31:].max() == 0 and b2[:, 10].max() == 0.5
    # slanted: nothing more than half a pixel beyond the end lines
    pts3, offs3 = _line(12.0, 8.0, 40.0, 22.0, 9)
    b3, _ = _paint(pts3, offs3, 5.0, ends="blunt")
    j, i = np.mgrid[0:30, 0:60]
    u = np.array([28.0, 14.0]) / np.hypot(28.0, 14.0)
    along = (i - 12.0) * u[0] + (j - 8.0) * u[1]
    assert b3[(along < -0.5) | (along > np.hypot(28, 14) + 0.5)].max() == 0


@pytest.mark.parametrize("ends", ["taper", "round", "blunt"])
def test_bands_equal_full(ends: str) -> None:
    pts, offs, wid, col, al = _walks(seed=3)
    full = np.full((80, 80, 3), 0.5, np.float32)
    cfull = paint_strokes(pts, offs, wid, col, al, full, ends=ends)
    for band in (1, 37):
        parts = []
        for r0, r1 in ((0, band), (band, 80)):
            img = np.full((r1 - r0, 80, 3), 0.5, np.float32)
            sel = strokes_in_rows(pts, offs, wid, r0, r1)
            cov = paint_strokes(pts, offs, wid, col, al, img, row0=r0, ends=ends, select=sel)
            parts.append((img, cov))
        assert np.array_equal(np.concatenate([p[0] for p in parts]), full)
        assert np.array_equal(np.concatenate([p[1] for p in parts]), cfull)


def test_over_order_and_alpha() -> None:
    pts = np.array([[5, 10], [25, 10], [15, 2], [15, 18]], np.float32)
    offs = np.array([0, 2, 4])
    red_blue = np.array([[1, 0, 0], [0, 0, 1]], np.float32)
    wid = np.array([4, 4], np.float32)
    for order, top in ((None, 2), ([1, 0], 0)):
        img = np.zeros((20, 30, 3), np.float32)
        sel = None if order is None else np.array(order)
        paint_strokes(
            pts, offs, wid, red_blue, np.ones(2, np.float32), img, ends="round", select=sel
        )
        assert img[10, 15].tolist() == [1.0 * (top == 0), 0.0, 1.0 * (top == 2)]
    img = np.full((20, 30, 3), 0.2, np.float32)
    paint_strokes(
        pts[:2], offs[:2], wid[:1], red_blue[:1], np.array([0.5], np.float32), img, ends="round"
    )
    assert img[10, 15].tolist() == pytest.approx([0.6, 0.1, 0.1])


def test_strokes_in_rows_exact() -> None:
    pts, offs, wid, col, al = _walks(n=200, size=100, seed=5)
    counts = np.diff(offs)
    for r0, r1 in ((0, 10), (33, 34), (50, 100), (-20, -5), (7, 7)):
        got = strokes_in_rows(pts, offs, wid, r0, r1)
        want = []
        for s in range(len(wid)):
            y = pts[offs[s] : offs[s + 1], 1].astype(np.float64)
            pad = wid[s] / 2 + 0.5
            if (
                r1 > r0
                and counts[s] >= 2
                and wid[s] > 0
                and y.max() + pad > r0
                and y.min() - pad < r1 - 1
            ):
                want.append(s)
        assert got.dtype == np.int64 and got.tolist() == want
        if r1 > r0:  # every stroke that paints the band is kept
            img = np.zeros((r1 - r0, 100, 3), np.float32)
            for s in range(len(wid)):
                cov = paint_strokes(pts, offs, wid, col, al, img, row0=r0, select=np.array([s]))
                assert cov.max() == 0 or s in want


@pytest.mark.parametrize(
    ("change", "err", "match"),
    [
        ({"points": np.zeros((4, 3), np.float32)}, ValueError, "points must have shape"),
        ({"points": np.zeros((4, 2), np.int32)}, TypeError, "points must be a float array"),
        ({"offsets": np.array([0.0, 4.0])}, TypeError, "offsets must be an integer"),
        ({"offsets": np.array([0, 3])}, ValueError, "offsets must rise"),
        ({"widths": np.array([-1.0], np.float32)}, ValueError, "widths must be >= 0"),
        ({"widths": np.ones(2, np.float32)}, ValueError, "widths must have shape"),
        ({"colours": np.ones(3, np.float32)}, ValueError, "colours must have shape"),
        ({"alphas": np.array([1.5], np.float32)}, ValueError, "alphas must lie in"),
        ({"out_rgb": np.zeros((5, 5, 3))}, TypeError, "out_rgb must be a float32"),
        ({"out_rgb": np.zeros((5, 5), np.float32)}, ValueError, "out_rgb must have shape"),
        ({"points": np.full((4, 2), np.nan, np.float32)}, ValueError, "NaN"),
        ({"ends": "square"}, ValueError, "ends must be one of"),
        ({"taper": 0.0}, ValueError, "taper must be"),
        ({"select": np.array([1])}, ValueError, "select must index"),
        ({"backend": "cuda"}, ValueError, "backend must be"),
    ],
)
def test_bad_input(change: dict, err: type, match: str) -> None:
    args = {
        "points": np.zeros((4, 2), np.float32),
        "offsets": np.array([0, 4]),
        "widths": ONE,
        "colours": WHITE,
        "alphas": ONE,
        "out_rgb": np.zeros((5, 5, 3), np.float32),
    }
    kw = {k: change.pop(k) for k in list(change) if k not in args}
    args.update(change)
    with pytest.raises(err, match=match) as info:
        paint_strokes(*args.values(), **kw)
    assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match="row1 must be >= row0"):
        strokes_in_rows(np.zeros((2, 2), np.float32), np.array([0, 2]), ONE, 5, 4)
