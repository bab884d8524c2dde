"""Plotter-ready SVG: a painting's strokes on a page in millimetres, one layer per pen.

:func:`write_svg` fits the canvas (``0..width`` by ``0..height`` pixels) into the page minus
its margin, keeping its aspect and centred, and clips the strokes to the canvas, as the raster
shows them. The page is ``a4``, ``a3`` or ``letter`` (turned to landscape for a canvas wider
than tall), ``WxHmm`` (as given), or None: the canvas at 96 pixels to the inch plus the
margin. Each pen is a top-level Inkscape layer, ``<g inkscape:groupmode="layer"
inkscape:label="pen N #rrggbb" id="layerN">`` (what vpype and AxiDraw read as layers),
lightest pen first; each stroke a ``<polyline>`` with its colour and its width scaled to the
page, coordinates in millimetres to 2 decimals. The strokes' colours are reduced to at most
``pens`` pens (``DEFAULT_PENS`` unless given) by k-means in OKLab (weighted by stroke length,
seeded by farthest points from the darkest colour: deterministic); with ``pens=None`` each
distinct colour is a pen.

The scene TOML is embedded as ``<metadata><wiktoria:scene>`` (CDATA) before the strokes, and
the plot's options as ``<wiktoria:plot page=".." margin-mm=".." pens=".."/>``;
:func:`read_svg_scene` and :func:`read_svg_plot` read them back from the head of the file
without parsing the rest, so ``wiktoria reproduce`` writes an SVG again with the same bytes.
Files are written atomically.

Examples
--------
>>> page_size("a4", 1920, 1080), page_size("300x200mm", 10, 20), page_size(None, 96, 48, 10)
((297.0, 210.0), (300.0, 200.0), (45.4, 32.7))
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

from wiktoria.colour import oklab_to_srgb, srgb_to_oklab
from wiktoria.common.atomicio import atomic_path, check_output_dir

if TYPE_CHECKING:  # io lies below render: the strokes are taken as they come
    import xml.etree.ElementTree as ET

    from wiktoria.render.strokedata import Strokes

__all__ = ["DEFAULT_PENS", "PAGES", "SVG_NS", "check_svg_options", "page_size", "pen_colours",
           "read_svg_plot", "read_svg_scene", "svg_bytes", "svg_scene_text", "write_svg"]

#: Named pages, portrait width and height in millimetres.
PAGES: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "a3": (297.0, 420.0),
                                         "letter": (215.9, 279.4)}
#: Pens a plot is reduced to unless told otherwise (a plotter's usual carousel).
DEFAULT_PENS = 6
#: The namespace of Wiktoria's metadata element.
SVG_NS = "https://wiktoria.invalid/svg/1"
_INKSCAPE = "http://www.inkscape.org/namespaces/inkscape"
#: Millimetres per pixel at 96 pixels to the inch (the page of ``page=None``).
MM_PER_PX = 25.4 / 96.0
#: The largest page side accepted, in millimetres (10 m).
MAX_PAGE_MM = 10_000.0
_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*mm\s*$", re.IGNORECASE)
_PAGE_HELP = f"{', '.join(PAGES)} or WIDTHxHEIGHTmm (e.g. 300x200mm)"


def page_size(page: str | None, width: int, height: int,
              margin_mm: float = 10.0) -> tuple[float, float]:
    """The page's width and height in millimetres for a canvas of ``width`` x ``height``.

    Raises
    ------
    ValueError
        An unknown page name or a malformed size (one line naming the allowed ones).
    """
    if page is None:
        return (round(width * MM_PER_PX + 2 * margin_mm, 2),
                round(height * MM_PER_PX + 2 * margin_mm, 2))
    if not isinstance(page, str):
        raise ValueError(f"page must be {_PAGE_HELP}, got {page!r}")
    key = page.strip().lower()
    if key in PAGES:
        a, b = PAGES[key]
        return (b, a) if width > height else (a, b)
    m = _CUSTOM.match(page)
    if m is None:
        raise ValueError(f"unknown page {page[:40]!r}: use {_PAGE_HELP}")
    pw, ph = float(m.group(1)), float(m.group(2))
    if not (0 < pw <= MAX_PAGE_MM and 0 < ph <= MAX_PAGE_MM):
        raise ValueError(f"page {page[:40]!r}: each side must be over 0 and at most "
                         f"{MAX_PAGE_MM:.0f} mm")
    return pw, ph


def check_svg_options(page: str | None = "a4", margin_mm: float = 10.0,
                      pens: int | None = DEFAULT_PENS) -> None:
    """Check the options of :func:`write_svg` (before rendering), one-line ``ValueError``."""
    if pens is not None and (isinstance(pens, bool) or not isinstance(pens, (int, np.integer))
                             or pens < 1):
        raise ValueError(f"pens must be a whole number of at least 1, got {pens!r}")
    if isinstance(margin_mm, bool) or not isinstance(margin_mm, (int, float)) or not (
            np.isfinite(margin_mm) and margin_mm >= 0):
        raise ValueError(f"margin must be a number of millimetres, 0 or more, got {margin_mm!r}")
    pw, ph = page_size(page, 1, 1, float(margin_mm))
    if page is not None and 2 * margin_mm >= min(pw, ph):
        raise ValueError(f"a margin of {margin_mm:g} mm leaves nothing of a {pw:g} x {ph:g} mm "
                         "page")


# --------------------------------------------------------------------------- geometry


def _clip(strokes: Strokes, width: float, height: float) -> tuple[list[np.ndarray], np.ndarray]:
    """The strokes clipped to the rectangle ``[0, width] x [0, height]`` (Liang-Barsky on
    every segment at once); returns the pieces and the stroke each came from."""
    pts = strokes.points.astype(np.float64)
    offs = strokes.offsets
    S = len(strokes)
    if S == 0:
        return [], np.zeros(0, np.int64)
    inside = ((pts >= 0) & (pts <= (width, height))).all()
    if inside:  # nothing to clip (the common case)
        return list(strokes), np.arange(S)
    seg_of = np.repeat(np.arange(S), np.diff(offs) - 1)
    last = np.zeros(len(pts), bool)
    last[offs[1:] - 1] = True
    i0 = np.flatnonzero(~last)
    p0, p1 = pts[i0], pts[i0 + 1]
    d = p1 - p0
    t0, t1 = np.zeros(len(i0)), np.ones(len(i0))
    ok = np.ones(len(i0), bool)
    for p, q in ((-d[:, 0], p0[:, 0]), (d[:, 0], width - p0[:, 0]),
                 (-d[:, 1], p0[:, 1]), (d[:, 1], height - p0[:, 1])):
        par = p == 0
        ok &= ~(par & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(par, 0.0, q / np.where(par, 1.0, p))
        t0 = np.where(~par & (p < 0), np.maximum(t0, r), t0)
        t1 = np.where(~par & (p > 0), np.minimum(t1, r), t1)
    ok &= t0 <= t1
    a = p0 + t0[:, None] * d
    b = p0 + t1[:, None] * d
    # A kept segment continues the previous piece when that one was kept, ran to its end
    # inside the canvas, and this one starts inside it, in the same stroke.
    joined = np.zeros(len(i0), bool)
    joined[1:] = ok[:-1] & (t1[:-1] == 1.0) & ok[1:] & (t0[1:] == 0.0) & (
        seg_of[1:] == seg_of[:-1])
    kept = np.flatnonzero(ok)
    if not len(kept):
        return [], np.zeros(0, np.int64)
    starts = ~joined[kept]
    piece = np.cumsum(starts) - 1  # the piece of each kept segment
    # A piece is the start of its first segment, then the end of each of its segments.
    n = len(kept) + int(starts.sum())
    out = np.empty((n, 2))
    at_b = np.arange(len(kept)) + piece + 1
    out[at_b] = b[kept]
    out[at_b[starts] - 1] = a[kept[starts]]
    bounds = np.append(at_b[starts] - 1, n)
    owner = seg_of[kept[starts]].astype(np.int64)
    return np.split(out, bounds[1:-1]), owner


def pen_colours(colours: np.ndarray, weights: np.ndarray | None = None,
                pens: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The pens for stroke ``colours`` (uint8 sRGB, shape (S, 3)) and each stroke's pen.

    Without ``pens`` each distinct colour is a pen; with it, at most ``pens`` colours by
    k-means in OKLab (``weights``: each stroke's share, e.g. its length), started from the
    darkest colour and then the farthest from those chosen. Pens are ordered lightest first.

    Returns
    -------
    (ndarray of uint8, shape (P, 3), ndarray of int64, shape (S,))

    Examples
    --------
    >>> c = np.array([[0, 0, 0], [10, 10, 10], [250, 250, 250], [255, 255, 255]], np.uint8)
    >>> p, i = pen_colours(c, pens=2)
    >>> p.tolist(), i.tolist()
    ([[252, 252, 252], [1, 1, 1]], [1, 1, 0, 0])
    """
    colours = np.asarray(colours, np.uint8).reshape(-1, 3)
    uniq, inv = np.unique(colours, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    w = np.ones(len(colours)) if weights is None else np.asarray(weights, np.float64)
    wu = np.bincount(inv, weights=w, minlength=len(uniq)) + 1e-9
    lab = srgb_to_oklab(uniq.astype(np.float64) / 255.0)
    if pens is None or len(uniq) <= pens:
        centres_srgb = uniq
        label = np.arange(len(uniq))
    else:
        chosen = [int(np.argmin(lab[:, 0] + 1e-9 * np.arange(len(lab))))]
        dist = np.sum((lab - lab[chosen[0]]) ** 2, axis=1)
        while len(chosen) < pens:
            nxt = int(np.argmax(dist))
            chosen.append(nxt)
            dist = np.minimum(dist, np.sum((lab - lab[nxt]) ** 2, axis=1))
        centres = lab[chosen].copy()
        label = np.zeros(len(uniq), np.int64)
        for _ in range(100):
            d2 = np.sum((lab[:, None, :] - centres[None, :, :]) ** 2, axis=2)
            new = np.argmin(d2, axis=1)
            for c in range(pens):
                m = new == c
                if m.any():
                    centres[c] = np.average(lab[m], axis=0, weights=wu[m])
            if _ > 0 and (new == label).all():
                break
            label = new
        used = np.unique(label)
        centres, label = centres[used], np.searchsorted(used, label)
        centres_srgb = np.round(np.clip(oklab_to_srgb(centres), 0, 1) * 255).astype(np.uint8)
    # lightest first (OKLab L), ties by colour: a stable order
    light = srgb_to_oklab(centres_srgb.astype(np.float64) / 255.0)[:, 0]
    order = np.lexsort((centres_srgb[:, 2], centres_srgb[:, 1], centres_srgb[:, 0], -light))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return centres_srgb[order].astype(np.uint8), rank[label][inv]


# --------------------------------------------------------------------------- writing


def _hex(c: np.ndarray) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in c))


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def _num(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _lines(strokes: Strokes, width: int, height: int, scene_toml: str, page: str | None,
           margin_mm: float, pens: int | None) -> Iterator[str]:
    check_svg_options(page, margin_mm, pens)
    if len(strokes) == 0:
        raise ValueError("there are no strokes to write as SVG")
    pw, ph = page_size(page, width, height, float(margin_mm))
    scale = min((pw - 2 * margin_mm) / width, (ph - 2 * margin_mm) / height)
    ox, oy = (pw - width * scale) / 2, (ph - height * scale) / 2
    pieces, owner = _clip(strokes, float(width), float(height))
    lengths = np.array([np.hypot(*np.diff(p, axis=0).T).sum() for p in pieces])
    colours = strokes.colours[owner]
    pen_rgb, pen_of = pen_colours(colours, lengths, pens)
    widths = strokes.widths[owner].astype(np.float64) * scale
    yield '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    yield (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="{_INKSCAPE}" '
           f'xmlns:wiktoria="{SVG_NS}" version="1.1" width="{_num(pw)}mm" '
           f'height="{_num(ph)}mm" viewBox="0 0 {_num(pw)} {_num(ph)}">\n')
    plot = (f'<wiktoria:plot page="{"canvas" if page is None else _attr(page)}" '
            f'margin-mm="{float(margin_mm)!r}" pens="{"all" if pens is None else int(pens)}"/>')
    yield (f"<metadata><wiktoria:scene>{_cdata(scene_toml)}</wiktoria:scene>{plot}"
           "</metadata>\n")
    for n, rgb in enumerate(pen_rgb):
        pen = _hex(rgb)
        yield (f'<g inkscape:groupmode="layer" inkscape:label="pen {n + 1} {pen}" '
               f'id="layer{n + 1}">\n')
        for i in np.flatnonzero(pen_of == n):
            xy = pieces[i] * scale + (ox, oy)
            pts = " ".join(f"{_num(x)},{_num(y)}" for x, y in xy)
            sw = _num(max(widths[i], 0.01))
            yield (f'<polyline fill="none" stroke="{pen}" stroke-width="{sw}" '
                   f'stroke-linecap="round" stroke-linejoin="round" points="{pts}"/>\n')
        yield "</g>\n"
    yield "</svg>\n"


def svg_bytes(strokes: Strokes, scene_toml: str, size: tuple[int, int], *,
              page: str | None = "a4", margin_mm: float = 10.0,
              pens: int | None = DEFAULT_PENS) -> bytes:
    """The SVG of :func:`write_svg` as bytes."""
    return "".join(_lines(strokes, size[0], size[1], scene_toml, page, margin_mm,
                          pens)).encode("utf-8")


def write_svg(strokes: Strokes, scene_toml: str, path_or_file: str | os.PathLike[str] | BinaryIO,
              *, size: tuple[int, int], page: str | None = "a4", margin_mm: float = 10.0,
              pens: int | None = DEFAULT_PENS) -> Path | None:
    """Write ``strokes`` (pixels of a ``size`` canvas) as a plotter-ready SVG (module
    docstring), atomically to a path, or to an open binary file.

    Raises
    ------
    ValueError
        No strokes; a bad ``page``, ``margin_mm`` or ``pens`` (one line).

    Examples
    --------
    >>> import io
    >>> from wiktoria.render.strokedata import Strokes
    >>> s = Strokes.from_polylines([[(0, 0), (50, 25)]], widths=2.0, colours=(0, 0, 0))
    >>> bio = io.BytesIO()
    >>> write_svg(s, 'seed = 1\\n', bio, size=(100, 50), page="200x100mm", margin_mm=0)
    >>> b'points="0,0 100,50"' in bio.getvalue(), read_svg_scene(io.BytesIO(bio.getvalue()))
    (True, 'seed = 1\\n')
    """
    data = svg_bytes(strokes, scene_toml, size, page=page, margin_mm=margin_mm, pens=pens)
    if hasattr(path_or_file, "write"):
        path_or_file.write(data)  # type: ignore[union-attr]
        return None
    target = Path(path_or_file)  # type: ignore[arg-type]
    check_output_dir(target)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


# --------------------------------------------------------------------------- reading

#: How much of an SVG's head is searched for the metadata (the scene is at most 1 MiB).
_HEAD_BYTES = (1 << 20) * 2 + 4096
_META = re.compile(rb"<metadata\b[^>]*>.*?</metadata\s*>", re.DOTALL)


def looks_like_svg(head: bytes) -> bool:
    """Whether the first bytes of a file are those of an XML/SVG document."""
    h = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return h.startswith(b"<?xml") or h.startswith(b"<svg")


def _metadata(f: BinaryIO, name: str) -> ET.Element | None:
    """The ``<metadata>`` element of an SVG, from the head of an open binary file, or None.
    A document type declaration (entities) is refused; nothing else is parsed."""
    import xml.etree.ElementTree as ET

    head = f.read(_HEAD_BYTES)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ValueError(f"{name!r}: an SVG with a document type declaration is not read")
    m = _META.search(head)
    if m is None:
        return None
    frag = m.group(0).replace(b"<metadata", f'<metadata xmlns:wiktoria="{SVG_NS}"'.encode(), 1)
    try:
        return ET.fromstring(frag)
    except ET.ParseError as exc:
        raise ValueError(f"{name!r}: its SVG metadata is malformed ({exc})") from None


def svg_scene_text(f: BinaryIO, name: str) -> str | None:
    """The scene TOML in the ``<metadata>`` of an SVG Wiktoria wrote, from an open binary
    file, or None. Only the head of the file is read; a document type declaration (entities)
    is refused, and nothing but the metadata element is parsed."""
    root = _metadata(f, name)
    el = None if root is None else root.find(f"{{{SVG_NS}}}scene")
    return None if el is None else (el.text or "")


def svg_plot_options(f: BinaryIO, name: str) -> dict[str, Any]:
    """The options an SVG Wiktoria wrote was plotted with (``page``, ``margin_mm``,
    ``pens``, as :func:`write_svg` takes them), from an open binary file; empty for an SVG
    without them (written before 0.3) or with values that do not check."""
    root = _metadata(f, name)
    el = None if root is None else root.find(f"{{{SVG_NS}}}plot")
    if el is None:
        return {}
    page, margin, pens = el.get("page"), el.get("margin-mm"), el.get("pens")
    try:
        opts: dict[str, Any] = {
            "page": None if page == "canvas" else page,
            "margin_mm": float(margin) if margin is not None else 10.0,
            "pens": None if pens == "all" else int(pens) if pens is not None else DEFAULT_PENS,
        }
        check_svg_options(**opts)
    except (TypeError, ValueError):
        raise ValueError(f"{name!r}: its plot options are malformed "
                         f"(page={page!r}, margin-mm={margin!r}, pens={pens!r})") from None
    return opts


def _read(path: str | os.PathLike[str] | BinaryIO, what: Any) -> Any:
    if hasattr(path, "read"):
        return what(path, "<file>")
    from wiktoria.io.headers import open_input

    with open_input(path) as f:  # type: ignore[arg-type]
        return what(f, str(path))


def read_svg_scene(path: str | os.PathLike[str] | BinaryIO) -> str | None:
    """The scene TOML an SVG written by :func:`write_svg` carries, or None."""
    return _read(path, svg_scene_text)


def read_svg_plot(path: str | os.PathLike[str] | BinaryIO) -> dict[str, Any]:
    """The plot options (page, margin, pens) an SVG written by :func:`write_svg` carries
    (:func:`svg_plot_options`)."""
    return _read(path, svg_plot_options)
