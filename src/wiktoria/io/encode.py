"""Animated output: GIF, APNG, animated WebP and MP4 from an :class:`~wiktoria.Animation`.

:func:`write_animation` picks the format by extension and writes atomically (a temporary file
beside the target, renamed on success: an error or Ctrl-C leaves no partial file);
:func:`encode_animation` returns the same bytes in memory (the notebook preview).
:func:`embedded_scene` reads the scene back from any of the four formats.

Every output loops forever (``loop=0``; MP4 has no loop flag, players loop it with e.g.
``<video loop>``) and carries the scene as TOML (see :mod:`wiktoria.io.metadata`).
:data:`WRITERS` maps each extension of :data:`wiktoria.io.formats.ANIMATION_FORMATS` to its
writer.

GIF
---
* **One global palette** for the whole loop, exact nearest-colour mapping and three dither
  modes: see :mod:`wiktoria.io.quantize`.
* **Timing**: GIF stores delays in centiseconds. Frame ``i`` ends at
  ``floor((i + 1) * 100 / fps + 0.5)`` cs, so delays alternate where needed (24 fps: 4, 4, 5,
  4, 4, 4 cs = exactly 24 fps over every 6 frames) and the loop lasts its exact length to the
  nearest centisecond instead of drifting (a constant 4 cs would play 24 fps at 25). The 10 ms
  jitter is below one 60 Hz display refresh, so it is worth it. Viewers replace delays under
  2 cs with ~10 cs, so above 50 fps every delay is clamped to 2 cs and an
  :class:`EncodeWarning` says the loop plays slower.
* Frames after the first store only the rectangle that changed (disposal 1, "keep");
  identical consecutive frames are merged with their delays summed.

Defaults (sized for sharing; ``benchmarks/encode_bench.py``): WebP is lossy at quality 82
(``quality=100`` is lossless, 0.3's default, 20-60x larger); MP4 is H.264 at quality 80 (CRF
23, :mod:`wiktoria.io.mp4`); GIF and APNG take no quality (GIF: ``dither``).

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
  are written here by small streaming writers: Pillow still encodes each GIF frame
  (:func:`PIL.GifImagePlugin.getdata` for the LZW data) and :func:`wiktoria.io.png.png_bytes`
  each APNG frame (ISA-L's deflate: 3 ms for a 512x512 frame, where Pillow's level 6 took 0.14 s);
  only the current frame and the previous one (for the changed rectangle) are
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
import os
import struct
import subprocess
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray
from PIL import GifImagePlugin, Image

from wiktoria.common.atomicio import atomic_path, check_output_dir
from wiktoria.common.progress import Progress, check_progress, started
from wiktoria.common.version import __version__
from wiktoria.io import png
from wiktoria.io.formats import ANIMATION_FORMATS, animation_format, output_suffix
from wiktoria.io.frames import (
    AnimationLike,
    changed_box,
    check_animation,
    check_frame,
    frame_durations,
    iter_frames,
)
from wiktoria.io.metadata import MP4_EXTRA_MESSAGE, embedded_scene, png_info, xmp_packet
from wiktoria.io.mp4 import mp4_crf, mp4_maxrate, mp4_video_args
from wiktoria.io.quantize import DITHERS, PALETTE_FRAMES, Quantizer, build_palette

__all__ = [
    "DITHERS",
    "EXTENSIONS",
    "MP4_EXTRA_MESSAGE",
    "WRITERS",
    "AnimationLike",
    "EncodeWarning",
    "Quantizer",
    "build_palette",
    "embedded_scene",
    "encode_animation",
    "frame_durations",
    "mp4_crf",
    "mp4_maxrate",
    "mp4_video_args",
    "write_animation",
]

#: Output formats by extension (the table of :mod:`wiktoria.io.formats`).
EXTENSIONS: dict[str, str] = ANIMATION_FORMATS

#: The most memory the GIF writer's cache of palette frames may take.
FRAME_CACHE_BYTES = 64 * 2**20

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: ``quality`` when none is given: lossy WebP at 82, MP4 at 80 (x264 CRF 23).
DEFAULT_QUALITY: dict[str, int] = {".webp": 82, ".mp4": 80}
#: libwebp's effort, 0-6. Measured (seething 512x512, 48 frames, q82): 6 is 4 % smaller
#: than 4 but takes 14x as long (55 s vs 3.8 s).
WEBP_METHOD = 4


class EncodeWarning(UserWarning):
    """A format cannot represent the animation exactly (e.g. GIF above 50 fps)."""


@dataclass(frozen=True)
class _Options:
    dither: str
    quality: int | None
    loop: int
    progress: Progress | None


# --------------------------------------------------------------------------- options


def _extension(ext: str) -> str:
    e = ext.lower()
    if not e.startswith("."):
        e = "." + e
    return e


def _options(ext: str, target: str, dither: str, quality: int | None, loop: int,
             progress: Progress | None) -> _Options:
    animation_format(target, ext)
    if not isinstance(dither, str) or dither not in DITHERS:
        raise ValueError(f"dither must be one of {', '.join(map(repr, DITHERS))}, got {dither!r}")
    if dither != "none" and ext != ".gif":
        raise ValueError(f"dither applies to .gif only, got dither={dither!r} for {ext}")
    if quality is not None:
        if (isinstance(quality, bool) or not isinstance(quality, int | np.integer)
                or not 1 <= quality <= 100):
            raise ValueError("quality must be an integer from 1 to 100 (None = the default), "
                             f"got {quality!r}")
        if ext not in DEFAULT_QUALITY:
            raise ValueError(f"quality applies to .webp and .mp4 only, got quality={quality!r} "
                             f"for {ext}")
        quality = int(quality)
    elif ext in DEFAULT_QUALITY:
        quality = DEFAULT_QUALITY[ext]
    if isinstance(loop, bool) or not isinstance(loop, int | np.integer) or not (
            0 <= loop <= 65535):
        raise ValueError(f"loop must be an integer from 0 (forever) to 65535, got {loop!r}")
    return _Options(dither, quality, int(loop), check_progress(progress))


def _mp4_module() -> Any:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ImportError(MP4_EXTRA_MESSAGE) from None
    return imageio_ffmpeg


def _scene_toml(anim: AnimationLike) -> str:
    return str(anim.scene.to_toml())


def _mood_toml(anim: AnimationLike) -> str | None:
    mood = getattr(anim, "mood", None)
    to_toml = getattr(mood, "to_toml", None)
    return str(to_toml()) if callable(to_toml) else None


def _gif_delays(n: int, fps: float) -> NDArray[np.int64]:
    delays = frame_durations(n, fps, 100)
    if fps > 50:
        warnings.warn(f"GIF viewers cap at 50 fps: {fps:g} fps plays at 50 fps (2 cs per "
                      "frame) and the loop lasts longer; use .webp, .png or .mp4 for the "
                      "exact rate", EncodeWarning, stacklevel=4)
        delays = np.maximum(delays, 2)
    return delays


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


def _write_gif(anim: AnimationLike, fp: BinaryIO, opts: _Options) -> None:
    n, w, h, fps = check_animation(anim)
    loop, progress = opts.loop, opts.progress
    delays = _gif_delays(n, fps)
    cache: dict[int, np.ndarray] = {}
    sampled = min(n, PALETTE_FRAMES)
    keep = sampled * w * h * 3 <= FRAME_CACHE_BYTES
    palette = build_palette(anim, cache=cache if keep else None)
    quantize = Quantizer(palette, opts.dither)

    fp.write(b"GIF89a" + struct.pack("<HHBBB", w, h, 0xF7, 0, 0) + palette.tobytes())
    fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00")
    fp.write(b"!\xfe" + _gif_subblocks(_scene_toml(anim).encode("utf-8")))

    previous: np.ndarray | None = None
    pending: tuple[np.ndarray, tuple[int, int], int] | None = None
    for i, frame in enumerate(iter_frames(anim, cache)):
        idx = quantize(frame)
        box = (0, 0, w, h) if previous is None else changed_box(previous, idx)
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
            progress(1)
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


def _write_apng(anim: AnimationLike, fp: BinaryIO, opts: _Options) -> None:
    n, w, h, fps = check_animation(anim)
    loop, progress = opts.loop, opts.progress
    fp.write(_PNG_SIGNATURE)
    actl_at = -1
    seq = 0
    written = 0
    previous: np.ndarray | None = None
    pending: tuple[np.ndarray, tuple[int, int], int] | None = None

    info = png_info(_scene_toml(anim), _mood_toml(anim))

    def emit(pixels: np.ndarray, offset: tuple[int, int], count: int) -> None:
        nonlocal seq, written, actl_at
        first = written == 0
        data = png.png_bytes(pixels, info if first else None)
        num, den = _apng_delay(fps, count)
        ph, pw = pixels.shape[:2]
        fctl = struct.pack(">IIIIIHHBB", seq, pw, ph, offset[0], offset[1], num, den, 0, 0)
        seq += 1
        out = bytearray()
        fctl_written = False
        for ctype, payload in _png_chunks(data):
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

    for frame in iter_frames(anim):
        box = (0, 0, w, h) if previous is None else changed_box(previous, frame)
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
            progress(1)
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
        self._n, self._w, self._h, _ = check_animation(anim)
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
            pixels = check_frame(self._anim.frame_array(frame), frame, self._w, self._h)
            if frame == 0:
                self._first = pixels
            if self._progress is not None and frame >= self._done:
                self._progress(frame + 1 - self._done)
                self._done = frame + 1
        self.im = Image.fromarray(pixels, "RGB").im
        self._index = frame

    def tell(self) -> int:
        return self._index


def _write_webp(anim: AnimationLike, fp: BinaryIO, opts: _Options) -> None:
    n, _, _, fps = check_animation(anim)
    quality, loop = opts.quality, opts.loop
    lazy = _LazyFrames(anim, opts.progress)
    durations = [int(d) for d in frame_durations(n, fps, 1000)]
    assert quality is not None
    options: dict[str, Any] = {"lossless": False, "quality": quality, "method": WEBP_METHOD}
    if quality == 100:  # lossless; its "quality" is the effort (as before 0.4: same bytes)
        options = {"lossless": True, "quality": 80, "method": 4}
    lazy.save(fp, format="WEBP", save_all=True, duration=durations if n > 1 else durations[0],
              loop=loop, xmp=xmp_packet(_scene_toml(anim)), background=(0, 0, 0, 255), **options)


# --------------------------------------------------------------------------- MP4


def _write_mp4(anim: AnimationLike, path: Path, opts: _Options) -> None:
    ffmpeg = _mp4_module().get_ffmpeg_exe()
    _, w, h, fps = check_animation(anim)
    progress = opts.progress
    pw, ph = w + (w % 2), h + (h % 2)  # yuv420p needs even sizes: pad by edge replication
    rate = str(Fraction(fps).limit_denominator(1001))
    assert opts.quality is not None
    cmd = [ffmpeg, "-y", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
           "-s", f"{pw}x{ph}", "-r", rate, "-i", "-", "-an",
           *mp4_video_args(opts.quality, pw, ph),
           "-movflags", "+faststart", "-metadata", f"comment={_scene_toml(anim)}",
           "-metadata", f"encoder=Wiktoria {__version__}", "-f", "mp4",
           "file:" + os.path.abspath(path)]  # never a protocol such as pipe: or concat:
    with tempfile.TemporaryFile() as err, subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err) as proc:
        stdin = proc.stdin
        assert stdin is not None
        try:
            for frame in iter_frames(anim):
                if (pw, ph) != (w, h):
                    frame = np.pad(frame, ((0, ph - h), (0, pw - w), (0, 0)), mode="edge")
                try:
                    stdin.write(frame.tobytes())
                except BrokenPipeError:
                    break  # ffmpeg died: its message is reported below
                if progress is not None:
                    progress(1)
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


def _to_file(writer: Callable[[AnimationLike, BinaryIO, _Options], None]
             ) -> Callable[[AnimationLike, Path, _Options], None]:
    def write(anim: AnimationLike, path: Path, opts: _Options) -> None:
        with open(path, "wb") as fp:
            writer(anim, fp, opts)

    return write


#: Animation writers by extension: ``writer(anim, path, options)``.
WRITERS: dict[str, Callable[[AnimationLike, Path, _Options], None]] = {
    ".gif": _to_file(_write_gif),
    ".png": _to_file(_write_apng),
    ".webp": _to_file(_write_webp),
    ".mp4": _write_mp4,
}


def _write(anim: AnimationLike, ext: str, path: Path, opts: _Options) -> None:
    started(opts.progress, len(anim))
    WRITERS[ext](anim, path, opts)


def _prepare(anim: AnimationLike, ext: str, target: str, dither: str, quality: int | None,
             loop: int, progress: Progress | None) -> _Options:
    """Check everything before a file is opened: options, the animation, the mp4 extra."""
    opts = _options(ext, target, dither, quality, loop, progress)
    check_animation(anim)
    if ext == ".mp4":
        _mp4_module()
    return opts


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
        ``.gif``, ``.png`` (APNG), ``.webp`` (animated WebP) or ``.mp4`` (H.264, see
        :func:`wiktoria.io.mp4.mp4_video_args`; odd sizes padded by one edge pixel; needs the
        ``mp4`` extra).
    dither : {"none", "ordered", "floyd"}
        GIF only. ``ordered`` is stable in time; ``floyd`` makes static areas flicker.
    quality : int, optional
        WebP: 1-99 lossy, 100 lossless; MP4: 1-100, x264 CRF ``51 - 0.35 * quality``
        (:func:`~wiktoria.io.mp4.mp4_crf`). None: :data:`DEFAULT_QUALITY` (WebP 82, MP4 80 =
        CRF 23). GIF and APNG take none.
    loop : int
        Times to play, 0 = forever (GIF, APNG, WebP; MP4 has no loop flag).
    progress : wiktoria.common.progress.Progress, optional
        ``progress.start(frames)`` first, then ``progress(n)`` as frames are encoded.

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
    ext = output_suffix(target, animation=True)
    opts = _prepare(anim, ext, str(target), dither, quality, loop, progress)
    check_output_dir(target)
    with atomic_path(target) as tmp:
        _write(anim, ext, tmp, opts)
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
    opts = _prepare(anim, e, f"<{ext}>", dither, quality, loop, progress)
    with tempfile.TemporaryDirectory(prefix="wiktoria-") as folder:
        tmp = Path(folder) / f"loop{e}"
        _write(anim, e, tmp, opts)
        return tmp.read_bytes()
