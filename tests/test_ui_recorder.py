"""The recorder panel and the app, exercised in the kernel (the browser test drives them for real)."""

import re
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


def _upload_value(name, data):
    return ({"name": name, "type": "audio/wav", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.now()},)


def test_long_upload_is_cut_to_its_best_part_and_says_so(english_refs):
    """Two minutes of real speech with a long silence in the middle: the panel keeps 30 s of speech."""
    from toolkit.ui.recorder import MAX_CLIP_S

    y, sr = load(english_refs[0]["path"], sr=16000)
    speech = np.tile(y, int(np.ceil(40 * sr / len(y))))[: 40 * sr]
    long = np.concatenate([np.zeros(60 * sr, np.float32), speech, np.zeros(20 * sr, np.float32)])
    panel = RecorderPanel()
    panel.upload.value = _upload_value("lecture.wav", to_wav_bytes(long, sr=sr))
    assert panel.clip is not None and panel.clip.name == "lecture.wav"
    assert 15.0 <= panel.clip.duration_s <= MAX_CLIP_S
    assert re.search(r"kept its (29|30) s with the most speech", panel.status.value) and "lecture.wav" in panel.status.value
    start_s = float(panel.status.value.split("(")[2].split("-")[0])
    assert 59.0 <= start_s <= 71.0  # inside the speech, not in the minute of silence before it


def test_upload_over_the_cap_is_refused_with_a_message_and_keeps_the_clip(monkeypatch):
    import toolkit.ui.recorder as rec

    monkeypatch.setattr(rec, "MAX_UPLOAD_BYTES", 1000)
    panel = RecorderPanel(initial_example="tone_a3")
    before = panel.clip
    panel.upload.value = _upload_value("huge.wav", b"\0" * 5000)
    assert panel.clip is before
    assert "huge.wav is 0 MB" in panel.status.value and "previous clip is kept" in panel.status.value
    # what the browser guard sends when it refuses a file before upload
    panel.refused.value = "film.mov|123000000|1700000000"
    assert "film.mov is 123 MB" in panel.status.value and "vcl-error" in panel.status.value


def test_websocket_limit_follows_the_upload_cap():
    from toolkit.defaults import MAX_UPLOAD_BYTES
    from toolkit.ui.serve import server_config, voila_command

    limit = server_config()["ServerApp"]["tornado_settings"]["websocket_max_message_size"]
    assert limit > MAX_UPLOAD_BYTES * 1.05  # the file plus the message around it
    argv, _ = voila_command(port=1)
    config_dir = next(a.split("=", 1)[1] for a in argv if a.startswith("--Voila.config_file_paths="))
    ns = {"c": type("C", (), {"Voila": type("V", (), {})()})()}
    exec((__import__("pathlib").Path(config_dir) / "voila.py").read_text(), ns)
    assert ns["c"].Voila.tornado_settings["websocket_max_message_size"] == limit
