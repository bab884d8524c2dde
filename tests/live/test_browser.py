"""The page of ``wiktoria live`` in a real headless Chromium: frames arrive and are drawn, a
slider changes the scene, an error in the sketch shows over the last good painting.

Skipped when no Chromium is installed, unless ``WIKTORIA_REQUIRE_BROWSER`` is set (CI sets it
and installs Debian's ``chromium``): then a missing browser fails.
"""

from __future__ import annotations

import os
import time
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the live extra is not installed")
import httpx

from tests.live.cdp import Chromium, find_chromium
from tests.live.conftest import running, write_atomic, write_sketch

CHROMIUM = find_chromium()
if CHROMIUM is None and not os.environ.get("WIKTORIA_REQUIRE_BROWSER"):
    pytest.skip("no chromium on PATH (apt-get install chromium; CI sets "
                "WIKTORIA_REQUIRE_BROWSER and installs it)", allow_module_level=True)


@pytest.fixture
def browser(tmp_path: Path):
    assert CHROMIUM is not None, "WIKTORIA_REQUIRE_BROWSER is set but chromium is not on PATH"
    profile = tmp_path / "profile"
    profile.mkdir()
    with Chromium(CHROMIUM, profile) as chromium:
        yield chromium


def test_the_page_plays_frames_and_a_slider_changes_the_scene(tmp_path: Path,
                                                              browser: Chromium) -> None:
    work = tmp_path / "work"
    work.mkdir()
    write_sketch(work, 0.1)
    with running(["sketch.py", "--size", "96x64", "--preview", "64"], work) as live, \
            httpx.Client(base_url=live.url, timeout=120) as client:
        browser.open(live.url + "/")
        browser.wait_for("window.wiktoriaFrames >= 3")
        assert browser.evaluate("document.querySelector('canvas#frame').width") == 64
        lit = browser.evaluate("""(() => {
            const c = document.querySelector('canvas#frame');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] + d[i + 1] + d[i + 2];
            return s; })()""")
        assert lit > 0, "the canvas stayed black"
        assert browser.evaluate("document.getElementById('error').style.display") == "none"

        # Move a slider as a user does: set it, fire 'input'.
        version = browser.evaluate("window.wiktoriaState.version")
        value = browser.evaluate("""(() => {
            const s = document.querySelector('[data-key="live-tint.amount"]');
            s.value = 0.25; s.dispatchEvent(new Event('input', {bubbles: true}));
            return parseFloat(s.value); })()""")
        assert value == pytest.approx(0.25)
        browser.wait_for(f"window.wiktoriaState.version > {version}")
        scene = tomllib.loads(client.get("/scene.toml").text)  # a layer of the sketch's own
        assert scene["layers"][-1] == {"type": "live-tint", "position": 0.1,
                                       "amount": pytest.approx(0.25)}
        frames = browser.evaluate("window.wiktoriaFrames")
        browser.wait_for(f"window.wiktoriaFrames > {frames + 2}")

        # The seed's "next" button.
        seed = scene["canvas"]["seed"]
        browser.evaluate("document.getElementById('seed-next').click()")
        browser.wait_for(f"window.wiktoriaState.seed === {seed + 1}")

        # The mood: a point of the pad (its top right corner is (1, 1)), then a named mood.
        browser.evaluate("""(() => {
            const pad = document.getElementById('pad'), r = pad.getBoundingClientRect();
            pad.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true,
                clientX: r.left + 0.75 * r.width, clientY: r.top + 0.25 * r.height}));
            window.dispatchEvent(new PointerEvent('pointerup', {bubbles: true})); })()""")
        browser.wait_for("window.wiktoriaState.mood.valence === 0.5")
        assert browser.evaluate("window.wiktoriaState.mood.arousal") == pytest.approx(0.5)
        browser.evaluate("""(() => { const s = document.getElementById('mood');
            s.value = 'aloof'; s.dispatchEvent(new Event('change')); })()""")
        browser.wait_for("window.wiktoriaState.mood.name === 'aloof'")

        # A broken sketch: the error over the painting; frames of the last good one go on.
        sketch = work / "sketch.py"
        write_atomic(sketch, sketch.read_text() + "\nthis is not python(\n")
        browser.wait_for("document.getElementById('error').style.display === 'block'")
        assert "SyntaxError" in browser.evaluate("document.getElementById('error').textContent")
        frames = browser.evaluate("window.wiktoriaFrames")
        browser.wait_for(f"window.wiktoriaFrames > {frames + 2}")


def test_frames_per_second_in_the_browser(tmp_path: Path, browser: Chromium) -> None:
    """How many frames a page draws per second at a small preview (printed, not asserted
    against a rate: the machine may be busy)."""
    with running(["--mood", "serene", "--seed", "1", "--size", "96x64", "--preview", "64"],
                 tmp_path) as live:
        browser.open(live.url + "/")
        browser.wait_for("window.wiktoriaFrames >= 2")
        start, t0 = browser.evaluate("window.wiktoriaFrames"), time.monotonic()
        time.sleep(3)
        drawn = browser.evaluate("window.wiktoriaFrames") - start
        print(f"\nheadless Chromium drew {drawn / (time.monotonic() - t0):.1f} frames/s")
        assert drawn > 0
