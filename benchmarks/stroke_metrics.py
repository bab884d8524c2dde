"""Stroke metrics of the brush layer, per mood (issue 14).

    python benchmarks/stroke_metrics.py [--style landscape] [--size 960x540] [--seed 3]

For every shipped mood, the strokes of one painting (after the layout and prepare passes) and:

* ``count``, stroke lengths and widths at the 5th, 50th and 95th percentiles (pixels);
* ``empty``: the share of the canvas farther than one spacing from any stroke;
* ``spacing``: the smallest distance from a point of one stroke to a point of another stroke
  of a *different streamline*, over the local test distance (>= 1 means Jobard-Lefer's rule
  holds; strokes cut from one streamline only meet end to end);
* ``overlap``: the share of ink pixels (stroke cores rasterised at 1 px) that two or more
  strokes cover;
* ``ms``: the brush layer's placement time (guide, streamlines, cutting).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

import numpy as np

import wiktoria
from wiktoria.render.compositor import prepare
from wiktoria.render.strokes.streamlines import Streamlines


def brush_of(mood: str, size: tuple[int, int], seed: int, style: str) -> tuple:
    """The prepared brush renderer of one painting, and how long its prepare took."""
    scene = wiktoria.paint(mood, size=(8, 8), seed=seed, style=style).scene
    scene = replace(scene, canvas=wiktoria.Canvas(*size, seed))
    _, renderers = prepare(scene)
    brush = next(r for r in renderers if r.layer.type == "brush")
    t0 = time.perf_counter()
    brush.prepare()  # again, alone, to time it (it reads only what the layers below left)
    return brush, None, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", default="landscape")
    ap.add_argument("--size", default="960x540")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    moods = sorted(wiktoria.moods(), key=lambda n: wiktoria.mood(n).arousal)
    print(f"brush strokes, style {args.style}, {w}x{h}, seed {args.seed}")
    print(f"{'mood':<13}{'count':>6}{'len p5/p50/p95':>18}{'width p5/p50/p95':>19}"
          f"{'empty':>7}{'spacing':>9}{'overlap':>9}{'ms':>7}")
    rows = []
    for mood in moods:
        brush, _, seconds = brush_of(mood, (w, h), args.seed, args.style)
        s = Streamlines(brush.points, brush.offsets)
        n = len(s)
        lengths = s.lengths() if n else np.zeros(1)
        widths = brush.widths if n else np.zeros(1)
        spacing_px = brush.layer.spacing * h / 1080
        # Empty share: pixels farther than one spacing from every stroke point.
        grid = np.zeros((h, w), bool)
        p = np.round(brush.points).astype(int)
        ok = (p[:, 0] >= 0) & (p[:, 0] < w) & (p[:, 1] >= 0) & (p[:, 1] < h)
        grid[p[ok, 1], p[ok, 0]] = True
        k = max(1, round(spacing_px))
        near = grid.copy()
        for axis in (0, 1):  # a separable max filter by shifts (k is a few pixels)
            acc = near.copy()
            for d in range(1, k + 1):
                acc[tuple(slice(d, None) if a == axis else slice(None) for a in (0, 1))] |= \
                    near[tuple(slice(None, -d) if a == axis else slice(None) for a in (0, 1))]
                acc[tuple(slice(None, -d) if a == axis else slice(None) for a in (0, 1))] |= \
                    near[tuple(slice(d, None) if a == axis else slice(None) for a in (0, 1))]
            near = acc
        empty = 1.0 - near.mean()
        # Overlap: ink pixels (cores at 1 px) hit by two or more strokes.
        owner = np.repeat(np.arange(n), np.diff(brush.offsets)) if n else np.zeros(0, int)
        flat = p[ok, 1] * w + p[ok, 0]
        pairs = np.unique(np.stack([flat, owner[ok]], 1), axis=0) if n else np.zeros((0, 2))
        hits = np.bincount(pairs[:, 0].astype(np.int64), minlength=w * h) if n else np.zeros(1)
        ink = hits > 0
        overlap = float((hits >= 2).sum() / max(1, ink.sum()))
        # Spacing between different streamlines (a sample of points, brute force).
        line_id = brush.line_of_stroke[owner] if n else owner
        rng = np.random.default_rng(0)
        sample = rng.choice(len(brush.points), size=min(3000, len(brush.points)), replace=False)
        d = np.hypot(*(brush.points[sample, None, :] - brush.points[None, :, :])
                     .transpose(2, 0, 1))
        d[line_id[sample][:, None] == line_id[None, :]] = np.inf
        spacing = float(d.min() / (brush.layer.test * spacing_px))
        rows.append((mood, n, np.percentile(lengths, [5, 50, 95]),
                     np.percentile(widths, [5, 50, 95]), empty, spacing, overlap, seconds))
        print(f"{mood:<13}{n:>6}{'/'.join(f'{x:.0f}' for x in rows[-1][2]):>18}"
              f"{'/'.join(f'{x:.1f}' for x in rows[-1][3]):>19}{empty:>7.2f}{spacing:>9.2f}"
              f"{overlap:>9.3f}{seconds * 1000:>7.0f}")
    print(f"{'median':<13}{statistics.median(r[1] for r in rows):>6.0f}{'':>37}"
          f"{statistics.median(r[4] for r in rows):>7.2f}"
          f"{statistics.median(r[5] for r in rows):>9.2f}"
          f"{statistics.median(r[6] for r in rows):>9.3f}"
          f"{statistics.median(r[7] for r in rows) * 1000:>7.0f}")


if __name__ == "__main__":
    main()
