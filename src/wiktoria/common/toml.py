"""Writing TOML: the one writer every Wiktoria file format uses (scenes, moods, metadata).

Reading is :mod:`tomllib`'s job. Writing needs no library: the documents are small, and this
writer guarantees what the formats rely on:

* every string is a TOML basic string with **every** control character escaped (``\\n``,
  ``\\t``... and ``\\uXXXX`` for the rest, DEL included), so no text can break out of a value;
* floats are written with ``repr``, so they read back bit for bit; NaN and infinities, which
  no Wiktoria format allows, are refused;
* numpy scalars are written as the Python numbers they hold;
* a value may carry a trailing comment (``# range and meaning``), which must be one line.

Examples
--------
>>> w = TomlWriter()
>>> w.comment("A scene")
>>> w.pair("mood", "serene\\n")
>>> w.table("canvas")
>>> w.pair("width", 640, comment="pixels")
>>> print(w.text(), end="")
# A scene
mood = "serene\\n"
<BLANKLINE>
[canvas]
width = 640  # pixels
>>> import tomllib
>>> tomllib.loads(w.text())["mood"]
'serene\\n'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["TomlWriter", "toml_key", "toml_string", "toml_value"]

_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"',
          "\\": "\\\\"}
_ESCAPE_RE = re.compile(r'[\x00-\x1f\x7f"\\]')
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_STRINGS_AND_COMMENTS_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # multi-line basic strings
    r"|'''.*?'''"  # multi-line literal strings
    r'|"(?:[^"\\\n]|\\.)*"'  # basic strings
    r"|'[^'\n]*'"  # literal strings
    r"|#[^\n]*",  # comments
    re.S,
)
_NOT_BRACKET_RE = re.compile(r"[^\[\]{}]")
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _SHORT.get(ch) or f"\\u{ord(ch):04x}"


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text``; every control character is escaped.

    Examples
    --------
    >>> toml_string('say "hi"\\x00')
    '"say \\\\"hi\\\\"\\\\u0000"'
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {text!r}")
    return '"' + _ESCAPE_RE.sub(_escape, text) + '"'


def toml_key(key: str) -> str:
    """A bare key when it can be one, else a quoted key."""
    return key if _BARE_KEY_RE.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """One TOML value: a bool, an integer, a finite float, a string, an array or an inline table.

    Raises
    ------
    ValueError
        A NaN or infinite float.
    TypeError
        A value of another type.
    """
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"cannot write a non-finite number to TOML: {value!r}")
        return repr(v)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(x) for x in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{toml_key(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML: {value!r}")


class TomlWriter:
    """Builds a TOML document line by line: comments, tables, arrays of tables and pairs."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def comment(self, text: str) -> None:
        """A ``# text`` line per line of ``text``."""
        for line in text.splitlines() or [""]:
            self._lines.append(f"# {_one_line(line)}".rstrip())

    def blank(self) -> None:
        """An empty line (never two in a row)."""
        if self._lines and self._lines[-1]:
            self._lines.append("")

    def table(self, name: str) -> None:
        """A ``[name]`` header (dotted names are split on dots)."""
        self.blank()
        self._lines.append(f"[{'.'.join(toml_key(p) for p in name.split('.'))}]")

    def array_table(self, name: str) -> None:
        """A ``[[name]]`` header: one more element of an array of tables."""
        self.blank()
        self._lines.append(f"[[{'.'.join(toml_key(p) for p in name.split('.'))}]]")

    def pair(self, key: str, value: Any, comment: str | None = None) -> None:
        """``key = value``, with an optional trailing ``# comment``."""
        line = f"{toml_key(key)} = {toml_value(value)}"
        if comment:
            line += f"  # {_one_line(comment)}"
        self._lines.append(line)

    def pairs(self, values: Mapping[str, Any]) -> None:
        """One :meth:`pair` per item."""
        for k, v in values.items():
            self.pair(k, v)

    def raw(self, line: str) -> None:
        """A line written as given (for layouts the helpers above do not cover)."""
        self._lines.append(line)

    def text(self) -> str:
        """The document, ending with one newline."""
        return "\n".join(self._lines).rstrip("\n") + "\n"


def _one_line(text: str) -> str:
    """Comment text on one line: control characters become spaces, runs of spaces one."""
    return " ".join(_CONTROL_RE.sub(" ", text).split())


def check_toml_text(text: Any, origin: str, max_bytes: int, max_depth: int) -> None:
    """Refuse, in one line, a TOML text that is not text, too large, or nested too deep.

    Run before :func:`tomllib.loads`: it bounds the parser's time and memory, and its
    recursion (50,000 nested arrays raise ``RecursionError`` inside ``tomllib``). Depth counts
    ``[`` and ``{`` outside strings and comments.

    Raises
    ------
    TypeError
        ``text`` is not a string.
    ValueError
        Over ``max_bytes`` (as UTF-8) or nested deeper than ``max_depth``.

    Examples
    --------
    >>> check_toml_text("a = [[1], {b = '[[['}]  # [[[", "s.toml", 100, 2)
    >>> check_toml_text("a = [[[1]]]", "s.toml", 100, 2)
    Traceback (most recent call last):
    ...
    ValueError: s.toml: arrays and tables nest deeper than 2 levels
    """
    if not isinstance(text, str):
        raise TypeError(f"{origin}: expected TOML text, got {type(text).__name__}")
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ValueError(f"{origin}: {size} bytes is too large for this file; at most "
                         f"{max_bytes} bytes are read")
    brackets = _NOT_BRACKET_RE.sub("", _STRINGS_AND_COMMENTS_RE.sub("", text))
    if len(brackets) <= max_depth:
        return
    codes = np.frombuffer(brackets.encode("ascii"), np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    walk = np.cumsum(steps)
    # Depth never goes below zero (a stray closer does not hide nesting after it).
    depth = walk - np.minimum(np.minimum.accumulate(walk), 0)
    if int(depth.max()) > max_depth:
        raise ValueError(f"{origin}: arrays and tables nest deeper than {max_depth} levels")
