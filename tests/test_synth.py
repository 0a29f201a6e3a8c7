"""Base TTS: espeak-ng phonemes and Kokoro-82M speech, from the packages' own files."""

import numpy as np
import pytest

from toolkit import ParameterError
from toolkit.synth import phonemize, split_sentences


def test_phonemize_english():
    ph = phonemize("Hello world.")
    assert "h" in ph and "w" in ph and ph.endswith(".")


def test_phonemize_rejects_empty_and_unknown_language():
    with pytest.raises(ParameterError, match="empty"):
        phonemize("   ")
    with pytest.raises(ParameterError, match="not supported"):
        phonemize("hi", language="xx")


def test_split_sentences_long():
    parts = split_sentences("a, " * 400, max_chars=100)
    assert all(len(p) <= 101 for p in parts) and len(parts) > 5


@pytest.fixture(scope="module")
def tts():
    from toolkit.synth import get_tts

    return get_tts()


def test_kokoro_speaks_with_every_shipped_voice(tts):
    assert set(tts.voices) >= {"jf_alpha", "jm_kumo"}
    for name, table in tts.voices.items():
        assert table.shape == (510, 256)
    y, sr = tts.synthesize("This is a test.", style=tts.voices["jm_kumo"])
    assert sr == 24000 and 0.6 < len(y) / sr < 3.0
    assert np.sqrt(np.mean(y ** 2)) > 0.01  # not silence


def test_kokoro_speed_changes_duration(tts):
    style = tts.voices["jf_alpha"]
    slow, _ = tts.synthesize("Reading at two different speeds.", style=style, speed=0.8)
    fast, _ = tts.synthesize("Reading at two different speeds.", style=style, speed=1.25)
    assert len(slow) > 1.3 * len(fast)


def test_kokoro_bad_input(tts):
    with pytest.raises(ParameterError, match="empty"):
        tts.synthesize("", style=tts.voices["jm_kumo"])
    with pytest.raises(ParameterError, match="speed"):
        tts.synthesize("Hi.", style=tts.voices["jm_kumo"], speed=5)
    with pytest.raises(ParameterError, match="256"):
        tts.synthesize("Hi.", style=np.zeros(10))
