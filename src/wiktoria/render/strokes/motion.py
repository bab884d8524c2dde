"""Motion: strokes that keep their identity from frame to frame of a loop (issue 15).

Placing evenly spaced streamlines (Jobard-Lefer) is chaotic: placed again in each frame's
field, the strokes pop and shimmer. Instead the streamlines are placed once, at rest (the
still's field, frame 0 of the loop), and cut into strokes as for a still; then at loop phase
``p`` every stroke

* **glides** along its own streamline: its window of arc length slides forward by
  ``T * (age - phi)``, where ``age = (k * p + phi) mod 1`` is its age in its life (``k`` lives
  per loop, ``T`` pixels per life) and ``phi`` its phase. The phase is the stroke's place in a
  cell of length ``T`` along its line (cells offset at random per line), so within a cell the
  line's strokes rotate cyclically and keep the still's even spacing; a stroke leaves its cell
  at its end and is born again at its start;
* **fades** in and out over the first and last ``FADE`` of its life (births and deaths are
  gentle; each line's cells are offset at random, so they are spread over the loop and nothing
  pulses globally), and as it runs off the end of its streamline (its tail follows it into the
  outline or the stroke it met);
* **sways**: the whole polyline is displaced by a smooth, small, loop-periodic curl-noise field
  (evaluated at the frame's :class:`~wiktoria.render.layer.Clock` coordinates, minus its value
  at rest so frame 0 has the still's geometry). Its gradient stays far below 1 and it is
  damped near the outlines of the forms, so strokes neither cross nor leave their form.

Frame 0 of a loop has the still's strokes in the still's places; only the strokes that are being
born or dying at that phase are fainter. Everything is whole-array numpy over all the strokes.

Examples
--------
>>> import numpy as np
>>> from wiktoria.render.strokes.streamlines import Streamlines
>>> line = np.stack([np.arange(0, 200, 1.0), np.zeros(200)], 1).astype(np.float32)
>>> g = Glide(Streamlines(line, np.array([0, 200])), np.array([0]), np.array([20]),
...           np.array([30]), rng=np.random.default_rng(1), travel=40.0, angle=0.0)
>>> pts, off, fade, keep = g.at(0.0)
>>> bool(np.allclose(pts[[0, -1], 0], [20, 49]))
True
>>> a, b = g.at(0.25)[0], g.at(1.0)[0]
>>> bool(np.all(a[:, 0] > 20)), bool(np.array_equal(b, pts))
(True, True)
"""

from __future__ import annotations

import math

import numpy as np

from wiktoria import noise
from wiktoria.render.strokes.streamlines import Streamlines

__all__ = ["FADE", "LIFE", "TRAVEL", "Glide", "sway", "travel_per_loop"]

#: Pace: frame heights a stroke glides per second, per noise cell per second of the layer's
#: speed (seething's 1.28 cells/s: 0.13 heights/s, about three strokes in a 5 s loop; serene's
#: 0.13 cells/s: a tenth of that).
TRAVEL = 0.1
#: Share of a life over which a stroke fades in, and out.
FADE = 0.2
#: Most stroke lengths (the median) a stroke travels in one life; faster strokes live
#: several lives per loop.
LIFE = 2.0


def travel_per_loop(speed: float, duration: float, height: float) -> float:
    """Pixels a stroke glides in a loop of ``duration`` seconds at the layer's ``speed``."""
    return TRAVEL * speed * duration * height


def _smooth(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)  # type: ignore[no-any-return]


class Glide:
    """The strokes cut from ``lines`` (stroke ``i``: ``counts[i]`` points of line ``line[i]``
    from point ``first[i]``), as they glide along their lines.

    Parameters
    ----------
    lines : Streamlines
        The streamlines at rest, frame pixels.
    line, first, counts : int arrays (S,)
        Each stroke's line, the index of its first point in ``lines.points`` and its number
        of points.
    rng : numpy.random.Generator
        Draws where each line's cells begin.
    travel : float or float array (S,)
        Pixels a stroke glides per loop (each its own, or all the same).
    angle : float
        The dominant direction, radians: each line glides the way that agrees with it.
    median : float
        Median stroke length, pixels (a life is at most ``LIFE`` of them).
    sway : float array (N,), optional
        Amplitude of the sway at each point of ``lines``, pixels (default none).
    """

    def __init__(self, lines: Streamlines, line: np.ndarray, first: np.ndarray,
                 counts: np.ndarray, *, rng: np.random.Generator, travel: float, angle: float,
                 median: float | None = None, sway: np.ndarray | None = None) -> None:
        pts = lines.points.astype(np.float64)
        off = np.asarray(lines.offsets, np.int64)
        nl = len(lines)
        self.points = pts
        line_of = np.repeat(np.arange(nl), np.diff(off))
        seg = np.hypot(*np.diff(pts, axis=0).T) if len(pts) > 1 else np.zeros(0)
        # One arc along all the lines, with a unit gap between lines (so that interpolating
        # at a line's end never reaches into the next one).
        if len(seg):
            seg[np.diff(line_of) != 0] = 1.0
        self.arc = np.concatenate([[0.0], np.cumsum(seg)])
        lo = self.arc[off[:-1]] if nl else np.zeros(0)
        hi = self.arc[np.maximum(off[1:] - 1, 0)] if nl else np.zeros(0)
        line = np.asarray(line, np.int64)
        first = np.asarray(first, np.int64)
        counts = np.asarray(counts, np.int64)
        self.lo, self.hi = lo[line], hi[line]
        self.start = self.arc[first]
        self.length = self.arc[first + counts - 1] - self.start
        self.counts = counts
        self.sway = None if sway is None else np.asarray(sway, np.float64)
        # Each line glides the way its chord agrees with the dominant direction.
        if nl:
            chord = pts[np.maximum(off[1:] - 1, 0)] - pts[off[:-1]]
            dot = chord[:, 0] * np.cos(angle) + chord[:, 1] * np.sin(angle)
            sign = np.where(dot < 0, -1.0, 1.0)
        else:
            sign = np.zeros(0)
        # Lives per loop, and pixels per life: at most LIFE median strokes.
        med = float(median) if median is not None else \
            (float(np.median(self.length)) if len(self.length) else 1.0)
        travel = np.abs(np.broadcast_to(np.asarray(travel, np.float64), (len(line),)))
        self.lives = np.maximum(1, np.ceil(travel / max(1e-6, LIFE * med))).astype(np.int64)
        life = travel / self.lives
        # Cells a life long along each line, from a random place (so births and deaths are
        # spread over the loop, and no stroke is being born at frame 0 for lying at its
        # line's start).
        self.sign = sign[line]
        self.cell = np.maximum(life, 1e-9)
        shift = rng.random(nl)[line] * self.cell
        # The stroke's upstream end, from its line's upstream end.
        q = np.where(self.sign > 0, self.start - self.lo, self.hi - self.start - self.length)
        self.phase = np.where(life > 0, np.mod((q + shift) / self.cell, 1.0), 0.0)
        # A stroke with no room to glide on its short line stays (and sways).
        room = (hi - lo)[line] - self.length
        self.moves = np.where(life > 0, _smooth(room / np.maximum(self.length, 1e-9)), 0.0)

    def __len__(self) -> int:
        return len(self.start)

    def at(self, phase: float, displace: object | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The strokes at loop ``phase``: their points (float32, frame pixels), offsets, fade
        (0 .. 1) and which of the strokes they are (those visible at all).

        ``displace``, when given, is a function ``(points) -> (dx, dy)`` (pixels), the sway,
        scaled by the sway amplitude at each point.
        """
        phase = float(phase) % 1.0  # phase 1 is phase 0 exactly
        age = np.mod(self.lives * phase + self.phase, 1.0)
        glide = self.moves * self.cell * (age - self.phase)  # downstream, pixels
        born = _smooth(np.minimum(age, 1.0 - age) / FADE)
        a = self.start + self.sign * glide
        lo = np.maximum(a, self.lo)
        hi = np.minimum(a + self.length, self.hi)
        seen = hi - lo
        # A stroke grows out of its line's upstream end and runs into its downstream end
        # (clipped: the outline or the stroke the line met hides it), its tail following.
        fade = 1.0 - self.moves * (1.0 - born)
        keep = np.flatnonzero((seen > 0.5) & (fade > 1e-3))
        lo, hi, fade = lo[keep], hi[keep], fade[keep]
        n = np.maximum(2, np.rint(self.counts[keep] * (hi - lo)
                                  / np.maximum(self.length[keep], 1e-9)).astype(np.int64))
        offsets = np.concatenate([[0], np.cumsum(n)]).astype(np.int64)
        total = int(offsets[-1])
        j = np.arange(total) - np.repeat(offsets[:-1], n)
        t = j / np.repeat(n - 1, n)
        s = np.repeat(lo, n) + np.repeat(hi - lo, n) * t
        arc = self.arc
        i = np.clip(np.searchsorted(arc, s, "right") - 1, 0, max(0, len(arc) - 2))
        i1 = np.minimum(i + 1, len(arc) - 1)
        span = arc[i1] - arc[i]
        w = np.where(span > 0, (s - arc[i]) / np.where(span > 0, span, 1.0), 0.0)
        p = self.points[i] + (self.points[i1] - self.points[i]) * w[:, None]
        if displace is not None and self.sway is not None:
            amp = self.sway[i] + (self.sway[i1] - self.sway[i]) * w
            dx, dy = displace(p)  # type: ignore[operator]
            p = p + np.stack([dx * amp, dy * amp], 1)
        return p.astype(np.float32), offsets, fade, keep


def sway(width: int, height: int, u: float, v: float, *, frequency: float, seed: int,
         octaves: int = 2, beat: float = 0.0, rhythm: float = 0.0):
    """The sway at clock coordinates ``(u, v)``: a function ``(points) -> (dx, dy)`` of unit
    amplitude (about 1 at most), the curl of a noise potential of ``frequency`` cells per frame
    height at ``(u, v)`` minus the same at rest (0 at rest; divergence-free, so strokes neither
    bunch nor thin).

    With ``rhythm`` (0 .. 1) that share of the sway is a dance instead: a still potential's
    curl times ``sin(beat)`` (``beat``: radians of the rhythm; a loop holds a whole number of
    beats, and the sway is 0 at beat 0), so the strokes swing to and fro together, in time.
    """
    cell = height / frequency  # pixels per noise cell
    k = max(4.0, cell / 12.0)  # grid spacing, pixels: the potential is smooth at this scale
    gx = np.arange(-1, int(np.ceil(width / k)) + 2) * k
    gy = np.arange(-1, int(np.ceil(height / k)) + 2) * k
    x, y = (gx / cell).reshape(1, -1), (gy / cell).reshape(-1, 1)
    psi = noise.fbm(x, y, u, v, octaves=octaves, seed=seed, dtype=np.float64)
    psi = psi - noise.fbm(x, y, 0.0, 0.0, octaves=octaves, seed=seed, dtype=np.float64)
    if rhythm > 0.0:
        # A still potential, far from the wandering one's rest (so it is not 0 there).
        still = noise.fbm(x, y, 17.3, 5.1, octaves=octaves, seed=seed, dtype=np.float64)
        psi = (1.0 - rhythm) * psi + rhythm * math.sin(beat) * still
    # Curl, per noise cell: (d psi / dy, -d psi / dx); fBm's slope is about 2 per cell at most.
    dpy, dpx = np.gradient(psi, k / cell)
    fx, fy = 0.5 * dpy, -0.5 * dpx

    def at(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cx = np.clip((p[:, 0] - gx[0]) / k, 0, len(gx) - 1.001)
        cy = np.clip((p[:, 1] - gy[0]) / k, 0, len(gy) - 1.001)
        i, j = cx.astype(np.intp), cy.astype(np.intp)
        ax, ay = cx - i, cy - j

        def bil(f: np.ndarray) -> np.ndarray:
            top = f[j, i] + (f[j, i + 1] - f[j, i]) * ax
            bot = f[j + 1, i] + (f[j + 1, i + 1] - f[j + 1, i]) * ax
            return top + (bot - top) * ay  # type: ignore[no-any-return]

        return bil(fx), bil(fy)

    return at
