"""Numbers that say whether a colour ramp works: the ramp checks and the test images.

:func:`check` measures a :class:`~wiktoria.colour.ramp.Palette` against the ramp checks of the
colour research note (§2.6–2.7): gamut, even speed, flat spots, lightness shape, kinks, contrast
and colour-vision deficiency; :func:`warn_if_failing` turns failures into one
:class:`PaletteWarning`. :func:`sine_ramp` and :func:`ramp_image` draw Kovesi's test image.
Everything is re-exported by :mod:`wiktoria.colour.ramp` (and so by the 0.1 path
``wiktoria.palette``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wiktoria.colour.spaces import (
    JND,
    delta_e,
    gamut_map,
    linear_to_oklab,
    oklab_to_linear,
    simulate_cvd,
)
from wiktoria.common import validate

if TYPE_CHECKING:
    from wiktoria.colour.ramp import Palette

__all__ = [
    "CheckResult",
    "PaletteReport",
    "PaletteWarning",
    "check",
    "ramp_image",
    "sine_ramp",
    "warn_if_failing",
]


class PaletteWarning(UserWarning):
    """A palette failed one or more of the ramp checks of :func:`check`; it still works."""



@dataclass(frozen=True)
class CheckResult:
    """One ramp check: the measured ``value``, the ``limit`` it is held to, and the verdict.

    ``rule`` says in words what passes, e.g. ``"≤ 0.02"``.
    """

    name: str
    value: float
    limit: float
    passed: bool
    rule: str

    def __str__(self) -> str:
        mark = "ok  " if self.passed else "FAIL"
        return f"{mark} {self.name:<16} {self.value:10.4g}   (needs {self.rule})"


@dataclass(frozen=True)
class PaletteReport:
    """The results of :func:`check`, in order, with the table's fingerprint.

    Index it by check name (``report["window_ratio"].value``); ``ok`` is True when every
    check passed, and ``failures`` lists the ones that did not.
    """

    checks: tuple[CheckResult, ...]
    lut_sha256: str

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def __getitem__(self, name: str) -> CheckResult:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no check named {name!r}; checks: {', '.join(self.names)}")

    def __contains__(self, name: object) -> bool:
        return any(c.name == name for c in self.checks)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.checks)

    def values(self) -> dict[str, float]:
        """``{check name: measured value}``."""
        return {c.name: c.value for c in self.checks}

    def __str__(self) -> str:
        return "\n".join(str(c) for c in self.checks)


def _windows(lab: NDArray[np.float64], cyclic: bool = False) -> NDArray[np.float64]:
    """ΔE_OK between table entries 10 % of the ramp apart, for every start position."""
    w = round(0.1 * (len(lab) - 1))
    if cyclic:
        return delta_e(np.roll(lab, -w, axis=0), lab)
    return delta_e(lab[w:], lab[:-w])


def _le(name: str, value: float, limit: float, fmt: str = "{:g}") -> CheckResult:
    return CheckResult(name, float(value), limit, bool(value <= limit), "≤ " + fmt.format(limit))


def _ge(name: str, value: float, limit: float, fmt: str = "{:g}") -> CheckResult:
    return CheckResult(name, float(value), limit, bool(value >= limit), "≥ " + fmt.format(limit))


def _lightness_flips(light: NDArray[np.float64]) -> tuple[int, int]:
    """Sign changes of dL along the table (steps below 1e-6 ignored), and the first turn index."""
    d = np.diff(light)
    keep = np.abs(d) > 1e-6
    signs = np.sign(d[keep])
    changes = np.flatnonzero(signs[1:] != signs[:-1])
    if len(changes) == 0:
        return 0, -1
    turn = int(np.flatnonzero(keep)[changes[0] + 1])
    return len(changes), turn


def check(palette: Palette, *, arousal: float | None = None) -> PaletteReport:
    """Measure a palette against the ramp checks of the colour research note (§2.6–2.7).

    Everything is measured on the palette's own gamut-mapped OKLab lookup table
    (``LUT_SIZE`` entries, position ``t = i / (LUT_SIZE - 1)``).

    ========================  ================================================================
    check                     value (pass rule)
    ========================  ================================================================
    ``stop_gamut``            max ΔE_OK from a stop to its gamut-mapped colour (≤ 0.02)
    ``sample_gamut``          max ΔE_OK from a table entry to its gamut-mapped colour (≤ 0.02)
    ``speed_ratio``           max/min over segments between stops of arc length ÷ Δpos (≤ 2)
    ``window_ratio``          min/median of ΔE_OK(t, t + 0.1) (≥ 0.8; per half if diverging)
    ``window_min``            min of ΔE_OK(t, t + 0.1) (≥ 0.02)
    ``lightness_flips``       sign changes of dL (0 sequential, 1 diverging; not for cyclic)
    ``turn_position``         diverging: position of the lightness turn (0.4 to 0.6)
    ``end_balance``           diverging: abs(L(0) - L(1)) (≤ 0.05)
    ``closure``               cyclic: ΔE_OK(first, last) (≤ 0.01)
    ``lightness_range``       L max − L min (≥ 0.2; not for cyclic)
    ``kink_angle``            max turn, in degrees, between the chords t−1/32→t and t→t+1/32
                              (≤ 45)
    ``cvd_protan`` …          window min of ΔE_OK(t, t + 0.1) after Machado et al. (2009)
    ``cvd_tritan``            protan/deutan/tritan simulation at severity 1 (≥ 0.02)
    ``calm_contrast``         only with ``arousal < -0.3``: abs(L(1) - L(0)) (≤ 0.45)
    ========================  ================================================================

    Parameters
    ----------
    palette : Palette
    arousal : float, optional
        The mood's arousal in [-1, 1]; adds the calm-contrast band for calm moods.

    Returns
    -------
    PaletteReport

    Examples
    --------
    >>> from wiktoria.colour.ramp import Palette
    >>> report = check(Palette.from_colors(["#141b24", "#547084", "#a9c4cf"]))
    >>> report.ok, round(report["speed_ratio"].value, 2)
    (True, 1.0)
    """
    if arousal is not None:
        arousal = validate.number(arousal, "arousal", -1.0, 1.0)
    raw: NDArray[np.float64] = palette._raw  # type: ignore[attr-defined]
    lab: NDArray[np.float64] = palette._mapped  # type: ignore[attr-defined]
    stop_lab: NDArray[np.float64] = palette._stop_lab  # type: ignore[attr-defined]
    n = len(lab)
    t = np.linspace(0.0, 1.0, n)
    results: list[CheckResult] = []

    results.append(_le("stop_gamut", float(np.max(delta_e(stop_lab, gamut_map(stop_lab)))), JND))
    results.append(_le("sample_gamut", float(np.max(delta_e(raw, lab))), JND))

    # even speed: arc length per unit position, per segment between stops
    steps = delta_e(lab[1:], lab[:-1])
    cum = np.concatenate([[0.0], np.cumsum(steps)])
    pos = np.array(palette.positions)
    arc = np.interp(pos, t, cum)
    dpos = np.diff(pos)
    long_enough = dpos >= 4.0 / (n - 1)
    speeds = np.diff(arc)[long_enough] / dpos[long_enough]
    if len(speeds) == 0 or speeds.min() <= 0:
        ratio = math.inf
    else:
        ratio = float(speeds.max() / speeds.min())
    results.append(_le("speed_ratio", ratio, 2.0))

    # flat spots
    if palette.shape == "diverging":
        # windows 10 % of the whole ramp long, inside each half
        half = n // 2
        w = round(0.1 * (n - 1))
        parts = [
            delta_e(lab[w : half + 1], lab[: half + 1 - w]),
            delta_e(lab[half + w :], lab[half:-w]),
        ]
        wratio = min(float(p.min() / np.median(p)) for p in parts)
        wmin = min(float(p.min()) for p in parts)
    else:
        win = _windows(lab, cyclic=palette.shape == "cyclic")
        wratio = float(win.min() / np.median(win)) if np.median(win) > 0 else 0.0
        wmin = float(win.min())
    results.append(_ge("window_ratio", wratio, 0.8))
    results.append(_ge("window_min", wmin, JND))

    light = lab[:, 0]
    flips, turn = _lightness_flips(light)
    if palette.shape == "sequential":
        results.append(CheckResult("lightness_flips", flips, 0, flips == 0, "= 0"))
    elif palette.shape == "diverging":
        results.append(CheckResult("lightness_flips", flips, 1, flips == 1, "= 1"))
        turn_pos = float(t[turn]) if turn >= 0 else math.nan
        results.append(
            CheckResult("turn_position", turn_pos, 0.5, bool(0.4 <= turn_pos <= 0.6), "0.4 to 0.6")
        )
        results.append(_le("end_balance", abs(float(light[-1] - light[0])), 0.05))
    else:
        results.append(_le("closure", float(delta_e(lab[0], lab[-1])), 0.01))
    if palette.shape != "cyclic":
        results.append(_ge("lightness_range", float(light.max() - light.min()), 0.2))

    # kinks: turning angle between chords 1/32 of the ramp long either side of each entry
    h = round((n - 1) / 32)
    before = lab[h:-h] - lab[:-2 * h]
    after = lab[2 * h :] - lab[h:-h]
    norms = np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1)
    valid = norms > 1e-12
    cosang = np.sum(before * after, axis=1)[valid] / norms[valid]
    kink = float(np.degrees(np.arccos(np.clip(cosang, -1.0, 1.0))).max()) if np.any(valid) else 0.0
    results.append(_le("kink_angle", kink, 45.0))

    linear = np.clip(oklab_to_linear(lab), 0.0, 1.0)
    for kind in ("protan", "deutan", "tritan"):
        seen = linear_to_oklab(simulate_cvd(linear, kind))  # type: ignore[arg-type]
        cwin = _windows(seen, cyclic=palette.shape == "cyclic")
        results.append(_ge(f"cvd_{kind}", float(cwin.min()), JND))

    if arousal is not None and arousal < -0.3:
        results.append(_le("calm_contrast", abs(float(light[-1] - light[0])), 0.45))

    return PaletteReport(tuple(results), palette.lut_sha256)


def warn_if_failing(
    palette: Palette, where: str, *, arousal: float | None = None, stacklevel: int = 2
) -> PaletteReport:
    """Run :func:`check` and issue one :class:`PaletteWarning` listing any failed checks.

    ``where`` names the palette in the message (e.g. the mood file's path).
    """
    report = check(palette, arousal=arousal)
    if not report.ok:
        failed = "; ".join(f"{c.name} {c.value:.4g} (needs {c.rule})" for c in report.failures)
        warnings.warn(
            PaletteWarning(f"{where}: palette fails ramp checks: {failed}"), stacklevel=stacklevel
        )
    return report


def sine_ramp(height: int = 256, width: int = 512, amplitude: float = 12.5 / 255,
              wavelength: int = 8, power: float = 2.0) -> NDArray[np.float64]:
    """Kovesi's sine-ramp test image: a ramp with a sine wave whose amplitude fades downwards.

    Following Kovesi (2015, arXiv:1509.03700): a 0–1 ramp across the width carries a sine of
    ``amplitude`` (12.5/255 ≈ 10 % peak-to-trough) and ``wavelength`` pixels; the amplitude is
    scaled by ``((height - 1 - r) / (height - 1)) ** power`` from full at the top row to zero
    at the bottom, and each row is then normalised to span exactly [0, 1]. Through a good
    colour map the sine is equally visible across the width and the bottom shows no features.

    Returns
    -------
    ndarray, shape (height, width), float64 in [0, 1]

    Examples
    --------
    >>> img = sine_ramp(64, 256)
    >>> img.shape, float(img.min()), float(img.max())
    ((64, 256), 0.0, 1.0)
    """
    height = validate.integer(height, "height", 2)
    wavelength = validate.integer(wavelength, "wavelength", 1)
    width = validate.integer(width, "width", 2 * wavelength)
    amplitude = validate.number(amplitude, "amplitude", 0.0, 0.5)
    power = validate.number(power, "power", 0.0)
    x = np.arange(width, dtype=np.float64)
    wave = amplitude * np.sin(2.0 * np.pi * x / wavelength)
    fade = ((height - 1 - np.arange(height, dtype=np.float64)) / (height - 1)) ** power
    ramp = x / (width - 1) * (1.0 - 2.0 * amplitude) + amplitude
    img = ramp[None, :] + fade[:, None] * wave[None, :]
    img -= img.min(axis=1, keepdims=True)
    img /= img.max(axis=1, keepdims=True)
    return img


def ramp_image(palette: Palette, width: int = 512, ramp_height: int = 64,
               sine_height: int = 256) -> NDArray[np.uint8]:
    """The palette as a horizontal ramp above Kovesi's sine-ramp test image.

    Returns
    -------
    ndarray, shape (ramp_height + sine_height, width, 3), uint8 sRGB

    Examples
    --------
    >>> from wiktoria.colour.ramp import Palette
    >>> ramp_image(Palette.from_colors(["#000", "#fff"]), 128, 16, 32).shape
    (48, 128, 3)
    """
    width = validate.integer(width, "width", 2)
    ramp_height = validate.integer(ramp_height, "ramp_height", 0)
    strip = np.broadcast_to(np.linspace(0.0, 1.0, width), (ramp_height, width))
    return np.concatenate([palette(strip), palette(sine_ramp(sine_height, width))], axis=0)
