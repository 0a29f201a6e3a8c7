"""Does the voice bank hold a voice for each speaker, and does the look-up find it?

For every English speaker of ``../shared/speech`` with held-out clips, each voice of the voice bank
(``toolkit/clone/data/voice_encoder.npz``: its stored GE2E embedding of one synthetic sentence) is scored like a
clone in ``bench_clone.py``: GE2E similarity to the mean of the speaker's *held-out* clips, and whether that
speaker is the nearest of all the speakers (top-1). Then the same for the voices the look-up takes, the ``k``
nearest the speaker's *reference* (:meth:`~toolkit.clone.learned.VoiceEncoderModel.neighbours`).

A speaker with bank voices that are theirs but none among the ones nearest the reference is missed by the
look-up's choice, not by the bank's coverage. No synthesis: the bank's own embeddings, one GE2E pass per clip.

    python benchmarks/bench_bank_coverage.py [--k 8] [--first 1320] [--json benchmarks/results/bank_coverage.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_clone import english_speakers, held_out_target  # noqa: E402


def own_and_rival(sims: np.ndarray, i: int):
    """For voices scored against every speaker's held-out mean (``sims``, voices x speakers): each voice's
    similarity to speaker ``i`` (``own``), the margin over the nearest other speaker (``own - max(other)``,
    > 0: top-1 is ``i``) and which speaker that rival is (its column in ``sims``)."""
    other = sims.copy()
    other[:, i] = -np.inf
    rival = other.argmax(axis=1)
    own = sims[:, i]
    return own, own - other[np.arange(len(sims)), rival], rival


def coverage(bank, targets: np.ndarray, references: np.ndarray, *, k: int = 8) -> list[dict]:
    """Per speaker: how many bank voices are theirs by top-1, the best of them, and how the ``k`` voices nearest
    the reference fare (``nearest_rival``: the other speaker most of them are nearest, as an index into
    ``targets``). ``bank`` (n, 256), ``targets`` and ``references`` (speakers, 256), all unit vectors."""
    sims = bank @ targets.T  # bank voice x speaker: similarity to the held-out mean
    out = []
    for i, ref in enumerate(references):
        own, margin, rival = own_and_rival(sims, i)
        near = np.argsort(bank @ ref)[::-1][:k]
        out.append({"voices_top1": int((margin > 0).sum()), "best_own": float(own.max()),
                    "nearest_own": float(own[near].mean()), "nearest_margin": float(margin[near].mean()),
                    "nearest_top1": int((margin[near] > 0).sum()),
                    "nearest_rival": int(np.bincount(rival[near]).argmax())})
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    ap.add_argument("--k", type=int, default=8, help="voices the look-up blends (VoiceEncoderModel.neighbours)")
    ap.add_argument("--first", type=int, default=0,
                    help="only the bank's first N voices (1320: the bank before the 2026-12-04 extension)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not (args.speech / "manifest.csv").exists():
        print(f"skipped: no speech set at {args.speech} (put shared/ beside the repo)")
        return
    from toolkit.audio import load
    from toolkit.clone.learned import get_voice_encoder
    from toolkit.embedding import embed

    rows = list(csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8")))
    spk = english_speakers(rows)

    def unit(v):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)

    targets = np.stack([held_out_target(args.speech, rows, s) for s in spk])
    refs = unit(np.stack([embed(load(args.speech / r["file"], sr=16000)[0], sr=16000)
                          for s in spk for r in rows if r["speaker"] == s and r["role"] == "ref"]))
    bank = unit(get_voice_encoder().bank_embeddings.astype(np.float64))
    bank = bank[: args.first] if args.first else bank
    res = dict(zip(spk, coverage(bank, targets, refs, k=args.k)))
    for r in res.values():
        r["nearest_rival"] = spk[r["nearest_rival"]]
    print(f"{len(bank)} bank voices, look-up of the {args.k} nearest the reference\n")
    print("| speaker | bank voices that are theirs (top-1) | best of them | nearest the reference: GE2E / margin / top-1 "
          "| their rival |")
    print("|---|---|---|---|---|")
    for s, r in res.items():
        print(f"| {s} | {r['voices_top1']} | {r['best_own']:.3f} | {r['nearest_own']:.3f} / {r['nearest_margin']:+.3f}"
              f" / {r['nearest_top1']} of {args.k} | {r['nearest_rival']} |")
    if args.json:
        args.json.write_text(json.dumps({"bank_voices": len(bank), "k": args.k, "speakers": res}, indent=1))


if __name__ == "__main__":
    main()
