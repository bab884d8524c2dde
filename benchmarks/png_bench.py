"""PNG writing: :func:`wiktoria.io.png.png_bytes` beside Pillow's encoder, time and size.

Paints a few styles and moods at one size (in process), then writes each as PNG with Pillow
at zlib levels 4 (what still PNGs used before) and 6 (Pillow's default), and with
:func:`wiktoria.io.png.png_bytes` deflating with ISA-L (``isal``, the default) and with the
standard library's zlib (its fallback), and prints the median time and each file's size
relative to Pillow's level 4::

    python benchmarks/png_bench.py [--size 1920x1080] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import zlib
from collections.abc import Callable

import numpy as np
from PIL import Image

import wiktoria
from wiktoria.io import png
from wiktoria.io.metadata import png_info

PAIRS = [("seething", "landscape"), ("serene", "landscape"), ("haunting", "marble"),
         ("electric", "lines"), ("melancholy", "field"), ("euphoric", "storm")]


def timed(make: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    """Median seconds of ``make()`` over ``repeat`` runs, and the size of what it made."""
    times, data = [], b""
    for _ in range(repeat):
        t = time.perf_counter()
        data = make()
        times.append(time.perf_counter() - t)
    return statistics.median(times), len(data)


def pillow(pixels: np.ndarray, level: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG", compress_level=level, pnginfo=png_info(""))
    return buf.getvalue()


def ours(pixels: np.ndarray, deflate: object) -> bytes:
    saved = png._deflate
    png._deflate = deflate
    try:
        return png.png_bytes(pixels, png_info(""))
    finally:
        png._deflate = saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    w, h = map(int, args.size.split("x"))
    writers: list[tuple[str, Callable[[np.ndarray], bytes]]] = [
        ("Pillow level 4", lambda p: pillow(p, 4)),
        ("Pillow level 6", lambda p: pillow(p, 6)),
        ("ours, isal", lambda p: ours(p, png._deflate)),
        ("ours, zlib", lambda p: ours(p, zlib)),
    ]
    print(f"PNG writing at {w}x{h}, median of {args.repeat}: ms (size / Pillow level 4)")
    print(f"{'mood':>11} {'style':>10}" + "".join(f"{name:>20}" for name, _ in writers))
    for mood, style in PAIRS:
        pixels = np.asarray(wiktoria.paint(mood, size=(w, h), seed=4, style=style).image)
        results = [timed(lambda f=f, p=pixels: f(p), args.repeat) for _, f in writers]
        base = results[0][1]
        print(f"{mood:>11} {style:>10}" + "".join(
            f"{t * 1000:10.0f} ms ({n / base:.3f})" for t, n in results))


if __name__ == "__main__":
    main()
