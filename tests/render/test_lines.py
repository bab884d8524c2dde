"""The ``lines`` style: occluded horizontal lines displaced by a terrain.

Covers determinism, every shipped mood, the occlusion geometry (the polylines never dip below
the horizon of the nearer lines), the agreement of the raster with the polylines, the count and
spacing of the lines, and the validation of the layer's parameters.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import wiktoria
from wiktoria.colour import srgb_to_oklab
from wiktoria.moods import all_moods
from wiktoria.render.layer import Frame
from wiktoria.render.layers.lines import (
    OVERSAMPLE,
    LinesRenderer,
    horizons,
    polylines_of,
    remove_dust,
    visible_runs,
)
from wiktoria.scene import Scene
from wiktoria.scene.layers import LinesLayer

AGITATED = {"seething", "electric", "euphoric", "dancing"}
SIZE = (160, 90)


def _lightness_range(painting: wiktoria.Painting) -> float:
    L = srgb_to_oklab(np.asarray(painting) / 255.0)[..., 0]
    return float(np.percentile(L, 98) - np.percentile(L, 2))


def _renderer(scene: Scene) -> LinesRenderer:
    W, H = scene.size
    layer = next(x for x in scene.layers if isinstance(x, LinesLayer))
    r = LinesRenderer(layer, Frame(scene, scene.mood, W, H, scene.seed))
    r.layout()
    return r


def _scene(mood: str = "seething", seed: int = 3, size: tuple[int, int] = (320, 180),
           composition: dict | None = None, **params: object) -> Scene:
    """A scene of the lines layer alone (no paper), with composition values overridden."""
    base = wiktoria.paint(mood, size=(16, 9), seed=seed, style="lines").scene
    layer = replace(next(x for x in base.layers if isinstance(x, LinesLayer)), **params)
    comp = replace(base.composition, **(composition or {}))
    canvas = replace(base.canvas, width=size[0], height=size[1])
    return replace(base, canvas=canvas, layers=(layer,), composition=comp)


# ------------------------------------------------------------------ paintings


def test_same_seed_same_bytes_and_seeds_differ() -> None:
    a = wiktoria.paint("haunting", size=SIZE, seed=5, style="lines")
    b = wiktoria.paint("haunting", size=SIZE, seed=5, style="lines")
    c = wiktoria.paint("haunting", size=SIZE, seed=6, style="lines")
    assert a.png_bytes() == b.png_bytes()
    assert not np.array_equal(np.asarray(a), np.asarray(c))
    assert [x.type for x in a.scene.layers] == ["lines", "paper"]


@pytest.mark.parametrize("mood", [m.name for m in all_moods()])
def test_every_mood_paints_with_a_full_enough_value_range(mood: str) -> None:
    for seed in (1, 2):
        p = wiktoria.paint(mood, size=SIZE, seed=seed, style="lines")
        assert p.scene.composition.layout in wiktoria.scene.styles.style_layouts("lines")
        span = _lightness_range(p)
        assert span >= (0.6 if mood in AGITATED else 0.35), (mood, seed, span)


def test_the_scene_reproduces_from_its_toml() -> None:
    p = wiktoria.paint("dancing", size=SIZE, seed=9, style="lines")
    q = wiktoria.paint_scene(Scene.from_toml(p.scene.to_toml()))
    assert q.png_bytes() == p.png_bytes()


# ------------------------------------------------------------------ geometry


def test_horizons_is_the_running_minimum_of_the_nearer_lines() -> None:
    ys = np.array([[5.0, 6.0], [4.0, 7.0], [6.0, 3.0]])
    assert np.array_equal(horizons(ys), [[np.inf, np.inf], [5.0, 6.0], [4.0, 6.0]])


def test_runs_are_cut_on_the_horizon_and_dust_is_dropped() -> None:
    xs = np.arange(8.0)
    ys = np.array([[5.0] * 8,
                   [6.0, 4.0, 3.0, 4.0, 6.0, 6.0, 4.0, 6.0]])  # one run of 3, one speck
    runs, lines = visible_runs(ys, xs, with_lines=True)
    assert lines.tolist() == [0, 1]
    assert runs[1].tolist() == [[0.5, 5.0], [1.0, 4.0], [2.0, 3.0], [3.0, 4.0], [3.5, 5.0]]
    pressed = remove_dust(ys)
    assert pressed[1, 6] == 5.0 and pressed[1, 2] == 3.0


def _check_occlusion(ys: np.ndarray, xs: np.ndarray) -> int:
    runs, lines = visible_runs(ys, xs, with_lines=True)
    prev = horizons(ys)
    for run, k in zip(runs, lines, strict=True):
        assert len(run) >= 3 and run.dtype == np.float32
        assert np.all(np.diff(run[:, 0]) > 0)
        if k == 0:
            continue
        # The horizon in front of line k, as sampled (linear between the samples) ...
        h = np.interp(run[:, 0], xs, prev[k])
        assert np.all(run[:, 1] <= h + 1e-3), k
        # ... and exactly, as the polylines of all the nearer lines, at the samples.
        inner = run[1:-1]
        exact = np.min([np.interp(inner[:, 0], xs, ys[j]) for j in range(k)], axis=0)
        assert np.all(inner[:, 1] < exact + 1e-3), k
    # Every visible sample of the (dust-free) lines lies in a run.
    assert sum(len(r) for r in runs) >= int((ys < prev).sum())
    return len(runs)


@pytest.mark.parametrize(("mood", "seed"), [("seething", 3), ("aloof", 1), ("euphoric", 2),
                                            ("labyrinthine", 4)])
def test_no_visible_vertex_lies_below_the_nearer_lines(mood: str, seed: int) -> None:
    scene = wiktoria.paint(mood, size=(16, 9), seed=seed, style="lines").scene
    scene = replace(scene, canvas=replace(scene.canvas, width=400, height=225))
    r = _renderer(scene)
    assert _check_occlusion(r.ys.astype(np.float64), r.xs) > r.layer.count // 2
    runs = polylines_of(scene)
    assert len(runs) == len(r.polylines())


def test_occlusion_of_random_crossing_lines() -> None:
    rng = np.random.default_rng(0)
    xs = np.sort(rng.uniform(0, 50, 200))
    ys = np.cumsum(rng.normal(0, 1.0, (30, 200)), axis=1) - np.arange(30)[:, None] * 0.7
    _check_occlusion(remove_dust(ys), xs)
    for run in visible_runs(ys, xs):  # without the dust pressed down, runs are still clean
        assert len(run) >= 3


# ------------------------------------------------------------------ raster vs polylines


def test_the_raster_lights_the_visible_runs_and_not_the_hidden_parts() -> None:
    # Bright, even lines on a dark ground, the light far off-frame: lit means bright.
    scene = _scene("seething", seed=3, size=(480, 270), width=4.0, fog=0.0, glow=0.0, shade=0.0,
                   composition={"key": 0.15, "contrast": 0.9, "light": "glow",
                                "light_x": -0.4, "light_y": -0.4, "accent": 0.0})
    L = srgb_to_oklab(np.asarray(wiktoria.paint_scene(scene)) / 255.0)[..., 0]
    H = scene.size[1]
    r = _renderer(scene)
    yc = r.ys[:, 1::OVERSAMPLE]  # the samples at the pixel centres
    prev = horizons(yc)
    visible = yc < prev
    inside = (yc >= 0) & (yc < H)
    # Visible: the pixel holding the line's centre is lit.
    k, c = np.nonzero(visible & inside)
    lit = L[np.floor(yc[k, c]).astype(int), c]
    assert len(lit) > 2000
    assert np.mean(lit > 0.5) > 0.995, np.mean(lit > 0.5)
    # Hidden by at least 3 px, and 3 px away from every visible line of its column and of the
    # columns beside it (a steep line crosses a column between its samples): dark.
    vis_y = np.where(visible, yc, np.nan)
    pad = np.pad(vis_y, ((0, 0), (1, 1)), constant_values=np.nan)
    beside = np.concatenate([pad[:, :-2], pad[:, 1:-1], pad[:, 2:]])
    near = np.nanmin(np.abs(yc[:, None, :] - beside[None, :, :]), axis=1)
    hidden = (yc > prev + 3) & (near > 3) & inside
    k, c = np.nonzero(hidden)
    dark = L[np.floor(yc[k, c]).astype(int), c]
    assert len(dark) > 2000
    assert np.all(dark < 0.4), float(dark.max())
    # And the polylines say the same: their vertices at the pixel centres sit on lit pixels.
    runs = r.polylines()
    v = np.concatenate([run[1:-1] for run in runs])
    v = v[(v[:, 0] % 1 == 0.5) & (v[:, 1] >= 0) & (v[:, 1] < H)]
    px = L[np.floor(v[:, 1]).astype(int), np.floor(v[:, 0]).astype(int)]
    assert len(px) == len(lit)
    assert np.mean(px > 0.5) > 0.995


# ------------------------------------------------------------------ parameters


@pytest.mark.parametrize("count", [4, 37, 120])
def test_count_and_even_spacing_without_perspective(count: int) -> None:
    scene = _scene("serene", seed=2, count=count, relief=0.0, perspective=0.0,
                   composition={"layout": "low", "tilt": 0.0, "horizon": 0.7})
    r = _renderer(scene)
    W, H = scene.size
    assert r.ys.shape == (count, OVERSAMPLE * W + 1)
    assert np.allclose(r.ys, r.ys[:, :1])  # flat lines
    y = r.ys[:, 0]
    assert y[0] == pytest.approx(0.985 * H) and y[-1] == pytest.approx(0.7 * H)
    gaps = -np.diff(y)
    assert np.allclose(gaps, (0.985 - 0.7) * H / (count - 1))
    assert len(polylines_of(scene)) == count


def test_perspective_crowds_the_lines_towards_the_horizon() -> None:
    scene = _scene("serene", seed=2, count=60, relief=0.0, perspective=0.8,
                   composition={"layout": "low", "tilt": 0.0, "horizon": 0.5})
    y = _renderer(scene).ys[:, 0]
    gaps = -np.diff(y)
    assert np.all(gaps > 0) and np.all(np.diff(gaps) < 0)
    assert gaps[0] > 5 * gaps[-1]


def test_relief_raises_peaks_and_hides_lines() -> None:
    flat = _renderer(_scene("seething", relief=0.0, composition={"layout": "low"}))
    high = _renderer(_scene("seething", relief=0.4, composition={"layout": "low"}))
    assert (flat.ys < horizons(flat.ys)).mean() == 1.0
    assert (high.ys < horizons(high.ys)).mean() < 0.8
    assert high.ys.min() < flat.ys.min() - 20


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"count": 2}, "lines.count must be an integer from 4 to 400, got 2"),
    ({"width": 0.0}, "lines.width must be a number from 0.3 to 8"),
    ({"perspective": 1.5}, "lines.perspective must be a number from 0 to 1"),
])
def test_parameter_validation(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        LinesLayer(**kwargs)


def test_override_errors_name_the_layer() -> None:
    with pytest.raises(ValueError, match="unknown lines parameter 'cuont'"):
        wiktoria.paint("serene", size=SIZE, seed=1, style="lines", lines__cuont=3)
    p = wiktoria.paint("serene", size=SIZE, seed=1, style="lines", lines__count=12)
    assert p.scene.layers[0].count == 12


def test_polylines_of_a_scene_without_lines() -> None:
    scene = wiktoria.paint("serene", size=(32, 18), seed=1).scene
    with pytest.raises(ValueError, match="scene has no lines layer"):
        polylines_of(scene)
