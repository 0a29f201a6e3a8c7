"""Throw-away experiment (issue 17, 2026-12-04; not the engine): the fit's two best candidates scored on two sentences instead of one. Run from the repository as `PYTHONPATH=. python benchmarks/results/issue17_rescore/rescore_top2.py --gap 1.0 --more-texts 3 --jitter 2 --json OUT`; see docs/benchmarks.md."""
import sys, argparse
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from dataclasses import replace
import numpy as np
ap = argparse.ArgumentParser(); ap.add_argument("--gap", type=float, default=1.0)
a, rest = ap.parse_known_args()
import toolkit.clone.pipeline as pl
import toolkit.clone.generate as gen
from toolkit.synth.kokoro import get_tts
from toolkit.clone.voice_space import get_voice_space
from toolkit.embedding import get_encoder, similarity
from toolkit.synth.phonemes import phonemize
SECOND = "A gentle wind moved through the tall grass near the old farm at the end of the valley."
orig = pl.fit_voice
changed = []
def fit_voice(enc, **kw):
    voice, trace = orig(enc, **kw)
    sims = np.asarray(trace.similarities)
    top = [int(i) for i in np.argsort(-sims)[:2]]
    if len(top) < 2 or sims[top[0]] - sims[top[1]] > a.gap:
        return voice, trace
    tts, space, spk = get_tts(), get_voice_space(), get_encoder()
    ph = phonemize(SECOND, language="en")
    mean = {}
    for i in top:
        y = np.clip(np.nan_to_num(tts.synthesize_phonemes(ph, style=space.table(trace.styles[i]))), -1, 1)
        mean[i] = 0.5 * (sims[i] + similarity(spk.embed(y, sr=tts.sr), enc.embedding))
    best = max(top, key=mean.get)
    changed.append((trace.best, best, {k: round(float(v), 3) for k, v in mean.items()}))
    print("rescore", trace.labels[trace.best], "->", trace.labels[best], changed[-1], flush=True)
    if best == trace.best:
        return voice, trace
    speed = voice.speed
    if kw.get("match_pace", True):
        speed = gen.pace_speed(enc.profile.speaking_rate_syl_per_s, gen.voice_rate_syl_per_s(trace.audio[best], sr=tts.sr))
    voice = replace(voice, style=trace.styles[best], speed=speed, scores={**voice.scores, "similarity_fit": float(sims[best])})
    return voice, replace(trace, best=best)
pl.fit_voice = fit_voice
import bench_clone
bench_clone.main(rest)
