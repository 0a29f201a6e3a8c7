"""The reference clinic's verdicts on real speech, clean and broken on purpose: the false-alarm table of
``docs/benchmarks.md``.

Usage::

    .venv/bin/python benchmarks/clinic_table.py [--role ref|heldout] [--markdown]

For every clip of ``../shared/speech`` (or $VOICE_LAB_SPEECH) with the chosen role it runs
:func:`toolkit.quality.check_reference` on the clean clip and on each fault made from it with
:mod:`toolkit.effects` (the music is the jazz clip of ``../shared/sounds`` or $VOICE_LAB_SOUNDS, the robin its bird call), and prints one row per condition:
for each check, how many clips passed / warned / failed, and how many clips came out worse than clean on at
least one check. The second voice is a speaker of the other sex of the same role, mixed at 0.9 amplitude.

The thresholds were set on ``--role ref``; ``--role heldout`` is the check on clips never used for that.
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
SHARED = REPO.parent / "shared"
SPEECH = Path(os.environ.get("VOICE_LAB_SPEECH", SHARED / "speech"))
SOUNDS = Path(os.environ.get("VOICE_LAB_SOUNDS", SHARED / "sounds"))
SR = 16000
RANK = {"pass": 0, "warn": 1, "fail": 2}


def load_rows(role):
    with open(SPEECH / "manifest.csv", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["role"] == role]


def with_event(y, event, at_s, peak_ratio=0.5):
    """``y`` with a short sound laid in at ``at_s``, its peak ``peak_ratio`` of the clip's (as notebook 04 does)."""
    out = y.astype(np.float64).copy()
    a = int(at_s * SR)
    n = min(len(event), len(y) - a)
    out[a:a + n] += event[:n] * peak_ratio * np.max(np.abs(y)) / np.max(np.abs(event))
    return out.astype(np.float32)


def faults(y, *, other, music, robin=None):
    """The faults of the table: ``{name: waveform}`` (16 kHz); ``other`` is a voice of the other sex."""
    from toolkit import effects as fx

    mid = round(len(y) / SR / 2, 2)
    out = {
        "noise (white, 5 dB SNR)": fx.add_noise(y, sr=SR, snr_db=5.0),
        "echo (RT60 1.2 s)": fx.add_reverb(y, sr=SR, rt60_s=1.2),
        "clipping (12 dB drive)": fx.clip(y, sr=SR, drive_db=12.0),
        "too short (2 s)": fx.trim(y, sr=SR, start_s=0.3, duration_s=2.0),
        "too long (40 s)": np.tile(y, int(np.ceil(40 * SR / len(y))))[: 40 * SR],
        "second voice at once (0.9)": fx.add_voice(y, sr=SR, other=other, level_db=20 * np.log10(0.9)),
        "music (jazz, 10 dB SNR)": fx.add_music(y, sr=SR, music=music, snr_db=10.0),
        "music (jazz, 5 dB SNR)": fx.add_music(y, sr=SR, music=music, snr_db=5.0),
        "hum (50 Hz, 20 dB SNR)": fx.add_hum(y, sr=SR, snr_db=20.0),
        "hum (60 Hz, 30 dB SNR)": fx.add_hum(y, sr=SR, snr_db=30.0, mains_hz=60.0),
        "bang (0 dB re peak, mid-clip)": fx.add_bang(y, sr=SR, at_s=mid, level_db=0.0),
        "bang (-6 dB re peak)": fx.add_bang(y, sr=SR, at_s=mid, level_db=-6.0),
        "telephone band (300-3400 Hz, 8 kHz)": fx.phone_band(y, sr=SR),
    }
    if robin is not None:
        out["robin call (half the peak, mid-clip)"] = with_event(y, robin, mid)
    return out


def run(role: str, *, verbose: bool = False):
    from toolkit.audio import load
    from toolkit.quality import CHECK_NAMES, UnusableAudioError, check_reference

    rows = load_rows(role)
    clips = {r["file"]: load(SPEECH / r["file"], sr=SR)[0] for r in rows}
    gender = {r["file"]: r["gender"] for r in rows}
    music = load(SOUNDS / "music_jazz_vibe_ace.wav", sr=SR)[0]
    robin = load(SOUNDS / "robin_call.wav", sr=SR)[0]
    table = {}  # condition -> list of {check: status}
    worse = {}
    t0 = time.perf_counter()
    males = [f for f in clips if gender[f] == "M"]
    females = [f for f in clips if gender[f] == "F"]
    for i, (name, y) in enumerate(clips.items()):
        clean = check_reference(y, sr=SR).statuses
        table.setdefault("clean", []).append(clean)
        if verbose:
            print(name, clean, flush=True)
        if gender[name] not in ("M", "F") or len(y) < 5 * SR:
            continue  # faults on the English clips of 5 s or more (the others are in the clean row)
        pool = females if gender[name] == "M" else males
        other = clips[pool[i % len(pool)]]
        for cond, z in faults(y, other=other, music=music, robin=robin).items():
            st = check_reference(z, sr=SR).statuses
            table.setdefault(cond, []).append(st)
            worse.setdefault(cond, []).append(any(RANK[st[c]] > RANK[clean[c]] for c in CHECK_NAMES))
            if verbose:
                print("  ", cond, {c: s for c, s in st.items() if s != clean[c]}, flush=True)
    # silence: every clip's length of digital silence, and a whisper of dither
    n_unusable = 0
    for y in list(clips.values())[:3]:
        for z in (np.zeros_like(y), np.random.default_rng(0).standard_normal(len(y)).astype(np.float32) * 1e-5):
            try:
                check_reference(z, sr=SR)
            except UnusableAudioError:
                n_unusable += 1
    return table, worse, n_unusable, time.perf_counter() - t0


def render(table, worse, n_unusable, *, role, markdown: bool) -> str:
    from toolkit.quality import CHECK_NAMES

    short = {"interruptions": "interrupt", "bandwidth": "bandw"}
    heads = ["condition", "n"] + [short.get(c, c) for c in CHECK_NAMES] + ["worse"]
    lines = []
    for cond, sts in table.items():
        cells = []
        for c in CHECK_NAMES:
            n = [sum(s[c] == k for s in sts) for k in ("pass", "warn", "fail")]
            cells.append("·".join(str(v) for v in n))
        w = worse.get(cond)
        lines.append([cond, str(len(sts))] + cells + [f"{sum(w)}/{len(w)}" if w else "-"])
    lines.append(["silence (zeros, 1e-5 dither)", "6"] + ["-"] * len(CHECK_NAMES) + [f"{n_unusable}/6 unusable"])
    if markdown:
        out = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        out += ["| " + " | ".join(r) + " |" for r in lines]
    else:
        widths = [max(len(r[i]) for r in lines + [heads]) for i in range(len(heads))]
        out = ["  ".join(h.ljust(w) for h, w in zip(heads, widths))]
        out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in lines]
    out.append("")
    out.append(f"role={role}; cells: pass·warn·fail counts; worse: clips where at least one check is worse than on "
               "the clean clip")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--role", default="ref", choices=("ref", "heldout"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not (SPEECH / "manifest.csv").exists() or not (SOUNDS / "music_jazz_vibe_ace.wav").exists():
        sys.exit(f"needs {SPEECH} and {SOUNDS} (the shared real recordings); not found")
    table, worse, n_unusable, elapsed = run(args.role, verbose=args.verbose)
    print(render(table, worse, n_unusable, role=args.role, markdown=args.markdown))
    print(f"({elapsed:.0f} s, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
