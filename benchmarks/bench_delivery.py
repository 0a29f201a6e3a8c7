""""Say it like me" and the accent control on real speech (``../shared/speech``): numbers, not a pass/fail.

For every English clip of the speech set that has a transcript, Kokoro speaks the transcript with a shipped
voice (``jf_alpha`` for women, ``jm_kumo`` for men: the base model's speech stands in for a clone, as
every clone is Kokoro's speech), and :func:`toolkit.clone.delivery.transfer_delivery` gives it the
recording's timing and melody. Printed per clip: the alignment cost against the clip's own text and against
another clip's text (what the mismatch threshold is chosen from), the speech-length error and the pitch
correlation (Spearman, with the recording's F0) before, with the timing only, and after (the output's F0
tracked again), the output's median F0 against the clone's, and the time taken.

Then the accent control: for one English sentence, how many phonemes each accent changes and which symbols
Kokoro's vocabulary lacks (dropped).

The tests (``tests/test_delivery.py``) assert the same facts on fewer clips. Run:
``.venv/bin/python benchmarks/bench_delivery.py [--speech DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def text_of(row) -> str:
    t = row["transcript"]
    return t.capitalize() if t.isupper() else t  # LibriSpeech's capitals would be read as letters


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    args = ap.parse_args(argv)
    if not (args.speech / "manifest.csv").exists():
        print(f"no speech set at {args.speech} (manifest.csv missing); pass --speech DIR")
        return 0
    from toolkit.audio import load
    from toolkit.clone.delivery import transfer_delivery, transfer_scores
    from toolkit.synth.kokoro import get_tts, known_phonemes
    from toolkit.synth.phonemes import LANGUAGES, phonemize

    with open(args.speech / "manifest.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["language"] == "en" and r["transcript"]]
    tts = get_tts()
    clones = [tts.synthesize(text_of(r), style=tts.voices["jm_kumo" if r["gender"] == "M" else "jf_alpha"])[0]
              for r in rows]
    print(f"{'clip':44s} {'cost':>5s} {'other':>5s} {'dur err':>13s} {'pitch corr b/t/a':>17s} {'med st':>6s} {'s':>4s}")
    agg = []
    for i, r in enumerate(rows):
        y, sr = load(args.speech / r["file"])
        t0 = time.perf_counter()
        out = transfer_delivery(clones[i], sr=tts.sr, reference_y=y, reference_sr=sr)
        secs = time.perf_counter() - t0
        other = transfer_delivery(clones[(i + 1) % len(rows)], sr=tts.sr, reference_y=y, reference_sr=sr, max_cost=9.0)
        s = transfer_scores(out)
        agg.append((out.cost, other.cost, s))
        print(f"{r['file'][:44]:44s} {out.cost:5.3f} {other.cost:5.3f} {s['duration_error_before']:6.1%}→{s['duration_error_after']:5.1%}"
              f" {s['pitch_corr_before']:5.2f}/{s['pitch_corr_timing']:4.2f}/{s['pitch_corr_after']:4.2f}"
              f" {s['median_shift_st']:+6.2f} {secs:4.1f}")
    same, diff = [a[0] for a in agg], [a[1] for a in agg]
    print(f"alignment cost: same text {min(same):.3f}-{max(same):.3f}, another text {min(diff):.3f}-{max(diff):.3f}")
    for k in ("duration_error_before", "duration_error_after", "pitch_corr_before", "pitch_corr_timing",
              "pitch_corr_after", "median_shift_st"):
        v = np.array([a[2][k] for a in agg])
        print(f"{k}: mean {v.mean():.3f}, min {v.min():.3f}, max {v.max():.3f}")

    text = "Hello! This is my voice, cloned in a few seconds on a small computer."
    native = phonemize(text, language="en")
    print(f"\naccent control on {text!r}\nnative: {native}")
    for a in LANGUAGES:
        if a in ("en", "en-gb"):
            continue
        ph = phonemize(text, language="en", accent=a)
        kept, dropped = known_phonemes(ph)
        import difflib

        changed = 1 - difflib.SequenceMatcher(a=native, b=ph).ratio()
        print(f"{a:3s} {changed:5.1%} changed, dropped {dropped or '-':4s} {ph}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
