"""Fuzzing the library's argument handling: any value, a result or a one-line error.

Every public entry point gets arbitrary values (wrong types, NaN and infinities, huge and
negative integers, text, containers, numpy scalars) in each argument in turn, the others being
small and valid. The call must either work or raise ``TypeError``, ``ValueError``,
``LookupError`` or (a mood path naming no file) ``FileNotFoundError`` with a one-line message:
never another exception, never a traceback from deep inside (``OverflowError``,
``AttributeError``, ``RecursionError``, ``MemoryError``...).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria import compat, noise
from wiktoria.scene import Canvas, Loop, Scene, StrataLayer

#: FileNotFoundError: a mood given as a path that names no file (documented by load_mood).
ALLOWED = (TypeError, ValueError, LookupError, FileNotFoundError)
#: compat parses its arguments as the ``noise`` C extension does, which raises OverflowError for
#: integers beyond a C int (a one-line error too).
COMPAT_ALLOWED = (*ALLOWED, OverflowError)

BAD = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e-310, 1e308, -1, -(2**80),
                     2**64, 2**70, 16385, 0, 10**9]),
    st.integers(min_value=-(2**100), max_value=-1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=8),
    st.lists(st.integers(-3, 3), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.complex_numbers(max_magnitude=1e3),
    st.sampled_from([np.float32("nan"), np.int64(-5), np.float64(np.inf), np.bool_(True),
                     np.uint64(2**64 - 1), np.array([1, 2])]),
    st.just(object()),
)

MOOD = wiktoria.mood("serene")
SCENE = wiktoria.paint("serene", size=(8, 8), seed=1).scene

#: name -> (function, keyword arguments that work)
CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "paint": (wiktoria.paint, {"mood": "serene", "size": (8, 8), "seed": 1, "style": "flow"}),
    "animate": (wiktoria.animate, {"mood": "serene", "size": (8, 8), "frames": 2, "fps": 4,
                                   "seed": 1, "style": "flow", "to": "seething",
                                   "pingpong": True}),
    "mood_at": (wiktoria.mood_at, {"valence": 0.1, "arousal": 0.2, "sigma": 0.2}),
    "blend": (wiktoria.blend, {"a": "serene", "b": "seething", "t": 0.5}),
    "mood": (wiktoria.mood, {"name": "serene"}),
    "Canvas": (Canvas, {"width": 8, "height": 8, "seed": 1}),
    "Loop": (Loop, {"frames": 2, "fps": 4, "frame": 0, "to": None, "pingpong": True}),
    "Scene": (Scene, {"canvas": Canvas(8, 8, 1), "mood": MOOD, "style": "flow",
                      "layers": SCENE.layers, "loop": None}),
    "StrataLayer": (StrataLayer, {"count": 3, "horizon": 0.4, "roughness": 0.5}),
    "fbm": (noise.fbm, {"x": np.linspace(0, 1, 4), "y": 0.5, "octaves": 2, "seed": 3,
                        "period": 4, "lacunarity": 2.0, "gain": 0.5, "kind": "simplex"}),
    "warp": (noise.warp, {"x": np.linspace(0, 1, 4), "y": 0.5, "depth": 1, "strength": 1.0,
                          "octaves": 2, "seed": 1}),
    "curl": (noise.curl, {"x": np.linspace(0, 1, 4), "y": 0.5, "octaves": 1, "seed": 2}),
    "pnoise2": (compat.pnoise2, {"x": 0.5, "y": 0.25, "octaves": 2, "persistence": 0.5,
                                 "lacunarity": 2.0, "repeatx": 16, "repeaty": 16, "base": 0}),
    "snoise3": (compat.snoise3, {"x": 0.5, "y": 0.25, "z": 0.1, "octaves": 2,
                                 "persistence": 0.5, "lacunarity": 2.0}),
    "override": (SCENE.override, {"overrides": {"wash.position": 0.5}}),
    "from_toml": (Scene.from_toml, {"text": SCENE.to_toml()}),
}

CASES = [(name, arg) for name, (_, kwargs) in CALLS.items() for arg in kwargs]


def _one_line(exc: BaseException) -> bool:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return bool(text) and "\n" not in text


@pytest.mark.parametrize(("name", "arg"), CASES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=BAD)
def test_any_value_in_any_argument_is_a_result_or_a_one_line_error(name: str, arg: str,
                                                                  value: Any) -> None:
    func, kwargs = CALLS[name]
    allowed = COMPAT_ALLOWED if name in ("pnoise2", "snoise3") else ALLOWED
    error: BaseException | None = None
    try:
        func(**{**kwargs, arg: value})
    except allowed as exc:
        error = exc
    except Exception as exc:
        pytest.fail(f"{name}({arg}={value!r}) raised {type(exc).__name__}: {exc}")
    assert error is None or _one_line(error), f"{name}({arg}={value!r}): {error!r}"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_scene_text_is_a_scene_or_a_one_line_error(text: str) -> None:
    error: BaseException | None = None
    try:
        Scene.from_toml(text, origin="s.toml")
    except ALLOWED as exc:
        error = exc
    assert error is None or (_one_line(error) and str(error).startswith("s.toml")), repr(error)
