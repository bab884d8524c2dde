"""``wiktoria live``: a page in the browser that plays a scene's loop while you change it.

An interface layer, like :mod:`wiktoria.cli` (which only parses options and calls
:func:`start`): :mod:`~wiktoria.live.session` holds the state (the scene, the page's choices,
saving), :mod:`~wiktoria.live.source` reads scene files and Python sketches afresh,
:mod:`~wiktoria.live.server` serves the page, the frames and the small HTTP interface.

Needs the ``live`` extra (Starlette, uvicorn, websockets, watchfiles).
"""

from __future__ import annotations

from wiktoria.live.session import Session, preview_size
from wiktoria.live.source import is_sketch, load_scene

__all__ = ["Session", "check_installed", "is_sketch", "load_scene", "preview_size"]


def check_installed() -> None:
    """Raise ``ImportError`` (one line naming the extra) when the server's libraries are
    missing."""
    import importlib.util

    missing = [name for name in ("starlette", "uvicorn", "websockets", "watchfiles")
               if importlib.util.find_spec(name) is None]
    if missing:
        raise ImportError(f"wiktoria live needs {', '.join(missing)}: pip install "
                          "'wiktoria[live]'")
