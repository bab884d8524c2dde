"""Strokes as data and plotter-ready SVG: ``Strokes``, ``Painting.strokes``, ``write_svg``,
``wiktoria paint -o x.svg`` and ``wiktoria reproduce`` of an SVG."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import wiktoria
from wiktoria.cli import cli
from wiktoria.io.metadata import read_scene
from wiktoria.io.svg import (
    DEFAULT_PENS,
    PAGES,
    SVG_NS,
    page_size,
    pen_colours,
    read_svg_plot,
    read_svg_scene,
    write_svg,
)
from wiktoria.render.layers.lines import polylines_of
from wiktoria.render.strokedata import Strokes
from wiktoria.run.reproduce import reproduce

SVG = "{http://www.w3.org/2000/svg}"
INK = "{http://www.inkscape.org/namespaces/inkscape}"
SIZE = (240, 150)


@pytest.fixture(scope="module")
def painting() -> wiktoria.Painting:
    return wiktoria.paint("seething", size=SIZE, seed=3, style="lines")


def _points(poly: ET.Element) -> np.ndarray:
    return np.array([[float(v) for v in p.split(",")] for p in poly.get("points", "").split()])


def _layers(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.findall(f"{SVG}g") if g.get(f"{INK}groupmode") == "layer"]


# --------------------------------------------------------------------------- Strokes


def test_strokes_arrays_and_access() -> None:
    s = Strokes.from_polylines([[(0, 0), (1, 2)], [(3, 3), (4, 4), (5, 6)]], [1.0, 2.0],
                               [(1, 2, 3), (4, 5, 6)])
    assert len(s) == 2 and s.points.dtype == np.float32 and s.offsets.dtype == np.int64
    assert s.widths.dtype == np.float32 and s.colours.dtype == np.uint8
    assert s.stroke(-1).tolist() == [[3, 3], [4, 4], [5, 6]]
    assert not s.points.flags.writeable
    both = Strokes.concat(s, Strokes.empty(), s)
    assert len(both) == 4 and both.stroke(3).tolist() == s.stroke(1).tolist()
    assert both.offsets.tolist() == [0, 2, 5, 7, 10]
    with pytest.raises(IndexError):
        s.stroke(2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"points": np.zeros((3, 3))}, r"points must have shape \(N, 2\)"),
    ({"points": [[0, 0], [np.nan, 1], [2, 2]]}, "finite"),
    ({"offsets": [0, 3]}, "from 0 to 2"),
    ({"offsets": [0, 1, 2]}, "at least 2 points"),
    ({"offsets": [0, 1.5, 2]}, "integers"),
    ({"widths": [1.0, 1.0]}, r"widths must have shape \(1,\)"),
    ({"widths": [0.0]}, "> 0"),
    ({"colours": [[0, 0, 256]]}, "0 to 255"),
    ({"colours": [[0, 0]]}, r"colours must have shape \(1, 3\)"),
])
def test_strokes_validation_one_line(kwargs: dict, message: str) -> None:
    good = {"points": [[0, 0], [1, 1]], "offsets": [0, 2], "widths": [1.0],
            "colours": [[0, 0, 0]]}
    with pytest.raises(ValueError, match=message) as info:
        Strokes(**{**good, **kwargs})
    assert "\n" not in str(info.value)


def test_lines_strokes_are_its_polylines(painting: wiktoria.Painting) -> None:
    s = painting.strokes
    runs = polylines_of(painting.scene)
    assert len(s) == len(runs) > 0
    assert all(np.array_equal(a, b) for a, b in zip(s, runs, strict=False))
    assert (s.widths >= 0.5).all()
    assert len(np.unique(s.colours, axis=0)) > 1


def test_a_style_without_strokes_has_none() -> None:
    assert len(wiktoria.paint("serene", size=(32, 18), seed=1, style="marble").strokes) == 0


# --------------------------------------------------------------------------- SVG


def test_svg_structure_units_and_fit(painting: wiktoria.Painting, tmp_path: Path) -> None:
    path = painting.save(tmp_path / "a.svg", page="a4", margin_mm=15)
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "297mm", "210mm", "0 0 297 210")  # landscape: the canvas is wider than tall
    layers = _layers(root)
    assert layers and [g.get("id") for g in layers] == [f"layer{i + 1}"
                                                        for i in range(len(layers))]
    everything = []
    for i, g in enumerate(layers):
        label = g.get(f"{INK}label")
        assert label is not None and re.fullmatch(rf"pen {i + 1} #[0-9a-f]{{6}}", label)
        for poly in g.findall(f"{SVG}polyline"):
            assert poly.get("fill") == "none" and poly.get("stroke") == label.split()[-1]
            assert float(poly.get("stroke-width", "0")) > 0
            assert re.fullmatch(r"(-?\d+(\.\d{1,2})?,-?\d+(\.\d{1,2})?( |$))+",
                                poly.get("points", ""))
            everything.append(_points(poly))
    pts = np.concatenate(everything)
    assert pts[:, 0].min() >= 15 - 1e-6 and pts[:, 0].max() <= 297 - 15 + 1e-6
    assert pts[:, 1].min() >= 15 - 1e-6 and pts[:, 1].max() <= 210 - 15 + 1e-6
    # 267/240 > 180/150: the canvas fills the height between the margins, centred across.
    scale = 180 / 150
    assert pts[:, 0].min() >= (297 - 240 * scale) / 2 - 1e-6


def test_page_sizes_and_orientation() -> None:
    assert page_size("a3", 100, 200) == PAGES["a3"]
    assert page_size("A3", 200, 100) == PAGES["a3"][::-1]
    assert page_size("letter", 10, 10) == PAGES["letter"]
    assert page_size("100x50mm", 1, 9) == (100.0, 50.0)
    for bad in ("b9", "100x50", "0x10mm", "a4 portrait"):
        with pytest.raises(ValueError, match=r"a4, a3, letter|over 0"):
            page_size(bad, 10, 10)


def test_clipped_to_the_canvas(tmp_path: Path) -> None:
    s = Strokes.from_polylines([[(-10, 5), (50, 5), (50, -5), (60, -5), (60, 5), (120, 5)]],
                               1.0, (0, 0, 0))
    path = write_svg(s, "", tmp_path / "c.svg", size=(100, 10), page="100x10mm", margin_mm=0)
    assert path is not None
    polys = ET.parse(path).getroot().iter(f"{SVG}polyline")
    assert [_points(p).tolist() for p in polys] == [[[0, 5], [50, 5], [50, 0]],
                                                   [[60, 0], [60, 5], [100, 5]]]


def test_pens_reduce_colours_deterministically(painting: wiktoria.Painting,
                                               tmp_path: Path) -> None:
    many = _layers(ET.parse(painting.save(tmp_path / "all.svg", pens=None)).getroot())
    # One layer per colour of the strokes on the canvas (a run just under the bottom edge is
    # clipped away with its colour).
    s = painting.strokes
    W, H = SIZE
    inside = [bool(((p[:, 0] >= 0) & (p[:, 0] <= W) & (p[:, 1] >= 0) & (p[:, 1] <= H)).any())
              for p in np.split(s.points, s.offsets[1:-1])]
    assert len(many) == len(np.unique(s.colours[inside], axis=0))
    for n in (1, 3):
        a = painting.save(tmp_path / f"a{n}.svg", pens=n).read_bytes()
        b = painting.save(tmp_path / f"b{n}.svg", pens=n).read_bytes()
        assert a == b
        layers = _layers(ET.fromstring(a))
        assert len(layers) == n
        colours = {p.get("stroke") for g in layers for p in g.iter(f"{SVG}polyline")}
        assert len(colours) == n
        count = sum(len(g.findall(f"{SVG}polyline")) for g in layers)
        assert count == sum(len(g.findall(f"{SVG}polyline")) for g in many)
    c = np.array([[0, 0, 0], [20, 0, 0], [250, 250, 250], [255, 255, 250], [0, 0, 200]],
                 np.uint8)
    pens, of = pen_colours(c, pens=3)
    assert len(pens) == 3 and of[0] == of[1] and of[2] == of[3] and len(set(of)) == 3


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = wiktoria.paint("serene", size=(120, 80), seed=9, style="lines")
    b = wiktoria.paint("serene", size=(120, 80), seed=9, style="lines")
    assert (a.save(tmp_path / "a.svg", pens=2).read_bytes()
            == b.save(tmp_path / "b.svg", pens=2).read_bytes())


def test_scene_round_trip_and_reproduce(painting: wiktoria.Painting, tmp_path: Path) -> None:
    src = painting.save(tmp_path / "out.svg")
    assert read_svg_scene(src) == painting.scene.to_toml()
    scene, _ = read_scene(src)
    assert scene == painting.scene
    root = ET.parse(src).getroot()
    assert root.find(f"{SVG}metadata/{{{SVG_NS}}}scene") is not None
    assert reproduce(src, tmp_path / "copy.svg").read_bytes() == src.read_bytes()
    png = reproduce(src, tmp_path / "copy.png")
    assert np.array_equal(np.asarray(Image.open(png).convert("RGB")), np.asarray(painting))


def test_reproduce_keeps_page_margin_and_pens(tmp_path: Path) -> None:
    p = wiktoria.paint("haunting", size=(200, 120), seed=5, style="flow")
    for opts in ({"pens": 3, "page": "a3", "margin_mm": 25.0},
                 {"pens": None, "page": None, "margin_mm": 0.0},
                 {"page": "150x90mm"}):
        src = p.save(tmp_path / "in.svg", **opts)
        want = {"pens": 6, "page": "a4", "margin_mm": 10.0} | opts
        assert read_svg_plot(src) == want
        again = reproduce(src, tmp_path / "again.svg")
        assert again.read_bytes() == src.read_bytes(), opts
    # a PNG written as SVG takes the defaults
    png = p.save(tmp_path / "p.png")
    want_bytes = p.save(tmp_path / "e.svg").read_bytes()
    assert reproduce(png, tmp_path / "d.svg").read_bytes() == want_bytes


def test_default_pens(tmp_path: Path) -> None:
    p = wiktoria.paint("electric", size=(320, 180), seed=2, style="flow")
    assert len(np.unique(p.strokes.colours, axis=0)) > 50
    root = ET.parse(p.save(tmp_path / "a.svg")).getroot()
    assert len(_layers(root)) == DEFAULT_PENS
    root = ET.parse(p.save(tmp_path / "b.svg", pens=None)).getroot()
    assert len(_layers(root)) == len(np.unique(p.strokes.colours, axis=0))


@pytest.mark.parametrize("plot", ['page="b9"', 'pens="0"', 'pens="x"', 'margin-mm="-1"'])
def test_malformed_plot_options(tmp_path: Path, plot: str) -> None:
    path = tmp_path / "bad.svg"
    path.write_text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
                    f'xmlns:wiktoria="{SVG_NS}"><metadata><wiktoria:plot {plot}/></metadata>'
                    "</svg>")
    with pytest.raises(ValueError, match="plot options are malformed") as info:
        read_svg_plot(path)
    assert "\n" not in str(info.value)


def test_scene_with_cdata_end_survives(tmp_path: Path) -> None:
    s = Strokes.from_polylines([[(0, 0), (1, 1)]], 1.0, (0, 0, 0))
    text = 'a = "]]> & <b>"\n'
    path = write_svg(s, text, tmp_path / "t.svg", size=(2, 2))
    assert read_svg_scene(path) == text


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "evil.svg"
    p.write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg><metadata/></svg>')
    with pytest.raises(ValueError, match="document type"):
        read_svg_scene(p)


# --------------------------------------------------------------------------- CLI


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.output


def test_cli_paint_svg(tmp_path: Path) -> None:
    out = tmp_path / "out.svg"
    code, text = _run("paint", "--style", "lines", "--size", "160x100", "--seed", "4",
                      "-o", str(out), "--pens", "3", "--page", "a3")
    assert code == 0, text
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height")) == ("420mm", "297mm")
    assert len(_layers(root)) == 3
    code, text = _run("reproduce", str(out), str(tmp_path / "again.png"))
    assert code == 0, text


@pytest.mark.parametrize(("extra", "message"), [
    (["--page", "b9"], "a4, a3, letter"),
    (["--pens", "0"], "pens must be"),
    (["--margin", "-2"], "margin must be"),
    (["--margin", "200"], "leaves nothing"),
    (["--style", "marble"], "styles that do: landscape, lines, flow"),
])
def test_cli_svg_errors(tmp_path: Path, extra: list[str], message: str) -> None:
    out = tmp_path / "bad.svg"
    args = ["paint", "--size", "64x40", "--seed", "1", "-o", str(out)]
    if "--style" not in extra:
        args += ["--style", "lines"]
    code, text = _run(*args, *extra)
    assert code == 2 and message in text and "Traceback" not in text
    assert len(text.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_svg_options_need_an_svg(tmp_path: Path) -> None:
    code, text = _run("paint", "--style", "lines", "--size", "32x20", "--seed", "1",
                      "-o", str(tmp_path / "a.png"), "--pens", "2")
    assert code == 2 and "for an SVG" in text and list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- vpype


def _vpype() -> str | None:
    here = Path(sys.executable).parent
    return shutil.which("vpype", path=os.pathsep.join([str(here), os.environ.get("PATH", "")]))


@pytest.mark.skipif(_vpype() is None, reason="vpype is not installed (the test extra has it)")
def test_vpype_reads_and_sorts(painting: wiktoria.Painting, tmp_path: Path) -> None:
    src = painting.save(tmp_path / "in.svg", pens=3)
    out = tmp_path / "sorted.svg"
    vpype = _vpype()
    assert vpype is not None
    subprocess.run([vpype, "read", str(src), "linesort", "write", str(out)], check=True,
                   capture_output=True, timeout=120)
    layers = _layers(ET.parse(out).getroot())
    assert len(layers) == 3
    labels = [g.get(f"{INK}label") for g in layers]
    assert labels == [g.get(f"{INK}label") for g in _layers(ET.parse(src).getroot())]


def _clip_reference(strokes: Strokes, w: float, h: float) -> list[tuple[int, list]]:
    """Each stroke's segments clipped one by one (Liang-Barsky), joined where they continue."""
    out: list[tuple[int, list]] = []
    for s in range(len(strokes)):
        cur: list = []
        for p0, p1 in zip(strokes.stroke(s)[:-1].astype(float), strokes.stroke(s)[1:],
                          strict=True):
            d = p1 - p0
            t0, t1, ok = 0.0, 1.0, True
            for p, q in ((-d[0], p0[0]), (d[0], w - p0[0]), (-d[1], p0[1]), (d[1], h - p0[1])):
                if p == 0:
                    ok &= q >= 0
                elif p < 0:
                    t0 = max(t0, q / p)
                else:
                    t1 = min(t1, q / p)
            if not ok or t0 > t1:
                if cur:
                    out.append((s, cur))
                cur = []
                continue
            a, b = (p0 + t0 * d).tolist(), (p0 + t1 * d).tolist()
            if cur and t0 == 0.0:
                cur.append(b)
            else:
                if cur:
                    out.append((s, cur))
                cur = [a, b]
            if t1 < 1.0:
                out.append((s, cur))
                cur = []
        if cur:
            out.append((s, cur))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(-20, 120), st.integers(-20, 80)), min_size=2,
                         max_size=8), min_size=1, max_size=6))
def test_clip_matches_a_segment_by_segment_reference(lines: list) -> None:
    from wiktoria.io.svg import _clip

    s = Strokes.from_polylines(lines, 1.0, (0, 0, 0))
    pieces, owner = _clip(s, 100.0, 60.0)
    want = _clip_reference(s, 100.0, 60.0)
    assert [int(o) for o in owner] == [o for o, _ in want]
    for got, (_, ref) in zip(pieces, want, strict=True):
        assert np.allclose(np.asarray(got), np.asarray(ref))
