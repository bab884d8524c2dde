"""Internal: the arguments of :mod:`wiktoria.noise.compat`, parsed like the ``noise`` C extension
parses them (``PyArg_ParseTuple`` formats ``"i"`` and ``"f"``: C ``int`` and ``float``), and the
coordinates, converted to float32 and checked.

Wrong types raise ``TypeError`` and bad values ``ValueError``, one line naming the argument, as
everywhere in Wiktoria; an ``int`` that does not fit in a C ``int`` raises ``OverflowError``,
like ``noise``. Integer arguments refuse floats (``octaves=2.0``) as ``noise`` does, so these
checks are compat's own rather than :mod:`wiktoria.common.validate`'s.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from wiktoria.noise._compat_tables import (
    _INT_MAX,
    _INT_MIN,
    F32,
    FLT_MAX,
    _f32,
)


def _int_arg(name: str, value: object) -> int:
    """Parse a C ``int`` argument like ``PyArg_Parse`` format ``"i"``."""
    try:
        ivalue = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}") from None
    if not _INT_MIN <= ivalue <= _INT_MAX:
        raise OverflowError(f"{name} must fit in a C int (-2**31 .. 2**31-1), got {ivalue}")
    return ivalue


#: Most octaves a compat call sums. ``noise`` itself has no limit, but past about 40 octaves its
#: float32 frequencies overflow and every value is NaN, while the cost grows without end
#: (10**6 octaves of one point took 68 s); so more is refused in one line.
MAX_OCTAVES = 128


def _octaves_arg(value: object) -> int:
    octaves = _int_arg("octaves", value)
    if not 1 <= octaves <= MAX_OCTAVES:
        raise ValueError(f"octaves must be from 1 to {MAX_OCTAVES}, got {octaves}")
    return octaves


def _real_arg(name: str, value: object) -> np.float32:
    """Parse a C ``float`` argument (format ``"f"``): a real number, rounded to float32."""
    bad = isinstance(value, str | bytes | bytearray | complex | np.complexfloating | np.ndarray)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "biuf":
        value = value.item()
        bad = False
    if not bad:
        try:
            fvalue = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            bad = True
    if bad:
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    with np.errstate(over="ignore"):
        return _f32(fvalue)


def _finite_real_arg(name: str, value: object) -> np.float32:
    result = _real_arg(name, value)
    if not np.isfinite(result):
        raise ValueError(f"{name} must be finite (as float32), got {value!r}")
    return result


def _base_arg(func: str, value: object, high: int) -> int:
    base = _int_arg("base", value)
    if not 0 <= base <= high:
        allowed = "0 or 1" if high == 1 else f"an integer in 0..{high}"
        raise ValueError(
            f"base must be {allowed} for {func}, got {base}: other values make noise read "
            "outside its 512-entry permutation table (use wiktoria.noise for real seeds)"
        )
    return base


def _fbm_args(octaves: object, persistence: object, lacunarity: object, *,
              ignore_lacunarity: bool = False) -> tuple[int, np.float32, np.float32]:
    """``octaves``, ``persistence`` and ``lacunarity`` parsed like noise's C arguments.

    With ``ignore_lacunarity`` (snoise4's quirk) ``lacunarity`` is parsed as a real number and
    then replaced by 2.0.
    """
    noct = _octaves_arg(octaves)
    pers = _finite_real_arg("persistence", persistence)
    if ignore_lacunarity:
        _real_arg("lacunarity", lacunarity)
        return noct, pers, _f32(2.0)
    return noct, pers, _finite_real_arg("lacunarity", lacunarity)


def _float_repeat(name: str, value: object) -> np.float32:
    r = _real_arg(name, value)
    if np.isnan(r) or r == 0:
        raise ValueError(f"{name} must be non-zero and not NaN, got {value!r}")
    return r


def _tile_repeat(name: str, value: object) -> np.float32 | None:
    if value is None:
        return None
    r = _real_arg(name, value)
    if r == _f32(FLT_MAX):  # the C default: no tiling
        return None
    if not np.isfinite(r) or r == 0:
        raise ValueError(
            f"{name} must be finite and non-zero (as float32), or None for no tiling, got {value!r}"
        )
    return r


def _coords(
    names: Sequence[str], values: Sequence[ArrayLike]
) -> tuple[list[F32], tuple[int, ...], bool, float]:
    """Convert coordinates to float32 arrays (C ``(float)``), check them, broadcast shapes.

    Returns the arrays (each in its own shape, at least 1-d), the broadcast shape, whether
    every input was a scalar, and the largest absolute coordinate.
    """
    arrays: list[F32] = []
    maxabs = 0.0
    for name, value in zip(names, values, strict=True):
        arr = np.asarray(value)
        kind = arr.dtype.kind
        if kind not in "biuf":
            raise TypeError(
                f"{name} must be a real number or an array of real numbers, "
                f"got {type(value).__name__} with dtype {arr.dtype}"
            )
        if kind != "f" or arr.dtype.itemsize > 8:
            arr = arr.astype(np.float64)  # ints / long double go through C double, like noise
        with np.errstate(over="ignore"):
            a32 = arr.astype(np.float32, copy=False)
        if a32.size:
            lo, hi = float(a32.min()), float(a32.max())
            if not (np.isfinite(lo) and np.isfinite(hi)):
                bad = np.argwhere(~np.isfinite(a32))[0]
                where = "" if a32.ndim == 0 else f" at index {tuple(int(k) for k in bad)}"
                raise ValueError(
                    f"{name} must be finite (as float32), got {a32[tuple(bad)]!r}{where}"
                )
            maxabs = max(maxabs, -lo, hi)
        arrays.append(a32)
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n}{a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"coordinate shapes do not broadcast together: {shapes}") from None
    scalar = all(a.ndim == 0 for a in arrays)
    return [np.atleast_1d(a) for a in arrays], shape, scalar, maxabs
