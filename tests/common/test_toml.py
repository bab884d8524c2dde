"""The one TOML writer: any text survives, numbers read back bit for bit, bad values refused."""

from __future__ import annotations

import math
import tomllib
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wiktoria
from wiktoria.common.toml import TomlWriter, toml_key, toml_string, toml_value
from wiktoria.scene import Scene


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_string_reads_back_equal(text: str) -> None:
    line = toml_string(text)
    assert "\n" not in line and "\r" not in line
    assert tomllib.loads(f"v = {line}")["v"] == text


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0x20), 0x7F]])
def test_every_control_character_is_escaped(char: str) -> None:
    written = toml_string(f"a{char}b")
    assert char not in written
    assert tomllib.loads(f"v = {written}")["v"] == f"a{char}b"


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(-2**63, 2**63 - 1),
       st.text(min_size=1))
def test_numbers_and_keys_read_back_exactly(x: float, n: int, key: str) -> None:
    doc = tomllib.loads(f"{toml_key(key)} = {toml_value([x, n, {'k': x}])}")
    assert doc[key][0] == x and math.copysign(1, doc[key][0]) == math.copysign(1, x)
    assert doc[key][1] == n and doc[key][2] == {"k": x}


def test_numpy_scalars_are_written_as_numbers() -> None:
    assert toml_value(np.float32(0.5)) == "0.5"
    assert toml_value(np.int64(3)) == "3"
    assert toml_value(np.bool_(True)) == "true"


@pytest.mark.parametrize(("value", "error", "message"), [
    (float("nan"), ValueError, "cannot write a non-finite number to TOML: nan"),
    (float("inf"), ValueError, "cannot write a non-finite number to TOML: inf"),
    (object, TypeError, "cannot write type to TOML"),
    (None, TypeError, "cannot write NoneType to TOML: None"),
])
def test_bad_values_are_one_line_errors(value, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        toml_value(value)


def test_comments_stay_on_their_line() -> None:
    w = TomlWriter()
    w.comment("two\nlines")
    w.pair("x", 1, comment="evil\ncomment\x00 here")
    doc = w.text()
    assert doc == "# two\n# lines\nx = 1  # evil comment here\n"
    assert tomllib.loads(doc) == {"x": 1}


def test_a_scene_with_control_characters_in_its_mood_round_trips() -> None:
    mood = wiktoria.mood("serene")
    odd = replace(mood, description='line one\nline "two"\t\x00\x1b[31m\x7f', source="\\\\x")
    scene = replace(wiktoria.paint("serene", size=(8, 8), seed=1).scene, mood=odd)
    assert Scene.from_toml(scene.to_toml()) == scene


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["[", "{", "]", "}", "'[", "\"{\"", "# [[\n", "a", " = ", "\n"]),
                max_size=60))
def test_depth_check_is_an_upper_bound_of_what_tomllib_recurses(parts: list[str]) -> None:
    """Whatever the text, the check either passes or raises its one-line ValueError."""
    from wiktoria.common.toml import check_toml_text

    text = "".join(parts)
    message = None
    try:
        check_toml_text(text, "t", 10_000, 3)
    except ValueError as exc:
        message = str(exc)
    assert message in (None, "t: arrays and tables nest deeper than 3 levels")


def test_depth_counts_inline_tables_and_arrays_not_strings() -> None:
    from wiktoria.common.toml import check_toml_text

    check_toml_text("a = '[[[[[[[['\nb = \"{{{{{{\"\n# [[[[[[\nc = [[1]]", "t", 1000, 2)
    with pytest.raises(ValueError, match="nest deeper than 2"):
        check_toml_text("a = [{b = [1]}]", "t", 1000, 2)
    with pytest.raises(ValueError, match="nest deeper than 2"):
        check_toml_text("]]]]\na = [[[1]]]", "t", 1000, 2)  # stray closers hide nothing
    with pytest.raises(TypeError, match="t: expected TOML text, got bytes"):
        check_toml_text(b"a = 1", "t", 1000, 2)
