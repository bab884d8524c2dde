"""wiktoria.explore(): the live page's controls and preview as a notebook widget (issue 16).

Built and driven from Python, as a notebook's kernel would: no browser or kernel needed (the
widgets' observers run synchronously; the preview thread is waited for)."""

from __future__ import annotations

import time

import numpy as np
import pytest

import wiktoria
from wiktoria.scene import Scene

pytest.importorskip("ipywidgets")


@pytest.fixture
def ex():  # type: ignore[no-untyped-def]
    e = wiktoria.explore("serene", seed=3, size=(240, 136), preview=96)
    assert e.wait()
    yield e
    e.close()


def layers(e) -> dict:  # type: ignore[no-untyped-def]
    return {layer.type: layer for layer in e.scene.layers}


def test_it_shows_a_preview_of_its_scene(ex) -> None:  # type: ignore[no-untyped-def]
    assert ex.preview.value[:2] == b"\xff\xd8"  # a JPEG
    assert "serene" in ex.status.value and "seed 3" in ex.status.value
    assert isinstance(ex.scene, Scene) and ex.scene.size == (240, 136)
    assert Scene.from_toml(ex.scene.to_toml()) == ex.scene
    assert "Explorer serene landscape seed 3" in repr(ex)


def test_a_control_moved_changes_the_scene_and_the_preview(ex) -> None:  # type: ignore[no-untyped-def]
    before = ex.preview.value
    ex._params["air.clouds"].value = 0.9  # as a person moving the slider
    assert ex.wait()
    assert layers(ex)["air"].clouds == pytest.approx(0.9)
    assert ex.preview.value != before


def test_seed_buttons_and_typed_seed(ex) -> None:  # type: ignore[no-untyped-def]
    prev, nxt, rnd = ex._top.children[2].children[1:]
    nxt.click()
    assert ex.scene.seed == 4 and ex.seed.value == 4
    prev.click()
    assert ex.scene.seed == 3
    ex.seed.value = 77
    assert ex.scene.seed == 77
    rnd.click()
    assert ex.scene.seed != 77 and ex.seed.value == ex.scene.seed
    assert ex.wait()


def test_a_new_mood_moves_the_layer_controls_with_it(ex) -> None:  # type: ignore[no-untyped-def]
    ex.mood.value = "seething"
    assert ex.scene.mood.name == "seething"
    assert ex._params["air.speed"].value == pytest.approx(layers(ex)["air"].speed)
    assert ex.valence.value == pytest.approx(ex.scene.mood.valence)
    ex.arousal.value = -0.5  # a point of the plane
    assert ex.scene.mood.arousal == pytest.approx(-0.5)
    assert ex.wait()


def test_a_new_style_rebuilds_the_layer_controls(ex) -> None:  # type: ignore[no-untyped-def]
    ex.style.value = "storm"
    assert ex.scene.style == "storm"
    assert any(k.startswith("vortex.") for k in ex._params)
    assert not any(k.startswith("brush.") for k in ex._params)
    assert ex.wait()


def test_bad_values(ex) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"air\.clouds") as e:
        ex.set({"air.clouds": 7.0})
    assert "\n" not in str(e.value)
    with pytest.raises(ValueError, match="nothing"):
        ex.set({"nothing.here": 1})
    # from a control: the reason shows, the control goes back
    ex._on("seed", -5)
    assert "seed" in ex.error.value and ex.seed.value == 3 and ex.scene.seed == 3


def test_painting_is_the_frame_shown_at_full_size(ex) -> None:  # type: ignore[no-untyped-def]
    assert not ex.playing.value  # it starts paused
    ex.set({"frame": 5})
    p = ex.painting()
    assert p.size == (240, 136)
    again = wiktoria.animate_scene(ex.scene)[5]
    assert np.array_equal(np.asarray(p), np.asarray(again))


def test_it_plays_and_pauses(ex) -> None:  # type: ignore[no-untyped-def]
    ex.set({"duration": 1.0})
    ex.playing.value = True  # the play button
    seen = set()
    end = time.monotonic() + 20
    while time.monotonic() < end and len(seen) < 3:
        seen.add(ex.frame.value)
        time.sleep(0.05)
    assert len(seen) >= 3  # the frame slider follows the loop
    ex.playing.value = False
    assert not ex.session.snapshot().playing


def test_close_stops_the_preview_thread() -> None:
    e = wiktoria.explore("tender", seed=1, size=(64, 48), preview=48)
    e.close()
    assert not e._thread.is_alive()


def test_explore_from_a_scene_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    scene = wiktoria.paint("electric", size=(64, 48), seed=9).scene
    path = tmp_path / "s.toml"
    path.write_text(scene.to_toml())
    e = wiktoria.explore(scene=path, preview=48)
    try:
        assert e.scene.seed == 9 and e.scene.mood.name == "electric"
        assert e.wait()
    finally:
        e.close()
