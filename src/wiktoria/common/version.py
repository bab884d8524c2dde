"""The Wiktoria version (``wiktoria.__version__``), for the files Wiktoria writes.

The one place it is set: the package's build (hatchling, ``[tool.hatch.version]`` in
``pyproject.toml``) reads it from here. Reading it back from the installed distribution's
metadata instead (``importlib.metadata``) cost every command 40-100 ms of start-up.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.3.0"
