"""The emotion map (toolkit.clone.emotion): its features on known signals and on real emotional speech.

The real-speech test uses Thorsten Müller's emotions in ``../shared/expressive`` (skips when absent): one
fitted voice is moved toward two contrasting emotions, and the clone's F0 range (mean over four sentences)
must follow the references' order. Thresholds sit below what ``benchmarks/bench_emotion.py`` measured
(docs/benchmarks.md, "Emotion").
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import REPO, SPEECH_DIR
from toolkit.clone.emotion import (FEATURES, MAX_Z, PROSODY_DIMS, emotion_style, get_emotion_map,
                                   intensity_sd_db, prosodic_features)
from toolkit.errors import ParameterError

EXPRESSIVE = SPEECH_DIR.parent / "expressive"


def test_intensity_sd_grows_with_swings():
    sr = 16000
    t = np.arange(3 * sr) / sr
    tone = 0.3 * np.sin(2 * np.pi * 140 * t)
    sds = [intensity_sd_db(tone * (1 - d + d * np.sin(2 * np.pi * 2.5 * t) ** 2), sr=sr) for d in (0.0, 0.5, 0.8)]
    assert sds[0] < 0.5 < sds[1] < sds[2]


def test_features_of_silence_are_missing():
    assert np.isnan(prosodic_features(np.zeros(16000, np.float32), sr=16000)).all()


def test_map_file_is_small_and_documented():
    m = get_emotion_map()
    assert m.W.shape == (len(FEATURES), 128)
    assert {"n_voices", "alpha", "text", "made_by"} <= set(m.info)
    assert m.info["n_voices"] >= 50


def test_shift_is_bounded_and_keeps_the_pitch_level():
    m = get_emotion_map()
    s = np.zeros(256, np.float32)
    far = m.x_mean + 100 * m.x_std  # far outside the bank: clipped to MAX_Z
    a = emotion_style(s, reference_features=far, voice_features=m.x_mean)
    b = emotion_style(s, reference_features=m.x_mean + MAX_Z * m.x_std, voice_features=m.x_mean)
    np.testing.assert_allclose(a, b, atol=1e-6)
    level_only = m.x_mean.copy()
    level_only[FEATURES.index("f0_median_st")] += 3 * m.x_std[0]
    assert np.all(emotion_style(s, reference_features=level_only, voice_features=m.x_mean) == 0)
    assert np.all(a[:128] == 0) and np.abs(a[PROSODY_DIMS]).max() > 0


@pytest.mark.parametrize("strength", [-0.1, 2.5])
def test_bad_strength(strength):
    m = get_emotion_map()
    with pytest.raises(ParameterError, match="emotion strength"):
        emotion_style(np.zeros(256), reference_features=m.x_mean, voice_features=m.x_mean, strength=strength)


@pytest.fixture(scope="module")
def thorsten():
    if not (EXPRESSIVE / "manifest.csv").exists():
        pytest.skip(f"expressive speech not found at {EXPRESSIVE}; put shared/ beside the repo")
    from toolkit.audio import load

    return {e: load(EXPRESSIVE / f"thorsten_emotional__{e}.wav", sr=16000)[0] for e in ("sleepy", "drunk")}


def test_map_moves_f0_range_toward_the_reference(thorsten):
    """Drunk Thorsten has about 11 semitones more F0 range than sleepy Thorsten: one fitted voice (the shipped
    male voice), moved by the map toward each, must speak with a wider range for drunk than for sleepy, and
    each must move away from the unmoved voice in its reference's direction.

    The range is the mean over four sentences (the fitting sentence and three of the benchmark's), because one
    sentence's 5th-95th percentile span is decided by a few frames at its tails: moving the style by 1 % of the
    shipped voices' spread (or running on another CPU) moved drunk's range on the fitting sentence alone by up to
    1.8 st (10.0 -> 11.8), enough to put it below the unmoved voice's (11.2). The four-sentence mean moved by at
    most 0.6 st. Measured on an AMD EPYC (2026-12-04; exact style, then three 1 % perturbations): unmoved
    10.3-10.4, sleepy 9.4-9.7, drunk 12.4-13.0 st.
    """
    from benchmarks.bench_clone import FALLBACK_TEXTS
    from toolkit.clone import FittedVoice, encode_reference, get_voice_space
    from toolkit.clone.emotion import carry_emotion
    from toolkit.clone.generate import REFINE_TEXT
    from toolkit.synth.kokoro import get_tts
    from toolkit.synth.phonemes import phonemize

    tts, space = get_tts(), get_voice_space()
    more = [phonemize(t, language="en") for t in FALLBACK_TEXTS[:3]]

    def mean_range(style, y_fitting):  # over the fitting sentence (already spoken) and three more
        ys = [y_fitting] + [tts.synthesize_phonemes(ph, style=space.table(style)) for ph in more]
        return float(np.mean([prosodic_features(y, sr=tts.sr)[1] for y in ys]))

    voice = FittedVoice(space.styles[space.names.index("jm_kumo")])
    y0 = tts.synthesize_phonemes(phonemize(REFINE_TEXT, language="en"), style=space.table(voice.style))
    base = mean_range(voice.style, y0)
    ranges, refs = {}, {}
    for e, y in thorsten.items():
        enc = encode_reference(np.tile(y, 3), sr=16000)  # the clips are under the engine's 2 s of speech
        refs[e] = prosodic_features(y, sr=16000)[1]
        moved, y1 = carry_emotion(voice, encoding=enc, voice_audio=y0, sr=tts.sr, match_pace=False)
        assert moved.scores["emotion_shift"] > 0
        ranges[e] = mean_range(moved.style, y1)
    assert refs["drunk"] - refs["sleepy"] > 8
    assert ranges["drunk"] - ranges["sleepy"] > 1.5, (ranges, base)
    assert ranges["drunk"] > base > ranges["sleepy"], (ranges, base)


def test_cli_refuses_a_bad_strength(cli, tmp_path):
    r = cli("clone", "--reference", REPO / "media" / "thorsten_angry.flac", "--text", "Hallo.", "--out",
            tmp_path / "o.wav", "--emotion", "3")
    assert r.returncode == 2 and "--emotion 3 is out of range" in r.stderr
