"""Size, bit rate and encode time of the animation formats, before (0.3) and after issue 15.

Encodes folders of frames written by ``wiktoria frames`` (read once into memory, so the
times are the encoder's alone) with each format's settings and prints a table. Bit rates
and "MB / 10 s" are extrapolated from the loop's length::

    wiktoria frames --mood serene --seed 7 --size 1920x1080 --frames 72 --fps 24 -o serene-1080
    wiktoria frames --mood serene --seed 7 --size 512x512 --frames 48 --fps 24 -o serene-512
    python benchmarks/encode_bench.py serene-1080 serene-512 [--formats mp4,webp,gif]

Settings
--------
* ``mp4 before``: libx264 ``-preset medium -crf 18``, yuv420p, untagged (BT.601 conversion).
* ``mp4 qN``: ``write_animation(..., quality=N)`` now (default 80: CRF 23, preset slow,
  capped at 14 Mbit/s per 1080p, BT.709); see :func:`wiktoria.io.encode.mp4_video_args`.
* ``webp before``: lossless (0.3's default; now ``quality=100``); ``webp qN``: lossy.
* ``gif``: unchanged (one palette, no dither).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from wiktoria.io import encode
from wiktoria.run.assemble import FramesFolder

BEFORE_MP4 = ["-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p"]


class InMemory:
    """A :class:`FramesFolder` with every frame decoded once up front."""

    def __init__(self, folder: FramesFolder) -> None:
        self.scene, self.mood, self.fps, self.size = (folder.scene, folder.mood, folder.fps,
                                                      folder.size)
        self.frames = [folder.frame_array(i) for i in range(len(folder))]

    def __len__(self) -> int:
        return len(self.frames)

    def frame_array(self, index: int) -> np.ndarray:
        return self.frames[index]


def settings(fmt: str, qualities: list[int]) -> list[tuple[str, dict[str, Any], bool]]:
    """``(label, write_animation options, use 0.3's MP4 arguments)`` for a format."""
    if fmt == "mp4":
        return [("before crf18", {}, True),
                *[(f"q{q} crf{encode.mp4_crf(q)}" + (" (default)" if q == 80 else ""),
                   {"quality": q}, False) for q in qualities]]
    if fmt == "webp":
        return [("before lossless", {"quality": 100}, False),
                *[(f"q{q}" + (" (default)" if q == 82 else ""), {"quality": q}, False)
                  for q in qualities]]
    return [("unchanged", {}, False)]


def run(anim: InMemory, fmt: str, options: dict[str, Any], before: bool) -> tuple[int, float]:
    original = encode.mp4_video_args
    if before:
        encode.mp4_video_args = lambda *_: list(BEFORE_MP4)  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            path = encode.write_animation(anim, Path(d) / f"x.{fmt}", **options)
            elapsed = time.perf_counter() - t0
            return path.stat().st_size, elapsed
    finally:
        encode.mp4_video_args = original  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="folders written by wiktoria frames")
    parser.add_argument("--formats", default="mp4,webp,gif",
                        help="comma list of mp4, webp, gif, png  [default: mp4,webp,gif]")
    parser.add_argument("--mp4-qualities", default="80",
                        help="MP4 --quality values besides 'before'  [default: 80]")
    parser.add_argument("--webp-qualities", default="82",
                        help="WebP --quality values besides 'before'  [default: 82]")
    args = parser.parse_args(argv)
    qualities = {"mp4": [int(q) for q in args.mp4_qualities.split(",")],
                 "webp": [int(q) for q in args.webp_qualities.split(",")]}
    print(f"{'frames':<16} {'format':<6} {'setting':<22} {'bytes':>11} {'MB/10 s':>8} "
          f"{'Mbit/s':>8} {'encode s':>9}")
    for folder in args.folders:
        anim = InMemory(FramesFolder(folder))
        seconds = len(anim) / anim.fps
        w, h = anim.size
        label = f"{anim.scene.mood.name} {w}x{h}"
        for fmt in args.formats.split(","):
            if fmt == "mp4" and max(w, h) < 1000:
                continue  # MP4 rows for the 1080p folders, GIF/WebP rows for the small ones
            if fmt in ("gif", "webp", "png") and max(w, h) > 1000:
                continue
            for name, options, before in settings(fmt, qualities.get(fmt, [])):
                size, elapsed = run(anim, fmt, options, before)
                print(f"{label:<16} {fmt:<6} {name:<22} {size:>11,} "
                      f"{size * 10 / seconds / 1e6:>8.1f} {size * 8 / seconds / 1e6:>8.2f} "
                      f"{elapsed:>9.1f}", flush=True)
    print(f"({os.cpu_count()} CPUs; 'MB/10 s' and 'Mbit/s' from each loop's length)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
