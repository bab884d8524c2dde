"""Strokes as data: the polylines a painting is drawn with, for plotters and SVG.

:class:`Strokes` holds any number of polylines in flat arrays (as a ragged array: all
vertices in ``points``, stroke ``i`` is ``points[offsets[i]:offsets[i + 1]]``), each with a
width and a colour. Coordinates and widths are in pixels of the canvas, ``(x, y)`` with y
pointing down.

A layer gives its strokes through the optional renderer hook
:meth:`wiktoria.render.layer.LayerRenderer.strokes`, called after ``layout()`` and
``prepare()``; :func:`strokes_of` gathers them over a scene's layers, bottom layer first
(:attr:`wiktoria.render.painting.Painting.strokes`). Layers without strokes give none; today
the ``lines`` layer (the ``lines`` style) is the one that draws strokes.

Examples
--------
>>> s = Strokes.from_polylines([[(0, 0), (1, 1)], [(2, 2), (3, 2), (4, 3)]],
...                            widths=[1.0, 2.0], colours=[(0, 0, 0), (255, 0, 0)])
>>> len(s), s.stroke(1).tolist()
(2, [[2.0, 2.0], [3.0, 2.0], [4.0, 3.0]])
>>> len(Strokes.concat(s, Strokes.empty(), s))
4
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wiktoria.moods.mood import Mood
from wiktoria.scene.scene import Scene

__all__ = ["STROKE_STYLES", "Strokes", "collect", "strokes_of"]

#: The styles whose paintings draw strokes (for messages).
STROKE_STYLES: tuple[str, ...] = ("landscape", "lines", "flow")


def _array(value: Any, dtype: Any, name: str) -> np.ndarray:
    try:
        arr = np.array(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Strokes.{name} must be numeric: {exc}") from None
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class Strokes:
    """Polylines with a width and a colour each.

    Attributes
    ----------
    points : ndarray of float32, shape (N, 2)
        Every vertex, ``(x, y)`` in pixels, stroke after stroke.
    offsets : ndarray of int64, shape (S + 1,)
        Stroke ``i`` is ``points[offsets[i]:offsets[i + 1]]``; ``offsets[0] == 0``,
        ``offsets[-1] == N``, increasing, each stroke at least 2 vertices.
    widths : ndarray of float32, shape (S,)
        Stroke widths in pixels, > 0.
    colours : ndarray of uint8, shape (S, 3)
        sRGB colour of each stroke.

    The arrays are copied and made read-only; a bad shape, dtype or value is a one-line
    ``ValueError``.
    """

    points: np.ndarray
    offsets: np.ndarray
    widths: np.ndarray
    colours: np.ndarray

    def __post_init__(self) -> None:
        points = _array(self.points, np.float64, "points")
        if points.size == 0:
            points = points.reshape(0, 2)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"Strokes.points must have shape (N, 2), got {points.shape}")
        if not np.isfinite(points).all():
            raise ValueError("Strokes.points must be finite")
        offsets = _array(self.offsets, np.float64, "offsets")
        if offsets.ndim != 1 or len(offsets) < 1:
            raise ValueError(f"Strokes.offsets must have shape (S + 1,), got {offsets.shape}")
        if not (np.isfinite(offsets).all() and (offsets == np.round(offsets)).all()):
            raise ValueError("Strokes.offsets must be integers")
        if offsets[0] != 0 or offsets[-1] != len(points):
            raise ValueError(f"Strokes.offsets must run from 0 to {len(points)} (the number of "
                             f"points), got {int(offsets[0])} to {int(offsets[-1])}")
        if (np.diff(offsets) < 2).any():
            raise ValueError("Strokes.offsets: every stroke needs at least 2 points")
        S = len(offsets) - 1
        widths = _array(self.widths, np.float64, "widths")
        if widths.shape != (S,):
            raise ValueError(f"Strokes.widths must have shape ({S},), one per stroke, got "
                             f"{widths.shape}")
        if not (np.isfinite(widths).all() and (widths > 0).all()):
            raise ValueError("Strokes.widths must be finite and > 0")
        colours = _array(self.colours, np.float64, "colours")
        if colours.size == 0:
            colours = colours.reshape(0, 3)
        if colours.shape != (S, 3):
            raise ValueError(f"Strokes.colours must have shape ({S}, 3), got {colours.shape}")
        if not (((colours >= 0) & (colours <= 255) & (colours == np.round(colours))).all()):
            raise ValueError("Strokes.colours must be integers from 0 to 255 (sRGB)")
        for name, arr, dtype in (("points", points, np.float32), ("offsets", offsets, np.int64),
                                 ("widths", widths, np.float32),
                                 ("colours", colours, np.uint8)):
            out = arr.astype(dtype)
            out.flags.writeable = False
            object.__setattr__(self, name, out)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __repr__(self) -> str:
        return f"<Strokes {len(self)} strokes, {len(self.points)} points>"

    def stroke(self, i: int) -> np.ndarray:
        """The vertices of stroke ``i``, shape ``(n, 2)`` (a read-only view)."""
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"stroke {i} out of range: there are {n} strokes")
        i %= n
        return self.points[self.offsets[i]:self.offsets[i + 1]]

    def __iter__(self) -> Any:
        return (self.stroke(i) for i in range(len(self)))

    @classmethod
    def empty(cls) -> Strokes:
        """No strokes."""
        return cls(np.zeros((0, 2)), np.zeros(1), np.zeros(0), np.zeros((0, 3)))

    @classmethod
    def from_polylines(cls, polylines: Iterable[Any], widths: Any, colours: Any) -> Strokes:
        """Strokes from a list of ``(n, 2)`` vertex arrays, a width each (or one for all) and
        an sRGB colour each (or one for all)."""
        lines = [np.asarray(p, np.float64).reshape(-1, 2) for p in polylines]
        S = len(lines)
        lens = np.array([len(p) for p in lines], np.int64)
        offsets = np.concatenate([[0], np.cumsum(lens)])
        points = np.concatenate(lines) if lines else np.zeros((0, 2))
        w = np.broadcast_to(np.asarray(widths, np.float64), (S,))
        c = np.broadcast_to(np.asarray(colours, np.float64), (S, 3))
        return cls(points, offsets, w, c)

    @classmethod
    def concat(cls, *parts: Strokes | Sequence[Strokes]) -> Strokes:
        """The strokes of ``parts`` one after another (``Strokes.concat(a, b)`` or
        ``Strokes.concat([a, b])``)."""
        if len(parts) == 1 and not isinstance(parts[0], Strokes):
            parts = tuple(parts[0])
        items = [p for p in parts if isinstance(p, Strokes)]
        if len(items) != len(parts):
            raise ValueError("Strokes.concat takes Strokes only")
        if not items:
            return cls.empty()
        starts = np.cumsum([0] + [len(p.points) for p in items[:-1]])
        offsets = np.concatenate([[0]] + [p.offsets[1:] + s
                                          for p, s in zip(items, starts, strict=True)])
        return cls(np.concatenate([p.points for p in items]), offsets,
                   np.concatenate([p.widths for p in items]),
                   np.concatenate([p.colours for p in items]))


def strokes_of(scene: Scene, mood: Mood | None = None) -> Strokes:
    """The strokes of ``scene``'s layers, bottom layer first (empty when none draws any).

    Renders the scene (the strokes' colours are those they are painted in, which depend on
    the layers below them), then asks each renderer for
    :meth:`~wiktoria.render.layer.LayerRenderer.strokes`.

    Examples
    --------
    >>> import wiktoria
    >>> p = wiktoria.paint("serene", size=(96, 54), seed=1, style="lines")
    >>> marble = wiktoria.paint("serene", size=(16, 8), seed=1, style="marble")
    >>> len(strokes_of(p.scene)) > 0, len(strokes_of(marble.scene))
    (True, 0)
    """
    from wiktoria.render.compositor import render_layers

    return collect(render_layers(scene, mood)[1])


def collect(renderers: Sequence[Any]) -> Strokes:
    """The strokes of prepared ``renderers``, bottom layer first (empty when none draws any)."""
    parts = [s for s in (r.strokes() for r in renderers) if s is not None]
    return Strokes.concat(parts)
