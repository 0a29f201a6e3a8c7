""""Say it like me" (toolkit.clone.delivery) and the accent control (toolkit.synth.phonemes), on real speech.

The clone stands in as Kokoro speaking the recording's transcript with a shipped voice of the speaker's sex
(every clone is Kokoro's speech); one test runs the whole engine with ``like_me=True``. Thresholds sit
below the numbers measured in ``benchmarks/bench_delivery.py`` (docs/benchmarks.md, "Say it like me").
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from toolkit.errors import ParameterError, ToolkitError

#: Clips of ../shared/speech with a transcript (two readers and one VCTK speaker, both sexes).
CLIPS = ("vctk_p228__heldout3__p228_003.wav", "librispeech_3575__ref__3575-170457-0013.wav",
         "librispeech_8230__ref__8230-279154-0017.wav")


def _text(row) -> str:
    t = row["transcript"]
    return t.capitalize() if t.isupper() else t


@pytest.fixture(scope="module")
def pairs(speech_manifest):
    """(row, reference y, sr, Kokoro speaking the transcript) for each of :data:`CLIPS`."""
    from toolkit.audio import load
    from toolkit.synth.kokoro import get_tts

    tts = get_tts()
    rows = {r["file"]: r for r in speech_manifest}
    out = []
    for name in CLIPS:
        r = rows[name]
        y, sr = load(r["path"])
        clone, _ = tts.synthesize(_text(r), style=tts.voices["jm_kumo" if r["gender"] == "M" else "jf_alpha"])
        out.append((r, y, sr, clone))
    return out


@pytest.fixture(scope="module")
def transfers(pairs):
    from toolkit.clone.delivery import transfer_delivery, transfer_scores

    res = []
    for _, y, sr, clone in pairs:
        out = transfer_delivery(clone, sr=24000, reference_y=y, reference_sr=sr)
        res.append((out, transfer_scores(out)))
    return res


def test_clone_takes_the_recordings_length(transfers):
    for out, s in transfers:
        # measured: 0.1-1.6 % after, 1-13 % before
        assert s["duration_error_after"] < 0.04, s
        assert abs(out.duration_s - out.reference_speech_s) < 0.05


def test_clone_follows_the_recordings_melody(transfers):
    for out, s in transfers:
        # measured (Spearman with the recording's F0): 0.19-0.54 before, 0.96-0.99 after (tracked again on the output)
        assert s["pitch_corr_after"] > 0.85, s
        assert s["pitch_corr_after"] > s["pitch_corr_before"] + 0.3, s
        assert s["pitch_corr_after"] > s["pitch_corr_timing"], s


def test_clone_keeps_its_own_pitch(transfers):
    for out, s in transfers:
        assert abs(s["median_shift_st"]) < 0.6, s  # measured -0.06 to -0.22 semitones


def test_male_reader_melody_on_a_female_voice_keeps_the_female_pitch(pairs):
    from toolkit.clone.delivery import transfer_delivery, transfer_scores
    from toolkit.synth.kokoro import get_tts

    r, y, sr, _ = pairs[2]  # LibriSpeech 8230, a man (~105 Hz)
    tts = get_tts()
    clone, _ = tts.synthesize(_text(r), style=tts.voices["jf_alpha"])
    out = transfer_delivery(clone, sr=24000, reference_y=y, reference_sr=sr)
    s = transfer_scores(out)
    assert out.reference_median_f0_hz < 140 < out.clone_median_f0_hz
    assert abs(s["median_shift_st"]) < 0.6 and s["pitch_corr_after"] > 0.85


def test_a_different_sentence_is_refused(pairs):
    from toolkit.clone.delivery import transfer_delivery

    for k, (_, y, sr, _) in enumerate(pairs):
        other = pairs[(k + 1) % len(pairs)][3]
        with pytest.raises(ParameterError, match="does not seem to say the clone's text"):
            transfer_delivery(other, sr=24000, reference_y=y, reference_sr=sr)


def test_bad_inputs_give_one_line_errors(pairs):
    from toolkit.clone.delivery import transfer_delivery

    _, y, sr, clone = pairs[0]
    cases = [
        (dict(clone_y=clone, sr=24000, reference_y=np.zeros(sr * 3, np.float32), reference_sr=sr), "no speech"),
        (dict(clone_y=clone[len(clone) // 2:len(clone) // 2 + 36000], sr=24000, reference_y=y, reference_sr=sr), "cannot be the same sentence"),
        (dict(clone_y=clone, sr=24000, reference_y=y, reference_sr=sr, strength=2.0), "strength must be"),
        (dict(clone_y=np.full(1000, np.nan), sr=24000, reference_y=y, reference_sr=sr), "clone_y"),
    ]
    for kwargs, match in cases:
        with pytest.raises(ToolkitError, match=match) as info:
            transfer_delivery(kwargs.pop("clone_y"), **kwargs)
        assert "\n" not in str(info.value)


def test_dtw_finds_a_known_warp():
    from toolkit.clone.delivery import dtw_path

    rng = np.random.default_rng(0)
    a = rng.normal(size=(60, 3))
    b = np.repeat(a, 2, axis=0)  # every frame said twice as long
    path, cost = dtw_path(np.linalg.norm(a[:, None] - b[None], axis=2))
    assert cost == 0.0
    assert np.all(path[:, 0] == path[:, 1] // 2)
    with pytest.raises(ParameterError, match="2-D cost matrix"):
        dtw_path(np.zeros(5))


def test_plot_delivery(transfers):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from toolkit.plot import plot_delivery

    fig, ax = plt.subplots()
    lines = plot_delivery(transfers[0][0], ax=ax)
    assert set(lines) == {"reference", "before", "after"} and lines["after"].axes is ax
    with pytest.raises(ParameterError, match="DeliveryTransfer"):
        plot_delivery(None, ax=ax)
    plt.close(fig)


def test_delivery_imports_no_librosa_numba_or_torch():
    code = ("import sys; from toolkit.media import example; from toolkit.prosody import modify_prosody; "
            "from toolkit.clone.delivery import transfer_delivery; r = example('ref_good'); "
            "s = modify_prosody(r.y, sr=r.sr, tempo=0.8); transfer_delivery(s.y, sr=s.sr, reference_y=r.y, "
            "reference_sr=r.sr); print(sorted(m for m in ('librosa', 'numba', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- accent -----------------------------------------------------------------------------------------------

TEXT = "Hello! This is my voice, cloned in a few seconds on a small computer."


@pytest.mark.parametrize("accent", ["fr", "es", "de", "it", "pt", "hi", "ja", "zh"])
def test_accent_differs_from_native_and_kokoro_can_say_it(accent):
    from toolkit.synth.kokoro import known_phonemes
    from toolkit.synth.phonemes import phonemize

    native = phonemize(TEXT, language="en")
    accented = phonemize(TEXT, language="en", accent=accent)
    assert accented != native
    assert known_phonemes(accented)[1] == "", "every accent symbol is in Kokoro's vocabulary"


def test_accent_features_of_each_language():
    from toolkit.synth.phonemes import phonemize

    ja = phonemize("Think of the world.", language="en", accent="ja")
    assert "θ" not in ja and "l" not in ja and "ɾ" in ja and ja.rstrip(".").endswith("o")  # warudo
    fr = phonemize("Think of the house.", language="en", accent="fr")
    assert "θ" not in fr and "h" not in fr
    de = phonemize("A big dog.", language="en", accent="de")
    assert de.rstrip(".").endswith("k")  # final devoicing
    assert "ç" not in phonemize("Ich bin glücklich.", language="de", accent="en")
    assert phonemize("Hello.", language="en", accent="native") == phonemize("Hello.", language="en", accent="en")
    assert phonemize("Hola amigo.", language="en", accent="es", accent_method="rules").startswith("ˈo")


def test_accented_speech_synthesises_with_a_similar_length():
    from toolkit.synth.kokoro import get_tts

    tts = get_tts()
    native, _ = tts.synthesize(TEXT, style=tts.voices["jf_alpha"])
    for accent in ("fr", "ja"):
        y, sr = tts.synthesize(TEXT, style=tts.voices["jf_alpha"], accent=accent)
        assert np.isfinite(y).all() and np.abs(y).max() > 0.05
        assert 0.7 < len(y) / len(native) < 1.6  # ja adds vowels: longer


def test_bad_accent_is_one_line():
    from toolkit.synth.phonemes import phonemize

    with pytest.raises(ParameterError, match="accent 'klingon' is not a language"):
        phonemize(TEXT, language="en", accent="klingon")
    with pytest.raises(ParameterError, match="accent_method must be one of"):
        phonemize(TEXT, language="en", accent="fr", accent_method="guess")


# --- the engine ---------------------------------------------------------------------------------------------

def test_clone_like_me_and_with_an_accent():
    """The whole engine on a real reference saying its own transcript (media/, as the app has it)."""
    from toolkit.clone import clone, run_stages
    from toolkit.clone.delivery import transfer_scores
    from toolkit.media import example, list_examples

    ref = example("vctk_p228_ref")
    text = next(e.transcript for e in list_examples() if e.key == "vctk_p228_ref")
    res = clone(ref.y, sr=ref.sr, text=text, like_me=True, evaluate=False)
    assert res.delivery is not None and res.y is res.audio["like_me"]
    s = transfer_scores(res.delivery)
    assert s["duration_error_after"] < 0.04 and s["pitch_corr_after"] > 0.85
    with pytest.raises(ParameterError, match="does not seem to say"):
        clone(ref.y, sr=ref.sr, text="Six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a "
                                     "snack for her brother Bob, and a cup of tea.", like_me=True, evaluate=False)
    stages = {s.stage: s.value for s in run_stages(ref.y, sr=ref.sr, text="Think of the world.", accent="ja",
                                                   until="generate")}
    assert stages["fit"].cache_hit and len(stages["generate"]) > 24000 // 2
    with pytest.raises(ParameterError, match="accent"):
        next(run_stages(ref.y, sr=ref.sr, text="Hello.", accent="xx"))


def test_app_say_it_like_me_and_accent_controls():
    """The clone card's toggle and accent menu drive a real clone (the voice fitted above is cached)."""
    from toolkit.ui.app import AppState

    state = AppState(initial_example="vctk_p228_ref")
    assert state.accent.value == "native" and "English (US) (the reference's)" in [o[0] for o in state.accent.options]
    state.like_me.value = True
    assert state.text.value.startswith("If the red of the second bow")  # the example's transcript
    res = state.clone()
    assert res is not None and res.delivery is not None and res.y is res.delivery.y
    assert state.delivery_figure.layout.display == "" and state.delivery_figure.value[:2] == b"\xff\xd8"
    assert "Said like you" in state.status.value
    state.text.value = "Would you like a cup of tea, or shall we go for a walk first, and then talk about it?"
    res = state.clone()
    assert res.delivery is None and "record yourself saying exactly the text" in res.delivery_note
    assert "Said the clone" in state.status.value and state.delivery_figure.layout.display == "none"
    state.like_me.value = False
    state.accent.value = "fr"
    res = state.clone()
    assert res.accent == "fr" and res.delivery is None and res.delivery_note == ""


def test_melody_only_and_half_strength_on_a_known_change():
    """A slowed, monotone copy of a clip given the clip's delivery: the timing comes back unless asked not to."""
    from toolkit.clone.delivery import transfer_delivery, transfer_scores
    from toolkit.media import example
    from toolkit.prosody import modify_prosody

    ref = example("ref_good")
    slow = modify_prosody(ref.y, sr=ref.sr, tempo=0.8, range_scale=0.0)
    full = transfer_delivery(slow.y, sr=slow.sr, reference_y=ref.y, reference_sr=ref.sr)
    melody = transfer_delivery(slow.y, sr=slow.sr, reference_y=ref.y, reference_sr=ref.sr, timing=False)
    s_full, s_melody = transfer_scores(full), transfer_scores(melody)
    assert s_full["duration_error_before"] > 0.2 and s_full["duration_error_after"] < 0.03  # measured 0.247 → 0.000
    assert abs(melody.duration_s - slow.duration_s) < 0.25 * slow.duration_s
    assert s_melody["duration_error_after"] > 0.2  # the clone's own (slower) timing kept
    for s in (s_full, s_melody):
        assert s["pitch_corr_before"] < 0.3 and s["pitch_corr_after"] > 0.9  # measured ~0.0 → 0.98-0.99
