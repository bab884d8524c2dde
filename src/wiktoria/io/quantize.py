"""The GIF quantiser: one palette for a whole loop, and exact nearest-colour mapping to it.

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
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from wiktoria.colour import linear_to_oklab, srgb_to_linear
from wiktoria.io.frames import AnimationLike, check_animation, check_frame

__all__ = ["DITHERS", "PALETTE_FRAMES", "PALETTE_PIXELS", "RAMP_SHARE", "RGB_WEIGHT", "Quantizer",
           "build_palette"]

#: GIF dither modes.
DITHERS = ("none", "ordered", "floyd")
#: Frames sampled to build a GIF palette.
PALETTE_FRAMES = 16
#: Pixels sampled per palette frame.
PALETTE_PIXELS = 2**14
#: Share of the palette's k-means weight given to the mood's ramp.
RAMP_SHARE = 0.01
#: Weight of sRGB (0-1 per channel) beside OKLab in the palette's colour distance.
RGB_WEIGHT = 0.3

_SEED = 0x57494B54  # "WIKT": the palette's pixel sample and k-means seeding are deterministic


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

    Examples
    --------
    >>> import wiktoria
    >>> anim = wiktoria.animate("serene", size=(24, 16), frames=2, seed=1)
    >>> palette = build_palette(anim, colours=16)
    >>> palette.shape, Quantizer(palette)(anim.frame_array(0)).shape
    ((16, 3), (16, 24))
    """
    if not 2 <= colours <= 256:
        raise ValueError(f"colours must be from 2 to 256, got {colours}")
    n, w, h, _ = check_animation(anim)
    rng = np.random.default_rng(_SEED)
    picks = np.unique(np.rint(np.linspace(0, n - 1, min(n, max_frames))).astype(int)).tolist()
    keys = []
    for i in picks:
        frame = check_frame(anim.frame_array(i), i, w, h)
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
        # The entry of every colour mapped so far (dither "none"), by packed 24-bit sRGB:
        # -1 for none yet. A loop's frames share most of their colours (the paper's grain,
        # the land at rest), so each frame maps only the colours it is the first to show;
        # a colour's entry is its own nearest, whichever frame it is first met in.
        self._memo: NDArray[np.int16] | None = None

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
        if self.dither == "none" or self.palette.shape[0] < 2:
            return self._mapped(keys).reshape(h, w)
        uniq, inv = np.unique(keys, return_inverse=True)
        inv = inv.reshape(h, w)
        feat = _features(_unpack(uniq))
        return self._ordered(feat, inv)

    def _mapped(self, keys: NDArray[np.int32]) -> NDArray[np.uint8]:
        """The nearest entries of the packed colours ``keys``, through the memo of colours
        already mapped (``_memo``, 32 MB once made): only the distinct colours not met before
        are matched against the palette."""
        if self._memo is None:
            self._memo = np.full(1 << 24, -1, dtype=np.int16)
        got = self._memo[keys]
        new = got < 0
        if new.any():
            fresh = np.unique(keys[new])
            idx, _ = _nearest(_features(_unpack(fresh)), self._feat)
            self._memo[fresh] = idx[:, 0]
            got[new] = self._memo[keys[new]]
        return got.astype(np.uint8)

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
