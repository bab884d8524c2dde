"""Colour spaces: the sRGB transfer function, linear light, OKLab and OKLCh, gamut mapping,
colour-vision simulation, hex codes and the renderer's dithered 8-bit encoder.

Re-exported by :mod:`wiktoria.colour`, whose docstring describes the spaces and ranges.
"""


from __future__ import annotations

import re
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wiktoria.common import validate

__all__ = [
    "CVD_MATRICES",
    "JND",
    "delta_e",
    "encode_srgb8",
    "encode_srgb8_dithered",
    "gamut_map",
    "hex_to_srgb",
    "in_gamut",
    "linear_to_oklab",
    "linear_to_srgb",
    "oklab_to_linear",
    "oklab_to_oklch",
    "oklab_to_srgb",
    "oklch_to_oklab",
    "simulate_cvd",
    "srgb_to_hex",
    "srgb_to_linear",
    "srgb_to_oklab",
    "srgb_to_uint8",
]

JND: float = 0.02
"""Just-noticeable difference in ΔE_OK used by CSS Color 4 gamut mapping and the ramp checks."""

_M1 = np.array(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ]
)
"""Linear sRGB to LMS (Ottosson, published coefficients)."""

_M2 = np.array(
    [
        [0.2104542553, 0.7936177850, -0.0040720468],
        [1.9779984951, -2.4285922050, 0.4505937099],
        [0.0259040371, 0.7827717662, -0.8086757660],
    ]
)
"""Non-linear LMS to OKLab."""

_M2_INV = np.array(
    [
        [1.0, 0.3963377774, 0.2158037573],
        [1.0, -0.1055613458, -0.0638541728],
        [1.0, -0.0894841775, -1.2914855480],
    ]
)
"""OKLab to non-linear LMS."""

_M1_INV = np.array(
    [
        [4.0767416621, -3.3077115913, 0.2309699292],
        [-1.2684380046, 2.6097574011, -0.3413193965],
        [-0.0041960863, -0.7034186147, 1.7076147010],
    ]
)
"""LMS to linear sRGB."""

CVD_MATRICES: dict[str, NDArray[np.float64]] = {
    "protan": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deutan": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritan": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
"""Machado, Oliveira & Fernandes (2009) simulation matrices at severity 1.0, on linear sRGB.

These are the matrices colorspacious uses for ``sRGB1+CVD`` at severity 100 (and browsers'
developer tools use for their CVD emulation).
"""

# The sRGB transfer function (IEC 61966-2-1): linear below the knee, a 2.4 power law above it.
# srgb_to_linear, linear_to_srgb and encode_srgb8 all read these, so they cannot drift apart.
SRGB_ENCODED_KNEE = 0.04045
SRGB_LINEAR_KNEE = 0.0031308
SRGB_SLOPE = 12.92
SRGB_OFFSET = 0.055
SRGB_SCALE = 1.055
SRGB_GAMMA = 2.4

_HEX_RE = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def _as_float(x: ArrayLike) -> NDArray[np.floating]:
    """Return ``x`` as a float array: float32 stays float32, everything else becomes float64."""
    arr = np.asarray(x)
    if arr.dtype == np.float32:
        return arr
    if arr.dtype in (np.uint8, np.int8, np.float16, np.bool_):
        return arr.astype(np.float32)
    return arr.astype(np.float64)


def _check_channels(arr: NDArray[np.floating], what: str) -> None:
    if arr.ndim == 0 or arr.shape[-1] != 3:
        raise ValueError(f"{what} must have a last axis of length 3, got shape {arr.shape}")


def _matmul(arr: NDArray[np.floating], matrix: NDArray[np.float64]) -> NDArray[np.floating]:
    """Apply a 3x3 matrix to the last axis, keeping the array's float dtype."""
    return arr @ matrix.T.astype(arr.dtype, copy=False)


def srgb_to_linear(srgb: ArrayLike) -> NDArray[np.floating]:
    """Decode gamma-encoded sRGB to linear light (IEC 61966-2-1 transfer function).

    Parameters
    ----------
    srgb : array_like, any shape
        sRGB channel values, ``[0, 1]`` for displayable colours. Values outside are decoded by
        the sign-symmetric extension of the curve.

    Returns
    -------
    ndarray, same shape, float32 for float32 input else float64
        Linear-light values.

    Examples
    --------
    >>> float(srgb_to_linear(0.5))
    0.21404114048223255
    """
    c = _as_float(srgb)
    a = np.abs(c)
    out = np.where(a <= SRGB_ENCODED_KNEE, a / SRGB_SLOPE,
                   ((a + SRGB_OFFSET) / SRGB_SCALE) ** SRGB_GAMMA)
    return (np.sign(c) * out).astype(c.dtype, copy=False)


def linear_to_srgb(linear: ArrayLike) -> NDArray[np.floating]:
    """Encode linear light as gamma-encoded sRGB (inverse of :func:`srgb_to_linear`).

    Parameters
    ----------
    linear : array_like, any shape
        Linear-light values, ``[0, 1]`` inside the gamut.

    Returns
    -------
    ndarray, same shape, float32 for float32 input else float64
        sRGB values; not clipped.

    Examples
    --------
    >>> round(float(linear_to_srgb(0.21404114048223255)), 12)
    0.5
    """
    c = _as_float(linear)
    a = np.abs(c)
    out = np.where(a <= SRGB_LINEAR_KNEE, a * SRGB_SLOPE,
                   SRGB_SCALE * a ** (1 / SRGB_GAMMA) - SRGB_OFFSET)
    return (np.sign(c) * out).astype(c.dtype, copy=False)


_F32 = np.float32


def encode_srgb8(linear: NDArray[np.float32], rng: np.random.Generator) -> NDArray[np.uint8]:
    """Encode linear-light float32 to 8-bit sRGB codes, with triangular dither of one code.

    This is the renderer's output encoder: values are clipped to ``[0, 1]``, encoded with the
    sRGB transfer function of :func:`linear_to_srgb` (here in float32, scaled to codes), and
    dithered by the difference of two uniform draws from ``rng`` (triangular, -1 to 1 code)
    before rounding, so smooth gradients show no bands. The float32 operations and their
    order are fixed: the same input and generator state give the same bytes on every machine.

    Parameters
    ----------
    linear : ndarray of float32, any shape
        Linear-light values, usually ``(..., 3)`` RGB; ``[0, 1]`` is the displayable range.
    rng : numpy.random.Generator
        Source of the dither: draws ``2 * linear.size`` float32 uniforms.

    Returns
    -------
    ndarray of uint8, same shape
        sRGB codes.

    Examples
    --------
    >>> grey = np.full((64, 64, 3), 0.2140411, dtype=np.float32)  # sRGB 0.5: code 127.5
    >>> codes = encode_srgb8(grey, np.random.default_rng(0))
    >>> codes.dtype, sorted(np.unique(codes).tolist()), round(float(codes.mean()), 1)
    (dtype('uint8'), [127, 128], 127.5)
    """
    up = rng.random(np.shape(linear), dtype=_F32)
    down = rng.random(np.shape(linear), dtype=_F32)
    return encode_srgb8_dithered(linear, up, down)


def encode_srgb8_dithered(linear: NDArray[np.float32], up: NDArray[np.float32],
                          down: NDArray[np.float32]) -> NDArray[np.uint8]:
    """:func:`encode_srgb8` with its dither given: ``up - down`` codes, two float32 uniform
    draws per value (what :func:`encode_srgb8` draws from its generator, ``up`` first). A loop
    keeps its frames' draws, which are the same in every frame (the dither holds still).

    The sRGB power comes from numpy; the rest runs compiled (one pass, no temporaries) in the
    same float32 operations and order as the numpy path, so the codes are the same; under the
    numpy backend (``WIKTORIA_BACKEND``) the numpy path runs.

    Examples
    --------
    >>> grey = np.full((2, 2, 3), 0.2140411, dtype=np.float32)
    >>> rng = np.random.default_rng(0)
    >>> up, down = rng.random(grey.shape, np.float32), rng.random(grey.shape, np.float32)
    >>> bool((encode_srgb8_dithered(grey, up, down)
    ...       == encode_srgb8(grey, np.random.default_rng(0))).all())
    True
    """
    lin = np.clip(linear, 0, 1)
    s = np.power(lin, _F32(1 / SRGB_GAMMA))
    kernel = _encode_kernel()
    if kernel is not None and lin.dtype == _F32 and s.dtype == _F32:
        out = np.empty(lin.shape, np.uint8)
        kernel(lin.reshape(-1), s.reshape(-1), np.ascontiguousarray(up, _F32).reshape(-1),
               np.ascontiguousarray(down, _F32).reshape(-1), _F32(SRGB_LINEAR_KNEE),
               _F32(SRGB_SCALE * 255), _F32(SRGB_OFFSET * 255), _F32(SRGB_SLOPE * 255),
               out.reshape(-1))
        return out
    low = lin <= _F32(SRGB_LINEAR_KNEE)
    s *= _F32(SRGB_SCALE * 255)
    s -= _F32(SRGB_OFFSET * 255)
    s = np.where(low, lin * _F32(SRGB_SLOPE * 255), s)
    s += up
    s -= down
    s += _F32(0.5)
    np.clip(s, 0, 255, out=s)
    return s.astype(np.uint8)


def _encode(lin: NDArray[np.float32], power: NDArray[np.float32], up: NDArray[np.float32],
            down: NDArray[np.float32], knee: np.float32, scale: np.float32,
            offset: np.float32, slope: np.float32, out: NDArray[np.uint8]) -> None:
    """:func:`encode_srgb8_dithered`'s numpy path after the power, value by value in the same
    float32 operations (compiled with numba by :func:`_encode_kernel`). Flat arrays."""
    zero = np.float32(0.0)
    top = np.float32(255.0)
    half = np.float32(0.5)
    for i in range(out.shape[0]):
        x = lin[i]
        if x <= knee:
            s = x * slope
        else:
            s = power[i] * scale
            s = s - offset
        s = s + up[i]
        s = s - down[i]
        s = s + half
        s = min(max(s, zero), top)
        out[i] = np.uint8(s)


def _encode_kernel() -> object:
    """:func:`_encode` compiled with numba, or None under the numpy backend or without numba."""
    from wiktoria.noise import _accel

    return _accel.compiled(_encode)


def linear_to_oklab(linear: ArrayLike) -> NDArray[np.floating]:
    """Convert linear sRGB to OKLab.

    Parameters
    ----------
    linear : array_like, shape (..., 3)
        Linear-light RGB.

    Returns
    -------
    ndarray, shape (..., 3)
        ``(L, a, b)``; white is ``(1, 0, 0)``.

    Examples
    --------
    >>> np.round(linear_to_oklab([1.0, 1.0, 1.0]), 6).tolist()
    [1.0, 0.0, 0.0]
    """
    rgb = _as_float(linear)
    _check_channels(rgb, "linear RGB")
    lms = np.cbrt(_matmul(rgb, _M1))
    return _matmul(lms, _M2)


def oklab_to_linear(lab: ArrayLike) -> NDArray[np.floating]:
    """Convert OKLab to linear sRGB (not clipped: out-of-gamut colours leave ``[0, 1]``).

    Parameters
    ----------
    lab : array_like, shape (..., 3)
        OKLab ``(L, a, b)``.

    Returns
    -------
    ndarray, shape (..., 3)
        Linear-light RGB.

    Examples
    --------
    >>> np.round(oklab_to_linear([1.0, 0.0, 0.0]), 6).tolist()
    [1.0, 1.0, 1.0]
    """
    arr = _as_float(lab)
    _check_channels(arr, "OKLab")
    lms = _matmul(arr, _M2_INV) ** 3
    return _matmul(lms, _M1_INV)


def srgb_to_oklab(srgb: ArrayLike) -> NDArray[np.floating]:
    """Convert gamma-encoded sRGB, shape ``(..., 3)``, to OKLab, shape ``(..., 3)``.

    Examples
    --------
    >>> np.round(srgb_to_oklab([1.0, 0.0, 0.0]), 4).tolist()
    [0.628, 0.2249, 0.1258]
    """
    return linear_to_oklab(srgb_to_linear(srgb))


def oklab_to_srgb(lab: ArrayLike) -> NDArray[np.floating]:
    """Convert OKLab, shape ``(..., 3)``, to gamma-encoded sRGB, shape ``(..., 3)`` (not clipped).

    Examples
    --------
    >>> srgb_to_hex(oklab_to_srgb([0.62795536, 0.22486306, 0.1258463]))
    '#ff0000'
    """
    return linear_to_srgb(oklab_to_linear(lab))


def oklab_to_oklch(lab: ArrayLike) -> NDArray[np.floating]:
    """Convert OKLab to OKLCh.

    Parameters
    ----------
    lab : array_like, shape (..., 3)

    Returns
    -------
    ndarray, shape (..., 3)
        ``(L, C, h)`` with ``C >= 0`` and ``h`` in degrees in ``[0, 360)``. The hue of an
        achromatic colour is 0.

    Examples
    --------
    >>> np.round(oklab_to_oklch([0.5, 0.0, 0.1]), 6).tolist()
    [0.5, 0.1, 90.0]
    """
    arr = _as_float(lab)
    _check_channels(arr, "OKLab")
    chroma = np.hypot(arr[..., 1], arr[..., 2])
    hue = np.degrees(np.arctan2(arr[..., 2], arr[..., 1])) % 360.0
    hue = np.where(hue >= 360.0, 0.0, hue)
    return np.stack([arr[..., 0], chroma, hue.astype(arr.dtype, copy=False)], axis=-1)


def oklch_to_oklab(lch: ArrayLike) -> NDArray[np.floating]:
    """Convert OKLCh ``(L, C, h in degrees)``, shape ``(..., 3)``, to OKLab, shape ``(..., 3)``.

    Examples
    --------
    >>> np.round(oklch_to_oklab([0.5, 0.1, 90.0]), 6).tolist()
    [0.5, 0.0, 0.1]
    """
    arr = _as_float(lch)
    _check_channels(arr, "OKLCh")
    h = np.radians(arr[..., 2])
    return np.stack([arr[..., 0], arr[..., 1] * np.cos(h), arr[..., 1] * np.sin(h)], axis=-1)


def delta_e(lab1: ArrayLike, lab2: ArrayLike) -> NDArray[np.floating]:
    """Colour difference ΔE_OK: Euclidean distance in OKLab, over the last axis.

    Parameters
    ----------
    lab1, lab2 : array_like, shape (..., 3), broadcastable

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> float(delta_e([0.5, 0.0, 0.0], [0.5, 0.03, 0.04]))
    0.05
    """
    diff = _as_float(lab1) - _as_float(lab2)
    return np.sqrt(np.sum(diff * diff, axis=-1))


def in_gamut(linear: ArrayLike, tol: float = 1e-6) -> NDArray[np.bool_]:
    """Whether linear-RGB colours, shape ``(..., 3)``, lie in ``[-tol, 1 + tol]``.

    Returns a bool array of shape ``(...)``.
    """
    tol = validate.number(tol, "tol", 0.0)
    rgb = _as_float(linear)
    _check_channels(rgb, "linear RGB")
    return np.all((rgb >= -tol) & (rgb <= 1.0 + tol), axis=-1)


def gamut_map(lab: ArrayLike, iterations: int = 30) -> NDArray[np.float64]:
    """Bring OKLab colours into the sRGB gamut by chroma reduction at constant ``L`` and hue.

    Colours already inside the gamut are returned unchanged. ``L >= 1`` maps to white and
    ``L <= 0`` to black (as CSS Color 4 does). Otherwise the largest in-gamut fraction of the
    colour's ``(a, b)`` is found by bisection (the achromatic colour of the same ``L`` is
    always inside), so the mapped colour keeps lightness and hue exactly.

    Parameters
    ----------
    lab : array_like, shape (..., 3)
        OKLab colours.
    iterations : int
        Bisection steps; 30 gives a chroma error below ``1e-9``.

    Returns
    -------
    ndarray, shape (..., 3), float64
        In-gamut OKLab colours: ``oklab_to_linear`` of the result lies in ``[0, 1]`` up to
        rounding (about ``1e-9``).

    Examples
    --------
    >>> vivid = oklch_to_oklab([0.7, 0.4, 140.0])      # far outside sRGB
    >>> mapped = gamut_map(vivid)
    >>> bool(in_gamut(oklab_to_linear(mapped))), round(float(mapped[0]), 6)
    (True, 0.7)
    """
    iterations = validate.integer(iterations, "iterations", 0)
    arr = np.array(lab, dtype=np.float64, copy=True)
    _check_channels(arr, "OKLab")
    flat = arr.reshape(-1, 3)
    light = flat[:, 0]
    white = light >= 1.0
    black = light <= 0.0
    flat[white] = (1.0, 0.0, 0.0)
    flat[black] = (0.0, 0.0, 0.0)
    todo = ~(white | black) & ~in_gamut(oklab_to_linear(flat), tol=1e-9)
    if np.any(todo):
        sub = flat[todo]
        lo = np.zeros(len(sub))
        hi = np.ones(len(sub))
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            trial = np.column_stack([sub[:, 0], sub[:, 1] * mid, sub[:, 2] * mid])
            ok = in_gamut(oklab_to_linear(trial), tol=1e-9)
            lo = np.where(ok, mid, lo)
            hi = np.where(ok, hi, mid)
        flat[todo] = np.column_stack([sub[:, 0], sub[:, 1] * lo, sub[:, 2] * lo])
    return arr


def simulate_cvd(
    linear: ArrayLike, kind: Literal["protan", "deutan", "tritan"]
) -> NDArray[np.floating]:
    """Simulate a colour-vision deficiency at full severity (Machado et al. 2009).

    Parameters
    ----------
    linear : array_like, shape (..., 3)
        Linear-light RGB.
    kind : {"protan", "deutan", "tritan"}

    Returns
    -------
    ndarray, shape (..., 3)
        Linear RGB as seen with the deficiency, clipped to ``[0, 1]`` (what a display shows).

    Examples
    --------
    >>> np.round(simulate_cvd([1.0, 0.0, 0.0], "deutan"), 3).tolist()
    [0.367, 0.28, 0.0]
    """
    matrix = CVD_MATRICES[validate.choice(kind, "colour-vision deficiency", sorted(CVD_MATRICES))]
    rgb = _as_float(linear)
    _check_channels(rgb, "linear RGB")
    return np.clip(_matmul(rgb, matrix), 0.0, 1.0)


def hex_to_srgb(text: str) -> NDArray[np.float64]:
    """Parse ``#RRGGBB`` or ``#RGB`` (the ``#`` is optional) into sRGB floats in ``[0, 1]``.

    Returns
    -------
    ndarray, shape (3,), float64

    Raises
    ------
    ValueError
        If ``text`` is not a hex colour; the message quotes it.

    Examples
    --------
    >>> hex_to_srgb("#ff8000").tolist()
    [1.0, 0.5019607843137255, 0.0]
    """
    if not isinstance(text, str):
        raise TypeError(f"a hex colour must be a string, got {type(text).__name__} "
                        f"{validate.show(text)}")
    match = _HEX_RE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a hex colour; expected '#RRGGBB' or '#RGB'")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return np.array([int(digits[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64) / 255.0


def srgb_to_uint8(srgb: ArrayLike) -> NDArray[np.uint8]:
    """Quantise sRGB floats (any shape) to uint8 codes: clip to ``[0, 1]``, scale, round."""
    return np.rint(np.clip(_as_float(srgb), 0.0, 1.0) * 255.0).astype(np.uint8)


def srgb_to_hex(srgb: ArrayLike) -> str:
    """Format one sRGB colour (shape ``(3,)``, floats in ``[0, 1]``) as ``#rrggbb``.

    Examples
    --------
    >>> srgb_to_hex([1.0, 0.5, 0.0])
    '#ff8000'
    """
    codes = srgb_to_uint8(srgb)
    if codes.shape != (3,):
        raise ValueError(f"srgb_to_hex takes one colour of shape (3,), got shape {codes.shape}")
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in codes))
