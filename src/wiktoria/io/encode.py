"""Animated output: GIF, APNG, animated WebP and MP4 from an :class:`~wiktoria.Animation`.

:func:`write_animation` picks the format by extension and writes atomically (a temporary file
beside the target, renamed on success: an error or Ctrl-C leaves no partial file);
:func:`encode_animation` returns the same bytes in memory (the notebook preview).
:func:`embedded_scene` reads the scene back from any of the four formats.

Every output loops forever (``loop=0``; MP4 has no loop flag, players loop it with e.g.
``<video loop>``) and carries the scene as TOML:

========  ==============================================================================
``.gif``  comment extension (``Image.open(p).info["comment"]``)
``.png``  APNG; iTXt chunks ``wiktoria:scene``/``wiktoria:mood`` as
          :meth:`~wiktoria.render.painting.Painting.pnginfo`, so
          :func:`wiktoria.render.painting.read_scene`
          reads it
``.webp`` XMP packet, ``dc:description`` (``Image.open(p).info["xmp"]``)
``.mp4``  ``-metadata comment=...`` (the ``©cmt`` atom; ``ffprobe``/``ffmpeg -i`` show it)
========  ==============================================================================

GIF
---
* **One global palette** of 256 colours for the whole loop, so a colour maps to the same entry
  in every frame (no per-frame palettes, no local colour tables, no boiling band edges): a
  weighted k-means (k-means++ seeding, fixed seed) over ``PALETTE_PIXELS`` pixels sampled from
  each of at most 16 evenly spaced frames, plus the mood's ramp (its 1024-entry LUT, 1 % of
  the weight, so accents along the ramp keep entries). See :func:`build_palette`.
* **Colour distance**: Euclidean in OKLab plus ``RGB_WEIGHT`` (0.3) x sRGB in [0, 1]. Pure
  OKLab gave the lowest mean ΔE but, on the wide, bright gamut of ``electric``, a 25 % higher
  RGB RMSE than Pillow's per-frame palettes (OKLab's cube root compresses bright saturated
  colours, so they got too few entries); the small sRGB term wins on both (gif_bench).
* **Exact nearest-colour mapping** in that metric: each frame's distinct colours are matched
  against all 256 entries (a BLAS distance product), not through a reduced-precision cache
  (Pillow's ``quantize(palette=...)`` looks colours up at 6 bits per channel).
* **Dither** (:data:`DITHERS`):

  - ``"none"`` (default): smallest files, lowest plain error. Wiktoria frames already carry
    fine grain, which hides banding (looked at: no visible bands in skies at 512 px).
  - ``"ordered"``: pattern dithering (Knoll): each colour gets a plan of 16 palette entries
    (chosen by error accumulation among its 8 nearest) whose mean is the colour, sorted by
    lightness; pixel ``(x, y)`` shows plan entry ``bayer4x4[y % 4, x % 4]``. The choice depends
    only on the pixel's colour and position, so a pixel that does not change keeps its index:
    static areas never shimmer. Lower blurred error than ``none`` (smooth gradients), higher
    plain error (the pattern).
  - ``"floyd"``: Floyd–Steinberg error diffusion in the same metric with exact nearest colours
    (vectorised over anti-diagonals). Lowest blurred error, but the pattern depends on every
    earlier pixel of the frame, so static pixels right of or below a change flicker: in
    ``benchmarks/gif_bench.py`` 26-31 % of static pixel pairs change on the landscape loops and
    15-19 % on loops whose right half is frozen (ΔE_OK ~0.004-0.014 each), versus 0 with
    ``none``/``ordered``, and 22-84 % with Pillow's per-frame palettes.

* **Timing**: GIF stores delays in centiseconds. Frame ``i`` ends at
  ``floor((i + 1) * 100 / fps + 0.5)`` cs, so delays alternate where needed (24 fps: 4, 4, 5,
  4, 4, 4 cs = exactly 24 fps over every 6 frames) and the loop lasts its exact length to the
  nearest centisecond instead of drifting (a constant 4 cs would play 24 fps at 25). The 10 ms
  jitter is below one 60 Hz display refresh, so it is worth it. Viewers replace delays under
  2 cs with ~10 cs, so above 50 fps every delay is clamped to 2 cs and an
  :class:`EncodeWarning` says the loop plays slower.
* Frames after the first store only the rectangle that changed (disposal 1, "keep");
  identical consecutive frames are merged with their delays summed.

APNG delays are exact fractions (``1/fps`` as ``num/den``); WebP timestamps use the same
cumulative rounding in milliseconds; MP4 gets the exact rate (``-r`` as a fraction).

Memory
------
Frames are rendered lazily, one at a time, and streamed. Measured with
``benchmarks/gif_bench.py --memory`` (synthetic 256x256 frames, growth of peak RSS while
writing 50 and 200 frames; ``tracemalloc`` alone misses Pillow's C image buffers):

==============================  =================  ====================================
writer                          RSS at 200 frames  growth per 100 frames
==============================  =================  ====================================
Pillow GIF (P frames, one pal)  14 MB              7 MB: every 64 KiB P-mode frame
Pillow APNG (list of frames)    99 MB              51 MB: every RGB frame (and copies)
Pillow WebP                     116 MB             57 MB: ``append_images`` made a list
Wiktoria ``.gif``               48 MB              ~0 (+3 MB from 200 to 800 frames)
Wiktoria ``.png`` (APNG)        12 MB              0
Wiktoria ``.webp`` (lossless)   77 MB              27 MB (~3.5x the output's growth)
Wiktoria ``.mp4``               12 MB              0
==============================  =================  ====================================

* Pillow's GIF and APNG ``save_all`` writers keep every frame until the end, so GIF and APNG
  are written here by small streaming writers: Pillow still encodes each frame
  (:func:`PIL.GifImagePlugin.getdata` for the LZW data, ``Image.save(format="PNG")`` for the
  zlib data); only the current frame and the previous one (for the changed rectangle) are
  held. (Pillow's APNG writer also iterates ``append_images`` twice, so a generator there
  silently yields a one-frame file.) The GIF's fixed cost is building the palette (k-means
  over up to 16 x 16384 sampled colours, ~35 MB) and the sampled frames, which are kept for
  the writing pass only if they fit in ``FRAME_CACHE_BYTES`` (64 MiB), else rendered again.
* WebP goes through libwebp's ``WebPAnimEncoder`` via Pillow, fed one lazily rendered frame at
  a time (a multi-frame image whose ``seek`` renders). libwebp keeps every *compressed* frame
  until it assembles the file, which is then copied into Python: memory grows with the output
  size (a few times it), not with raw frames; lossy WebP is ~20x smaller.
* MP4 streams raw RGB frames to an ``ffmpeg`` process (the binary bundled with
  ``imageio-ffmpeg``) through a pipe: flat.
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
import subprocess
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from xml.sax.saxutils import escape

import numpy as np
from numpy.typing import NDArray
from PIL import GifImagePlugin, Image, PngImagePlugin

from wiktoria import __version__
from wiktoria.colour import linear_to_oklab, srgb_to_linear
from wiktoria.common.atomicio import atomic_path, check_output_dir

__all__ = [
    "DITHERS",
    "EXTENSIONS",
    "MP4_EXTRA_MESSAGE",
    "EncodeWarning",
    "Quantizer",
    "build_palette",
    "embedded_scene",
    "encode_animation",
    "frame_durations",
    "write_animation",
]

#: Output formats by extension.
EXTENSIONS: dict[str, str] = {".gif": "GIF", ".png": "APNG", ".webp": "WebP", ".mp4": "MP4"}

#: GIF dither modes.
DITHERS = ("none", "ordered", "floyd")

MP4_EXTRA_MESSAGE = "MP4 needs the optional extra: pip install 'wiktoria[mp4]'"

#: Frames sampled to build a GIF palette, and the most memory their cache may take.
PALETTE_FRAMES = 16
FRAME_CACHE_BYTES = 64 * 2**20
#: Pixels sampled per palette frame.
PALETTE_PIXELS = 2**14
#: Share of the palette's k-means weight given to the mood's ramp.
RAMP_SHARE = 0.01
#: Weight of sRGB (0-1 per channel) beside OKLab in the palette's colour distance.
RGB_WEIGHT = 0.3

SCENE_KEY = "wiktoria:scene"
MOOD_KEY = "wiktoria:mood"
VERSION_KEY = "wiktoria:version"

_SEED = 0x57494B54  # "WIKT": the palette's pixel sample and k-means seeding are deterministic
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CRF = 18  # x264 quality: visually near-lossless, still ~50x smaller than GIF


class EncodeWarning(UserWarning):
    """A format cannot represent the animation exactly (e.g. GIF above 50 fps)."""


class AnimationLike(Protocol):
    """What the encoders use of an :class:`~wiktoria.Animation`."""

    @property
    def fps(self) -> float: ...

    @property
    def size(self) -> tuple[int, int]: ...

    @property
    def scene(self) -> Any: ...

    def __len__(self) -> int: ...

    def frame_array(self, index: int) -> np.ndarray: ...


Progress = Callable[[int, int], object]


# --------------------------------------------------------------------------- options


def _extension(ext: str) -> str:
    e = ext.lower()
    if not e.startswith("."):
        e = "." + e
    return e


def _check_options(ext: str, target: str, dither: str, quality: int | None, loop: int,
                   progress: Progress | None) -> None:
    if ext not in EXTENSIONS:
        raise ValueError(f"cannot write {target!r}: unknown extension {ext!r}; "
                         f"valid: {', '.join(EXTENSIONS)}")
    if not isinstance(dither, str) or dither not in DITHERS:
        raise ValueError(f"dither must be one of {', '.join(map(repr, DITHERS))}, got {dither!r}")
    if dither != "none" and ext != ".gif":
        raise ValueError(f"dither applies to .gif only, got dither={dither!r} for {ext}")
    if quality is not None:
        if (isinstance(quality, bool) or not isinstance(quality, int | np.integer)
                or not 1 <= quality <= 100):
            raise ValueError("quality must be an integer from 1 to 100 (None = lossless), "
                             f"got {quality!r}")
        if ext != ".webp":
            raise ValueError(f"quality applies to .webp only, got quality={quality!r} for {ext}")
    if isinstance(loop, bool) or not isinstance(loop, int | np.integer) or not (
            0 <= loop <= 65535):
        raise ValueError(f"loop must be an integer from 0 (forever) to 65535, got {loop!r}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a callable(done, total), got {progress!r}")


def _check_animation(anim: AnimationLike) -> tuple[int, int, int, float]:
    n = len(anim)
    w, h = anim.size
    fps = float(anim.fps)
    if n < 1:
        raise ValueError(f"the animation has no frames ({n})")
    if not (np.isfinite(fps) and fps > 0):
        raise ValueError(f"fps must be positive, got {anim.fps!r}")
    return n, int(w), int(h), fps


def _mp4_module() -> Any:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ImportError(MP4_EXTRA_MESSAGE) from None
    return imageio_ffmpeg


# --------------------------------------------------------------------------- metadata


def _scene_toml(anim: AnimationLike) -> str:
    return str(anim.scene.to_toml())


def _mood_toml(anim: AnimationLike) -> str | None:
    mood = getattr(anim, "mood", None)
    to_toml = getattr(mood, "to_toml", None)
    return str(to_toml()) if callable(to_toml) else None


def _pnginfo(anim: AnimationLike) -> PngImagePlugin.PngInfo:
    """The text chunks of :meth:`wiktoria.render.painting.Painting.pnginfo`, for the APNG."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt(SCENE_KEY, _scene_toml(anim), zip=True)
    mood = _mood_toml(anim)
    if mood is not None:
        info.add_itxt(MOOD_KEY, mood, zip=True)
    info.add_text(VERSION_KEY, __version__)
    info.add_text("Software", f"Wiktoria {__version__}")
    return info


def _xmp(scene: str) -> bytes:
    """An XMP packet whose ``dc:description`` is the scene TOML (UTF-8)."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f"   <xmp:CreatorTool>Wiktoria {escape(__version__)}</xmp:CreatorTool>\n"
        "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"
        f"{escape(scene)}</rdf:li></rdf:Alt></dc:description>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()


def _scene_from_xmp(xmp: bytes | str) -> str | None:
    import xml.etree.ElementTree as ET

    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else xmp
    start, end = text.find("<x:xmpmeta"), text.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        return None
    try:
        root = ET.fromstring(text[start:end + len("</x:xmpmeta>")])
    except ET.ParseError:
        return None
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    for desc in root.iter("{http://purl.org/dc/elements/1.1/}description"):
        for li in desc.iter(f"{rdf}li"):
            return li.text or ""
    return None


def _ffmetadata_value(text: str, key: str) -> str | None:
    """The value of ``key`` in ffmpeg's ``ffmetadata`` output (escapes ``\\=;#`` and newline)."""
    out: list[str] = []
    lines = iter(text.splitlines(keepends=True))
    for line in lines:
        if not line.startswith(key + "="):
            continue
        value = line[len(key) + 1:]
        while True:
            stripped = value.rstrip("\n")
            backslashes = len(stripped) - len(stripped.rstrip("\\"))
            if value.endswith("\n") and backslashes % 2 == 1:  # escaped newline: continues
                out.append(stripped[:-1] + "\n")
                value = next(lines, "")
                continue
            out.append(stripped)
            break
        joined = "".join(out)
        result, i = [], 0
        while i < len(joined):
            if joined[i] == "\\" and i + 1 < len(joined):
                result.append(joined[i + 1])
                i += 2
            else:
                result.append(joined[i])
                i += 1
        return "".join(result)
    return None


def embedded_scene(path: str | os.PathLike[str]) -> str | None:
    """The scene TOML embedded in a GIF, APNG, WebP or MP4 written by Wiktoria.

    Returns
    -------
    str or None
        The TOML text, or None when the file carries none. Reading MP4 needs the ``mp4`` extra.
    """
    p = Path(path)
    if p.suffix.lower() == ".mp4":
        ffmpeg = _mp4_module().get_ffmpeg_exe()
        run = subprocess.run([ffmpeg, "-v", "error", "-i", str(p), "-f", "ffmetadata", "-"],
                             capture_output=True, check=False)
        return _ffmetadata_value(run.stdout.decode("utf-8", "replace"), "comment")
    with Image.open(p) as im:
        if im.format == "GIF":
            comment = im.info.get("comment")
            return comment.decode("utf-8") if isinstance(comment, bytes) else comment
        if im.format == "PNG":
            return dict(getattr(im, "text", {}) or {}).get(SCENE_KEY)
        if im.format == "WEBP":
            xmp = im.info.get("xmp")
            return _scene_from_xmp(xmp) if xmp else None
    return None


# --------------------------------------------------------------------------- timing


def frame_durations(n: int, fps: float, units_per_second: int) -> NDArray[np.int64]:
    """Integer frame durations whose running sum tracks ``i / fps`` to the nearest unit.

    Parameters
    ----------
    n : int
        Number of frames.
    fps : float
        Frames per second, > 0.
    units_per_second : int
        100 for GIF centiseconds, 1000 for milliseconds.

    Returns
    -------
    ndarray, shape (n,), int64
        Frame ``i`` ends at ``floor((i + 1) * units / fps + 0.5)``: e.g. 24 fps in centiseconds
        is 4, 4, 5, 4, 4, 4, ... (25 cs per 6 frames, exactly 24 fps on average).

    Examples
    --------
    >>> frame_durations(6, 24, 100).tolist()
    [4, 4, 5, 4, 4, 4]
    """
    ends = np.floor(np.arange(1, n + 1, dtype=np.float64) * units_per_second / fps + 0.5)
    return np.diff(ends.astype(np.int64), prepend=0)


def _gif_delays(n: int, fps: float) -> NDArray[np.int64]:
    delays = frame_durations(n, fps, 100)
    if fps > 50:
        warnings.warn(f"GIF viewers cap at 50 fps: {fps:g} fps plays at 50 fps (2 cs per "
                      "frame) and the loop lasts longer; use .webp, .png or .mp4 for the "
                      "exact rate", EncodeWarning, stacklevel=4)
        delays = np.maximum(delays, 2)
    return delays


# --------------------------------------------------------------------------- frames


def _check_frame(frame: np.ndarray, index: int, w: int, h: int) -> np.ndarray:
    arr = np.asarray(frame)
    if arr.shape != (h, w, 3) or arr.dtype != np.uint8:
        raise ValueError(f"frame {index} is {arr.dtype} {arr.shape}, expected uint8 ({h}, {w}, 3)")
    return np.ascontiguousarray(arr)


def _frames(anim: AnimationLike, cache: dict[int, np.ndarray] | None = None
            ) -> Iterator[np.ndarray]:
    """Frames 0..n-1 in order, rendered lazily (or popped from ``cache``)."""
    n, w, h, _ = _check_animation(anim)
    for i in range(n):
        frame = cache.pop(i) if cache and i in cache else anim.frame_array(i)
        yield _check_frame(frame, i, w, h)


def _changed_box(a: np.ndarray, b: np.ndarray) -> tuple[int, int, int, int] | None:
    """Bounding box ``(x0, y0, x1, y1)`` of the pixels where ``a`` and ``b`` differ, or None."""
    diff = a != b
    if diff.ndim == 3:
        diff = diff.any(axis=2)
    rows = np.flatnonzero(diff.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(diff.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


# --------------------------------------------------------------------------- colour


_LINEAR = np.asarray(srgb_to_linear(np.arange(256, dtype=np.float64) / 255.0))


def _features(rgb: NDArray[np.uint8]) -> NDArray[np.float64]:
    """Colour features of uint8 sRGB colours: shape (..., 3) -> (..., 6) float64.

    OKLab ``(L, a, b)`` followed by ``RGB_WEIGHT * sRGB / 255``; Euclidean distance between
    features is the palette's colour distance.
    """
    lab = np.asarray(linear_to_oklab(_LINEAR[rgb]), dtype=np.float64)
    return np.concatenate([lab, rgb.astype(np.float64) * (RGB_WEIGHT / 255.0)], axis=-1)


def _pack(rgb: NDArray[np.uint8]) -> NDArray[np.int32]:
    rgb = rgb.reshape(-1, 3).astype(np.int32)
    return (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


def _unpack(keys: NDArray[np.integer]) -> NDArray[np.uint8]:
    keys = keys.astype(np.int64)
    return np.stack([(keys >> 16) & 255, (keys >> 8) & 255, keys & 255], axis=-1).astype(np.uint8)


def _nearest(x: NDArray[np.floating], centres: NDArray[np.floating], k: int = 1,
             chunk: int = 4096) -> tuple[NDArray[np.intp], NDArray[np.floating]]:
    """The ``k`` nearest centres of each point (exact, Euclidean), nearest first.

    Parameters
    ----------
    x : ndarray, shape (N, D), float
        Points; the computation runs in their dtype (float64 for exact mapping, float32 for
        clustering), ``chunk`` rows at a time so temporaries stay small.
    centres : ndarray, shape (K, D), float

    Returns
    -------
    index : ndarray, shape (N, k), intp
    sqdist : ndarray, shape (N, k), x's dtype
        Squared distances.
    """
    n = x.shape[0]
    centres = centres.astype(x.dtype, copy=False)
    csq = np.einsum("ij,ij->i", centres, centres)
    idx = np.empty((n, k), dtype=np.intp)
    dist = np.empty((n, k), dtype=x.dtype)
    rows = np.arange(min(chunk, n))[:, None]
    for start in range(0, n, chunk):
        block = x[start:start + chunk]
        d = block @ centres.T
        d *= -2.0
        d += csq[None, :]
        if k == 1:
            best = np.argmin(d, axis=1)[:, None]
        else:
            part = np.argpartition(d, k - 1, axis=1)[:, :k]
            order = np.argsort(np.take_along_axis(d, part, axis=1), axis=1)
            best = np.take_along_axis(part, order, axis=1)
        m = block.shape[0]
        idx[start:start + m] = best
        xsq = np.einsum("ij,ij->i", block, block)[:, None]
        dist[start:start + m] = np.maximum(d[rows[:m], best] + xsq, 0.0)
    return idx, dist


def _bayer(n: int) -> NDArray[np.int64]:
    """The ``n x n`` Bayer index matrix (n a power of two): ranks ``0 .. n*n - 1``."""
    m = np.zeros((1, 1), dtype=np.int64)
    while m.shape[0] < n:
        m = np.block([[4 * m, 4 * m + 2], [4 * m + 3, 4 * m + 1]])
    return m


#: Ordered dither: plan length (one entry per rank of a 4x4 Bayer matrix) and candidates.
_PLAN = 16
_CANDIDATES = 8
_BAYER_RANK = _bayer(4)


def _kmeans_pp(x: NDArray[np.floating], w: NDArray[np.float64], k: int,
               rng: np.random.Generator) -> NDArray[np.floating]:
    """Weighted k-means++ seeding: ``k`` rows of ``x`` (fewer if ``x`` has fewer points)."""
    k = min(k, x.shape[0])
    first = int(np.argmax(w))  # deterministic: the most common colour
    centres = [x[first]]
    diff = x - x[first]
    d = np.einsum("ij,ij->i", diff, diff).astype(np.float64)
    for _ in range(1, k):
        p = w * d
        total = p.sum()
        if total <= 0:
            break
        i = int(np.searchsorted(np.cumsum(p), rng.random() * total, side="right"))
        i = min(i, x.shape[0] - 1)
        centres.append(x[i])
        diff = x - x[i]
        d = np.minimum(d, np.einsum("ij,ij->i", diff, diff))
    return np.array(centres)


def _kmeans(x: NDArray[np.floating], w: NDArray[np.float64], k: int, iterations: int,
            rng: np.random.Generator, tolerance: float = 1e-3) -> NDArray[np.float64]:
    """Weighted Lloyd k-means; ``x`` (N, D) (float32 keeps memory small); returns (<= k, D).

    Stops after ``iterations`` steps or when a step lowers the weighted squared error by less
    than ``tolerance`` (relative).
    """
    centres = _kmeans_pp(x, w, k, rng).astype(np.float64)
    k = centres.shape[0]
    previous = np.inf
    for _ in range(iterations):
        label, dist = _nearest(x, centres)
        label = label[:, 0]
        sse = float(np.dot(w, dist[:, 0]))
        if sse > previous * (1 - tolerance):
            break  # converged: the last step improved the error by less than ``tolerance``
        previous = sse
        mass = np.bincount(label, weights=w, minlength=k)
        sums = np.stack([np.bincount(label, weights=w * x[:, c], minlength=k)
                         for c in range(x.shape[1])], axis=1)
        new = centres.copy()
        filled = mass > 0
        new[filled] = sums[filled] / mass[filled, None]
        empty = np.flatnonzero(~filled)
        if empty.size:  # re-seed empty clusters at the worst-served points
            worst = np.argsort(-(w * dist[:, 0]))[:empty.size]
            new[empty] = x[worst]
        centres = new
    return centres


def build_palette(
    anim: AnimationLike,
    *,
    colours: int = 256,
    max_frames: int = PALETTE_FRAMES,
    ramp_share: float = RAMP_SHARE,
    iterations: int = 24,
    cache: dict[int, np.ndarray] | None = None,
) -> NDArray[np.uint8]:
    """One palette for a whole loop: k-means over sampled frames plus the mood's ramp.

    Parameters
    ----------
    anim : Animation
        Frames are rendered for at most ``max_frames`` evenly spaced indices.
    colours : int
        Palette entries, 2 to 256.
    max_frames : int
        Frames sampled; ``PALETTE_PIXELS`` random pixels (fixed seed) are taken from each.
    ramp_share : float
        Share of the clustering weight given to the mood's colour ramp (``anim.mood.palette.lut``,
        1024 colours, when the animation has one), so rare accents along the ramp keep entries.
    iterations : int
        Most Lloyd iterations (stops early when one improves the error by < 0.1 %).
    cache : dict, optional
        If given, the sampled frames are stored in it by index (for the writing pass).

    Returns
    -------
    ndarray, shape (colours, 3), uint8
        sRGB palette, sorted by OKLab lightness; deterministic for given frames. Unused entries
        (when the frames have fewer distinct colours) repeat the last colour.
    """
    if not 2 <= colours <= 256:
        raise ValueError(f"colours must be from 2 to 256, got {colours}")
    n, w, h, _ = _check_animation(anim)
    rng = np.random.default_rng(_SEED)
    picks = np.unique(np.rint(np.linspace(0, n - 1, min(n, max_frames))).astype(int)).tolist()
    keys = []
    for i in picks:
        frame = _check_frame(anim.frame_array(i), i, w, h)
        if cache is not None:
            cache[i] = frame
        flat = _pack(frame)
        if flat.size > PALETTE_PIXELS:
            flat = flat[rng.choice(flat.size, PALETTE_PIXELS, replace=False)]
        keys.append(flat)
    uniq, counts = np.unique(np.concatenate(keys), return_counts=True)
    del keys
    if uniq.size <= colours:  # few colours: the palette is exactly them
        rgb = _unpack(uniq)
        pad = np.repeat(rgb[-1:], colours - rgb.shape[0], axis=0)
        return _sort_palette(np.concatenate([rgb, pad]))
    lut = getattr(getattr(getattr(anim, "mood", None), "palette", None), "lut", None)
    if lut is not None and ramp_share > 0:
        ramp = np.setdiff1d(np.unique(_pack(np.asarray(lut, dtype=np.uint8))), uniq)
        share = float(counts.sum()) * ramp_share / max(ramp.size, 1)
        wts = np.concatenate([counts, np.full(ramp.size, share)])
        uniq = np.concatenate([uniq, ramp])
    else:
        wts = counts.astype(np.float64)
    del counts
    x = np.empty((uniq.size, 6), dtype=np.float32)  # in chunks: float64 temporaries stay small
    for start in range(0, uniq.size, 2**15):
        x[start:start + 2**15] = _features(_unpack(uniq[start:start + 2**15]))
    del uniq
    centres = _kmeans(x, wts, colours, iterations, rng)
    rgb = np.clip(np.rint(centres[:, 3:] * (255.0 / RGB_WEIGHT)), 0, 255).astype(np.uint8)
    if rgb.shape[0] < colours:
        rgb = np.concatenate([rgb, np.repeat(rgb[-1:], colours - rgb.shape[0], axis=0)])
    return _sort_palette(rgb)


def _sort_palette(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    lab = _features(rgb)
    order = np.lexsort((lab[:, 2], lab[:, 1], lab[:, 0]))
    return np.ascontiguousarray(rgb[order])


class Quantizer:
    """Maps RGB frames to indices of a fixed palette: exact nearest colour in the
    palette metric (OKLab plus ``RGB_WEIGHT`` x sRGB, see :func:`_features`).

    Parameters
    ----------
    palette : array_like, shape (K, 3), uint8
        sRGB palette, K <= 256.
    dither : {"none", "ordered", "floyd"}
        See the module docstring.
    """

    def __init__(self, palette: NDArray[np.uint8], dither: str = "none") -> None:
        if dither not in DITHERS:
            raise ValueError(f"dither must be one of {', '.join(map(repr, DITHERS))}, "
                             f"got {dither!r}")
        pal = np.asarray(palette, dtype=np.uint8)
        if pal.ndim != 2 or pal.shape[1] != 3 or not 1 <= pal.shape[0] <= 256:
            raise ValueError(f"palette must have shape (K<=256, 3), got {pal.shape}")
        self.palette = pal
        self.dither = dither
        self._feat = _features(pal)

    def __call__(self, frame: NDArray[np.uint8]) -> NDArray[np.uint8]:
        """Palette indices of ``frame``.

        Parameters
        ----------
        frame : ndarray, shape (H, W, 3), uint8

        Returns
        -------
        ndarray, shape (H, W), uint8
        """
        h, w = frame.shape[:2]
        if self.dither == "floyd":
            return self._floyd(frame)
        keys = _pack(frame)
        uniq, inv = np.unique(keys, return_inverse=True)
        inv = inv.reshape(h, w)
        feat = _features(_unpack(uniq))
        if self.dither == "none" or self.palette.shape[0] < 2:
            idx, _ = _nearest(feat, self._feat)
            return idx[:, 0].astype(np.uint8)[inv]
        return self._ordered(feat, inv)

    def _ordered(self, feat: NDArray[np.float64], inv: NDArray[np.intp]) -> NDArray[np.uint8]:
        """Pattern dither (Knoll): each colour gets a plan of ``PLAN`` palette entries whose
        mean is the colour, chosen by error accumulation among its ``CANDIDATES`` nearest
        entries and sorted by lightness; pixel ``(y, x)`` shows plan entry ``bayer[y, x]``."""
        u = feat.shape[0]
        k = min(_CANDIDATES, self.palette.shape[0])
        cand, _ = _nearest(feat, self._feat, k=k)
        cand_feat = self._feat[cand]  # (U, k, 6)
        err = np.zeros_like(feat)
        plan = np.empty((u, _PLAN), dtype=np.intp)
        rows = np.arange(u)
        for i in range(_PLAN):
            attempt = feat + err
            diff = cand_feat - attempt[:, None, :]
            d = np.einsum("ukc,ukc->uk", diff, diff)
            choice = cand[rows, np.argmin(d, axis=1)]
            plan[:, i] = choice
            err += feat - self._feat[choice]
        order = np.argsort(self._feat[plan][..., 0], axis=1, kind="stable")  # by lightness
        plan = np.take_along_axis(plan, order, axis=1)
        h, w = inv.shape
        m = _BAYER_RANK.shape[0]
        slot = np.tile(_BAYER_RANK, (h // m + 1, w // m + 1))[:h, :w]
        return plan[inv, slot].astype(np.uint8)

    def _floyd(self, frame: NDArray[np.uint8]) -> NDArray[np.uint8]:
        """Floyd–Steinberg in the palette metric with exact nearest colours.

        Error diffusion is sequential, but pixel ``(y, x)`` only waits for ``(y, x - 1)`` and
        ``(y - 1, x - 1 .. x + 1)``, so all pixels with the same ``x + 2 y`` are independent:
        the loop runs over these W + 2 H - 2 anti-diagonals, each step vectorised.
        """
        h, w = frame.shape[:2]
        work = _features(frame).astype(np.float32)
        out = np.empty((h, w), dtype=np.uint8)
        pal = self._feat.astype(np.float32)
        csq = np.einsum("ij,ij->i", pal, pal)
        all_y = np.arange(h)
        for s in range(w + 2 * (h - 1)):
            ys = all_y[max(0, -((w - 1 - s) // 2)):min(h - 1, s // 2) + 1]
            xs = s - 2 * ys
            v = work[ys, xs]
            idx = np.argmin(csq[None, :] - 2.0 * (v @ pal.T), axis=1)
            out[ys, xs] = idx
            e = v - pal[idx]
            right = xs + 1 < w
            work[ys[right], xs[right] + 1] += e[right] * (7 / 16)
            down = ys + 1 < h
            yd, xd, ed = ys[down] + 1, xs[down], e[down]
            work[yd, xd] += ed * (5 / 16)
            left = xd > 0
            work[yd[left], xd[left] - 1] += ed[left] * (3 / 16)
            dright = xd + 1 < w
            work[yd[dright], xd[dright] + 1] += ed[dright] * (1 / 16)
        return out


# --------------------------------------------------------------------------- GIF


def _gif_subblocks(data: bytes) -> bytes:
    out = bytearray()
    for i in range(0, len(data), 255):
        chunk = data[i:i + 255]
        out += bytes([len(chunk)]) + chunk
    return bytes(out + b"\x00")


def _gif_frame(indices: NDArray[np.uint8], offset: tuple[int, int], delay_cs: int) -> bytes:
    """Graphic control extension, image descriptor (no local table) and LZW data."""
    im = Image.fromarray(np.ascontiguousarray(indices), "L")
    # getdata writes the GCE (delay = int(ms / 10), so whole centiseconds in ms are exact)
    parts = GifImagePlugin.getdata(im, offset, duration=int(delay_cs) * 10, disposal=1)
    return b"".join(bytes(p) for p in parts)


def _write_gif(anim: AnimationLike, fp: BinaryIO, dither: str, loop: int,
               progress: Progress | None) -> None:
    n, w, h, fps = _check_animation(anim)
    delays = _gif_delays(n, fps)
    cache: dict[int, np.ndarray] = {}
    sampled = min(n, PALETTE_FRAMES)
    keep = sampled * w * h * 3 <= FRAME_CACHE_BYTES
    palette = build_palette(anim, cache=cache if keep else None)
    quantize = Quantizer(palette, dither)

    fp.write(b"GIF89a" + struct.pack("<HHBBB", w, h, 0xF7, 0, 0) + palette.tobytes())
    fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00")
    fp.write(b"!\xfe" + _gif_subblocks(_scene_toml(anim).encode("utf-8")))

    previous: np.ndarray | None = None
    pending: tuple[np.ndarray, tuple[int, int], int] | None = None
    for i, frame in enumerate(_frames(anim, cache)):
        idx = quantize(frame)
        box = (0, 0, w, h) if previous is None else _changed_box(previous, idx)
        if box is None:  # identical to the previous frame: it just shows longer
            assert pending is not None
            pending = (pending[0], pending[1], pending[2] + int(delays[i]))
        else:
            if pending is not None:
                fp.write(_gif_frame(*pending))
            x0, y0, x1, y1 = box
            pending = (idx[y0:y1, x0:x1], (x0, y0), int(delays[i]))
        previous = idx
        if progress is not None:
            progress(i + 1, n)
    assert pending is not None
    fp.write(_gif_frame(*pending))
    fp.write(b";")


# --------------------------------------------------------------------------- APNG


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG stream")
    pos = len(_PNG_SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        yield ctype, data[pos + 8:pos + 8 + length]
        pos += 12 + length


def _chunk(ctype: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + ctype + payload
            + struct.pack(">I", zlib.crc32(ctype + payload) & 0xFFFFFFFF))


def _apng_delay(fps: float, frames: int) -> tuple[int, int]:
    """Delay of ``frames`` frames as an APNG ``(num, den)`` fraction of a second."""
    exact = Fraction(frames) / Fraction(fps).limit_denominator(1001)
    if exact.numerator <= 65535 and exact.denominator <= 65535:
        return exact.numerator, exact.denominator
    ms = max(1, min(65535, round(1000 * frames / fps)))
    return ms, 1000


def _write_apng(anim: AnimationLike, fp: BinaryIO, loop: int, progress: Progress | None
                ) -> None:
    n, w, h, fps = _check_animation(anim)
    fp.write(_PNG_SIGNATURE)
    actl_at = -1
    seq = 0
    written = 0
    previous: np.ndarray | None = None
    pending: tuple[np.ndarray, tuple[int, int], int] | None = None

    def emit(pixels: np.ndarray, offset: tuple[int, int], count: int) -> None:
        nonlocal seq, written, actl_at
        bio = io.BytesIO()
        first = written == 0
        Image.fromarray(pixels, "RGB").save(bio, format="PNG", compress_level=6,
                                            pnginfo=_pnginfo(anim) if first else None)
        num, den = _apng_delay(fps, count)
        ph, pw = pixels.shape[:2]
        fctl = struct.pack(">IIIIIHHBB", seq, pw, ph, offset[0], offset[1], num, den, 0, 0)
        seq += 1
        out = bytearray()
        fctl_written = False
        for ctype, payload in _png_chunks(bio.getvalue()):
            if first and ctype == b"IHDR":
                out += _chunk(ctype, payload)
                actl_at = fp.tell() + len(out)
                out += _chunk(b"acTL", struct.pack(">II", n, loop))
            elif ctype == b"IDAT":
                if not fctl_written:
                    out += _chunk(b"fcTL", fctl)
                    fctl_written = True
                if first:
                    out += _chunk(b"IDAT", payload)
                else:
                    out += _chunk(b"fdAT", struct.pack(">I", seq) + payload)
                    seq += 1
            elif first and ctype not in (b"IEND",):
                out += _chunk(ctype, payload)  # text chunks etc. of frame 0
        fp.write(bytes(out))
        written += 1

    for i, frame in enumerate(_frames(anim)):
        box = (0, 0, w, h) if previous is None else _changed_box(previous, frame)
        if box is None:
            assert pending is not None
            pending = (pending[0], pending[1], pending[2] + 1)
        else:
            if pending is not None:
                emit(*pending)
            x0, y0, x1, y1 = box
            pending = (np.ascontiguousarray(frame[y0:y1, x0:x1]), (x0, y0), 1)
        previous = frame
        if progress is not None:
            progress(i + 1, n)
    assert pending is not None
    emit(*pending)
    fp.write(_chunk(b"IEND", b""))
    if written != n:  # identical frames were merged: patch the frame count in acTL
        end = fp.tell()
        fp.seek(actl_at)
        fp.write(_chunk(b"acTL", struct.pack(">II", written, loop)))
        fp.seek(end)


# --------------------------------------------------------------------------- WebP


class _LazyFrames(Image.Image):
    """A multi-frame RGB image whose ``seek(i)`` renders frame ``i`` (one frame in memory)."""

    def __init__(self, anim: AnimationLike, progress: Progress | None) -> None:
        super().__init__()
        self._anim = anim
        self._progress = progress
        self._n, self._w, self._h, _ = _check_animation(anim)
        self._mode = "RGB"
        self._size = (self._w, self._h)
        if self.mode != "RGB":  # Pillow 10.0: ``mode`` is a plain attribute
            self.mode = "RGB"  # type: ignore[misc]
        self.n_frames = self._n
        self.is_animated = self._n > 1
        self._index = -1
        self._first: np.ndarray | None = None
        self._done = 0
        self.seek(0)

    def seek(self, frame: int) -> None:
        if frame == self._index:
            return
        if frame == 0 and self._first is not None:
            pixels = self._first
        else:
            pixels = _check_frame(self._anim.frame_array(frame), frame, self._w, self._h)
            if frame == 0:
                self._first = pixels
            if self._progress is not None and frame >= self._done:
                self._done = frame + 1
                self._progress(self._done, self._n)
        self.im = Image.fromarray(pixels, "RGB").im
        self._index = frame

    def tell(self) -> int:
        return self._index


def _write_webp(anim: AnimationLike, fp: BinaryIO, quality: int | None, loop: int,
                progress: Progress | None) -> None:
    n, _, _, fps = _check_animation(anim)
    lazy = _LazyFrames(anim, progress)
    durations = [int(d) for d in frame_durations(n, fps, 1000)]
    options: dict[str, Any] = {"lossless": True, "quality": 80, "method": 4}
    if quality is not None:
        options = {"lossless": False, "quality": int(quality), "method": 4}
    lazy.save(fp, format="WEBP", save_all=True, duration=durations if n > 1 else durations[0],
              loop=loop, xmp=_xmp(_scene_toml(anim)), background=(0, 0, 0, 255), **options)


# --------------------------------------------------------------------------- MP4


def _write_mp4(anim: AnimationLike, path: Path, progress: Progress | None) -> None:
    ffmpeg = _mp4_module().get_ffmpeg_exe()
    n, w, h, fps = _check_animation(anim)
    pw, ph = w + (w % 2), h + (h % 2)  # yuv420p needs even sizes: pad by edge replication
    rate = str(Fraction(fps).limit_denominator(1001))
    cmd = [ffmpeg, "-y", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
           "-s", f"{pw}x{ph}", "-r", rate, "-i", "-", "-an",
           "-c:v", "libx264", "-preset", "medium", "-crf", str(_CRF), "-pix_fmt", "yuv420p",
           "-movflags", "+faststart", "-metadata", f"comment={_scene_toml(anim)}",
           "-metadata", f"encoder=Wiktoria {__version__}", "-f", "mp4", str(path)]
    with tempfile.TemporaryFile() as err, subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err) as proc:
        stdin = proc.stdin
        assert stdin is not None
        try:
            for i, frame in enumerate(_frames(anim)):
                if (pw, ph) != (w, h):
                    frame = np.pad(frame, ((0, ph - h), (0, pw - w), (0, 0)), mode="edge")
                try:
                    stdin.write(frame.tobytes())
                except BrokenPipeError:
                    break  # ffmpeg died: its message is reported below
                if progress is not None:
                    progress(i + 1, n)
            with contextlib.suppress(BrokenPipeError):
                stdin.close()
            code = proc.wait()
        except BaseException:
            proc.kill()
            with contextlib.suppress(OSError):
                stdin.close()
            raise
        if code != 0:
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
            raise OSError(f"ffmpeg failed (exit {code}): {lines[-1] if lines else 'no output'}")


# --------------------------------------------------------------------------- API


def _write(anim: AnimationLike, ext: str, tmp: Path, dither: str, quality: int | None,
           loop: int, progress: Progress | None) -> None:
    if ext == ".mp4":
        _write_mp4(anim, tmp, progress)
        return
    with open(tmp, "wb") as fp:
        if ext == ".gif":
            _write_gif(anim, fp, dither, loop, progress)
        elif ext == ".png":
            _write_apng(anim, fp, loop, progress)
        else:
            _write_webp(anim, fp, quality, loop, progress)


def write_animation(
    anim: AnimationLike,
    path: str | os.PathLike[str],
    *,
    dither: str = "none",
    quality: int | None = None,
    loop: int = 0,
    progress: Progress | None = None,
) -> Path:
    """Write a loop; the format is chosen by the extension.

    Parameters
    ----------
    anim : Animation
        Frames ``anim.frame_array(i)`` are (H, W, 3) uint8 arrays, rendered lazily and
        streamed; ``anim.fps`` sets frame durations; ``anim.scene.to_toml()`` is embedded.
    path : str or os.PathLike
        ``.gif``, ``.png`` (APNG), ``.webp`` (animated WebP) or ``.mp4`` (H.264 crf 18,
        yuv420p, odd sizes padded by one edge pixel; needs the ``mp4`` extra).
    dither : {"none", "ordered", "floyd"}
        GIF only. ``ordered`` is stable in time; ``floyd`` makes static areas flicker.
    quality : int, optional
        WebP only: 1-100 for lossy; None (default) writes lossless WebP.
    loop : int
        Times to play, 0 = forever (GIF, APNG, WebP; MP4 has no loop flag).
    progress : callable, optional
        ``progress(done, total)`` after each frame.

    Returns
    -------
    pathlib.Path
        ``path``, written atomically: on any error or interruption no file is left there.

    Raises
    ------
    ValueError
        Unknown extension, bad option, missing output folder, or a malformed frame.
    ImportError
        ``.mp4`` without the ``mp4`` extra (``imageio-ffmpeg``).
    """
    target = Path(path)
    ext = target.suffix.lower()
    _check_options(ext, str(target), dither, quality, loop, progress)
    _check_animation(anim)
    if ext == ".mp4":
        _mp4_module()
    check_output_dir(target)
    with atomic_path(target) as tmp:
        _write(anim, ext, tmp, dither, quality, loop, progress)
    return target


def encode_animation(
    anim: AnimationLike,
    ext: str,
    *,
    dither: str = "none",
    quality: int | None = None,
    loop: int = 0,
    progress: Progress | None = None,
) -> bytes:
    """The bytes :func:`write_animation` would write for extension ``ext`` (e.g. ``".webp"``).

    Parameters
    ----------
    anim : Animation
    ext : str
        ``".gif"``, ``".png"``, ``".webp"`` or ``".mp4"`` (the dot is optional).
    dither, quality, loop, progress
        As :func:`write_animation`.

    Returns
    -------
    bytes
    """
    e = _extension(ext)
    _check_options(e, f"<{ext}>", dither, quality, loop, progress)
    _check_animation(anim)
    if e == ".mp4":
        _mp4_module()
    with tempfile.TemporaryDirectory(prefix="wiktoria-") as folder:
        tmp = Path(folder) / f"loop{e}"
        _write(anim, e, tmp, dither, quality, loop, progress)
        return tmp.read_bytes()
