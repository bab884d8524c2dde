"""Colour in two axes (value and hue field) and a palette's roles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiktoria.colour import linear_to_oklab
from wiktoria.colour.roles import LIGHT_MAX, TwoAxis, key_range, roles
from wiktoria.moods import all_moods
from wiktoria.moods import mood as get_mood

MOODS = all_moods()


def _lab(rgb: np.ndarray) -> np.ndarray:
    return np.asarray(linear_to_oklab(rgb.astype(np.float64)))


@pytest.mark.parametrize("m", MOODS, ids=[m.name for m in MOODS])
def test_value_sets_lightness_and_the_hue_field_moves_only_hue(m) -> None:
    p = m.prior
    table = TwoAxis(m.palette, p.key, p.contrast, p.hue)
    v = np.linspace(0, 1, 41, dtype=np.float32)[:, None]
    h = np.linspace(0, 1, 9, dtype=np.float32)[None, :]
    lab = _lab(table(np.broadcast_to(v, (41, 9)), np.broadcast_to(h, (41, 9))))
    L = lab[..., 0]
    # Lightness rises with value, the same whatever the hue field (gamut mapping keeps L).
    assert np.all(np.diff(L, axis=0) > -1e-3)
    assert np.abs(L - L[:, :1]).max() < 0.01
    lo, hi, _ = key_range(p.key, p.contrast)
    assert L[0].mean() == pytest.approx(lo, abs=0.01)
    assert L[-1].mean() == pytest.approx(hi, abs=0.01)
    rgb = table(np.broadcast_to(v, (41, 9)), np.broadcast_to(h, (41, 9)))
    assert rgb.dtype == np.float32 and rgb.min() >= 0 and rgb.max() <= 1
    # None is the middle of the hue field.
    np.testing.assert_allclose(table(v), table(v, np.full_like(v, 0.5)), atol=1e-6)


def test_the_hue_field_changes_hue_where_the_ramp_has_hues() -> None:
    m = next(x for x in MOODS if x.name == "dancing")
    table = TwoAxis(m.palette, 0.5, 0.6, 0.4)
    v = np.full((1, 2), 0.5, np.float32)
    lab = _lab(table(v, np.array([[0.0, 1.0]], np.float32)))
    hue = np.degrees(np.arctan2(lab[0, :, 2], lab[0, :, 1]))
    assert abs((hue[0] - hue[1] + 180) % 360 - 180) > 20
    assert abs(lab[0, 0, 0] - lab[0, 1, 0]) < 0.01


def test_light_values_rise_towards_white_and_lose_chroma() -> None:
    m = next(x for x in MOODS if x.name == "seething")
    table = TwoAxis(m.palette, 0.15, 0.85, 0.35)
    lab = _lab(table(np.array([[1.0, 1.25, LIGHT_MAX]], np.float32)))
    assert lab[0, 0, 0] < lab[0, 1, 0] < lab[0, 2, 0]
    assert lab[0, 2, 0] > 0.97
    chroma = np.hypot(lab[0, :, 1], lab[0, :, 2])
    assert chroma[2] < chroma[0]


def test_keys_order_the_lightness() -> None:
    m = MOODS[0]
    low = _lab(TwoAxis(m.palette, 0.0, 0.5, 0.2)(np.full((1, 1), 0.5, np.float32)))
    high = _lab(TwoAxis(m.palette, 1.0, 0.5, 0.2)(np.full((1, 1), 0.5, np.float32)))
    assert high[0, 0, 0] - low[0, 0, 0] > 0.25


@pytest.mark.parametrize("m", MOODS, ids=[m.name for m in MOODS])
def test_roles(m) -> None:
    r = roles(m.palette)
    assert r.light[0] > r.mid[0] > r.ground[0]
    stops = np.array([s.lab for s in m.palette.stops])
    assert np.hypot(*r.accent[1:]) >= 0.9 * np.hypot(stops[:, 1], stops[:, 2]).max()
    for role in ("ground", "mid", "light", "accent"):
        c = r.linear(role)
        assert c.shape == (3,) and c.dtype == np.float32 and c.min() >= 0 and c.max() <= 1


@pytest.mark.parametrize("mood_name", ["serene", "seething", "dancing"])
def test_compiled_lookup_gives_the_numpy_bytes(mood_name: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import wiktoria.colour.roles as roles_module

    table = TwoAxis(get_mood(mood_name).palette, 0.3, 0.7, 0.4)
    rng = np.random.default_rng(5)
    edges = np.array([-1.0, 0.0, 0.5, 1.0, LIGHT_MAX, np.nextafter(np.float32(LIGHT_MAX), 0),
                      2.0], np.float32)
    v = np.concatenate([rng.uniform(-0.2, 1.7, 3000).astype(np.float32), edges])
    v = v[: (len(v) // 7) * 7].reshape(-1, 7)
    h = rng.uniform(-0.1, 1.1, v.shape).astype(np.float32)
    cases = [(v, h), (v, None), (v, h[:, :1]), (v.astype(np.float64), h), (v[0], h[0])]
    import numba  # a core dependency: compiled whatever WIKTORIA_BACKEND says

    kernel = numba.njit(roles_module._paint)
    monkeypatch.setattr(roles_module, "_kernel", lambda: kernel)
    compiled = [table(a, b) for a, b in cases]
    monkeypatch.setattr(roles_module, "_kernel", lambda: None)
    for (a, b), got in zip(cases, compiled, strict=True):
        want = table(a, b)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want)


def _paint_both(table: TwoAxis, *args, **kwargs):  # type: ignore[no-untyped-def]
    """``table.paint`` into copies of ``args[2]`` (out), compiled and on numpy."""
    import numba

    import wiktoria.colour.roles as roles_module

    value, hue, out, *rest = args
    kernel = numba.njit(roles_module._paint)
    got = []
    for k in (lambda: kernel, lambda: None):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(roles_module, "_kernel", k)
            o = out.copy()
            table.paint(value, hue, o, *rest, **kwargs)
            got.append(o)
    return got


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), rows=st.integers(1, 6), cols=st.integers(1, 9),
       mode=st.sampled_from(["write", "mix", "accent", "at", "at-write"]),
       with_hue=st.booleans())
def test_paint_is_the_numpy_operations_on_both_backends(seed: int, rows: int, cols: int,
                                                        mode: str, with_hue: bool) -> None:
    """One pass of look-up, accent and mix gives the bytes of the numpy operations it
    replaces (``col = table(v, h)``; ``col += (accent - col) * aw``;
    ``out += (col - out) * w``), compiled or not."""
    table = TwoAxis(get_mood("seething").palette, 0.4, 0.6, 0.5)
    rng = np.random.default_rng(seed)
    out = rng.uniform(0, 1, (rows, cols, 3)).astype(np.float32)
    v = rng.uniform(-0.2, 1.7, (rows, cols)).astype(np.float32)
    h = rng.uniform(-0.1, 1.1, (rows, cols)).astype(np.float32) if with_hue else None
    w = rng.uniform(0, 1, (rows, cols)).astype(np.float32)
    w[rng.random(w.shape) < 0.3] = 0  # skipped by the kernel: out + (col - out) * 0 is out
    accent = np.array([0.9, 0.3, 0.1], np.float32)
    aw = rng.uniform(0, 1, (rows, cols)).astype(np.float32)
    if mode == "write":
        want = out.copy()
        want[...] = table(v, h)
        got = _paint_both(table, v, h, out)
    elif mode == "mix":
        want = out + (table(v, h) - out) * w[..., None]
        got = _paint_both(table, v, h, out, w)
    elif mode == "accent":
        col = table(v, h)
        col += (accent - col) * aw[..., None]
        want = out + (col - out) * w[..., None]
        got = _paint_both(table, v, h, out, w, accent=accent, accent_weight=aw)
    else:  # some flat pixels, in any order
        at = rng.permutation(rows * cols)[: max(1, rows * cols // 2)]
        vf, wf = v.reshape(-1)[at], w.reshape(-1)[at]
        hf = None if h is None else h.reshape(-1)[at]
        col = table(vf, hf)
        want = out.copy().reshape(-1, 3)
        if mode == "at":
            want[at] = want[at] + (col - want[at]) * wf[:, None]
            got = _paint_both(table, vf, hf, out, wf, at=at)
        else:
            want[at] = col
            got = _paint_both(table, vf, hf, out, at=at)
        want = want.reshape(out.shape)
    for g in got:
        assert np.array_equal(g, want)


def test_paint_into_a_strided_buffer_uses_the_numpy_path() -> None:
    table = TwoAxis(get_mood("serene").palette, 0.5, 0.5, 0.3)
    big = np.zeros((4, 6, 3), np.float32)
    out = big[:, ::2]  # not contiguous
    v = np.linspace(0, 1, 3, dtype=np.float32)
    table.paint(v, None, out, np.full(3, 0.5, np.float32), at=np.array([0, 5, 11]))
    flat = np.zeros((12, 3), np.float32)
    flat[[0, 5, 11]] = (table(v) - 0) * np.float32(0.5)
    assert np.array_equal(out, flat.reshape(4, 3, 3))
    assert not big[:, 1::2].any()
