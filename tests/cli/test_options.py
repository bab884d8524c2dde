"""The CLI's option syntax: seed lists and ``--set`` (cli.options)."""

from __future__ import annotations

import re

import pytest

from wiktoria.cli.options import parse_overrides, parse_seeds


@pytest.mark.parametrize(("text", "expected"), [
    ("0..99", range(0, 100)),
    ("7", range(7, 8)),
    ("1,5,9", [1, 5, 9]),
    (" 1 , 5 ,9 ", [1, 5, 9]),
    ("3 .. 5", range(3, 6)),
    ("0..2,10", [0, 1, 2, 10]),
    ("5..5", range(5, 6)),
    (str(2**63 - 1), range(2**63 - 1, 2**63)),
])
def test_parse_seeds(text: str, expected: range | list[int]) -> None:
    assert parse_seeds(text) == expected


HELP = "; use N, A..B (inclusive, e.g. 0..99) or a comma list such as 1,5,9"


@pytest.mark.parametrize(("text", "message"), [
    ("", "'' is not a seed list" + HELP),
    ("abc", "'abc' is not a seed list" + HELP),
    ("-3", "'-3' is not a seed list" + HELP),
    ("1.5", "'1.5' is not a seed list" + HELP),
    ("0...9", "'0...9' is not a seed list" + HELP),
    ("1,,2", "'1,,2' is not a seed list ('' is not a seed or range)" + HELP),
    ("1,x..3", "'1,x..3' is not a seed list ('x..3' is not a seed or range)" + HELP),
    ("9..3", "seed range '9..3' is empty: write the smaller seed first, e.g. 3..9"),
    (str(2**63), f"seed {2**63} in '{2**63}' is too large: seeds go from 0 to 2**63-1"),
    ("1,5,1", "seed 1 appears twice in '1,5,1'"),
    ("0..20000,1", "'0..20000,1' names more than 10000 seeds; a sweep takes at most 10000"),
])
def test_parse_seeds_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        parse_seeds(text)


def test_parse_seeds_type() -> None:
    with pytest.raises(TypeError, match="seeds must be given as text"):
        parse_seeds(5)  # type: ignore[arg-type]


def test_parse_overrides() -> None:
    assert parse_overrides(["strata.count=5", "sky.warp=2.5", "a.b=False", "a.c=x"]) == {
        "strata.count": 5, "sky.warp": 2.5, "a.b": False, "a.c": "x"}
    for bad in ("strata.count", "=3", "strata.count= "):
        with pytest.raises(ValueError, match=r"--set expects LAYER\.PARAM=VALUE"):
            parse_overrides([bad])


def test_the_library_never_names_a_flag() -> None:
    """Error messages outside wiktoria.cli use parameter names; the CLI speaks in flags."""
    import ast
    from pathlib import Path

    import wiktoria

    root = Path(wiktoria.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        if path.relative_to(root).parts[0] == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for const in ast.walk(node.exc):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str) and \
                            re.search(r"(^|\s|\()--[a-z]", const.value):
                        found.append(f"{path.relative_to(root)}:{node.lineno}: {const.value}")
    assert found == []


def test_shared_folder_error_in_library_and_cli_words() -> None:
    import pickle

    from wiktoria.cli.app import _message
    from wiktoria.run.tasks import SharedFolderError

    exc = pickle.loads(pickle.dumps(SharedFolderError("frame 3 is not there")))
    assert str(exc) == ("frame 3 is not there; with write_on_workers=True the output folder "
                        "must be shared by every machine, at the same path")
    assert _message(exc) == ("frame 3 is not there; with --write-on-workers the output folder "
                             "must be shared by every machine, at the same path")
