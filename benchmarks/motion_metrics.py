"""Motion metrics of default loops (issue 15): do forms travel, does the frame pulse, does the
pace follow the mood?

    python benchmarks/motion_metrics.py [--size 256] [--seeds 1 2] [--style landscape]
                                        [--moods serene tender haunting writhing electric seething]
                                        [--frames N] [--strip DIR] [--set brush.opacity=0]

For each mood, default loops (``wiktoria.animate(mood, size=(size, size), seed=s)``; ``--frames``
forces a frame count) are rendered and measured on luminance (Rec. 709 luma of the sRGB bytes,
0-255):

* ``moved``: over textured 24x24 blocks (luma standard deviation >= 4) away from the border,
  the share of the mean absolute difference between frames ``n`` and ``n + 4`` that the best
  whole-pixel shift of the block within 8 px removes: ``(mad0 - best) / mad0``, median over
  blocks and frame pairs (48 pairs spread over the loop). 1 = the change is pure travel; 0 = it is all cross-fade (shapes
  dissolving and re-forming where they stand). Goal >= 0.5.
* ``moved_sub``: the same with each block's best whole-pixel shift refined to a quarter pixel
  (bilinear): slow travel (under a pixel in four frames) is a shift too. Anything that holds
  still inside a block (the paper's tooth, the light's gradient, the land under strokes) is not
  removed by a shift of the whole block: ``--set brush.opacity=0 --set paper.tooth=0 ...``
  measures the travelling layers alone.
* ``swing``: max minus min of the frame's mean luma over the loop. Goal <= 2.0.
* ``contrast``: max minus min of the frame's luma standard deviation over the loop.
* ``mad``: mean absolute luma change between consecutive frames (including last -> first).
  Its rank order over the moods should follow arousal: ``spearman`` (goal >= 0.8).

Medians over seeds. ``--strip DIR`` also writes each loop's frame strip (8 frames side by side)
as ``DIR/strip-MOOD-SEED.png`` for looking at.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import numpy as np

import wiktoria
from wiktoria.moods import mood as get_mood

BLOCK = 24
SHIFT = 8
GAP = 4


def luma(frames: np.ndarray) -> np.ndarray:
    """Rec. 709 luma of sRGB uint8 frames (n, h, w, 3) as float32 (n, h, w), 0-255."""
    return (frames[..., :3].astype(np.float32) @ np.array([0.2126, 0.7152, 0.0722],
                                                          np.float32))


def _frac_shift(img: np.ndarray, fy: float, fx: float) -> np.ndarray:
    """``img`` (n, h, w) sampled at ``(y + fy, x + fx)``, bilinear, edges repeated."""
    out = img
    for axis, f in ((1, fy), (2, fx)):
        if f == 0.0:
            continue
        step = 1 if f > 0 else -1
        nb = np.roll(out, -step, axis=axis)
        edge = [slice(None)] * 3
        edge[axis] = slice(-1, None) if step > 0 else slice(0, 1)
        nb[tuple(edge)] = out[tuple(edge)]
        out = out + (nb - out) * np.float32(abs(f))
    return out


def moved(lum: np.ndarray, subpixel: bool = False) -> float:
    """The ``moved`` share (module docstring) over frame pairs ``n, n + GAP``; with
    ``subpixel``, each block's best whole-pixel shift is refined to a quarter pixel
    (bilinear)."""
    h, w = lum.shape[1:]
    by, bx = (h - 2 * SHIFT) // BLOCK, (w - 2 * SHIFT) // BLOCK
    y0, x0 = SHIFT, SHIFT
    # at most 48 pairs, evenly spread over the loop (long, slow loops would take minutes)
    pick = np.unique(np.linspace(0, len(lum), 48, endpoint=False).astype(int))
    later = lum[(pick + GAP) % len(lum)]
    lum = lum[pick]
    n = len(lum)

    def blocks(img: np.ndarray) -> np.ndarray:  # (pairs, by, bx, BLOCK, BLOCK)
        sub = img[:, y0:y0 + by * BLOCK, x0:x0 + bx * BLOCK]
        return sub.reshape(len(img), by, BLOCK, bx, BLOCK).swapaxes(2, 3)

    a = lum
    b = later
    bb = blocks(b)
    textured = blocks(a).std(axis=(3, 4)) >= 4.0
    base = np.abs(blocks(a) - bb).mean(axis=(3, 4))
    best = base.copy()
    arg_y = np.zeros(base.shape, np.intp)
    arg_x = np.zeros(base.shape, np.intp)
    for dy in range(-SHIFT, SHIFT + 1):  # 289 whole-frame shifts, each vectorised
        for dx in range(-SHIFT, SHIFT + 1):
            shifted = a[:, y0 + dy:y0 + dy + by * BLOCK, x0 + dx:x0 + dx + bx * BLOCK]
            sb = shifted.reshape(n, by, BLOCK, bx, BLOCK).swapaxes(2, 3)
            m = np.abs(sb - bb).mean(axis=(3, 4))
            better = m < best
            best[better] = m[better]
            arg_y[better], arg_x[better] = dy, dx
    if subpixel:
        k = np.arange(BLOCK)
        rows = (y0 + np.arange(by)[None, :, None] * BLOCK + arg_y)[..., None] + k  # n,by,bx,B
        cols = (x0 + np.arange(bx)[None, None, :] * BLOCK + arg_x)[..., None] + k
        ii = np.arange(n)[:, None, None, None, None]
        for fy in (-0.5, -0.25, 0.0, 0.25, 0.5):
            for fx in (-0.5, -0.25, 0.0, 0.25, 0.5):
                if fy == 0.0 and fx == 0.0:
                    continue
                af = _frac_shift(a, fy, fx)
                sb = af[ii, rows[..., :, None], cols[..., None, :]]
                np.minimum(best, np.abs(sb - bb).mean(axis=(3, 4)), out=best)
    ok = textured & (base > 0.5)
    if not ok.any():
        return float("nan")
    return float(np.median(((base - best) / np.maximum(base, 1e-6))[ok]))


def measure(mood: str, size: int, seed: int, style: str, frames: int | None,
            strip: Path | None, sets: dict[str, float] | None = None) -> dict[str, float]:
    kw: dict = {} if frames is None else {"frames": frames}
    kw.update(sets or {})
    anim = wiktoria.animate(mood, size=(size, size), seed=seed, style=style, **kw)
    arr = np.stack([np.asarray(p) for p in anim])
    if strip is not None:
        from PIL import Image

        pick = np.linspace(0, len(arr), 8, endpoint=False).astype(int)
        Image.fromarray(np.concatenate(list(arr[pick]), axis=1)).save(
            strip / f"strip-{mood}-{seed}.png")
    lum = luma(arr)
    means = lum.mean(axis=(1, 2))
    stds = lum.std(axis=(1, 2))
    mad = float(np.abs(np.roll(lum, -1, axis=0) - lum).mean())
    return {"frames": len(arr), "seconds": len(arr) / anim.fps, "moved": moved(lum),
            "moved_sub": moved(lum, subpixel=True),
            "swing": float(means.max() - means.min()),
            "contrast": float(stds.max() - stds.min()), "mad": mad}


def spearman(a: list[float], b: list[float]) -> float:
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--style", default="landscape")
    ap.add_argument("--moods", nargs="+",
                    default=["serene", "tender", "haunting", "writhing", "electric", "seething"])
    ap.add_argument("--frames", type=int, default=None)
    ap.add_argument("--strip", type=Path, default=None)
    ap.add_argument("--set", action="append", default=[], metavar="LAYER.PARAM=VALUE",
                    help="a layer parameter for every loop (e.g. brush.opacity=0 to see the "
                         "layers below the strokes)")
    args = ap.parse_args()
    sets = {k.replace(".", "__"): float(v) for k, v in (x.split("=", 1) for x in args.set)}
    if args.strip is not None:
        args.strip.mkdir(parents=True, exist_ok=True)
    keys = ["frames", "seconds", "moved", "moved_sub", "swing", "contrast", "mad"]
    print(f"style {args.style}, {args.size}x{args.size}, seeds {args.seeds}; medians over seeds")
    print("| mood | arousal | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 2) + "|")
    arousal, mads, moves, swings = [], [], [], []
    for mood in args.moods:
        rows = [measure(mood, args.size, s, args.style, args.frames, args.strip, sets)
                for s in args.seeds]
        med = {k: statistics.median(r[k] for r in rows) for k in keys}
        a = get_mood(mood).arousal
        arousal.append(a)
        mads.append(med["mad"])
        moves.append(med["moved"])
        swings.append(med["swing"])
        cells = " | ".join(f"{med[k]:.2f}" if k != "frames" else f"{med[k]:.0f}" for k in keys)
        print(f"| {mood} | {a:+.2f} | {cells} |", flush=True)
    print(f"\nmoved median {statistics.median(moves):.2f} (goal >= 0.5); swing max "
          f"{max(swings):.2f} (goal <= 2.0); spearman(mad, arousal) {spearman(mads, arousal):.2f} "
          "(goal >= 0.8)")


if __name__ == "__main__":
    main()
