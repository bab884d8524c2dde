"""Reading scenes from untrusted files: headers only, bounded, one-line errors."""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageFile

import wiktoria
from tests.io import crafted
from wiktoria.io.encode import _png_chunks
from wiktoria.io.headers import MAX_TEXT_BYTES, open_input, read_header
from wiktoria.io.metadata import SCENE_KEY, embedded, read_source
from wiktoria.run.batch import render_frames

TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}


def chunk_order(data: bytes) -> list[bytes]:
    return [c for c, _ in _png_chunks(data)]


def assert_texts_before_image(data: bytes) -> None:
    order = chunk_order(data)
    first_image = min(order.index(c) for c in (b"IDAT", b"fcTL") if c in order)
    assert {c for c in order[:first_image] if c in TEXT_CHUNKS} == {b"iTXt", b"tEXt"}
    assert not TEXT_CHUNKS & set(order[first_image:])


# --------------------------------------------------------------------------- writing


def test_still_apng_and_frames_put_their_texts_before_the_image(tmp_path: Path) -> None:
    assert_texts_before_image(wiktoria.paint("serene", size=(16, 8), seed=1).png_bytes())
    anim = wiktoria.animate("serene", size=(16, 8), frames=3, seed=1)
    assert_texts_before_image(anim.save(tmp_path / "a.png").read_bytes())
    render_frames(anim, tmp_path / "frames", jobs=1)
    for p in (tmp_path / "frames").iterdir():
        assert_texts_before_image(p.read_bytes())


# --------------------------------------------------------------------------- no decoding


def refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the image was opened or decoded")


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "open", refuse)
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.mark.parametrize("ext", [".png", ".gif", ".webp", ".mp4", ".jpg", "still.png"])
def test_files_are_read_without_decoding(tmp_path: Path, ext: str) -> None:
    if ext == ".mp4":
        pytest.importorskip("imageio_ffmpeg")
    if ext in (".jpg", "still.png"):
        made: wiktoria.Painting | wiktoria.Animation = wiktoria.paint("serene", size=(16, 8),
                                                                     seed=1)
    else:
        made = wiktoria.animate("serene", size=(16, 8), frames=2, seed=1)
    path = made.save(tmp_path / f"a{ext}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Image, "open", refuse)
        mp.setattr(ImageFile.ImageFile, "load", refuse)
        source = read_source(path)
    assert source.scene == made.scene
    assert source.animated == isinstance(made, wiktoria.Animation)


def test_decompression_bomb_header_is_not_decoded(tmp_path: Path, no_decoding: None) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(crafted.scene_png(crafted.still_scene(), w=200_000, h=200_000))
    assert read_source(path).scene.canvas.width == 16


# --------------------------------------------------------------------------- bounded


def one_line_error(func: Callable[[], object], pattern: str) -> str:
    with pytest.raises(ValueError, match=pattern) as info:
        func()
    message = str(info.value)
    assert "\n" not in message and len(message) < 400
    return message


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_zip_bomb_scene_chunk(tmp_path: Path) -> None:
    bomb = crafted.itxt(SCENE_KEY, b" " * (200 * MAX_TEXT_BYTES))  # 200 MiB, ~200 KiB zipped
    path = write(tmp_path, "zip.png", crafted.png(bomb))
    one_line_error(lambda: read_source(path), r"^'.*zip\.png': its 'wiktoria:scene' chunk is "
                                              r"over 1 MB; a scene is at most that$")


def test_zip_bomb_mood_chunk(tmp_path: Path) -> None:
    data = crafted.png(crafted.itxt(SCENE_KEY, crafted.still_scene()),
                       crafted.itxt("wiktoria:mood", b"#" * (3 * MAX_TEXT_BYTES)))
    path = write(tmp_path, "m.png", data)
    one_line_error(lambda: read_source(path), r"'wiktoria:mood' chunk is over 1 MB")


def test_huge_uncompressed_chunk_is_refused_before_reading(tmp_path: Path) -> None:
    # the chunk claims 1.5 GiB: refused from its length, nothing read
    head = crafted.PNG_SIGNATURE + crafted.ihdr()
    claim = (1536 * 2**20).to_bytes(4, "big") + b"iTXt" + SCENE_KEY.encode() + b"\0\0\0\0\0"
    path = write(tmp_path, "big.png", head + claim + b"x" * 1000)
    one_line_error(lambda: read_source(path), r"'wiktoria:scene' chunk is over 1 MB")


def test_other_chunks_are_skipped_not_read(tmp_path: Path) -> None:
    big = crafted.chunk(b"tEXt", b"Comment\0" + b"x" * (3 * MAX_TEXT_BYTES))
    path = write(tmp_path, "c.png", crafted.png(big, crafted.itxt(SCENE_KEY,
                                                                  crafted.still_scene())))
    assert read_source(path).scene.canvas.width == 16


def test_huge_toml_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with open(path, "wb") as f:
        f.truncate(8 * 2**30)  # 8 GiB, sparse
    one_line_error(lambda: read_source(path), r"^'.*huge\.toml': its scene is over 1 MB")


def test_toml_at_the_limit_is_parsed(tmp_path: Path) -> None:
    text = crafted.still_scene().encode()
    path = write(tmp_path, "s.toml", text + b"#" * (MAX_TEXT_BYTES - len(text)))
    assert path.stat().st_size == MAX_TEXT_BYTES
    assert read_source(path).scene.canvas.width == 16


# --------------------------------------------------------------------------- broken files

SCENE = crafted.itxt(SCENE_KEY, "mood = 'serene'\n")
BROKEN: dict[str, tuple[bytes, str]] = {
    "empty.png": (b"", r"is not an image Wiktoria can read: it is empty$"),
    "text.png": (b"mood = 'serene'\n", r"it is not a PNG, JPEG, GIF, WebP or MP4 file$"),
    "signature.png": (crafted.PNG_SIGNATURE, r"it is truncated \(chunk header\)$"),
    "cut.png": ((crafted.PNG_SIGNATURE + crafted.ihdr() + SCENE)[:-9],
                r"it is truncated \(iTXt chunk\)$"),
    "cutbody.png": ((crafted.PNG_SIGNATURE + crafted.ihdr()
                     + crafted.itxt(SCENE_KEY, "x" * 300, zipped=False))[:-9],
                    r"it is truncated \('wiktoria:scene' chunk\)$"),
    "crc.png": (crafted.png(crafted.chunk(b"iTXt", SCENE[8:-4], crc=1)),
                r"'wiktoria:scene' chunk is corrupt \(CRC mismatch\)$"),
    "zlib.png": (crafted.png(crafted.chunk(b"iTXt", SCENE_KEY.encode() + b"\0\1\0\0\0garbage")),
                 r"'wiktoria:scene' chunk is corrupt \(Error -3"),
    "zlibcut.png": (crafted.png(crafted.chunk(b"iTXt", SCENE[8:-12])),
                    r"'wiktoria:scene' chunk is corrupt \(truncated zlib data\)$"),
    "latin.png": (crafted.png(crafted.itxt(SCENE_KEY, b"mood = '\xff'", zipped=False)),
                  r"'wiktoria:scene' chunk is not UTF-8 text \(byte 8\)$"),
    "method.png": (crafted.png(crafted.chunk(b"iTXt", SCENE_KEY.encode() + b"\0\1\7\0\0x")),
                   r"unknown compression method$"),
    "chunks.png": (crafted.png(crafted.chunk(b"tEXt", b"") * 10_001, SCENE),
                   r"too many chunks before the image data$"),
    "blocks.gif": (b"GIF89a" + b"\0" * 7 + b"!\x01\0" * 10_001, r"too many blocks before"),
    "cut.gif": (crafted.gif(b"x" * 600)[:300], r"it is truncated \(comment\)$"),
    "huge.gif": (crafted.gif(b"#" * (MAX_TEXT_BYTES + 10)), r"its comment is over 1 MB"),
    "block.gif": (b"GIF89a" + b"\0" * 7 + b"\x99", r"it is corrupt \(block 0x99\)$"),
    "cut.jpg": (crafted.jpeg(b"mood")[:5], r"it is truncated \(segment length\)$"),
    "cutcom.jpg": (crafted.jpeg(b"mood" * 100)[:40], r"it is truncated \(comment\)$"),
    "nocom.jpg": (crafted.jpeg(None), r"carries no Wiktoria scene"),
    "cut.webp": (crafted.riff((b"XMP ", b"x" * 100))[:50], r"truncated \(XMP packet\)$"),
    "huge.webp": (b"RIFF\xff\xff\xff\xffWEBPXMP \xff\xff\xff\x7f", r"XMP packet is over 1 MB"),
    "box.mp4": (crafted.box(b"ftyp", b"isom") + b"\xff\xff\xff\xf0free" + crafted.mp4(b"x"),
                r"box b'free' has a bad size$"),
    "cut.mp4": (crafted.mp4(b"x" * 100)[:60], r"bad size|truncated"),
    "nocmt.mp4": (crafted.mp4(None), r"carries no Wiktoria scene"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_are_one_line_errors(tmp_path: Path, name: str) -> None:
    data, pattern = BROKEN[name]
    path = write(tmp_path, name, data)
    message = one_line_error(lambda: read_source(path), pattern)
    assert message.startswith(repr(str(path)))


def test_gif_jpeg_webp_mp4_comments_are_read(tmp_path: Path) -> None:
    scene = crafted.loop_scene()
    files = {"a.gif": crafted.gif(scene.encode(), subblock=7),
             "a.webp": crafted.riff((b"VP8X", b"\0" * 10),
                                    (b"XMP ", wiktoria.io.metadata.xmp_packet(scene))),
             "a.mp4": crafted.mp4(scene.encode())}
    for name, data in files.items():
        assert embedded(write(tmp_path, name, data)).scene == scene
    assert embedded(write(tmp_path, "a.jpg", crafted.jpeg(b"x = 1"))).scene == "x = 1"


def test_special_inputs_are_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.png")  # would block a reader
    one_line_error(lambda: read_source(tmp_path / "fifo.png"), r"is not a regular file")
    (tmp_path / "dir.png").mkdir()
    one_line_error(lambda: read_source(tmp_path / "dir.png"), r"^'.*dir\.png' is a folder")
    (tmp_path / "a.png").symlink_to("b.png")
    (tmp_path / "b.png").symlink_to("a.png")
    one_line_error(lambda: read_source(tmp_path / "a.png"), r"^'.*a\.png' is a symlink loop$")
    one_line_error(lambda: read_source(tmp_path / "none.toml"), r"^'.*none\.toml' does not "
                                                                r"exist$")
    one_line_error(lambda: read_source("/dev/zero"), r"is not a regular file")


def test_read_header_reads_only_the_keys_asked(tmp_path: Path) -> None:
    data = crafted.png(crafted.itxt("other", "x" * 100), SCENE)
    with open_input(write(tmp_path, "a.png", data)) as f:
        assert read_header(f, "a.png", frozenset({SCENE_KEY})).texts == {
            SCENE_KEY: "mood = 'serene'\n"}


def test_compressed_size_of_a_bomb_is_small() -> None:
    """The zip bomb above really is one: ~200 KiB that would inflate to 200 MiB."""
    assert len(zlib.compress(b" " * (200 * MAX_TEXT_BYTES))) < 300_000
