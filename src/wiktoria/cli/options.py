"""The CLI's option syntax: ``WIDTHxHEIGHT``, ``--set LAYER.PARAM=VALUE``, seed lists, and
shell completion of moods, styles and ``--set`` keys.

The library takes tuples, dicts and lists; the text forms are parsed here, and only here.
"""

from __future__ import annotations

import re
from typing import Any

import click
from click.shell_completion import CompletionItem

__all__ = ["MOOD_HELP", "SIZE", "SizeType", "complete_mood", "complete_set", "complete_style",
           "encoder_options", "is_sweep", "one_mood", "parse_overrides", "parse_seeds",
           "parse_size", "worker_options"]

MOOD_HELP = "Mood: a name or alias, a .toml mood file, or 'valence,arousal' such as 0.3,-0.5."

#: Most seeds in a comma list.
MAX_SEEDS = 10_000
_SEED_END = 2**63
_SEEDS_HELP = "use N, A..B (inclusive, e.g. 0..99) or a comma list such as 1,5,9"


# --------------------------------------------------------------------------- sizes

# ASCII digits only: str.isdigit() (and re's \d) accept '²' or '①', which int() refuses.
_SIZE_RE = re.compile(r"\s*([0-9]+)\s*[xX×]\s*([0-9]+)\s*", re.ASCII)
_MAX_DIGITS = 18
_SEEDS_RE = re.compile(r"([0-9]+)(?:\s*\.\.\s*([0-9]+))?", re.ASCII)


def _short(text: str) -> str:
    """``repr(text)``, cut to 60 characters, for one-line messages."""
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def parse_size(value: str) -> tuple[int, int]:
    """Parse ``WIDTHxHEIGHT`` (e.g. ``1920x1080``) into ``(width, height)``.

    Examples
    --------
    >>> parse_size("1920x1080"), parse_size("64×48")
    ((1920, 1080), (64, 48))
    """
    m = _SIZE_RE.fullmatch(value)
    if m is None:
        raise click.BadParameter(f"{_short(value)} is not WIDTHxHEIGHT, e.g. 1920x1080")
    sides = [side.lstrip("0") or "0" for side in m.groups()]
    for side in sides:
        if len(side) > _MAX_DIGITS:  # int() of a huge run of digits is slow, then refused
            raise click.BadParameter(f"{_short(value)}: a side of {len(side)} digits is far too "
                                     "large")
    return int(sides[0]), int(sides[1])


class SizeType(click.ParamType):
    """click parameter type for ``WIDTHxHEIGHT``."""

    name = "WIDTHxHEIGHT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        try:
            return parse_size(str(value))
        except click.BadParameter as exc:
            self.fail(exc.message, param, ctx)


SIZE = SizeType()


# --------------------------------------------------------------------------- shared options


def _apply(func: Any, options: list[Any]) -> Any:
    for option in reversed(options):
        func = option(func)
    return func


def _note_jobs(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """``--jobs`` above the usable CPUs: a one-line note (the library caps it)."""
    note_jobs(value)
    return value


def note_jobs(value: int | None) -> None:
    """Say in one line that ``--jobs value`` is capped at the CPUs this process may use."""
    from wiktoria.common.parallel import usable_cpus

    cpus = usable_cpus()
    if value is not None and value > cpus:
        click.echo(f"Note: --jobs {value} is more than the {cpus} CPUs this process may use; "
                   f"using at most {cpus} worker processes", err=True)


def worker_options(what: str) -> Any:
    """``--jobs``/``-j`` (worker processes for ``what``) and ``--quiet``/``-q``."""
    return lambda func: _apply(func, [
        click.option("--jobs", "-j", type=int, default=None, callback=_note_jobs,
                     help=f"Worker processes{what}, at most the usable CPUs  [default: all "
                          "cores, as many as fit in memory]"),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ])


def encoder_options(note: str = "") -> Any:
    """``--dither`` (GIF) and ``--quality`` (WebP, MP4), with ``note`` after each help text."""
    return lambda func: _apply(func, [
        click.option("--dither", type=click.Choice(["none", "ordered", "floyd"]), default=None,
                     help=f"GIF dithering{note}  [default: none]"),
        click.option("--quality", type=int, default=None,
                     help=f"WebP 1-99 lossy, 100 lossless; MP4 1-100 (x264 CRF 51 - 0.35 x "
                          f"quality){note}  [default: WebP 82, MP4 80 = CRF 23]"),
    ])


# --------------------------------------------------------------------------- --set


def parse_overrides(items: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Parse ``--set`` values ``["strata.count=5", "sky.warp=2.5"]`` into a dict.

    Values are read as int, then float, then ``true``/``false``, else kept as text (the layer
    then rejects what it cannot take, naming the key).

    Examples
    --------
    >>> parse_overrides(["strata.count=5", "sky.warp = 2.5", "x.y=true"])
    {'strata.count': 5, 'sky.warp': 2.5, 'x.y': True}
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip() or not raw.strip():
            raise ValueError(f"--set expects LAYER.PARAM=VALUE, e.g. strata.count=5, got {item!r}")
        text = raw.strip()
        value: Any
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                value = {"true": True, "false": False}.get(text.lower(), text)
        out[key.strip()] = value
    return out


# --------------------------------------------------------------------------- seeds


def is_sweep(text: str | None) -> bool:
    """Whether a ``--seed`` value names several seeds (a range or a list)."""
    return text is not None and (".." in text or "," in text)


def parse_seeds(text: str) -> range | list[int]:
    """Parse a seed list: ``"7"``, ``"0..99"`` (inclusive, as vsketch) or ``"1,5,9"``.

    Items of a comma list may be ranges too (``"0..3,10"``).

    Returns
    -------
    range or list of int
        A range for ``N`` or ``A..B``; a list for a comma list.

    Raises
    ------
    ValueError
        Garbage, a negative or too large seed (seeds go from 0 to 2**63-1), an empty range
        (``9..3``), a repeated seed, or more than :data:`MAX_SEEDS` seeds in a sweep (a range
        or a comma list; counted without building them); one line naming the value and the
        accepted forms.

    Examples
    --------
    >>> parse_seeds("0..99"), parse_seeds("7"), parse_seeds("1, 5, 9")
    (range(0, 100), range(7, 8), [1, 5, 9])
    """
    if not isinstance(text, str):
        raise TypeError(f"seeds must be given as text ({_SEEDS_HELP}), got "
                        f"{type(text).__name__}")
    items = [item.strip() for item in text.split(",")]
    if len(items) > MAX_SEEDS:
        raise ValueError(f"{_short(text)} names more than {MAX_SEEDS} seeds; a sweep takes at "
                         f"most {MAX_SEEDS}")
    parts: list[range] = []
    count = 0
    for item in items:
        m = _SEEDS_RE.fullmatch(item)
        if m is None:
            detail = f" ({_short(item)} is not a seed or range)" if len(items) > 1 else ""
            raise ValueError(f"{_short(text)} is not a seed list{detail}; {_SEEDS_HELP}")
        digits = [g.lstrip("0") or "0" for g in m.groups() if g is not None]
        for d in digits:
            if len(d) > 19 or int(d) >= _SEED_END:
                shown = d if len(d) <= 30 else f"{d[:12]}...({len(d)} digits)"
                raise ValueError(f"seed {shown} in {_short(text)} is too large: seeds go from "
                                 "0 to 2**63-1")
        a = int(digits[0])
        b = int(digits[1]) if len(digits) > 1 else a
        if b < a:
            raise ValueError(f"seed range {_short(item)} is empty: write the smaller seed "
                             f"first, e.g. {b}..{a}")
        count += b - a + 1  # len(range) overflows beyond 2**63-1 seeds
        if count > MAX_SEEDS and (len(items) > 1 or a != b):
            raise ValueError(f"{_short(text)} names more than {MAX_SEEDS} seeds; a sweep takes "
                             f"at most {MAX_SEEDS}")
        parts.append(range(a, b + 1))
    if len(parts) == 1:
        return parts[0]
    out: list[int] = []
    seen: set[int] = set()
    for p in parts:
        for s in p:
            if s in seen:
                raise ValueError(f"seed {s} appears twice in {_short(text)}")
            seen.add(s)
            out.append(s)
    return out


# --------------------------------------------------------------------------- moods


def one_mood(name: str | None, option: str | None) -> str:
    """The mood given either as the MOOD argument or with ``--mood``, exactly once."""
    if name is not None and option is not None:
        raise click.UsageError("give the mood once: as MOOD or with --mood")
    if name is None and option is None:
        raise click.UsageError("missing MOOD: a name, a .toml file or --mood VALENCE,AROUSAL")
    return name if name is not None else option  # type: ignore[return-value]


# --------------------------------------------------------------------------- completion


def complete_mood(ctx: click.Context, param: click.Parameter,
                  incomplete: str) -> list[CompletionItem]:
    """Mood names starting with ``incomplete`` (``--mood``, ``--to``, ``MOOD``)."""
    from wiktoria.moods import all_moods

    try:
        found = all_moods()
    except (ValueError, OSError):  # a broken user mood file: complete nothing, quietly
        return []
    start = incomplete.lower()
    return [CompletionItem(m.name, help=f"valence {m.valence:+.2f}, arousal {m.arousal:+.2f}")
            for m in found if m.name.startswith(start)]


def complete_style(ctx: click.Context, param: click.Parameter,
                   incomplete: str) -> list[CompletionItem]:
    """Style names starting with ``incomplete`` (``--style``)."""
    from wiktoria.scene.styles import STYLES

    return [CompletionItem(name) for name in STYLES if name.startswith(incomplete)]


def complete_set(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
    """``--set`` keys (``composition.layout=``, ``land.octaves=``) of the default scene of the
    chosen ``--style``."""
    from dataclasses import fields

    from wiktoria.render.painting import build_scene

    if "=" in incomplete:
        return []
    style = ctx.params.get("style") or "landscape"
    try:
        scene, _ = build_scene("seething", (16, 16), 0, style)
    except (ValueError, TypeError, OSError):
        return []
    items = []
    if scene.composition is not None:
        for info in scene.composition.describe():
            key = f"composition.{info.name}"
            if key.startswith(incomplete):
                items.append(CompletionItem(f"{key}=", help=info.doc or None))
    for layer in scene.layers:
        docs = {f.name: f.metadata.get("doc", "") for f in fields(layer)}
        for name in layer.params():
            key = f"{layer.type}.{name}"
            if key.startswith(incomplete):
                items.append(CompletionItem(f"{key}=", help=docs.get(name) or None))
    return items
