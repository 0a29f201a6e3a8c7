"""The CLI's conventions: --help, --json, exit 2 with one line on bad input."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from tests.test_audio import _encode_webm


def test_help(cli):
    r = cli("--help")
    assert r.returncode == 0 and "convert" in r.stdout


def test_convert_webm_from_real_speech(cli, tmp_path, english_refs):
    src = english_refs[0]["path"]
    webm = tmp_path / "rec.webm"
    _encode_webm(src, webm)
    out = tmp_path / "rec.wav"
    r = cli("convert", webm, "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    info = sf.info(str(out))
    assert info.subtype == "PCM_16"
    assert abs(res["duration_s"] - sf.info(str(src)).duration) < 0.03
    assert abs(info.duration - sf.info(str(src)).duration) < 0.03


def test_convert_resamples(cli, tmp_path):
    src = tmp_path / "a.wav"
    sf.write(str(src), np.zeros(24000, np.float32), 24000)
    r = cli("convert", src, "--out", tmp_path / "b.wav", "--sr", 16000, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["sr"] == 16000


def _one_line_error(r):
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in r.stderr
    return lines[0]


def test_convert_missing(cli, tmp_path):
    assert "no such file" in _one_line_error(cli("convert", tmp_path / "x.wav", "--out", tmp_path / "o.wav"))


def test_convert_not_audio(cli, tmp_path):
    bad = tmp_path / "notes.webm"
    bad.write_text("hello\n" * 100)
    assert "could not read" in _one_line_error(cli("convert", bad, "--out", tmp_path / "o.wav"))


def test_convert_empty(cli, tmp_path):
    (tmp_path / "e.mp3").write_bytes(b"")
    assert "empty" in _one_line_error(cli("convert", tmp_path / "e.mp3", "--out", tmp_path / "o.wav"))


def test_convert_unwritable(cli, tmp_path):
    sf.write(str(tmp_path / "a.wav"), np.zeros(1600, np.float32), 16000)
    assert "does not exist" in _one_line_error(cli("convert", tmp_path / "a.wav", "--out", tmp_path / "no" / "o.wav"))


def test_bad_flag_exits_2(cli):
    r = cli("convert")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_prepare_finds_models(cli):
    r = cli("prepare", "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["tts"]["size_mb"] > 50 and res["speaker_encoder"]["size_mb"] > 10


# --- clone: the accent and "say it like me" (issue 17), on real speech -----------------------------------

@pytest.fixture(scope="module")
def p228(speech_manifest):
    """A VCTK reference that has its transcript, and a held-out clip of the same speaker saying another sentence."""
    rows = [r for r in speech_manifest if r["speaker"] == "vctk_p228" and r["transcript"]]
    ref = next((r for r in rows if r["role"] == "ref"), None)
    other = next((r for r in rows if r["role"] != "ref"), None)
    if ref is None or other is None:
        pytest.skip("vctk_p228's reference and a held-out clip with transcripts are not in the speech set")
    return ref, other


@pytest.fixture(scope="module")
def voices(tmp_path_factory):
    """One fitted-voice cache for these CLI runs: the voice is fitted by the first and reused by the others."""
    return tmp_path_factory.mktemp("cli_voices")


def _clone(voices, *args):
    from tests.conftest import REPO

    r = subprocess.run([sys.executable, "-m", "toolkit", "clone", *map(str, args), "--json"], capture_output=True,
                       text=True, timeout=1200, cwd=REPO, env={**os.environ, "VOICE_LAB_CACHE": str(voices)})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _speech_span_s(path):
    from toolkit.analysis.rhythm import speech_segments
    from toolkit.audio import load

    y, sr = load(path)
    segs = speech_segments(y, sr=sr)
    return segs[-1][1] - segs[0][0]


def test_cli_clone_like_me_takes_the_recordings_timing(p228, voices, tmp_path):
    ref, other = p228
    out = tmp_path / "like_me.wav"
    data = _clone(voices, "--reference", ref["path"], "--text", ref["transcript"], "--like-me", ref["path"],
                  "--out", out)
    lm = data["like_me"]
    assert lm["applied"] and lm["note"] == "" and lm["alignment_cost"] < 0.9, lm
    assert abs(_speech_span_s(out) - lm["recording_speech_s"]) < 0.05 * lm["recording_speech_s"]
    assert abs(_speech_span_s(out) - _speech_span_s(ref["path"])) < 0.05 * _speech_span_s(ref["path"])
    assert 0.3 < data["similarity"]["like_me"] <= 1.0
    # a recording of another sentence: the clone is kept as it was, and the output says why (as the app does)
    out2 = tmp_path / "not_like_me.wav"
    data = _clone(voices, "--reference", ref["path"], "--text", ref["transcript"], "--like-me", other["path"],
                  "--out", out2)
    assert not data["like_me"]["applied"] and "record yourself saying exactly the text" in data["like_me"]["note"]
    assert data["cache_hit"] and out2.exists() and "like_me" not in data["similarity"]


def test_cli_clone_accent(p228, voices, tmp_path):
    from toolkit.audio import load

    ref, _ = p228
    text = "Think of the weather, and then the water."
    native = _clone(voices, "--reference", ref["path"], "--text", text, "--out", tmp_path / "native.wav")
    accented = _clone(voices, "--reference", ref["path"], "--text", text, "--accent", "fr",
                      "--out", tmp_path / "fr.wav")
    assert native["accent"] == "native" and accented["accent"] == "fr"
    assert accented["voice"] == native["voice"]  # the same voice, read another way
    a, b = load(tmp_path / "native.wav")[0], load(tmp_path / "fr.wav")[0]
    assert len(a) != len(b) or not np.allclose(a, b)
    assert 0.5 < len(b) / len(a) < 2.0


@pytest.mark.parametrize("flag, value, message", [("--accent", "xx", "--accent: accent 'xx' is not a language"),
                                                  ("--like-me", "no_such_recording.wav", "--like-me no_such")])
def test_cli_clone_bad_accent_or_recording(cli, tmp_path, p228, flag, value, message):
    r = cli("clone", "--reference", p228[0]["path"], "--text", "Hello there.", "--out", tmp_path / "o.wav",
            flag, value)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert not (tmp_path / "o.wav").exists()
