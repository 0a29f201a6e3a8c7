"""How long `analyze` takes on a 15 s clip (issue budget: under 2 s of compute on 2 cores).

Prints the compute time (process CPU time and wall time) of ``voice_profile`` on
15 s of speech, warm (imports done) and per stage, plus the cold wall time of
the whole ``python -m toolkit analyze`` command.

Run: ``.venv/bin/python benchmarks/bench_analyze.py [CLIP]``. Without CLIP it
uses the longest clip of ../shared/speech, looped or cut to 15 s, or a
synthetic vowel sequence when that folder is absent.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SPEECH = REPO.parent / "shared" / "speech"
TARGET_S = 15.0


def clip_15s():
    from toolkit.audio import load

    if len(sys.argv) > 1:
        y, sr = load(sys.argv[1], sr=16000)
        name = sys.argv[1]
    elif SPEECH.exists():
        files = sorted(SPEECH.glob("*.wav"), key=lambda p: p.stat().st_size)
        y, sr = load(files[-1], sr=16000)
        name = files[-1].name
    else:
        from toolkit.media import example

        c = example("vowel_a_150", sr=16000)
        y, sr, name = c.y, c.sr, "vowel_a_150 (looped)"
    n = int(TARGET_S * sr)
    y = np.tile(y, int(np.ceil(n / len(y))))[:n]
    return y, sr, name


def timed(fn, repeat=3):
    best_wall, best_cpu = np.inf, np.inf
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return out, best_wall, best_cpu


def main():
    from toolkit import analysis as A

    y, sr, name = clip_15s()
    print(f"clip: {name}, {len(y) / sr:.1f} s at {sr} Hz")
    A.voice_profile(y, sr=sr)  # warm up imports and caches
    stages = {
        "f0 (Praat ac, wide)": lambda: A.estimate_f0(y, sr=sr, adaptive=False),
        "f0 (Praat ac, two-pass)": lambda: A.estimate_f0(y, sr=sr),
        "formants (Praat Burg)": lambda: A.estimate_formants(y, sr=sr),
        "syllable nuclei": lambda: A.syllable_nuclei(y, sr=sr),
        "speech segments": lambda: A.speech_segments(y, sr=sr),
        "HNR (Praat cc)": lambda: A.harmonics_to_noise_db(y, sr=sr),
        "spectral tilt": lambda: A.spectral_tilt(y, sr=sr),
        "loudness (LUFS)": lambda: A.loudness_lufs(y, sr=sr),
    }
    for label, fn in stages.items():
        _, wall, cpu = timed(fn)
        print(f"  {label:26s} wall {wall:6.3f} s  cpu {cpu:6.3f} s")
    profile, wall, cpu = timed(lambda: A.voice_profile(y, sr=sr))
    print(f"voice_profile (warm)         wall {wall:6.3f} s  cpu {cpu:6.3f} s   budget 2.0 s: "
          f"{'OK' if cpu < 2.0 else 'OVER'}")
    print(f"  -> {profile.to_dict()}")

    from toolkit.audio import save

    with tempfile.TemporaryDirectory() as tmp:
        path = save(Path(tmp) / "clip15.wav", y, sr=sr)
        import resource

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "toolkit", "analyze", str(path), "--json"], capture_output=True,
                             text=True, cwd=REPO)
        cold = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cold_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    status = "ok" if res.returncode == 0 else f"exit {res.returncode}: {res.stderr.strip()}"
    print(f"python -m toolkit analyze (cold process, incl. interpreter start and imports): "
          f"wall {cold:.3f} s  cpu {cold_cpu:.3f} s ({status})")


if __name__ == "__main__":
    main()
