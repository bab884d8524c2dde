"""The public layer API: what a renderer sees (:class:`Frame`, :class:`Band`), how it is
written (:class:`LayerRenderer`, or a plain function) and how it is registered
(:func:`register_layer`).

A painting is composited in linear light, in bands of :data:`BAND` rows, bottom layer first.
Each layer of a scene gets a renderer object for the duration of one render, which the
compositor calls in three passes:

1. ``layout()``: geometry other layers build on (the strata set the horizon and the ridge
   lines here);
2. ``prepare()``: whole-frame fields, computed once (the sky's low-resolution field, the
   strokes' density);
3. ``band(band)``: paint rows ``band.rows`` into ``band.rgb`` (float32 linear RGB, shape
   ``(rows, width, 3)``), over what the layers below left there.

A renderer that draws polylines may also give them as data for plotter and SVG output:
``strokes()``, called after ``layout()`` and ``prepare()`` (no bands), returns a
:class:`wiktoria.render.strokedata.Strokes` in pixels, or None (the default: no strokes).
:func:`wiktoria.render.strokedata.strokes_of` gathers them over a scene's layers.

Renderers share what they make through :attr:`Frame.shared` (whole frame) and
:attr:`Band.shared` (this band). The built-in layers publish:

============  ================================================================================
``horizon``   (frame) the horizon height as a fraction of the frame height (default 0.62)
``ridges``    (frame) strata ridgelines, ``(n, width)`` rows, far to near; ``depths`` ``(n,)``
``sky``       (frame) the sky's low-resolution ramp positions and their row/column coordinates
``inks``      (frame) a list of functions ``ink(rows) -> (lift, alpha)``: strokes that the
              surfaces below them (strata) fold into their own ramp positions
``pos``       (band) ramp positions of the ground just painted (sky, wash)
``cover``     (band) how much of each pixel the strata cover, 0 to 1
============  ================================================================================

The compositor itself knows no layer type: the built-in layers are registered through
:func:`register_layer` exactly as a user's own are.

Examples
--------
A layer of one's own: a spec (pure data) and a function that paints a band.

>>> from dataclasses import dataclass
>>> from typing import ClassVar
>>> import numpy as np
>>> import wiktoria
>>> @dataclass(frozen=True)
... class Tint(wiktoria.Layer):
...     '''A flat tint from the mood's ramp.'''
...     type: ClassVar[str] = "tint-doc"
...     position: float = wiktoria.param(0.8, 0.0, 1.0, "ramp position of the tint")
...     amount: float = wiktoria.param(0.5, 0.0, 1.0, "opacity of the tint")
>>> @wiktoria.register_layer(Tint)
... def tint(layer, frame, band):
...     colour = frame.ramp(np.full((1, 1), layer.position, np.float32))
...     band.rgb += (colour - band.rgb) * np.float32(layer.amount)
>>> scene = wiktoria.paint("serene", size=(64, 48), seed=1).scene
>>> scene = wiktoria.Scene(scene.canvas, scene.mood, scene.style, scene.layers + (Tint(),))
>>> np.asarray(wiktoria.paint_scene(scene)).shape
(48, 64, 3)
>>> wiktoria.unregister_layer("tint-doc")
"""

from __future__ import annotations

import inspect
import math
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar  # noqa: F401  (ClassVar: for the doctest's dataclass)

import numpy as np

from wiktoria.colour.roles import Roles, TwoAxis, roles
from wiktoria.moods.mood import Mood
from wiktoria.noise import _accel
from wiktoria.scene.composition import Composition, plan
from wiktoria.scene.layer import Layer, layer_class, register_spec, unregister_spec
from wiktoria.scene.scene import Scene

__all__ = [
    "BAND",
    "Band",
    "Clock",
    "Frame",
    "LayerRenderer",
    "register_layer",
    "renderer_for",
    "unregister_layer",
]

#: Rows per band. Fixed: grain and dither are drawn per band, so it must not depend on size.
BAND = 128

F32 = np.float32


def stream_seed(seed: int, name: str, *extra: int) -> int:
    """A seed for one named purpose, derived from the canvas seed (stable across versions)."""
    ss = np.random.SeedSequence([seed, zlib.crc32(name.encode()), *extra])
    return int(ss.generate_state(2, np.uint64)[0] >> np.uint64(1))


def stream_rng(seed: int, name: str, *extra: int) -> np.random.Generator:
    """A generator for one named purpose, derived from the canvas seed."""
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(name.encode()),
                                                         *extra]))


@dataclass
class Frame:
    """What every renderer of one render shares: the scene, its mood and whole-frame results.

    Attributes
    ----------
    scene : Scene
    mood : Mood
        The mood painted with (in a transition, this frame's blend).
    width, height, seed : int
    shared : dict
        Whole-frame results layers publish for each other (see the module's table).
    """

    scene: Scene
    mood: Mood
    width: int
    height: int
    seed: int
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def palette(self) -> Any:
        """The mood's :class:`~wiktoria.colour.ramp.Palette`."""
        return self.mood.palette

    @property
    def composition(self) -> Composition:
        """The scene's :class:`~wiktoria.scene.Composition` (for a scene without one, as
        written before version 0.3, the one :func:`~wiktoria.scene.composition.plan` chooses
        for its seed and mood)."""
        got = self.shared.get("composition")
        if got is None:
            got = self.scene.composition or plan(self.seed, self.scene.mood)
            self.shared["composition"] = got
        return got  # type: ignore[no-any-return]

    def colour(self, value: np.ndarray, hue: np.ndarray | None = None) -> np.ndarray:
        """Linear-light colours in two axes: ``value`` (0 darkest .. 1 brightest surface, up
        to 1.5 for light itself) sets lightness through the composition's key and contrast;
        the hue field ``hue`` (0 .. 1, None for 0.5) moves hue along the mood's ramp
        independently (see :class:`~wiktoria.colour.roles.TwoAxis`). Shape
        ``value.shape + (3,)``, float32."""
        return self.two_axis(value, hue)

    def paint(self, value: np.ndarray, hue: np.ndarray | None, out: np.ndarray,
              weight: np.ndarray | None = None, *, accent: np.ndarray | None = None,
              accent_weight: np.ndarray | None = None, at: np.ndarray | None = None) -> None:
        """The colours :meth:`colour` gives, painted into ``out`` in place in one pass:
        mixed towards ``accent`` by ``accent_weight``, then written or mixed in by
        ``weight``, at the flat pixels ``at`` of ``out`` when given (see
        :meth:`TwoAxis.paint <wiktoria.colour.roles.TwoAxis.paint>`)."""
        self.two_axis.paint(value, hue, out, weight, accent=accent,
                            accent_weight=accent_weight, at=at)

    @property
    def two_axis(self) -> TwoAxis:
        """The painting's colour table in two axes (:class:`~wiktoria.colour.roles.TwoAxis`):
        its palette, key, contrast and hue."""
        table = self.shared.get("two-axis")
        if table is None:
            c = self.composition
            table = TwoAxis(self.palette, c.key, c.contrast, c.hue)
            self.shared["two-axis"] = table
        return table  # type: ignore[no-any-return]

    @property
    def roles(self) -> Roles:
        """The mood's colours by role: ground, mid, light and accent (OKLab)."""
        got = self.shared.get("roles")
        if got is None:
            got = self.shared["roles"] = roles(self.palette)
        return got  # type: ignore[no-any-return]

    @property
    def horizon(self) -> float:
        """Horizon height as a fraction of the frame height (set by the strata's layout)."""
        return float(self.shared.get("horizon", 0.62))

    def time(self, speed: float) -> tuple[float, int | None]:
        """Time coordinate and its period for a layer evolving at ``speed`` cells per second.

        A still is time 0 without a period, which equals frame 0 of any loop exactly (the
        time corners' weights vanish at t = 0). In a loop the period is the whole number of
        cells nearest to ``speed * duration`` (at least 1), so frame ``frames`` equals frame 0.
        """
        loop = self.scene.loop
        if loop is None:
            return 0.0, None
        period = max(1, round(speed * loop.duration))
        return loop.phase * period, period

    def clock(self, speed: float) -> Clock:
        """Where a layer evolving at ``speed`` noise cells per second is in time: two extra
        noise coordinates on a circle (:class:`Clock`), for loops at any speed.

        A loop of duration ``D`` walks once round a circle of circumference ``speed * D``
        cells, at a constant rate, with no whole-cell period: a layer may move 0.19 cells per
        loop. The circle passes through the origin at frame 0, so a still (``(0, 0)``) is frame
        0 of every loop of its scene, whatever the loop's length.
        """
        loop = self.scene.loop
        if loop is None or speed <= 0:
            return Clock(0.0, 0.0, 0.0 if loop is None else loop.phase, 0.0)
        radius = speed * loop.duration / (2 * math.pi)
        theta = 2 * math.pi * loop.phase
        return Clock(radius * (math.cos(theta) - 1.0), radius * math.sin(theta), loop.phase,
                     radius)

    def ramp(self, pos: np.ndarray) -> np.ndarray:
        """Linear-light colours of ramp positions (clipped to [0, 1]), shape ``pos.shape + (3,)``.

        Interpolated between the entries of the palette's lookup table, in float32.
        """
        lut = self.palette.linear_lut
        n = lut.shape[0] - 1
        p = np.clip(pos, 0.0, 1.0).astype(F32, copy=False) * F32(n)
        i = np.minimum(p.astype(np.intp), n - 1)
        f = (p - i)[..., None]
        a = np.take(lut, i, axis=0)
        b = np.take(lut, i + 1, axis=0)
        b -= a
        b *= f
        a += b
        return a

    def xy(self, rows: np.ndarray, cols: np.ndarray, freq: float) -> tuple[np.ndarray, ...]:
        """Noise coordinates of pixel centres, ``freq`` cells per canvas height: ``(x, y)`` of
        shapes ``(1, len(cols))`` and ``(len(rows), 1)``."""
        s = freq / self.height
        return ((cols + 0.5) * s).reshape(1, -1), ((rows + 0.5) * s).reshape(-1, 1)


@dataclass(frozen=True)
class Clock:
    """A layer's place in time (:meth:`Frame.clock`): noise coordinates ``(u, v)`` on a circle
    of ``radius`` cells through the origin, at ``phase`` (0 .. 1) of the loop.

    Pass ``u, v`` as two extra noise dimensions (a 2-D field becomes 4-D noise): frame
    ``frames`` of a loop is frame 0 exactly, and the field changes at the same rate all the way
    round.

    Examples
    --------
    >>> c = Clock(0.0, 0.0, 0.0, 0.0)
    >>> c.still
    True
    """

    u: float
    v: float
    phase: float
    radius: float

    @property
    def still(self) -> bool:
        """No motion: a still, or a layer with speed 0."""
        return self.radius == 0.0

    def at(self, phase: float) -> tuple[float, float]:
        """The coordinates at another ``phase`` of the same loop (``phase`` may be any real:
        the circle wraps)."""
        theta = 2 * math.pi * phase
        return (self.radius * (math.cos(theta) - 1.0), self.radius * math.sin(theta))


@dataclass
class Band:
    """One band of rows being painted.

    Attributes
    ----------
    index : int
        Band number from the top (band ``i`` holds rows ``i * BAND`` onwards).
    rows : ndarray of int
        Row indices of the band.
    rgb : ndarray of float32, shape (len(rows), width, 3)
        Linear-light colour so far; paint into it in place.
    shared : dict
        This band's results layers publish for the layers above (see the module's table).
    """

    index: int
    rows: np.ndarray
    rgb: np.ndarray
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def cols(self) -> np.ndarray:
        """Column indices ``0 .. width - 1``."""
        return np.arange(self.rgb.shape[1])


class LayerRenderer:
    """Base of layer renderers. One instance paints one layer of one render.

    Override any of :meth:`layout`, :meth:`begin`, :meth:`prepare` and :meth:`band`.

    Attributes
    ----------
    layer : Layer
        The spec being painted.
    frame : Frame
    occurrence : int
        How many layers of this type lie below this one in the scene (0 for the first).
    concurrent_bands : bool
        True when :meth:`band` may paint several bands at once on different threads: it
        reads only what ``layout`` and ``prepare`` left and the band it is given, writes only
        that band (and whatever else it writes is the same whichever band comes first), so
        its pixels do not depend on the order of the bands. The compositor paints a render's
        bands on threads only when all its layers say so. False here, so a layer of one's own
        is painted band after band unless it declares otherwise; the built-in layers are true.
    """

    concurrent_bands: bool = False

    def __init__(self, layer: Layer, frame: Frame, occurrence: int = 0) -> None:
        self.layer = layer
        self.frame = frame
        self.occurrence = occurrence

    def name(self, purpose: str) -> str:
        """``purpose``, made distinct for the second and later layers of one type, so two
        stroke layers draw different strokes from one canvas seed."""
        return purpose if self.occurrence == 0 else f"{purpose}#{self.occurrence}"

    def seed(self, purpose: str, *extra: int) -> int:
        """A noise seed for one purpose of this layer, derived from the canvas seed."""
        return stream_seed(self.frame.seed, self.name(purpose), *extra)

    def rng(self, purpose: str, *extra: int) -> np.random.Generator:
        """A random generator for one purpose of this layer, derived from the canvas seed."""
        return stream_rng(self.frame.seed, self.name(purpose), *extra)

    def layout(self) -> None:
        """Publish geometry other layers depend on (runs before every ``prepare``)."""

    def begin(self) -> None:
        """Start work that reads only what the layouts published (runs after every
        ``layout``, before any ``prepare``): a layer may start it on a thread here and take
        its result in its ``prepare``, so that it overlaps the ``prepare`` of the layers
        below. The default does nothing."""

    def prepare(self) -> None:
        """Compute whole-frame fields (runs once, before the bands)."""

    def band(self, band: Band) -> None:
        """Paint this layer into ``band.rgb``."""

    def strokes(self) -> Any:
        """This layer's polylines as :class:`~wiktoria.render.strokedata.Strokes` (pixels),
        for plotter and SVG output, or None when it draws none (the default). Called after
        :meth:`layout` and :meth:`prepare`."""
        return None


BandFunction = Callable[[Any, Frame, Band], None]
R = TypeVar("R")

_RENDERERS: dict[str, type[LayerRenderer]] = {}
_LOCK = threading.RLock()


def _from_function(func: BandFunction) -> type[LayerRenderer]:
    sig = inspect.signature(func)
    if len(sig.parameters) != 3:
        raise TypeError(f"a layer function takes (layer, frame, band), got {func.__name__}"
                        f"{sig}")

    class FunctionRenderer(LayerRenderer):
        def band(self, band: Band) -> None:
            func(self.layer, self.frame, band)

    FunctionRenderer.__name__ = FunctionRenderer.__qualname__ = f"{func.__name__}_renderer"
    FunctionRenderer.__module__ = getattr(func, "__module__", __name__)
    FunctionRenderer.__doc__ = func.__doc__
    return FunctionRenderer


def register_layer(spec: type[Layer], renderer: Any = None, *, replace: bool = False) -> Any:
    """Register a layer type: its spec (a frozen :class:`~wiktoria.Layer` dataclass) and its
    renderer (a :class:`LayerRenderer` subclass, or a function ``(layer, frame, band)`` that
    paints one band).

    Without ``renderer`` it is a decorator for the renderer. The built-in layers are registered
    with this same call. Registering the same type again with another class raises unless
    ``replace`` is true.

    Returns
    -------
    The renderer, unchanged (so the decorated function or class stays usable).

    Raises
    ------
    TypeError
        ``spec`` is not a frozen Layer dataclass, or ``renderer`` is neither a LayerRenderer
        subclass nor a function of three arguments.
    ValueError
        The type name is malformed, a default is out of its range, or the type is taken.
    """
    if renderer is None:
        def decorator(r: R) -> R:
            register_layer(spec, r, replace=replace)
            return r
        return decorator
    if isinstance(renderer, type):
        if not issubclass(renderer, LayerRenderer):
            raise TypeError(f"a layer renderer class must derive from "
                            f"wiktoria.render.LayerRenderer, got {renderer!r}")
        cls = renderer
    elif callable(renderer):
        cls = _from_function(renderer)
    else:
        raise TypeError(f"renderer must be a LayerRenderer subclass or a function, "
                        f"got {renderer!r}")
    with _LOCK:
        register_spec(spec, replace=replace)
        _RENDERERS[spec.type] = cls
    return renderer


def unregister_layer(name: str) -> None:
    """Forget a layer type (spec and renderer); for tests and interactive sessions."""
    with _LOCK:
        _RENDERERS.pop(name, None)
        unregister_spec(name)


def renderer_for(layer: Layer) -> type[LayerRenderer]:
    """The renderer class registered for ``layer``'s type.

    Raises
    ------
    UnknownLayerError
        The type is not registered (the message lists the registered types).
    ValueError
        The type is registered with another spec class than ``layer``'s.
    """
    cls = layer_class(layer.type)  # loads plug-ins; raises UnknownLayerError
    if not isinstance(layer, cls):
        raise ValueError(f"layer type {layer.type!r} is registered with spec "
                         f"{cls.__module__}.{cls.__qualname__}, not {type(layer).__qualname__}")
    with _LOCK:
        found = _RENDERERS.get(layer.type)
    if found is None:
        raise ValueError(f"layer type {layer.type!r} has a spec but no renderer; register it "
                         "with wiktoria.register_layer(spec, renderer)")
    return found


def gradient(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """``np.gradient`` along one axis, and zeros where that axis is too short for one (a
    painting one pixel wide or tall)."""
    a = np.asarray(a)
    if a.shape[axis] < 2:
        return np.zeros(a.shape, dtype=np.result_type(a.dtype, np.float32))
    return np.gradient(a, axis=axis)


def box_smooth(a: np.ndarray, width: int, passes: int = 3, axis: int = -1) -> np.ndarray:
    """``a`` smoothed along ``axis`` by ``passes`` moving averages over ``width`` samples (made
    odd; three passes are nearly a Gaussian), the edge values held, in float64 running sums;
    returns float32.

    Examples
    --------
    >>> box_smooth(np.array([0.0, 0, 3, 0, 0]), 3, passes=1).tolist()
    [0.0, 1.0, 1.0, 1.0, 0.0]
    """
    k = max(1, int(width)) | 1
    out = np.moveaxis(np.asarray(a, np.float64), axis, -1)
    pad = [(0, 0)] * (out.ndim - 1) + [(k // 2 + 1, k // 2)]
    for _ in range(passes):
        c = np.cumsum(np.pad(out, pad, mode="edge"), axis=-1)
        out = (c[..., k:] - c[..., :-k]) / k
    return np.moveaxis(out, -1, axis).astype(F32)


def vignette(rows: np.ndarray, width: int, height: int, strength: float, inner: float = 0.25,
             outer: float = 1.1) -> np.ndarray:
    """The darkening of the corners over ``rows``: 1 in the middle falling by ``strength``
    between ``inner`` and ``outer`` (squared distance from the centre, 1 at the corners),
    shape (rows, width), float32."""
    yy = ((rows + 0.5) / height - 0.5).astype(F32).reshape(-1, 1)
    xx = ((np.arange(width) + 0.5) / width - 0.5).astype(F32).reshape(1, -1)
    aspect = F32(width / height)
    r2 = (xx * aspect) ** 2 + yy**2
    r2 /= F32(0.25 * aspect**2 + 0.25)
    return F32(1) - F32(strength) * smoothstep(r2, inner, outer)


def smoothstep(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Hermite smoothstep of ``a`` from ``lo`` to ``hi``."""
    t = np.clip((a - lo) / (hi - lo), 0, 1)
    return t * t * (3 - 2 * t)


def kernel_array(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``a`` as a compiled kernel takes it: float32, broadcast to ``shape``, C-contiguous and
    read-only (copied only when it is not one already). One signature per kernel, and no zero
    strides, which keep numba from vectorising (3.5x slower)."""
    if isinstance(a, np.ndarray) and a.dtype == F32 and a.shape == shape \
            and a.flags.c_contiguous:
        if not a.flags.writeable:
            return a
        b = a.view()
    else:
        b = np.broadcast_to(np.asarray(a, F32), shape)
        if not b.flags.c_contiguous:
            b = np.ascontiguousarray(b)
        b = b.view()
    b.flags.writeable = False
    return b


def interp_grid(grid: np.ndarray, gy: np.ndarray, gx: np.ndarray, rows: np.ndarray,
                cols: np.ndarray) -> np.ndarray:
    """Bilinear interpolation of ``grid`` (sampled at pixel coordinates ``gy`` x ``gx``) at
    the pixel rows ``rows`` and columns ``cols``."""
    return interp_grids([grid], gy, gx, rows, cols)[0]


def interp_grids(grids: list[np.ndarray], gy: np.ndarray, gx: np.ndarray, rows: np.ndarray,
                 cols: np.ndarray) -> list[np.ndarray]:
    """:func:`interp_grid` of several grids on the same nodes (the cells found once)."""
    def locate(g: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i = np.clip(np.searchsorted(g, p, side="right") - 1, 0, len(g) - 2)
        t = np.clip((p - g[i]) / (g[i + 1] - g[i]), 0, 1).astype(F32)
        return i, t

    iy, ty = locate(gy, rows.astype(np.float64))
    ix, tx = locate(gx, cols.astype(np.float64))
    return [_interp_cells(g, iy, ty, ix, tx) for g in grids]


def _interp_cells(grid: np.ndarray, iy: np.ndarray, ty: np.ndarray, ix: np.ndarray,
                  tx: np.ndarray) -> np.ndarray:
    """:func:`interp_grid` of ``grid`` from the cells and fractions of its rows and columns."""
    kernel = (_accel.compiled(_interp) if grid.dtype == F32 and grid.ndim == 2
              and min(grid.shape) >= 2 else None)
    if kernel is not None and len(iy) * len(ix) >= _INTERP_MIN:
        out = np.empty((len(iy), len(ix)), F32)
        kernel(kernel_array(grid, grid.shape), iy, ty, ix, tx, out)
        return out
    top = grid[iy]
    bot = grid[iy + 1]
    band = top + (bot - top) * ty[:, None]
    left = band[:, ix]
    right = band[:, ix + 1]
    return left + (right - left) * tx[None, :]


#: Below this many pixels :func:`interp_grid` stays on numpy (a kernel call costs more).
_INTERP_MIN = 4096


def _interp(grid: np.ndarray, iy: np.ndarray, ty: np.ndarray, ix: np.ndarray, tx: np.ndarray,
            out: np.ndarray) -> None:
    """:func:`interp_grid`'s numpy path from its cells (``iy``, ``ix``) and fractions
    (``ty``, ``tx``, float32) on, pixel by pixel in the same float32 operations: the rows
    first, then the columns (compiled with numba by :func:`wiktoria.noise._accel.compiled`)."""
    for r in range(out.shape[0]):
        i, t = iy[r], ty[r]
        for c in range(out.shape[1]):
            j = ix[c]
            a, b = grid[i, j], grid[i, j + 1]
            left = a + (grid[i + 1, j] - a) * t
            right = b + (grid[i + 1, j + 1] - b) * t
            out[r, c] = left + (right - left) * tx[c]

