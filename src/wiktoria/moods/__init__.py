"""Moods: the mood record, the registry of shipped and user moods, ``mood_at`` and ``blend``.

* :mod:`wiktoria.moods.mood`: the records, :class:`Mood` and :class:`Motion`;
* :mod:`wiktoria.moods.moodfile`: the mood file format (TOML), read and written;
* :mod:`wiktoria.moods.registry`: finding moods by name, placing them on the valence-arousal
  plane, blending them, palette import and export;
* :mod:`wiktoria.moods.userdirs`: where the shipped and the user's mood files live.

Note that ``wiktoria.moods`` (the top-level package attribute) is the function :func:`moods`;
import this package's other names with ``from wiktoria.moods import ...``.
"""

from wiktoria.moods.mood import Mood, MoodFileError, MoodFileWarning, Motion
from wiktoria.moods.moodfile import load_mood, mood_from_dict, parse_mood
from wiktoria.moods.palettes import (
    estimate_affect,
    export_palette,
    import_palette,
    remove_palette,
    save_palette_png,
)
from wiktoria.moods.registry import (
    MOOD_SIGMA,
    MoodShadowWarning,
    UnknownMoodError,
    all_moods,
    blend,
    mood,
    mood_at,
    moods,
    resolve_mood,
)

__all__ = ["MOOD_SIGMA", "Mood", "MoodFileError", "MoodFileWarning", "MoodShadowWarning",
           "Motion", "UnknownMoodError", "all_moods", "blend", "estimate_affect", "export_palette",
           "import_palette", "load_mood", "mood", "mood_at", "mood_from_dict", "moods",
           "parse_mood", "remove_palette", "resolve_mood", "save_palette_png"]
