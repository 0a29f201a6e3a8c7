"""How much of the cleaned reference the voice print should hold (``toolkit.defaults.ENHANCE_EMBEDDING_WEIGHT``).

For every English speaker of ``../shared/speech`` with held-out clips: the reference degraded as in
``bench_clone.py --degraded`` (10 dB SNR white noise, a 0.5 s RT60 room, both), denoised with DeepFilterNet3, and
the GE2E embedding ``w · e_cleaned + (1 − w) · e_recorded`` (unit length) scored against the mean of the speaker's
held-out clips, for several ``w``. No cloning: a quick look at the voice print the fit aims at.

    python benchmarks/bench_blend_weight.py benchmarks/results/enhance_blend_weight.json
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_clone import DEGRADATIONS, degrade  # noqa: E402

#: The shares of the cleaned reference's embedding tried.
WEIGHTS = (0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
DEGRADED = ("noise", "echo", "noise+echo")


def unit(e):
    return e / np.linalg.norm(e)


def blend_scores(speech: Path) -> dict:
    """speaker → {"clean": GE2E of the clean reference, degradation → {weight: GE2E of the blend}}."""
    from toolkit.audio import load
    from toolkit.embedding import embed
    from toolkit.enhance import denoise

    rows = list(csv.DictReader(open(speech / "manifest.csv", encoding="utf-8")))
    refs = {r["speaker"]: r for r in rows if r["role"] == "ref" and r["language"] == "en"}
    held = {s: [r for r in rows if r["speaker"] == s and r["role"] == "heldout"] for s in refs}
    res = {}
    for n_s, s in enumerate(sorted(s for s in refs if held[s])):
        target = unit(np.mean([embed(load(speech / r["file"], sr=16000)[0], sr=16000) for r in held[s]], axis=0))
        y, sr = load(speech / refs[s]["file"], sr=16000)
        res[s] = {"clean": float(embed(y, sr=sr) @ target)}
        for deg in DEGRADED:
            yd = degrade(y, sr=sr, snr_db=DEGRADATIONS[deg][0], rt60_s=DEGRADATIONS[deg][1], seed=n_s)
            recorded, cleaned = embed(yd, sr=sr), embed(denoise(yd, sr=sr), sr=sr)
            res[s][deg] = {w: float(unit(w * cleaned + (1 - w) * recorded) @ target) for w in WEIGHTS}
        print(s, json.dumps(res[s]), flush=True)
    return res


def main(argv=None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    speech = Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech"))
    if not (speech / "manifest.csv").exists():
        raise SystemExit(f"no {speech / 'manifest.csv'}: put ../shared/speech beside the project or set VOICE_LAB_SPEECH")
    res = blend_scores(speech)
    Path(argv[0] if argv else "enhance_blend_weight.json").write_text(json.dumps(res, indent=1))
    clean = round(float(np.mean([res[s]["clean"] for s in res])), 3)
    for deg in DEGRADED:
        print(deg, {w: round(float(np.mean([res[s][deg][w] for s in res])), 3) for w in WEIGHTS}, "clean", clean)
    return res


if __name__ == "__main__":
    main()
