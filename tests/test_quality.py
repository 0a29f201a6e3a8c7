"""toolkit.quality: clean real references pass; each fault, made on purpose, is flagged by its check."""

import json

import numpy as np
import pytest

from toolkit import effects as fx
from toolkit.errors import ParameterError
from toolkit.quality import (CHECK_NAMES, UnusableAudioError, blind_rt60, check_reference, clipping_percent,
                             loudness_lufs_fast, wada_snr, wada_table)

SR = 16000
FLAG = {"warn", "fail"}


@pytest.fixture(scope="module")
def refs(speech_manifest):
    """Every reference clip of the real set (all languages, 16 and 24 kHz), at its own rate."""
    from toolkit.audio import load

    return {r["file"]: load(r["path"]) for r in speech_manifest if r["role"] == "ref"}


@pytest.fixture(scope="module")
def clips16(speech_manifest):
    from toolkit.audio import load

    return {r["speaker"] + ":" + r["role"]: load(r["path"], sr=SR)[0] for r in speech_manifest}


@pytest.fixture(scope="module")
def clean_reports(refs):
    return {name: check_reference(y, sr=sr) for name, (y, sr) in refs.items()}


def test_clean_references_never_fail(clean_reports):
    for name, rep in clean_reports.items():
        print(name, rep.statuses, round(rep.elapsed_s, 2))
        assert rep.ok, f"{name}: {rep.summary()}"
        assert [c.name for c in rep.checks] == list(CHECK_NAMES)


def test_clean_references_pass_the_core_checks(clean_reports):
    # noise may warn on crowd-sourced recordings (FLEURS) and duration on the 4.3 s AISHELL clip; these never do
    for name, rep in clean_reports.items():
        for check in ("clipping", "reverb", "speakers", "loudness"):
            assert rep[check].status == "pass", f"{name}: {rep[check]}"


@pytest.mark.parametrize("speaker", ["vctk_p228", "librispeech_1998", "librispeech_8230"])
def test_noise_at_3db_flags_noise(clips16, speaker):
    y = fx.add_noise(clips16[speaker + ":ref"], sr=SR, snr_db=3.0, seed=0)
    rep = check_reference(y, sr=SR, checks=["noise"])
    assert rep["noise"].status == "fail", rep.summary()


def test_babble_noise_flags_noise(clips16):
    y = clips16["librispeech_5703:ref"]
    others = [clips16[k] for k in ("librispeech_533:ref", "librispeech_198:ref", "librispeech_3575:ref",
                                   "librispeech_8230:ref")]
    noisy = fx.add_noise(y, sr=SR, snr_db=3.0, noise=fx.babble(others, n=len(y)))
    assert check_reference(noisy, sr=SR, checks=["noise"])["noise"].status in FLAG


@pytest.mark.parametrize("speaker", ["vctk_p228", "librispeech_533", "librispeech_2033"])
def test_reverb_of_1_2_s_flags_reverb(clips16, speaker):
    y = fx.add_reverb(clips16[speaker + ":ref"], sr=SR, rt60_s=1.2)
    rep = check_reference(y, sr=SR, checks=["reverb"])
    assert rep["reverb"].status in FLAG, rep.summary()
    assert rep["reverb"].value > 0.8


def test_blind_rt60_grows_with_the_room(clips16):
    y = clips16["librispeech_198:ref"]
    est = [blind_rt60(y)[0]] + [blind_rt60(fx.add_reverb(y, sr=SR, rt60_s=t))[0] for t in (0.3, 0.6, 1.2)]
    print(np.round(est, 2))
    assert all(a < b for a, b in zip(est, est[1:]))
    assert est[0] < 0.4


@pytest.mark.parametrize("speaker", ["vctk_p228", "librispeech_5703"])
def test_clipping_flags_clipping(clips16, speaker):
    y = fx.clip(clips16[speaker + ":ref"], sr=SR, drive_db=6.0)
    assert check_reference(y, sr=SR, checks=["clipping"])["clipping"].status in FLAG


@pytest.mark.parametrize("speaker", ["vctk_p228", "librispeech_3575"])
def test_two_seconds_fails_duration(clips16, speaker):
    y = fx.trim(clips16[speaker + ":ref"], sr=SR, start_s=0.5, duration_s=2.0)
    assert check_reference(y, sr=SR, checks=["duration"])["duration"].status == "fail"


def test_forty_seconds_warns_duration(clips16):
    parts = [clips16[k] for k in ("vctk_p228:ref", "vctk_p228:heldout", "librispeech_1998:ref")]
    y = np.concatenate(parts)
    y = np.tile(y, 2)[: 40 * SR]
    rep = check_reference(y, sr=SR, checks=["duration"])
    assert rep["duration"].status == "warn" and "40 s" in rep["duration"].message


def test_aishell_short_clip_warns_but_does_not_fail(clean_reports):
    name = next(n for n in clean_reports if n.startswith("aishell"))
    assert clean_reports[name]["duration"].status in ("warn", "pass")


@pytest.mark.parametrize("main,other", [("librispeech_1998", "librispeech_2033"), ("vctk_p228", "librispeech_5703")])
def test_alternating_speakers_flag_speakers(clips16, main, other):
    y = fx.alternate_turns(clips16[main + ":ref"], sr=SR, other=clips16[other + ":ref"], turn_s=3.0)
    rep = check_reference(y, sr=SR, checks=["speakers"])
    print(rep["speakers"])
    assert rep["speakers"].status in FLAG


@pytest.mark.parametrize("main,other,level", [("librispeech_1998", "librispeech_2033", 0.0),
                                              ("librispeech_198", "librispeech_8230", -3.0)])
def test_second_voice_talking_over_flags_speakers(clips16, main, other, level):
    y = clips16[main + ":ref"]
    mixed = fx.add_voice(y, sr=SR, other=clips16[other + ":ref"], level_db=level, offset_s=len(y) / SR / 2)
    rep = check_reference(mixed, sr=SR, checks=["speakers"])
    print(rep["speakers"])
    assert rep["speakers"].status in FLAG


def test_silence_is_unusable():
    with pytest.raises(UnusableAudioError, match="only silence"):
        check_reference(np.zeros(5 * SR, np.float32), sr=SR)


def test_near_silence_is_unusable():
    y = np.random.default_rng(0).standard_normal(5 * SR).astype(np.float32) * 1e-5
    with pytest.raises(UnusableAudioError, match="only silence"):
        check_reference(y, sr=SR)


def test_dc_offset_only_is_unusable():
    with pytest.raises(UnusableAudioError, match="no speech"):
        check_reference(np.full(3 * SR, 0.5, np.float32), sr=SR)


def test_long_silence_inside_flags_pauses(clips16):
    y = clips16["vctk_p228:ref"]
    half = len(y) // 2
    gapped = np.concatenate([y[:half], np.zeros(3 * SR, np.float32), y[half:]])
    rep = check_reference(gapped, sr=SR, checks=["pauses"])
    assert rep["pauses"].status == "fail" and rep["pauses"].value >= 2.5


def test_quiet_recording_flags_loudness(clips16):
    y = fx.change_volume(clips16["vctk_p228:ref"], sr=SR, gain_db=-30.0)
    assert check_reference(y, sr=SR, checks=["loudness"])["loudness"].status in FLAG


def test_unknown_check_name(clips16):
    with pytest.raises(ParameterError, match="unknown check"):
        check_reference(clips16["vctk_p228:ref"], sr=SR, checks=["vibes"])


def test_stereo_input_rejected():
    with pytest.raises(ParameterError, match="1-D"):
        check_reference(np.zeros((2, SR), np.float32), sr=SR)


def test_nan_input_rejected():
    with pytest.raises(ParameterError, match="NaN"):
        check_reference(np.full(SR, np.nan, np.float32), sr=SR)


# --- measurements against references -------------------------------------------------------

def test_wada_table_matches_simulation():
    from toolkit.quality.measures import _WADA_DB, _WADA_G

    idx = np.array([20, 30, 40, 60, 90])  # -> 0, 10, 20, 40, 70 dB
    fresh = wada_table(n=300_000, seed=1, snr_db=_WADA_DB[idx])
    assert np.max(np.abs(fresh - _WADA_G[idx])) < 0.01


@pytest.mark.parametrize("snr", [5.0, 15.0, 30.0])
def test_wada_snr_on_gamma_speech_model(snr):
    rng = np.random.default_rng(3)
    s = rng.gamma(0.4, 1.0, 300_000) * rng.choice([-1, 1], 300_000)
    y = s + rng.standard_normal(300_000) * np.sqrt(np.mean(s ** 2) / 10 ** (snr / 10))
    assert abs(wada_snr(y) - snr) < 1.5


@pytest.mark.parametrize("key", ["vctk_p228", "vctk_p260"])  # 16 and 24 kHz
def test_fast_loudness_matches_pyloudnorm(refs, key):
    from toolkit.analysis.loudness import loudness_lufs

    y, sr = next(v for k, v in refs.items() if k.startswith(key))
    assert abs(loudness_lufs_fast(y, sr=sr) - loudness_lufs(y, sr=sr)) < 0.1


def test_clipping_percent_counts_flat_tops():
    t = np.arange(SR) / SR
    y = np.sin(2 * np.pi * 100 * t)
    assert clipping_percent(y) == 0.0  # a smooth crest is not a flat top
    flat = np.clip(2 * y, -1, 1)
    assert clipping_percent(flat) > 30


def test_numpy_encoder_matches_torch_encoder(clips16):
    from toolkit._ge2e_numpy import get_numpy_encoder
    from toolkit.embedding import TorchSpeakerEncoder

    y = clips16["librispeech_533:ref"][: 5 * SR]
    _, e_torch = TorchSpeakerEncoder().embed_windows(y, sr=SR)  # Resemblyzer's torch model (sets 1 thread)
    _, e_np = get_numpy_encoder().embed_windows(y)
    assert e_np.shape == e_torch.shape
    assert np.max(np.abs(e_np - e_torch)) < 1e-4


# --- CLI ----------------------------------------------------------------------------------

def test_cli_check_json_shape(cli, refs, speech_dir):
    name = next(n for n in refs if n.startswith("librispeech_5703"))
    r = cli("check", speech_dir / name, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"ok", "checks"} and out["ok"] is True
    assert [c["name"] for c in out["checks"]] == list(CHECK_NAMES)
    for c in out["checks"]:
        assert set(c) == {"name", "status", "value", "unit", "message", "events"}
        assert c["status"] in ("pass", "warn", "fail") and c["message"]


def test_cli_check_bad_reference_still_exits_0(cli, tmp_path, clips16):
    import soundfile as sf

    path = tmp_path / "short.wav"
    sf.write(str(path), clips16["vctk_p228:ref"][SR:3 * SR], SR)
    r = cli("check", path, "--json")
    assert r.returncode == 0
    out = json.loads(r.stdout)
    assert out["ok"] is False and {c["name"]: c["status"] for c in out["checks"]}["duration"] == "fail"


def test_cli_check_human_output(cli, refs, speech_dir):
    name = next(n for n in refs if n.startswith("vctk_p228"))
    r = cli("check", speech_dir / name)
    assert r.returncode == 0 and "verdict:" in r.stdout and "speakers" in r.stdout


def _exit_2(r):
    assert r.returncode == 2, r.stdout
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")


def test_cli_check_silence_exits_2(cli, tmp_path):
    import soundfile as sf

    path = tmp_path / "silence.wav"
    sf.write(str(path), np.zeros(3 * SR, np.float32), SR)
    r = cli("check", path, "--json")
    _exit_2(r)
    assert "silence" in r.stderr


def test_cli_check_empty_file_exits_2(cli, tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    _exit_2(cli("check", path))


def test_cli_check_unreadable_exits_2(cli, tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("not audio")
    _exit_2(cli("check", path))


def test_cli_check_missing_file_exits_2(cli, tmp_path):
    _exit_2(cli("check", tmp_path / "nope.wav"))


# --- the clinic's checks (issue 14): music, hum, interruptions, bandwidth, two voices at once -----------------
# Thresholds were set on the references (role "ref") and faults made from them; the tests marked "heldout"
# run the same faults on clips of role "heldout", which were not measured while choosing them.

CLINIC = ("music", "hum", "interruptions", "bandwidth")


@pytest.fixture(scope="module")
def sounds_dir(speech_dir):
    path = speech_dir.parent / "sounds"
    if not (path / "music_jazz_vibe_ace.wav").exists():
        pytest.skip(f"{path} (the shared music and bird recordings) not found")
    return path


@pytest.fixture(scope="module")
def music16(sounds_dir):
    from toolkit.audio import load

    return load(sounds_dir / "music_jazz_vibe_ace.wav", sr=SR)[0]


@pytest.fixture(scope="module")
def robin16(sounds_dir):
    from toolkit.audio import load

    return load(sounds_dir / "robin_call.wav", sr=SR)[0]


def _with_event(y, event, at_s, peak_ratio=0.5):
    """The clip with a short sound laid in at ``at_s``, its peak ``peak_ratio`` of the clip's (notebook 04's way)."""
    out = y.astype(np.float64).copy()
    a = int(at_s * SR)
    n = min(len(event), len(y) - a)
    out[a:a + n] += event[:n] * peak_ratio * np.max(np.abs(y)) / np.max(np.abs(event))
    return out.astype(np.float32)


def test_clean_references_raise_no_new_alarm(clean_reports):
    """No false alarms of the new checks (nor of the overlap score under speakers) on the 12 references."""
    for name, rep in clean_reports.items():
        for check in CLINIC + ("speakers",):
            assert rep[check].status == "pass", f"{name}: {rep[check]}"


def test_findings_with_times_carry_them(clips16):
    y = clips16["vctk_p228:ref"]
    half = len(y) // 2
    gapped = np.concatenate([y[:half], np.zeros(3 * SR, np.float32), y[half:]])
    banged = fx.add_bang(gapped, sr=SR, at_s=2.0)
    rep = check_reference(fx.clip(banged, sr=SR, drive_db=12.0), sr=SR, checks=["pauses", "interruptions", "clipping"])
    (a, b), = [e for e in rep["pauses"].events if e[1] - e[0] > 2.5]
    assert abs(a - half / SR) < 0.3 and abs(b - (half / SR + 3.0)) < 0.3
    assert any(abs(a - 2.0) < 0.05 for a, _ in rep["interruptions"].events), rep["interruptions"]
    assert "2.0 s" in rep["interruptions"].message
    assert rep["clipping"].status in FLAG and rep["clipping"].events
    assert rep.to_dict()["checks"][1]["events"]


def test_bang_is_an_interruption_at_its_time(clips16):
    y = clips16["librispeech_5703:ref"]
    rep = check_reference(fx.add_bang(y, sr=SR, at_s=4.2), sr=SR, checks=["interruptions"])
    assert rep["interruptions"].status == "warn"
    assert [round(a, 1) for a, _ in rep["interruptions"].events] == [4.2]


def test_bang_over_a_phone_line_is_still_found(clips16):
    # nothing is noise-like up to 7.8 kHz in phone audio, so the bang search looks within the band it carries
    y = fx.phone_band(fx.add_bang(clips16["librispeech_5703:ref"], sr=SR, at_s=4.2), sr=SR)
    rep = check_reference(y, sr=SR, checks=["interruptions", "bandwidth"])
    assert rep["bandwidth"].status == "fail"
    assert [round(a, 1) for a, _ in rep["interruptions"].events] == [4.2]
    assert check_reference(fx.phone_band(clips16["librispeech_5703:ref"], sr=SR), sr=SR,
                           checks=["interruptions"])["interruptions"].status == "pass"


def test_telephone_band_fails_bandwidth(refs):
    from toolkit.audio import resample

    y, sr = next(v for k, v in refs.items() if k.startswith("librispeech_8230"))
    rep = check_reference(fx.phone_band(y, sr=sr), sr=sr, checks=["bandwidth"])
    assert rep["bandwidth"].status == "fail" and rep["bandwidth"].value < 4000
    # a real 8 kHz file: nothing above its Nyquist frequency, whatever the spectrum looks like
    y8 = resample(y, sr=sr, target_sr=8000)
    assert check_reference(y8, sr=8000, checks=["bandwidth"])["bandwidth"].status == "fail"


def test_hum_flags_hum(clips16):
    y = fx.add_hum(clips16["librispeech_2033:ref"], sr=SR, snr_db=25.0, mains_hz=60.0)
    c = check_reference(y, sr=SR, checks=["hum"])["hum"]
    assert c.status in FLAG and c.details["mains_hz"] == 60.0 and "60 Hz" in c.message


@pytest.mark.parametrize("key", ["librispeech_1998:ref", "librispeech_8230:ref", "librispeech_5703:ref"])
def test_hum_under_a_low_frequency_floor_flags_hum(clips16, key):
    # these recordings carry their own low-frequency noise as loud as the hum in the pauses, so the hum line
    # barely stands out there (prominence 11-17 dB, under the old 20 dB threshold); its level against the whole
    # recording (about -21 dB) gives it away
    clean = check_reference(clips16[key], sr=SR, checks=["hum"])["hum"]
    c = check_reference(fx.add_hum(clips16[key], sr=SR, snr_db=20.0), sr=SR, checks=["hum"])["hum"]
    assert clean.status == "pass" and c.status in FLAG, (clean, c)
    assert -24.0 < c.value < -18.0 and c.details["prominence_db"] < 20.0 and "dB under" in c.message


def test_hum_level_ignores_a_gliding_voice_and_finds_a_steady_line():
    from toolkit.quality import clinic

    t = np.arange(8 * SR) / SR
    glide = 0.3 * np.sin(2 * np.pi * 100 * t + 40 * np.sin(2 * np.pi * 0.5 * t))  # 80-120 Hz, like a voice
    assert clinic.hum_level(glide.astype(np.float32))["hum_db"] < -40
    steady = glide + 0.03 * np.sin(2 * np.pi * 50 * t)  # 50 Hz, 20 dB under the glide
    h = clinic.hum_level(steady.astype(np.float32))
    assert h["mains_hz"] == 50.0 and -23 < h["hum_db"] < -18, h


def test_robin_under_speech_is_an_interruption_at_its_time(clips16, robin16):
    y = clips16["librispeech_2033:ref"]
    rep = check_reference(_with_event(y, robin16, 4.0), sr=SR, checks=["interruptions"])
    c = rep["interruptions"]
    assert c.status == "warn" and "bird" in c.message, c
    assert c.events and all(4.0 <= a <= 4.0 + len(robin16) / SR for a, _ in c.events), c.events
    assert 3.9 < c.events[0][0] < 4.5 and f"at {c.events[0][0]:.1f}" in c.message
    assert check_reference(y, sr=SR, checks=["interruptions"])["interruptions"].status == "pass"


def test_robin_is_caught_on_every_reference_and_music_is_not_a_bird(refs, robin16, music16):
    from toolkit.audio import resample

    for name, (y, sr) in refs.items():
        y16 = resample(y, sr=sr, target_sr=SR)
        at = len(y16) / SR / 2
        c = check_reference(_with_event(y16, robin16, at), sr=SR, checks=["interruptions"])["interruptions"]
        assert c.status == "warn" and c.details["whistle_events"], (name, c)
        assert not check_reference(fx.add_music(y16, sr=SR, music=music16, snr_db=10.0), sr=SR,
                                   checks=["interruptions"])["interruptions"].details["whistle_events"], name


def test_music_flags_music_or_noise(clips16, music16):
    # p228: the music check names it; 2033: the tonal level rises as much, but stays under the threshold
    # (-26.8 dB), and the noise check flags the background instead
    for key, named in (("vctk_p228:ref", True), ("librispeech_2033:ref", False)):
        y = clips16[key]
        clean = check_reference(y, sr=SR, checks=["music"])["music"]
        rep = check_reference(fx.add_music(y, sr=SR, music=music16, snr_db=5.0), sr=SR, checks=["music", "noise"])
        assert rep["music"].value > clean.value + 10.0, (clean, rep.summary())
        assert rep["music"].status == ("warn" if named else "pass"), rep.summary()
        assert rep["noise"].status in FLAG


def test_overlap_measure_separates_one_voice_from_two(clips16):
    from toolkit.analysis.pitch import estimate_f0
    from toolkit.analysis.rhythm import speech_segments
    from toolkit.quality import clinic

    def score(y):
        return clinic.overlap_evidence(estimate_f0(y, sr=SR, adaptive=False), speech_segments(y, sr=SR))["score"]

    one = score(clips16["librispeech_5703:ref"])
    two = score(fx.add_voice(clips16["librispeech_5703:ref"], sr=SR, other=clips16["librispeech_533:ref"],
                             level_db=20 * np.log10(0.9)))
    assert two > one + 1.0, (one, two)


@pytest.mark.parametrize("main,other", [("librispeech_2033", "vctk_p228"), ("vctk_p228", "librispeech_2033"),
                                        ("librispeech_2033", "librispeech_1998"), ("librispeech_2033", "librispeech_198")])
def test_mixtures_the_pitch_score_missed_flag_speakers(clips16, main, other):
    # the pitch-track score alone stays under its old threshold (2.6) on these man+woman mixtures (2.2-2.5); the
    # windows' GE2E agreement, added to it, carries them over
    y = fx.add_voice(clips16[main + ":ref"], sr=SR, other=clips16[other + ":ref"], level_db=20 * np.log10(0.9))
    c = check_reference(y, sr=SR, checks=["speakers"])["speakers"]
    assert c.status in FLAG and "Two voices at the same time" in c.message, c
    assert c.details["pitch_score"] < 2.6 and c.value >= 0.60, c.details  # the old code: both under their thresholds


def test_overlap_score_is_not_judged_under_echo(clips16):
    y = fx.add_reverb(clips16["librispeech_533:ref"], sr=SR, rt60_s=0.8)
    rep = check_reference(y, sr=SR, checks=["reverb", "speakers"])
    assert rep["reverb"].status in FLAG
    assert "Two voices" not in rep["speakers"].message, rep["speakers"]


# --- held out: clips never used to set a threshold ------------------------------------------------------------

@pytest.fixture(scope="module")
def heldout(speech_manifest):
    """One held-out clip per English speaker that has one (5 s or more), at 16 kHz, with its gender."""
    from toolkit.audio import load

    out, seen = {}, set()
    for r in speech_manifest:
        if r["role"] == "heldout" and r["speaker"] not in seen and r["duration_s"] >= 5.0:
            seen.add(r["speaker"])
            out[r["file"]] = (load(r["path"], sr=SR)[0], r["gender"])
    return out


@pytest.fixture(scope="module")
def heldout_clean(heldout):
    return {k: check_reference(y, sr=SR) for k, (y, _) in heldout.items()}


def _worse(rep, clean):
    return [c.name for c in rep.checks if RANK[c.status] > RANK[clean[c.name].status]]


from toolkit.quality.report import RANK  # noqa: E402


def test_heldout_clean_never_fail(heldout_clean):
    for name, rep in heldout_clean.items():
        print(name, rep.statuses)
        assert rep.ok, f"{name}: {rep.summary()}"


def test_heldout_clean_raise_no_new_alarm(heldout_clean):
    # bandwidth warns on the two MP3 clips (their encoder's low-pass, a true finding); the rest stay quiet
    for name, rep in heldout_clean.items():
        for check in ("speakers", "music", "hum", "interruptions"):
            assert rep[check].status == "pass", f"{name}: {rep[check]}"


def test_one_window_pair_does_not_decide_two_voices(speech_manifest):
    # the held-out false alarm of the first run of the overlap score: a 7.5 s clip with one pair of windows
    from toolkit.audio import load

    row = next(r for r in speech_manifest if r["file"].startswith("librispeech_2033__heldout1"))
    c = check_reference(load(row["path"], sr=SR)[0], sr=SR, checks=["speakers"])["speakers"]
    assert c.details["n_pairs"] < 3 and c.status == "pass", c


def test_short_heldout_mixture_flags_speakers_and_short_clean_clips_stay_clean(speech_manifest):
    # the one held-out mixture the long-clip rule missed: LibriSpeech 8230 (5.2 s, one pair of non-overlapping
    # windows) with 533 over it at 0.9; the pitch score alone reads 2.47, under OVERLAP_PITCH_WARN (2.6). Its
    # half-overlapping windows give the short-clip reading (OVERLAP_SHORT_*), set on cropped references only
    from toolkit.audio import load

    path = {r["file"].split("__")[0] + ":" + r["file"].split("__")[1]: r["path"] for r in speech_manifest}
    y = load(path["librispeech_8230:heldout1"], sr=SR)[0]
    other = load(path["librispeech_533:heldout1"], sr=SR)[0]
    c = check_reference(fx.add_voice(y, sr=SR, other=other, level_db=20 * np.log10(0.9)), sr=SR,
                        checks=["speakers"])["speakers"]
    assert c.status in FLAG and "Two voices at the same time" in c.message, c
    assert c.details["n_pairs"] < 3 <= c.details["n_pairs_half"], c.details
    # every clean clip of the set that is judged by the short-clip reading (held out and references) stays clean
    short = 0
    for r in speech_manifest:
        c = check_reference(load(r["path"], sr=SR)[0], sr=SR, checks=["reverb", "speakers"])["speakers"]
        if c.details["n_pairs"] < 3 <= c.details.get("n_pairs_half", 0):
            short += 1
            assert c.status == "pass", (r["file"], c)
    assert short >= 5  # 2033 heldout1/2, 3575 heldout1, 8230 heldout1, p260 ref


def test_heldout_old_faults_keep_working(heldout):
    for name, (y, _) in list(heldout.items())[:4]:
        assert check_reference(fx.add_noise(y, sr=SR, snr_db=3.0), sr=SR, checks=["noise"])["noise"].status == "fail"
        assert check_reference(fx.add_reverb(y, sr=SR, rt60_s=1.2), sr=SR,
                               checks=["reverb"])["reverb"].status in FLAG, name
        assert check_reference(fx.clip(y, sr=SR, drive_db=12.0), sr=SR,
                               checks=["clipping"])["clipping"].status == "fail"
        assert check_reference(y[: 2 * SR], sr=SR, checks=["duration"])["duration"].status == "fail"
        long = np.tile(y, int(np.ceil(40 * SR / len(y))))[: 40 * SR]
        assert check_reference(long, sr=SR, checks=["duration"])["duration"].status == "warn"
        with pytest.raises(UnusableAudioError):
            check_reference(np.zeros_like(y), sr=SR)


@pytest.mark.parametrize("fault", ["music", "hum", "bang", "phone", "robin"])
def test_heldout_new_faults_make_some_check_worse(heldout, heldout_clean, music16, robin16, fault):
    make = {"music": lambda y: fx.add_music(y, sr=SR, music=music16, snr_db=10.0),
            "robin": lambda y: _with_event(y, robin16, len(y) / SR / 2),
            "hum": lambda y: fx.add_hum(y, sr=SR, snr_db=20.0),
            "bang": lambda y: fx.add_bang(y, sr=SR, at_s=len(y) / SR / 2),
            "phone": lambda y: fx.phone_band(y, sr=SR)}[fault]
    worse = {}
    for name, (y, _) in heldout.items():
        worse[name] = _worse(check_reference(make(y), sr=SR), heldout_clean[name])
        print(fault, name, worse[name])
    n_worse = sum(bool(w) for w in worse.values())
    assert n_worse == len(worse), worse


def test_heldout_second_voice_at_once_flags_speakers(heldout):
    males = [y for y, g in heldout.values() if g == "M"]
    females = [y for y, g in heldout.values() if g == "F"]
    flagged = []
    for i, m in enumerate(males):
        f = females[i % len(females)]
        rep = check_reference(fx.add_voice(m, sr=SR, other=f, level_db=20 * np.log10(0.9)), sr=SR,
                              checks=["speakers"])
        print(rep["speakers"])
        flagged.append(rep["speakers"].status in FLAG)
    # the pitch score alone caught 6 of 13 held-out mixtures; with the windows' agreement added, all of these
    assert all(flagged), flagged
