"""The PNG writer (wiktoria.io.png): Pillow reads back every pixel and text, CRCs check out,
its own filter is undone by an independent decoder, and the zlib fallback writes the same
pixels."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import wiktoria
from wiktoria.io import png
from wiktoria.io.metadata import png_info
from wiktoria.io.still import png_bytes as still_png_bytes

MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """``(type, data)`` of every chunk, checking each CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, pos = [], 8
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        assert crc == zlib.crc32(body, zlib.crc32(kind)), kind
        out.append((kind, body))
        pos += 12 + n
    return out


def unfiltered(data: bytes) -> np.ndarray:
    """The pixels of one of our PNGs, decoded without Pillow: inflate, then undo each row's
    filter (only None and Sub are expected) with a running sum modulo 256."""
    parts = chunks(data)
    w, h, depth, colour, *_ = struct.unpack(">IIBBBBB", parts[0][1])
    assert depth == 8
    channels = {0: 1, 4: 2, 2: 3, 6: 4}[colour]
    raw = zlib.decompress(b"".join(body for kind, body in parts if kind == b"IDAT"))
    rows = np.frombuffer(raw, np.uint8).reshape(h, w * channels + 1)
    assert set(np.unique(rows[:, 0]).tolist()) <= {0, 1}
    filt = rows[:, 1:].reshape(h, w, channels).astype(np.int64)
    sub = rows[:, 0] == 1
    filt[sub] = np.cumsum(filt[sub], axis=1)
    return (filt % 256).astype(np.uint8)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
@pytest.mark.parametrize("shape", [(1, 1), (3, 1), (1, 7), (600, 37)])
def test_pillow_and_an_independent_decoder_read_back_every_pixel(
        channels: int, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(channels)
    pixels = rng.integers(0, 256, (*shape, channels), dtype=np.uint8)
    data = png.png_bytes(pixels[..., 0] if channels == 1 else pixels)
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == MODES[channels] and im.size == (shape[1], shape[0])
        back = np.asarray(im).reshape(pixels.shape)
    np.testing.assert_array_equal(back, pixels)
    np.testing.assert_array_equal(unfiltered(data), pixels)
    with Image.open(io.BytesIO(data)) as im:
        im.verify()  # Pillow's own CRC and structure check


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 300), w=st.integers(1, 40), channels=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_any_image_round_trips(h: int, w: int, channels: int, seed: int) -> None:
    pixels = np.random.default_rng(seed).integers(0, 256, (h, w, channels), dtype=np.uint8)
    np.testing.assert_array_equal(unfiltered(png.png_bytes(pixels)), pixels)


def test_image_data_spans_blocks_in_order() -> None:
    """Rows across several :data:`BLOCK_ROWS` blocks come back in order (a gradient that a
    misplaced block would break)."""
    h = 2 * png.BLOCK_ROWS + 5
    pixels = np.broadcast_to((np.arange(h) % 256).astype(np.uint8)[:, None, None],
                             (h, 9, 3)).copy()
    pixels[:, :, 1] = np.arange(9, dtype=np.uint8) * 20
    np.testing.assert_array_equal(unfiltered(png.png_bytes(pixels)), pixels)


def test_texts_come_first_and_pillow_reads_them() -> None:
    info = png_info('mood = "serene"\n# é\n', 'name = "x"\n')
    data = png.png_bytes(np.zeros((4, 5, 3), np.uint8), info)
    kinds = [k for k, _ in chunks(data)]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    first_image = kinds.index(b"IDAT")
    assert set(kinds[1:first_image]) == {b"iTXt", b"tEXt"}
    assert set(kinds[first_image:-1]) == {b"IDAT"}
    with Image.open(io.BytesIO(data)) as im:
        assert im.text["wiktoria:scene"] == 'mood = "serene"\n# é\n'
        assert im.text["wiktoria:mood"] == 'name = "x"\n'
        assert im.text["Software"].startswith("Wiktoria ")


def test_pairs_are_chunks_too() -> None:
    data = png.png_bytes(np.zeros((2, 2), np.uint8), [(b"tEXt", b"k\0v")])
    with Image.open(io.BytesIO(data)) as im:
        assert im.text == {"k": "v"}


def test_standard_zlib_writes_the_same_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    pixels = np.random.default_rng(5).integers(0, 256, (300, 21, 3), dtype=np.uint8)
    fast = png.png_bytes(pixels)
    monkeypatch.setattr(png, "_deflate", zlib)
    slow = png.png_bytes(pixels)
    np.testing.assert_array_equal(unfiltered(slow), pixels)
    np.testing.assert_array_equal(unfiltered(fast), pixels)


def test_deterministic_bytes() -> None:
    pixels = np.random.default_rng(9).integers(0, 256, (40, 30, 3), dtype=np.uint8)
    assert png.png_bytes(pixels) == png.png_bytes(pixels.copy())


def test_a_painting_writes_its_own_pixels_and_scene() -> None:
    p = wiktoria.paint("seething", size=(96, 54), seed=2)
    data = p.png_bytes()
    with Image.open(io.BytesIO(data)) as im:
        np.testing.assert_array_equal(np.asarray(im), np.asarray(p.image))
        assert im.text["wiktoria:scene"] == p.scene.to_toml()


def test_other_modes_are_written_by_pillow() -> None:
    im = Image.new("I;16", (3, 2), 1000)
    with Image.open(io.BytesIO(still_png_bytes(im, 'mood = "serene"\n'))) as back:
        assert back.mode.startswith("I") and back.getpixel((0, 0)) == 1000
        assert back.text["wiktoria:scene"] == 'mood = "serene"\n'


@pytest.mark.parametrize(("pixels", "message"), [
    (np.zeros((2, 2), np.float32), "PNG pixels must be uint8, got float32"),
    (np.zeros((2, 2, 5), np.uint8), r"must be \(height, width\) or \(height, width, 1-4\), "
                                    r"got shape \(2, 2, 5\)"),
    (np.zeros((0, 2, 3), np.uint8), r"got shape \(0, 2, 3\)"),
    (np.zeros(4, np.uint8), r"got shape \(4,\)"),
])
def test_bad_pixels_get_one_line(pixels: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message) as err:
        png.png_bytes(pixels)
    assert "\n" not in str(err.value)
