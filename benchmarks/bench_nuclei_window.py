"""Issue 17, pace: how the syllable-nuclei detector follows a faster reference, by intensity window (numbers only).

:func:`toolkit.analysis.syllable_nuclei` reads peaks of Praat's intensity contour made with a minimum pitch of
50 Hz (an analysis window of 3.2 / 50 Hz = 64 ms), which merges short syllables of fast speech. This script
re-implements the same steps with the minimum pitch (and the dip threshold) as parameters, and measures on
the references of the English speakers of ``../shared/speech``:

* the nuclei count and the speech time (:func:`toolkit.analysis.speech_segments`) of each reference and of a
  25 % faster copy (librosa ``time_stretch`` with 32 ms frames, as the carry-over table; and WORLD,
  :func:`toolkit.prosody.change_tempo`), and the share of the change the rate follows
  (``log(rate change) / log(1.25)``, ideal 1);
* the false change read on a +3 semitone copy (librosa ``pitch_shift``; ideal 0);
* the count against the transcript's syllables where the clip has one (``bench_pace_estimators.text_syllables``).

    python benchmarks/bench_nuclei_window.py --json benchmarks/results/nuclei_window.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

#: (minimum pitch of the intensity contour in Hz, minimum dip in dB); the first is the toolkit's detector.
VARIANTS = ((50.0, 2.0), (75.0, 2.0), (100.0, 2.0), (50.0, 1.0), (75.0, 1.0))
CHANGES = {
    "ts32": (1.25, lambda y: __import__("librosa").effects.time_stretch(y, rate=1.25, n_fft=512, hop_length=128)),
    "world": (1.25, lambda y: __import__("toolkit.prosody", fromlist=["x"]).change_tempo(y, sr=16000, rate=1.25)),
    "pitch3": (1.0, lambda y: __import__("librosa").effects.pitch_shift(y, sr=16000, n_steps=3)),
}


def nuclei_count(y, *, sr, min_pitch_hz: float = 50.0, min_dip_db: float = 2.0, threshold_db: float = -25.0,
                 f0_track=None) -> int:
    """Voiced syllable nuclei of ``y`` as :func:`toolkit.analysis.syllable_nuclei` finds them, with the intensity
    contour's minimum pitch as a parameter (50 Hz there)."""
    import parselmouth

    from toolkit.analysis import estimate_f0

    snd = parselmouth.Sound(np.asarray(y, np.float64), sampling_frequency=float(sr))
    inten = snd.to_intensity(minimum_pitch=min_pitch_hz, subtract_mean=False)
    level, times = inten.values[0].astype(np.float64), np.asarray(inten.xs(), np.float64)
    thresh = np.percentile(level, 99) + threshold_db
    peaks = np.flatnonzero((level[1:-1] > level[:-2]) & (level[1:-1] >= level[2:]) & (level[1:-1] > thresh)) + 1
    bounds = np.append(peaks, len(level) - 1)
    keep = [p for i, p in enumerate(peaks) if level[p] - level[p:bounds[i + 1] + 1].min() > min_dip_db]
    if not keep:
        return 0
    cand_t = times[np.array(keep)]
    track = f0_track if f0_track is not None else estimate_f0(y, sr=sr, adaptive=False)
    idx = np.clip(np.searchsorted(track.times_s, cand_t), 0, len(track.times_s) - 1)
    prev = np.clip(idx - 1, 0, len(track.times_s) - 1)
    near = np.where(np.abs(track.times_s[prev] - cand_t) < np.abs(track.times_s[idx] - cand_t), prev, idx)
    return int(np.sum(track.voiced[near]))


def readings(y16) -> dict:
    from toolkit.analysis import estimate_f0
    from toolkit.analysis.rhythm import speech_duration_s, speech_segments

    track = estimate_f0(y16, sr=16000, adaptive=False)
    out = {"speech_s": speech_duration_s(speech_segments(y16, sr=16000))}
    for mp, dip in VARIANTS:
        out[f"n_{mp:g}Hz_{dip:g}dB"] = nuclei_count(y16, sr=16000, min_pitch_hz=mp, min_dip_db=dip, f0_track=track)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    from bench_pace_estimators import reference_clips, text_syllables

    res, counts = {}, []
    for name, role, transcript, y in reference_clips(args.speech):
        copies = {"orig": y} if role != "ref" else {"orig": y, **{c: f(y) for c, (_, f) in CHANGES.items()}}
        r = {c: readings(np.clip(yc, -1, 1).astype(np.float32)) for c, yc in copies.items()}
        if transcript:
            counts.append({"clip": name, "transcript": text_syllables(transcript),
                           **{k: v for k, v in r["orig"].items() if k.startswith("n_")}})
        if role == "ref":
            res[name.split("__")[0]] = r
            print(name, json.dumps(r), flush=True)
    keys = [f"n_{mp:g}Hz_{dip:g}dB" for mp, dip in VARIANTS]
    shares = {k: {c: {s: float(np.log((r[c][k] / r[c]["speech_s"]) / (r["orig"][k] / r["orig"]["speech_s"]))
                              / np.log(1.25)) for s, r in res.items()} for c in CHANGES} for k in keys}
    print("share followed: ts32 / world / pitch3 (ideal 1 / 1 / 0), mean [min, max]; count / transcript median")
    for k in keys:
        ratio = [c[k] / c["transcript"] for c in counts]
        print(f"  {k:14s} " + "  ".join(f"{c} {np.mean(list(shares[k][c].values())):5.2f} "
                                        f"[{min(shares[k][c].values()):5.2f}, {max(shares[k][c].values()):5.2f}]"
                                        for c in CHANGES)
              + f"  count/transcript {np.median(ratio):.2f} ({min(ratio):.2f}-{max(ratio):.2f}, n={len(ratio)})")
        print("      " + "  ".join(f"{s.split('_')[-1]} {shares[k]['ts32'][s]:5.2f}" for s in res))
    if args.json:
        args.json.write_text(json.dumps({"variants": keys, "readings": res, "shares": shares, "counts": counts},
                                        indent=1))


if __name__ == "__main__":
    main()
