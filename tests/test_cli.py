"""The CLI's conventions: --help, --json, exit 2 with one line on bad input."""

import json

import numpy as np
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
