"""Loop caches (:mod:`wiktoria.common.cache`): a loop's frames are the same bytes whether what
holds still between frames is cached or computed afresh, and the caches stay bounded."""

from __future__ import annotations

import numpy as np
import pytest

import wiktoria
from wiktoria.common import cache as loop_cache
from wiktoria.common.cache import LoopCache, caching
from wiktoria.io.quantize import Quantizer, build_palette

CASES = [
    ("seething", (96, 300), "landscape", None),  # several bands, a rift in front of the land
    ("serene", (120, 90), "landscape", None),
    ("electric", (100, 80), "landscape", None),
    ("haunting", (90, 140), "landscape", None),
    ("melancholy", (80, 60), "storm", None),
    ("seething", (80, 150), "landscape", "serene"),  # a transition: the palette changes
]


def _frames(anim: wiktoria.Animation, order: list[int]) -> dict[int, bytes]:
    return {i: anim.plan.render(i).tobytes() for i in order}


@pytest.mark.parametrize(("mood", "size", "style", "to"), CASES)
def test_frames_are_the_same_bytes_cached_or_fresh(mood: str, size: tuple[int, int],
                                                   style: str, to: str | None) -> None:
    anim = wiktoria.animate(mood, size=size, frames=6, seed=3, style=style, to=to)
    order = [0, 1, 2, 5, 3, 1]
    with caching(False):
        fresh = {i: anim.plan.render(i).tobytes() for i in set(order)}
        assert all(len(c) == 0 for c in loop_cache.caches())
    with caching(True):
        cached = _frames(anim, order)  # in order, in one process: later frames hit the caches
        assert sum(c.hits for c in loop_cache.caches()) > 0
    assert cached == fresh


def test_a_still_is_the_same_after_a_loop_of_its_scene() -> None:
    with caching(True):
        anim = wiktoria.animate("seething", size=(64, 48), frames=4, seed=5)
        _frames(anim, [1, 2, 3])
        after = np.asarray(wiktoria.paint("seething", size=(64, 48), seed=5)).tobytes()
    with caching(False):
        alone = np.asarray(wiktoria.paint("seething", size=(64, 48), seed=5)).tobytes()
    assert after == alone


def test_cached_values_are_read_only_and_made_once() -> None:
    cache = LoopCache("test-once")
    calls: list[int] = []

    def make() -> tuple[np.ndarray, None]:
        calls.append(1)
        return np.arange(4, dtype=np.float32), None

    a = cache.get("g", 0, make)
    b = cache.get("g", 0, make)
    assert a is b and len(calls) == 1 and (cache.hits, cache.misses) == (1, 1)
    with pytest.raises(ValueError, match="read-only"):
        a[0][0] = 1.0


def test_groups_are_bounded_least_recently_used_first() -> None:
    cache = LoopCache("test-groups", groups=2)
    for g in ("a", "b"):
        cache.get(g, 0, lambda: np.zeros(2))
    cache.get("a", 0, lambda: np.zeros(2))  # "a" is now the most recent
    cache.get("c", 0, lambda: np.zeros(2))  # drops "b"
    before = cache.misses
    cache.get("a", 0, lambda: np.zeros(2))
    assert cache.misses == before
    cache.get("b", 0, lambda: np.zeros(2))
    assert cache.misses == before + 1
    assert len(cache) == 2


def test_a_group_keeps_its_first_entries_within_its_bytes() -> None:
    cache = LoopCache("test-bytes", groups=1, max_bytes=3 * 800)
    for k in range(10):  # 100 float64 each: three fit
        cache.get("g", k, lambda: np.zeros(100))
    assert len(cache) == 3 and cache.nbytes == 2400
    for k in range(10):  # the first three are kept, the rest computed again (not evicted)
        cache.get("g", k, lambda: np.zeros(100))
    assert cache.hits == 3 and len(cache) == 3


def test_caching_off_computes_every_time_and_keeps_nothing() -> None:
    cache = LoopCache("test-off")
    with caching(False):
        cache.get("g", 0, lambda: np.zeros(2))
        cache.get("g", 0, lambda: np.zeros(2))
        assert len(cache) == 0 and cache.hits == 0
    assert loop_cache.enabled()


def test_the_quantiser_memo_maps_like_a_fresh_quantiser() -> None:
    anim = wiktoria.animate("serene", size=(80, 60), frames=4, seed=2)
    palette = build_palette(anim, colours=64)
    memo = Quantizer(palette)
    for i in range(4):
        frame = anim.frame_array(i)
        assert np.array_equal(memo(frame), Quantizer(palette)(frame))


@pytest.mark.parametrize(("mood", "size", "style", "to"), CASES[:4])
def test_the_land_and_light_kernels_paint_the_numpy_paths_bytes(
        mood: str, size: tuple[int, int], style: str, to: str | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from wiktoria.render.layers import land, light

    if land._kernel() is None or light._kernel() is None:
        pytest.skip("the numba backend is not in use")
    anim = wiktoria.animate(mood, size=size, frames=6, seed=3, style=style, to=to)
    compiled = [anim.plan.render(i).tobytes() for i in (0, 2)]
    for module in (land, light):
        monkeypatch.setattr(module, "_kernel", lambda: None)
    assert [anim.plan.render(i).tobytes() for i in (0, 2)] == compiled


def test_a_still_keeps_no_band_terms() -> None:
    from wiktoria.render.layers import land, light, paper

    with caching(True):
        wiktoria.paint("seething", size=(64, 200), seed=5)
        assert [len(c) for c in (land._STATIC, light._STATIC, paper._STATIC)] == [0, 0, 0]
        wiktoria.animate("seething", size=(64, 200), frames=4, seed=5).plan.render(1)
        assert all(len(c) > 0 for c in (land._STATIC, light._STATIC, paper._STATIC))
