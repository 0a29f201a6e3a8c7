"""Issue 17, pace: Kokoro's speed step near 4/3, and a faster clone made by Kokoro below it plus WORLD (numbers only).

Kokoro's clip length does not follow its speed factor smoothly: between 1.30 and 1.35 it shortens by about a
fifth at once (``bench_kokoro_speed_steps.py``), and pocketsphinx's WER jumps there (``bench_speed_wer.py``),
which fits whole-frame phoneme durations (a 2-frame phoneme rounds to 1 frame once ``2 / speed < 1.5``). For
voices fitted to references of ``../shared/speech`` (:func:`toolkit.clone.generate.fit_voice`, 3 refinement steps,
no shaping) this script measures

* length and speech time against speed 1 on a fine grid of speed factors around the step;
* for overall speed-ups ``T``: Kokoro alone at ``T``, and Kokoro at ``min(T, --kokoro-max)`` followed by WORLD
  (:func:`toolkit.prosody.change_tempo`) for the rest: speech time against Kokoro at speed 1, pocketsphinx WER
  (``bench_clone.wer`` / ``transcribe``), GE2E similarity to the speaker's reference.

    python benchmarks/bench_speed_split.py --speakers librispeech_198,librispeech_1998 --json OUT
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--speakers", default="librispeech_198,librispeech_1998,librispeech_2033")
    ap.add_argument("--grid", default="1.28,1.3,1.31,1.32,1.33,1.34,1.35,1.37")
    ap.add_argument("--targets", default="1.2,1.3,1.45,1.6,1.8")
    ap.add_argument("--kokoro-max", type=float, default=1.3)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    from bench_clone import FALLBACK_TEXTS, transcribe, wer
    from toolkit.analysis.rhythm import speech_duration_s, speech_segments
    from toolkit.audio import load, resample
    from toolkit.clone import encode_reference, fit_voice
    from toolkit.clone.voice_space import get_voice_space
    from toolkit.embedding import embed
    from toolkit.prosody import change_tempo
    from toolkit.synth.kokoro import get_tts

    tts = get_tts()
    refs = {r["speaker"]: r["file"] for r in csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8"))
            if r["role"] == "ref"}
    grid = [float(v) for v in args.grid.split(",")]
    targets = [float(v) for v in args.targets.split(",")]
    texts = FALLBACK_TEXTS[:2]
    out = {}
    for s in args.speakers.split(","):
        y, sr = load(args.speech / refs[s])
        enc = encode_reference(y, sr=sr)
        voice, _ = fit_voice(enc, refine_steps=3)
        style = get_voice_space().table(voice.style)

        def say(text, speed):
            return np.clip(np.nan_to_num(tts.synthesize(text, style=style, speed=speed)[0]), -1, 1)

        def measure(a, text, base):
            a16 = np.clip(resample(a, sr=tts.sr, target_sr=16000), -1, 1)
            sp = speech_duration_s(speech_segments(a16, sr=16000))
            return {"pace": base / sp, "wer": wer(text, transcribe(a16)),
                    "similarity": float(embed(a16, sr=16000) @ enc.embedding)}

        row = {"grid": {}, "targets": {}}
        for k, text in enumerate(texts):
            y1 = say(text, 1.0)
            base = speech_duration_s(speech_segments(resample(y1, sr=tts.sr, target_sr=16000), sr=16000))
            row["grid"][k] = {f"{g:g}": len(y1) / len(say(text, g)) for g in grid}
            print(s, k, "length ratio", " ".join(f"{g}:{v:.3f}" for g, v in row["grid"][k].items()), flush=True)
            for t in targets:
                alone = measure(say(text, t), text, base)
                ks = min(t, args.kokoro_max)
                yk = say(text, ks)
                split = measure(yk if t <= ks else change_tempo(yk, sr=tts.sr, rate=t / ks), text, base)
                row["targets"].setdefault(f"{t:g}", {})[k] = {"kokoro": alone, "split": split}
                print(s, k, f"T {t}: kokoro pace {alone['pace']:.2f} WER {alone['wer']:.2f} sim "
                      f"{alone['similarity']:.3f} | {ks}+WORLD pace {split['pace']:.2f} WER {split['wer']:.2f} sim "
                      f"{split['similarity']:.3f}", flush=True)
        out[s] = row
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
