"""How plausible the analysis toolkit is on real speech (``../shared/speech``): numbers, not a pass/fail.

Prints, for every English clip of the speech set:

* the F0 median per speaker, grouped by the manifest's gender (female speakers should sit above male ones;
  typical adult values are about 85-180 Hz for men and 165-255 Hz for women, Titze 1994);
* the syllable-nuclei speaking rate (de Jong & Wempe 2009 style, no transcript used) against the rate from
  the transcript (syllables counted from the text, divided by the measured speech time), and the share of
  clips within 25 %.

The tests (``tests/test_analysis.py``) assert the same two facts; this script shows the figures behind them.

Run: ``.venv/bin/python benchmarks/accuracy_analysis.py [--speech DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    args = ap.parse_args(argv)
    if not (args.speech / "manifest.csv").exists():
        print(f"no speech set at {args.speech} (manifest.csv missing); pass --speech DIR")
        return 0

    from tests.signals import count_syllables
    from toolkit.analysis import voice_profile
    from toolkit.audio import load

    rows = [r for r in csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8"))
            if r["language"] == "en" and r["gender"] in ("F", "M")]
    f0 = {}
    rates = []
    for r in rows:
        y, sr = load(args.speech / r["file"], sr=16000)
        p = voice_profile(y, sr=sr)
        f0.setdefault((r["gender"], r["speaker"]), []).append(p.f0_median_hz)
        if r["transcript"].strip():
            ref = count_syllables(r["transcript"]) / p.speech_duration_s
            rates.append((r["file"], p.speaking_rate_syl_per_s, ref))

    print("F0 median per speaker (Hz)")
    med = {k: float(np.median(v)) for k, v in f0.items()}
    for (g, s), v in sorted(med.items(), key=lambda kv: kv[1]):
        print(f"  {g} {s:20s} {v:6.1f}")
    fem = [v for (g, _), v in med.items() if g == "F"]
    mal = [v for (g, _), v in med.items() if g == "M"]
    print(f"  female: {len(fem)} speakers, {min(fem):.0f}-{max(fem):.0f} Hz (median {np.median(fem):.0f}); "
          f"male: {len(mal)} speakers, {min(mal):.0f}-{max(mal):.0f} Hz (median {np.median(mal):.0f}); "
          f"every female above every male: {min(fem) > max(mal)}")

    print("\nSpeaking rate: syllable nuclei vs transcript syllables / speech time (syl/s)")
    errs = []
    for f, m, ref in rates:
        errs.append((m - ref) / ref)
        print(f"  {f:48s} measured {m:5.2f}  transcript {ref:5.2f}  ({errs[-1]:+.0%})")
    errs = np.abs(errs)
    print(f"  within 25 %: {int((errs <= 0.25).sum())} of {len(errs)} clips; "
          f"median absolute error {np.median(errs):.0%}, worst {errs.max():.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
