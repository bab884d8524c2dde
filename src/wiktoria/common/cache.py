"""Bounded caches of what stays the same from frame to frame of a loop, within one process.

Much of a loop's frame is the same in every frame: the land's relief, the paper's tooth and
grain, the light's geometry. A renderer keeps such results in a :class:`LoopCache`, keyed by
everything they depend on, so the next frame rendered by the same process finds them. A
cached value is the very array the renderer computed (read-only), so a frame is the same
bytes with the cache as without it, in whatever order and process frames are rendered.

A cache holds **groups** (one per painting and size: a loop's frames share one), each of
entries (one per band, say). Only the last :attr:`LoopCache.groups` groups are kept (least
recently used dropped first), and within a group entries are admitted only while the
group's arrays total at most :attr:`LoopCache.max_bytes`: a frame's bands are asked for in
the same order every frame, so keeping the first ones (rather than evicting the oldest,
which would miss every time) keeps most of the savings when a frame is too large to cache
whole.

:func:`caching` turns every cache off (for tests comparing the bytes with and without).
:func:`fingerprint` makes a key of what a value was computed from when that is data (arrays,
dataclasses, numbers) rather than a spec (so a cache can be keyed by exactly what it reads).

Examples
--------
>>> cache = LoopCache("doc", groups=2, max_bytes=1024)
>>> calls = []
>>> def make():
...     calls.append(1)
...     return np.zeros(4, np.float32)
>>> a = cache.get(("painting", 1), ("band", 0), make)
>>> b = cache.get(("painting", 1), ("band", 0), make)
>>> a is b, len(calls), a.flags.writeable
(True, 1, False)
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

import numpy as np

__all__ = ["LoopCache", "caches", "caching", "enabled", "fingerprint"]

T = TypeVar("T")

_ENABLED = [True]
_CACHES: list[LoopCache] = []
_LOCK = threading.Lock()


def enabled() -> bool:
    """Whether loop caches are in use (see :func:`caching`)."""
    return _ENABLED[0]


@contextlib.contextmanager
def caching(on: bool) -> Iterator[None]:
    """Within the block, loop caches are used (``on``) or bypassed and left empty (not
    ``on``); every cache is cleared on entering and leaving."""
    before = _ENABLED[0]
    for c in caches():
        c.clear()
    _ENABLED[0] = on
    try:
        yield
    finally:
        _ENABLED[0] = before
        for c in caches():
            c.clear()


def caches() -> list[LoopCache]:
    """Every :class:`LoopCache` made in this process."""
    with _LOCK:
        return list(_CACHES)


def fingerprint(value: Any) -> Hashable:
    """A hashable key that is equal for two values exactly when they hold the same data:
    arrays by dtype, shape and a digest of their bytes, floats by their bits (``-0.0`` is not
    ``0.0``), numbers, text, None, and tuples, lists, dicts and dataclasses of them (by type
    and fields).

    Raises
    ------
    TypeError
        Any other value (its data cannot be told: key by something else).

    Examples
    --------
    >>> fingerprint([1.0, np.zeros(2)]) == fingerprint([1.0, np.zeros(2)])
    True
    >>> fingerprint(0.0) == fingerprint(-0.0), fingerprint(1) == fingerprint(True)
    (False, False)
    """
    if value is None or isinstance(value, (bool, int, str, bytes)):
        return (type(value).__name__, value)
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, np.generic):
        return ("np", value.dtype.str, value.tobytes())
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise TypeError("cannot fingerprint an array of objects")
        digest = hashlib.blake2b(np.ascontiguousarray(value).tobytes(), digest_size=16)
        return ("array", value.dtype.str, value.shape, digest.digest())
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((fingerprint(k), fingerprint(v))
                                     for k, v in value.items())))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        return (kind.__module__, kind.__qualname__,
                tuple((f.name, fingerprint(getattr(value, f.name)))
                      for f in dataclasses.fields(value)))
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def _nbytes(value: Any) -> int:
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, (tuple, list)):
        return sum(_nbytes(v) for v in value)
    if isinstance(value, dict):
        return sum(_nbytes(v) for v in value.values())
    return 0


def _frozen(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (tuple, list)):
        for v in value:
            _frozen(v)
    elif isinstance(value, dict):
        for v in value.values():
            _frozen(v)
    return value


class LoopCache:
    """A bounded cache of values that do not change across the frames of a loop.

    Parameters
    ----------
    name : str
        For reports and tests.
    groups : int
        How many groups (paintings) are kept, least recently used dropped first.
    max_bytes : int
        The most bytes of arrays one group holds; further entries are computed and not kept.

    Attributes
    ----------
    hits, misses : int
        Lookups answered from the cache, and computed.
    """

    def __init__(self, name: str, groups: int = 2, max_bytes: int = 128 * 2**20) -> None:
        self.name = name
        self.groups = max(1, int(groups))
        self.max_bytes = int(max_bytes)
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._data: OrderedDict[Hashable, tuple[dict[Hashable, Any], list[int]]] = OrderedDict()
        with _LOCK:
            _CACHES.append(self)

    def __len__(self) -> int:
        """Entries held, over all groups."""
        with self._lock:
            return sum(len(entries) for entries, _ in self._data.values())

    @property
    def nbytes(self) -> int:
        """Bytes of arrays held, over all groups."""
        with self._lock:
            return sum(size[0] for _, size in self._data.values())

    def clear(self) -> None:
        """Forget every entry (the counters too)."""
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def get(self, group: Hashable, key: Hashable, make: Callable[[], T],
            keep: bool = True) -> T:
        """The value of ``key`` in ``group``: the one kept, or ``make()`` (kept, its arrays
        made read-only, when the group has room and ``keep`` is true: a still passes false
        for what only a loop's next frame would use).

        ``group`` and ``key`` together must name everything the value depends on."""
        if not _ENABLED[0] or not keep:
            return make()
        with self._lock:
            got = self._data.get(group)
            if got is not None:
                self._data.move_to_end(group)
                entries = got[0]
                if key in entries:
                    self.hits += 1
                    return entries[key]  # type: ignore[no-any-return]
            self.misses += 1
        value = make()
        size = _nbytes(value)
        with self._lock:
            got = self._data.get(group)
            if got is None:
                while len(self._data) >= self.groups:
                    self._data.popitem(last=False)
                got = self._data[group] = ({}, [0])
            entries, total = got
            if key not in entries and total[0] + size <= self.max_bytes:
                entries[key] = _frozen(value)
                total[0] += size
        return value
