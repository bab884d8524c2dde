"""Argument checks shared by every module, so one mistake gets one exception type everywhere.

The rules:

* a value of the wrong *type* (a string where a number is wanted, a bool anywhere a number is
  wanted) raises :class:`TypeError`; a value of the right type but outside what is allowed
  (out of range, not whole, NaN) raises :class:`ValueError`;
* the message is one line that names the argument, what is allowed and the value given;
* numpy scalars count as the Python numbers they hold (``np.float32(2.0)``, ``np.int64(3)``),
  and an integer argument accepts any whole number (``3``, ``3.0``, ``np.float32(3)``).

Examples
--------
>>> import numpy as np
>>> integer(np.int64(3), "octaves", 1, 10), number(np.float32(0.5), "gain", 0, 1)
(3, 0.5)
>>> integer(2.5, "octaves", 1, 10)
Traceback (most recent call last):
...
ValueError: octaves must be an integer from 1 to 10, got 2.5
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["boolean", "choice", "instance", "integer", "is_number", "number", "seed", "show"]


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number: Python or numpy, ints or floats, but not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def show(value: Any) -> str:
    """``repr(value)`` for an error message, or its type (and shape) when that is long or spans
    several lines, so that messages stay on one line.

    Examples
    --------
    >>> show(2.5), show(np.zeros((40, 40)))
    ('2.5', 'ndarray of shape (40, 40)')
    """
    text = repr(value)
    if "\n" in text or len(text) > 80:
        shape = getattr(value, "shape", None)
        text = type(value).__name__ + ("" if shape is None else f" of shape {tuple(shape)}")
    return text


def _bound(v: float) -> str:
    """A bound as written: integers in full (``10000000``), other numbers shortest (``1e-06``)."""
    whole = isinstance(v, float) and v.is_integer() and abs(v) < 1e16
    if isinstance(v, numbers.Integral) or whole:
        return str(int(v))
    return f"{v:g}"


def _range(lo: float | None, hi: float | None, lo_open: bool = False) -> str:
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f" greater than {_bound(lo)}" if lo_open else f" of at least {_bound(lo)}"  # type: ignore[arg-type]
    if lo is None:
        return f" of at most {_bound(hi)}"
    if lo_open:
        return f" in ({_bound(lo)}, {_bound(hi)}]"
    return f" from {_bound(lo)} to {_bound(hi)}"


def integer(value: Any, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as an ``int``, checked to lie in ``[lo, hi]`` (either bound may be None).

    Raises
    ------
    TypeError
        Not a number (bools are not numbers here).
    ValueError
        Not whole, or out of range.
    """
    allowed = f"{name} must be an integer{_range(lo, hi)}, got {show(value)}"
    if not is_number(value):
        raise TypeError(allowed)
    if isinstance(value, numbers.Integral):
        v = int(value)
    else:
        f = float(value)
        if not (math.isfinite(f) and f.is_integer()):
            raise ValueError(allowed)
        v = int(f)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(allowed)
    return v


def number(value: Any, name: str, lo: float | None = None, hi: float | None = None, *,
           lo_open: bool = False) -> float:
    """``value`` as a finite ``float`` in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``).

    Raises
    ------
    TypeError
        Not a number (bools are not numbers here).
    ValueError
        NaN, infinite or out of range.
    """
    allowed = f"{name} must be a number{_range(lo, hi, lo_open)}, got {show(value)}"
    if not is_number(value):
        raise TypeError(allowed)
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(allowed)
    if lo is not None and (v <= lo if lo_open else v < lo):
        raise ValueError(allowed)
    if hi is not None and v > hi:
        raise ValueError(allowed)
    return v


def boolean(value: Any, name: str) -> bool:
    """``value`` as a ``bool``: only ``True``, ``False`` and numpy bools are accepted."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be true or false, got {show(value)}")
    return bool(value)


def instance(value: Any, name: str, types: type | tuple[type, ...], what: str | None = None) -> Any:
    """``value`` if it is an instance of ``types``, else a :class:`TypeError` naming ``what``
    it must be (default: ``a <first type's name>``).

    Examples
    --------
    >>> instance("calm", "params", dict)
    Traceback (most recent call last):
    ...
    TypeError: params must be a dict, got 'calm'
    """
    if not isinstance(value, types):
        first = types[0] if isinstance(types, tuple) else types
        raise TypeError(f"{name} must be {what or 'a ' + first.__name__}, got {show(value)}")
    return value


def choice(value: Any, name: str, options: Iterable[str]) -> str:
    """``value`` if it is one of ``options``; the error lists them (and the closest one)."""
    opts = list(options)
    if isinstance(value, str) and value in opts:
        return value
    import difflib

    close = difflib.get_close_matches(str(value), opts, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    message = f"unknown {name} {show(value)}{hint}; valid: {', '.join(opts)}"
    if not isinstance(value, str):
        raise TypeError(message)
    raise ValueError(message)


def seed(value: Any, name: str = "seed") -> int:
    """A seed: an integer from 0 to 2**63 - 1."""
    allowed = f"{name} must be an integer from 0 to 2**63-1, got {show(value)}"
    if not is_number(value):
        raise TypeError(allowed)
    try:
        v = integer(value, name)
    except ValueError:
        raise ValueError(allowed) from None
    if not 0 <= v < 2**63:
        raise ValueError(allowed)
    return v
