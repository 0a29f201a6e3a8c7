"""Memory of one app kernel (PSS) while it fits a new voice: what a workshop host plans a room's RAM by.

A real ipykernel (``jupyter_client``) runs the app notebook's cell (``build_app(warm_up=True)`` with the example
reference ``ref_good`` loaded), waits for the models to load, then clones a sentence with an empty fitted-voice
cache, so the clone fits the voice, and clones a second sentence with the voice fitted. The kernel's PSS (the fair
share of pages it shares with other processes) is sampled from outside every 0.1 s, and the script prints:

* ``warm_mb``: the app built and its models loaded (what an idle participant costs);
* ``peak_fit_mb``: the highest PSS during the first clone (encode, fit, speak, shape, evaluate);
* ``after_fit_mb``: when that clone has ended (the app trims the allocator after every clone);
* ``peak_reclone_mb`` and ``after_reclone_mb``: the same for the second clone, voice already fitted.

    .venv/bin/python benchmarks/bench_kernel_memory.py [--runs 2] [--json out.json]

Each run is a fresh kernel with a fresh cache. The machine's load average is printed with the numbers: on 2 cores
the times (``fit_s``) are only meaningful with the machine otherwise idle; the memory is not affected by load.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from sampling import BackgroundSampler  # noqa: E402

CELL_BUILD = """
import warnings; warnings.filterwarnings("ignore")
import matplotlib; matplotlib.use("module://matplotlib_inline.backend_inline")
from toolkit.ui.app import build_app
page, state = build_app(initial_example="ref_good", warm_up=True)
"""
CELL_WARM = """
import threading
for t in threading.enumerate():
    if t.name == "vcl-warm-up":  # the app's model loading (toolkit.ui.app._warm_up)
        t.join()
"""
CELL_CLONE = """
state.text.value = {text!r}
res = state.clone()
assert res is not None, state.status.value
print(round(res.timings_s.get("fit", 0.0), 1), res.fitted_now)
"""


class PssSampler(BackgroundSampler):
    """Peak PSS (MB) of one process, sampled in a background thread; :meth:`mark` starts a new window."""

    def __init__(self, pid: int, *, period_s: float = 0.1):
        import psutil

        super().__init__(period_s=period_s)
        self.proc = psutil.Process(pid)
        self.peak_mb = 0.0

    def now_mb(self) -> float:
        return self.proc.memory_full_info().pss / 2**20

    def mark(self) -> None:
        self.peak_mb = self.now_mb()

    def sample(self):
        try:
            self.peak_mb = max(self.peak_mb, self.now_mb())
        except Exception:  # the kernel has ended
            pass


def run_cell(kc, code: str, *, timeout_s: float = 600.0) -> str:
    """Execute ``code`` in the kernel; return its printed output, raise on an error."""
    msg_id = kc.execute(code)
    out = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout_s)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind == "error":
            raise RuntimeError(f"{content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out)


def one_run() -> dict:
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "VOICE_LAB_CACHE": tempfile.mkdtemp(prefix="bench_kernel_memory_")}
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(REPO / "notebooks"), env=env)
    try:
        with PssSampler(km.provisioner.process.pid) as pss:
            run_cell(kc, CELL_BUILD)
            run_cell(kc, CELL_WARM)
            time.sleep(1.0)
            out = {"warm_mb": pss.now_mb()}
            pss.mark()
            t = time.perf_counter()
            fit_line = run_cell(kc, CELL_CLONE.format(text="Good morning, and welcome to the workshop."))
            out.update(clone_with_fit_s=time.perf_counter() - t, fit_s=float(fit_line.split()[0]),
                       peak_fit_mb=pss.peak_mb)
            time.sleep(1.0)
            out["after_fit_mb"] = pss.now_mb()
            pss.mark()
            run_cell(kc, CELL_CLONE.format(text="The train to the coast leaves at half past nine."))
            out["peak_reclone_mb"] = pss.peak_mb
            time.sleep(1.0)
            out["after_reclone_mb"] = pss.now_mb()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {k: round(v, 1) for k, v in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2, help="fresh kernels, one after the other")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    runs = []
    for i in range(args.runs):
        r = one_run()
        runs.append(r)
        print(f"run {i + 1}: warm {r['warm_mb']:.0f} MB PSS, peak during the fit {r['peak_fit_mb']:.0f} MB, "
              f"after it {r['after_fit_mb']:.0f} MB; peak during a re-clone {r['peak_reclone_mb']:.0f} MB, "
              f"after it {r['after_reclone_mb']:.0f} MB; clone with the fit {r['clone_with_fit_s']:.1f} s "
              f"(fit {r['fit_s']:.1f} s)", flush=True)
    summary = {"runs": runs, "load_average": os.getloadavg(), "cpus": os.cpu_count(),
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print(f"load average {summary['load_average'][0]:.1f} at the end ({os.cpu_count()} cores)")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
