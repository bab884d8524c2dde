"""Every example in every docstring of the package runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import wiktoria

MODULES = sorted(m.name for m in pkgutil.walk_packages(wiktoria.__path__, "wiktoria.")
                 if m.name != "wiktoria.__main__")
NEEDS_NUMBA = {"wiktoria.noise._jit", "wiktoria.noise._compat_jit"}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    if name in NEEDS_NUMBA:
        pytest.importorskip("numba")
    module = importlib.import_module(name)
    if module.__name__ != name:  # a 0.1 alias (wiktoria._aliases): tested under its real name
        return
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
