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

if TYPE_CHECKING:
    from wiktoria.render.layer import Frame

__all__ = ["GRID", "Guide", "guide"]

F32 = np.float32

#: Most grid samples along the longer side of the frame.
GRID = 960


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
    s = frequency / H
    px, py = (xs * s).reshape(1, -1), (ys * s).reshape(-1, 1)
    wave = noise.fbm(px, py, t, octaves=octaves, seed=seed, period=(None, None, period),
                     dtype=np.float32)
    theta = F32(angle) + F32(turn * np.pi) * wave
    nu, nv = np.cos(theta).astype(F32), np.sin(theta).astype(F32)
    u, v = nu, nv
    labels = np.zeros((gh, gw), np.int32)
    forms = frame.shared.get("forms") or []
    rows = np.clip(np.floor(ys).astype(np.intp), 0, H - 1)
    cols = np.clip(np.floor(xs).astype(np.intp), 0, W - 1)
    f = F32(follow)
    for k, form in enumerate(forms):  # a handful of forms, each a whole-grid operation
        d, _, gx, gy = form.distance(rows, W)
        d, gx, gy = d[:, cols], gx[:, cols], gy[:, cols]
        inside = d > 0
        if not inside.any():
            continue
        tx, ty = gy, -gx  # along the outline
        # The noise's sign agrees with the tangent before they blend (a field mod pi).
        sgn = np.where(tx * nu + ty * nv < 0, F32(-1), F32(1))
        bx, by = _unit(f * tx + (F32(1) - f) * sgn * nu, f * ty + (F32(1) - f) * sgn * nv)
        u = np.where(inside, bx, u)
        v = np.where(inside, by, v)
        labels[inside] = k + 1
    density = np.where(labels > 0, F32(1), F32(air))
    # The composition's quiet share stays empty; strokes thin away from the light.
    c = frame.composition
    if c.empty > 0:
        q = noise.fbm(px * 0.4, py * 0.6, 7.1, octaves=2, seed=seed + 7, dtype=np.float32)
        cut = float(np.quantile(q, min(0.9, 0.7 * c.empty)))
        density = np.where(q < cut, F32(0), density)
    from wiktoria.render.light import light_of

    light = light_of(frame)
    reach = light.falloff(light.distance_at(ys, xs), 8.0)
    density = (density * (F32(0.55) + F32(0.45) * reach)).astype(F32)
    return Guide(u.astype(F32), v.astype(F32), labels, density, scale)
