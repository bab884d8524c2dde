"""The sky's cloud textures, made tile by tile as frames reach them: the same values as one
call over the whole grid, and the same frames whatever was made before."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria.render.layers import air

TX = 0.3 + 0.013 * np.arange(-70, 150)
TY = -0.2 + 0.011 * np.arange(-40, 110)


def _whole() -> np.ndarray:
    return np.stack(air._warped(TX.reshape(1, -1), TY.reshape(-1, 1), strength=1.3, octaves=5,
                                seed=77))


WHOLE = _whole()


def _texture() -> air._Texture:
    import functools

    return air._Texture(functools.partial(air._warped, strength=1.3, octaves=5, seed=77), TX, TY)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.floats(-20, 240), st.floats(0, 120), st.floats(-20, 170),
                          st.floats(0, 90)), min_size=1, max_size=4))
def test_windows_hold_what_the_whole_grid_holds(windows) -> None:
    tex = _texture()
    for x, w, y, h in windows:
        fx = np.array([[x, x + w]], np.float32)
        fy = np.array([[y], [y + h]], np.float32)
        data = tex.window(fx, fy)
        c0, c1 = (int(np.clip(np.floor(v), 0, len(TX) - 1)) for v in (x, x + w))
        r0, r1 = (int(np.clip(np.floor(v), 0, len(TY) - 1)) for v in (y, y + h))
        c1, r1 = min(c1 + 1, len(TX) - 1), min(r1 + 1, len(TY) - 1)
        assert np.array_equal(data[:, r0 : r1 + 1, c0 : c1 + 1],
                              WHOLE[:, r0 : r1 + 1, c0 : c1 + 1])
    everything = tex.window(np.array([[0.0, len(TX)]], np.float32),
                            np.array([[0.0], [len(TY)]], np.float32))
    assert tex.done.all() and np.array_equal(everything, WHOLE)


def test_a_window_makes_only_the_tiles_it_reads() -> None:
    tex = _texture()
    tex.window(np.array([[3.0, 40.0]], np.float32), np.array([[2.0], [20.0]], np.float32))
    assert tex.done[0, :2].all() and tex.done.sum() == 2


def test_loop_frames_are_the_same_whatever_tiles_were_made_before() -> None:
    anim = wiktoria.animate("seething", size=(160, 120), seed=5, frames=24)
    in_order = [anim.frame_array(i) for i in range(0, 24, 3)]
    for k, i in enumerate(range(0, 24, 3)):
        air._TEXTURES.clear()
        again = wiktoria.animate("seething", size=(160, 120), seed=5, frames=24)
        assert np.array_equal(again.frame_array(i), in_order[k])


def test_a_coarse_grid_is_made_whole() -> None:
    """Sampled at more than 4 lattice cells a step in its finest octave, the grid path's
    choice depends on the extent of a call: such a texture is made in one call, so a frame
    never depends on which tiles earlier frames made."""
    import functools

    tx = 0.3 + 0.16 * np.arange(200)  # 6 octaves: 5.1 lattice cells a step
    ty = -0.2 + 0.16 * np.arange(40)
    make = functools.partial(air._warped, strength=1.3, octaves=6, seed=77)
    whole = np.stack(make(tx.reshape(1, -1), ty.reshape(-1, 1)))
    tex = air._Texture(make, tx, ty, tiled=False)
    got = tex.window(np.array([[3.0, 20.0]], np.float32), np.array([[2.0], [9.0]], np.float32))
    assert tex.done.all() and np.array_equal(got, whole)


def test_caching_off_neither_reads_nor_keeps_textures() -> None:
    """Under ``caching(False)`` a frame's sky textures are made afresh: none is read from the
    process's textures, none is kept there; the frame is the same bytes."""
    from wiktoria.common.cache import caching

    anim = wiktoria.animate("serene", size=(96, 64), seed=4, frames=12)
    air._TEXTURES.clear()
    with caching(True):
        kept = anim.plan.render(5)
    assert air._TEXTURES
    held = dict(air._TEXTURES)
    for tex in held.values():  # poisoned: a read of them would show in the frame
        tex.data = None if tex.data is None else np.full_like(tex.data, 7.0)
    with caching(False):
        fresh = anim.plan.render(5)
    assert air._TEXTURES.keys() == held.keys()  # nothing new kept
    assert np.array_equal(fresh, kept)
    air._TEXTURES.clear()
