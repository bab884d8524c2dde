"""Stroke layers, stage 3: splatting traced segments into float32 buffers as anti-aliased lines
(:class:`Canvas`, :func:`render_chunk`), and the box blur that widens the broader classes.
"""

from __future__ import annotations

import math

import numpy as np

from wiktoria.render.strokes.field import VectorField
from wiktoria.render.strokes.params import StrokeParams
from wiktoria.render.strokes.seeding import Swarm
from wiktoria.render.strokes.tracing import trace_segments

__all__ = ["Canvas", "box_blur", "render_chunk"]

_TAPER = 0.25  # fraction of a stroke's length over which it fades in (and out)
_CHUNK_SAMPLES = 1 << 18  # samples expanded from segments at once (~40 bytes each)
_SPLAT_SAMPLES = 1 << 19  # samples splatted per batch (~70 bytes each)


def _smoothstep(e: float, u: np.ndarray) -> np.ndarray:
    """0 at ``u <= 0``, 1 at ``u >= e``, smooth in between."""
    s = np.clip(u * np.float32(1.0 / e), 0, 1)
    return s * s * (np.float32(3) - np.float32(2) * s)


def _box_blur_axis(a: np.ndarray, r: int, axis: int) -> None:
    """In-place normalised box blur of radius ``r`` along ``axis`` (zero outside)."""
    n = a.shape[axis]
    inv = np.float32(1.0 / (2 * r + 1))
    if r <= 4:
        # A few shifted adds: cheap, and exact zeros stay zero.
        src = a.copy()
        for d in range(1, min(r, n - 1) + 1):
            if axis == 1:
                a[:, d:] += src[:, :-d]
                a[:, :-d] += src[:, d:]
            else:
                a[d:] += src[:-d]
                a[:-d] += src[d:]
        a *= inv
        return
    lo = np.clip(np.arange(n) - r, 0, n)
    hi = np.clip(np.arange(n) + r + 1, 0, n)
    other = a.shape[1 - axis]
    band = max(1, (1 << 20) // max(n, 1))  # ~8 MB of float64 per band
    for s in range(0, other, band):
        sl = a[s:s + band] if axis == 1 else a[:, s:s + band]
        cshape = list(sl.shape)
        cshape[axis] += 1
        c = np.zeros(cshape, np.float64)
        if axis == 1:
            np.cumsum(sl, axis=1, out=c[:, 1:])
            res = c[:, hi] - c[:, lo]
        else:
            np.cumsum(sl, axis=0, out=c[1:])
            res = c[hi] - c[lo]
        res *= inv
        np.maximum(res, 0, out=res)  # cumulative-sum rounding can dip below 0
        sl[...] = res


def box_blur(a: np.ndarray, r: int) -> None:
    if r > 0:
        _box_blur_axis(a, r, 1)
        _box_blur_axis(a, r, 0)


class Canvas:
    """Padded float32 accumulation buffers (density and tone numerator) of one width class.

    Samples queue up until ``_SPLAT_SAMPLES`` are pending, then one ``np.bincount`` per buffer
    splats them all: its cost has a fixed part (a full-size result added into the buffer), so
    few large batches are much faster than many small ones.

    A sample sits on a pixel-centre line of its stroke's major axis, so its bilinear weights
    along that axis are exactly 1 and 0 and only two of its four corners get ink: ``w * (1 -
    f)`` at flat index ``base`` and ``w * f`` at ``base + off`` (``off`` is 1 or the buffer's
    row length); ``t`` is its tone value. Queued samples are written straight into the
    bincount inputs: first corners at the front of ``_idx`` / ``_w``, second corners from
    ``_cap`` on, moved down to follow the first ones when the batch is splatted.
    """

    def __init__(self, width: int, height: int, pad: int) -> None:
        self.pad = pad
        self.w = width + 2 * pad
        self.h = height + 2 * pad
        self.den = np.zeros(self.h * self.w, np.float32)
        self.num = np.zeros(self.h * self.w, np.float32)
        self._cap = 0
        self._idx = np.empty(0, np.intp)
        self._w = np.empty(0, np.float64)  # bincount sums in float64 anyway
        self._t = np.empty(0, np.float32)
        self._queued = 0

    def _reserve(self, n: int) -> None:
        if n <= self._cap:
            return
        cap = max(n, _SPLAT_SAMPLES + _SPLAT_SAMPLES // 2)
        q = self._queued
        idx = np.empty(2 * cap, np.intp)
        w = np.empty(2 * cap, np.float64)
        t = np.empty(cap, np.float32)
        for new, old in ((idx, self._idx), (w, self._w)):
            new[:q] = old[:q]
            new[cap:cap + q] = old[self._cap:self._cap + q]
        t[:q] = self._t[:q]
        self._cap, self._idx, self._w, self._t = cap, idx, w, t

    def add(
        self, base: np.ndarray, off: np.ndarray, f: np.ndarray, w: np.ndarray, t: np.ndarray
    ) -> None:
        """Queue samples for splatting."""
        n = base.size
        q = self._queued
        self._reserve(q + n)
        c = self._cap
        self._idx[q:q + n] = base
        np.add(base, off, out=self._idx[c + q:c + q + n])
        wf = self._w[c + q:c + q + n]
        np.multiply(w, f, out=wf)
        np.subtract(w, wf, out=self._w[q:q + n])
        self._t[q:q + n] = t
        self._queued = q + n
        if self._queued >= _SPLAT_SAMPLES:
            self.flush()

    def flush(self) -> None:
        """Splat every queued sample."""
        n = self._queued
        if n == 0:
            return
        c = self._cap
        idx = self._idx
        w = self._w
        idx[n:2 * n] = idx[c:c + n]
        w[n:2 * n] = w[c:c + n]
        size = self.w * self.h
        self.den += np.bincount(idx[:2 * n], w[:2 * n], minlength=size)
        w[:2 * n].reshape(2, n)[...] *= self._t[:n]
        self.num += np.bincount(idx[:2 * n], w[:2 * n], minlength=size)
        self._queued = 0


def render_chunk(
    canvas: Canvas,
    field: VectorField,
    sw: Swarm,
    idx: np.ndarray,
    params: StrokeParams,
    speed_scale: float,
    inked: np.ndarray,
) -> None:
    """Trace strokes ``idx`` (sorted longest first) and splat them into ``canvas``.

    Sorting by length makes the strokes still running at step ``k`` a prefix of the swarm, so
    every step advances exactly the strokes that need it: no work is wasted on strokes that
    have ended, whatever the spread of lengths.
    """
    ns = sw.n_steps[idx]
    n_max = int(ns[0])
    active = np.searchsorted(-ns, -np.arange(n_max), side="left")  # strokes with n_steps > k
    z0 = np.empty(idx.size, np.complex64)
    z0.real = sw.x0[idx]
    z0.imag = sw.y0[idx]
    starts, deltas, loop = trace_segments(field, z0, active, params.step)
    # Local stroke index of each segment: 0 .. active[k] - 1 for every step k.
    ramp = np.arange(int(active[0]) if n_max else 0)
    stroke = np.concatenate([ramp[:a] for a in active.tolist()]) if n_max else ramp
    step_k = np.repeat(np.arange(n_max, dtype=np.float32), active)
    speed = None
    if params.tone == "speed":
        speed = np.abs(field._sample_c(starts.real, starts.imag))
        speed *= np.float32(1.0 / speed_scale)
        np.minimum(speed, 1, out=speed)
    # Strokes reaching the canvas: a traced point on it (within half a pixel).
    on = starts.real > -1
    on &= starts.imag > -1
    on &= starts.real < np.float32(canvas.w - 2 * canvas.pad)
    on &= starts.imag < np.float32(canvas.h - 2 * canvas.pad)
    reached = np.zeros(idx.size, bool)
    reached[stroke[on]] = True
    inked[idx] |= reached
    del on
    inv_n = (1.0 / ns).astype(np.float32)
    ink = sw.ink[idx] * loop
    pad = canvas.pad
    # Segment ends stay a pixel inside the padded buffer, so that rounding along a segment
    # can never put a sample's two pixels outside it.
    lo = np.float32(1 - pad)
    hix = np.float32(canvas.w - pad - 2)
    hiy = np.float32(canvas.h - pad - 2)
    span = max(1, _CHUNK_SAMPLES // (1 + math.ceil(params.step)))
    value = sw.value[idx] if params.tone == "stroke" else None
    for t0 in range(0, starts.size, span):
        sl = slice(t0, t0 + span)
        st, de, si, sk = starts[sl], deltas[sl], stroke[sl], step_k[sl]
        sp = None if speed is None else speed[sl]
        x1 = st.real + de.real
        y1 = st.imag + de.imag
        # Segments leaving the padded buffer are dropped whole: the padding is wider than a
        # step plus the blur radius, so none of their ink could reach the canvas. They go
        # first (strokes seeded in the margin have many), so the rest of the work skips them.
        inside = st.real >= lo
        inside &= st.imag >= lo
        inside &= st.real < hix
        inside &= st.imag < hiy
        inside &= x1 >= lo
        inside &= y1 >= lo
        inside &= x1 < hix
        inside &= y1 < hiy
        keep = np.flatnonzero(inside)
        if keep.size == 0:
            continue
        if keep.size < inside.size:
            st, de, si, sk, x1, y1 = st[keep], de[keep], si[keep], sk[keep], x1[keep], y1[keep]
            sp = None if sp is None else sp[keep]
        # Each segment runs from st to st + de (exactly the next segment's start). Its samples
        # are where it crosses the pixel-centre lines (integer coordinates) of its major axis:
        # half-open, so every crossing of the polyline belongs to exactly one segment, and one
        # sample per pixel column (row) gives every column (row) exactly the ink of its length
        # (Xiaolin Wu's anti-aliased lines).
        # (np.where is slow on these unpredictable masks: selections are made bitwise, and
        # integer choices arithmetically, with identical results.)
        sx, sy = st.real, st.imag
        dx, dy = de.real, de.imag
        xmaj = np.abs(dx) >= np.abs(dy)
        ymaj = ~xmaj
        mx = np.negative(xmaj, dtype=np.int32)  # all ones where x is the major axis
        my = ~mx
        c0 = _pick(mx, my, sx, sy)
        c1 = _pick(mx, my, x1, y1)
        dc = c1 - c0
        fwd = dc > 0
        sgn = fwd.astype(np.intp)
        sgn += sgn
        sgn -= 1  # +1 forwards, -1 backwards
        f0 = np.floor(c0)
        f1 = np.floor(c1)
        # first: ceil(c0) forwards, floor(c0) backwards; last: ceil(c1) or floor(c1).
        first_i = f0.astype(np.intp)
        first_i += fwd & (c0 > f0)
        count = f1.astype(np.intp)
        count += fwd & (c1 > f1)
        count -= first_i
        count *= sgn
        first = first_i.astype(np.float32)
        # Along the segment, everything is affine in the crossing's rank j: tau (0 to 1 from
        # start to end) = a_tau + j * b_tau, and so are the minor coordinate, ink and position.
        # Segments crossing no pixel-centre line (count 0, some of zero length) give inf or
        # NaN here; they splat nothing.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            a_tau = (first - c0) / dc
            b_tau = np.float32(1) / np.abs(dc)
            per = np.abs(de) * b_tau  # arc length per sample: 1 to sqrt(2) px
            dm = _pick(mx, my, dy, dx)
            a_m = _pick(mx, my, sy, sx) + a_tau * dm
            b_m = dm * b_tau
            step_n = inv_n[si]
            pos0 = sk * step_n  # position along the stroke at the segment's start
            w0 = _taper(pos0)
            dw = _taper(pos0 + step_n) - w0
            per *= ink[si]  # ink per sample: opacity * width * arc length * taper
            a_w = (w0 + a_tau * dw) * per
            b_w = dw * b_tau * per
        # Flat buffer index of a crossing: major axis integer, minor axis floor.
        s_maj = ymaj * np.intp(canvas.w - 1)
        s_maj += 1  # 1 or the row length
        s_min = np.intp(canvas.w + 1) - s_maj
        base0 = (first_i + pad) * s_maj + pad * s_min
        d_maj = s_maj * sgn
        seg = np.repeat(np.arange(st.size), count)
        j = np.arange(seg.size)
        j -= np.repeat(np.cumsum(count) - count, count)
        jf = j.astype(np.float32)
        minor = a_m[seg] + jf * b_m[seg]
        fl = np.floor(minor)
        f = minor - fl
        smin = s_min[seg]
        base = base0[seg] + j * d_maj[seg]
        base += fl.astype(np.intp) * smin
        w = a_w[seg] + jf * b_w[seg]
        if value is not None:
            tv = value[si][seg]
        elif params.tone == "along":
            tv = (pos0 + a_tau * step_n)[seg] + jf * (step_n * b_tau)[seg]
        else:
            assert sp is not None
            tv = sp[seg]
        canvas.add(base, smin, f, w, tv)


def _pick(m: np.ndarray, not_m: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.where(m, a, b)`` for float32 ``a``, ``b`` and an int32 mask ``m`` of all ones or
    zeros (``not_m = ~m``), bit for bit and much faster when the mask is unpredictable."""
    out = np.bitwise_and(a.view(np.int32), m)
    out |= np.bitwise_and(b.view(np.int32), not_m)
    return out.view(np.float32)


def _taper(pos: np.ndarray) -> np.ndarray:
    """Opacity along a stroke: fades in over the first ``_TAPER`` of it and out over the last."""
    w = _smoothstep(_TAPER, pos)
    w *= _smoothstep(_TAPER, np.float32(1) - pos)
    return w
