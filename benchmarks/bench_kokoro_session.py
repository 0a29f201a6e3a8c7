"""Issue 17, speed: how fast is Kokoro itself on this machine, and does any onnxruntime setting make it faster?

The engine's marginal real-time factor is Kokoro's synthesis plus the shaping stage. This times Kokoro alone (the
bundled int8 ONNX model, a shipped voice, speed 1) with the session the lab opens (:func:`toolkit.models.onnx_session`:
2 intra-op threads on 2 cores, no spinning, arena given back after each run) and with variants of it, and prints
where the time goes by operator (onnxruntime's profiler). Numbers only: nothing is asserted.

    python benchmarks/bench_kokoro_session.py --repeats 4 --json benchmarks/results/kokoro_session.json
"""

from __future__ import annotations

import argparse
import collections
import json
import time
from pathlib import Path

import numpy as np

TEXT = "The small ferry crossed the bay twice a day, carrying letters, bread and a few sleepy passengers."
LAB = "lab (2 threads, no spinning, arena)"
#: variants of the lab's session (which is timed as ``KokoroTTS`` opens it): name → (intra-op threads,
#: inter-op threads, parallel executor, spinning, arena)
VARIANTS = {"spinning": (2, 1, False, True, True),
            "no arena": (2, 1, False, False, False),
            "one thread": (1, 1, False, False, True),
            "parallel executor, 2 inter-op threads": (1, 2, True, False, True)}


def session(path, *, intra, inter, parallel, spin, arena, profile=False):
    """A session with settings :func:`toolkit.models.onnx_session` does not offer (the lab's own comes from there)."""
    import onnxruntime as ort

    o = ort.SessionOptions()
    o.intra_op_num_threads, o.inter_op_num_threads, o.enable_cpu_mem_arena = intra, inter, arena
    o.execution_mode = ort.ExecutionMode.ORT_PARALLEL if parallel else ort.ExecutionMode.ORT_SEQUENTIAL
    o.log_severity_level = 3
    o.enable_profiling = profile
    for pool in ("intra_op", "inter_op"):
        o.add_session_config_entry(f"session.{pool}.allow_spinning", "1" if spin else "0")
    return ort.InferenceSession(str(path), sess_options=o, providers=["CPUExecutionProvider"])


def op_profile(path, feeds) -> dict:
    """Share of the second run's node time per operator type (the first run warms up)."""
    s = session(path, intra=2, inter=1, parallel=False, spin=False, arena=False, profile=True)
    s.run(None, feeds)
    s.run(None, feeds)
    trace = Path(s.end_profiling())  # onnxruntime writes its profile to a JSON file in the working directory
    events = json.loads(trace.read_text())
    trace.unlink()
    last = [e for e in events if e.get("name") == "model_run"][-1]["ts"]
    by = collections.Counter()
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time") and e["ts"] >= last:
            by[e["args"].get("op_name")] += e["dur"]
    total = sum(by.values())
    return {op: d / total for op, d in by.most_common(8)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=4)
    ap.add_argument("--voice", default="jf_alpha")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    from bench_clone import machine_info
    from toolkit.models import kokoro_model_path, onnx_run_options
    from toolkit.synth.kokoro import KokoroTTS
    from toolkit.synth.phonemes import phonemize

    tts, path = KokoroTTS(), kokoro_model_path()
    toks = tts.tokens(phonemize(TEXT, language="en"))
    feeds = {"tokens": np.array([[0, *toks, 0]], np.int64), "speed": np.array([1.0], np.float32),
             "style": tts.voices[args.voice][len(toks) - 1].reshape(1, -1)}
    sessions = {LAB: (tts._session, tts._run_options)}  # the very session the lab synthesises with
    sessions.update({n: (session(path, intra=a, inter=b, parallel=p, spin=s, arena=r), onnx_run_options() if r else None)
                     for n, (a, b, p, s, r) in VARIANTS.items()})
    for s, ro in sessions.values():
        s.run(None, feeds, run_options=ro)
    times = {n: [] for n in sessions}
    for _ in range(args.repeats):  # interleaved, so a change in the machine's load touches every variant alike
        for n, (s, ro) in sessions.items():
            t, c = time.perf_counter(), time.process_time()
            y = s.run(None, feeds, run_options=ro)[0]
            times[n].append((time.perf_counter() - t, time.process_time() - c))
    speech_s = y.size / tts.sr
    out = {"machine": machine_info(), "speech_s": speech_s, "variants": {}}
    for n, v in times.items():
        wall, cpu = np.array(v).T / speech_s
        out["variants"][n] = {"rtf_median": float(np.median(wall)), "rtf_min": float(wall.min()),
                              "rtf_max": float(wall.max()), "cpu_per_s": float(np.median(cpu))}
        print(f"{n:40s} wall {np.median(wall):.3f} s per s of speech ({wall.min():.3f}-{wall.max():.3f}), "
              f"CPU {np.median(cpu):.2f}", flush=True)
    out["op_share"] = op_profile(path, feeds)
    print("time by operator:", ", ".join(f"{k} {v:.0%}" for k, v in out["op_share"].items()))
    print("load average at the end:", ", ".join(f"{v:.1f}" for v in out["machine"]["load_avg_at_end"]))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
