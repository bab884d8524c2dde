"""The optional numba backend of wiktoria.noise: the switch, and bit-identity with numpy.

The numba kernels promise the same bits as the numpy kernels (same float operations in the same
order), so everything here compares with ``array_equal``, not a tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiktoria import noise
from wiktoria.noise import _accel

pytest.importorskip("numba")

BASES = [("perlin", 1), ("perlin", 2), ("perlin", 3), ("perlin", 4),
         ("simplex", 2), ("simplex", 3), ("simplex", 4)]
FRACTALS = [noise.fbm, noise.ridged, noise.turbulence]


def both(monkeypatch: pytest.MonkeyPatch, func, *args, **kwargs):
    """``func(*args, **kwargs)`` on the numpy backend, then on the numba backend."""
    monkeypatch.setenv("WIKTORIA_BACKEND", "numpy")
    ref = func(*args, **kwargs)
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    got = func(*args, **kwargs)
    return ref, got


def assert_same(ref, got) -> None:
    if isinstance(ref, tuple):
        for r, g in zip(ref, got, strict=True):
            assert_same(r, g)
        return
    assert ref.dtype == got.dtype and ref.shape == got.shape
    bad = np.flatnonzero(ref.reshape(-1) != got.reshape(-1))
    assert bad.size == 0, (
        f"{bad.size} of {ref.size} values differ, first at {bad[0]}: "
        f"{ref.reshape(-1)[bad[0]]!r} vs {got.reshape(-1)[bad[0]]!r}")


# --------------------------------------------------------------------------- the switch


def test_backend_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIKTORIA_BACKEND", raising=False)
    assert _accel.backend() == "numba"
    for value, want in [("auto", "numba"), (" NumPy ", "numpy"), ("numba", "numba"), ("", "numba")]:
        monkeypatch.setenv("WIKTORIA_BACKEND", value)
        assert _accel.backend() == want
    monkeypatch.setenv("WIKTORIA_BACKEND", "numpy")
    assert _accel.kernels("_jit") is None
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    assert _accel.kernels("_jit") is not None


def test_bad_backend_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKTORIA_BACKEND", "cuda")
    with pytest.raises(ValueError, match=r"^WIKTORIA_BACKEND must be one of auto, numpy, "
                                         r"numba, got 'cuda'$"):
        noise.perlin(0.5, 0.5)


def test_without_numba_auto_falls_back_and_numba_is_an_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_accel, "_numba_available", lambda: False)
    monkeypatch.setenv("WIKTORIA_BACKEND", "auto")
    assert _accel.backend() == "numpy"
    assert noise.fbm(np.arange(5) * 0.3, 0.5).shape == (5,)
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    with pytest.raises(ValueError, match=r"numba is not installed; install the fast extra"):
        noise.fbm(0.1, 0.2)


def test_import_wiktoria_does_not_import_numba() -> None:
    import subprocess
    import sys

    code = ("import sys, numpy as np, wiktoria; from wiktoria import noise, compat; "
            "print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- bit-identity


@pytest.mark.parametrize(("kind", "d"), BASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("func", FRACTALS, ids=lambda f: f.__name__)
def test_scattered_points_identical(monkeypatch, kind: str, d: int, dtype, func) -> None:
    rng = np.random.default_rng(d * 7 + (kind == "simplex"))
    pts = [rng.uniform(-60, 60, 20_000) for _ in range(d)]
    pts[0][:500] = rng.uniform(-1e6, 1e6, 500)  # far coordinates: the float64 lattice split
    pts[-1][500:1000] = np.round(pts[-1][500:1000])  # exactly on lattice planes
    ref, got = both(monkeypatch, func, *pts, kind=kind, octaves=5, lacunarity=2.1, gain=0.55,
                    frequency=0.7, seed=11, dtype=dtype)
    assert_same(ref, got)


@pytest.mark.parametrize(("kind", "d"), BASES)
def test_base_noise_identical(monkeypatch, kind: str, d: int) -> None:
    rng = np.random.default_rng(5)
    pts = [rng.uniform(-9, 9, (40, 50)) for _ in range(d)]
    f = noise.perlin if kind == "perlin" else noise.simplex
    assert_same(*both(monkeypatch, lambda: f(*pts, seed=np.random.default_rng(77))))
    assert_same(*both(monkeypatch, f, *pts, seed=2**64 - 3, dtype=np.float64))


@pytest.mark.parametrize(("kind", "d", "period"), [
    ("perlin", 1, 5), ("perlin", 2, (7, None)), ("perlin", 3, (None, 3, 9)), ("perlin", 4, 4),
    ("simplex", 2, (6, None)), ("simplex", 2, (5, 8)), ("simplex", 3, (None, None, 4)),
])
def test_periodic_axes_identical(monkeypatch, kind: str, d: int, period) -> None:
    rng = np.random.default_rng(9)
    pts = [rng.uniform(-30, 30, 12_000) for _ in range(d)]
    for func in FRACTALS:
        ref, got = both(monkeypatch, func, *pts, kind=kind, octaves=4, lacunarity=1.9,
                        period=period, seed=2)
        assert_same(ref, got)


@pytest.mark.parametrize("kind", ["perlin", "simplex"])
def test_grids_identical(monkeypatch, kind: str) -> None:
    x = np.linspace(-3, 40, 300).reshape(1, -1)
    y = np.linspace(2, 25, 200).reshape(-1, 1)
    assert_same(*both(monkeypatch, noise.fbm, x, y, 0.5, kind=kind, octaves=6, seed=4))
    # A grid whose spacing is too coarse for the separable path: octave by octave on numba.
    coarse = np.linspace(0, 5e4, 64).reshape(1, -1)
    assert_same(*both(monkeypatch, noise.fbm, coarse, y[:20], kind=kind, octaves=3))
    assert_same(*both(monkeypatch, noise.ridged, x, y, period=(40, None), kind=kind))


def test_warp_and_curl_identical(monkeypatch) -> None:
    x = np.linspace(0, 4, 90).reshape(1, -1)
    y = np.linspace(0, 3, 70).reshape(-1, 1)
    for kind in ("perlin", "simplex"):
        assert_same(*both(monkeypatch, noise.warp, x, y, 0.3, kind=kind, depth=2, seed=3,
                          return_offsets=True))
        assert_same(*both(monkeypatch, noise.curl, x, y, 0.3, kind=kind, seed=3))


def test_large_arrays_identical_with_threads(monkeypatch) -> None:
    pts = np.random.default_rng(1).uniform(-20, 20, (3, 400_000))
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "3")
    ref, got = both(monkeypatch, noise.fbm, *pts, kind="simplex", octaves=3)
    assert_same(ref, got)
    monkeypatch.setenv("WIKTORIA_NUM_THREADS", "1")
    assert_same(ref, noise.fbm(*pts, kind="simplex", octaves=3))


@settings(max_examples=40, deadline=None)
@given(
    base=st.sampled_from(BASES),
    coords=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=4, max_size=4),
    octaves=st.integers(1, 8),
    lacunarity=st.floats(1.0, 4.0),
    gain=st.floats(0.05, 1.5),
    seed=st.integers(0, 2**64 - 1),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_property_identical(base, coords, octaves, lacunarity, gain, seed, dtype) -> None:
    kind, d = base
    # Around the drawn point, a small patch: hypothesis picks the place, the patch the detail.
    offs = np.linspace(-1.3, 1.3, 9)
    pts = [c + np.roll(offs, a) for a, c in enumerate(coords[:d])]
    with pytest.MonkeyPatch.context() as mp:
        ref, got = both(mp, noise.fbm, *pts, kind=kind, octaves=octaves, lacunarity=lacunarity,
                        gain=gain, seed=seed, dtype=dtype)
    assert_same(ref, got)


@pytest.mark.parametrize("style", ["landscape", "flow", "marble"])
def test_a_painting_is_byte_identical_on_both_backends(monkeypatch, style: str) -> None:
    from wiktoria import paint

    ref, got = both(monkeypatch, lambda: np.asarray(
        paint("haunting", size=(160, 90), seed=5, style=style)))
    assert_same(ref, got)


def test_cli_bad_backend_exits_2_without_a_file(monkeypatch, tmp_path) -> None:
    from click.testing import CliRunner

    from wiktoria.cli import cli

    monkeypatch.setenv("WIKTORIA_BACKEND", "gpu")
    out = tmp_path / "x.png"
    res = CliRunner().invoke(cli, ["paint", "--mood", "serene", "--size", "64x36", "-o", str(out)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines()[-1] == (
        "Error: WIKTORIA_BACKEND must be one of auto, numpy, numba, got 'gpu'")
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


def test_auto_loads_numba_only_for_big_calls() -> None:
    import subprocess
    import sys

    code = """
import os, sys, numpy as np
os.environ.pop("WIKTORIA_BACKEND", None)
from wiktoria import compat, noise
from wiktoria.noise import _accel
small = np.linspace(0, 9, 1000)
a = noise.fbm(small, 0.5, kind="simplex")
c = compat.snoise2(small, 0.5, octaves=4)
print("numba" in sys.modules)
big = np.random.default_rng(0).uniform(0, 50, (2, _accel.MIN_WORK // 6 + 1))
noise.fbm(*big, kind="simplex")
print("wiktoria.noise._jit" in sys.modules)
b = noise.fbm(small, 0.5, kind="simplex")  # loaded now: small calls use it too
print(np.array_equal(a, b))
"""
    env = {k: v for k, v in __import__("os").environ.items() if k != "WIKTORIA_BACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.split() == ["False", "True", "True"]


def test_auto_uses_the_kernels_for_small_calls_once_numba_is_imported() -> None:
    """Another kernel (the land's, the strokes') paid numba's start-up: the noise uses it."""
    import subprocess
    import sys

    code = """
import sys, numpy as np
import numba
from wiktoria import noise
small = np.linspace(0, 9, 1000)
a = noise.fbm(small, 0.5, small, octaves=3)
print("wiktoria.noise._jit" in sys.modules)
"""
    env = {k: v for k, v in __import__("os").environ.items() if k != "WIKTORIA_BACKEND"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env)
    assert out.stdout.split() == ["True"]


def test_threads_loading_the_kernels_at_once_all_get_them_whole() -> None:
    """The first threads to ask for the kernels import them together: none may get the module
    half made (it was taken from sys.modules while another thread was still running it)."""
    import subprocess
    import sys

    code = """
import threading, numpy as np, numba
from wiktoria import noise
errors = []
def go():
    try:
        noise.fbm(np.linspace(0, 9, 5000), 0.5, np.linspace(0, 3, 5000), octaves=3)
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=go) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(errors[:1] or "ok")
"""
    env = {k: v for k, v in __import__("os").environ.items() if k != "WIKTORIA_BACKEND"}
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=env)
        assert out.stdout.strip() == "ok"


def test_explicit_numba_uses_the_kernels_for_small_calls_too(monkeypatch) -> None:
    monkeypatch.setenv("WIKTORIA_BACKEND", "numba")
    assert _accel.kernels("_jit", 1) is not None
    monkeypatch.setenv("WIKTORIA_BACKEND", "numpy")
    assert _accel.kernels("_jit", 10**9) is None
