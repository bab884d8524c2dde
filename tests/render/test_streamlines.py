"""Evenly spaced streamlines (wiktoria.render.strokes.streamlines): spacing, coverage, labels,
density, determinism and the numba / pure-Python backends being bit-identical."""

from __future__ import annotations

import numpy as np
import pytest

from wiktoria.noise import curl
from wiktoria.render.strokes.streamlines import Streamlines, _backend, evenly_spaced

H, W, D_SEP = 90, 120, 6.0


def _vortex() -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:H, 0:W].astype(float)
    return -(y - 40.3), x - 55.7


def _noise() -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:H, 0:W].astype(float)
    u, v = curl(x / 50.0, y / 50.0, seed=4)
    return u.astype(np.float64), v.astype(np.float64)


def _uniform() -> tuple[np.ndarray, np.ndarray]:
    return np.full((H, W), 1.0), np.full((H, W), 0.3)


FIELDS = {"vortex": _vortex, "noise": _noise, "uniform": _uniform}


def _stroke_ids(s: Streamlines) -> np.ndarray:
    return np.repeat(np.arange(len(s)), np.diff(s.offsets))


def _min_dist_to_other_strokes(s: Streamlines) -> np.ndarray:
    """For each point, the distance to the nearest point of another stroke (brute force)."""
    p = s.points.astype(np.float64)
    ids = _stroke_ids(s)
    out = np.full(len(p), np.inf)
    for a in range(0, len(p), 512):
        d2 = ((p[a : a + 512, None, :] - p[None, :, :]) ** 2).sum(-1)
        d2[ids[a : a + 512, None] == ids[None, :]] = np.inf
        out[a : a + 512] = np.sqrt(d2.min(1))
    return out


def _check_valid(s: Streamlines, d_test: float) -> None:
    assert s.points.dtype == np.float32 and s.points.shape[1] == 2
    assert s.offsets.dtype == np.int64 and s.offsets[0] == 0 and s.offsets[-1] == len(s.points)
    assert len(s) > 3
    assert (s.lengths() >= 2 * D_SEP - 1e-3).all()
    assert (s.points[:, 0] >= 0).all() and (s.points[:, 0] <= W - 1).all()
    assert (s.points[:, 1] >= 0).all() and (s.points[:, 1] <= H - 1).all()
    dist = _min_dist_to_other_strokes(s)
    assert dist.min() >= d_test - 1e-3, f"points of two strokes {dist.min():.4f} apart"


@pytest.mark.parametrize("name", list(FIELDS))
def test_strokes_of_different_lines_keep_d_test_apart(name: str) -> None:
    u, v = FIELDS[name]()
    s = evenly_spaced(u, v, D_SEP, seed=2)
    _check_valid(s, 0.5 * D_SEP)


def test_uniform_field_is_filled() -> None:
    u, v = _uniform()
    s = evenly_spaced(u, v, D_SEP, seed=0)
    y, x = np.mgrid[D_SEP : H - D_SEP, D_SEP : W - D_SEP]
    q = np.stack([x.ravel(), y.ravel()], 1).astype(np.float64)
    p = s.points.astype(np.float64)
    d2 = ((q[:, None, :] - p[None, :, :]) ** 2).sum(-1).min(1)
    assert np.sqrt(d2.max()) <= 1.5 * D_SEP
    # straight parallel lines, about one every d_sep
    assert np.median(s.lengths()) > 0.5 * W


def test_orientation_field_mod_pi_does_not_reverse() -> None:
    rng = np.random.default_rng(1)
    flip = rng.choice([-1.0, 1.0], size=(H, W))
    s = evenly_spaced(flip * 1.0, flip * 0.2, D_SEP, seed=0)
    assert np.median(s.lengths()) > 0.8 * W
    oriented = evenly_spaced(flip * 1.0, flip * 0.2, D_SEP, seed=0, oriented=True)
    assert np.median(oriented.lengths()) < 0.25 * W  # read as oriented, lines reverse


def test_labels_are_never_crossed_and_every_region_is_seeded() -> None:
    u, v = _noise()
    y, x = np.mgrid[0:H, 0:W]
    labels = ((x - 60) ** 2 + (y - 45) ** 2 < 30**2).astype(np.int32) + 2 * (x > 100)
    s = evenly_spaced(u, v, D_SEP, labels=labels, seed=3)
    _check_valid(s, 0.5 * D_SEP)
    seen = set()
    for i in range(len(s)):
        p = s.stroke(i)
        lab = labels[np.floor(p[:, 1] + 0.5).astype(int), np.floor(p[:, 0] + 0.5).astype(int)]
        assert (lab == lab[0]).all(), f"stroke {i} crosses a label boundary"
        seen.add(int(lab[0]))
    assert seen == {0, 1, 2, 3} & set(np.unique(labels).tolist())


def test_density_zero_is_empty_and_denser_is_more_ink() -> None:
    u, v = _noise()
    density = np.ones((H, W))
    density[:, :40] = 0.0
    density[:, 40:80] = 0.25
    s = evenly_spaced(u, v, D_SEP, density=density, seed=0)
    assert len(s) > 3
    px = np.floor(s.points[:, 0] + 0.5).astype(int)
    assert (px >= 40).all(), "a stroke enters the empty region"
    sparse = np.count_nonzero((px >= 45) & (px < 75))
    dense = np.count_nonzero((px >= 85) & (px < 115))
    assert dense > 2 * sparse > 0


def test_deterministic_and_seed_changes_the_order() -> None:
    u, v = _noise()
    a = evenly_spaced(u, v, D_SEP, seed=5)
    b = evenly_spaced(u, v, D_SEP, seed=5)
    assert np.array_equal(a.points, b.points) and np.array_equal(a.offsets, b.offsets)
    c = evenly_spaced(u, v, D_SEP, seed=6)
    assert not np.array_equal(a.points[:20], c.points[:20])
    _check_valid(c, 0.5 * D_SEP)


@pytest.mark.parametrize("name", ["vortex", "noise"])
def test_numba_and_python_backends_are_bit_identical(name: str) -> None:
    pytest.importorskip("numba")
    u, v = FIELDS[name]()
    labels = (np.arange(W)[None, :] > 70).astype(np.int64).repeat(H, 0)
    kw = {"seed": 1, "labels": labels, "max_len": 150.0}
    a = evenly_spaced(u, v, D_SEP, backend="python", **kw)
    b = evenly_spaced(u, v, D_SEP, backend="numba", **kw)
    assert np.array_equal(a.points, b.points) and np.array_equal(a.offsets, b.offsets)
    assert (a.lengths() <= 150.0 + 1e-3).all()


def test_environment_variable_selects_the_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_BACKEND", "numpy")
    assert _backend(None) == "python"
    assert _backend("python") == "python"
    monkeypatch.setenv("WIKTORIA_BACKEND", "bogus")
    with pytest.raises(ValueError, match="WIKTORIA_BACKEND"):
        _backend(None)


def test_streamlines_container() -> None:
    pts = np.array([[0, 0], [3, 4], [3, 5], [1, 1], [1, 2]], np.float32)
    s = Streamlines(points=pts, offsets=np.array([0, 3, 5], np.int64))
    assert len(s) == 2
    assert s.stroke(1).tolist() == [[1, 1], [1, 2]]
    assert s.lengths().tolist() == [6.0, 1.0]
    with pytest.raises(IndexError):
        s.stroke(2)


def test_bad_input_names_the_value() -> None:
    u, v = _uniform()
    with pytest.raises(ValueError, match="d_sep"):
        evenly_spaced(u, v, 0.0)
    with pytest.raises(ValueError, match="d_sep"):
        evenly_spaced(u, v, -3)
    with pytest.raises(ValueError, match="v must have shape"):
        evenly_spaced(u, v[:, :-1], D_SEP)
    bad = u.copy()
    bad[3, 4] = np.nan
    with pytest.raises(ValueError, match="u has NaN"):
        evenly_spaced(bad, v, D_SEP)
    with pytest.raises(TypeError, match="d_sep"):
        evenly_spaced(u, v, "6")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="density"):
        evenly_spaced(u, v, D_SEP, density=np.full((H, W), 2.0))
    with pytest.raises(TypeError, match="labels"):
        evenly_spaced(u, v, D_SEP, labels=np.zeros((H, W)))
    with pytest.raises(ValueError, match="backend"):
        evenly_spaced(u, v, D_SEP, backend="gpu")


def test_warm_up_compiles_once_in_the_background() -> None:
    from wiktoria.render.strokes import _jit

    _jit.warm_up()
    _jit.warm_up()
    assert len(_jit._WARMING) <= 1
    for thread in _jit._WARMING:
        thread.join(timeout=300)
        assert not thread.is_alive()
    # whichever thread compiled them, the kernels give the python reference's points
    y, x = np.mgrid[0:30, 0:40].astype(np.float64)
    a = evenly_spaced(-(y - 15), x - 20, 3.0, backend=_jit.backend(None))
    b = evenly_spaced(-(y - 15), x - 20, 3.0, backend="python")
    assert np.array_equal(a.points, b.points) and np.array_equal(a.offsets, b.offsets)
