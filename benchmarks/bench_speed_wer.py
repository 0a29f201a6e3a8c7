"""Intelligibility and similarity of fitted voices against Kokoro's speed factor (issue 17, the pace bound).

For every speaker of ``bench_clone.py`` (English, a reference and held-out clips), fit the voice as the main
benchmark does (``clone(encode_reference(ref), refine_steps=3, use_cache=False)``), then speak the main benchmark's
text (the first held-out transcript, else a fallback sentence) and a second fallback sentence at fixed speed
factors, Kokoro alone (:func:`kokoro_at`; the engine now splits a speed above ``KOKORO_SPEED_MAX`` with WORLD, and
``speak`` would too), unshaped and shaped (``shape_with_voice``, the voice's own shaping, no tempo). For each clip:
pocketsphinx WER (``bench_clone.wer`` / ``transcribe``), GE2E similarity to the mean of the held-out clips (the
main benchmark's similarity) and speech time. The speed the fit asks for before :data:`PACE_RANGE` clips it
(``raw_speed``) is recorded, and the clip at ``min(raw_speed, bound)`` for each ``--bounds`` value is added,
so the main benchmark's WER and similarity under another bound can be read off (only clipped speakers change).
pocketsphinx on the real held-out recordings (with transcripts) gives each speaker's floor.

    python benchmarks/bench_speed_wer.py --json benchmarks/results/speed_wer.json
    python benchmarks/bench_speed_wer.py --only librispeech_198 --speeds 1.0,1.2,1.45
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
sys.path.insert(0, str(REPO / "benchmarks"))


def raw_speed(reference_rate_syl_per_s: float, voice_rate_syl_per_s: float) -> float:
    """:func:`toolkit.clone.generate.pace_speed` without the clip to ``PACE_RANGE``."""
    from toolkit.clone.generate import pace_speed

    return pace_speed(reference_rate_syl_per_s, voice_rate_syl_per_s, speed_range=(0.0, np.inf))


def kokoro_at(voice, text: str, speed: float):
    """Kokoro alone at ``speed`` (no split with WORLD: :func:`toolkit.clone.speak` now gives Kokoro at most
    ``KOKORO_SPEED_MAX``), the voice's style; ``(y, sr)``."""
    from toolkit.clone.voice_space import get_voice_space
    from toolkit.synth.kokoro import get_tts

    tts = get_tts()
    y = np.concatenate(list(tts.stream(text, style=get_voice_space().table(voice.style), speed=float(speed))))
    return np.clip(np.nan_to_num(y), -1.0, 1.0).astype(np.float32), tts.sr


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--speeds", default="1.0,1.2,1.45,1.6,1.8")
    ap.add_argument("--bounds", default="1.45,1.6,1.8", help="upper bounds of PACE_RANGE to read off")
    ap.add_argument("--only", default="", help="comma-separated speakers")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    os.environ["VOICE_LAB_CACHE"] = tempfile.mkdtemp(prefix="bench_speed_wer_")

    from bench_clone import FALLBACK_TEXTS, transcribe, wer
    from toolkit.analysis.rhythm import speech_duration_s, speech_segments
    from toolkit.audio import load, resample
    from toolkit.clone import clone, encode_reference, shape_with_voice
    from toolkit.clone.generate import REFINE_TEXT, voice_rate_syl_per_s
    from toolkit.clone.voice_space import get_voice_space
    from toolkit.defaults import PACE_RANGE
    from toolkit.synth.kokoro import get_tts
    from toolkit.synth.phonemes import phonemize
    from toolkit.embedding import embed

    rows = list(csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8")))
    speakers = {}
    for r in rows:
        d = speakers.setdefault(r["speaker"], {"ref": None, "held": []})
        if r["role"] == "ref":
            d["ref"] = r
        else:
            d["held"].append(r)
    spk = sorted(s for s, v in speakers.items() if v["ref"] and v["held"] and v["ref"]["language"] == "en")
    order = list(spk)  # the fallback text follows the speaker's index among all 8, as in bench_clone
    if args.only:
        spk = [s for s in spk if s in args.only.split(",")]
    tts = get_tts()
    speeds = [float(v) for v in args.speeds.split(",")]
    bounds = [float(v) for v in args.bounds.split(",")]

    out = {"pace_range_in_code": list(PACE_RANGE), "speeds": speeds, "bounds": bounds, "per_speaker": {}}
    for s in spk:
        n_s = order.index(s)
        held = speakers[s]["held"]
        emb = []
        floor = []
        for r in held:
            y16, _ = load(args.speech / r["file"], sr=16000)
            emb.append(embed(y16, sr=16000))
            if r["transcript"]:
                floor.append(wer(r["transcript"], transcribe(y16)))
        target = np.mean(emb, axis=0)
        target /= np.linalg.norm(target)
        held_t = [r["transcript"] for r in held if r["transcript"]]
        texts = [held_t[0] if held_t else FALLBACK_TEXTS[n_s % len(FALLBACK_TEXTS)],
                 FALLBACK_TEXTS[(n_s + 1) % len(FALLBACK_TEXTS)]]
        y, sr = load(args.speech / speakers[s]["ref"]["file"])
        if speakers[s]["ref"]["transcript"]:
            floor.append(wer(speakers[s]["ref"]["transcript"], transcribe(resample(y, sr=sr, target_sr=16000))))
        enc = encode_reference(y, sr=sr)
        res = clone(enc, sr=16000, text=texts[0], refine_steps=3, use_cache=False, evaluate=False)
        v = res.voice
        # the final style's own rate at speed 1 (the emotion step may have moved the style after the fit's rate)
        y_own = np.clip(np.nan_to_num(tts.synthesize_phonemes(phonemize(REFINE_TEXT, language="en"),
                                                              style=get_voice_space().table(v.style))), -1.0, 1.0)
        own_rate = voice_rate_syl_per_s(y_own, sr=tts.sr)
        rs = raw_speed(enc.profile.speaking_rate_syl_per_s, own_rate)
        todo = sorted(set(speeds) | {round(min(max(rs, PACE_RANGE[0]), b), 4) for b in bounds})
        row = {"reference_rate_syl_per_s": enc.profile.speaking_rate_syl_per_s,
               "voice_rate_syl_per_s": own_rate, "raw_speed": rs, "fitted_speed": v.speed,
               "texts": texts, "real_heldout_wer": floor, "by_speed": {}}
        for sp in todo:
            cell = {}
            for k, text in enumerate(texts):
                yg, sr_g = kokoro_at(v, text, sp)  # Kokoro alone at sp, shaped without a WORLD tempo
                ys = shape_with_voice(yg, sr=sr_g, voice=replace(v, speed=1.0), encoding=enc)
                for kind, a in (("unshaped", yg), ("shaped", yg if ys is None else ys)):
                    a16 = np.clip(resample(a, sr=sr_g, target_sr=16000), -1.0, 1.0)
                    hyp = transcribe(a16)
                    cell[f"{kind}_{k}"] = {"wer": wer(text, hyp), "similarity": float(embed(a16, sr=16000) @ target),
                                           "speech_s": speech_duration_s(speech_segments(a16, sr=16000)),
                                           "hypothesis": hyp}
            row["by_speed"][f"{sp:g}"] = cell
            print(s, f"speed {sp:.3f}", " ".join(f"{n}: WER {c['wer']:.2f} sim {c['similarity']:.3f} "
                                                  f"{c['speech_s']:.2f} s" for n, c in cell.items()), flush=True)
        row["fitted_speed_check"] = abs(v.speed - min(max(rs, PACE_RANGE[0]), PACE_RANGE[1])) < 1e-6
        # clone()'s own final clip (at the code's bound), to check the sweep reproduces it
        row["clone_final_wer"] = wer(texts[0], transcribe(np.clip(resample(res.y, sr=res.sr, target_sr=16000), -1, 1)))
        out["per_speaker"][s] = row
        print(s, f"raw speed {rs:.3f}, fitted {v.speed:.3f}, real held-out WER {floor}", flush=True)

    def mean_at(speed_of, key):
        return float(np.mean([out["per_speaker"][s]["by_speed"][f"{speed_of(s):g}"][key]["wer"]
                              for s in out["per_speaker"]]))

    summary = {}
    for sp in speeds:
        summary[f"speed {sp:g}"] = {k: mean_at(lambda s: sp, k) for k in ("unshaped_0", "shaped_0", "unshaped_1",
                                                                           "shaped_1")}
    for b in bounds:
        f = lambda s: round(min(max(out["per_speaker"][s]["raw_speed"], PACE_RANGE[0]), b), 4)
        summary[f"bound {b:g}"] = {k: mean_at(f, k) for k in ("unshaped_0", "shaped_0", "unshaped_1", "shaped_1")}
        summary[f"bound {b:g}"]["similarity_shaped_0"] = float(np.mean(
            [out["per_speaker"][s]["by_speed"][f"{f(s):g}"]["shaped_0"]["similarity"] for s in out["per_speaker"]]))
    out["summary_mean_wer"] = summary
    print(json.dumps(summary, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
