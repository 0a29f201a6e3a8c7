"""toolkit.audio: every common format in, clear errors for bad files, resampling keeps content."""


import numpy as np
import pytest
import soundfile as sf

from toolkit import AudioLoadError, Clip, ParameterError, load, load_bytes, resample, save
from toolkit.audio import to_wav_bytes, valid_audio

SR = 16000


def tone(f_hz=220.0, duration_s=1.0, sr=SR):
    t = np.arange(int(duration_s * sr)) / sr
    return (0.5 * np.sin(2 * np.pi * f_hz * t)).astype(np.float32)


def dominant_hz(y, sr):
    spec = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    return np.fft.rfftfreq(len(y), 1 / sr)[np.argmax(spec)]


@pytest.mark.parametrize("suffix,fmt,subtype", [(".wav", "WAV", "PCM_16"), (".flac", "FLAC", "PCM_16"),
                                                (".ogg", "OGG", "VORBIS"), (".mp3", "MP3", "MPEG_LAYER_III")])
def test_load_formats_keep_duration_and_pitch(tmp_path, suffix, fmt, subtype):
    path = tmp_path / f"t{suffix}"
    sf.write(str(path), tone(), SR, format=fmt, subtype=subtype)
    y, sr = load(path)
    assert sr == SR and y.dtype == np.float32 and y.ndim == 1
    assert abs(len(y) / sr - 1.0) < 0.06  # mp3 adds encoder padding
    assert abs(dominant_hz(y, sr) - 220.0) < 2.0


def test_stereo_is_mixed_to_mono(tmp_path):
    path = tmp_path / "st.wav"
    sf.write(str(path), np.stack([tone(), tone()], axis=1), SR)
    y, _ = load(path)
    assert y.ndim == 1 and np.max(np.abs(y)) == pytest.approx(0.5, abs=1e-3)


def _encode_webm(wav_path, out_path):
    import av

    with av.open(str(out_path), "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48000)
        with av.open(str(wav_path)) as inp:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
            for frame in inp.decode(audio=0):
                for f in resampler.resample(frame):
                    for pkt in stream.encode(f):
                        out.mux(pkt)
        for pkt in stream.encode(None):
            out.mux(pkt)


def test_browser_webm_opus_keeps_duration(tmp_path):
    wav = tmp_path / "t.wav"
    sf.write(str(wav), tone(duration_s=2.0), SR)
    webm = tmp_path / "t.webm"
    _encode_webm(wav, webm)
    y, sr = load(webm, sr=SR)
    assert abs(len(y) / sr - 2.0) < 0.05
    assert abs(dominant_hz(y, sr) - 220.0) < 2.0
    y2, _ = load_bytes(webm.read_bytes(), sr=SR)
    assert len(y2) == len(y)


def test_resample_keeps_pitch_and_length():
    y = tone(sr=24000)
    out = resample(y, sr=24000, target_sr=SR)
    assert len(out) == SR
    assert abs(dominant_hz(out, SR) - 220.0) < 2.0


def test_save_roundtrip(tmp_path):
    p = save(tmp_path / "o.wav", np.full(100, 2.0, np.float32), sr=SR)  # out of range → clipped
    y, _ = load(p)
    assert np.max(y) <= 1.0 and sf.info(str(p)).subtype == "PCM_16"
    assert to_wav_bytes(tone(), sr=SR)[:4] == b"RIFF"


def test_clip_properties():
    clip = Clip(tone(duration_s=1.5), SR, name="t")
    assert clip.duration_s == pytest.approx(1.5)
    assert clip.peak_dbfs == pytest.approx(-6.02, abs=0.05)


def test_missing_file():
    with pytest.raises(AudioLoadError, match="no such file"):
        load("does/not/exist.wav")


def test_empty_file(tmp_path):
    (tmp_path / "e.wav").write_bytes(b"")
    with pytest.raises(AudioLoadError, match="empty"):
        load(tmp_path / "e.wav")


def test_not_audio(tmp_path):
    (tmp_path / "n.wav").write_text("this is not audio at all\n" * 50)
    with pytest.raises(AudioLoadError, match="could not read .* as audio"):
        load(tmp_path / "n.wav")


def test_folder(tmp_path):
    with pytest.raises(AudioLoadError, match="folder"):
        load(tmp_path)


def test_zero_samples(tmp_path):
    sf.write(str(tmp_path / "z.wav"), np.zeros(0, np.float32), SR)
    with pytest.raises(AudioLoadError, match="no audio samples"):
        load(tmp_path / "z.wav")


def test_empty_bytes():
    with pytest.raises(AudioLoadError, match="empty"):
        load_bytes(b"")


def test_valid_audio_messages():
    with pytest.raises(ParameterError, match="1-D"):
        valid_audio(np.zeros((2, 10)))
    with pytest.raises(ParameterError, match="NaN"):
        valid_audio(np.array([0.0, np.nan]))
    with pytest.raises(ParameterError, match="sample rate"):
        valid_audio(np.zeros(10), sr=0)


def test_save_unwritable(tmp_path):
    with pytest.raises(AudioLoadError, match="does not exist"):
        save(tmp_path / "nope" / "o.wav", tone(), sr=SR)
    with pytest.raises(ParameterError, match="use .wav"):
        save(tmp_path / "o.xyz", tone(), sr=SR)


def test_real_speech_webm_roundtrip(tmp_path, english_refs):
    """A real speech clip, encoded to WebM/Opus as a browser would, decodes to the same duration."""
    ref = english_refs[0]
    webm = tmp_path / "rec.webm"
    _encode_webm(ref["path"], webm)
    y0, sr0 = load(ref["path"])
    y, sr = load(webm)
    assert abs(len(y) / sr - len(y0) / sr0) < 0.03
