"""Colour science: sRGB, linear light, OKLab and OKLCh, gamut mapping and colour-vision simulation.

Every function is vectorised over a trailing axis of 3 channels: an input of shape ``(..., 3)``
gives an output of the same shape. Conversions compute in float64 unless the input is float32
(or a narrower float or an integer type that fits float32 exactly, such as uint8), in which case
they stay in float32.

Spaces and ranges
-----------------
* **sRGB**: gamma-encoded, ``[0, 1]`` per channel for displayable colours (``uint8 / 255``).
* **linear**: linear-light sRGB (same primaries and white), ``[0, 1]`` inside the gamut.
* **OKLab** (Ottosson 2020, matrices of 2021-01-25): ``L`` in ``[0, 1]``, ``a`` and ``b`` roughly
  within ``[-0.4, 0.4]`` for sRGB colours. Colour difference ``ΔE_OK`` is Euclidean distance.
* **OKLCh**: the polar form of OKLab, ``(L, C, h)`` with chroma ``C >= 0`` and hue ``h`` in
  degrees, ``[0, 360)``.

Out-of-range sRGB or linear values are converted by the sign-symmetric extension of the transfer
function (as CSS Color 4 does), so conversions never produce NaN.

Modules
-------
* :mod:`wiktoria.colour.spaces`: the conversions, gamut mapping, colour-vision simulation, hex
  codes and the renderer's dithered 8-bit encoder (:func:`encode_srgb8`), all re-exported here;
* :mod:`wiktoria.colour.ramp`: colour ramps (:class:`~wiktoria.colour.ramp.Palette`), with
  their checks in :mod:`wiktoria.colour.ramp_checks`;
* :mod:`wiktoria.colour.formats`: palettes read from and written to GIMP, hex and CSS files.

Examples
--------
>>> from wiktoria.colour import srgb_to_hex, oklch_to_oklab, oklab_to_srgb, gamut_map
>>> srgb_to_hex(oklab_to_srgb(gamut_map(oklch_to_oklab([0.7, 0.3, 140.0]))))
'#3abd00'
"""

from __future__ import annotations

from wiktoria.colour import spaces as _spaces
from wiktoria.colour.spaces import *  # noqa: F403  (everything spaces exports)

__all__ = list(_spaces.__all__)
