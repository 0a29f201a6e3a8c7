"""How stage 0 changes the pace the engine reads from a degraded reference, and what that costs the clone.

For every English speaker of ``../shared/speech`` with held-out clips, the reference degraded as in
``bench_clone.py --degraded`` (10 dB SNR white noise, a 0.5 s RT60 room, both), then:

1. **rates** (no cloning): syllable nuclei, speech time and speaking rate of the clean reference and of the
   degraded ones denoised by DeepFilterNet3 (``steps=["denoise"]``, without the 20 dB limit ``enhance="auto"``
   sets when it finds noise alone), with the speech-time threshold at -25 (the toolkit's), -30, -35 and -40 dB;
2. ``--clones``: the pipeline's clone of each degraded reference (``enhance="auto"``'s cleaning, blended voice
   print, its own pace) and
   the same fitted voice speaking at the pace the *clean* reference gives (an oracle), both scored like the clone
   table (GE2E to the mean of the held-out clips), against the clone of the clean reference.

    python benchmarks/bench_degraded_pace.py --json benchmarks/results/degraded_pace.json [--clones noise,noise+echo]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_clone import (DEGRADATIONS, FALLBACK_TEXTS, degrade, english_speakers, held_out_target,  # noqa: E402
                         voice_says_16k)

#: Speech-time thresholds tried (dB under the clip's 99th-percentile level; the toolkit uses the first).
THRESHOLDS_DB = (-25.0, -30.0, -35.0, -40.0)
DEGRADED = ("noise", "echo", "noise+echo")


def speakers(speech: Path):
    """``[(speaker, reference row, held-out rows)]`` of the English speakers with held-out clips, sorted."""
    rows = list(csv.DictReader(open(speech / "manifest.csv", encoding="utf-8")))
    return [(s, next(r for r in rows if r["speaker"] == s and r["role"] == "ref"),
             [r for r in rows if r["speaker"] == s and r["role"] == "heldout"]) for s in english_speakers(rows)]


def rates(speech: Path) -> dict:
    """speaker → {"clean": {...}, degradation → {"nuclei", "speech_s" {threshold: s}, "rate" {threshold: syl/s}}}."""
    from toolkit.analysis import speech_duration_s, speech_segments, syllable_nuclei
    from toolkit.audio import load
    from toolkit.enhance import clean_reference

    def read(y, sr):
        n = len(syllable_nuclei(y, sr=sr))
        secs = {t: speech_duration_s(speech_segments(y, sr=sr, threshold_db=t)) for t in THRESHOLDS_DB}
        return {"nuclei": n, "speech_s": secs, "rate": {t: n / s for t, s in secs.items()}}

    res = {}
    for n_s, (s, ref, _) in enumerate(speakers(speech)):
        y, sr = load(speech / ref["file"], sr=16000)
        res[s] = {"clean": read(y, sr)}
        for deg in DEGRADED:
            yd = degrade(y, sr=sr, snr_db=DEGRADATIONS[deg][0], rt60_s=DEGRADATIONS[deg][1], seed=n_s)
            res[s][deg] = read(clean_reference(yd, sr=sr, steps=["denoise"]).y, sr)
        print(s, "clean", res[s]["clean"]["nuclei"], "nuclei,", {d: res[s][d]["nuclei"] for d in DEGRADED}, flush=True)
    return res


def clones(speech: Path, conditions) -> dict:
    """speaker → {"clean": GE2E, degradation → {"speed", "speed_oracle", "similarity", "similarity_oracle", ...}}."""
    from toolkit.audio import load
    from toolkit.clone import encode_reference
    from toolkit.clone.generate import pace_speed
    from toolkit.clone.pipeline import fit
    from toolkit.embedding import embed
    from toolkit.enhance import blend_encoding, clean_reference

    os.environ["VOICE_LAB_CACHE"] = tempfile.mkdtemp(prefix="bench_degraded_pace_")
    spk = speakers(speech)
    target = {s: held_out_target(speech, held, s) for s, _, held in spk}

    def score(s, voice, enc, text):
        return float(embed(voice_says_16k(voice, enc, text), sr=16000) @ target[s])

    res = {}
    for n_s, (s, ref, held) in enumerate(spk):
        texts = [r["transcript"] for r in held if r["transcript"]]
        text = texts[0] if texts else FALLBACK_TEXTS[n_s % len(FALLBACK_TEXTS)]
        y, sr = load(speech / ref["file"], sr=16000)
        enc0 = encode_reference(y, sr=sr)
        v0 = fit(enc0).voice
        rate0 = enc0.profile.speaking_rate_syl_per_s
        res[s] = {"clean": score(s, v0, enc0, text), "clean_speed": v0.speed, "clean_rate": rate0}
        for deg in conditions:
            yd = degrade(y, sr=sr, snr_db=DEGRADATIONS[deg][0], rt60_s=DEGRADATIONS[deg][1], seed=n_s)
            cl = clean_reference(yd, sr=sr, steps="auto")  # what enhance="auto" does, then its blended voice print
            enc = blend_encoding(encode_reference(cl.y, sr=sr), yd, sr=sr) if cl.steps else encode_reference(yd, sr=sr)
            v = fit(enc).voice
            oracle = replace(v, speed=pace_speed(rate0, v.scores["voice_rate_syl_per_s"]))
            res[s][deg] = {"steps": list(cl.steps), "rate": enc.profile.speaking_rate_syl_per_s, "speed": v.speed,
                           "speed_oracle": oracle.speed, "similarity": score(s, v, enc, text),
                           "similarity_oracle": score(s, oracle, enc, text)}
            r = res[s][deg]
            print(f"{s} {deg} {cl.steps}: rate {rate0:.2f} -> {r['rate']:.2f}, speed {r['speed']:.2f} (oracle "
                  f"{r['speed_oracle']:.2f}); GE2E clean {res[s]['clean']:.3f}, degraded {r['similarity']:.3f}, "
                  f"with the clean pace {r['similarity_oracle']:.3f}", flush=True)
    return res


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--clones", default="", help="comma-separated degradations to clone (noise, echo, noise+echo)")
    args = ap.parse_args(argv)
    if not (args.speech / "manifest.csv").exists():
        raise SystemExit(f"no {args.speech / 'manifest.csv'}: put ../shared/speech beside the project or set VOICE_LAB_SPEECH")
    conditions = [c for c in args.clones.split(",") if c]
    bad = set(conditions) - set(DEGRADED)
    if bad:
        raise SystemExit(f"--clones takes {', '.join(DEGRADED)}; got {', '.join(sorted(bad))}")
    out = {"rates": rates(args.speech)}
    R = out["rates"]
    for deg in DEGRADED:
        bias = {t: 100 * float(np.mean([np.log(R[s][deg]["rate"][t] / R[s]["clean"]["rate"][-25.0]) for s in R]))
                for t in THRESHOLDS_DB}
        nuc = 100 * float(np.mean([np.log(R[s][deg]["nuclei"] / R[s]["clean"]["nuclei"]) for s in R]))
        print(f"{deg}: nuclei {nuc:+.1f} %; rate vs the clean reference's, by threshold: "
              + ", ".join(f"{t:g} dB {b:+.1f} %" for t, b in bias.items()))
    if conditions:
        out["clones"] = C = clones(args.speech, conditions)
        clean = float(np.mean([C[s]["clean"] for s in C]))
        for deg in conditions:
            d = float(np.mean([C[s][deg]["similarity"] for s in C])) - clean
            o = float(np.mean([C[s][deg]["similarity_oracle"] for s in C])) - clean
            print(f"{deg}: clean clones {clean:.3f}; degraded {d:+.3f}, with the clean reference's pace {o:+.3f}")
    out["machine"] = {"cores": os.cpu_count(), "load_avg_at_end": os.getloadavg()}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=float))
    return out


if __name__ == "__main__":
    main()
