"""Issue 17, pace: the carry-over's 32 ms row with the speed split between Kokoro (below its 4/3 step) and WORLD.

A simulation, no engine change: each reference and its 25 % faster copy (``bench_clone.CHANGES``, librosa
``time_stretch`` with 32 ms frames) are cloned as ``bench_clone.carry_over`` does (stage 0 off), with
``PACE_RANGE`` widened to (0.75, 2.0) in this process only, so the fitted speed factor is the one the pace
mapping asks for. The clone is then spoken again with Kokoro alone at that speed, and with the engine's split
(Kokoro at ``min(speed, --kokoro-max)``, WORLD's tempo in the shaping stage for the rest), each shaped with the
voice's own shaping (:func:`toolkit.clone.shape_with_voice`). ``benchmarks/results/carry_split.json`` was made
before the engine had the split, with :func:`toolkit.prosody.change_tempo` after Kokoro and before shaping. Printed per speaker: the speed factors, the clone's pace change
(:func:`toolkit.clone.generate.delivery_change`) and share (``log(pace) / log(1.25)``), and pocketsphinx WER of the
base and faster clones, for Kokoro alone and for the split.

    python benchmarks/bench_carry_split.py --json benchmarks/results/carry_split.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--speakers", default="librispeech_198,librispeech_1998,librispeech_2033")
    ap.add_argument("--kokoro-max", type=float, default=1.3)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    import toolkit.defaults
    from bench_clone import CARRY_TEXT, CHANGES, transcribe, wer
    from toolkit.audio import load, resample
    from toolkit.clone import clone, shape_with_voice, speak
    from toolkit.clone.generate import delivery_change
    from bench_speed_wer import kokoro_at

    toolkit.defaults.PACE_RANGE = (0.75, 2.0)  # read by pace_speed at each call
    name = next(iter(CHANGES))
    _, amount, change = CHANGES[name]
    refs = {r["speaker"]: r["file"] for r in csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8"))
            if r["role"] == "ref"}

    toolkit.defaults.KOKORO_SPEED_MAX = args.kokoro_max  # read by split_speed at each call

    def say(res, speed, split):
        if split:  # the engine's own split: Kokoro up to --kokoro-max, WORLD's tempo in the shaping stage
            voice = replace(res.voice, speed=speed)
            y, sr = speak(voice, CARRY_TEXT)
        else:  # Kokoro alone at the whole speed, shaped without a tempo
            voice = replace(res.voice, speed=1.0)
            y, sr = kokoro_at(res.voice, CARRY_TEXT, speed)
        ys = shape_with_voice(y, sr=sr, voice=voice, encoding=res.encoding)
        return (y if ys is None else ys), sr

    out = {}
    for s in args.speakers.split(","):
        y, sr = load(args.speech / refs[s])
        yc = np.clip(change(np.asarray(y, np.float32), sr), -1.0, 1.0).astype(np.float32)
        res = [clone(a, sr=sr, text=CARRY_TEXT, refine_steps=3, use_cache=False, evaluate=False, enhance="off")
               for a in (y, yc)]
        row = {"speed": [r.voice.speed for r in res]}
        for mode, split in (("kokoro", False), ("split", True)):
            (a0, sr0), (a1, _) = say(res[0], res[0].voice.speed, split), say(res[1], res[1].voice.speed, split)
            d = delivery_change(a0, a1, sr=sr0)["pace"]
            w = [wer(CARRY_TEXT, transcribe(np.clip(resample(a, sr=sr0, target_sr=16000), -1, 1))) for a in (a0, a1)]
            row[mode] = {"pace": d, "share": float(np.log(d) / np.log(amount)), "wer": w}
        out[s] = row
        print(s, f"speed {row['speed'][0]:.2f} -> {row['speed'][1]:.2f}",
              " | ".join(f"{m}: pace {row[m]['pace']:.3f} share {row[m]['share']:.0%} WER {row[m]['wer'][0]:.2f} -> "
                         f"{row[m]['wer'][1]:.2f}" for m in ("kokoro", "split")), flush=True)
    for m in ("kokoro", "split"):
        print(m, "mean share", f"{np.mean([out[s][m]['share'] for s in out]):.0%}",
              "mean WER", f"{np.mean([np.mean(out[s][m]['wer']) for s in out]):.2f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
