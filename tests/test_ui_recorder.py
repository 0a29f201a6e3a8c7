"""The recorder panel and the app, exercised in the kernel (the browser test drives them for real)."""

from datetime import datetime

import numpy as np
import pytest

from tests.test_audio import _encode_webm
from toolkit import Clip, load
from toolkit.audio import to_wav_bytes
from toolkit.ui.app import build_app
from toolkit.ui.recorder import RecorderPanel, clip_summary


def test_example_picker_gives_a_clip_and_calls_back():
    panel = RecorderPanel()
    got = []
    panel.on_clip(got.append)
    panel.picker.value = "tone_a3"
    assert got and got[-1].name == "tone_a3" and got[-1].source == "example"
    assert "2.00 s" in panel.summary.value and panel.player.value[:4] == b"RIFF"


def test_browser_recording_bytes_are_decoded(tmp_path, english_refs):
    """The WebM/Opus bytes a browser sends become a clip of the same duration."""
    webm = tmp_path / "rec.webm"
    _encode_webm(english_refs[0]["path"], webm)
    panel = RecorderPanel()
    panel.recorder.audio.value = webm.read_bytes()
    y0, sr0 = load(english_refs[0]["path"])
    assert panel.clip.source == "microphone"
    assert abs(panel.clip.duration_s - len(y0) / sr0) < 0.05


def test_bad_upload_keeps_previous_clip():
    panel = RecorderPanel(initial_example="tone_a3")
    before = panel.clip
    panel.upload.value = ({"name": "notes.txt", "type": "text/plain", "size": 9, "content": memoryview(b"not audio"),
                           "last_modified": datetime.now()},)
    assert panel.clip is before
    assert "could not read notes.txt" in panel.status.value and "previous clip is kept" in panel.status.value


def test_upload_of_audio():
    panel = RecorderPanel()
    data = to_wav_bytes(np.zeros(8000, np.float32), sr=16000)
    panel.upload.value = ({"name": "a.wav", "type": "audio/wav", "size": len(data), "content": memoryview(data),
                           "last_modified": datetime.now()},)
    assert panel.clip.duration_s == pytest.approx(0.5) and panel.clip.source == "upload"


def test_failing_callback_shows_message_not_traceback():
    panel = RecorderPanel()
    panel.on_clip(lambda clip: 1 / 0)
    panel.picker.value = "tone_a3"
    assert "ZeroDivisionError" in panel.status.value and panel.clip is not None


def test_clip_summary():
    assert clip_summary(Clip(np.full(16000, 0.5, np.float32), 16000, name="x")).startswith("x: 1.00 s")


def test_app_checks_each_clip():
    """The app shows every new clip's report card and its spectrogram (tests/test_ui_app.py checks the rest)."""
    page, state = build_app(initial_example="vowel_a_150")
    assert state.recorder.clip.name == "vowel_a_150"
    assert state.card.report is not None and state.card.report["duration"].status == "fail"
    assert state.card.last_png[:4] == b"\x89PNG"
