"""The ``wiktoria`` command: a thin click layer over the library.

Every command parses its options (the text syntax of sizes, seeds and ``--set`` lives in
:mod:`wiktoria.cli.options`), calls library functions and reports. Errors from the library
(``ValueError``, ``TypeError``, ``OSError``) become a one-line message and exit status 2,
without a traceback (:mod:`wiktoria.cli.app`).

Modules: :mod:`~wiktoria.cli.app` (the group), :mod:`~wiktoria.cli.paint` (``paint``,
``reproduce``), :mod:`~wiktoria.cli.loops` (``animate``, ``frames``),
:mod:`~wiktoria.cli.encode` (``encode``), :mod:`~wiktoria.cli.palette` (``moods``,
``palette``), :mod:`~wiktoria.cli.noise` (``noise``), :mod:`~wiktoria.cli.live` (``live``),
:mod:`~wiktoria.cli.progress` (the progress bar), :mod:`~wiktoria.cli.scenes` (``--scene``).
"""

from __future__ import annotations

from wiktoria.cli import (  # noqa: F401  (register the commands)
    encode,
    layers,
    live,
    loops,
    noise,
    paint,
    palette,
)
from wiktoria.cli.app import cli, main
from wiktoria.cli.palette import mood_table, truecolor_terminal

__all__ = ["cli", "main", "mood_table", "truecolor_terminal"]
