"""Where mood files live: the shipped ``palettes`` folder and the user's palette folders.

No third-party dependency: the platform's user configuration folder is worked out here.

* Shipped: ``importlib.resources.files("wiktoria") / "palettes"`` (inside an installed wheel),
  falling back to the repository's top-level ``palettes/`` (editable installs and source
  checkouts, where the package folder has no ``palettes``).
* User, in priority order: every folder in ``$WIKTORIA_PALETTES`` (separated by
  :data:`os.pathsep`), then ``<user config folder>/wiktoria/palettes``, where the user config
  folder is ``$XDG_CONFIG_HOME`` or ``~/.config`` on Linux and other Unixes,
  ``~/Library/Application Support`` on macOS and ``%APPDATA%`` on Windows.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

__all__ = ["ENV_VAR", "shipped_palette_dir", "user_config_dir", "user_palette_dirs"]

ENV_VAR = "WIKTORIA_PALETTES"
"""Environment variable naming extra user palette folders, highest priority first."""


def shipped_palette_dir() -> Path:
    """The folder of mood files shipped with Wiktoria.

    Returns
    -------
    pathlib.Path
        ``wiktoria/palettes`` inside the installed package if it exists, else the repository's
        top-level ``palettes/`` folder.
    """
    try:
        packaged = resources.files("wiktoria") / "palettes"
        if packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, NotADirectoryError, OSError):  # pragma: no cover - defensive
        pass
    return Path(__file__).resolve().parents[3] / "palettes"


def user_config_dir(
    platform: str | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The platform's per-user configuration folder for Wiktoria (it may not exist yet).

    Parameters
    ----------
    platform : str, optional
        A :data:`sys.platform` value; defaults to the running platform.
    environ : mapping, optional
        Environment variables; defaults to :data:`os.environ`.

    Examples
    --------
    >>> user_config_dir("linux", {"XDG_CONFIG_HOME": "/cfg"}).as_posix()
    '/cfg/wiktoria'
    """
    platform = sys.platform if platform is None else platform
    env = os.environ if environ is None else environ
    if platform.startswith("win"):
        appdata = env.get("APPDATA")
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    elif platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = env.get("XDG_CONFIG_HOME", "")
        # the XDG spec says relative paths are invalid and must be ignored
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".config"
    return base / "wiktoria"


def user_palette_dirs(
    platform: str | None = None, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """User palette folders, highest priority first (they may not exist).

    Examples
    --------
    >>> [p.as_posix() for p in user_palette_dirs("linux", {"WIKTORIA_PALETTES": "/mine",
    ...                                                    "XDG_CONFIG_HOME": "/cfg"})]
    ['/mine', '/cfg/wiktoria/palettes']
    """
    env = os.environ if environ is None else environ
    dirs = [Path(p).expanduser() for p in env.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    dirs.append(user_config_dir(platform, env) / "palettes")
    return dirs
