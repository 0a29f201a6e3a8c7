"""Time ``python -m toolkit check`` per process (imports and model loading included) on real clips.

Usage::

    .venv/bin/python benchmarks/bench_check.py [--repeat 3] [CLIP ...]

Without clips it times the reference clips of ``../shared/speech`` (or $VOICE_LAB_SPEECH), longest first,
and a 15 s clip made from one of them. Prints wall time and CPU time (user + system of the child) per run;
the target is under 3 s wall per process on a 2-core machine.

``--calibrate`` instead prints the raw blind decay time of every reference played through synthetic rooms
of 0.3-1.2 s (the data behind the RT60 calibration in ``toolkit.quality``).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEECH = Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech"))


def time_check(path) -> tuple:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "toolkit", "check", "--json", str(path)], cwd=REPO,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def calibrate() -> None:
    import numpy as np

    sys.path.insert(0, str(REPO))
    from toolkit import effects
    from toolkit.audio import load
    from toolkit.quality import blind_rt60

    rows = [r for r in csv.DictReader(open(SPEECH / "manifest.csv", encoding="utf-8")) if r["role"] == "ref"]
    rooms = (0.3, 0.6, 0.9, 1.2)
    print("clip".ljust(34), "clean", *[f"{t:5.1f}s" for t in rooms])
    table = []
    for r in rows:
        y, sr = load(SPEECH / r["file"], sr=16000)
        raws = [blind_rt60(y)[1]] + [blind_rt60(effects.add_reverb(y, sr=sr, rt60_s=t))[1] for t in rooms]
        table.append(raws[1:])
        print(r["file"][:34].ljust(34), " ".join(f"{v:5.2f}" for v in raws))
    med = np.median(np.array(table), axis=0)
    b, log_a = np.polyfit(np.log(rooms), np.log(med), 1)
    print(f"median raw per room: {np.round(med, 3)}; fit raw = {np.exp(log_a):.3f} * RT60^{b:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clips", nargs="*")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args()
    if args.calibrate:
        calibrate()
        return
    clips = [Path(c) for c in args.clips]
    tmp = None
    if not clips:
        import numpy as np
        import soundfile as sf

        rows = sorted((r for r in csv.DictReader(open(SPEECH / "manifest.csv", encoding="utf-8")) if r["role"] == "ref"),
                      key=lambda r: -float(r["duration_s"]))
        clips = [SPEECH / r["file"] for r in rows]
        y, sr = sf.read(str(clips[0]), dtype="float32")
        tmp = Path(tempfile.mkdtemp()) / "fifteen_s.wav"
        sf.write(str(tmp), np.tile(y, 2)[: 15 * sr], sr)
        clips.insert(0, tmp)
    walls = []
    print(f"{'clip':44s} {'wall_s':>7s} {'cpu_s':>6s} rc")
    for path in clips:
        for _ in range(args.repeat):
            wall, cpu, rc = time_check(path)
            walls.append(wall)
            print(f"{path.name[:44]:44s} {wall:7.2f} {cpu:6.2f} {rc}", flush=True)
    print(f"max wall {max(walls):.2f} s, median {sorted(walls)[len(walls) // 2]:.2f} s over {len(walls)} runs "
          f"(load average {os.getloadavg()[0]:.1f})")
    if tmp:
        tmp.unlink()


if __name__ == "__main__":
    main()
