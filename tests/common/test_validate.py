"""The shared argument checks of :mod:`wiktoria.common.validate`."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from wiktoria.common import validate


def exactly(message: str) -> str:
    assert "\n" not in message
    return f"^{re.escape(message)}$"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3), (np.int64(3), 3), (np.uint8(3), 3), (3.0, 3), (np.float32(3.0), 3)],
)
def test_integer_accepts_whole_numbers_of_any_kind(value: object, expected: int) -> None:
    got = validate.integer(value, "octaves", 1, 10)
    assert got == expected and type(got) is int


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "octaves must be an integer from 1 to 10, got 0"),
        (2.5, ValueError, "octaves must be an integer from 1 to 10, got 2.5"),
        (math.nan, ValueError, "octaves must be an integer from 1 to 10, got nan"),
        (True, TypeError, "octaves must be an integer from 1 to 10, got True"),
        ("3", TypeError, "octaves must be an integer from 1 to 10, got '3'"),
        (None, TypeError, "octaves must be an integer from 1 to 10, got None"),
    ],
)
def test_integer_errors(value: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=exactly(message)):
        validate.integer(value, "octaves", 1, 10)


def test_bounds_are_written_as_given() -> None:
    # Integers in full (no 1e+07), other numbers shortest.
    with pytest.raises(ValueError, match=exactly("count must be an integer from 1 to 10000000, "
                                                 "got 0")):
        validate.integer(0, "count", 1, 10_000_000)
    with pytest.raises(ValueError, match=exactly("seed must be an integer from 0 to "
                                                 "18446744073709551615, got -1")):
        validate.integer(-1, "seed", 0, 2**64 - 1)
    with pytest.raises(ValueError, match=exactly("t must be a number from -1000000 to 1000000, "
                                                 "got inf")):
        validate.number(math.inf, "t", -1e6, 1e6)
    with pytest.raises(ValueError, match=exactly("gain must be a number in (0, 0.5], got 0")):
        validate.number(0, "gain", 0.0, 0.5, lo_open=True)
    with pytest.raises(ValueError, match=exactly("tol must be a number of at least 1e-06, "
                                                 "got 0")):
        validate.number(0, "tol", 1e-6)
    with pytest.raises(ValueError, match=exactly("x must be a number of at most 2.5, got 3")):
        validate.number(3, "x", None, 2.5)
    with pytest.raises(ValueError, match=exactly("x must be a number greater than 0, got 0")):
        validate.number(0, "x", 0, lo_open=True)


def test_number_returns_a_python_float() -> None:
    got = validate.number(np.float32(0.25), "gain", 0, 1)
    assert got == 0.25 and type(got) is float
    with pytest.raises(TypeError, match=exactly("gain must be a number from 0 to 1, got "
                                                "np.True_")):
        validate.number(np.True_, "gain", 0, 1)


def test_long_values_are_shown_by_type_and_shape() -> None:
    with pytest.raises(TypeError, match=exactly("gain must be a number from 0 to 1, got ndarray "
                                                "of shape (30, 30)")):
        validate.number(np.zeros((30, 30)), "gain", 0, 1)
    assert validate.show("x" * 100) == "str"
    assert validate.show([1, 2]) == "[1, 2]"


def test_instance() -> None:
    assert validate.instance(3, "n", int) == 3
    with pytest.raises(TypeError, match=exactly("field must be a VectorField, got 'x'")):
        validate.instance("x", "field", (dict, list), "a VectorField")
    with pytest.raises(TypeError, match=exactly("params must be a dict, got 3")):
        validate.instance(3, "params", (dict, list))


def test_choice_and_boolean() -> None:
    assert validate.choice("perlin", "kind", ("perlin", "simplex")) == "perlin"
    with pytest.raises(ValueError, match=exactly("unknown kind 'perlni' (did you mean "
                                                 "'perlin'?); valid: perlin, simplex")):
        validate.choice("perlni", "kind", ("perlin", "simplex"))
    with pytest.raises(TypeError, match=exactly("unknown kind 3; valid: perlin, simplex")):
        validate.choice(3, "kind", ("perlin", "simplex"))
    assert validate.boolean(np.True_, "flag") is True
    with pytest.raises(TypeError, match=exactly("flag must be true or false, got 1")):
        validate.boolean(1, "flag")


def test_seed() -> None:
    assert validate.seed(np.uint64(2**63 - 1)) == 2**63 - 1
    with pytest.raises(ValueError, match=exactly("seed must be an integer from 0 to 2**63-1, "
                                                 "got -1")):
        validate.seed(-1)
    with pytest.raises(TypeError, match=exactly("seed must be an integer from 0 to 2**63-1, "
                                                "got '1'")):
        validate.seed("1")
