"""Issue 17, pace: how Kokoro's duration and pocketsphinx's WER follow the speed factor, in fine steps (numbers only).

Kokoro voices (shipped ones by name, and voices fitted to references of ``../shared/speech`` with
:func:`toolkit.clone.generate.fit_voice`, 3 refinement steps, no shaping) say the fallback sentences of ``bench_clone.py`` at speed factors from 1.0 to 1.8 in steps
of 0.05 (``--speeds`` to change). Per clip: length (s), speech time (:func:`toolkit.analysis.speech_segments`),
pocketsphinx WER (``bench_clone.wer`` / ``transcribe``). The speech time against speed 1 shows where the speed
factor stops acting smoothly; the WER where intelligibility goes.

    python benchmarks/bench_kokoro_speed_steps.py --speakers librispeech_198,librispeech_1998 --voices jf_alpha --json OUT
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--voices", default="", help="comma-separated shipped voices")
    ap.add_argument("--speakers", default="librispeech_198,librispeech_1998", help="fit voices to their references")
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--speeds", default=",".join(f"{v:.2f}" for v in np.arange(1.0, 1.801, 0.05)))
    ap.add_argument("--texts", type=int, default=2, help="how many of bench_clone's fallback sentences")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    from bench_clone import FALLBACK_TEXTS, transcribe, wer
    from toolkit.analysis.rhythm import speech_duration_s, speech_segments
    from toolkit.audio import resample
    from toolkit.synth.kokoro import get_tts

    tts = get_tts()
    styles = {v: tts.voices[v] for v in args.voices.split(",") if v}
    if args.speakers:
        import csv

        from toolkit.audio import load
        from toolkit.clone import encode_reference, fit_voice
        from toolkit.clone.voice_space import get_voice_space

        refs = {r["speaker"]: r["file"] for r in csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8"))
                if r["role"] == "ref"}
        for s in args.speakers.split(","):
            y, sr = load(args.speech / refs[s])
            voice, _ = fit_voice(encode_reference(y, sr=sr), refine_steps=3)
            styles[s] = get_voice_space().table(voice.style)
    speeds = [float(v) for v in args.speeds.split(",")]
    out = {}
    for v in styles:
        out[v] = {}
        for k, text in enumerate(FALLBACK_TEXTS[: args.texts]):
            rows = []
            for sp in speeds:
                y = np.clip(np.nan_to_num(tts.synthesize(text, style=styles[v], speed=sp)[0]), -1, 1)
                y16 = np.clip(resample(y, sr=tts.sr, target_sr=16000), -1, 1)
                rows.append({"speed": sp, "length_s": len(y) / tts.sr,
                             "speech_s": speech_duration_s(speech_segments(y16, sr=16000)),
                             "wer": wer(text, transcribe(y16))})
            out[v][k] = rows
            print(v, k, " ".join(f"{r['speed']:.2f}:{rows[0]['length_s'] / r['length_s']:.2f}x/"
                                 f"{rows[0]['speech_s'] / r['speech_s']:.2f}x/{r['wer']:.2f}" for r in rows), flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
