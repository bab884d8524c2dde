"""What strokes follow: a direction field, the labels of the forms and a density, on a grid.

:func:`guide` builds, for a frame, the fields that :func:`~wiktoria.render.strokes.streamlines.
evenly_spaced` places strokes in:

* **direction**: inside a form of the land (:mod:`wiktoria.render.forms`), a blend of the
  form's own direction (along its outline, the tangent of the smoothed outline carried into
  the form) and the mood's noise field (a dominant direction turned by an fBm); in the air,
  the noise field alone. The field is defined mod pi;
* **labels**: 0 in the air, ``k + 1`` inside the ``k``-th form, so a stroke stops at the
  outline of its form and each form has its own strokes;
* **density**: 1 where strokes are densest, less in the air, and 0 in the quiet share of the
  picture that the composition leaves empty (``composition.empty``), thinning away from the
  light.

The grid has at most ``grid`` samples along the longer side (strokes are placed there and
scaled to the frame), so placing strokes costs the same at any size.

Examples
--------
>>> import wiktoria
>>> from wiktoria.render.layer import Frame
>>> scene = wiktoria.paint("haunting", size=(96, 54), seed=2).scene
>>> frame = Frame(scene, scene.mood, 96, 54, scene.seed)
>>> g = guide(frame, follow=0.7, frequency=2.0, octaves=3, seed=1, t=0.0, period=None)
>>> g.u.shape == g.labels.shape == g.density.shape == (54, 96)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wiktoria import noise
from wiktoria.render.layer import interp_grid

if TYPE_CHECKING:
    from wiktoria.render.layer import Frame

__all__ = ["AIR_TURN", "GRID", "RELAX", "WALL_RELAX", "Guide", "guide"]

F32 = np.float32

#: Most grid samples along the longer side of the frame.
GRID = 960
#: How much of ``turn`` the noise turns the strokes in the air of a frame with land.
AIR_TURN = 0.35
#: Depth (of the frame's height) over which the strokes of a range relax from its outline to
#: level.
RELAX = 0.12
#: The same for the walls of a canyon: only a narrow band along a wall's edge follows it.
WALL_RELAX = 0.04


@dataclass
class Guide:
    """The fields strokes are placed in, on a grid ``scale`` times the frame's size.

    Attributes
    ----------
    u, v : float32 arrays (h, w)
        Unit direction (mod pi), x along columns, y along rows.
    labels : int32 array (h, w)
        0 in the air, ``k + 1`` in the ``k``-th form.
    density : float32 array (h, w)
        0 (empty) to 1 (densest).
    scale : float
        Grid samples per frame pixel.
    """

    u: np.ndarray
    v: np.ndarray
    labels: np.ndarray
    density: np.ndarray
    scale: float


def _unit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = np.hypot(x, y) + F32(1e-12)
    return (x / n).astype(F32), (y / n).astype(F32)


def _coarse(x: np.ndarray, k: int) -> np.ndarray:
    """Every ``k``-th of the rising coordinates ``x``, and the last one."""
    c = x[::k]
    return c if c[-1] == x[-1] else np.append(c, x[-1])


def _bilinear(c: np.ndarray, cy: np.ndarray, cx: np.ndarray, ys: np.ndarray, xs: np.ndarray
              ) -> np.ndarray:
    """Values ``c`` given at rows ``cy`` and columns ``cx`` (every sample of ``ys``, ``xs``
    when ``k`` is 1: taken as they are), interpolated at ``ys`` x ``xs`` (float32)."""
    c = c.astype(F32)
    if len(cy) == len(ys) and len(cx) == len(xs):
        return c
    return interp_grid(c, cy, cx, ys, xs)


def guide(frame: Frame, *, follow: float, frequency: float, octaves: int, seed: int, t: float,
          period: int | None, air: float = 0.4, turn: float = 0.6, angle: float = 0.0,
          grid: int = GRID) -> Guide:
    """The direction, labels and density for the strokes of ``frame``.

    Parameters
    ----------
    frame : Frame
        Its ``shared["forms"]`` (published by the land layer) are the forms; without them the
        whole frame is air.
    follow : float
        0 .. 1: how much a stroke inside a form follows the form rather than the noise.
    frequency : float
        Noise cells per frame height of the stream function.
    octaves : int
    seed : int
        Noise seed.
    t, period
        Time and its period (animations), as :meth:`Frame.time` gives them.
    air : float
        Density of strokes in the air, relative to the land's.
    turn : float
        How far the noise turns the strokes from ``angle``, in half-turns (0 parallel).
    angle : float
        The dominant direction, radians from the horizontal.
    grid : int
        Most samples along the longer side.
    """
    W, H = frame.width, frame.height
    scale = min(1.0, grid / max(W, H))
    gw, gh = max(2, round(W * scale)), max(2, round(H * scale))
    xs = (np.arange(gw) + 0.5) / gw * W  # frame pixel coordinates of the grid
    ys = (np.arange(gh) + 0.5) / gh * H
    # The mood's field: a dominant direction (``angle``) that the noise turns by up to
    # ``turn`` half-turns, so strokes flow one way with eddies where the noise is strong
    # rather than curling evenly everywhere (a contour map).
    # The noise is smooth at the grid's scale: it is evaluated every ``k`` samples (a
    # sixteenth of its finest cell) and interpolated bilinearly in between.
    s = frequency / H
    finest = H / (frequency * 2.0 ** (octaves - 1)) * scale  # grid samples per finest cell
    k = max(1, int(finest / 16))
    cx, cy = _coarse(xs, k), _coarse(ys, k)
    wave = _bilinear(noise.fbm((cx * s).reshape(1, -1), (cy * s).reshape(-1, 1), t,
                               octaves=octaves, seed=seed, period=(None, None, period),
                               dtype=np.float32), cy, cx, ys, xs)
    theta = F32(angle) + F32(turn * np.pi) * wave
    nu, nv = np.cos(theta).astype(F32), np.sin(theta).astype(F32)
    labels = np.zeros((gh, gw), np.int32)
    tx = np.zeros((gh, gw), F32)  # the outline's direction in the form each sample lies in
    ty = np.zeros((gh, gw), F32)
    deep = np.zeros((gh, gw), F32)  # how deep in it, in lengths over which strokes relax
    forms = frame.shared.get("forms") or []
    rows = np.clip(np.floor(ys).astype(np.intp), 0, H - 1)
    cols = np.clip(np.floor(xs).astype(np.intp), 0, W - 1)
    every_col = gw == W and bool((cols == np.arange(W)).all())
    for k, form in enumerate(forms):  # a handful of forms, each on the rows it can reach
        # Land below an outline cannot reach rows above its highest point (and above one,
        # below its lowest), so those rows are skipped.
        j0 = int(np.searchsorted(rows, form.top() - 1.0)) if form.kind == "bottom" else 0
        j1 = int(np.searchsorted(rows, form.bottom() + 1.0, "right")) if form.kind == "top" \
            else gh
        if j0 >= j1:
            continue
        depth, fx, fy = form.along(rows[j0:j1], W)
        depth = np.broadcast_to(depth, (j1 - j0, W))
        if not every_col:
            depth = depth[:, cols]
            fx = fx[:, cols] if fx.shape[1] > 1 else fx
            fy = fy[:, cols] if fy.shape[1] > 1 else fy
        inside = depth > 0
        if form.kind != "ring":
            # Strata: along the outline near it, relaxing to level deeper in the form (a
            # steep flank's direction carried far down would turn strokes at right angles,
            # and a canyon's walls are bedded, not combed). Mod pi, the outline's direction
            # is first turned to the right (a range) or up (a wall: so the bedding bends up
            # towards its edge the same way all along it).
            wall = form.kind in ("left", "right")
            flip = np.where(fy > 0, F32(-1), F32(1)) if wall else \
                np.where(fx < 0, F32(-1), F32(1))
            fx, fy = flip * fx, flip * fy
            np.copyto(deep[j0:j1], depth / F32((WALL_RELAX if wall else RELAX) * H),
                      where=inside)
        else:
            deep[j0:j1][inside] = 0
        labels[j0:j1][inside] = k + 1
        np.copyto(tx[j0:j1], fx, where=inside)
        np.copyto(ty[j0:j1], fy, where=inside)
    if forms:
        relax = np.exp(-deep).astype(F32)
        tx, ty = _unit(tx * relax + (F32(1) - relax), ty * relax)
    u, v = nu, nv
    if forms:
        on = labels > 0
        f = F32(follow)
        # The noise's sign agrees with the tangent before they blend (a field mod pi).
        sgn = np.where(tx * nu + ty * nv < 0, F32(-1), F32(1))
        bx, by = _unit(f * tx + (F32(1) - f) * sgn * nu, f * ty + (F32(1) - f) * sgn * nv)
        # Over land the air is weather: its strokes are wind streaks that the noise turns
        # less (AIR_TURN of ``turn``), not curves that wander across the sky like contours.
        calm = F32(angle) + F32(AIR_TURN * turn * np.pi) * wave
        u = np.where(on, bx, np.cos(calm).astype(F32))
        v = np.where(on, by, np.sin(calm).astype(F32))
    density = np.where(labels > 0, F32(1), F32(air))
    # The composition's quiet share stays empty; strokes thin away from the light.
    c = frame.composition
    if c.empty > 0:
        k = max(1, int(H / (frequency * 0.6 * 2.0) * scale / 16))
        cx, cy = _coarse(xs, k), _coarse(ys, k)
        qc = noise.fbm((cx * s * 0.4).reshape(1, -1), (cy * s * 0.6).reshape(-1, 1), 7.1,
                       octaves=2, seed=seed + 7, dtype=np.float32)
        q = _bilinear(qc, cy, cx, ys, xs)
        cut = float(np.quantile(qc, min(0.9, 0.7 * c.empty)))  # the share, on the samples
        density = np.where(q < cut, F32(0), density)
    from wiktoria.render.light import light_of

    light = light_of(frame)  # a broad falloff: smooth at the grid's scale, like the noise
    k = max(1, int(min(W, H) * scale / 64))
    cx, cy = _coarse(xs, k), _coarse(ys, k)
    reach = _bilinear(light.falloff(light.distance_at(cy, cx), 8.0), cy, cx, ys, xs)
    density = (density * (F32(0.55) + F32(0.45) * reach)).astype(F32)
    return Guide(u.astype(F32), v.astype(F32), labels, density, scale)
