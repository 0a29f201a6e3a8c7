"""Issue 17, pace: a syllable rate from pocketsphinx's recognition against the nuclei detector (numbers only).

The clone's speed factor follows the reference's syllable rate (:func:`toolkit.clone.generate.pace_speed`),
read today by the nuclei detector (:func:`toolkit.analysis.speaking_rate`). This script measures whether
counting the syllables of what pocketsphinx recognises (bundled English model, offline) would read the
rate better. Estimators, each syllables over the speech time of :func:`toolkit.analysis.speech_segments`:

* ``detector``: the nuclei detector as it is;
* ``words``: pocketsphinx with the bundled LM; syllables = vowel phones of the recognised words'
  pronunciations in the bundled dictionary;
* ``allphone``: pocketsphinx in allphone mode (bundled phone LM); syllables = recognised vowel phones;
* ``gated``: ``words`` when it finds at least as many syllables as the detector has nuclei (the detector
  merges syllables, so fewer means the recognition broke down), else the detector over
  :data:`toolkit.defaults.PACE_DETECTOR_SHARE`.

On the references of the English speakers of ``../shared/speech`` it prints (a) the count against the
transcript's syllables (the clips that have one), (b) the share of a 25 % faster copy each estimator
follows (``log(rate change) / log(1.25)``; librosa ``time_stretch`` with 32 ms frames (n_fft 512, hop 128
at 16 kHz) and 128 ms frames (librosa's default 2048), and WORLD, :func:`toolkit.prosody.change_tempo`),
(c) the change a +3 semitone copy (librosa ``pitch_shift``) falsely reports, in the same units (ideal
1 / 1 / 1 / 0), and (d) CPU seconds per 10 s of audio. With ``--kokoro`` also the same on the shipped
Kokoro voices speaking two sentences of known syllables at speed 1 and 1.25.

Run: ``.venv/bin/python benchmarks/bench_pace_estimators.py [--json OUT] [--kokoro]``.
Results: docs/benchmarks.md, "pace from pocketsphinx".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: Vowel phones of the CMU phone set (pocketsphinx's dictionary has no stress marks): one per syllable.
VOWELS = frozenset({"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"})
#: The known changes: name → (change of pace the estimator should report, how the copy is made at 16 kHz).
CHANGES = {
    "ts32": (1.25, lambda y: __import__("librosa").effects.time_stretch(y, rate=1.25, n_fft=512, hop_length=128)),
    "ts128": (1.25, lambda y: __import__("librosa").effects.time_stretch(y, rate=1.25)),
    "world": (1.25, lambda y: __import__("toolkit.prosody", fromlist=["x"]).change_tempo(y, sr=16000, rate=1.25)),
    "pitch3": (1.0, lambda y: __import__("librosa").effects.pitch_shift(y, sr=16000, n_steps=3)),
}
_DECODERS: dict = {}


def syllables_of_pronunciation(phones: str) -> int:
    """Syllables of a CMU-style pronunciation: its vowel phones.

    Examples
    --------
    >>> syllables_of_pronunciation("EH S P EH SH AH L IY")   # especially
    4
    >>> syllables_of_pronunciation("")
    0
    """
    return sum(p.rstrip("012") in VOWELS for p in phones.split())


def decoder(mode: str = "words"):
    """A pocketsphinx decoder at 16 kHz, made once per process: ``"words"`` (bundled LM and dictionary) or
    ``"allphone"`` (bundled phone LM, beams as pocketsphinx's documentation advises for phone decoding)."""
    if mode not in _DECODERS:
        from pocketsphinx import Decoder, get_model_path

        if mode == "words":
            _DECODERS[mode] = Decoder(samprate=16000, loglevel="FATAL")
        elif mode == "allphone":
            _DECODERS[mode] = Decoder(samprate=16000, loglevel="FATAL", lm=None, beam=1e-20, pbeam=1e-20, lw=2.0,
                                      allphone=os.path.join(get_model_path(), "en-us", "en-us-phone.lm.bin"))
        else:
            raise ValueError(f"mode must be 'words' or 'allphone', got {mode!r}")
    return _DECODERS[mode]


def text_syllables(text: str) -> int:
    """Syllables of an English text by the bundled dictionary (vowel groups for a word it lacks).

    Examples
    --------
    >>> text_syllables("There may be a specific feeling")
    9
    """
    d, n = decoder("words"), 0
    for w in re.findall(r"[a-z']+", text.lower()):
        p = d.lookup_word(w)
        n += syllables_of_pronunciation(p) if p else max(1, len(re.findall(r"[aeiouy]+", w)))
    return n


def recognised_syllables(y16, *, mode: str = "words") -> tuple[int, float]:
    """Syllables pocketsphinx recognises in a 16 kHz clip, and the CPU seconds it took (fillers and silences
    are not counted)."""
    d = decoder(mode)
    pcm = (np.clip(np.asarray(y16, np.float32), -1, 1) * 32767).astype(np.int16).tobytes()
    t = time.process_time()
    d.start_utt()
    d.process_raw(pcm, full_utt=True)
    d.end_utt()
    n = 0
    for seg in d.seg():
        w = seg.word
        if w[:1] in "<[+" or w == "SIL":
            continue
        if mode == "allphone":
            n += w in VOWELS
        else:
            p = d.lookup_word(w)
            n += syllables_of_pronunciation(p) if p else 1
    return n, time.process_time() - t


def gated_rate(recognised: int, nuclei: int, speech_s: float, *, detector_share: float) -> float:
    """The recognised syllables' rate when recognition found at least the detector's nuclei, else the detector's
    rate over its known share of the true syllables; ``nan`` without speech.

    Examples
    --------
    >>> gated_rate(30, 27, 6.0, detector_share=0.9)   # recognition found more: taken
    5.0
    >>> gated_rate(18, 27, 6.0, detector_share=0.9)   # it found fewer than the detector: the detector, undone
    5.0
    """
    if speech_s <= 0:
        return float("nan")
    return recognised / speech_s if recognised >= nuclei else nuclei / detector_share / speech_s


def rates(y16) -> dict:
    """Every estimator's reading of a 16 kHz clip (syl/s), the counts, and CPU seconds."""
    from toolkit.analysis.rhythm import speech_duration_s, speech_segments, syllable_nuclei
    from toolkit.defaults import PACE_DETECTOR_SHARE

    speech_s = speech_duration_s(speech_segments(y16, sr=16000))
    t = time.process_time()
    nuclei = len(syllable_nuclei(y16, sr=16000))
    out = {"speech_s": speech_s, "n_detector": nuclei, "cpu_detector": time.process_time() - t,
           "detector": nuclei / speech_s}
    for mode in ("words", "allphone"):
        n, cpu = recognised_syllables(y16, mode=mode)
        out.update({f"n_{mode}": n, f"cpu_{mode}": cpu, mode: n / speech_s})
    out["gated"] = gated_rate(out["n_words"], nuclei, speech_s, detector_share=PACE_DETECTOR_SHARE)
    return out


ESTIMATORS = ("detector", "words", "allphone", "gated")


def shares(res: dict) -> dict:
    """estimator → change → per-speaker share (``log(rate change) / log(1.25)``; 0 is ideal for ``pitch3``)."""
    out = {}
    for e in ESTIMATORS:
        out[e] = {c: {s: float(np.log(r[c][e] / r["orig"][e]) / np.log(1.25)) for s, r in res.items() if c in r}
                  for c in CHANGES}
    return out


def reference_clips(speech: Path):
    """(name, role, transcript, y16) of the English references and of the other English clips with transcripts."""
    import soundfile as sf

    from toolkit.audio import resample

    for row in csv.DictReader(open(speech / "manifest.csv", encoding="utf-8")):
        if row["language"] != "en" or (row["role"] != "ref" and not row["transcript"]):
            continue
        y, sr = sf.read(speech / row["file"], dtype="float32", always_2d=True)
        y = y.mean(axis=1)
        if sr != 16000:
            y = resample(y, sr=sr, target_sr=16000)
        yield row["file"].split(".")[0], row["role"], row["transcript"], np.asarray(y, np.float32)


def kokoro_check() -> list:
    """The shipped Kokoro voices saying two sentences of known syllables at speed 1 and 1.25."""
    from toolkit.analysis.rhythm import speech_duration_s, speech_segments
    from toolkit.audio import resample
    from toolkit.clone.generate import REFINE_TEXT
    from toolkit.synth.kokoro import get_tts

    tts, rows = get_tts(), []
    for text in (REFINE_TEXT, "When the lights came back on, everyone in the hall was still waiting for the speaker to begin."):
        true_n = text_syllables(text)
        for name in tts.voices:
            r = {}
            for speed in (1.0, 1.25):
                y, sr = tts.synthesize(text, style=tts.voices[name], speed=speed)
                y16 = np.asarray(resample(y, sr=sr, target_sr=16000), np.float32)
                r[speed] = {**rates(y16), "true": true_n / speech_duration_s(speech_segments(y16, sr=16000))}
            true_change = np.log(r[1.25]["true"] / r[1.0]["true"])
            row = {"voice": name, "text_syllables": true_n, "true_rate": [r[1.0]["true"], r[1.25]["true"]]}
            for e in ESTIMATORS:
                row[e] = {"share_of_true": r[1.0][e] / r[1.0]["true"],
                          "follows": float(np.log(r[1.25][e] / r[1.0][e]) / true_change)}
            rows.append(row)
            print(f"kokoro {name:14s} {true_n} syl  " + "  ".join(
                f"{e} {row[e]['share_of_true']:.2f}/{row[e]['follows']:.2f}" for e in ESTIMATORS), flush=True)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--kokoro", action="store_true", help="also the shipped Kokoro voices at speed 1 and 1.25")
    args = ap.parse_args(argv)

    res, accuracy, cpu, audio_s = {}, [], {e: 0.0 for e in ("detector", "words", "allphone")}, 0.0
    for name, role, transcript, y in reference_clips(args.speech):
        copies = {"orig": y} if role != "ref" else {"orig": y, **{c: f(y) for c, (_, f) in CHANGES.items()}}
        r = {c: rates(np.clip(yc, -1, 1).astype(np.float32)) for c, yc in copies.items()}
        for c, yc in copies.items():
            audio_s += len(yc) / 16000
            for e in cpu:
                cpu[e] += r[c][f"cpu_{e}"]
        if transcript:
            accuracy.append({"clip": name, "transcript": text_syllables(transcript),
                             **{e: r["orig"][f"n_{e}"] for e in ("detector", "words", "allphone")}})
            print("counts", accuracy[-1], flush=True)
        if role == "ref":
            res[name.split("__")[0]] = r
            print(name, {c: {e: round(r[c][e], 2) for e in ESTIMATORS} for c in r}, flush=True)
    sh = shares(res)
    print("\n(a) count / transcript syllables: " + ", ".join(
        f"{e} median {np.median([a[e] / a['transcript'] for a in accuracy]):.2f} "
        f"({min(a[e] / a['transcript'] for a in accuracy):.2f}-{max(a[e] / a['transcript'] for a in accuracy):.2f})"
        for e in ("detector", "words", "allphone")))
    print("(b, c) share followed, ts32 / ts128 / world / pitch3 (ideal 1 / 1 / 1 / 0): mean [min, max]")
    for e in ESTIMATORS:
        print(f"  {e:9s} " + "  ".join(f"{np.mean(list(sh[e][c].values())):5.2f} [{min(sh[e][c].values()):5.2f}, "
                                       f"{max(sh[e][c].values()):5.2f}]" for c in CHANGES))
        for s in ("librispeech_198", "librispeech_1998", "librispeech_2033"):
            if s in res:
                print(f"      {s:18s} " + " ".join(f"{sh[e][c][s]:5.2f}" for c in CHANGES))
    print("(d) CPU s per 10 s of audio: " + ", ".join(f"{e} {cpu[e] / audio_s * 10:.2f}" for e in cpu))
    out = {"rates": res, "accuracy": accuracy, "shares": sh, "cpu_per_10s": {e: cpu[e] / audio_s * 10 for e in cpu}}
    if args.kokoro:
        out["kokoro"] = kokoro_check()
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
