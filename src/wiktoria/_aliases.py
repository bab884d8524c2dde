"""Internal: the import paths of version 0.1 that the README shows, kept as aliases.

Version 0.1 was one flat folder; 0.2 groups modules by concern. ``import wiktoria.compat``,
``wiktoria.batch.write_loop``, ``from wiktoria.palette import check`` and the other 0.1 paths
still work: this finder answers for the old name with the module at its new place (the very
same module object, so monkeypatching either name patches both).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from types import ModuleType

#: Old module path -> the module that now holds it.
ALIASES: dict[str, str] = {
    "wiktoria.compat": "wiktoria.noise.compat",
    "wiktoria.palette": "wiktoria.colour.ramp",
    "wiktoria.atomicio": "wiktoria.common.atomicio",
    "wiktoria.encode": "wiktoria.io.encode",
    "wiktoria.batch": "wiktoria.run.batch",
    "wiktoria.cluster": "wiktoria.run.cluster",
}


class _AliasLoader:
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        sys.modules[spec.name] = module
        return module

    def exec_module(self, module: ModuleType) -> None:
        """The target module ran when it was imported."""


class _AliasFinder:
    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        real = ALIASES.get(fullname)
        if real is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(real))  # type: ignore[arg-type]


def install() -> None:
    """Put the finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())  # type: ignore[arg-type]
