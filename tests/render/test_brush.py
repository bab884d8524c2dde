"""The brush layer: evenly spaced strokes that follow the forms, stop at their outlines,
come in a hierarchy of lengths and widths, leave the empty share bare, and exist as data."""

from __future__ import annotations

import numpy as np
import pytest

import wiktoria
from wiktoria.moods import all_moods
from wiktoria.render.compositor import prepare
from wiktoria.render.strokes.marks import cut
from wiktoria.render.strokes.streamlines import Streamlines, evenly_spaced

MOODS = [m.name for m in all_moods()]


def prepared(mood: str, seed: int, size: tuple[int, int] = (320, 180), style: str = "landscape",
             **over: object):
    """The brush renderer of a painting after the layout and prepare passes, and its frame."""
    from dataclasses import replace

    scene = wiktoria.paint(mood, size=(8, 8), seed=seed, style=style, **over).scene
    frame, renderers = prepare(replace(scene, canvas=wiktoria.Canvas(*size, seed)))
    return next(r for r in renderers if r.layer.type == "brush"), frame


def test_landscape_and_flow_have_brush_strokes() -> None:
    for style in ("landscape", "flow"):
        p = wiktoria.paint("haunting", size=(160, 90), seed=2, style=style)
        assert "brush" in [x.type for x in p.scene.layers]
        s = p.strokes
        assert len(s) > 10
        assert s.points.dtype == np.float32 and s.colours.dtype == np.uint8


@pytest.mark.parametrize("mood", ["haunting", "labyrinthine", "seething", "writhing"])
def test_strokes_stop_at_the_outline_of_their_form(mood: str) -> None:
    brush, frame = prepared(mood, 3)
    g = brush.guide
    gh, gw = g.labels.shape
    W, H = frame.width, frame.height
    pts = brush.points.astype(np.float64)
    gi = np.clip(np.round((pts[:, 0] + 0.5) * gw / W - 0.5).astype(int), 0, gw - 1)
    gj = np.clip(np.round((pts[:, 1] + 0.5) * gh / H - 0.5).astype(int), 0, gh - 1)
    labels = g.labels[gj, gi]
    off = brush.offsets
    crossing = 0
    for i in range(len(off) - 1):  # a few hundred strokes: a test may loop over them
        lab = labels[off[i]:off[i + 1]]
        crossing += int((lab != lab[len(lab) // 2]).mean() > 0.1)
    assert crossing <= 0.02 * (len(off) - 1)


def test_strokes_keep_their_distance() -> None:
    # Cutting evenly spaced lines into strokes keeps Jobard-Lefer's spacing between strokes
    # of different lines.
    y, x = np.mgrid[0:90, 0:120].astype(np.float64)
    u, v = -(y - 45), (x - 60)  # a vortex
    lines = evenly_spaced(u, v, 6.0, seed=1)
    strokes = cut(lines, np.random.default_rng(2), median=20.0, spread=0.8, gap=3.0,
                  shortest=6.0)
    line_of_point = np.repeat(np.arange(len(lines)), np.diff(lines.offsets))
    where = {tuple(p): line_of_point[i] for i, p in enumerate(lines.points)}
    lid = np.array([where[tuple(p)] for p in strokes.points])
    d = np.hypot(*(strokes.points[:, None, :] - strokes.points[None, :, :]).transpose(2, 0, 1))
    other = lid[:, None] != lid[None, :]
    assert d[other].min() >= 3.0 - 1e-3  # d_test = 0.5 * d_sep


def test_a_hierarchy_of_lengths_and_widths() -> None:
    brush, _ = prepared("euphoric", 1, size=(640, 360))
    lengths = Streamlines(brush.points, brush.offsets).lengths()
    p5, p50, p95 = np.percentile(lengths, [5, 50, 95])
    assert p95 > 2.5 * p50 and p50 > 1.5 * p5
    w5, w95 = np.percentile(brush.widths, [5, 95])
    assert w95 > 1.8 * w5


def test_the_empty_share_is_bare() -> None:
    brush, frame = prepared("aloof", 2, composition__empty=0.8)
    g = brush.guide
    empty = g.density == 0
    assert empty.mean() > 0.3
    gh, gw = g.labels.shape
    pts = brush.points.astype(np.float64)
    gi = np.clip(np.round((pts[:, 0] + 0.5) * gw / frame.width - 0.5).astype(int), 0, gw - 1)
    gj = np.clip(np.round((pts[:, 1] + 0.5) * gh / frame.height - 0.5).astype(int), 0, gh - 1)
    assert empty[gj, gi].mean() < 0.02


@pytest.mark.parametrize("mood", MOODS)
def test_every_mood_paints_its_strokes(mood: str) -> None:
    a = wiktoria.paint(mood, size=(96, 54), seed=5)
    b = wiktoria.paint(mood, size=(96, 54), seed=5)
    assert a.png_bytes() == b.png_bytes()
    without = wiktoria.paint(mood, size=(96, 54), seed=5, brush__opacity=0.0)
    assert not np.array_equal(np.asarray(a), np.asarray(without))


def test_strokes_as_svg_and_back(tmp_path) -> None:
    p = wiktoria.paint("seething", size=(160, 90), seed=4)
    out = p.save(tmp_path / "s.svg")
    text = out.read_text()
    assert text.count("<polyline") == len(p.strokes)
    from wiktoria.io.svg import read_svg_scene
    from wiktoria.scene import Scene

    assert Scene.from_toml(read_svg_scene(out)) == p.scene


@pytest.mark.parametrize("layout", ["low", "high", "tilted", "valley", "monolith", "enclosure",
                                    "vortex", "rhythm"])
def test_form_along_agrees_with_distance(layout: str) -> None:
    # The guide's cheap depth and outline direction have exactly the distance's sign and its
    # gradient turned a quarter, for every kind of form the layouts make.
    from wiktoria.render.forms import forms_for

    kinds = set()
    for seed, mood in ((1, "serene"), (2, "haunting"), (3, "seething")):
        _, frame = prepared(mood, seed, size=(160, 120), composition__layout=layout)
        forms = forms_for(frame, roughness=0.5, frequency=2.5, octaves=4, t=0.0, period=None)
        rows = np.arange(frame.height)
        for form in forms:
            kinds.add(form.kind)
            d, _, gx, gy = form.distance(rows, frame.width)
            depth, tx, ty = form.along(rows, frame.width)
            shape = (frame.height, frame.width)
            assert np.array_equal(np.broadcast_to(depth, shape) > 0, d > 0), form.kind
            assert np.array_equal(np.broadcast_to(tx, shape), gy), form.kind
            assert np.array_equal(np.broadcast_to(ty, shape), -gx), form.kind
    assert kinds <= {"bottom", "top", "left", "right", "ring"} and kinds


@pytest.mark.parametrize("mood", ["serene", "haunting", "electric"])
def test_stroke_colours_in_data_are_the_painted_colours(mood: str) -> None:
    # With the brush alone over the air at full opacity, the pixel under the middle of a
    # wide stroke is the stroke's colour in the data (up to dithering and anti-aliasing).
    from dataclasses import replace

    from wiktoria.render.compositor import render_layers
    from wiktoria.render.strokedata import collect, strokes_of

    scene = wiktoria.paint(mood, size=(8, 8), seed=2, style="flow").scene
    layers = tuple(replace(x, opacity=1.0, width=10.0, spacing=30.0) if x.type == "brush" else x
                   for x in scene.layers if x.type in ("air", "brush"))
    scene = replace(scene, canvas=wiktoria.Canvas(640, 360, 2), layers=layers)
    pixels, renderers = render_layers(scene)
    s = collect(renderers)
    again = strokes_of(scene)
    for name in ("points", "offsets", "widths", "colours"):
        assert np.array_equal(getattr(s, name), getattr(again, name)), name
    wide = np.flatnonzero(s.widths >= 2.5)
    assert len(wide) >= 20
    mid = s.points[(s.offsets[:-1] + s.offsets[1:]) // 2][wide]
    x, y = np.rint(mid[:, 0]).astype(int), np.rint(mid[:, 1]).astype(int)
    diff = np.abs(pixels[y, x].astype(int) - s.colours[wide].astype(int)).max(axis=1)
    assert np.median(diff) <= 1 and np.percentile(diff, 90) <= 2


def test_rim_distance_follows_the_smoothed_outline() -> None:
    # On a straight outline the rim distance is the distance; on a jagged one it keeps the
    # distance's sign but not a steep column's collapse (the streaks under jagged peaks).
    from wiktoria.render.forms import Form

    x = np.arange(200, dtype=np.float32)
    rows = np.arange(120)
    straight = Form("bottom", (40 + 0.3 * x).astype(np.float32), 1.0)
    d = straight.distance(rows, 200)[0]
    rim = straight.rim_distance(rows, 200)
    assert np.allclose(rim[:, 20:180], d[:, 20:180], atol=1e-3)
    jag = Form("bottom", (60 + np.where(np.arange(200) % 9 == 0, -25, 0)).astype(np.float32), 1.0)
    d = jag.distance(rows, 200)[0]
    rim = jag.rim_distance(rows, 200)
    assert np.array_equal(rim > 0, d > 0)
    # Beside a one-column spike the slope is steep: deep below, the distance collapses there
    # (a streak) while the rim distance stays with its neighbours.
    beside = 9 * 10 + 1
    assert d[110, beside] < 0.2 * d[110, beside + 2]
    assert abs(rim[110, beside] - rim[110, beside + 2]) < 2


@pytest.mark.parametrize("mood", ["seething", "serene"])
def test_placing_on_a_thread_gives_the_same_painting(mood: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``begin`` places the strokes (a still's) or moves them to a loop's frame on a thread
    while the layers below prepare; doing so in ``prepare`` instead gives the same bytes, for
    a still and a loop's frames."""
    from wiktoria.common import cache
    from wiktoria.render.layers.brush import BrushRenderer

    def made() -> list[np.ndarray]:
        with cache.caching(False):
            anim = wiktoria.animate(mood, size=(96, 64), seed=5)
            return [np.asarray(wiktoria.paint(mood, size=(96, 64), seed=5).image),
                    anim.frame_array(0), anim.frame_array(6)]

    threaded = made()
    monkeypatch.setattr(BrushRenderer, "begin", lambda self: None)
    inline = made()
    for a, b in zip(threaded, inline, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_placing_error_reaches_the_render(monkeypatch: pytest.MonkeyPatch) -> None:
    from wiktoria.common import cache
    from wiktoria.render.layers.brush import BrushRenderer

    def fail(self: BrushRenderer, *args: object, **kwargs: object) -> None:
        raise RuntimeError("placing failed")

    monkeypatch.setattr(BrushRenderer, "_place", fail)
    with cache.caching(False), pytest.raises(RuntimeError, match="placing failed"):
        wiktoria.paint("serene", size=(64, 48), seed=2)
