"""Moods: find them by name, place them anywhere on the valence–arousal plane, blend them.

The moods are the mood files (see :mod:`wiktoria.moods.mood`) in the shipped ``palettes`` folder
and in the user's palette folders (:mod:`wiktoria.moods.userdirs`). A user's mood shadows a shipped
one with the same name or alias, with a :class:`MoodShadowWarning`.

Note that ``wiktoria.moods.registry`` (the package attribute) is the function :func:`moods`; import
this module's other names with ``from wiktoria.moods.registry import ...``.
"""

from __future__ import annotations

import difflib
import multiprocessing
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wiktoria.colour.ramp import mix
from wiktoria.common import validate
from wiktoria.moods.mood import Mood, MoodFileError, MoodFileWarning, Motion
from wiktoria.moods.moodfile import load_mood
from wiktoria.moods.prior import Prior
from wiktoria.moods.userdirs import shipped_palette_dir, user_palette_dirs

__all__ = [
    "MOOD_SIGMA",
    "MoodShadowWarning",
    "UnknownMoodError",
    "all_moods",
    "blend",
    "mood",
    "mood_at",
    "moods",
    "resolve_mood",
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


def _load_cached(path: Path, check: bool = True) -> Mood:
    """The mood in ``path``, read again only when the file changed. ``check``: run the ramp
    checks (the shipped moods skip them: ``tests/colour/test_palette.py`` holds every shipped
    palette to them, and running them on each start-up cost every command 10-20 ms)."""
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _FILE_CACHE.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    found = load_mood(path, check=check)
    _FILE_CACHE[path] = (stamp, found)
    return found


_WARNED: set[str] = set()


def _warn_once(message: str, category: type[Warning]) -> None:
    """Warn about a user's mood file once per process, and only in the main process: the
    render workers (child processes) build the registry again and must stay quiet."""
    if message in _WARNED or multiprocessing.parent_process() is not None:
        return
    _WARNED.add(message)
    warnings.warn(category(message), stacklevel=4)


def _scan(folder: Path, strict: bool) -> list[Mood]:
    """The moods in one folder, in file-name order.

    ``strict`` (the shipped folder): any problem is an error. Otherwise (a user's folder), a
    file that cannot be read (malformed, not UTF-8, not a regular file, a symlink loop) or that
    repeats a name or alias already in the folder is skipped with one warning.
    """
    try:
        if not folder.is_dir():
            return []
        paths = sorted(folder.glob("*.toml"))
    except OSError as exc:
        if strict:
            raise
        _warn_once(f"palette folder {str(folder)!r} cannot be read: {exc}", MoodFileWarning)
        return []
    found: list[Mood] = []
    owner: dict[str, Mood] = {}
    for path in paths:
        try:
            if not path.is_file():
                raise MoodFileError(str(path), None, None, "not a regular file")
            m = _load_cached(path.resolve(), check=not strict)
            for i, key in enumerate(m.keys):
                if key in owner:
                    other = owner[key]
                    field = "name" if i == 0 else f"aliases[{i - 1}]"
                    raise MoodFileError(str(path), field, key,
                                        f"duplicate: mood {other.name!r} in {other.path} has it")
        except (MoodFileError, OSError, RuntimeError) as exc:  # RuntimeError: symlink loops
            if strict:
                raise
            _warn_once(f"skipped {exc}" if isinstance(exc, MoodFileError)
                       else f"skipped {str(path)!r}: {exc}", MoodFileWarning)
            continue
        for key in m.keys:
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
        try:
            resolved = folder.resolve()
        except (OSError, RuntimeError):
            continue
        if resolved in seen_dirs:
            continue
        seen_dirs.add(resolved)
        for m in _scan(folder, strict=layer == 0):
            same = by_key.get(m.name)
            if same is not None and same.name != m.name:
                same = None  # the name is another mood's alias: a clash, not a shadow
            clash = next((k for k in m.keys if k in by_key and by_key[k] is not same), None)
            if clash is not None:
                other = by_key[clash]
                what = "name" if clash == m.name else "alias"
                _warn_once(f"skipped user mood {m.name!r} ({m.path}): its {what} {clash!r} "
                           f"belongs to the mood {other.name!r}; rename it", MoodShadowWarning)
                continue
            if same is not None:
                kind = "shipped" if layer_of[id(same)] == 0 else "user"
                _warn_once(f"user mood {m.name!r} ({m.path}) shadows the {kind} mood "
                           f"{same.name!r} ({same.path})", MoodShadowWarning)
                order.remove(same)
                for k in same.keys:
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
        prior=Prior.mix([m.prior for m in candidates], list(weights)),
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
        prior=Prior.mix([ma.prior, mb.prior], weights),
        description=f"{1 - tt:.0%} {ma.name}, {tt:.0%} {mb.name}",
        source=f"blend of {ma.name} ({ma.valence:+.2f}, {ma.arousal:+.2f}) and "
        f"{mb.name} ({mb.valence:+.2f}, {mb.arousal:+.2f}) at t = {tt:g}",
    )
