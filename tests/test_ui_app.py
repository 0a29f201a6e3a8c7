"""The Voila app's logic, in-process (no browser): text checks, stage rows, wiring, and every visitor failure.

The browser drives the same app in ``tests/browser/test_app_browser.py``; here each
piece is checked quickly, and one slow test runs the whole flow on an example voice.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from toolkit.audio import Clip, to_wav_bytes
from toolkit.errors import ParameterError
from toolkit.ui import app as app_module
from toolkit.ui.app import SUGGESTIONS, build_app
from toolkit.ui.clone_flow import MAX_TEXT_CHARS, STAGES, StageProgress, check_text, stages_html
from toolkit.ui.results import download_link_html


@pytest.fixture
def voice_cache(tmp_path, monkeypatch):
    """A fresh fitted-voice cache, so nothing leaks between tests or into ~/.cache."""
    monkeypatch.setenv("VOICE_LAB_CACHE", str(tmp_path))
    return tmp_path


@pytest.fixture
def state(voice_cache):
    page, state = build_app()
    state.page = page
    return state


# --- pure pieces --------------------------------------------------------------------------------------


def test_check_text_strips():
    assert check_text("  Hello there.\n") == "Hello there."


def test_check_text_empty():
    with pytest.raises(ParameterError, match="text box is empty"):
        check_text("   \n ")


def test_check_text_not_a_string():
    with pytest.raises(ParameterError, match="text box is empty"):
        check_text(None)


def test_check_text_too_long():
    with pytest.raises(ParameterError, match=f"{MAX_TEXT_CHARS + 1} characters long.*up to {MAX_TEXT_CHARS}"):
        check_text("a" * (MAX_TEXT_CHARS + 1))


def test_stages_html_lists_every_stage_in_order():
    html = stages_html({"fit": ("running", "10-25 s")})
    positions = [html.index(label) for label in STAGES.values()]
    assert positions == sorted(positions)
    assert "vcl-stage-running" in html and "data-stage='fit'" in html and "10-25 s" in html
    assert html.count("vcl-stage-waiting") == len(STAGES) - 1


def test_stage_progress_marks_a_failure_without_repeating_the_message():
    p = StageProgress()
    p.update("encode", "failed", "the reference is silent; record again")
    assert "vcl-stage-failed" in p.widget.value and "stopped here" in p.widget.value
    assert "silent" not in p.widget.value
    p.reset()
    assert "vcl-stage-failed" not in p.widget.value


def test_download_link_is_a_wav_data_url():
    y = 0.1 * np.sin(2 * np.pi * 220 * np.arange(2400) / 24000).astype(np.float32)
    html = download_link_html(y, sr=24000, filename="clone.wav")
    assert "download='clone.wav'" in html
    assert "href='data:audio/wav;base64,UklGR" in html  # "RIFF"
    assert "0.1 s" in html


def test_voice_map_png():
    from toolkit.clone.learned import get_voice_encoder
    from toolkit.ui.voice_map import voice_map_png

    E = get_voice_encoder().shipped_embeddings
    png = voice_map_png({"your reference": E[0], "the clone": E[1]})
    assert png[:4] == b"\x89PNG" and len(png) > 5000


# --- the page, wired ------------------------------------------------------------------------------------


def _all_html(widget) -> str:
    """The text of every HTML widget under ``widget`` (what a visitor reads)."""
    import ipywidgets as widgets

    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, widgets.HTML):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


def test_page_has_title_consent_and_labels(state):
    text = _all_html(state.page)
    assert "Voice Cloning Lab" in text
    assert "clone only voices you have permission to use" in text
    for w in (state.text, state.language, state.mic_error):
        assert w.description  # every control carries a label
    assert all(b.description for b in state.suggestions + [state.clone_button, state.tweak_button])


def test_suggestion_fills_text_box(state):
    state.text.value = ""
    state.suggestions[2].click()
    assert state.text.value == list(SUGGESTIONS.values())[2]


def test_counter_warns_on_long_text(state):
    state.text.value = "x" * (MAX_TEXT_CHARS + 50)
    assert "vcl-error" in state.counter.value and "too long" in state.counter.value
    state.text.value = "short"
    assert "5 / 600" in state.counter.value


def test_clone_without_reference_says_so(state):
    assert state.clone() is None
    assert "no reference yet" in state.status.value
    assert not state.busy and not state.clone_button.disabled


def test_clone_with_empty_text_says_so(state):
    state.recorder.set_clip(Clip(np.zeros(16000, np.float32), 16000, name="x"))
    state.text.value = "  "
    assert state.clone() is None
    assert "text box is empty" in state.status.value


def test_clone_with_long_text_says_so(state):
    state.text.value = "word " * 200
    assert state.clone() is None
    assert f"up to {MAX_TEXT_CHARS}" in state.status.value


def test_silent_recording_is_refused_kindly(state):
    state.recorder.set_clip(Clip(np.zeros(3 * 16000, np.float32), 16000, name="my recording", source="microphone"))
    assert state.card.report is None and "silence" in state.card.table.value
    assert "cannot be cloned" in state.status.value
    assert state.clone() is None
    assert "silent" in state.status.value and "vcl-error" in state.status.value
    assert "vcl-stage-failed" in state.progress.widget.value and "data-stage='encode'" in state.progress.widget.value
    assert not state.busy


def test_one_second_recording_is_refused_kindly(state, rng):
    t = np.arange(16000) / 16000
    y = (0.3 * np.sin(2 * np.pi * 140 * t) * (1 + 0.1 * rng.standard_normal(16000))).astype(np.float32)
    state.recorder.set_clip(Clip(y, 16000, name="my recording", source="microphone"))
    assert state.clone() is None
    assert "speech" in state.status.value and "vcl-error" in state.status.value


def test_unexpected_bug_keeps_the_page_alive(state, monkeypatch):
    state.recorder.set_clip(Clip(np.zeros(16000, np.float32), 16000, name="x"))

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(state.flow, "run", broken)
    assert state.clone() is None
    assert "Something went wrong" in state.status.value and "RuntimeError" in state.status.value
    assert not state.busy and not state.clone_button.disabled


@pytest.mark.parametrize("name, expected", [("NotAllowedError", "did not let this page use the microphone"),
                                            ("NotFoundError", "No microphone was found"),
                                            ("NotReadableError", "could not be opened (NotReadableError)")])
def test_microphone_errors_from_the_page(state, name, expected):
    state.mic_error.value = f"{name} 1700000000000"
    assert expected in state.recorder.status.value
    assert "pick an example" in state.recorder.status.value
    # the silent recording a blocked microphone sends does not hide the message
    state.recorder.recorder.audio.value = b"not audio"
    assert expected in state.recorder.status.value


def test_stop_without_recording_suggests_the_microphone(state, monkeypatch):
    monkeypatch.setattr(app_module, "MIC_TIMEOUT_S", 0.05)
    state.recorder.record_button.value = True
    state.recorder.record_button.value = False
    time.sleep(0.5)
    assert "No recording arrived" in state.recorder.status.value


def test_recording_that_arrives_around_the_stop_click_is_not_called_missing(state, monkeypatch):
    # the browser may deliver the recording before the kernel sees the Stop click, and decoding and checking
    # it can outlast the timeout on a busy server: neither is "no recording"
    monkeypatch.setattr(app_module, "MIC_TIMEOUT_S", 0.2)
    t = np.arange(int(3.0 * 16000)) / 16000
    wav = to_wav_bytes((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), sr=16000)
    state.recorder.record_button.value = True
    state.recorder.recorder.audio.value = wav
    state.recorder.record_button.value = False
    time.sleep(0.6)
    assert "No recording arrived" not in state.recorder.status.value
    assert "my recording" in state.recorder.summary.value


def test_tweaker_waits_for_a_reference(state):
    state.tweak_section.selected_index = 0
    assert state.tweaker is None
    assert "Choose a reference first" in _all_html(state.tweak_box)
    assert state.clone(tweaked=True) is None
    assert "Open the tweaker" in state.tweak_status.value


# --- the whole flow on an example voice -----------------------------------------------------------------


@pytest.mark.slow
def test_short_clone_is_shown_without_a_score(state):
    """Three words at the reference's fast pace (×1.45 for this voice) make well under a second of speech:
    the clone is shown and playable, with one line instead of a score (it used to be refused)."""
    from toolkit.embedding import ENCODER_SR, MIN_SPEECH_S, get_encoder
    from toolkit.ui.results import TOO_SHORT_TO_SCORE

    state.flow.method = "learned"
    state.recorder.picker.value = "ref_good"
    state.text.value = "See you soon."
    res = state.clone()
    assert res is not None, state.status.value
    assert len(get_encoder().prepare(res.y, sr=res.sr)) < MIN_SPEECH_S * ENCODER_SR  # really too short
    assert res.similarity is None and res.embedding is None and res.similarity_to_original is None
    assert "too short to score its similarity" in state.status.value and "vcl-error" not in state.status.value
    r = state.results
    assert r.body.layout.display == "flex"
    assert r.clone_player.value[:4] == b"RIFF" and r.clone_image.value[:2] == b"\xff\xd8"
    assert TOO_SHORT_TO_SCORE in r.meter.value and "Speaker similarity" not in r.meter.value
    assert r.map_image.value[:4] == b"\x89PNG" and "too short" in r.table.value
    assert "data:audio/wav;base64," in r.download.value


@pytest.mark.slow
def test_full_flow_on_example_voice(state):
    state.flow.method = "learned"  # one synthesis to fit: the flow is what is tested here, not the fit
    state.recorder.picker.value = "ref_good"
    assert state.card.report is not None and "Reference ready" in state.status.value

    state.text.value = "Hello there, this is a test."
    res = state.clone()
    assert res is not None and res.fitted_now, state.status.value
    assert "fitted a new voice" in state.status.value
    assert all(f"vcl-stage-{s}" not in state.progress.widget.value for s in ("waiting", "running", "failed"))
    assert 0.3 < res.similarity <= 1.0 and res.sr == 24000 and len(res.y) > res.sr
    r = state.results
    assert r.body.layout.display == "flex" and r.placeholder.layout.display == "none"
    assert r.ref_player.value[:4] == b"RIFF" and r.clone_player.value[:4] == b"RIFF"
    assert r.ref_image.value[:2] == b"\xff\xd8" and r.clone_image.value[:2] == b"\xff\xd8"  # JPEG
    assert r.map_image.value[:4] == b"\x89PNG"
    assert "Speaker similarity" in r.meter.value and "data:audio/wav;base64," in r.download.value

    # new text, same voice: no refit
    state.text.value = "A second sentence, said in the same voice."
    res2 = state.clone()
    assert res2 is not None and not res2.fitted_now
    assert "reused the fitted voice" in state.status.value and "vcl-stage-cached" in state.progress.widget.value
    assert res2.timings_s["encode"] < 0.05  # the encoding was kept too
    assert len(r.history) == 2

    # hear yourself swaps both players and back
    plain = r.clone_player.value
    r.hear_yourself.value = True
    assert r.clone_player.value != plain and "as their speaker hears them" in r.hear_note.value
    r.hear_yourself.value = False
    assert r.clone_player.value == plain

    # the tweaker: a noisy copy, cloned, also scored against the clean voice
    state.tweak_section.selected_index = 0
    assert state.tweaker is not None
    state.tweaker.set_values(noise_snr_db=10.0)
    res3 = state.clone(tweaked=True)
    assert res3 is not None and res3.reference.name.endswith("(tweaked)")
    assert res3.similarity_to_original is not None
    assert "to untweaked" in r.table.value and len(r.history) == 3
