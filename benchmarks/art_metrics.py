"""Art metrics: how much each painting is a composition rather than a recoloured template.

    python benchmarks/art_metrics.py [--style landscape | --style all | --style a b ...]
                                     [--size 384x216] [--seeds 1 2 3 4] [--sheet contact.png]

Paints every shipped mood at each seed and computes, on OKLab lightness L:

* ``row_r2``: the variance of the row means of L over the variance of L (1.0: horizontal bands
  only, the row of a pixel explains its value);
* ``seed_corr``: the mean Pearson correlation of L, block-averaged to a quarter of the size in
  each direction, between the seeds of one mood (1.0: seeds change only texture);
* ``mood_corr``: the same between this mood and each other mood at one seed, averaged over the
  seeds (reported per mood as its mean, and overall as median and maximum over pairs);
* ``L_range``: the 98th minus the 2nd percentile of L (the value range the painting uses).

Prints one row per mood and the medians, with the goals of issue 13 beside them (the goals are
for the default style); with several styles, one table each and then a summary of the medians
per style. ``--sheet`` writes a contact sheet (moods down, seeds across) to look at beside the
numbers (``{style}`` in the name is replaced by each style's).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

import numpy as np
from PIL import Image

import wiktoria
from wiktoria.colour import srgb_to_oklab

GOALS = {"row_r2": "<= 0.5 (median)", "seed_corr": "<= 0.5 (median)",
         "mood_corr": "median <= 0.6, max <= 0.9",
         "L_range": "median >= 0.45; >= 0.6 for seething, electric, euphoric, dancing; >= 0.35"}
AGITATED = ("seething", "electric", "euphoric", "dancing")


def lightness(pixels: np.ndarray) -> np.ndarray:
    """OKLab L of an (H, W, 3) uint8 image."""
    return np.asarray(srgb_to_oklab(pixels.astype(np.float32) / np.float32(255)))[..., 0]


def row_r2(L: np.ndarray) -> float:
    """Share of the variance of L that the row means explain."""
    total = float(L.var())
    return float(L.mean(axis=1).var()) / total if total > 0 else 1.0


def blocks(L: np.ndarray, factor: int = 4) -> np.ndarray:
    """L averaged over ``factor`` x ``factor`` blocks (the edges cropped to whole blocks)."""
    h, w = (L.shape[0] // factor) * factor, (L.shape[1] // factor) * factor
    return L[:h, :w].reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))


def corr(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two arrays (0 when either is flat)."""
    a, b = a.ravel() - a.mean(), b.ravel() - b.mean()
    den = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / den if den > 0 else 0.0


def l_range(L: np.ndarray) -> float:
    lo, hi = np.percentile(L, [2, 98])
    return float(hi - lo)


def measure(style: str, size: tuple[int, int], seeds: list[int], sheet: str | None
            ) -> tuple[float, float, float, float, float]:
    """Print the table of one style; return its medians (row_r2, seed_corr, mood_corr,
    max mood_corr, L_range)."""
    w, h = size
    moods = sorted(wiktoria.moods(), key=lambda n: wiktoria.mood(n).arousal)
    t0 = time.perf_counter()
    images: dict[tuple[str, int], np.ndarray] = {}
    for name, seed in itertools.product(moods, seeds):
        images[name, seed] = np.asarray(wiktoria.paint(name, size=(w, h), seed=seed,
                                                       style=style))
    seconds = time.perf_counter() - t0
    Ls = {key: lightness(img) for key, img in images.items()}
    small = {key: blocks(L) for key, L in Ls.items()}

    pair_corr: dict[tuple[str, str], float] = {}
    for a, b in itertools.combinations(moods, 2):
        pair_corr[a, b] = statistics.fmean(corr(small[a, s], small[b, s]) for s in seeds)

    rows = []
    for name in moods:
        r2 = statistics.fmean(row_r2(Ls[name, s]) for s in seeds)
        sc = statistics.fmean(corr(small[name, a], small[name, b])
                              for a, b in itertools.combinations(seeds, 2))
        mc = statistics.fmean(v for (a, b), v in pair_corr.items() if name in (a, b))
        lr = statistics.fmean(l_range(Ls[name, s]) for s in seeds)
        rows.append((name, r2, sc, mc, lr))

    print(f"art metrics: style {style}, {w}x{h}, seeds {seeds}, "
          f"{len(images)} paintings in {seconds:.1f} s")
    print(f"{'mood':<14}{'row_r2':>8}{'seed_corr':>11}{'mood_corr':>11}{'L_range':>9}")
    for name, r2, sc, mc, lr in rows:
        flag = " *" if (name in AGITATED and lr < 0.6) or lr < 0.35 else ""
        print(f"{name:<14}{r2:>8.2f}{sc:>11.2f}{mc:>11.2f}{lr:>9.2f}{flag}")
    pairs = list(pair_corr.values())
    worst = max(pair_corr, key=lambda k: pair_corr[k])
    medians = (statistics.median(r[1] for r in rows), statistics.median(r[2] for r in rows),
               statistics.median(pairs), max(pairs), statistics.median(r[4] for r in rows))
    print(f"{'median':<14}{medians[0]:>8.2f}{medians[1]:>11.2f}{medians[2]:>11.2f}"
          f"{medians[4]:>9.2f}")
    print(f"mood_corr over pairs: median {medians[2]:.2f}, max {medians[3]:.2f} "
          f"({worst[0]} / {worst[1]})")
    print("goals: " + "; ".join(f"{k} {v}" for k, v in GOALS.items()))
    print("* below its L_range goal\n")

    if sheet:
        out = Image.new("RGB", (w * len(seeds), h * len(moods)))
        for i, name in enumerate(moods):
            for j, seed in enumerate(seeds):
                out.paste(Image.fromarray(images[name, seed]), (j * w, i * h))
        path = sheet.replace("{style}", style)
        out.save(path)
        print(f"wrote {path}\n")
    return medians


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", nargs="+", default=["landscape"],
                    help="one or more styles, or 'all'")
    ap.add_argument("--size", default="384x216")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--sheet", help="write a contact sheet (moods down, seeds across) here")
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    from wiktoria.scene.styles import STYLES

    styles = list(STYLES) if args.style == ["all"] else args.style
    summary = {style: measure(style, size, args.seeds, args.sheet)  # type: ignore[arg-type]
               for style in styles}
    if len(styles) > 1:
        print(f"{'style':<12}{'row_r2':>8}{'seed_corr':>11}{'mood_corr':>11}{'max':>6}"
              f"{'L_range':>9}   (medians over the moods)")
        for style, (r2, sc, mc, mx, lr) in summary.items():
            print(f"{style:<12}{r2:>8.2f}{sc:>11.2f}{mc:>11.2f}{mx:>6.2f}{lr:>9.2f}")


if __name__ == "__main__":
    main()
