"""numpy scalars are accepted wherever a Python number is, and give the same result.

Every numeric parameter of the public noise, compat, colour and ramp functions is fed a numpy
scalar (``np.float32``, ``np.float64``, ``np.int64``, ...) and the result is compared, bit for
bit, with the result for the Python number it holds (``value.item()``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from wiktoria import colour, noise
from wiktoria.colour import ramp
from wiktoria.noise import compat

X = np.linspace(0.0, 3.0, 7)
Y = np.linspace(0.5, 2.0, 5).reshape(-1, 1)
GREYS = ramp.Palette.from_colors(["#101010", "#808080", "#f0f0f0"])
EMBERS = ramp.Palette.from_colors(["#160304", "#c92516", "#f37513"])
VIVID = colour.oklch_to_oklab([0.7, 0.3, 140.0])

I64, I32, U8, F32, F64 = np.int64, np.int32, np.uint8, np.float32, np.float64

#: (function, its fixed arguments, parameter, numpy value)
CASES: list[tuple[Callable[..., Any], tuple[Any, ...], str, Any]] = [
    # noise
    *[(f, (X, Y), p, v) for f in (noise.fbm, noise.ridged, noise.turbulence)
      for p, v in [("octaves", I64(3)), ("octaves", U8(2)), ("lacunarity", F32(2.5)),
                   ("gain", F32(0.25)), ("frequency", F64(1.5)), ("seed", I64(7)),
                   ("seed", U8(200)), ("period", I32(4))]],
    (noise.perlin, (X, Y), "seed", I64(11)),
    (noise.perlin, (X, Y), "period", I64(3)),
    (noise.simplex, (X, Y), "seed", I32(5)),
    (noise.simplex, (X, Y), "period", I64(6)),
    (noise.warp, (X, Y), "depth", I64(1)),
    (noise.warp, (X, Y), "strength", F32(2.5)),
    (noise.warp, (X, Y), "octaves", I64(2)),
    (noise.warp, (X, Y), "gain", F64(0.6)),
    (noise.curl, (X, Y), "octaves", I64(2)),
    (noise.curl, (X, Y), "frequency", F32(0.5)),
    (noise.curl, (X, Y), "lacunarity", F32(3.0)),
    # compat
    *[(f, args, p, v)
      for f, args in [(compat.pnoise1, (X,)), (compat.pnoise2, (X, Y)),
                      (compat.pnoise3, (X, Y, 0.25)), (compat.snoise2, (X, Y)),
                      (compat.snoise3, (X, Y, 0.25)), (compat.snoise4, (X, Y, 0.25, 0.75))]
      for p, v in [("octaves", I64(3)), ("octaves", I32(2)), ("persistence", F32(0.6)),
                   ("lacunarity", F32(2.5))]],
    (compat.pnoise1, (X,), "repeat", I64(512)),
    (compat.pnoise1, (X,), "base", I64(3)),
    (compat.pnoise2, (X, Y), "repeatx", F32(8.0)),
    (compat.pnoise2, (X, Y), "repeaty", I64(8)),
    (compat.pnoise2, (X, Y), "base", I64(1)),
    (compat.pnoise3, (X, Y, 0.25), "repeatz", I64(4)),
    (compat.pnoise3, (X, Y, 0.25), "base", U8(1)),
    (compat.snoise2, (X, Y), "repeatx", F32(8.0)),
    (compat.snoise2, (X, Y), "repeaty", F64(6.5)),
    (compat.snoise2, (X, Y), "base", F32(0.5)),
    # colour
    (colour.in_gamut, (colour.oklab_to_linear(VIVID),), "tol", F32(0.25)),
    (colour.gamut_map, (VIVID,), "iterations", I64(12)),
    # ramp
    (ramp.Stop, (), "pos", F32(0.25)),
    (GREYS.sample_hexes, (), "n", I64(5)),
    (ramp.mix, ([GREYS, EMBERS], [0.5, 0.5]), "grid", I64(17)),
    (ramp.check, (EMBERS,), "arousal", F32(-0.5)),
    (ramp.warn_if_failing, (GREYS, "test"), "arousal", F64(0.25)),
    (ramp.sine_ramp, (), "height", I64(16)),
    (ramp.sine_ramp, (), "width", I32(64)),
    (ramp.sine_ramp, (), "amplitude", F32(0.05)),
    (ramp.sine_ramp, (), "wavelength", U8(4)),
    (ramp.sine_ramp, (), "power", F32(1.5)),
    (ramp.ramp_image, (GREYS,), "width", I64(64)),
    (ramp.ramp_image, (GREYS,), "ramp_height", I64(8)),
    (ramp.ramp_image, (GREYS,), "sine_height", I64(16)),
]


def _same(a: Any, b: Any) -> bool:
    """Equal to the bit: arrays (dtype and values), tuples, floats, palettes, reports, stops."""
    if isinstance(a, tuple | list):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, ramp.Palette):
        return a == b and a.lut_sha256 == b.lut_sha256
    if isinstance(a, ramp.PaletteReport):
        return a.values() == b.values()
    if isinstance(a, float):
        return type(b) is float and np.float64(a).tobytes() == np.float64(b).tobytes()
    return bool(a == b)


def _call(func: Callable[..., Any], args: tuple[Any, ...], param: str, value: Any) -> Any:
    extra = {"color": "#808080"} if func is ramp.Stop else {}
    return func(*args, **extra, **{param: value})


@pytest.mark.parametrize(
    ("func", "args", "param", "value"), CASES,
    ids=[f"{f.__qualname__}-{p}-{type(v).__name__}" for f, _, p, v in CASES],
)
def test_numpy_scalar_gives_the_python_numbers_result(
    func: Callable[..., Any], args: tuple[Any, ...], param: str, value: Any
) -> None:
    expected = _call(func, args, param, value.item())
    got = _call(func, args, param, value)
    assert _same(got, expected)


def test_stop_colours_accept_numpy_scalars() -> None:
    lch = ramp.Stop(oklch=(F32(0.5), F64(0.1), I64(30)))
    assert lch == ramp.Stop(oklch=(float(F32(0.5)), 0.1, 30.0))
    assert all(type(v) is float for v in lch.oklch)  # type: ignore[union-attr]
    lab = ramp.Stop(oklab=(F64(0.5), F32(0.125), I32(0)))
    assert lab.oklab == (0.5, 0.125, 0.0)


def test_mix_weights_accept_numpy_scalars() -> None:
    mixed = ramp.mix([GREYS, EMBERS], [F32(0.25), F64(0.75)])
    assert _same(mixed, ramp.mix([GREYS, EMBERS], [0.25, 0.75]))


def test_the_compat_example_of_the_issue() -> None:
    assert compat.pnoise2(0.5, 0.5, octaves=np.int64(3)) == compat.pnoise2(0.5, 0.5, octaves=3)
