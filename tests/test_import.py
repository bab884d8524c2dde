"""``import wiktoria`` is light, and every public name still works after it.

Each check runs in a fresh interpreter: in this one, other tests have long since imported
numpy and registered the built-in layers. No timings here (``benchmarks/paint_bench.py``
measures the import).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import wiktoria
from wiktoria.render.layers import _BUILTIN
from wiktoria.scene import Canvas, Scene
from wiktoria.scene.layers import BUILTIN_LAYERS

HEAVY = ("numpy", "PIL", "numba", "click")
BUILTIN_TYPES = [spec.type for spec, _ in _BUILTIN]


def _run(code: str) -> object:
    """Run ``code`` in a fresh interpreter (warnings are errors); it prints one JSON value."""
    proc = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_import_wiktoria_imports_no_numpy_pillow_numba_or_click() -> None:
    loaded = _run(f"import json, sys, wiktoria\n"
                  f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    assert loaded == []


def test_every_public_name_is_listed_and_resolves() -> None:
    out = _run(
        "import json, sys, types, wiktoria\n"
        "listed = sorted(set(wiktoria.__all__) - set(dir(wiktoria)))\n"
        "values = {n: getattr(wiktoria, n) for n in wiktoria.__all__}\n"
        "modules = sorted(n for n, v in values.items() if isinstance(v, types.ModuleType))\n"
        "print(json.dumps([listed, modules, sorted(values)]))")
    unlisted, modules, resolved = out  # type: ignore[misc]
    assert unlisted == [], "in __all__ but not in dir(wiktoria)"
    assert modules == [], "public names that are modules, not the functions and classes"
    assert resolved == sorted(wiktoria.__all__)


def test_star_import_brings_every_public_name() -> None:
    out = _run("import json\nfrom wiktoria import *\n"
               "import wiktoria\n"
               "print(json.dumps(sorted(n for n in wiktoria.__all__ if n not in globals())))")
    assert out == []


def test_the_lazy_names_are_the_very_objects_of_their_modules() -> None:
    from wiktoria.moods import mood, moods
    from wiktoria.render import register_layer
    from wiktoria.render.painting import paint
    from wiktoria.scene import layer_types

    assert wiktoria.moods is moods and wiktoria.mood is mood
    assert wiktoria.paint is paint and wiktoria.Scene is Scene
    assert wiktoria.register_layer is register_layer and wiktoria.layer_types is layer_types
    assert set(wiktoria.__all__) <= set(dir(wiktoria))


def test_moods_stays_the_function_after_the_subpackage_loads() -> None:
    out = _run("import json, wiktoria\n"
               "from wiktoria import Scene\n"  # imports the sub-package wiktoria.moods
               "import wiktoria.moods.registry\n"
               "print(json.dumps([callable(wiktoria.moods), 'serene' in wiktoria.moods(),\n"
               "                  wiktoria.noise.__name__]))")
    assert out == [True, True, "wiktoria.noise"]


@pytest.mark.parametrize("code", [
    "import wiktoria\ntypes = list(wiktoria.layer_types())",
    "from wiktoria import layer_types\ntypes = list(layer_types())",
    "from wiktoria.scene import layer_types\ntypes = list(layer_types())",
    "from wiktoria.scene import layer_class\n"
    "types = [t for t in BUILTIN if layer_class(t).type == t]",
    "from wiktoria.render import renderer_for\nfrom wiktoria.scene import layer_class\n"
    "types = [t for t in BUILTIN if renderer_for(layer_class(t)())]",
], ids=["wiktoria.layer_types", "from-wiktoria", "scene.layer_types", "scene.layer_class",
        "render.renderer_for"])
def test_the_builtin_layers_are_there_however_the_registry_is_reached(code: str) -> None:
    out = _run(f"import json, sys\nBUILTIN = {BUILTIN_TYPES!r}\n{code}\n"
               "print(json.dumps(types))")
    assert out == BUILTIN_TYPES


def test_a_scene_file_naming_builtin_layers_reads_after_the_lazy_import(
        tmp_path: Path) -> None:
    scene = Scene(Canvas(64, 48, 1), wiktoria.mood("serene"), "flow",
                  tuple(cls() for cls in BUILTIN_LAYERS))
    path = tmp_path / "scene.toml"
    path.write_text(scene.to_toml(), encoding="utf-8")
    out = _run(f"import json, pathlib\nfrom wiktoria import Scene\n"
               f"text = pathlib.Path({str(path)!r}).read_text(encoding='utf-8')\n"
               "print(json.dumps([x.type for x in Scene.from_toml(text).layers]))")
    assert out == [cls.type for cls in BUILTIN_LAYERS]


@pytest.mark.parametrize("register", [
    "wiktoria.register_layer(Rings, lambda layer, frame, band: None)\n"
    "wiktoria.unregister_layer('grain')",
    "from wiktoria.scene.layer import register_spec, unregister_spec\n"  # the data half alone
    "register_spec(Rings)\nunregister_spec('grain')",
], ids=["register_layer", "scene.register_spec"])
def test_a_layer_of_ones_own_registers_after_the_builtins(register: str) -> None:
    out = _run(
        "import json\nfrom dataclasses import dataclass\nfrom typing import ClassVar\n"
        "import wiktoria\n"
        "@dataclass(frozen=True)\n"
        "class Rings(wiktoria.Layer):\n"
        "    type: ClassVar[str] = 'rings'\n"
        "    count: int = wiktoria.param(5, 1, 50, 'number of rings')\n"
        f"{register}\n"
        "print(json.dumps(list(wiktoria.layer_types())))")
    assert out == [t for t in BUILTIN_TYPES if t != "grain"] + ["rings"]


def test_the_version_is_the_installed_distributions() -> None:
    """``__version__`` is set in the package (the build reads it from there), and the
    installed distribution's metadata says the same."""
    from importlib.metadata import version

    assert wiktoria.__version__ == version("wiktoria")


def test_the_cli_imports_no_package_metadata_reader() -> None:
    """Reading the version from the distribution's metadata (``importlib.metadata``) cost
    every command 40-100 ms of start-up."""
    loaded = _run("import json, sys, wiktoria.cli\n"
                  "print(json.dumps([m for m in ('importlib.metadata', 'email') "
                  "if m in sys.modules]))")
    assert loaded == []
