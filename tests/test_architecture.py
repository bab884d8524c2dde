"""The package's structure: sub-packages import one way, from the interface down to the maths.

The test reads every module's imports from its source (AST), so it sees imports inside
functions too; only ``if TYPE_CHECKING:`` blocks are exempt (they never run). Run this file
with ``-s`` to print the import graph between sub-packages.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "wiktoria"

#: Sub-packages from the interface (first) down to the maths (last). A sub-package may import
#: only those after it.
LAYERS = ["cli", "live", "run", "motion", "render", "io", "scene", "moods", "colour", "noise",
          "common"]

#: Top-level modules: the facade (``__init__``) and the program entry may import anything.
TOP_LEVEL = {"__init__", "__main__", "_aliases"}

#: Modules over this many lines must say at their top why they are not split.
MAX_LINES = 600


def _subpackage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "wiktoria" or len(parts) < 2:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path) -> set[str]:
    """Wiktoria modules imported by the file at ``path`` (outside TYPE_CHECKING blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("wiktoria"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if mod.startswith("wiktoria"):
                if mod == "wiktoria":  # from wiktoria import noise -> wiktoria.noise
                    found.update(f"wiktoria.{a.name}" for a in node.names)
                else:
                    found.add(mod)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, dict[str, set[str]]]:
    """``{sub-package: {imported sub-package: {importing module, ...}}}``."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(SRC.rglob("*.py")):
        name = _module_name(path)
        sub = _subpackage(name)
        if sub is None or sub in TOP_LEVEL:
            continue
        for imported in _imports(path):
            target = _subpackage(imported)
            if target is None or target == sub:
                continue
            graph[sub][target].add(name)
    return graph


def test_every_module_belongs_to_a_known_subpackage() -> None:
    for path in SRC.iterdir():
        if path.suffix == ".py":
            assert path.stem in TOP_LEVEL, f"{path.name}: modules live in sub-packages"
        elif path.is_dir() and (path / "__init__.py").exists():
            assert path.name in LAYERS, f"{path.name}: add the sub-package to LAYERS"


def test_imports_go_one_way_from_the_interface_down_to_the_maths() -> None:
    graph = _graph()
    rank = {name: i for i, name in enumerate(LAYERS)}
    lines = []
    bad = []
    for sub in LAYERS:
        targets = graph.get(sub, {})
        lines.append(f"{sub:>7} -> {', '.join(t for t in LAYERS if t in targets) or '-'}")
        for target, importers in targets.items():
            if target in TOP_LEVEL:
                continue
            if rank[target] <= rank[sub]:
                bad.append(f"{', '.join(sorted(importers))} imports wiktoria.{target}, "
                           f"which is above wiktoria.{sub}")
    print("\nimport graph (sub-package -> the sub-packages it imports):")
    print("\n".join(lines))
    assert not bad, "\n".join(bad)


def test_the_subpackage_import_graph_has_no_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, {}):
            if nxt in TOP_LEVEL:
                continue
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join([*path, node, nxt]))
            if state.get(nxt) is None:
                visit(nxt, [*path, node])
        state[node] = 2

    for node in LAYERS:
        if node not in state:
            visit(node, [])


def _messages(tree: ast.AST) -> list[ast.Constant]:
    """String pieces of every error raised and warning issued in a module."""
    out = []
    for node in ast.walk(tree):
        is_warn = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                   and node.func.attr == "warn")
        if isinstance(node, ast.Raise) or is_warn:
            out += [n for n in ast.walk(node)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return out


def test_the_library_never_imports_click_or_names_a_flag_in_an_error() -> None:
    for path in sorted(SRC.rglob("*.py")):
        if _subpackage(_module_name(path)) in ("cli", *TOP_LEVEL):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                    node.module or ""]
                assert not any(n.split(".")[0] == "click" for n in names), path
        for const in _messages(tree):
            for word in const.value.split():
                flag = word.strip("`'\",.;:()")
                assert not (flag.startswith("--") and flag[2:3].isalpha()), (
                    f"{path.relative_to(SRC)}:{const.lineno} names the CLI flag {flag!r}")


def test_long_modules_say_why_they_are_long() -> None:
    long = []
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES:
            head = "\n".join(lines[:40]).lower()
            if "long" not in head or not ("why" in head or "purpose" in head):
                long.append(f"{path.relative_to(SRC)}: {len(lines)} lines")
    assert not long, (f"modules over {MAX_LINES} lines without a 'Why this module is long' "
                      "paragraph at the top: " + "; ".join(long))
