"""Which of the fit's candidate voices is the speaker's own, before any shaping?

``fit_voice`` ("learned+refined") speaks the fitting sentence (:data:`toolkit.clone.generate.REFINE_TEXT`) with
every candidate it tries (the look-up, its corrections, the direct prediction, the nearest shipped voice and the
point halfway to it) and keeps the one the speaker encoder finds most like the *reference*. This script scores
each candidate's speech like a clone in ``bench_clone.py``: GE2E similarity to the mean of the speaker's
*held-out* clips, the margin over the nearest other speaker (> 0: top-1) and who that rival is.

If no candidate of a speaker has a positive margin, no better choice among them can make the unshaped voice
theirs; whatever top-1 the final clone reaches comes from the shaping stage. No shaping here: one fit per
speaker, ``refine_steps + 3`` syntheses of one sentence.

    python benchmarks/bench_fit_candidates.py [--refine-steps 3] [--json benchmarks/results/fit_candidates.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_bank_coverage import own_and_rival  # noqa: E402
from bench_clone import english_speakers, held_out_target  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    ap.add_argument("--refine-steps", type=int, default=3, help="as fit_voice's refine_steps (the engine's is 3)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not (args.speech / "manifest.csv").exists():
        print(f"skipped: no speech set at {args.speech} (put shared/ beside the repo)")
        return
    os.environ["VOICE_LAB_CACHE"] = tempfile.mkdtemp(prefix="bench_fit_candidates_")
    from toolkit.audio import load, resample
    from toolkit.clone import encode_reference, fit_voice
    from toolkit.embedding import embed

    rows = list(csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8")))
    spk = english_speakers(rows)
    targets = np.stack([held_out_target(args.speech, rows, s) for s in spk])
    res = {}
    print("| speaker | candidate | GE2E to the reference | to the held-out clips | margin | nearest other |")
    print("|---|---|---|---|---|---|")
    for i, s in enumerate(spk):
        ref = next(r for r in rows if r["speaker"] == s and r["role"] == "ref")
        y, sr = load(args.speech / ref["file"], sr=16000)
        _, trace = fit_voice(encode_reference(y, sr=sr), refine_steps=args.refine_steps)
        E = np.stack([embed(np.clip(resample(a, sr=24000, target_sr=16000), -1, 1), sr=16000) for a in trace.audio])
        own, margin, rival = own_and_rival(E @ targets.T, i)
        res[s] = {"chosen": int(trace.best), "candidates": [
            {"label": lab, "to_reference": float(trace.similarities[k]), "own": float(own[k]),
             "margin": float(margin[k]), "rival": spk[int(rival[k])]} for k, lab in enumerate(trace.labels)]}
        for k, c in enumerate(res[s]["candidates"]):
            mark = " (chosen)" if k == trace.best else ""
            print(f"| {s} | {c['label']}{mark} | {c['to_reference']:.3f} | {c['own']:.3f} | {c['margin']:+.3f} | "
                  f"{c['rival']} |", flush=True)
    print()
    for s, r in res.items():
        m = [c["margin"] for c in r["candidates"]]
        print(f"{s}: {sum(x > 0 for x in m)} of {len(m)} candidates are theirs; the chosen one's margin "
              f"{m[r['chosen']]:+.3f}, the best {max(m):+.3f}")
    if args.json:
        args.json.write_text(json.dumps({"refine_steps": args.refine_steps, "speakers": res}, indent=1))


if __name__ == "__main__":
    main()
