"""The public layer API: specs, registration, renderers, several layers of one type, plug-ins."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria.render import Band, Frame, LayerRenderer, register_layer, unregister_layer
from wiktoria.scene import (
    Canvas,
    GrainLayer,
    Layer,
    LayerPluginWarning,
    Scene,
    StrokesLayer,
    UnknownLayerError,
    WashLayer,
    layer_types,
    param,
)
from wiktoria.scene import layer as layer_registry


@dataclass(frozen=True)
class Rings(Layer):
    """Concentric rings around the centre."""

    type: ClassVar[str] = "test-rings"
    count: int = param(6, 1, 40, "rings from the centre to the corner")
    width: float = param(0.3, 0.0, 1.0, "ring width, fraction of the spacing")
    position: float = param(0.9, 0.0, 1.0, "ramp position of the rings")
    solid: bool = param(False, doc="fill the rings fully instead of blending them")


def paint_rings(layer: Rings, frame: Frame, band: Band) -> None:
    cy, cx = frame.height / 2, frame.width / 2
    d = np.hypot(band.rows[:, None] + 0.5 - cy, band.cols[None, :] + 0.5 - cx)
    d *= layer.count / np.hypot(cx, cy)
    ring = ((d % 1.0) < layer.width).astype(np.float32)
    if not layer.solid:
        ring *= np.float32(0.5)
    colour = frame.ramp(np.full((1, 1), layer.position, np.float32))
    band.rgb += (colour - band.rgb) * ring[..., None]


@pytest.fixture
def rings():
    register_layer(Rings, paint_rings)
    yield Rings
    unregister_layer("test-rings")


def _scene(*layers: Layer, size: tuple[int, int] = (64, 48)) -> Scene:
    return Scene(Canvas(*size, 5), "serene", "flow", layers)


def test_a_function_layer_paints_beside_the_built_in_ones(rings) -> None:
    plain = wiktoria.paint_scene(_scene(WashLayer(), GrainLayer()))
    ringed = wiktoria.paint_scene(_scene(WashLayer(), Rings(), GrainLayer()))
    assert not np.array_equal(np.asarray(plain), np.asarray(ringed))
    again = wiktoria.paint_scene(Scene.from_toml(ringed.scene.to_toml()))
    assert np.array_equal(np.asarray(again), np.asarray(ringed))
    assert "test-rings" in layer_types()
    assert ringed.scene.override({"test-rings.count": 3}).layer("test-rings").count == 3


def test_the_rings_land_where_the_function_puts_them(rings) -> None:
    scene = _scene(WashLayer(variation=0.0), Rings(solid=True, width=0.5, count=4))
    pixels = np.asarray(wiktoria.paint_scene(scene)).astype(int)
    top = np.asarray(wiktoria.paint_scene(_scene(WashLayer(variation=0.0)))).astype(int)
    changed = np.abs(pixels - top).sum(axis=2) > 6
    assert 0.2 < changed.mean() < 0.8  # about half the canvas is ring


def test_a_renderer_class_shares_results_between_passes(rings) -> None:
    seen: dict[str, object] = {}

    @dataclass(frozen=True)
    class Probe(Layer):
        """Records what the passes see."""

        type: ClassVar[str] = "test-probe"
        level: float = param(0.5, 0.0, 1.0, "grey level")

    class ProbeRenderer(LayerRenderer):
        def layout(self) -> None:
            seen["horizon"] = self.frame.horizon

        def prepare(self) -> None:
            self.noise = self.rng("probe").random()
            seen["noise"] = self.noise

        def band(self, band: Band) -> None:
            seen.setdefault("bands", []).append(band.index)  # type: ignore[union-attr]
            band.rgb[...] = np.float32(self.layer.level)

    register_layer(Probe, ProbeRenderer)
    try:
        from wiktoria.scene.layers import StrataLayer

        out = wiktoria.paint_scene(_scene(StrataLayer(horizon=0.4), Probe(), size=(40, 300)))
        assert seen["horizon"] == 0.4  # the strata's layout ran before the probe's
        assert seen["bands"] == [0, 1, 2]  # 300 rows in bands of 128
        assert np.unique(np.asarray(out)).size <= 3  # flat grey (and dither)
        first = seen["noise"]
        wiktoria.paint_scene(_scene(Probe()))
        assert seen["noise"] == first  # the same seed, the same draw
    finally:
        unregister_layer("test-probe")


def test_two_layers_of_one_type_draw_different_strokes() -> None:
    base = (WashLayer(), StrokesLayer(density=20000.0, opacity=0.8))
    one = np.asarray(wiktoria.paint_scene(_scene(*base)))
    # A second, invisible stroke layer does not change what the first draws...
    silent = np.asarray(wiktoria.paint_scene(_scene(*base, StrokesLayer(opacity=0.0))))
    assert np.array_equal(one, silent)
    # ...and a visible one draws strokes of its own, not the first layer's again.
    two = np.asarray(wiktoria.paint_scene(_scene(*base, StrokesLayer(density=20000.0,
                                                                    opacity=0.8))))
    assert not np.array_equal(one, two)
    doubled = _scene(WashLayer(), StrokesLayer(density=20000.0, opacity=0.8),
                     StrokesLayer(density=20000.0, opacity=0.8))
    assert Scene.from_toml(doubled.to_toml()) == doubled


def test_unknown_layer_type_names_the_registered_ones() -> None:
    with pytest.raises(UnknownLayerError, match=r"unknown layer type 'cloud'; registered types: "
                                                r"air, land, light, paper, [a-z, ]*grain"):
        layer_registry.layer_class("cloud")
    with pytest.raises(UnknownLayerError, match=r"\(did you mean 'strata'\?\)"):
        layer_registry.layer_class("strato")


def test_a_scene_file_never_imports_a_module() -> None:
    text = ("style='flow'\nmood='serene'\nlayers=[{type='xml'}]\n"
            "[canvas]\nwidth=4\nheight=4\nseed=0\n")
    before = set(sys.modules)
    with pytest.raises(UnknownLayerError):
        Scene.from_toml(text)
    assert "xml" not in set(sys.modules) - before


def test_registration_conflicts_and_replacement(rings) -> None:
    @dataclass(frozen=True)
    class Other(Layer):
        """Another spec under a taken name."""

        type: ClassVar[str] = "test-rings"
        size: float = param(1.0, 0.0, 2.0, "size")

    with pytest.raises(ValueError, match="layer type 'test-rings' is already registered by "
                                         r".*Rings; pass replace=True"):
        register_layer(Other, paint_rings)
    register_layer(Other, paint_rings, replace=True)
    assert layer_types()["test-rings"] is Other
    register_layer(Rings, paint_rings, replace=True)


def _spec(name: str = "test-bad", **namespace):
    namespace.setdefault("__annotations__", {})
    namespace["type"] = name
    namespace["__annotations__"]["type"] = "ClassVar[str]"
    return namespace


def test_bad_specs_and_renderers_are_refused() -> None:
    class Undecorated(Layer):  # forgot @dataclass(frozen=True)
        type: ClassVar[str] = "test-undecorated"

    with pytest.raises(TypeError, match=r"layer spec Undecorated must be a frozen dataclass "
                                        r"\(@dataclass\(frozen=True\)\)"):
        register_layer(Undecorated, paint_rings)

    @dataclass(frozen=True)
    class NoRange(Layer):
        type: ClassVar[str] = "test-norange"
        size: float = 1.0

    with pytest.raises(TypeError, match=r"test-norange.size needs a range"):
        register_layer(NoRange, paint_rings)

    @dataclass(frozen=True)
    class BadName(Layer):
        type: ClassVar[str] = "Bad Name"

    with pytest.raises(ValueError, match="needs a class variable type"):
        register_layer(BadName, paint_rings)

    @dataclass(frozen=True)
    class BadDefault(Layer):
        type: ClassVar[str] = "test-baddefault"
        size: float = param(5.0, 0.0, 1.0, "size")

    with pytest.raises(ValueError, match=r"test-baddefault.size must be a number from 0 to 1"):
        register_layer(BadDefault, paint_rings)

    with pytest.raises(TypeError, match=r"frozen dataclass deriving from wiktoria\.Layer"):
        register_layer(dict, paint_rings)  # type: ignore[arg-type]

    with pytest.raises(TypeError, match=r"a layer function takes \(layer, frame, band\)"):
        register_layer(Rings, lambda layer, band: None)

    with pytest.raises(TypeError, match=r"must derive from wiktoria\.render\.LayerRenderer"):
        register_layer(Rings, int)
    assert "test-rings" not in layer_types()


def test_a_spec_without_a_renderer_is_a_clear_error(rings) -> None:
    @dataclass(frozen=True)
    class Stray(Layer):
        """Not registered."""

        type: ClassVar[str] = "test-rings"

    with pytest.raises(ValueError, match="layer type 'test-rings' is registered with spec "
                                         r".*Rings, not .*Stray"):
        wiktoria.paint_scene(_scene(Stray()))


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 40), width=st.floats(0, 1), position=st.floats(0, 1),
       solid=st.booleans())
def test_custom_layers_round_trip_through_toml(count: int, width: float, position: float,
                                               solid: bool) -> None:
    register_layer(Rings, paint_rings, replace=True)
    try:
        scene = _scene(WashLayer(), Rings(count, width, position, solid), Rings())
        assert Scene.from_toml(scene.to_toml()) == scene
    finally:
        unregister_layer("test-rings")


def test_describe_lists_type_range_default_and_meaning() -> None:
    info = {p.name: p for p in Rings.describe()}
    assert (info["count"].kind, info["count"].range, info["count"].default) == ("int", "1 to 40", 6)
    assert info["solid"].range == "true or false"
    assert info["width"].doc == "ring width, fraction of the spacing"
    assert Rings.summary() == "Concentric rings around the centre."
    with pytest.raises(TypeError, match=r"test-rings.solid must be true or false, got 1"):
        Rings(solid=1)


# --------------------------------------------------------------------------- plug-ins

PLUGIN = '''
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import wiktoria


@dataclass(frozen=True)
class Glow(wiktoria.Layer):
    """A plug-in's layer: a uniform glow."""

    type: ClassVar[str] = "plugin-glow"
    amount: float = wiktoria.param(0.5, 0.0, 1.0, "how much light")


def glow(layer, frame, band):
    band.rgb += np.float32(layer.amount)


def register():
    wiktoria.register_layer(Glow, glow, replace=True)
'''


def _install_plugin(site: Path, value: str = "wiktoria_glow:register") -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "wiktoria_glow.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = site / "wiktoria_glow-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wiktoria-glow\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[wiktoria.layers]\nglow = {value}\n",
                                           encoding="utf-8")


@pytest.fixture
def plugin_site(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    _install_plugin(site)
    monkeypatch.syspath_prepend(str(site))
    layer_registry.reload_plugins()
    yield site
    unregister_layer("plugin-glow")
    sys.modules.pop("wiktoria_glow", None)


def test_a_plug_in_registers_through_its_entry_point(plugin_site: Path) -> None:
    assert "plugin-glow" in layer_types()
    text = ("style='flow'\nmood='serene'\nlayers=[{type='wash'}, {type='plugin-glow'}]\n"
            "[canvas]\nwidth=16\nheight=8\nseed=0\n")
    scene = Scene.from_toml(text)
    lit = np.asarray(wiktoria.paint_scene(scene)).astype(int)
    dark = np.asarray(wiktoria.paint_scene(replace(scene, layers=scene.layers[:1]))).astype(int)
    assert (lit >= dark).all() and lit.mean() > dark.mean() + 20


def test_a_broken_plug_in_warns_and_the_others_still_work(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "broken"
    _install_plugin(site, value="wiktoria_missing_module:register")
    monkeypatch.syspath_prepend(str(site))
    with pytest.warns(LayerPluginWarning, match=r"layer plug-in 'glow' "
                                                r"\(wiktoria_missing_module:register\) failed"):
        layer_registry.reload_plugins()
    assert "sky" in layer_types()


def test_a_plug_in_is_listed_and_painted_by_the_cli_in_a_real_process(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install_plugin(site)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(site), *filter(None, [os.environ.get("PYTHONPATH")])])}
    scene = tmp_path / "glow.toml"
    scene.write_text("style='flow'\nmood='serene'\nlayers=[{type='wash'}, {type='plugin-glow'}]"
                     "\n[canvas]\nwidth=16\nheight=8\nseed=0\n", encoding="utf-8")
    out = tmp_path / "glow.png"
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "paint", "--scene", str(scene),
                           "-o", str(out)], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
