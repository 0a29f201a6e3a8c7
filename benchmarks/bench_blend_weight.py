"""How much of the cleaned reference the voice print should hold (``toolkit.defaults.ENHANCE_EMBEDDING_WEIGHT``).

For every English speaker of ``../shared/speech`` with held-out clips: the reference degraded as in
``bench_clone.py --degraded`` (10 dB SNR white noise, a 0.5 s RT60 room, both), denoised with DeepFilterNet3, and
the GE2E embedding ``w · e_cleaned + (1 − w) · e_recorded`` (unit length) scored against the mean of the speaker's
held-out clips, for several ``w``. No cloning: a quick look at the voice print the fit aims at.

    python benchmarks/bench_blend_weight.py benchmarks/results/enhance_blend_weight.json
"""
import csv, os, sys, json
from pathlib import Path
import numpy as np
sys.path.insert(0, str(Path(__file__).resolve().parent.parent)); sys.path.insert(0, str(Path(__file__).resolve().parent))
from toolkit.audio import load
from toolkit.embedding import embed
from toolkit.enhance import denoise
from bench_clone import degrade, DEGRADATIONS
S = Path(os.environ.get("VOICE_LAB_SPEECH", Path(__file__).resolve().parent.parent.parent / "shared" / "speech"))
rows = list(csv.DictReader(open(S / "manifest.csv")))
spk = sorted({r["speaker"] for r in rows if r["role"] == "ref" and r["language"] == "en"} & {r["speaker"] for r in rows if r["role"] == "heldout"})
nrm = lambda e: e / np.linalg.norm(e)
W = (0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
res = {}
for n_s, s in enumerate(spk):
    tgt = nrm(np.mean([embed(load(S / r["file"], sr=16000)[0], sr=16000) for r in rows if r["speaker"] == s and r["role"] == "heldout"], axis=0))
    y, sr = load(S / next(r for r in rows if r["speaker"] == s and r["role"] == "ref")["file"], sr=16000)
    res[s] = {"clean": float(embed(y, sr=sr) @ tgt)}
    for deg in ("noise", "echo", "noise+echo"):
        yd = degrade(y, sr=sr, snr_db=DEGRADATIONS[deg][0], rt60_s=DEGRADATIONS[deg][1], seed=n_s)
        er, ec = embed(yd, sr=sr), embed(denoise(yd, sr=sr), sr=sr)
        res[s][deg] = {w: float(nrm(w * ec + (1 - w) * er) @ tgt) for w in W}
    print(s, json.dumps(res[s]), flush=True)
json.dump(res, open(sys.argv[1] if len(sys.argv) > 1 else "enhance_blend_weight.json", "w"), indent=1)
for deg in ("noise", "echo", "noise+echo"):
    print(deg, {w: round(float(np.mean([res[s][deg][w] for s in res])), 3) for w in W}, "clean", round(float(np.mean([res[s]["clean"] for s in res])), 3))
