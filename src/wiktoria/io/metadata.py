"""The scene inside Wiktoria's files: metadata keys, and writing and reading the embedded scene.

Every file Wiktoria writes carries the scene it was rendered from, as TOML:

========  ==============================================================================
PNG       iTXt chunks ``wiktoria:scene`` and ``wiktoria:mood`` (zipped), tEXt
          ``wiktoria:version`` and ``Software``: stills, frames and APNG loops alike
JPEG      the scene as the JPEG comment
GIF       the scene as the comment extension (``Image.open(p).info["comment"]``)
WebP      (animations) an XMP packet whose ``dc:description`` is the scene
MP4       ``-metadata comment=...`` (the ``©cmt`` atom; ``ffprobe``/``ffmpeg -i`` show it)
========  ==============================================================================

:func:`read_scene` reads any of them (and scene ``.toml`` files) back into a
:class:`~wiktoria.scene.Scene`; :func:`read_source` also says whether the file is an animation.
Only the header of a file is read, never its pixels, and no text over 1 MiB
(:mod:`wiktoria.io.headers`): these files are untrusted input.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import PngImagePlugin

from wiktoria.common.version import __version__
from wiktoria.io.headers import MAX_TEXT_BYTES, open_input, read_header, read_text
from wiktoria.moods.mood import Mood
from wiktoria.moods.moodfile import parse_mood
from wiktoria.scene import Scene

__all__ = [
    "MOOD_KEY",
    "SCENE_KEY",
    "VERSION_KEY",
    "Embedded",
    "SceneSource",
    "embedded",
    "embedded_scene",
    "png_info",
    "read_scene",
    "read_source",
    "scene_from_xmp",
    "xmp_packet",
]

#: PNG text chunk holding the scene TOML.
SCENE_KEY = "wiktoria:scene"
#: PNG text chunk holding the mood TOML (so a mood not installed here still reproduces).
MOOD_KEY = "wiktoria:mood"
#: PNG text chunk holding the Wiktoria version.
VERSION_KEY = "wiktoria:version"

MP4_EXTRA_MESSAGE = "MP4 needs the optional extra: pip install 'wiktoria[mp4]'"


# --------------------------------------------------------------------------- writing


def png_info(scene_toml: str, mood_toml: str | None = None,
             extra: Mapping[str, str] | None = None) -> PngImagePlugin.PngInfo:
    """PNG text chunks: the scene, the mood definition and the version (UTF-8, zipped).

    Examples
    --------
    >>> info = png_info('mood = "serene"\\n')
    >>> [data.split(b"\\0")[0] for _, data, *_ in info.chunks]
    [b'wiktoria:scene', b'wiktoria:version', b'Software']
    """
    info = PngImagePlugin.PngInfo()
    info.add_itxt(SCENE_KEY, scene_toml, zip=True)
    if mood_toml is not None:
        info.add_itxt(MOOD_KEY, mood_toml, zip=True)
    info.add_text(VERSION_KEY, __version__)
    info.add_text("Software", f"Wiktoria {__version__}")
    for k, v in (extra or {}).items():
        info.add_itxt(k, v, zip=True)
    return info


def _escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities: what ``xml.sax.saxutils.escape`` does, without
    importing it (it imports ``urllib.request`` and ``http.client``)."""
    return html.escape(text, quote=False)


def xmp_packet(scene_toml: str) -> bytes:
    """An XMP packet whose ``dc:description`` is the scene TOML (UTF-8).

    Examples
    --------
    >>> scene_from_xmp(xmp_packet('mood = "a<b"\\n'))
    'mood = "a<b"\\n'
    """
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f"   <xmp:CreatorTool>Wiktoria {_escape(__version__)}</xmp:CreatorTool>\n"
        "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"
        f"{_escape(scene_toml)}</rdf:li></rdf:Alt></dc:description>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()


# --------------------------------------------------------------------------- reading


def scene_from_xmp(xmp: bytes | str) -> str | None:
    """The ``dc:description`` of an XMP packet (the scene Wiktoria put there), or None."""
    import xml.etree.ElementTree as ET

    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else xmp
    start, end = text.find("<x:xmpmeta"), text.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        return None
    try:
        root = ET.fromstring(text[start:end + len("</x:xmpmeta>")])
    except ET.ParseError:
        return None
    rdf = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
    for desc in root.iter("{http://purl.org/dc/elements/1.1/}description"):
        for li in desc.iter(f"{rdf}li"):
            return li.text or ""
    return None


@dataclass(frozen=True)
class Embedded:
    """What a Wiktoria file carries: its scene and mood TOML, and whether it is animated."""

    scene: str | None
    mood: str | None
    animated: bool


def embedded(path: str | os.PathLike[str]) -> Embedded:
    """The scene and mood TOML a file written by Wiktoria carries (None where it has none).

    Only the file's header is read, never its pixels (see :mod:`wiktoria.io.headers`): the
    format is found by the file's signature; texts over 1 MiB, a zip bomb, a truncated or
    corrupt header are refused.

    Raises
    ------
    ValueError
        The file does not exist, is not a regular file, is none of PNG, JPEG, GIF, WebP, MP4,
        or its header is truncated, corrupt or too big (one line).
    """
    name = str(path)
    with open_input(path) as f:
        head = read_header(f, name, frozenset((SCENE_KEY, MOOD_KEY)))
    if head.format == "PNG":
        return Embedded(head.texts.get(SCENE_KEY), head.texts.get(MOOD_KEY), head.animated)
    if head.format == "WEBP":
        xmp = head.texts.get("xmp")
        scene = scene_from_xmp(xmp) if xmp else None
        if scene is not None and len(scene.encode("utf-8")) > MAX_TEXT_BYTES:
            raise ValueError(f"{name!r}: its XMP scene is over {MAX_TEXT_BYTES // 2**20} MB; "
                             "a scene is at most that")
        return Embedded(scene, None, True)
    return Embedded(head.texts.get("comment"), None, head.animated)


def embedded_scene(path: str | os.PathLike[str]) -> str | None:
    """The scene TOML embedded in a PNG, JPEG, GIF, APNG, WebP or MP4 written by Wiktoria.

    Returns
    -------
    str or None
        The TOML text, or None when the file carries none (MP4 is read without ffmpeg).

    Examples
    --------
    >>> import tempfile, wiktoria
    >>> anim = wiktoria.animate("serene", size=(16, 8), frames=2, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     embedded_scene(anim.save(f"{d}/a.gif")) == anim.scene.to_toml()
    True
    """
    return embedded(path).scene


@dataclass(frozen=True)
class SceneSource:
    """A scene read from a file.

    Attributes
    ----------
    scene : Scene
    mood : Mood
        The scene's mood (the scene embeds it; for a 0.1 file, the mood embedded beside it or
        the registered mood its scene names).
    animated : bool
        The file is an animation (GIF, APNG, WebP, MP4), or a scene ``.toml`` with a
        ``[loop]`` table. A frame PNG of ``wiktoria frames`` has a ``[loop]`` but is a still.
    """

    scene: Scene
    mood: Mood
    animated: bool


def read_source(path: str | os.PathLike[str]) -> SceneSource:
    """The scene (and embedded mood) of a scene ``.toml`` file or of any file Wiktoria wrote.

    Raises
    ------
    ValueError
        The file does not exist, is not a regular file, is not one Wiktoria wrote, its scene
        (or mood) text is over 1 MiB, or its scene is malformed.

    Examples
    --------
    >>> import tempfile, wiktoria
    >>> anim = wiktoria.animate("serene", size=(16, 8), frames=2, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     source = read_source(anim.save(f"{d}/a.webp"))
    >>> source.animated, source.scene.loop.frames
    (True, 2)
    """
    p = Path(path)
    if p.suffix.lower() == ".toml":
        with open_input(p) as f:
            text = read_text(f, str(p), "scene")
        scene = Scene.from_toml(text, origin=str(p))
        return SceneSource(scene, scene.mood, scene.loop is not None)
    found = embedded(p)
    if found.scene is None:
        raise ValueError(f"{str(p)!r} carries no Wiktoria scene (no {SCENE_KEY!r} text chunk "
                         "or comment); only files written by Wiktoria or scene .toml files "
                         "can be read")
    # A 0.1 file named its mood in the scene and carried the mood's definition beside it;
    # a scene of 0.2 or later embeds its mood, and what is beside it is then ignored.
    mood = (parse_mood(found.mood, origin=f"{p} ({MOOD_KEY})")
            if found.mood is not None else None)
    scene = Scene.from_toml(found.scene, origin=f"{p} ({SCENE_KEY})", mood=mood)
    return SceneSource(scene, scene.mood, found.animated and scene.loop is not None)


def read_scene(path: str | os.PathLike[str]) -> tuple[Scene, Mood]:
    """The scene (and embedded mood) of a scene ``.toml`` file or a file Wiktoria wrote.

    Reads Wiktoria PNGs (stills, frames, APNG), GIF, WebP and MP4 loops, and JPEGs.

    Raises
    ------
    ValueError
        The file is not one written by Wiktoria, or its scene is malformed.

    Examples
    --------
    >>> import tempfile, pathlib, wiktoria
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = wiktoria.paint("serene", size=(32, 16), seed=3).save(pathlib.Path(d) / "a.png")
    ...     scene, mood = read_scene(path)
    >>> scene.seed, mood is not None
    (3, True)
    """
    source = read_source(path)
    return source.scene, source.mood
