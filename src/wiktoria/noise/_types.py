"""Internal: type aliases of the noise API."""

from __future__ import annotations

from typing import Literal

import numpy.typing as npt

__all__ = ["ArrayLike", "Kind"]

Kind = Literal["perlin", "simplex"]
ArrayLike = npt.ArrayLike
