"""Run from the repository: `PYTHONPATH=. python benchmarks/results/issue17_shaping_parts/shaping_parts.py`. Diagnostic (issue 17, 2026-12-06, not the engine): what does WORLD's analysis-resynthesis alone cost the clone's
similarity to the held-out clips, against the shaping as shipped? One fit per English speaker, the bench's text."""
import csv, json, os, sys, tempfile
from dataclasses import replace
from pathlib import Path
import numpy as np
sys.path.insert(0, "benchmarks")
os.environ["VOICE_LAB_CACHE"] = tempfile.mkdtemp()
import bench_clone as bc
from toolkit.audio import load
from toolkit.embedding import embed
from toolkit.clone import encode_reference
from toolkit.clone.pipeline import fit, shape_with_voice
from toolkit.clone.generate import speak, split_speed
from toolkit.clone.shape import ShapingParams, apply_shaping
import toolkit.clone.shape as sh

speech = Path(os.environ.get("VOICE_LAB_SPEECH", "../shared/speech"))
rows = list(csv.DictReader(open(speech / "manifest.csv")))
spk = bc.english_speakers(rows)
TE = np.stack([bc.held_out_target(speech, rows, s) for s in spk])

def harvest_analysis(y, sr):
    import pyworld as pw
    a = sh.world_analyze(y, sr=sr)
    x = y.astype(np.float64)
    f0, t = pw.harvest(x, sr, f0_floor=50.0, f0_ceil=600.0, frame_period=a.frame_period_ms)
    sp = pw.cheaptrick(x, f0, t, sr); ap = pw.d4c(x, f0, t, sr)
    n = min(len(f0), a.f0_hz.shape[0])
    return replace(a, f0_hz=f0[:n], sp=sp[:n], ap=ap[:n])

def score(y24):
    e = embed(bc.to_16k(y24, sr=24000), sr=16000)
    sims = TE @ e
    return sims

out = {}
for n_s, s in enumerate(spk):
    ref = next(r for r in rows if r["speaker"] == s and r["role"] == "ref")
    text = bc.bench_text(rows, s, n_s)
    y, sr = load(speech / ref["file"])
    enc = encode_reference(y, sr=sr)
    voice = fit(enc).voice
    g, _ = speak(voice, text)
    tempo = split_speed(voice.speed)[1]
    full = replace(voice.shaping, tempo=tempo, loudness_lufs=float(enc.profile.loudness_lufs))
    variants = {"unshaped": g,
                "shipped": shape_with_voice(g, sr=24000, voice=voice, encoding=enc),
                "vocoder only": apply_shaping(g, sr=24000, params=ShapingParams(f0_ratio=1.0011, tempo=tempo,
                                              loudness_lufs=full.loudness_lufs)),
                "shipped, filters only (no WORLD step but tempo)": apply_shaping(g, sr=24000, params=replace(full,
                     f0_ratio=1.0011, f0_range_scale=1.0, formant_warp=1.0, aperiodicity_db=0.0)),
                }
    try:
        variants["shipped, Harvest F0"] = apply_shaping(g, sr=24000, params=full, analysis=harvest_analysis(g, 24000))
    except Exception as ex:
        print("harvest failed", ex)
    i = spk.index(s)
    row = {}
    for k, v in variants.items():
        if v is None:
            v = g
        sims = score(v)
        row[k] = {"own": float(sims[i]), "top1": bool(np.argmax(sims) == i)}
    row["shaping"] = {k: (v if not hasattr(v, "tolist") else len(v)) for k, v in voice.shaping.to_dict().items()}
    out[s] = row
    print(s, {k: (round(v["own"], 3), int(v["top1"])) for k, v in row.items() if k != "shaping"}, flush=True)
keys = [k for k in out[spk[0]] if k != "shaping"]
print("mean", {k: (round(np.mean([out[s][k]["own"] for s in spk]), 4), np.mean([out[s][k]["top1"] for s in spk])) for k in keys})
json.dump(out, open("benchmarks/results/issue17_shaping_parts/shaping_parts.json", "w"), indent=1)
