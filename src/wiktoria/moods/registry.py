"""Moods: find them by name, place them anywhere on the valence–arousal plane, blend them.

The moods are the mood files (see :mod:`wiktoria.moods.mood`) in the shipped ``palettes`` folder
and in the user's palette folders (:mod:`wiktoria.moods.userdirs`). A user's mood shadows a shipped
one with the same name or alias, with a :class:`MoodShadowWarning`.

Note that ``wiktoria.moods.registry`` (the package attribute) is the function :func:`moods`; import
this module's other names with ``from wiktoria.moods.registry import ...``.
"""

from __future__ import annotations

import difflib
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wiktoria.colour.formats import (
    EXPORT_FORMATS,
    read_palette_source,
    to_css,
    to_gpl,
    to_hex,
)
from wiktoria.colour.ramp import Palette, mix, ramp_image
from wiktoria.common import validate
from wiktoria.common.atomicio import atomic_path, atomic_write_text, check_output_dir
from wiktoria.moods.mood import Mood, MoodFileError, Motion
from wiktoria.moods.moodfile import load_mood
from wiktoria.moods.userdirs import shipped_palette_dir, user_palette_dirs

__all__ = [
    "MOOD_SIGMA",
    "MoodShadowWarning",
    "UnknownMoodError",
    "all_moods",
    "blend",
    "estimate_affect",
    "export_palette",
    "import_palette",
    "mood",
    "mood_at",
    "moods",
    "resolve_mood",
    "save_palette_png",
]

MOOD_SIGMA: float = 0.18
"""Width of the Gaussian weights of :func:`mood_at`, in valence–arousal units."""


class MoodShadowWarning(UserWarning):
    """A user's mood file replaces a shipped mood (or a lower-priority user mood)."""


class UnknownMoodError(LookupError):
    """No mood has this name or alias; the message lists the valid names."""


# --------------------------------------------------------------------------------------------
# the registry


@dataclass(frozen=True)
class _Registry:
    by_key: dict[str, Mood]
    ordered: tuple[Mood, ...]


_FILE_CACHE: dict[Path, tuple[tuple[int, int], Mood]] = {}


def _load_cached(path: Path) -> Mood:
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _FILE_CACHE.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    found = load_mood(path)
    _FILE_CACHE[path] = (stamp, found)
    return found


def _scan(folder: Path) -> list[Mood]:
    """The moods in one folder, checking names and aliases are unique within it."""
    if not folder.is_dir():
        return []
    found: list[Mood] = []
    owner: dict[str, Mood] = {}
    for path in sorted(folder.glob("*.toml")):
        m = _load_cached(path.resolve())
        for i, key in enumerate(m.keys):
            if key in owner:
                other = owner[key]
                field = "name" if i == 0 else f"aliases[{i - 1}]"
                raise MoodFileError(
                    str(path), field, key, f"duplicate: mood {other.name!r} in {other.path} has it"
                )
            owner[key] = m
        found.append(m)
    return found


def _registry() -> _Registry:
    by_key: dict[str, Mood] = {}
    layer_of: dict[int, int] = {}
    order: list[Mood] = []
    layers = [shipped_palette_dir(), *reversed(user_palette_dirs())]  # lowest priority first
    seen_dirs: set[Path] = set()
    for layer, folder in enumerate(layers):
        resolved = folder.resolve()
        if resolved in seen_dirs:
            continue
        seen_dirs.add(resolved)
        for m in _scan(folder):
            shadowed = {id(by_key[k]): by_key[k] for k in m.keys if k in by_key}
            for old in shadowed.values():
                kind = "shipped" if layer_of[id(old)] == 0 else "user"
                warnings.warn(
                    MoodShadowWarning(
                        f"user mood {m.name!r} ({m.path}) shadows the {kind} mood "
                        f"{old.name!r} ({old.path})"
                    ),
                    stacklevel=3,
                )
                order.remove(old)
                for k in old.keys:
                    by_key.pop(k, None)
            order.append(m)
            layer_of[id(m)] = layer
            for k in m.keys:
                by_key[k] = m
    order.sort(key=lambda m: m.name)
    return _Registry(by_key, tuple(order))


def moods() -> list[str]:
    """Names of all moods, shipped and the user's, sorted.

    Examples
    --------
    >>> "seething" in moods()
    True
    """
    return [m.name for m in _registry().ordered]


def all_moods() -> list[Mood]:
    """All moods, shipped and the user's, sorted by name."""
    return list(_registry().ordered)


def mood(name: str) -> Mood:
    """The mood with this name or alias (case-insensitive).

    Raises
    ------
    UnknownMoodError
        Listing the valid names and the nearest match ("did you mean 'seething'?").

    Examples
    --------
    >>> mood("Serene").name
    'serene'
    >>> mood("seethin")
    Traceback (most recent call last):
    ...
    wiktoria.moods.registry.UnknownMoodError: unknown mood 'seethin'; did you mean 'seething'? ...
    """
    if not isinstance(name, str):
        raise TypeError(f"a mood name must be a string, got {type(name).__name__} {name!r}")
    reg = _registry()
    key = name.strip().casefold()
    if key in reg.by_key:
        return reg.by_key[key]
    names = [m.name for m in reg.ordered]
    close = difflib.get_close_matches(key, list(reg.by_key), n=1, cutoff=0.6)
    hint = f"did you mean {reg.by_key[close[0]].name!r}? " if close else ""
    raise UnknownMoodError(
        f"unknown mood {name!r}; {hint}valid moods: {', '.join(names) or '(none)'}"
    )


_VA_RE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*,\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*$")


def resolve_mood(spec: str | Mood, *, files: bool = True) -> Mood:
    """Turn what a user typed into a mood.

    Parameters
    ----------
    spec : str or Mood
        A :class:`Mood` (returned as is); a name or alias; a path to a ``.toml`` mood file
        (anything ending in ``.toml`` or containing a path separator); or ``"valence,arousal"``
        such as ``"0.3,-0.5"`` (see :func:`mood_at`).
    files : bool
        Whether ``spec`` may be a path. Scenes resolve with ``files=False``: nothing read from
        a file makes Wiktoria open another file.

    Examples
    --------
    >>> resolve_mood("0.3,-0.5").name
    'at+0.30-0.50'
    >>> resolve_mood("calm").name
    'serene'
    """
    if isinstance(spec, Mood):
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"a mood must be a name, path, 'valence,arousal' or Mood, got {spec!r}")
    match = _VA_RE.match(spec)
    if match:
        return mood_at(float(match.group(1)), float(match.group(2)))
    text = spec.strip()
    if text.lower().endswith(".toml") or "/" in text or os.sep in text:
        if not files:
            raise ValueError(f"mood {spec!r} is a path; a scene names a registered mood or "
                             "embeds the mood's data, never a file")
        return load_mood(text)
    if "," in text:
        raise ValueError(
            f"{spec!r} is not a mood: give a name, a .toml file or 'valence,arousal' numbers "
            "such as '0.3,-0.5'"
        )
    return mood(text)


# --------------------------------------------------------------------------------------------
# anywhere on the plane, and between moods


def _unit_number(value: object, what: str, lo: float, hi: float) -> float:
    return validate.number(value, what, lo, hi)


def mood_at(valence: float, arousal: float, *, sigma: float = MOOD_SIGMA) -> Mood:
    """A new mood for any point of the valence–arousal plane, blended from the nearest moods.

    Every mood gets the Gaussian weight ``exp(-d² / (2 sigma²))`` of its distance ``d`` to the
    point; palettes mix in OKLab (:func:`wiktoria.colour.ramp.mix`) and motion numerically
    (:meth:`Motion.mix`). All weights are positive and smooth in the point, so the result is
    continuous as the point moves. The new mood has the requested coordinates.

    Parameters
    ----------
    valence, arousal : float
        In ``[-1, 1]``.
    sigma : float
        Gaussian width; small values keep each mood's own colours near its point.

    Raises
    ------
    ValueError
        If a coordinate is outside ``[-1, 1]`` (the message names the value and the range).

    Examples
    --------
    >>> m = mood_at(0.3, -0.5)
    >>> m.valence, m.arousal, m.palette([0.0, 1.0]).shape
    (0.3, -0.5, (2, 3))
    """
    v = _unit_number(valence, "valence", -1.0, 1.0)
    a = _unit_number(arousal, "arousal", -1.0, 1.0)
    s = _unit_number(sigma, "sigma", 0.01, 10.0)
    candidates = all_moods()
    if not candidates:
        raise LookupError("there are no moods to blend")
    d2 = np.array([(m.valence - v) ** 2 + (m.arousal - a) ** 2 for m in candidates])
    weights = np.exp(-(d2 - d2.min()) / (2.0 * s * s))
    weights /= weights.sum()
    order = np.argsort(-weights)
    parts = ", ".join(
        f"{candidates[i].name} {weights[i]:.2f}" for i in order[:4] if weights[i] >= 0.005
    )
    return Mood(
        name=f"at{v:+.2f}{a:+.2f}",
        valence=v,
        arousal=a,
        palette=mix([m.palette for m in candidates], list(weights)),
        motion=Motion.mix([m.motion for m in candidates], list(weights)),
        description=f"Blended for valence {v:+.2f}, arousal {a:+.2f}: {parts}",
        source=f"mood_at({v:g}, {a:g}): Gaussian weights, sigma {s:g}, over all moods",
    )


def blend(a: str | Mood, b: str | Mood, t: float) -> Mood:
    """Mix two moods: ``t = 0`` gives ``a``, ``t = 1`` gives ``b``.

    Palettes mix in OKLab (:func:`wiktoria.colour.ramp.mix`), motion numerically
    (:meth:`Motion.mix`), affect linearly.

    Parameters
    ----------
    a, b : str or Mood
        Anything :func:`resolve_mood` accepts.
    t : float
        In ``[0, 1]``.

    Examples
    --------
    >>> blend("serene", "seething", 0.0) == mood("serene")
    True
    >>> blend("serene", "seething", 0.5).name
    'serene+seething@0.5'
    """
    ma, mb = resolve_mood(a), resolve_mood(b)
    tt = _unit_number(t, "t", 0.0, 1.0)
    if tt == 0.0:
        return ma
    if tt == 1.0:
        return mb
    weights = [1.0 - tt, tt]
    return Mood(
        name=f"{ma.name}+{mb.name}@{tt:.3g}",
        valence=(1.0 - tt) * ma.valence + tt * mb.valence,
        arousal=(1.0 - tt) * ma.arousal + tt * mb.arousal,
        palette=mix([ma.palette, mb.palette], weights),
        motion=Motion.mix([ma.motion, mb.motion], weights),
        description=f"{1 - tt:.0%} {ma.name}, {tt:.0%} {mb.name}",
        source=f"blend of {ma.name} ({ma.valence:+.2f}, {ma.arousal:+.2f}) and "
        f"{mb.name} ({mb.valence:+.2f}, {mb.arousal:+.2f}) at t = {tt:g}",
    )


# --------------------------------------------------------------------------------------------
# users' own palettes


def arousal_cue(palette: Palette) -> float:
    """Colour cue for arousal: mean OKLab chroma + (L max − L min) over the lookup table.

    Saturation and contrast are the arousal correlates that replicate across studies
    (Valdez & Mehrabian 1994; Wilms & Oberfeld 2018).
    """
    lab = palette.oklab_lut.astype(np.float64)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    return float(chroma.mean() + lab[:, 0].max() - lab[:, 0].min())


def estimate_affect(palette: Palette) -> tuple[float, float]:
    """Estimate ``(valence, arousal)`` from a palette's colours.

    Valence from mean OKLab lightness, arousal from :func:`arousal_cue` (the research note's
    correlates, §1.5), each by a straight line fitted to the shipped moods and clipped to
    ``[-1, 1]``. An estimate for importing palettes, not a measurement.
    """
    lab = palette.oklab_lut.astype(np.float64)
    valence = _VALENCE_FIT[0] + _VALENCE_FIT[1] * float(lab[:, 0].mean())
    arousal = _AROUSAL_FIT[0] + _AROUSAL_FIT[1] * arousal_cue(palette)
    return (round(min(max(valence, -1.0), 1.0), 2), round(min(max(arousal, -1.0), 1.0), 2))


# Least-squares lines over the 14 shipped moods (r = 0.77 for valence, 0.66 for arousal).
_VALENCE_FIT = (-1.263, 2.380)
_AROUSAL_FIT = (-0.883, 2.032)

_SLUG_RE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def import_palette(
    source: str,
    name: str,
    *,
    folder: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    sort: bool = True,
) -> Mood:
    """Turn a ``.gpl`` / ``.hex`` file or a coolors URL into a mood file in a user folder.

    Parameters
    ----------
    source : str
        Path of a ``.gpl`` or ``.hex`` file, or a coolors.co URL (read from the URL, not
        fetched).
    name : str
        The new mood's name: lowercase letters, digits, ``-`` and ``_``; also the file name.
    folder : path, optional
        Where to write; default: the first user palette folder (``$WIKTORIA_PALETTES`` or the
        platform's config folder), created if needed.
    overwrite : bool
        Replace an existing file of that name.
    sort : bool
        Order the colours dark to light (so the ramp's lightness is its structure); False keeps
        the source's order.

    Returns
    -------
    Mood
        As written, with ``path`` set. Valence and arousal are estimated from the colours
        (:func:`estimate_affect`) and marked as estimated in ``source``; motion follows from them.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     m = import_palette("https://coolors.co/03045e-0077b6-48cae4", "sea", folder=tmp)
    ...     m.path.name
    'sea.toml'
    """
    slug = name.strip().lower() if isinstance(name, str) else name
    if not isinstance(slug, str) or not _SLUG_RE.match(slug):
        raise ValueError(
            f"mood name {name!r} is not usable as a file name: use lowercase letters, digits, "
            "'-' and '_', starting with a letter"
        )
    imported = read_palette_source(source)
    colors = list(imported.colors)
    names = list(imported.names)
    palette = Palette.from_colors(colors, names=names)
    if sort:
        light = [float(s.lab[0]) for s in palette.stops]
        order = sorted(range(len(colors)), key=lambda i: light[i])
        colors = [colors[i] for i in order]
        names = [names[i] for i in order]
        palette = Palette.from_colors(colors, names=names)
    valence, arousal = estimate_affect(palette)
    new = Mood(
        name=slug,
        valence=valence,
        arousal=arousal,
        palette=palette,
        motion=Motion.for_affect(valence, arousal),
        description=f"Imported from {imported.origin}",
        source="estimated from the colours by wiktoria (valence from mean OKLab lightness, "
        "arousal from mean chroma plus lightness range); edit to taste",
    )
    target_dir = Path(folder) if folder is not None else user_palette_dirs()[0]
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{slug}.toml"
    if target.exists() and not overwrite:
        raise FileExistsError(f"mood file {str(target)!r} already exists; choose another name")
    check_output_dir(target)
    new.save(target)
    return load_mood(target)


# --------------------------------------------------------------------------------------------
# what the CLI shows


def export_palette(
    spec: str | Mood,
    fmt: str,
    *,
    output: str | os.PathLike[str] | None = None,
    samples: int | None = None,
) -> str:
    """A mood's palette as ``.gpl``, ``.hex`` or CSS text, written to ``output`` if given.

    Parameters
    ----------
    spec : str or Mood
        Anything :func:`resolve_mood` accepts.
    fmt : {"gpl", "hex", "css"}
    output : path, optional
        Written atomically.
    samples : int, optional
        Export this many evenly spaced colours instead of the stops.

    Examples
    --------
    >>> export_palette("serene", "css").startswith("linear-gradient(in oklab to right, #")
    True
    """
    if fmt not in EXPORT_FORMATS:
        choices = ", ".join(EXPORT_FORMATS)
        raise ValueError(f"unknown palette format {fmt!r}; choose one of {choices}")
    m = resolve_mood(spec)
    if fmt == "gpl":
        text = to_gpl(m.palette, m.name, samples)
    elif fmt == "hex":
        text = to_hex(m.palette, samples)
    else:
        text = to_css(m.palette, samples)
    if output is not None:
        atomic_write_text(output, text)
    return text


def save_palette_png(spec: str | Mood, output: str | os.PathLike[str], *, width: int = 512) -> Path:
    """Write a mood's ramp above Kovesi's sine-ramp test image as a PNG (atomically).

    The image is ``width`` wide: a 64-pixel ramp over a 256-pixel sine ramp
    (:func:`wiktoria.colour.ramp.ramp_image`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_palette_png("haunting", pathlib.Path(tmp) / "ramp.png").name
    'ramp.png'
    """
    width = validate.integer(width, "width", 64, 8192)
    from PIL import Image

    m = resolve_mood(spec)
    image = Image.fromarray(ramp_image(m.palette, width=width))
    with atomic_path(output) as tmp:
        image.save(tmp, format="PNG")
    return Path(output)
